import { contentDiff, contentText, type FieldDiff } from "@/lib/artifacts/content-diff";
import { pairReplacements, quotedSourceIds, replacementRecords } from "@/lib/artifacts/redraft";
import { db } from "@/lib/db";
import { kindDefinition, parseContent } from "@/lib/kinds/registry";

/**
 * Where a draft in the queue comes from, for the reviewer: the upstream artifacts it was drafted
 * from (reference, kind and one line each, through the kind registry), whether it went stale, and
 * for a re-draft the stale artifact it replaces with what changed, word by word. Read for one
 * page of the queue in a handful of queries.
 */
export type ParentView = { id: string; ref: string; kind: string; label: string; summary: string };
export type ReplacedView = { id: string; ref: string; version: number; status: string; staleReason: string | null; changes: FieldDiff[] };
export type DraftLineage = {
  parents: ParentView[];
  stale: boolean;
  staleReason: string | null;
  /** the stale artifacts this re-draft replaces, each with what changed from its current (approved) content */
  replaces: ReplacedView[];
  /** references by id of the artifacts the content names (a test case's story), so nobody reads a raw id */
  references: Record<string, string>;
};

const none: DraftLineage = { parents: [], stale: false, staleReason: null, replaces: [], references: {} };

/** The ids a content holds in its kind's reference fields. */
function referencedIds(kind: string, content: unknown): string[] {
  const values = (content ?? {}) as Record<string, unknown>;
  return kindDefinition(kind).fields.flatMap((field) => {
    const value = values[field.key];
    if (field.type === "reference") return typeof value === "string" ? [value] : [];
    if (field.type === "references") return Array.isArray(value) ? value.filter((id): id is string => typeof id === "string") : [];
    return [];
  });
}

function summaryOf(kind: string, content: unknown): string {
  const parsed = parseContent(kind, content);
  return parsed.success ? kindDefinition(kind).summary(parsed.data) : "";
}

type Draft = { artifactId: string | null; kind: string; content: unknown };

/** The lineage of each draft of a page, by artifact id. */
export async function draftLineage(drafts: readonly Draft[]): Promise<Map<string, DraftLineage>> {
  const ids = drafts.flatMap((draft) => (draft.artifactId ? [draft.artifactId] : []));
  if (ids.length === 0) return new Map();
  const artifacts = await db().artifact.findMany({
    where: { id: { in: ids } },
    select: { id: true, kind: true, stageId: true, runId: true, stale: true, staleReason: true, derivedFrom: { select: { parentId: true } } },
  });
  const contentOf = new Map(drafts.flatMap((draft) => (draft.artifactId ? [[draft.artifactId, draft.content] as const] : [])));
  const replacedBy = await replacements(artifacts);
  const replaced = await currentVersions([...new Set([...replacedBy.values()])]);
  const parentIds = new Set(artifacts.flatMap((artifact) => artifact.derivedFrom.map((link) => link.parentId)));
  const named = new Set([
    ...parentIds,
    ...drafts.flatMap((draft) => (draft.artifactId ? referencedIds(draft.kind, draft.content) : [])),
    ...[...replaced.values()].flatMap((old) => referencedIds(old.kind, old.content)),
  ]);
  const upstream = await currentVersions([...named]);
  const references = new Map([...upstream.values(), ...replaced.values()].map((artifact) => [artifact.id, artifact.ref]));

  return new Map(
    artifacts.map((artifact) => {
      const content = contentOf.get(artifact.id);
      const refs = Object.fromEntries([...named].flatMap((id) => (references.has(id) ? [[id, references.get(id)!] as const] : [])));
      return [
        artifact.id,
        {
          parents: artifact.derivedFrom.flatMap(({ parentId }) => {
            const parent = upstream.get(parentId);
            return parent ? [{ id: parent.id, ref: parent.ref, kind: parent.kind, label: kindDefinition(parent.kind).label, summary: summaryOf(parent.kind, parent.content) }] : [];
          }),
          stale: artifact.stale,
          staleReason: artifact.staleReason,
          replaces: [replacedBy.get(artifact.id)].flatMap((id) => {
            const old = id ? replaced.get(id) : undefined;
            if (!id || !old) return [];
            return [{ id, ref: old.ref, version: old.version, status: old.status, staleReason: old.staleReason, changes: contentDiff(kindDefinition(artifact.kind).fields, old.content, content, refs) }];
          }),
          references: refs,
        },
      ];
    }),
  );
}

/**
 * The stale artifact each draft replaces, for drafts of a re-draft run: paired among all the
 * drafts of its run and kind (lib/artifacts/redraft.ts pairReplacements), so a page of the queue
 * names the same pairs as any other page.
 */
async function replacements(artifacts: { id: string; kind: string; stageId: string; runId: string }[]): Promise<Map<string, string>> {
  const records = (await replacementRecords(db(), [...new Set(artifacts.map((artifact) => artifact.stageId))])).filter((record) =>
    artifacts.some((artifact) => artifact.runId === record.runId && artifact.kind === record.kind),
  );
  if (records.length === 0) return new Map();
  const siblings = await db().artifact.findMany({
    where: { OR: records.map((record) => ({ runId: record.runId, kind: record.kind })) },
    select: { id: true, kind: true, runId: true, currentVersion: true, derivedFrom: { select: { parentId: true } }, versions: { select: { version: true, content: true } } },
  });
  const old = await currentVersions(records.flatMap((record) => record.replaced.map((entry) => entry.id)));
  const paired = new Map<string, string>();
  for (const record of records) {
    const fields = kindDefinition(record.kind).fields;
    const drafts = siblings
      .filter((sibling) => sibling.runId === record.runId && sibling.kind === record.kind)
      .map((sibling) => {
        const content = sibling.versions.find((version) => version.version === sibling.currentVersion)?.content;
        return { id: sibling.id, basis: [...sibling.derivedFrom.map((link) => link.parentId), ...quotedSourceIds(sibling.kind, content)], text: contentText(fields, content) };
      });
    const entries = record.replaced.map((entry) => ({ id: entry.id, from: entry.from, text: contentText(fields, old.get(entry.id)?.content) }));
    for (const [draft, replaced] of pairReplacements(drafts, entries)) paired.set(draft, replaced);
  }
  return paired;
}

/** Artifacts with the content of their current version. */
async function currentVersions(ids: string[]) {
  if (ids.length === 0) return new Map<string, never>();
  const artifacts = await db().artifact.findMany({
    where: { id: { in: ids } },
    select: { id: true, ref: true, kind: true, status: true, staleReason: true, currentVersion: true },
  });
  const versions = await db().artifactVersion.findMany({
    where: { OR: artifacts.map((artifact) => ({ artifactId: artifact.id, version: artifact.currentVersion })) },
    select: { artifactId: true, content: true },
  });
  const contents = new Map(versions.map((version) => [version.artifactId, version.content]));
  return new Map(
    artifacts.map(({ currentVersion, ...artifact }) => [artifact.id, { ...artifact, version: currentVersion, content: contents.get(artifact.id) as unknown }]),
  );
}

/** A page of the queue with each draft's lineage (a conflict has none). */
export async function withLineage<Page extends { items: Draft[] }>(page: Page): Promise<Omit<Page, "items"> & { items: (Page["items"][number] & DraftLineage)[] }> {
  const lineage = await draftLineage(page.items);
  return { ...page, items: page.items.map((item) => ({ ...item, ...((item.artifactId && lineage.get(item.artifactId)) || none) })) };
}
