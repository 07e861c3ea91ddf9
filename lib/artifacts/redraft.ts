import type { db, Tx } from "@/lib/db";
import { kindDefinition } from "@/lib/kinds/registry";

/**
 * Re-drafting stale work. When an upstream artifact (or a source) changes after sign-off, what
 * was built on it turns stale (lib/artifacts/propagation.ts). A new run of a stage that holds
 * stale work is a re-draft: it drafts only from the current versions of what the stale artifacts
 * were drafted from, supersedes only those stale artifacts, and records, per replaced artifact,
 * the current work it was re-drafted from. That record (an `artifacts.superseded` audit event of
 * the stage) is how a new draft says which stale artifact it replaces: it replaces those whose
 * recorded basis it was drafted from.
 */

type Client = Tx | ReturnType<typeof db>;

/** An artifact as the re-draft rules read it; `parents` holds the artifacts it was drafted from and the sources it quotes. */
export type LineageNode = { id: string; ref: string; kind: string; stageId: string; runId: string; status: string; stale: boolean; staleReason: string | null; parents: readonly string[] };

/** What a re-draft run recorded when it replaced stale work of one kind: per replaced artifact, the current work it was re-drafted from. */
export type ReplacementRecord = { runId: string; kind: string; replaced: { id: string; ref: string; from: string[] }[] };

/** Why a stale artifact cannot be re-drafted yet: a parent that is itself stale, or waits for a decision. */
export type Waiting = { id: string; ref: string; stageId: string; why: "stale" | "undecided" };

/** One stale artifact and what a re-draft would draft it from. */
export type RedraftItem = { id: string; ref: string; kind: string; staleReason: string | null; from: string[]; waitingOn: Waiting[] };

/**
 * ready: re-drafted by the next run; waiting: a parent must be re-drafted or decided first;
 * orphaned: nothing it was drafted from remains (every parent rejected or removed), so the next
 * run withdraws it without a replacement.
 */
export type RedraftState = "ready" | "waiting" | "orphaned";

export function redraftState(item: Pick<RedraftItem, "from" | "waitingOn">): RedraftState {
  if (item.waitingOn.length > 0) return "waiting";
  return item.from.length > 0 ? "ready" : "orphaned";
}

const isCurrent = (node: LineageNode) => (node.status === "approved" || node.status === "auto_approved") && !node.stale;
const overlaps = (a: readonly string[], b: readonly string[]) => a.some((id) => b.includes(id));

/** The drafts a re-draft wrote in place of a replaced artifact: of the same run and kind, drafted from its recorded basis. */
export function replacementsOf(id: string, records: readonly ReplacementRecord[], nodes: ReadonlyMap<string, LineageNode>): LineageNode[] {
  for (const record of records) {
    const entry = record.replaced.find((replaced) => replaced.id === id);
    if (!entry) continue;
    return [...nodes.values()].filter((node) => node.runId === record.runId && node.kind === record.kind && node.id !== id && overlaps(node.parents, entry.from));
  }
  return [];
}

/**
 * The current work an artifact's parents amount to, pure: a fresh approved parent is itself; a
 * parent a re-draft replaced counts as what replaced it (transitively); a parent that is stale or
 * still undecided makes the artifact wait; a rejected or superseded-without-replacement parent
 * drops out. Ids that are not artifacts are the sources a requirement quotes: current while they exist.
 */
export function resolveParents(
  parents: readonly string[],
  graph: { nodes: ReadonlyMap<string, LineageNode>; sources: ReadonlySet<string>; records: readonly ReplacementRecord[] },
): { from: string[]; waitingOn: Waiting[] } {
  const from = new Set<string>();
  const waitingOn = new Map<string, Waiting>();
  const seen = new Set<string>();
  const visit = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    const node = graph.nodes.get(id);
    if (!node) {
      if (graph.sources.has(id)) from.add(id);
      return;
    }
    if (isCurrent(node)) from.add(id);
    else if (node.status === "superseded") replacementsOf(id, graph.records, graph.nodes).forEach((replacement) => visit(replacement.id));
    else if (node.status !== "rejected") waitingOn.set(id, { id, ref: node.ref, stageId: node.stageId, why: node.stale ? "stale" : "undecided" });
  };
  parents.forEach(visit);
  return { from: [...from], waitingOn: [...waitingOn.values()] };
}

/** The stale work of a stage (not yet replaced or rejected) that runs other than `exceptRunId` drafted, each with what it would be re-drafted from. Pure. */
export function planRedraft(
  stageId: string,
  graph: { nodes: ReadonlyMap<string, LineageNode>; sources: ReadonlySet<string>; records: readonly ReplacementRecord[] },
  exceptRunId?: string,
): RedraftItem[] {
  return [...graph.nodes.values()]
    .filter((node) => node.stageId === stageId && node.stale && node.status !== "superseded" && node.status !== "rejected" && node.runId !== exceptRunId)
    .map((node) => ({ id: node.id, ref: node.ref, kind: node.kind, staleReason: node.staleReason, ...resolveParents(node.parents, graph) }));
}

/** The sources a content quotes, read through its kind's "quotes" fields (no kind is named here). */
export function quotedSourceIds(kind: string, content: unknown): string[] {
  const values = (content ?? {}) as Record<string, unknown>;
  return kindDefinition(kind)
    .fields.filter((field) => field.type === "quotes")
    .flatMap((field) => (Array.isArray(values[field.key]) ? (values[field.key] as { sourceId?: unknown }[]) : []))
    .flatMap((quote) => (typeof quote?.sourceId === "string" ? [quote.sourceId] : []));
}

/** Kinds whose content quotes sources: their drafts are the ones a change to a source reaches. */
export function quotingKinds(kinds: readonly string[]): string[] {
  return kinds.filter((kind) => kindDefinition(kind).fields.some((field) => field.type === "quotes"));
}

const SUPERSEDED = "artifacts.superseded";

/** The replacement records of a project's stages, oldest first. */
export async function replacementRecords(client: Client, stageIds: readonly string[]): Promise<ReplacementRecord[]> {
  if (stageIds.length === 0) return [];
  const events = await client.auditEvent.findMany({
    where: { subjectType: "stage", subjectId: { in: [...stageIds] }, action: SUPERSEDED },
    select: { after: true },
    orderBy: { id: "asc" },
  });
  return events.flatMap((event) => {
    const after = event.after as Partial<ReplacementRecord> | null;
    return after && typeof after.runId === "string" && typeof after.kind === "string" && Array.isArray(after.replaced)
      ? [{ runId: after.runId, kind: after.kind, replaced: after.replaced }]
      : [];
  });
}

/** Everything the re-draft rules read about a project, in a few queries. */
export async function loadLineage(client: Client, projectId: string) {
  const [artifacts, links, sources, stages] = await Promise.all([
    client.artifact.findMany({
      where: { projectId },
      select: { id: true, ref: true, kind: true, stageId: true, runId: true, status: true, stale: true, staleReason: true, currentVersion: true },
    }),
    client.artifactLink.findMany({ where: { artifact: { projectId } }, select: { artifactId: true, parentId: true } }),
    client.source.findMany({ where: { projectId }, select: { id: true } }),
    client.stage.findMany({ where: { projectId }, select: { id: true } }),
  ]);
  const quoting = quotingKinds([...new Set(artifacts.map((artifact) => artifact.kind))]);
  const quoted = quoting.length === 0 ? [] : await client.artifactVersion.findMany({
    where: { artifact: { projectId, kind: { in: quoting } } },
    select: { artifactId: true, version: true, content: true },
  });
  const parents = new Map<string, string[]>();
  const add = (id: string, parent: string) => parents.set(id, [...(parents.get(id) ?? []), parent]);
  for (const link of links) add(link.artifactId, link.parentId);
  const byId = new Map(artifacts.map((artifact) => [artifact.id, artifact]));
  for (const version of quoted) {
    const artifact = byId.get(version.artifactId)!;
    if (version.version === artifact.currentVersion) for (const sourceId of quotedSourceIds(artifact.kind, version.content)) add(artifact.id, sourceId);
  }
  const nodes = new Map<string, LineageNode>(
    artifacts.map(({ currentVersion: _version, ...artifact }) => [artifact.id, { ...artifact, parents: [...new Set(parents.get(artifact.id) ?? [])] }]),
  );
  return { nodes, sources: new Set(sources.map((source) => source.id)), records: await replacementRecords(client, stages.map((stage) => stage.id)) };
}
export type Lineage = Awaited<ReturnType<typeof loadLineage>>;

type RunScope = { projectId: string; stageId: string; runId: string };

/**
 * The project's lineage when this run is a re-draft, else null. Two indexed reads decide it
 * (stale work of the stage from earlier runs, or a replacement this run recorded), so an
 * ordinary run never loads the whole project's graph.
 */
export async function redraftLineage(client: Client, run: RunScope): Promise<Lineage | null> {
  const staleElsewhere = await client.artifact.count({
    where: { stageId: run.stageId, stale: true, status: { notIn: ["superseded", "rejected"] }, runId: { not: run.runId } },
  });
  if (staleElsewhere === 0 && !(await replacementRecords(client, [run.stageId])).some((record) => record.runId === run.runId)) return null;
  const lineage = await loadLineage(client, run.projectId);
  return isRedraftRun(lineage, run.stageId, run.runId) ? lineage : null;
}

/**
 * Whether a run of the stage is a re-draft: the stage holds stale work from earlier runs, or this
 * run already replaced some (so it stays one after the last stale artifact is gone).
 */
export function isRedraftRun(lineage: Lineage, stageId: string, runId: string): boolean {
  return planRedraft(stageId, lineage, runId).length > 0 || lineage.records.some((record) => record.runId === runId);
}

/**
 * What a re-draft run drafts `produces` from: the current work the stale artifacts of those kinds
 * (the ones not waiting) were drafted from, plus what this run already replaced of them (a step
 * read again after its drafts were written). Empty when nothing of those kinds is stale.
 */
export function redraftBasis(lineage: Lineage, stageId: string, runId: string, produces: readonly string[]): Set<string> {
  const pending = planRedraft(stageId, lineage, runId).filter((item) => produces.includes(item.kind) && redraftState(item) === "ready");
  const replaced = lineage.records.filter((record) => record.runId === runId && produces.includes(record.kind)).flatMap((record) => record.replaced);
  return new Set([...pending, ...replaced].flatMap((item) => item.from));
}

const wordsOf = (text: string) => new Set(text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((word) => word.length > 1));

function similarity(a: Set<string>, b: Set<string>): number {
  const shared = [...a].filter((word) => b.has(word)).length;
  return shared === 0 ? 0 : shared / (a.size + b.size - shared);
}

/**
 * Which stale artifact each draft of a re-draft replaces, pure: among the replaced artifacts whose
 * recorded basis the draft was drafted from, the most alike by wording; pairs are taken one to one,
 * most alike first, and a draft left over (the re-draft wrote more than it replaced) is paired
 * with the most alike anyway. A draft drafted from none of their bases replaces nothing.
 */
export function pairReplacements(
  drafts: readonly { id: string; basis: readonly string[]; text: string }[],
  replaced: readonly { id: string; from: readonly string[]; text: string }[],
): Map<string, string> {
  const words = new Map([...drafts, ...replaced].map((item) => [item.id, wordsOf(item.text)]));
  const pairs = drafts
    .flatMap((draft) => replaced.filter((old) => overlaps(draft.basis, old.from)).map((old) => ({ draft: draft.id, old: old.id, score: similarity(words.get(draft.id)!, words.get(old.id)!) })))
    .sort((a, b) => b.score - a.score || a.draft.localeCompare(b.draft) || a.old.localeCompare(b.old));
  const paired = new Map<string, string>();
  const taken = new Set<string>();
  for (const pair of pairs) {
    if (paired.has(pair.draft) || taken.has(pair.old)) continue;
    paired.set(pair.draft, pair.old);
    taken.add(pair.old);
  }
  for (const pair of pairs) if (!paired.has(pair.draft)) paired.set(pair.draft, pair.old);
  return paired;
}

/**
 * For the engine, before a model step of a re-draft run: why it drafts nothing (no stale work of
 * its kind is ready to re-draft), or null when it drafts (and always outside a re-draft run).
 */
export async function redraftSkips(client: Client, run: RunScope, produces: string): Promise<string | null> {
  const lineage = await redraftLineage(client, run);
  if (!lineage) return null;
  const items = planRedraft(run.stageId, lineage, run.runId).filter((item) => item.kind === produces);
  if (items.some((item) => redraftState(item) === "ready")) return null;
  const waiting = items.filter((item) => redraftState(item) === "waiting");
  return waiting.length > 0
    ? `A re-draft: ${waiting.map((item) => `${item.ref} waits for ${item.waitingOn.map((parent) => parent.ref).join(", ")}`).join("; ")}.`
    : "A re-draft: nothing of this kind is stale, so it is left as it is.";
}

/** For a step that drafts from the sources: in a re-draft run, only the sources its stale drafts quote; null outside one. */
export async function redraftSourceIds(client: Client, run: RunScope): Promise<string[] | null> {
  const lineage = await redraftLineage(client, run);
  if (!lineage) return null;
  const items = planRedraft(run.stageId, lineage, run.runId).filter((item) => redraftState(item) === "ready");
  return [...new Set(items.flatMap((item) => item.from.filter((id) => lineage.sources.has(id))))];
}
