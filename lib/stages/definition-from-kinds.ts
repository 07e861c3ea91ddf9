import { z } from "zod";
import type { StageKey } from "@/lib/generated/sqlite/enums";
import { isArtifactKind, kindDefinition, type ArtifactKind } from "@/lib/kinds/registry";
import type { KindDefinition, KindDraftStep } from "@/lib/kinds/types";
import { StepFailure } from "@/lib/pipeline/step-runner";
import { contextLimitOf, fitArtifacts, termsOf } from "@/lib/runtime/step-context";
import type { ContractViolation, DraftStepOutput, ModelStepDefinition, RouteCandidate, RouteStepDefinition, StageDefinition, StepEnv } from "./definition";

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
      const inputOf = (upstream: Awaited<ReturnType<StepEnv["upstream"]>>) => {
        const lists = reads.map((kind) => [readKey(kind), upstream.filter((artifact) => artifact.kind === kind).map((artifact) => ({ ...artifact.content, id: artifact.id, ref: artifact.ref }))]);
        const input = step.inputSchema.safeParse({ project: { name: env.project.name, brief: env.project.brief }, ...Object.fromEntries(lists) });
        if (!input.success) throw new StepFailure(`Nothing to draft ${plural(definition)} from: ${input.error.issues.map((issue) => issue.message).join("; ")}.`);
        return input;
      };
      const upstream = await env.upstream(reads);
      // Upstream work beyond the step's context budget is cut to its most relevant artifacts, each kept whole; the record lists what was left out.
      const fitted = fitArtifacts(upstream, { maxInputTokens: await contextLimitOf(step.key), focusTerms: termsOf(`${env.project.brief} ${definition.label}`), prompt: (kept) => step.prompt(inputOf(kept).data) });
      const input = inputOf(fitted.items);
      const record = input.data as Record<string, unknown>;
      const listKeys = reads.map(readKey);
      return {
        record: fitted.contextBudget ? { ...record, contextBudget: fitted.contextBudget } : record,
        call: () => ({ prompt: step.prompt(input.data) }),
        empty,
        // A cascade's next tier reads only the upstream artifacts the uncertain drafts name.
        cascade: {
          basisOf: (item) => {
            const parents = (item as DraftedItem | null)?.derivedFrom;
            return Array.isArray(parents) && parents.length > 0 && parents.every((id) => typeof id === "string") ? (parents as string[]) : null;
          },
          narrowed: (basis) => {
            const narrowed = narrowInput(record, listKeys, basis, step.inputSchema);
            return narrowed === null ? null : { prompt: step.prompt(narrowed) };
          },
        },
      };
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
      const output = draftOf(env);
      const candidate = (item: DraftedItem, content: Record<string, unknown>, violation: ContractViolation | null): RouteCandidate => {
        const derivedFrom = Array.isArray(content.derivedFrom) ? content.derivedFrom.filter((id): id is string => typeof id === "string") : [];
        return {
          draftId: violation === null && typeof item.id === "string" ? item.id : null,
          content,
          category: definition.categories && typeof content.category === "string" ? content.category : null,
          sourceKind: null,
          derivedFrom: derivedFrom.filter((id) => upstreamIds.has(id)),
          ...(violation?.drafter ? { drafter: violation.drafter } : {}),
          evidence: {
            confidence: violation === null && typeof item.confidence === "number" ? item.confidence : null,
            unsure: violation === null && typeof content.unsure === "string" ? content.unsure : null,
            // The kind's checks flag a parent nobody approved ("untraced"); a broken draft is for people whatever they say.
            qualityFlags: violation === null ? [...definition.check(content, { upstreamIds })] : [],
            conflicts: [],
            stepCostUsd: facts.stepCostUsd,
            ungrounded: [],
            contractViolation: violation?.problem ?? null,
          },
        };
      };
      const drafted = itemsOf(output.draft).map((item) => {
        const parsed = definition.contentSchema.safeParse(item);
        if (parsed.success) return candidate(item, parsed.data, null);
        // A draft that breaks the kind's contract goes to people as far as it can be read, never dropped.
        const problem = parsed.error.issues.map((issue) => `${issue.path.join(".") || "item"}: ${issue.message}`).join("; ");
        return candidate(item, readableContent(definition, item), { raw: item, problem, drafter: typeof item.id === "string" ? output.drafters?.[item.id] : undefined });
      });
      const broken = output.violations.map((violation) => candidate({}, readableContent(definition, violation.raw), violation));
      return [...drafted, ...broken];
    },
    // Open questions are for the stage page; broken items went to people above.
    after: async (_tx, env) => ({ openQuestions: draftOf(env).draft.openQuestions ?? [] }),
  };
  return [model, route];
}

/**
 * The step input with its upstream lists cut down to the artifacts named; a list the input
 * cannot do without (its schema wants at least one) stays whole, as context. Null when even
 * that does not make a valid input.
 */
function narrowInput(input: Record<string, unknown>, listKeys: readonly string[], basis: ReadonlySet<string>, schema: z.ZodType): Record<string, unknown> | null {
  const cut = (key: string) => (Array.isArray(input[key]) ? (input[key] as { id?: unknown }[]).filter((artifact) => typeof artifact.id === "string" && basis.has(artifact.id)) : input[key]);
  const narrowed = Object.fromEntries(Object.entries(input).map(([key, value]) => [key, listKeys.includes(key) ? cut(key) : value]));
  if (schema.safeParse(narrowed).success) return narrowed;
  const withContext = Object.fromEntries(Object.entries(narrowed).map(([key, value]) => [key, Array.isArray(value) && value.length === 0 ? input[key] : value]));
  return schema.safeParse(withContext).success ? withContext : null;
}

/**
 * A broken draft as content a reviewer can open and repair: each field as drafted when that
 * field alone is valid, else empty of its type (so it still breaks the contract until someone
 * fills it in). What the model wrote when it wrote no usable
 * object at all (prose, or the item as JSON when its main text is missing) goes into the kind's
 * first text field, so the reviewer sees it.
 */
function readableContent(definition: KindDefinition, raw: unknown): Record<string, unknown> {
  const shape = definition.contentSchema instanceof z.ZodObject ? (definition.contentSchema.shape as Record<string, z.ZodType>) : {};
  const item = typeof raw === "object" && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const content = Object.fromEntries(
    Object.entries(shape).map(([key, type]) => {
      const field = type.safeParse(item[key]);
      return [key, field.success ? field.data : emptyOf(type)];
    }),
  );
  const mainText = definition.fields.find((field) => field.type === "text" || field.type === "longText")?.key;
  if (mainText && !content[mainText]) content[mainText] = typeof raw === "string" ? raw : JSON.stringify(raw);
  return content;
}

function emptyOf(type: z.ZodType): unknown {
  const def = type.def as { type: string; values?: unknown[]; innerType?: z.ZodType };
  switch (def.type) {
    case "nullable":
      return null;
    case "optional":
      return undefined;
    case "default":
    case "prefault":
      return def.innerType ? emptyOf(def.innerType) : null;
    case "string":
      return "";
    case "number":
      return 0;
    case "boolean":
      return false;
    case "array":
      return [];
    // No option is picked for the model: the reviewer has to choose one.
    case "enum":
      return "";
    case "literal":
      return def.values?.[0] ?? null;
    case "object":
      return Object.fromEntries(Object.entries((type as z.ZodObject).shape as Record<string, z.ZodType>).map(([key, inner]) => [key, emptyOf(inner)]));
    default:
      return null;
  }
}
