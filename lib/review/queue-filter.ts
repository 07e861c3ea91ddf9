import { z } from "zod";
import { routingReasonCodes } from "@/lib/routing/schema";
import { stageKeySchema } from "@/lib/stages/schema";

/**
 * The queue's filters and sorts as they live in the page's URL, and the one rule for whether a
 * pending item matches them: the browser applies it to the items it has, and counts.ts counts
 * the same thing in SQL. A value the page does not know is dropped rather than refused: a stale
 * bookmark still opens the queue.
 */

/** How long an item has waited at least, in hours. */
export const ageOptions = [
  { value: "1h", label: "Waiting over an hour", hours: 1 },
  { value: "1d", label: "Waiting over a day", hours: 24 },
  { value: "3d", label: "Waiting over 3 days", hours: 72 },
  { value: "7d", label: "Waiting over a week", hours: 168 },
] as const;
export type AgeOption = (typeof ageOptions)[number]["value"];

export const sortOptions = [
  { value: "oldest", label: "Oldest first" },
  { value: "risk", label: "Riskiest first" },
] as const;

const optional = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

export const queueFilterSchema = z.object({
  projectId: optional(z.string().min(1).max(100)),
  stage: optional(stageKeySchema),
  /** the drafting step's key; it drafts exactly one kind */
  step: optional(z.string().min(1).max(100)),
  /** an artifact kind, or "conflict" */
  kind: optional(z.string().regex(/^[a-z_]{1,50}$/)),
  reason: optional(z.enum(routingReasonCodes)),
  age: optional(z.enum(ageOptions.map((option) => option.value) as [AgeOption, ...AgeOption[]])),
  /** only items I hold (claimed by me or assigned to me by the owner) */
  mine: optional(z.literal("1")),
  sort: z.enum(["oldest", "risk"]).catch("oldest").default("oldest"),
});
export type QueueFilter = z.infer<typeof queueFilterSchema>;

/** Reads the page's searchParams: a repeated key counts once. */
export function parseQueueFilter(params: Record<string, string | string[] | undefined>): QueueFilter {
  const first = Object.fromEntries(Object.entries(params).map(([key, value]) => [key, Array.isArray(value) ? value[0] : value]));
  return queueFilterSchema.parse(first);
}

/** The URL search string of a filter (without defaults), so a filtered queue can be bookmarked and shared. */
export function queueSearch(filter: QueueFilter, extra: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const key of ["projectId", "stage", "step", "kind", "reason", "age", "mine"] as const) {
    const value = filter[key];
    if (value) params.set(key, value);
  }
  if (filter.sort !== "oldest") params.set("sort", filter.sort);
  for (const [key, value] of Object.entries(extra)) if (value) params.set(key, value);
  return params.size > 0 ? `?${params}` : "";
}

export function ageHours(age: AgeOption): number {
  return ageOptions.find((option) => option.value === age)!.hours;
}

/** What the filter reads of an item: the queue's rows carry all of it. */
export type FilterableItem = {
  kind: string;
  reasons: readonly { code: string }[];
  createdAt: string;
  claim?: { mine: boolean } | null;
};

/** The kinds a filter allows, or null for any: a step stands for the kind it drafts. */
export function allowedKinds(filter: Pick<QueueFilter, "kind" | "step">, stepKinds: Readonly<Record<string, string>>): string[] | null {
  const fromStep = filter.step ? [stepKinds[filter.step] ?? "(no kind)"] : null;
  if (filter.kind && fromStep) return fromStep.includes(filter.kind) ? [filter.kind] : [];
  return filter.kind ? [filter.kind] : fromStep;
}

/**
 * What the list API is asked for a filter: the server narrows every page by it (kind, reason,
 * waiting time, "mine") and orders it, so a page holds matching items only, in the order asked
 * for across the whole queue. Conflicts are listed apart.
 */
export function listNarrowing(filter: QueueFilter, stepKinds: Readonly<Record<string, string>>) {
  const kinds = allowedKinds(filter, stepKinds);
  const draftKind = kinds?.find((kind) => kind !== "conflict");
  return {
    ...(filter.projectId ? { projectId: filter.projectId } : {}),
    ...(filter.stage ? { stage: filter.stage } : {}),
    ...(draftKind ? { artifactKind: draftKind } : {}),
    ...(filter.reason ? { reason: filter.reason } : {}),
    ...(filter.age ? { waitingHours: ageHours(filter.age) } : {}),
    ...(filter.mine ? { mine: true } : {}),
    ...(filter.sort === "risk" ? { sort: "risk" as const } : {}),
  };
}

/** Whether a pending item matches the filter (project and stage are applied by the list itself). */
export function matchesFilter(item: FilterableItem, filter: QueueFilter, stepKinds: Readonly<Record<string, string>>, now: Date): boolean {
  const kinds = allowedKinds(filter, stepKinds);
  if (kinds && !kinds.includes(item.kind)) return false;
  if (filter.reason && !item.reasons.some((reason) => reason.code === filter.reason)) return false;
  if (filter.age && now.getTime() - new Date(item.createdAt).getTime() < ageHours(filter.age) * 3_600_000) return false;
  if (filter.mine && !item.claim?.mine) return false;
  return true;
}

/**
 * The measured chance a draft is approved unchanged (the drafter's own confidence while nothing is
 * measured), 0 when neither is known. Stored on each review item (ReviewItem.approvalChance) when it
 * is routed, so "riskiest first" is an indexed order over the whole queue: lowest chance first.
 */
export function approvalChance(calibratedProbability: number | null, confidence: number | null): number {
  return calibratedProbability || confidence || 0;
}

