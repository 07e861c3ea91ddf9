/**
 * Operator commands. `npm run cli -- tokens create --email <email> [--name <name>]` prints the
 * new token alone on the last line, for automation.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";

const usage = `Usage:
  npm run cli -- users create --email <email> --name <name> [--admin] [--password <password>]
                                   (the first admin of a deployment started with DEMO=0; without
                                    --password one is generated and printed)
  npm run cli -- tokens create --email <email> [--name <name>]
  npm run cli -- audit verify      (seals recent events, then re-hashes the whole chain: sealed,
                                    unsealed and the first broken event)
  npm run cli -- worker            (a separate run worker process)
  npm run cli -- backup <file>     (a consistent copy of the SQLite database, taken while it runs)
  npm run cli -- restore <file>    (replaces the SQLite database with a backup; stop the server first)`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      email: { type: "string" },
      name: { type: "string" },
      password: { type: "string" },
      admin: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [group, command] = positionals;
  if (values.help || !group) {
    console.log(usage);
    return values.help ? 0 : 2;
  }
  // Before migrate(): a backup only reads, and a restore must find the database closed.
  if (group === "backup" || group === "restore") return backupOrRestore(group, command);
  const { migrate } = await import("@/lib/migrations");
  await migrate();
  const { disconnectDb } = await import("@/lib/db");
  try {
    if (group === "users" && command === "create") {
      if (!values.email || !values.name) {
        console.error("users create needs --email <email> and --name <name>");
        return 2;
      }
      const { insertUser } = await import("@/lib/users/service");
      const { systemActor } = await import("@/lib/actors");
      const password = values.password ?? randomBytes(12).toString("base64url");
      const user = await insertUser(systemActor("cli"), { email: values.email, name: values.name, password, role: values.admin ? "admin" : "member" });
      console.log(`Created ${user.role} ${user.email}.`);
      if (!values.password) console.log(`Password (shown only this once): ${password}`);
      return 0;
    }
    if (group === "tokens" && command === "create") {
      if (!values.email) {
        console.error("tokens create needs --email <email>");
        return 2;
      }
      const { createTokenForEmail } = await import("@/lib/tokens/service");
      const { systemActor } = await import("@/lib/actors");
      const token = await createTokenForEmail(systemActor("cli"), values.email, values.name ?? "CLI token");
      console.log(`Created token "${token.name}" for ${values.email}. It is shown only once:`);
      console.log(token.secret);
      return 0;
    }
    if (group === "audit" && command === "verify") return verifyAudit();
    if (group === "worker") {
      const { startWorker } = await import("@/lib/pipeline/worker");
      const worker = startWorker();
      await worker.ready;
      console.log("Worker started; Ctrl-C to stop.");
      await new Promise<void>((resolve) => {
        for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => resolve());
      });
      await worker.stop();
      return 0;
    }
    console.error(usage);
    return 2;
  } finally {
    await disconnectDb();
  }
}

async function backupOrRestore(group: "backup" | "restore", file: string | undefined): Promise<number> {
  if (!file) {
    console.error(`${group} needs a file: npm run cli -- ${group} <file>`);
    return 2;
  }
  const { databaseProvider } = await import("@/lib/env");
  const { backupDatabase, postgresInstructions, restoreDatabase } = await import("@/lib/ops/backup");
  if (databaseProvider() === "postgresql") {
    console.error(postgresInstructions);
    return 1;
  }
  if (group === "backup") {
    const report = await backupDatabase(file);
    console.log(`Backed up to ${report.file} (${report.bytes} bytes, ${report.migrations} migrations).`);
    return 0;
  }
  const report = await restoreDatabase(file);
  console.log(`Restored ${report.file} from ${file}${report.replaced ? `; the database it replaced is kept as ${report.replaced}` : ""}.`);
  // A backup from an older version gets the migrations it lacks; then the audit chain is checked.
  const { migrate } = await import("@/lib/migrations");
  const applied = await migrate();
  if (applied.length > 0) console.log(`Applied migrations: ${applied.join(", ")}`);
  const { disconnectDb } = await import("@/lib/db");
  try {
    return await verifyAudit();
  } finally {
    await disconnectDb();
  }
}

/** Seals what was recorded so far, then re-hashes the whole sealed chain; exit code 1 when it is broken. */
async function verifyAudit(): Promise<number> {
  const { sealAuditEvents } = await import("@/lib/audit/sealer");
  const { verifyAuditChain } = await import("@/lib/audit/service");
  const { sealed } = await sealAuditEvents();
  const report = await verifyAuditChain();
  if (sealed > 0) console.log(`Sealed ${sealed} events recorded since the sealer last ran.`);
  if (report.ok) console.log(`Audit trail intact: ${report.checked} events verified.`);
  else console.log(`Audit trail BROKEN at event ${report.brokenAtId ?? "(removed)"}, chain position ${report.brokenAtPosition}: ${report.problem}.`);
  console.log(`Sealed: ${report.sealed}. Unsealed (recorded while this ran): ${report.unsealed}.`);
  return report.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  async (error) => {
    const { toAppError } = await import("@/lib/errors");
    console.error(toAppError(error).message);
    process.exit(1);
  },
);
