import { draftingRunStatuses } from "@/lib/pipeline/schema";
import { createHash } from "node:crypto";
import type { StageKey, StageStatus } from "@/lib/generated/sqlite/enums";
import type { UserActor } from "@/lib/actors";
import { assertCan } from "@/lib/access";
import { propagateChange, reopenStage } from "@/lib/artifacts/propagation";
import { quotedSourceIds, quotingKinds } from "@/lib/artifacts/redraft";
import { recordAudit } from "@/lib/audit/service";
import { db, type Tx } from "@/lib/db";
import type { SourceKind } from "@/lib/requirements/schema";
import { join, selectRows, sql } from "@/lib/sql/statements";
import { conflict, invalid, notFound } from "@/lib/errors";
import { artifactKinds, kindDefinition } from "@/lib/kinds/registry";
import { stageLabels } from "@/lib/stages/stages";
import { transact } from "@/lib/transaction";
import { createSourceSchema, MAX_UPLOAD_BYTES, updateSourceSchema, uploadExtensions, uploadExtensionsText, type CreateSourceInput, type UpdateSourceInput } from "./schema";

export async function addSource(actor: UserActor, projectId: string, input: CreateSourceInput) {
  const data = createSourceSchema.parse(input);
  await assertCan(actor, "sources:write", { projectId });
  return transact(async (tx) => {
    const source = await tx.source.create({
      data: { projectId, title: data.title, kind: data.kind, text: data.text.replace(/\r\n?/g, "\n"), createdById: actor.userId },
    });
    await recordAudit(tx, {
      actor,
      action: "source.added",
      subjectType: "source",
      subjectId: source.id,
      projectId,
      after: { title: source.title, kind: source.kind, characters: source.text.length },
    });
    return source;
  });
}

/** Reads an uploaded .md, .txt, .csv or .tsv file as UTF-8 text, refusing anything else with a clear message. */
export async function textFromUpload(file: File): Promise<{ title: string; text: string }> {
  const name = file.name || "upload";
  const extension = name.slice(name.lastIndexOf(".")).toLowerCase();
  if (!(uploadExtensions as readonly string[]).includes(extension)) {
    throw invalid(`Only ${uploadExtensionsText} files can be uploaded; ${name} is not one.`);
  }
  if (file.size > MAX_UPLOAD_BYTES) throw invalid(`${name} is larger than ${MAX_UPLOAD_BYTES / 1_000_000} MB.`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer());
  } catch {
    throw invalid(`${name} is not UTF-8 text.`);
  }
  if (text.includes("\u0000")) throw invalid(`${name} looks like a binary file, not text.`);
  return { title: name.slice(0, -extension.length), text };
}

export async function listSources(actor: UserActor, projectId: string) {
  await assertCan(actor, "projects:read", { projectId });
  return db().source.findMany({ where: { projectId }, orderBy: { createdAt: "asc" } });
}

/**
 * The project's sources as its page lists them: without their texts, which can be megabytes each
 * (a text is loaded when someone opens its source: sourceText).
 */
export async function listSourceSummaries(actor: UserActor, projectId: string) {
  await assertCan(actor, "projects:read", { projectId });
  const rows = await selectRows<{ id: string; title: string; kind: SourceKind; createdAt: Date; characters: number | bigint }>(
    db(),
    sql`SELECT "id", "title", "kind", "createdAt", LENGTH("text") AS "characters" FROM "Source" WHERE "projectId" = ${projectId} ORDER BY "createdAt", "id"`,
  );
  return rows.map((row) => ({ ...row, characters: Number(row.characters) }));
}
export type SourceSummary = Awaited<ReturnType<typeof listSourceSummaries>>[number];

/** One source's whole text. */
export async function sourceText(actor: UserActor, projectId: string, sourceId: string): Promise<string> {
  await assertCan(actor, "projects:read", { projectId });
  return (await loadSource(db(), projectId, sourceId)).text;
}

/**
 * Changing a source. Drafts quote sources word for word, so a change reaches them: before the
 * stage that read the sources was ever signed off, the owner simply runs it again (the response
 * names the drafts quoting the source); after, the drafts quoting it turn stale with everything
 * built on them, and the stages holding that work reopen (lib/artifacts/propagation.ts). Nothing
 * changes while a run is drafting from the sources.
 */
type Ref = { id: string; ref: string };
export type SourceChange = { quotedBy: Ref[]; stale: Ref[]; reopenedStages: StageKey[] };

/** The stages whose drafts quote sources: the kinds with quote fields say which (no stage is named here). */
const readingStages = (): StageKey[] => [...new Set(quotingKinds(artifactKinds).map((kind) => kindDefinition(kind).stage))];

async function loadSource(tx: Tx, projectId: string, sourceId: string) {
  const source = await tx.source.findUnique({ where: { id: sourceId } });
  if (!source || source.projectId !== projectId) throw notFound("The source");
  return source;
}

async function assertNotDrafting(tx: Tx, projectId: string) {
  const drafting = await tx.run.findFirst({
    where: { projectId, status: { in: [...draftingRunStatuses] }, stage: { key: { in: readingStages() } } },
    select: { id: true, stage: { select: { key: true } } },
  });
  if (drafting) {
    throw conflict(`A run of the ${stageLabels[drafting.stage.key]} stage is drafting from the sources. Change them once it has finished.`, { runId: drafting.id });
  }
}

type Client = Tx | ReturnType<typeof db>;

/** The live drafts whose current version quotes a source, with their stage; one statement, reading only current versions. */
async function quotingDrafts(client: Client, projectId: string) {
  type Row = { id: string; ref: string; kind: string; currentVersion: number; stageId: string; stageKey: StageKey; stageStatus: StageStatus; ownerId: string | null; content: unknown };
  const rows = await selectRows<Row>(
    client,
    sql`SELECT a."id", a."ref", a."kind", a."currentVersion", a."stageId", s."key" AS "stageKey", s."status" AS "stageStatus", s."ownerId", v."content"
      FROM "Artifact" a
      JOIN "Stage" s ON s."id" = a."stageId"
      JOIN "ArtifactVersion" v ON v."artifactId" = a."id" AND v."version" = a."currentVersion"
      WHERE a."projectId" = ${projectId} AND a."kind" IN (${join(quotingKinds(artifactKinds))}) AND a."status" NOT IN ('superseded', 'rejected')
      ORDER BY a."createdAt", a."id"`,
  );
  return rows.map(({ stageKey, stageStatus, ownerId, content, ...artifact }) => ({
    ...artifact,
    stage: { key: stageKey, status: stageStatus, ownerId },
    quotes: quotedSourceIds(artifact.kind, content),
  }));
}

async function draftsQuoting(client: Client, projectId: string, sourceId: string) {
  return (await quotingDrafts(client, projectId)).filter((artifact) => artifact.quotes.includes(sourceId));
}

/** Whether the stages that read the sources were ever signed off: work downstream may rest on what the sources said. */
async function readBySignedOffWork(client: Client, projectId: string): Promise<boolean> {
  return (await client.signOff.count({ where: { stage: { projectId, key: { in: readingStages() } } } })) > 0;
}

const digest = (text: string) => createHash("sha256").update(text).digest("hex");
const described = (source: { title: string; kind: string; text: string }) => ({ title: source.title, kind: source.kind, characters: source.text.length, sha256: digest(source.text) });

export async function updateSource(actor: UserActor, projectId: string, sourceId: string, input: UpdateSourceInput) {
  const data = updateSourceSchema.parse(input);
  await assertCan(actor, "sources:write", { projectId });
  return transact(async (tx) => {
    const source = await loadSource(tx, projectId, sourceId);
    await assertNotDrafting(tx, projectId);
    const next = { title: data.title ?? source.title, kind: data.kind ?? source.kind, text: data.text?.replace(/\r\n?/g, "\n") ?? source.text };
    if (next.title === source.title && next.kind === source.kind && next.text === source.text) throw invalid(`The edit changes nothing in “${source.title}”.`);
    const updated = await tx.source.update({ where: { id: source.id }, data: next });
    const reason = data.comment || `the source “${source.title}” was edited`;
    await recordAudit(tx, { actor, action: "source.edited", subjectType: "source", subjectId: source.id, projectId, before: described(source), after: described(updated), reason });
    const quoting = await draftsQuoting(tx, projectId, source.id);
    const quotedBy = quoting.map(({ id, ref }) => ({ id, ref }));
    // Only the text is quoted; a new title or kind leaves every quote as it was.
    if (next.text === source.text || quoting.length === 0 || !(await readBySignedOffWork(tx, projectId))) {
      return { source: updated, quotedBy, stale: [], reopenedStages: [] as StageKey[] };
    }
    const why = `“${updated.title}” changed: ${reason}`;
    await tx.artifact.updateMany({ where: { id: { in: quoting.map((artifact) => artifact.id) } }, data: { stale: true, staleReason: why } });
    const reopened: StageKey[] = [];
    for (const [stageId, stage] of new Map(quoting.map((artifact) => [artifact.stageId, artifact.stage]))) {
      const refs = quoting.filter((artifact) => artifact.stageId === stageId).map((artifact) => artifact.ref);
      await recordAudit(tx, { actor, action: "artifacts.stale", subjectType: "stage", subjectId: stageId, projectId, after: { refs }, reason: why });
      if (stage.status !== "signed_off") continue;
      await reopenStage(tx, { projectId, stageId, stage, actor, reason: `${refs.join(", ")} quote “${updated.title}”, which changed: ${reason}` });
      reopened.push(stage.key);
    }
    const propagated = await propagateChange(tx, { projectId, changedIds: quoting.map((artifact) => artifact.id), reason: why, actor });
    return {
      source: updated,
      quotedBy,
      stale: [...quotedBy, ...propagated.stale],
      reopenedStages: [...new Set([...reopened, ...propagated.reopenedStages])],
    };
  });
}

/** Removes a source; refused while signed-off work quotes it (edit it instead, and what quotes it is re-drafted). */
export async function removeSource(actor: UserActor, projectId: string, sourceId: string): Promise<{ id: string; quotedBy: Ref[] }> {
  await assertCan(actor, "sources:write", { projectId });
  return transact(async (tx) => {
    const source = await loadSource(tx, projectId, sourceId);
    await assertNotDrafting(tx, projectId);
    const quotedBy = (await draftsQuoting(tx, projectId, source.id)).map(({ id, ref }) => ({ id, ref }));
    if (quotedBy.length > 0 && (await readBySignedOffWork(tx, projectId))) {
      throw conflict(
        `${quotedBy.map((artifact) => artifact.ref).join(", ")} quote “${source.title}” in work that was signed off, so it cannot be removed. Edit it instead: what quotes it turns stale and is re-drafted.`,
        { quotedBy },
      );
    }
    await tx.source.delete({ where: { id: source.id } });
    await recordAudit(tx, { actor, action: "source.removed", subjectType: "source", subjectId: source.id, projectId, before: described(source) });
    return { id: source.id, quotedBy };
  });
}

/**
 * For the sources list: the current drafts quoting each source, and whether the stage that read
 * the sources was ever signed off (then an edit makes those drafts stale, and removal is refused).
 */
export async function sourceUsage(actor: UserActor, projectId: string): Promise<{ signedOff: boolean; quotedBy: Record<string, string[]> }> {
  await assertCan(actor, "projects:read", { projectId });
  const [drafts, signedOff] = await Promise.all([quotingDrafts(db(), projectId), readBySignedOffWork(db(), projectId)]);
  const quotedBy: Record<string, string[]> = {};
  for (const draft of drafts) for (const sourceId of new Set(draft.quotes)) quotedBy[sourceId] = [...(quotedBy[sourceId] ?? []), draft.ref];
  return { signedOff, quotedBy };
}
