import { describe, expect, it } from "vitest";
import { systemActor } from "@/lib/actors";
import { recordAudit, verifyAuditChain } from "@/lib/audit/service";
import { db } from "@/lib/db";
import { databaseProvider } from "@/lib/env";
import { transact } from "@/lib/transaction";

describe("the audit trail", () => {
  it("is append-only in the database itself", async () => {
    await transact((tx) => recordAudit(tx, { actor: systemActor(), action: "test.event", subjectType: "test", subjectId: "1" }));
    const event = await db().auditEvent.findFirstOrThrow();
    await expect(db().auditEvent.update({ where: { id: event.id }, data: { reason: "rewritten" } })).rejects.toThrow();
    await expect(db().auditEvent.delete({ where: { id: event.id } })).rejects.toThrow();
  });

  it("verifies its hash chain and names the first event altered behind its back", async () => {
    // Fractions that the database's JSON prints differently from JavaScript must still verify.
    for (const [index, after] of [{ value: 1 }, { nested: { b: 2, a: [1, "x"] } }, null, { ece: 0.1 + 0.2, p: 0.02500000000000002, tiny: 1e-7 }].entries()) {
      await transact((tx) =>
        recordAudit(tx, { actor: systemActor(), action: "test.event", subjectType: "test", subjectId: String(index), after, reason: `event ${index}` }),
      );
    }
    const report = await verifyAuditChain();
    expect(report).toMatchObject({ ok: true, brokenAtId: null });
    expect(report.checked).toBeGreaterThanOrEqual(5);

    // Someone with database access switches the guard off and rewrites history.
    const victim = (await db().auditEvent.findMany({ orderBy: { id: "asc" } }))[2];
    if (databaseProvider() === "sqlite") await db().$executeRawUnsafe(`DROP TRIGGER "AuditEvent_no_update"`);
    else await db().$executeRawUnsafe(`ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_append_only"`);
    await db().auditEvent.update({ where: { id: victim.id }, data: { reason: "nothing to see here" } });

    expect(await verifyAuditChain()).toMatchObject({ ok: false, brokenAtId: victim.id });
  });
});
