import pg from "pg";
const DB = `probe_${Date.now()}`;
let log: string[] = [];
const orig = pg.Client.prototype.query;
(pg.Client.prototype as any).query = function (config: any, ...rest: any[]) { log.push(typeof config === "string" ? config : config.text); return (orig as any).call(this, config, ...rest); };
async function main() {
  const admin = new pg.Client({ connectionString: "postgresql://postgres@127.0.0.1:5432/postgres" });
  await admin.connect(); await admin.query(`CREATE DATABASE "${DB}"`); await admin.end();
  process.env.DATABASE_URL = `postgresql://postgres@127.0.0.1:5432/${DB}`;
  process.env.DEMO = "0"; process.env.AUTH_SECRET = "probe-secret-probe-secret-probe-secret"; process.env.LOG_LEVEL = "warn";
  const { migrate } = await import("@/lib/migrations"); await migrate();
  const { systemActor } = await import("@/lib/actors");
  const { insertUser } = await import("@/lib/users/service");
  const { createProject } = await import("@/lib/projects/service");
  const { addSource } = await import("@/lib/sources/service");
  const { updateStageAssignments } = await import("@/lib/stages/service");
  const { startRun } = await import("@/lib/pipeline/service");
  const { drainRuns } = await import("@/lib/pipeline/worker");
  const { decideReviewItem, listReviewItems } = await import("@/lib/review/service");
  const person = async (email: string, role: "admin" | "member" = "member") => { const u = await insertUser(systemActor("p"), { email, name: email, password: "probe password 1", role }); return { type: "user" as const, userId: u.id, email: u.email, name: u.name, role: u.role, tokenId: null }; };
  const a = await person("a@p.local", "admin"); const o = await person("o@p.local"); const r = await person("r@p.local");
  const p = await createProject(a, { name: "P" });
  await updateStageAssignments(a, p.id, "requirements", { ownerEmail: o.email, reviewerEmails: [r.email] });
  await addSource(o, p.id, { title: "S", kind: "document", text: "Riders must pay. Riders must be able to pay by card. Staff must see ... Riders must be able to unlock a bike in under five seconds. Staff must be able to see every bike on a map. The system must send a receipt by email after each ride. Riders must be able to report a broken bike from the app. The app must show the nearest free bike." });
  await startRun(o, p.id, { stage: "requirements" }); await drainRuns();
  const items = (await listReviewItems(r, { projectId: p.id, status: "pending", limit: 50 } as never)).items;
  console.log("items", items.length);
  for (const item of items.slice(0, 3)) {
    log = []; const t = performance.now();
    await decideReviewItem(r, item.id, { action: "approve", version: item.version } as never);
    console.log("decision ms", (performance.now() - t).toFixed(1), "queries", log.length);
  }
  log.forEach((q, i) => console.log(i, q.replace(/\s+/g, " ").slice(0, 220)));
  const { disconnectDb } = await import("@/lib/db"); await disconnectDb();
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
