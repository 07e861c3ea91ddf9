import { describe, expect, it } from "vitest";
import { systemActor } from "@/lib/actors";
import { sealAuditEvents } from "@/lib/audit/sealer";
import { recordAudit, verifyAuditChain } from "@/lib/audit/service";
import { db } from "@/lib/db";
import { databaseProvider } from "@/lib/env";
import { transact } from "@/lib/transaction";

const record = (index: number, after: unknown = { value: index }) =>
  transact((tx) => recordAudit(tx, { actor: systemActor(), action: "test.event", subjectType: "test", subjectId: String(index), after, reason: `event ${index}` }));

/** Someone with database access switches the guard off, changes history, and puts the guard back. */
async function behindTheGuard(work: () => Promise<unknown>): Promise<void> {
  if (databaseProvider() === "sqlite") {
    const triggers = await db().$queryRawUnsafe<{ name: string; sql: string }[]>(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'AuditEvent'`);
    for (const trigger of triggers) await db().$executeRawUnsafe(`DROP TRIGGER "${trigger.name}"`);
    try {
      await work();
    } finally {
      for (const trigger of triggers) await db().$executeRawUnsafe(trigger.sql);
    }
    return;
  }
  await db().$executeRawUnsafe(`ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_append_only"`);
  try {
    await work();
  } finally {
    await db().$executeRawUnsafe(`ALTER TABLE "AuditEvent" ENABLE TRIGGER "AuditEvent_append_only"`);
  }
}

const sealedInOrder = () => db().auditEvent.findMany({ where: { chainPosition: { not: null } }, orderBy: { chainPosition: "asc" } });

describe("the audit trail", () => {
  it("is append-only in the database itself: sealing an unsealed event once is the only change allowed", async () => {
    await record(0);
    const event = await db().auditEvent.findFirstOrThrow();
    expect(event).toMatchObject({ chainPosition: null, prevHash: null, hash: null });
    await expect(db().auditEvent.update({ where: { id: event.id }, data: { reason: "rewritten" } })).rejects.toThrow();
    // Sealing with a changed content, or only half the seal, is refused too.
    await expect(db().auditEvent.update({ where: { id: event.id }, data: { reason: "rewritten", chainPosition: 1, prevHash: "genesis", hash: "x" } })).rejects.toThrow();
    await expect(db().auditEvent.update({ where: { id: event.id }, data: { hash: "x" } })).rejects.toThrow();
    await expect(db().auditEvent.delete({ where: { id: event.id } })).rejects.toThrow();
    // Nobody inserts an event already sealed.
    await expect(
      db().auditEvent.create({ data: { actorType: "system", actorLabel: "x", action: "forged", subjectType: "test", subjectId: "x", chainPosition: 99, prevHash: "a", hash: "b" } }),
    ).rejects.toThrow();

    await sealAuditEvents();
    const sealed = await db().auditEvent.findUniqueOrThrow({ where: { id: event.id } });
    expect(sealed).toMatchObject({ chainPosition: 1, prevHash: "genesis", reason: "event 0" });
    await expect(db().auditEvent.update({ where: { id: event.id }, data: { hash: "f".repeat(64) } })).rejects.toThrow();
    await expect(db().auditEvent.update({ where: { id: event.id }, data: { chainPosition: 7 } })).rejects.toThrow();
    await expect(db().auditEvent.delete({ where: { id: event.id } })).rejects.toThrow();
  });

  it("verifies its hash chain and names the first event altered behind its back", async () => {
    // Fractions that the database's JSON prints differently from JavaScript must still verify.
    for (const [index, after] of [{ value: 1 }, { nested: { b: 2, a: [1, "x"] } }, null, { ece: 0.1 + 0.2, p: 0.02500000000000002, tiny: 1e-7 }].entries()) {
      await record(index + 1, after);
    }
    await sealAuditEvents();
    const report = await verifyAuditChain();
    expect(report).toMatchObject({ ok: true, brokenAtId: null, unsealed: 0 });
    expect(report.sealed).toBe(5);
    expect(report.checked).toBe(5);

    const victim = (await sealedInOrder())[2];
    await behindTheGuard(() => db().auditEvent.update({ where: { id: victim.id }, data: { reason: "nothing to see here" } }));
    expect(await verifyAuditChain()).toMatchObject({ ok: false, brokenAtId: victim.id, brokenAtPosition: 3, problem: expect.stringMatching(/altered/) });
    // The audit page's incremental check keeps reporting it without re-hashing anything.
    expect(await verifyAuditChain({ from: "checkpoint" })).toMatchObject({ ok: false, brokenAtId: victim.id, checked: 0 });

    await behindTheGuard(() => db().auditEvent.update({ where: { id: victim.id }, data: { reason: victim.reason } }));
    expect(await verifyAuditChain()).toMatchObject({ ok: true, sealed: 5 });
    expect(await verifyAuditChain({ from: "checkpoint" })).toMatchObject({ ok: true, sealed: 5 });
  });

  it("names the event where sealed events were reordered, removed or re-chained", async () => {
    const events = await sealedInOrder();
    const [second, third] = [events[1], events[2]];

    // Reordered: two events swap places in the chain.
    const place = (positions: [number, number]) =>
      behindTheGuard(async () => {
        await db().auditEvent.update({ where: { id: second.id }, data: { chainPosition: -1 } });
        await db().auditEvent.update({ where: { id: third.id }, data: { chainPosition: positions[1] } });
        await db().auditEvent.update({ where: { id: second.id }, data: { chainPosition: positions[0] } });
      });
    await place([3, 2]);
    expect(await verifyAuditChain()).toMatchObject({ ok: false, brokenAtId: third.id, brokenAtPosition: 2 });
    await place([2, 3]);
    expect(await verifyAuditChain()).toMatchObject({ ok: true });

    // Removed from the middle: the event after the gap is named.
    const { id: _id, ...thirdContents } = third;
    await behindTheGuard(() => db().auditEvent.delete({ where: { id: third.id } }));
    expect(await verifyAuditChain()).toMatchObject({ ok: false, brokenAtId: events[3].id, brokenAtPosition: 4, problem: expect.stringMatching(/position 3 is missing/) });
    await behindTheGuard(() => db().auditEvent.create({ data: { id: third.id, ...thirdContents, before: third.before ?? undefined, after: third.after ?? undefined } }));
    expect(await verifyAuditChain()).toMatchObject({ ok: true });

    // Removed from the end: the chain no longer reaches the position verified last time.
    const last = events[events.length - 1];
    const { id: _lastId, ...lastContents } = last;
    await behindTheGuard(() => db().auditEvent.delete({ where: { id: last.id } }));
    expect(await verifyAuditChain({ from: "checkpoint" })).toMatchObject({ ok: false, brokenAtId: last.id, problem: expect.stringMatching(/is gone/) });
    expect(await verifyAuditChain()).toMatchObject({ ok: false, brokenAtId: last.id, problem: expect.stringMatching(/removed from its end/) });
    await behindTheGuard(() => db().auditEvent.create({ data: { id: last.id, ...lastContents, before: last.before ?? undefined, after: last.after ?? undefined } }));
    expect(await verifyAuditChain()).toMatchObject({ ok: true });

    // Re-chained: an event is altered and every hash after it recomputed, so the chain is
    // consistent in itself, but the last verified event no longer has the hash it had.
    await behindTheGuard(async () => {
      await db().auditEvent.updateMany({ where: { chainPosition: { gte: 2 } }, data: { chainPosition: null, prevHash: null, hash: null } });
      await db().auditEvent.update({ where: { id: second.id }, data: { reason: "quietly changed" } });
    });
    await sealAuditEvents();
    expect(await verifyAuditChain()).toMatchObject({ ok: false, brokenAtId: last.id, problem: expect.stringMatching(/rewritten/) });
  });
});
