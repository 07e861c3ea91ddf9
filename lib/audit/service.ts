import { z } from "zod";
import { actorLabel, type Actor, type UserActor } from "@/lib/actors";
import { assertCan } from "@/lib/access";
import { db, type Db, type Tx } from "@/lib/db";
import { execute, json, sql, type Write } from "@/lib/sql/statements";
import { chainStart, eventHash, hashedFieldsOf, toStoredJson, walkChain, type ChainBreak, type ChainHead } from "./chain";

/**
 * The audit trail. Every state change inserts an event in the same transaction as the change;
 * the id sequence orders events, and writers take no lock and read nothing. The sealer
 * (lib/audit/sealer.ts) then chains committed events by hash, and the database refuses any
 * other change or removal, so a sealed row altered, removed or reordered by hand shows up in
 * verifyAuditChain().
 */
export type AuditInput = {
  actor: Actor;
  action: string;
  subjectType: string;
  subjectId: string;
  projectId?: string | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
};

/** One plain INSERT: every change of every kind records an event, so it is the commonest write there is. */
export async function recordAudit(tx: Tx, input: AuditInput): Promise<void> {
  await execute(tx, auditEventWrite(input).statement);
}

/** The event's row, for a caller that writes it together with others (writeTogether). */
export function auditEventWrite(input: AuditInput): Write {
  const actorId = input.actor.type === "system" ? null : input.actor.userId;
  return {
    statement: sql`INSERT INTO "AuditEvent" ("at", "actorType", "actorId", "actorLabel", "action", "subjectType", "subjectId", "projectId", "before", "after", "reason")
      VALUES (${new Date()}, ${input.actor.type}, ${actorId}, ${actorLabel(input.actor)}, ${input.action}, ${input.subjectType}, ${input.subjectId},
        ${input.projectId ?? null}, ${json(toStoredJson(input.before))}, ${json(toStoredJson(input.after))}, ${input.reason ?? null})`,
  };
}

export const auditQuerySchema = z.object({
  projectId: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.coerce.number().int().min(1).optional(),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

/** Newest first. The cursor is the id of the last event of the previous page. */
export async function listAuditEvents(actor: UserActor, query: AuditQuery) {
  if (query.projectId) await assertCan(actor, "audit:read", { projectId: query.projectId });
  else await assertCan(actor, "audit:readAll", {});
  const events = await db().auditEvent.findMany({
    where: {
      ...(query.projectId ? { projectId: query.projectId } : {}),
      ...(query.cursor ? { id: { lt: query.cursor } } : {}),
    },
    orderBy: { id: "desc" },
    take: query.limit + 1,
  });
  const page = events.slice(0, query.limit);
  return {
    items: page.map((event) => ({
      id: event.id,
      at: event.at.toISOString(),
      actor: { type: event.actorType, id: event.actorId, label: event.actorLabel },
      action: event.action,
      subject: { type: event.subjectType, id: event.subjectId },
      projectId: event.projectId,
      before: event.before,
      after: event.after,
      reason: event.reason,
      hash: event.hash,
    })),
    nextCursor: events.length > query.limit ? String(page[page.length - 1].id) : null,
  };
}


export type AuditChainReport = {
  /** True when every sealed event checked is intact and the chain still reaches its last checkpoint. */
  ok: boolean;
  /** Events in the chain: its highest position. */
  sealed: number;
  /** Events recorded but not yet chained by the sealer. */
  unsealed: number;
  /** Events re-hashed by this verification (an incremental one starts at the last checkpoint). */
  checked: number;
  /** The first event found broken, and why. */
  brokenAtId: number | null;
  brokenAtPosition: number | null;
  problem: string | null;
  /** When the sealed chain was last verified, and last verified from its start. */
  verifiedAt: Date;
  fullyVerifiedAt: Date | null;
};

const CHECKPOINT_ID = "chain";
const VERIFY_BATCH = 500;

type Checkpoint = NonNullable<Awaited<ReturnType<Db["auditCheckpoint"]["findUnique"]>>>;

/** Walks sealed events after the head, batch by batch, stopping at the first break. */
async function walkSealed(client: Db, from: ChainHead, checkpoint: Checkpoint | null) {
  let head = from;
  let checked = 0;
  for (;;) {
    const batch = await client.auditEvent.findMany({
      where: { chainPosition: { gt: head.position } },
      orderBy: { chainPosition: "asc" },
      take: VERIFY_BATCH,
    });
    const walked = walkChain(head, batch);
    checked += walked.checked;
    // A chain re-hashed from an edited event on is consistent in itself, but no longer has the hash verified before.
    if (checkpoint && checkpoint.position > head.position && checkpoint.position <= walked.head.position) {
      const anchor = batch.find((event) => event.chainPosition === checkpoint.position)!;
      if (anchor.hash !== checkpoint.hash) {
        return { head, checked, broken: { id: anchor.id, position: checkpoint.position, problem: rewrittenBefore(checkpoint) } };
      }
    }
    head = walked.head;
    if (walked.broken || batch.length < VERIFY_BATCH) return { head, checked, broken: walked.broken };
  }
}

const rewrittenBefore = (checkpoint: Checkpoint) =>
  `its hash differs from the one verified on ${checkpoint.verifiedAt.toISOString()}: the chain up to it was rewritten`;

/** The checkpoint event must still be there, unchanged, for the chain after it to be worth checking. */
async function checkAnchor(client: Db, checkpoint: Checkpoint): Promise<ChainBreak | null> {
  const event = await client.auditEvent.findUnique({ where: { chainPosition: checkpoint.position } });
  const verifiedOn = checkpoint.verifiedAt.toISOString();
  if (!event) return { id: checkpoint.eventId, position: checkpoint.position, problem: `this sealed event, verified on ${verifiedOn}, is gone: events were removed` };
  if (event.hash !== checkpoint.hash) return { id: event.id, position: checkpoint.position, problem: rewrittenBefore(checkpoint) };
  if (event.prevHash === null || event.hash !== eventHash(event.prevHash, hashedFieldsOf(event))) {
    return { id: event.id, position: checkpoint.position, problem: "its contents do not match its hash: it was altered" };
  }
  return null;
}

/**
 * Verifies the sealed chain and reports what is not sealed yet. From "start" it re-hashes every
 * sealed event (the CLI); from "checkpoint" only the last verified event and those sealed since
 * (the audit page), and a break found before stays reported until a verification from the start
 * finds the chain intact. Either way a chain that no longer reaches the last verified position,
 * or reaches it with another hash, is reported broken. Records how far it got.
 */
export async function verifyAuditChain(options: { from?: "start" | "checkpoint"; client?: Db } = {}): Promise<AuditChainReport> {
  const client = options.client ?? db();
  const checkpoint = await client.auditCheckpoint.findUnique({ where: { id: CHECKPOINT_ID } });
  // With no checkpoint yet, the first verification goes through the whole chain anyway.
  const full = options.from !== "checkpoint" || !checkpoint;
  const unsealed = await client.auditEvent.count({ where: { hash: null } });
  const now = new Date();
  const report = (sealed: number, checked: number, broken: ChainBreak | null, fullyVerifiedAt: Date | null): AuditChainReport => ({
    ok: broken === null,
    sealed,
    unsealed,
    checked,
    brokenAtId: broken?.id ?? null,
    brokenAtPosition: broken?.position ?? null,
    problem: broken?.problem ?? null,
    verifiedAt: now,
    fullyVerifiedAt,
  });
  const sealedCount = async () =>
    (await client.auditEvent.findFirst({ where: { chainPosition: { not: null } }, orderBy: { chainPosition: "desc" }, select: { chainPosition: true } }))
      ?.chainPosition ?? 0;

  if (!full && checkpoint?.problem) {
    const stored = { id: checkpoint.brokenAtId, position: checkpoint.brokenAtPosition ?? 0, problem: checkpoint.problem };
    return { ...report(await sealedCount(), 0, stored, checkpoint.fullyVerifiedAt), verifiedAt: checkpoint.verifiedAt };
  }

  let start = chainStart;
  let checked = 0;
  let broken: ChainBreak | null = null;
  if (!full && checkpoint && checkpoint.position > 0) {
    broken = await checkAnchor(client, checkpoint);
    checked = 1;
    start = { position: checkpoint.position, hash: checkpoint.hash };
  }
  let head = start;
  if (!broken) {
    const walked = await walkSealed(client, start, full ? checkpoint : null);
    ({ head, broken } = walked);
    checked += walked.checked;
  }
  if (!broken && checkpoint && head.position < checkpoint.position) {
    broken = {
      id: checkpoint.eventId,
      position: checkpoint.position,
      problem: `the chain ends at position ${head.position}, but position ${checkpoint.position} was verified on ${checkpoint.verifiedAt.toISOString()}: events were removed from its end`,
    };
  }
  const fullyVerifiedAt = full ? now : (checkpoint?.fullyVerifiedAt ?? null);
  await saveCheckpoint(client, checkpoint, head, broken, now, full);
  return report(broken ? await sealedCount() : head.position, checked, broken, fullyVerifiedAt);
}

/** Moves the checkpoint forward (never back: a concurrent verification may have gone further), or records a break. */
async function saveCheckpoint(client: Db, checkpoint: Checkpoint | null, head: ChainHead, broken: ChainBreak | null, now: Date, full: boolean): Promise<void> {
  const fullyVerifiedAt = full && !broken ? now : undefined;
  if (broken) {
    const data = { verifiedAt: now, brokenAtId: broken.id, brokenAtPosition: broken.position, problem: broken.problem };
    await client.auditCheckpoint.upsert({
      where: { id: CHECKPOINT_ID },
      create: { id: CHECKPOINT_ID, position: chainStart.position, hash: chainStart.hash, ...data },
      update: data,
    });
    return;
  }
  if (!full && checkpoint && head.position === checkpoint.position) return;
  const eventId = head.position > 0 ? (await client.auditEvent.findUnique({ where: { chainPosition: head.position }, select: { id: true } }))?.id ?? null : null;
  const data = { position: head.position, eventId, hash: head.hash, verifiedAt: now, fullyVerifiedAt, brokenAtId: null, brokenAtPosition: null, problem: null };
  if (!checkpoint) {
    await client.auditCheckpoint.create({ data: { id: CHECKPOINT_ID, ...data } }).catch(async () => {
      // Another verification created it first: move it forward like any later one.
      await client.auditCheckpoint.updateMany({ where: { id: CHECKPOINT_ID, position: { lte: head.position } }, data });
    });
    return;
  }
  await client.auditCheckpoint.updateMany({ where: { id: CHECKPOINT_ID, position: { lte: head.position } }, data });
}
