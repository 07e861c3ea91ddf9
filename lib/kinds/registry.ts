import { definition as adr } from "./adr";
import { definition as deploymentRisk } from "./deployment-risk";
import { definition as interfaceKind } from "./interface";
import { definition as milestone } from "./milestone";
import { definition as releaseNote } from "./release-note";
import { definition as requirement } from "./requirement";
import { definition as runbook } from "./runbook";
import { definition as task } from "./task";
import { definition as testCase } from "./test-case";
import { invalid, zodIssues } from "@/lib/errors";
import type { KindCheckContext, KindDefinition, KindFlag, KindPresentation } from "./types";
import { definition as userStory } from "./user-story";

/**
 * Every artifact kind, in lifecycle order. Adding a kind is adding its definition here; nothing
 * else branches on a kind's name.
 */
const definitions = [requirement, userStory, milestone, adr, interfaceKind, task, testCase, releaseNote, deploymentRisk, runbook] as const;

export type ArtifactKind = (typeof definitions)[number]["kind"];

export const artifactKinds = definitions.map((definition) => definition.kind) as [ArtifactKind, ...ArtifactKind[]];

const byKind = new Map<string, KindDefinition>(definitions.map((definition) => [definition.kind, definition]));

/** Every kind's content contract, for the API's description of an artifact's content. */
export const kindContentSchemas: [KindDefinition["contentSchema"], ...KindDefinition["contentSchema"][]] = [
  requirement.contentSchema,
  ...definitions.slice(1).map((definition): KindDefinition["contentSchema"] => definition.contentSchema),
];

export function isArtifactKind(kind: string): kind is ArtifactKind {
  return byKind.has(kind);
}

/** The definition of a stored kind; a kind nobody registered is a programming error, not bad input. */
export function kindDefinition(kind: string): KindDefinition {
  const definition = byKind.get(kind);
  if (!definition) throw new Error(`No artifact kind '${kind}' is registered in lib/kinds/registry.ts.`);
  return definition;
}

export function kindsOfStage(stage: string): KindDefinition[] {
  return definitions.filter((definition) => definition.stage === stage);
}

export function presentationOf(definition: KindDefinition): KindPresentation {
  return { kind: definition.kind, prefix: definition.prefix, label: definition.label, tone: definition.tone ?? "violet", fields: definition.fields };
}

/** What the browser needs to render and edit every kind, by kind. */
export function kindPresentations(): Record<string, KindPresentation> {
  return Object.fromEntries(definitions.map((definition) => [definition.kind, presentationOf(definition)]));
}

/** REQ-3 for the third requirement of a project. */
export function artifactRef(kind: string, number: number): string {
  return `${kindDefinition(kind).prefix}-${number}`;
}

/** Parses a content against its kind's contract: a typed result, never a throw. */
export function parseContent(kind: string, content: unknown) {
  return kindDefinition(kind).contentSchema.safeParse(content);
}

/** The content as the kind's contract reads it, or a 422 naming every problem ("The edited requirement is not valid: ..."). */
export function validContent(kind: string, content: unknown, change: "edited" | "revised"): Record<string, unknown> {
  const parsed = parseContent(kind, content);
  if (parsed.success) return parsed.data;
  const issues = zodIssues(parsed.error);
  throw invalid(`The ${change} ${kindDefinition(kind).label.toLowerCase()} is not valid: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ")}`, issues);
}

/** The kind's quality checks of a content that already parsed against its contract. */
export function checkContent(kind: string, content: Record<string, unknown>, context: KindCheckContext = { upstreamIds: new Set() }): readonly KindFlag[] {
  return kindDefinition(kind).check(content, context);
}
