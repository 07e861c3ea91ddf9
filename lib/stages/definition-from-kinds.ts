import { z } from "zod";
import type { StageKey } from "@/lib/generated/sqlite/enums";
import { isArtifactKind, kindDefinition, type ArtifactKind } from "@/lib/kinds/registry";
import type { KindDefinition, KindDraftStep } from "@/lib/kinds/types";
import { StepFailure } from "@/lib/pipeline/step-runner";
import type { DraftStepOutput, ModelStepDefinition, RouteCandidate, RouteStepDefinition, StageDefinition, StepEnv } from "./definition";

/**
 * A stage whose steps each draft one kind from approved upstream work (planning through
 * operations), built from the kinds' own definitions: per kind a model step (its draftStep) and a
 * route step that checks each draft with the kind's checks and writes it with its links.
 */
export function stageFromKinds(stage: StageKey, kinds: readonly ArtifactKind[]): StageDefinition {
  const elsewhere = kinds.filter((kind) => kindDefinition(kind).stage !== stage);
  if (elsewhere.length > 0) throw new Error(`The ${stage} stage cannot draft ${elsewhere.join(", ")}: their definitions belong to another stage.`);
  return { stage, steps: kinds.flatMap((kind) => draftingSteps(kindDefinition(kind))) };
}

type KindDraft = Record<string, unknown>;
type DraftedItem = Record<string, unknown> & { id?: unknown; confidence?: unknown };

/** "test_case" -> "testCases": how a step's input lists a kind's artifacts unless the kind says otherwise. */
function readKey(kind: string): string {
  const definition = kindDefinition(kind);
  return definition.readAs ?? `${definition.kind.replace(/_(\w)/g, (_, letter: string) => letter.toUpperCase())}s`;
}

const plural = (definition: KindDefinition) => `${definition.label.toLowerCase()}s`;

/** The schema of one item of the draft's list, for keeping the valid items of a reply that broke the contract. */
function itemSchemaOf(step: KindDraftStep): z.ZodType {
  const list = step.outputSchema instanceof z.ZodObject ? step.outputSchema.shape[step.listKey] : undefined;
  if (!(list instanceof z.ZodArray)) throw new Error(`The output of ${step.key} must be an object whose '${step.listKey}' is a list of drafts.`);
  return list.element as z.ZodType;
}

function draftingSteps(definition: KindDefinition): [ModelStepDefinition, RouteStepDefinition] {
  const step = definition.draftStep;
  if (!step) throw new Error(`The ${definition.label} kind declares no draftStep: no stage can draft it.`);
  const unknown = step.reads.filter((kind) => !isArtifactKind(kind));
  if (unknown.length > 0) throw new Error(`${step.key} reads kinds nobody registered: ${unknown.join(", ")}.`);
  const reads = step.reads as readonly ArtifactKind[];
  const readLabels = reads.map((kind) => plural(kindDefinition(kind))).join(", ");
  const empty = { [step.listKey]: [], openQuestions: [] };
  const draftOf = (env: StepEnv) => env.outputOf<DraftStepOutput<KindDraft>>(step.key);
  const itemsOf = (draft: KindDraft) => (Array.isArray(draft[step.listKey]) ? (draft[step.listKey] as DraftedItem[]) : []);

  const model: ModelStepDefinition = {
    kind: "model",
    key: step.key,
    title: `Draft ${plural(definition)}`,
    description: `Drafts ${plural(definition)} from the approved ${readLabels}, each naming the upstream artifacts it was drafted from.`,
    reads,
    produces: definition.kind as ArtifactKind,
    categories: definition.categories,
    outputSchema: step.outputSchema,
    listKey: step.listKey,
    itemSchema: itemSchemaOf(step),
    fromItems: (items) => ({ [step.listKey]: items, openQuestions: [] }),
    async prepare(env) {
      const upstream = await env.upstream(reads);
      const lists = reads.map((kind) => [readKey(kind), upstream.filter((artifact) => artifact.kind === kind).map((artifact) => ({ ...artifact.content, id: artifact.id, ref: artifact.ref }))]);
      const input = step.inputSchema.safeParse({ project: { name: env.project.name, brief: env.project.brief }, ...Object.fromEntries(lists) });
      if (!input.success) throw new StepFailure(`Nothing to draft ${plural(definition)} from: ${input.error.issues.map((issue) => issue.message).join("; ")}.`);
      const record = input.data as Record<string, unknown>;
      return { record, call: () => ({ prompt: step.prompt(input.data) }), empty };
    },
  };

  const route: RouteStepDefinition = {
    kind: "rule",
    role: "route",
    key: step.key.replace(/^draft-/, "route-"),
    title: `Route ${plural(definition)}`,
    description: `Checks each ${definition.label.toLowerCase()} and auto-approves it only when calibration supports it; sends the rest to review, recording why.`,
    from: step.key,
    writes: definition.kind as ArtifactKind,
    record: (env) => ({ [step.listKey]: itemsOf(draftOf(env).draft).length, violations: draftOf(env).violations.length }),
    async candidates(env, facts) {
      const upstreamIds = new Set((await env.upstream(reads)).map((artifact) => artifact.id));
      return itemsOf(draftOf(env).draft).flatMap((item): RouteCandidate[] => {
        const parsed = definition.contentSchema.safeParse(item);
        if (!parsed.success) return [];
        const content = parsed.data;
        const derivedFrom = Array.isArray(content.derivedFrom) ? content.derivedFrom.filter((id): id is string => typeof id === "string") : [];
        const unsure = typeof content.unsure === "string" ? content.unsure : null;
        return [
          {
            draftId: typeof item.id === "string" ? item.id : null,
            content,
            category: definition.categories && typeof content.category === "string" ? content.category : null,
            sourceKind: null,
            derivedFrom: derivedFrom.filter((id) => upstreamIds.has(id)),
            evidence: {
              confidence: typeof item.confidence === "number" ? item.confidence : null,
              unsure,
              // The kind's checks flag a parent nobody approved ("untraced").
              qualityFlags: [...definition.check(content, { upstreamIds })],
              conflicts: [],
              stepCostUsd: facts.stepCostUsd,
              ungrounded: [],
              contractViolation: null,
            },
          },
        ];
      });
    },
    // Open questions and the items of a broken reply that could not be read are for the stage page.
    after: async (_tx, env) => ({ openQuestions: draftOf(env).draft.openQuestions ?? [], violations: draftOf(env).violations.map((violation) => violation.problem) }),
  };
  return [model, route];
}
