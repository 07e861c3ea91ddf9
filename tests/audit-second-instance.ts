/**
 * A second app instance for tests/audit-sealing.test.ts, in its own process as a real one would
 * be (two SQLite connections in one process would block each other's event loop). It loads
 * everything, says "ready", waits for "go" on stdin, then records events or runs the sealer on
 * the database DATABASE_URL names, and prints what it did as JSON.
 */
import { once } from "node:events";
import { systemActor } from "@/lib/actors";
import { sealAuditEvents } from "@/lib/audit/sealer";
import { recordAudit } from "@/lib/audit/service";
import { disconnectDb } from "@/lib/db";
import { transact } from "@/lib/transaction";

async function main(command: string | undefined, count: number): Promise<unknown> {
  console.log("ready");
  await once(process.stdin, "data");
  if (command === "seal") return sealAuditEvents();
  if (command === "record") {
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        transact((tx) => recordAudit(tx, { actor: systemActor("second-instance"), action: "test.event", subjectType: "test", subjectId: `second-${i}` })),
      ),
    );
    return { recorded: count };
  }
  throw new Error(`Unknown command ${command}: use "seal" or "record <count>".`);
}

main(process.argv[2], Number(process.argv[3] ?? 0))
  .then(async (result) => {
    console.log(JSON.stringify(result));
    await disconnectDb();
    process.exit(0);
  })
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
