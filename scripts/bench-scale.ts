/**
 * `npm run bench:scale`: the review queue and decisions at scale, on SQLite and PostgreSQL side by side.
 *
 * For each database it seeds a throwaway copy (a temporary SQLite file; a new database on the
 * PostgreSQL server) with --pending review items waiting and --decided ones decided (bulk SQL,
 * secondary indexes rebuilt afterwards), then measures
 *   - the queue page of 50 (first page and a cursor page deep in the queue) through the service and
 *     over HTTP, against the raw SQL floor: one statement returning the same page's rows;
 *   - decisions per second and their latency with --reviewers concurrent reviewers over HTTP against
 *     the production build (built first if the app has none), each reviewer a distinct user with
 *     a Bearer token deciding drafts of runs someone else started; on PostgreSQL with one and two
 *     app instances. Each phase also reports the servers' CPU time per decision (Linux), the one
 *     figure other work on a shared machine does not stretch;
 *   - claim-then-decide: the same reviewers each claim an item (POST .../claim) before deciding it,
 *     as the queue does when a card opens; decisions per second and the latency of the pair;
 *   - decisions at a paced --rate (150/s in all by default) from the same reviewers on one instance:
 *     the latency people see at that rate. The phases above send each decision as soon as the last
 *     one is answered, so they measure the most the server can take, and their latency is mostly
 *     waiting in line (about reviewers / throughput). Paced latency is counted from when a decision
 *     was due, so a server that falls behind is charged for the wait.
 * Each server first decides items for WARM_SECONDS (10 s), unmeasured.
 *
 * Flags: --pending 100000 --decided 1000000 --reviewers 32 --seconds 20 --rate 150 --only sqlite|postgresql
 *        --postgres postgresql://postgres@127.0.0.1:5432/postgres --app <built app folder, default .> --port 3310
 *        --keep (leave the seeded databases behind and print where they are)
 *        --profile <folder> (each server writes a V8 CPU profile there when it stops; open it in Chrome's DevTools)
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import pg from "pg";

const { values: flags } = parseArgs({
  options: {
    pending: { type: "string", default: "100000" },
    decided: { type: "string", default: "1000000" },
    reviewers: { type: "string", default: "32" },
    seconds: { type: "string", default: "20" },
    rate: { type: "string", default: "150" },
    only: { type: "string" },
    postgres: { type: "string", default: "postgresql://postgres@127.0.0.1:5432/postgres" },
    app: { type: "string", default: "." },
    port: { type: "string", default: "3310" },
    keep: { type: "boolean", default: false },
    profile: { type: "string" },
  },
});
const PENDING = Number(flags.pending);
const DECIDED = Number(flags.decided);
const REVIEWERS = Number(flags.reviewers);
const SECONDS = Number(flags.seconds);
const RATE = Number(flags.rate);
const APP_DIR = path.resolve(flags.app);
const PORT = Number(flags.port);
/**
 * Each server takes decisions this long before anything is measured on it: past its first
 * requests, and past the start-up round of its periodic jobs (each runs once at start: the
 * calibration refit of every label so far, the audit sealer, the SLA sweep), which would
 * otherwise land in whichever phase follows a start.
 */
const WARM_SECONDS = Math.min(10, SECONDS);
const PROJECTS = 4;
const CONFLICTS_PER_STAGE = 5;
const PAGE = 50;
/** Samples of each page: its p95 is the 10th slowest. */
const SAMPLES = 200;
if (![PENDING, DECIDED, REVIEWERS, SECONDS, RATE, PORT].every((n) => Number.isInteger(n) && n >= 0) || PENDING < REVIEWERS * 200) {
  console.error(`Flags must be whole numbers, with --pending at least 200 per reviewer (${REVIEWERS * 200}).`);
  process.exit(2);
}
if (flags.only && !["sqlite", "postgresql"].includes(flags.only)) {
  console.error("--only takes sqlite or postgresql.");
  process.exit(2);
}

process.env.DEMO = "0";
process.env.NEXT_TELEMETRY_DISABLED = "1";
process.env.AUTH_SECRET ??= randomBytes(24).toString("hex");

type Dialect = "sqlite" | "postgresql";
type Stats = { p50: number; p95: number; n: number };
type Figures = {
  seedSeconds: number;
  service: { first: Stats; deep: Stats };
  http: { first: Stats; deep: Stats };
  floor: { first: Stats; deep: Stats };
  /** The floor with the page's per-item counts, claims and delegations (floorSql with a reviewer). */
  fullFloor: { first: Stats; deep: Stats };
  decisions: { instances: number; perSecond: number; latency: Stats; failed: number; failures: string[]; serverCpuMs: number | null; clientCpuMs: number }[];
  /** Claim then decide, one app instance: the latency is of the claim and the decision together. */
  claimed: { perSecond: number; latency: Stats; failed: number; failures: string[]; serverCpuMs: number | null };
  /** Decisions sent at a fixed total rate (--rate), one app instance: latency counted from when each was due. */
  paced: { perSecond: number; latency: Stats; failed: number; failures: string[]; serverCpuMs: number | null };
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), n: samples.length };
}

async function sample(times: number, work: () => Promise<unknown>): Promise<Stats> {
  return (await sampleTogether(times, { work })).work;
}

/**
 * Samples several pieces of work in turn, one call of each per round, so each sees the same
 * machine: a ratio of two of them is not stretched by a burst of other work hitting one block.
 */
async function sampleTogether<Key extends string>(times: number, works: Record<Key, () => Promise<unknown>>): Promise<Record<Key, Stats>> {
  const entries = Object.entries(works) as [Key, () => Promise<unknown>][];
  for (let i = 0; i < 3; i++) for (const [, work] of entries) await work();
  const samples = Object.fromEntries(entries.map(([key]) => [key, [] as number[]])) as Record<Key, number[]>;
  for (let i = 0; i < times; i++) {
    for (const [key, work] of entries) {
      const started = performance.now();
      await work();
      samples[key].push(performance.now() - started);
    }
  }
  return Object.fromEntries(entries.map(([key]) => [key, stats(samples[key])])) as Record<Key, Stats>;
}

const pad = (n: number) => String(n).padStart(9, "0");
/** Item n of the seeded history: the oldest DECIDED are decided, the newer PENDING wait. */
const itemId = (n: number) => `ri${pad(n)}`;
const BASE_MS = Date.UTC(2026, 0, 1);

// ---------------------------------------------------------------------------------------------
// Seeding: the small world through the services, the bulk through SQL generated in the database.

type World = { adminId: string; reviewers: { id: string; email: string; token: string }[]; projects: { id: string; stageId: string; runId: string; stepRunId: string; sourceId: string }[] };

async function seedWorld(): Promise<World> {
  const { systemActor } = await import("@/lib/actors");
  const { insertUser } = await import("@/lib/users/service");
  const { createProject } = await import("@/lib/projects/service");
  const { addSource } = await import("@/lib/sources/service");
  const { updateStageAssignments } = await import("@/lib/stages/service");
  const { createTokenForEmail } = await import("@/lib/tokens/service");
  const { db } = await import("@/lib/db");
  const bench = systemActor("bench");
  const adminUser = await insertUser(bench, { email: "owner@bench.local", name: "Owner", password: "bench-password", role: "admin" });
  const admin = { type: "user", userId: adminUser.id, email: adminUser.email, name: adminUser.name, role: "admin", tokenId: null } as const;
  const reviewers: World["reviewers"] = [];
  for (let i = 0; i < REVIEWERS; i++) {
    const email = `reviewer${i}@bench.local`;
    const user = await insertUser(bench, { email, name: `Reviewer ${i}`, password: "bench-password" });
    reviewers.push({ id: user.id, email, token: (await createTokenForEmail(bench, email, "bench")).secret });
  }
  const projects: World["projects"] = [];
  for (let p = 0; p < PROJECTS; p++) {
    const { id } = await createProject(admin, { name: `Scale ${p}` });
    await updateStageAssignments(admin, id, "requirements", { reviewerEmails: reviewers.map((r) => r.email) });
    const source = await addSource(admin, id, { title: `Workshop ${p}`, kind: "meeting_notes", text: "Riders must be able to unlock a bike with the app in under five seconds." });
    const stage = await db().stage.findUniqueOrThrow({ where: { projectId_key: { projectId: id, key: "requirements" } } });
    // The run that drafted everything waits for review; it was started by the owner, so every reviewer may decide.
    const run = await db().run.create({ data: { projectId: id, stageId: stage.id, status: "waiting_review", createdById: admin.userId, startedAt: new Date(BASE_MS) } });
    const step = await db().stepRun.create({ data: { runId: run.id, key: "synthesize-requirements", position: 0, status: "completed", model: "offline" } });
    projects.push({ id, stageId: stage.id, runId: run.id, stepRunId: step.id, sourceId: source.id });
  }
  return { adminId: admin.userId, reviewers, projects };
}

/** SQL that differs between the two databases. */
function sqlDialect(dialect: Dialect) {
  const sqlite = dialect === "sqlite";
  return {
    numbers: (count: number) =>
      sqlite ? `WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n + 1 < ${count}) ` : "",
    from: (count: number) => (sqlite ? "FROM seq" : `FROM generate_series(0, ${count - 1}) AS seq(n)`),
    id: (prefix: string, n: string) => (sqlite ? `'${prefix}' || printf('%09d', ${n})` : `'${prefix}' || lpad((${n})::text, 9, '0')`),
    time: (ms: string) =>
      sqlite
        ? `strftime('%Y-%m-%dT%H:%M:%f', ${BASE_MS / 1000} + (${ms}) / 1000.0, 'unixepoch') || '+00:00'`
        : `(to_timestamp(${BASE_MS / 1000} + (${ms}) / 1000.0) AT TIME ZONE 'UTC')`,
    enumOf: (type: string, expr: string) => (sqlite ? expr : `(${expr})::"${type}"`),
    json: (expr: string) => (sqlite ? expr : `(${expr})::jsonb`),
    text: (n: string) => (sqlite ? `CAST(${n} AS TEXT)` : `(${n})::text`),
  };
}

const pick = (n: string, values: string[]) => `(CASE ${n} % ${values.length} ${values.map((v, i) => `WHEN ${i} THEN '${v}'`).join(" ")} END)`;

/** Every bulk row of item n (one artifact, its version, its review item, and a decision or a routing). */
function bulkStatements(dialect: Dialect, world: World): string[] {
  const d = sqlDialect(dialect);
  const total = DECIDED + PENDING;
  const n = "seq.n";
  const project = pick(n, world.projects.map((p) => p.id));
  const stage = pick(n, world.projects.map((p) => p.stageId));
  const run = pick(n, world.projects.map((p) => p.runId));
  const step = pick(n, world.projects.map((p) => p.stepRunId));
  const source = pick(n, world.projects.map((p) => p.sourceId));
  const reviewer = pick(n, world.reviewers.map((r) => r.id));
  const decided = `${n} < ${DECIDED}`;
  const created = d.time(`${n} * 10`);
  const content = d.json(
    `'{"statement":"Riders must be able to unlock bike ' || ${d.text(n)} || ' in under five seconds.","category":"functional","sources":[{"sourceId":"' || ${source} || '","quote":"Riders must be able to unlock a bike with the app in under five seconds."}],"unsure":null}'`,
  );
  const features = `'{"rawConfidence":0.7,"category":"functional","flags":[],"modelId":"offline","sourceKind":"meeting_notes"}'`;
  const insert = (count: number, sql: string) => `${d.numbers(count)}${sql.replaceAll("{FROM}", d.from(count))}`;
  return [
    insert(
      total,
      `INSERT INTO "Artifact" ("id", "projectId", "stageId", "runId", "stepRunId", "kind", "ref", "currentVersion", "status", "createdAt", "updatedAt")
       SELECT ${d.id("a", n)}, ${project}, ${stage}, ${run}, ${step}, 'requirement', 'REQ-' || ${d.text(`${n} + 1`)}, 1,
              ${d.enumOf("ArtifactStatus", `CASE WHEN ${decided} THEN 'approved' ELSE 'pending_review' END`)}, ${created}, ${created} {FROM}`,
    ),
    insert(
      total,
      `INSERT INTO "ArtifactVersion" ("id", "artifactId", "version", "content", "confidence", "stepRunId", "model", "createdAt")
       SELECT ${d.id("v", n)}, ${d.id("a", n)}, 1, ${content}, 0.7, ${step}, 'offline', ${created} {FROM}`,
    ),
    insert(
      total,
      `INSERT INTO "ReviewItem" ("id", "kind", "projectId", "stageId", "runId", "artifactId", "version", "status", "reasons", "createdAt", "decidedAt")
       SELECT ${d.id("ri", n)}, ${d.enumOf("ReviewItemKind", "'draft'")}, ${project}, ${stage}, ${run}, ${d.id("a", n)}, 1,
              ${d.enumOf("ReviewStatus", `CASE WHEN ${decided} THEN 'decided' ELSE 'pending' END`)},
              ${d.json(`'[{"code":"low_confidence","detail":"confidence 0.70 is below the threshold"}]'`)}, ${created},
              CASE WHEN ${decided} THEN ${d.time(`${n} * 10 + 60000`)} ELSE NULL END {FROM}`,
    ),
    insert(
      DECIDED,
      `INSERT INTO "ReviewDecision" ("id", "reviewItemId", "artifactId", "version", "action", "label", "changedFields", "editDistance", "decidedById", "createdAt")
       SELECT ${d.id("rd", n)}, ${d.id("ri", n)}, ${d.id("a", n)}, 1, ${d.enumOf("DecisionAction", "'approve'")}, 'approved_unchanged',
              ${d.json(`'[]'`)}, 0, ${reviewer}, ${d.time(`${n} * 10 + 60000`)} {FROM}`,
    ),
    // Pending drafts carry the routing evidence a first decision turns into a label.
    insert(
      PENDING,
      `INSERT INTO "RoutingDecision" ("id", "artifactId", "version", "outcome", "reasons", "policy", "stepKey", "category", "features", "calibratedProbability", "threshold", "createdAt")
       SELECT ${d.id("rt", `${n} + ${DECIDED}`)}, ${d.id("a", `${n} + ${DECIDED}`)}, 1, ${d.enumOf("RoutingOutcome", "'review'")}, ${d.json(`'[]'`)}, ${d.json(`'{}'`)},
              'synthesize-requirements', 'functional', ${d.json(features)}, 0.7, 0.95, ${d.time(`(${n} + ${DECIDED}) * 10`)} {FROM}`,
    ),
  ];
}

/** A few open conflicts per stage (sides not drafted), so the queue's conflict lanes are not empty. */
function conflictStatements(dialect: Dialect, world: World): string[] {
  const d = sqlDialect(dialect);
  const count = PROJECTS * CONFLICTS_PER_STAGE;
  const n = "seq.n";
  const item = `${n} + ${DECIDED + PENDING}`;
  const created = d.time(`(${n} * 37 % ${DECIDED + PENDING}) * 10 + 5`);
  const sides = `'[{"artifactId":null,"ref":null,"sourceId":"' || ${pick(n, world.projects.map((p) => p.sourceId))} || '","quote":"in under five seconds","statement":null},{"artifactId":null,"ref":null,"sourceId":"' || ${pick(n, world.projects.map((p) => p.sourceId))} || '","quote":"with the app","statement":null}]'`;
  const insert = (sql: string) => `${d.numbers(count)}${sql.replaceAll("{FROM}", d.from(count))}`;
  return [
    insert(
      `INSERT INTO "Conflict" ("id", "projectId", "stageId", "runId", "ref", "description", "sides", "createdAt")
       SELECT ${d.id("c", n)}, ${pick(n, world.projects.map((p) => p.id))}, ${pick(n, world.projects.map((p) => p.stageId))}, ${pick(n, world.projects.map((p) => p.runId))},
              'CONF-' || ${d.text(`${n} + 1`)}, 'Two notes disagree on the unlock time', ${d.json(sides)}, ${created} {FROM}`,
    ),
    insert(
      `INSERT INTO "ReviewItem" ("id", "kind", "projectId", "stageId", "runId", "conflictId", "version", "status", "reasons", "createdAt")
       SELECT ${d.id("ri", item)}, ${d.enumOf("ReviewItemKind", "'conflict'")}, ${pick(n, world.projects.map((p) => p.id))}, ${pick(n, world.projects.map((p) => p.stageId))},
              ${pick(n, world.projects.map((p) => p.runId))}, ${d.id("c", n)}, 1, ${d.enumOf("ReviewStatus", "'pending'")},
              ${d.json(`'[{"code":"conflict","detail":"contradiction"}]'`)}, ${created} {FROM}`,
    ),
  ];
}

const BULK_TABLES = ["Artifact", "ArtifactVersion", "ReviewItem", "ReviewDecision", "RoutingDecision", "Conflict"];

/** Inserts with the secondary indexes dropped, then rebuilds them and refreshes the planner's statistics. */
function seedSqliteBulk(file: string, world: World): void {
  const connection = new Database(file);
  try {
    connection.pragma("synchronous = OFF");
    connection.pragma("cache_size = -262144");
    const indexes = connection
      .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${BULK_TABLES.map(() => "?").join(", ")})`)
      .all(...BULK_TABLES) as { name: string; sql: string }[];
    connection.transaction(() => {
      for (const index of indexes) connection.exec(`DROP INDEX "${index.name}"`);
      for (const statement of [...bulkStatements("sqlite", world), ...conflictStatements("sqlite", world)]) connection.exec(statement);
      for (const index of indexes) connection.exec(index.sql);
    })();
    connection.exec("ANALYZE");
  } finally {
    connection.close();
  }
}

async function seedPostgresBulk(url: string, world: World): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Bulk rows are consistent by construction: skip the per-row foreign-key triggers.
    await client.query("SET session_replication_role = replica");
    await client.query("SET maintenance_work_mem = '512MB'");
    const { rows: indexes } = await client.query<{ indexname: string; indexdef: string }>(
      `SELECT i.indexname, i.indexdef FROM pg_indexes i
       WHERE i.schemaname = current_schema() AND i.tablename = ANY($1)
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
      [BULK_TABLES],
    );
    for (const index of indexes) await client.query(`DROP INDEX "${index.indexname}"`);
    for (const statement of [...bulkStatements("postgresql", world), ...conflictStatements("postgresql", world)]) await client.query(statement);
    for (const index of indexes) await client.query(index.indexdef);
    await client.query(`VACUUM ANALYZE ${BULK_TABLES.map((t) => `"${t}"`).join(", ")}`);
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// The raw SQL floor: the page's rows in one statement, by the same index-ordered lanes. With a
// reviewer, also what the page shows per item since the review-for-teams work (approvals so far,
// whether this reviewer approved, who claims it, on whose behalf it was decided): the same
// page's data, where the lean floor leaves them out.

function floorSql(dialect: Dialect, stageIds: string[], withCursor: boolean, reviewerId: string | null = null): string {
  let i = 0;
  const param = () => (dialect === "sqlite" ? "?" : `$${++i}`);
  const lanes = stageIds.flatMap((stageId) =>
    ["draft", "conflict"].map(
      (kind) => `SELECT * FROM (SELECT "id", "createdAt" FROM "ReviewItem" WHERE "stageId" = '${stageId}' AND "status" = 'pending' AND "kind" = '${kind}'
        ${withCursor ? `AND ("createdAt", "id") > (${param()}, ${param()})` : ""} ORDER BY "createdAt", "id" LIMIT ${PAGE + 1}) AS lane`,
    ),
  );
  return `WITH page AS (SELECT "id", "createdAt" FROM (${lanes.join(" UNION ALL ")}) AS lanes ORDER BY "createdAt", "id" LIMIT ${PAGE + 1})
    SELECT ri.*, s."key", p."name" AS "projectName", r."createdById" AS "runBy",${reviewerId === null ? "" : `
      (SELECT COUNT(*) FROM "ReviewDecision" lv WHERE lv."reviewItemId" = ri."id" AND lv."undoneAt" IS NULL AND lv."action" = 'approve') AS "approvals",
      EXISTS (SELECT 1 FROM "ReviewDecision" lv WHERE lv."reviewItemId" = ri."id" AND lv."undoneAt" IS NULL AND lv."action" = 'approve' AND lv."decidedById" = '${reviewerId}') AS "approvedByMe",
      cu."email" AS "claimedByEmail", ob."email" AS "onBehalfOfEmail",`}
      a."ref", a."kind" AS "artifactKind", a."status" AS "artifactStatus", a."currentVersion",
      v."content", v."confidence", v."model", v."editedById",
      (SELECT rt."calibratedProbability" FROM "RoutingDecision" rt WHERE rt."artifactId" = a."id" ORDER BY rt."createdAt" DESC LIMIT 1) AS "probability",
      dd."action", dd."comment", dd."createdAt" AS "decidedAt", u."email", u."name",
      c."ref" AS "conflictRef", c."description", c."sides", src."title", src."text"
    FROM page
    JOIN "ReviewItem" ri ON ri."id" = page."id"
    JOIN "Stage" s ON s."id" = ri."stageId"
    JOIN "Project" p ON p."id" = ri."projectId"
    LEFT JOIN "Run" r ON r."id" = ri."runId"
    LEFT JOIN "Artifact" a ON a."id" = ri."artifactId"
    LEFT JOIN "ArtifactVersion" v ON v."artifactId" = a."id" AND v."version" = ri."version"
    LEFT JOIN "ReviewDecision" dd ON dd."id" = (SELECT d2."id" FROM "ReviewDecision" d2 WHERE d2."reviewItemId" = ri."id" ORDER BY d2."createdAt" DESC LIMIT 1)
    LEFT JOIN "User" u ON u."id" = dd."decidedById"
    LEFT JOIN "Conflict" c ON c."id" = ri."conflictId"
    LEFT JOIN "Source" src ON src."projectId" = ri."projectId"${reviewerId === null ? "" : `
    LEFT JOIN "User" cu ON cu."id" = ri."claimedById"
    LEFT JOIN "User" ob ON ob."id" = dd."onBehalfOfId"`}
    ORDER BY page."createdAt", page."id"`;
}

type FloorPage = { first: () => Promise<unknown>; deep: () => Promise<unknown> };

/** The floor's statements on their own connection, lean and with the reviewer's columns, ready to run. */
async function openFloor(
  dialect: Dialect,
  url: string,
  stageIds: string[],
  cursor: { id: string },
  reviewerId: string,
): Promise<{ lean: FloorPage; full: FloorPage; close: () => Promise<void> }> {
  if (dialect === "sqlite") {
    const { sqliteFilePath } = await import("@/lib/db");
    const connection = new Database(sqliteFilePath(url), { readonly: true });
    const at = (connection.prepare(`SELECT "createdAt" FROM "ReviewItem" WHERE "id" = ?`).get(cursor.id) as { createdAt: string }).createdAt;
    const args = stageIds.flatMap(() => [at, cursor.id, at, cursor.id]);
    const page = (reviewer: string | null): FloorPage => {
      const first = connection.prepare(floorSql(dialect, stageIds, false, reviewer));
      const deep = connection.prepare(floorSql(dialect, stageIds, true, reviewer));
      return { first: async () => first.all(), deep: async () => deep.all(...args) };
    };
    return { lean: page(null), full: page(reviewerId), close: async () => void connection.close() };
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ createdAt: Date }>(`SELECT "createdAt" FROM "ReviewItem" WHERE "id" = $1`, [cursor.id]);
  const args = stageIds.flatMap(() => [rows[0].createdAt, cursor.id, rows[0].createdAt, cursor.id]);
  const page = (reviewer: string | null): FloorPage => ({
    first: () => client.query({ name: `floor-first-${reviewer ?? "lean"}`, text: floorSql(dialect, stageIds, false, reviewer) }),
    deep: () => client.query({ name: `floor-deep-${reviewer ?? "lean"}`, text: floorSql(dialect, stageIds, true, reviewer), values: args }),
  });
  return { lean: page(null), full: page(reviewerId), close: () => client.end() };
}

// ---------------------------------------------------------------------------------------------
// The production server and the HTTP load.

function ensureBuild(): void {
  if (existsSync(path.join(APP_DIR, ".next", "BUILD_ID"))) return;
  console.log(`No production build in ${APP_DIR}: running next build (about a minute)...`);
  const build = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], { cwd: APP_DIR, stdio: "inherit", env: process.env });
  if (build.status !== 0) throw new Error("next build failed");
}

type Server = { port: number; child: ChildProcess; log: string[] };

async function startServer(url: string, port: number): Promise<Server> {
  const log: string[] = [];
  const profile = flags.profile ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(flags.profile)}`] : [];
  const child = spawn(process.execPath, [...profile, "node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: APP_DIR,
    env: { ...process.env, NODE_ENV: "production", DATABASE_URL: url, PORT: String(port), DEMO: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const keep = (chunk: Buffer) => log.push(...chunk.toString().split("\n").filter(Boolean).slice(-20));
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const ready = await fetch(`http://127.0.0.1:${port}/api/ready`).then((r) => r.ok, () => false);
    if (ready) return { port, child, log };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  child.kill("SIGTERM");
  throw new Error(`The server on port ${port} did not become ready:\n${log.slice(-20).join("\n")}`);
}

async function stopServer(server: Server): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once("exit", resolve));
  server.child.kill("SIGTERM");
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  if (server.child.exitCode === null) server.child.kill("SIGKILL");
}

async function apiPage(port: number, token: string, cursor?: string): Promise<void> {
  const query = new URLSearchParams({ status: "pending", limit: String(PAGE), ...(cursor ? { cursor } : {}) });
  const response = await fetch(`http://127.0.0.1:${port}/api/v1/review-items?${query}`, { headers: { authorization: `Bearer ${token}` } });
  const body = (await response.json()) as { items?: unknown[] };
  if (!response.ok || body.items?.length !== PAGE) throw new Error(`The queue page answered ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
}

/**
 * CPU time the servers' processes used, in ms (Linux /proc; null elsewhere). Per decision it is
 * the figure other load on the machine does not stretch: one core gives at most 1000 / it per second.
 */
function serverCpuMs(servers: Server[]): number | null {
  let ticks = 0;
  for (const server of servers) {
    try {
      // Fields 14 and 15 (utime, stime) after the parenthesised command name.
      const fields = readFileSync(`/proc/${server.child.pid}/stat`, "utf8").replace(/^.*\) /, "").split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      return null;
    }
  }
  // Linux reports in clock ticks of 1/100 s on every common configuration.
  return ticks * 10;
}

/**
 * The reviewers' requests, on kept-alive connections through node:http. Real reviewers send from
 * their own machines; here the 32 share the server's two cores, and fetch (undici) took 1.2 ms of
 * CPU per decision against 0.4 ms (PostgreSQL, one instance, one run each): about a quarter of a
 * core at full speed, which the server under test then lacked.
 */
const reviewerAgent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

function post(url: string, token: string, body: string, retried = false): Promise<{ ok: boolean; status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: "POST", agent: reviewerAgent, headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () => {
          const status = response.statusCode ?? 0;
          resolve({ ok: status >= 200 && status < 300, status, body: text });
        });
        response.on("error", reject);
      },
    );
    // A kept-alive connection the server closed while it idled (between phases) fails on reuse before
    // the server has read anything: send once more on a new one, as Node's documentation advises.
    request.on("error", (error: NodeJS.ErrnoException) => {
      if (!retried && request.reusedSocket && error.code === "ECONNRESET") resolve(post(url, token, body, true));
      else reject(error);
    });
    request.end(body);
  });
}

/**
 * Reviewer r decides pending items r, r + R, r + 2R, ... of the slice it is given, so no two
 * reviewers race for one item; with claimFirst each decision follows the reviewer's claim of the
 * item. Runs for `seconds`; returns decisions per second and latencies (of claim and decision together).
 * With ratePerSecond the reviewers together send that many a second, each at its turn, and a
 * latency runs from when the decision was due.
 */
async function decisionLoad(servers: Server[], world: World, slice: { from: number; to: number }, seconds: number, options: { claimFirst?: boolean; ratePerSecond?: number } = {}) {
  const { claimFirst = false, ratePerSecond } = options;
  const cpuBefore = serverCpuMs(servers);
  const clientCpuBefore = process.cpuUsage();
  const latencies: number[] = [];
  const failures = new Map<string, number>();
  let failed = 0;
  const stopAt = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    world.reviewers.map(async (reviewer, r) => {
      const server = servers[r % servers.length];
      for (let k = slice.from + r; k < slice.to && performance.now() < stopAt; k += world.reviewers.length) {
        let t0 = performance.now();
        if (ratePerSecond) {
          const due = started + ((k - slice.from) * 1000) / ratePerSecond;
          if (due > stopAt) break;
          if (due > t0) await new Promise((resolve) => setTimeout(resolve, due - t0));
          t0 = due;
        }
        const item = `http://127.0.0.1:${server.port}/api/v1/review-items/${itemId(DECIDED + k)}`;
        if (claimFirst) {
          const claim = await post(`${item}/claim`, reviewer.token, "{}");
          const claimBody = claim.body;
          if (!claim.ok) {
            latencies.push(performance.now() - t0);
            failed += 1;
            const key = `claim ${claim.status} ${claimBody.slice(0, 120)}`;
            failures.set(key, (failures.get(key) ?? 0) + 1);
            continue;
          }
        }
        const response = await post(`${item}/decision`, reviewer.token, JSON.stringify({ action: "approve", version: 1 }));
        const body = response.body;
        latencies.push(performance.now() - t0);
        if (!response.ok) {
          failed += 1;
          const key = `${response.status} ${body.slice(0, 120)}`;
          failures.set(key, (failures.get(key) ?? 0) + 1);
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpuAfter = serverCpuMs(servers);
  const clientCpu = process.cpuUsage(clientCpuBefore);
  const decided = latencies.length - failed;
  return {
    perSecond: decided / elapsed,
    latency: stats(latencies),
    failed,
    failures: [...failures].map(([k, v]) => `${v}x ${k}`),
    serverCpuMs: cpuBefore !== null && cpuAfter !== null && decided > 0 ? (cpuAfter - cpuBefore) / decided : null,
    /** The reviewers' own CPU (this process) per decision: load the server's machine carries besides. */
    clientCpuMs: decided > 0 ? (clientCpu.user + clientCpu.system) / 1000 / decided : 0,
  };
}

// ---------------------------------------------------------------------------------------------

async function pointAppAt(url: string): Promise<void> {
  const { disconnectDb } = await import("@/lib/db");
  const { resetEnvForTests } = await import("@/lib/env");
  await disconnectDb();
  process.env.DATABASE_URL = url;
  resetEnvForTests();
}

async function benchDatabase(dialect: Dialect, url: string): Promise<Figures> {
  await pointAppAt(url);
  const { migrate } = await import("@/lib/migrations");
  await migrate(url);
  const seedStarted = performance.now();
  const world = await seedWorld();
  const { disconnectDb, sqliteFilePath } = await import("@/lib/db");
  await disconnectDb();
  if (dialect === "sqlite") seedSqliteBulk(sqliteFilePath(url), world);
  else await seedPostgresBulk(url, world);
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  console.log(`${dialect}: seeded ${PENDING} pending + ${DECIDED} decided items in ${seedSeconds.toFixed(0)} s`);

  const { listReviewItems } = await import("@/lib/review/service");
  const reviewer = world.reviewers[0];
  const actor = { type: "user", userId: reviewer.id, email: reviewer.email, name: "Reviewer 0", role: "member", tokenId: null } as const;
  // Deep in the queue: the page after the pending item 90% of the way down.
  const cursor = { id: itemId(DECIDED + Math.floor(PENDING * 0.9)) };
  const firstPage = () => listReviewItems(actor, { status: "pending", limit: PAGE });
  const deepPage = () => listReviewItems(actor, { status: "pending", limit: PAGE, cursor: cursor.id });
  if ((await firstPage()).items.length !== PAGE || (await deepPage()).items.length !== PAGE) throw new Error("The queue did not return full pages.");
  // The service's pages and the floor's, in turn (sampleTogether): their ratios are measured in the same moments.
  const floors = await openFloor(dialect, url, world.projects.map((p) => p.stageId), cursor, reviewer.id);
  let pages: Record<"first" | "deep" | "floorFirst" | "floorDeep" | "fullFirst" | "fullDeep", Stats>;
  try {
    pages = await sampleTogether(SAMPLES, {
      first: firstPage,
      deep: deepPage,
      floorFirst: floors.lean.first,
      floorDeep: floors.lean.deep,
      fullFirst: floors.full.first,
      fullDeep: floors.full.deep,
    });
  } finally {
    await floors.close();
  }
  await disconnectDb();
  const service = { first: pages.first, deep: pages.deep };
  const floor = { first: pages.floorFirst, deep: pages.floorDeep };
  const fullFloor = { first: pages.fullFirst, deep: pages.fullDeep };

  const servers = [await startServer(url, PORT)];
  const decisions: Figures["decisions"] = [];
  let http: Figures["http"];
  let claimed: Figures["claimed"];
  let paced: Figures["paced"];
  try {
    http = {
      first: await sample(SAMPLES, () => apiPage(servers[0].port, reviewer.token)),
      deep: await sample(SAMPLES, () => apiPage(servers[0].port, reviewer.token, cursor.id)),
    };
    // Items [0, 5%) of the pending range warm the server up; each measured phase gets its own slice after that.
    const warm = Math.floor(PENDING * 0.05);
    await decisionLoad(servers, world, { from: 0, to: warm }, WARM_SECONDS);
    // Four slices: decisions on one instance, on two (PostgreSQL), claim-then-decide, and paced decisions.
    const phaseSize = Math.floor((PENDING * 0.85 - warm) / 4);
    decisions.push({ instances: 1, ...(await decisionLoad(servers, world, { from: warm, to: warm + phaseSize }, SECONDS)) });
    claimed = await decisionLoad([servers[0]], world, { from: warm + 2 * phaseSize, to: warm + 3 * phaseSize }, SECONDS, { claimFirst: true });
    paced = await decisionLoad([servers[0]], world, { from: warm + 3 * phaseSize, to: warm + 4 * phaseSize }, SECONDS, { ratePerSecond: RATE });
    if (dialect === "postgresql") {
      servers.push(await startServer(url, PORT + 1));
      // The new instance warms up like the first, on the first quarter of its phase's slice.
      const from = warm + phaseSize + Math.floor(phaseSize / 4);
      await decisionLoad([servers[1]], world, { from: warm + phaseSize, to: from }, WARM_SECONDS);
      decisions.push({ instances: 2, ...(await decisionLoad(servers, world, { from, to: warm + 2 * phaseSize }, SECONDS)) });
    }
  } finally {
    for (const server of servers) await stopServer(server);
  }
  return { seedSeconds, service, http, floor, fullFloor, decisions, claimed, paced };
}

function report(results: Partial<Record<Dialect, Figures>>): void {
  const dialects = Object.keys(results) as Dialect[];
  const cell = (text: string) => text.padStart(24);
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const line = (label: string, value: (f: Figures) => string) => console.log(label.padEnd(46) + dialects.map((d) => cell(value(results[d]!))).join(""));
  console.log(`\nbench:scale — ${PENDING} pending + ${DECIDED} decided review items, ${REVIEWERS} reviewers, ${SECONDS} s per load phase`);
  console.log("".padEnd(46) + dialects.map((d) => cell(d)).join(""));
  line("seeding", (f) => `${f.seedSeconds.toFixed(0)} s`);
  for (const [key, label] of [["first", "first page"], ["deep", "deep cursor page"]] as const) {
    const versus = (f: Figures, of: "service" | "http", p: "p50" | "p95") => `${ms(f[of][key][p])} (${(f[of][key][p] / f.floor[key][p]).toFixed(2)}x)`;
    line(`queue ${label} (${PAGE}): raw SQL floor p50 / p95`, (f) => `${ms(f.floor[key].p50)} / ${ms(f.floor[key].p95)}`);
    line(`  service p50 (ratio to floor)`, (f) => versus(f, "service", "p50"));
    line(`  service p95 (ratio to floor)`, (f) => versus(f, "service", "p95"));
    line(`  HTTP API p50 (ratio to floor)`, (f) => versus(f, "http", "p50"));
    line(`  HTTP API p95 (ratio to floor)`, (f) => versus(f, "http", "p95"));
    line(`  floor with the page's counts and claims p50 / p95`, (f) => `${ms(f.fullFloor[key].p50)} / ${ms(f.fullFloor[key].p95)}`);
    line(`  service p50 / p95 (ratio to that floor)`, (f) => `${(f.service[key].p50 / f.fullFloor[key].p50).toFixed(2)}x / ${(f.service[key].p95 / f.fullFloor[key].p95).toFixed(2)}x`);
  }
  for (const instances of [1, 2]) {
    if (!dialects.some((d) => results[d]!.decisions.some((x) => x.instances === instances))) continue;
    const of = (f: Figures) => f.decisions.find((x) => x.instances === instances);
    line(`decisions/s, ${instances} app instance${instances > 1 ? "s" : ""}`, (f) => (of(f) ? of(f)!.perSecond.toFixed(1) : "-"));
    line(`  latency p50 / p95`, (f) => (of(f) ? `${ms(of(f)!.latency.p50)} / ${ms(of(f)!.latency.p95)}` : "-"));
    line(`  failed`, (f) => (of(f) ? `${of(f)!.failed} of ${of(f)!.latency.n}` : "-"));
    line(`  server CPU per decision`, (f) => (of(f)?.serverCpuMs != null ? ms(of(f)!.serverCpuMs!) : "-"));
    line(`  the reviewers' own CPU per decision`, (f) => (of(f) ? ms(of(f)!.clientCpuMs) : "-"));
  }
  line(`decisions paced at ${RATE}/s: achieved/s`, (f) => f.paced.perSecond.toFixed(1));
  line("  latency from due p50 / p95", (f) => `${ms(f.paced.latency.p50)} / ${ms(f.paced.latency.p95)}`);
  line("  failed", (f) => `${f.paced.failed} of ${f.paced.latency.n}`);
  line("claim then decide/s, 1 app instance", (f) => f.claimed.perSecond.toFixed(1));
  line("  claim + decision latency p50 / p95", (f) => `${ms(f.claimed.latency.p50)} / ${ms(f.claimed.latency.p95)}`);
  line("  failed", (f) => `${f.claimed.failed} of ${f.claimed.latency.n}`);
  line("  server CPU per claimed decision", (f) => (f.claimed.serverCpuMs != null ? ms(f.claimed.serverCpuMs) : "-"));
  const scaling = (f: Figures) => {
    const [one, two] = [1, 2].map((n) => f.decisions.find((x) => x.instances === n));
    return one && two ? `${(two.perSecond / one.perSecond).toFixed(2)}x` : "-";
  };
  if (dialects.some((d) => scaling(results[d]!) !== "-")) line("decisions/s, 2 instances over 1", scaling);
  for (const d of dialects) for (const phase of results[d]!.decisions) for (const failure of phase.failures.slice(0, 5)) console.log(`${d} (${phase.instances}): ${failure}`);
  for (const d of dialects) for (const failure of results[d]!.claimed.failures.slice(0, 5)) console.log(`${d} (claims): ${failure}`);
  console.log("Targets: page p95 within 2x the floor; >= 150 decisions/s with p95 < 200 ms; a second instance adds throughput.");
  console.log(`Load average while measuring: ${loadavg().map((n) => n.toFixed(1)).join(", ")} on ${availableParallelism()} cores (other work on the machine stretches every figure).`);
}

async function main(): Promise<void> {
  ensureBuild();
  const results: Partial<Record<Dialect, Figures>> = {};
  const dir = mkdtempSync(path.join(tmpdir(), "countersign-scale-"));
  try {
    if (flags.only !== "postgresql") results.sqlite = await benchDatabase("sqlite", `file:${path.join(dir, "scale.db")}`);
    if (flags.only !== "sqlite") {
      const server = new URL(flags.postgres!);
      const database = `countersign_scale_${randomBytes(4).toString("hex")}`;
      const admin = new pg.Client({ connectionString: server.toString() });
      await admin.connect();
      await admin.query(`CREATE DATABASE "${database}"`);
      try {
        const url = new URL(server);
        url.pathname = `/${database}`;
        results.postgresql = await benchDatabase("postgresql", url.toString());
      } finally {
        await pointAppAt(server.toString());
        if (flags.keep) console.log(`kept the PostgreSQL database ${database}`);
        else await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
        await admin.end();
      }
    }
    report(results);
  } finally {
    const { disconnectDb } = await import("@/lib/db");
    await disconnectDb();
    if (flags.keep) console.log(`kept the SQLite database in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
