import { createHash } from "node:crypto";
import { z } from "zod";
import type { ActorType } from "@/lib/generated/sqlite/enums";
import { actorLabel, type Actor, type UserActor } from "@/lib/actors";
import { assertCan } from "@/lib/access";
import { db, type Tx } from "@/lib/db";
import { databaseProvider } from "@/lib/env";
import { canonicalJson } from "./canonical-json";

/**
 * The audit trail. Every state change appends an event in the same transaction as the change.
 * Rows are append-only in the database, and each carries the hash of its predecessor, so a
 * row altered or removed by hand shows up as a broken chain in verifyAuditChain().
 */
export const GENESIS_HASH = "genesis";

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

type HashedFields = {
  at: Date;
  actorType: ActorType;
  actorId: string | null;
  actorLabel: string;
  action: string;
  subjectType: string;
  subjectId: string;
  projectId: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
};

export function eventHash(prevHash: string, fields: HashedFields): string {
  return createHash("sha256")
    .update(prevHash)
    .update(canonicalJson({ ...fields, at: fields.at.toISOString() }))
    .digest("hex");
}

/**
 * Plain JSON (dates as ISO strings), so what is hashed is exactly what is stored. Fractions are
 * cut to 12 significant digits: SQLite's JSON prints doubles its own way (0.02500000000000002
 * comes back as 0.025000000000000022), and a number must read back to the one that was hashed.
 */
function toJson(value: unknown): unknown {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value, (_key, item: unknown) => (typeof item === "number" && !Number.isInteger(item) ? Number(item.toPrecision(12)) : item)));
}

export async function recordAudit(tx: Tx, input: AuditInput): Promise<void> {
  if (databaseProvider() === "postgresql") {
    // Serialises appenders across instances so the chain never forks.
    await tx.$executeRawUnsafe("SELECT pg_advisory_xact_lock(hashtext('countersign_audit'))");
  }
  const last = await tx.auditEvent.findFirst({ orderBy: { id: "desc" }, select: { hash: true } });
  const prevHash = last?.hash ?? GENESIS_HASH;
  const fields: HashedFields = {
    at: new Date(),
    actorType: input.actor.type,
    actorId: input.actor.type === "system" ? null : input.actor.userId,
    actorLabel: actorLabel(input.actor),
    action: input.action,
    subjectType: input.subjectType,
    subjectId: input.subjectId,
    projectId: input.projectId ?? null,
    before: toJson(input.before),
    after: toJson(input.after),
    reason: input.reason ?? null,
  };
  await tx.auditEvent.create({
    data: {
      ...fields,
      before: fields.before ?? undefined,
      after: fields.after ?? undefined,
      prevHash,
      hash: eventHash(prevHash, fields),
    },
  });
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

export type AuditChainReport = { ok: boolean; checked: number; brokenAtId: number | null };

/** Recomputes every hash in order; the first mismatch names where the trail was tampered with. */
export async function verifyAuditChain(): Promise<AuditChainReport> {
  let prevHash = GENESIS_HASH;
  let checked = 0;
  let cursor = 0;
  for (;;) {
    const batch = await db().auditEvent.findMany({ where: { id: { gt: cursor } }, orderBy: { id: "asc" }, take: 500 });
    if (batch.length === 0) return { ok: true, checked, brokenAtId: null };
    for (const event of batch) {
      const { id, prevHash: storedPrev, hash, ...fields } = event;
      const expected = eventHash(prevHash, { ...fields, before: fields.before ?? null, after: fields.after ?? null });
      if (storedPrev !== prevHash || hash !== expected) return { ok: false, checked, brokenAtId: id };
      prevHash = hash;
      checked += 1;
      cursor = id;
    }
  }
}
