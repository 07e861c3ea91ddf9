/**
 * `npm run bench:responsiveness`: does the server stay responsive while a large run drafts?
 *
 *   1. The offline drafter on ~20k and ~50k words (copies of the demo notes, as in `npm run bench`):
 *      its time, and that of its grouping and conflict search alone, with the exponent between
 *      the two sizes (1 is linear, 2 quadratic). Best of --repeat runs, in CPU time, which other
 *      work on a shared machine disturbs less than wall time.
 *   2. A production server (the build in --app, built first if there is none) on a throwaway SQLite
 *      database, with its in-process worker: p50/p95/max latency of GET /api/health, GET
 *      /api/v1/review-items (Bearer token), GET /api/v1/runs/{id} and a project page (signed-in
 *      session), one request at a time, first idle, then from POST /runs of a --words run until the
 *      run waits for review (drafted, checked, routed). The target: p95 under 100 ms during the run.
 *
 * Flags: --words 50000 --repeat 2 --app <built app folder, default .> --port 3320 --only drafter|server
 *        --profile <folder> (the server writes a V8 CPU profile there when it stops; open it in Chrome's DevTools)
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadDemoNotes } from "@/fixtures/stakeholder-notes";
import type { SynthesizeInput } from "@/lib/requirements/schema";

const { values: flags } = parseArgs({
  options: {
    words: { type: "string", default: "50000" },
    repeat: { type: "string", default: "2" },
    app: { type: "string", default: "." },
    port: { type: "string", default: "3320" },
    only: { type: "string" },
    profile: { type: "string" },
  },
});
const WORDS = Number(flags.words);
const REPEAT = Number(flags.repeat);
const PORT = Number(flags.port);
const APP_DIR = path.resolve(flags.app);
if (![WORDS, REPEAT, PORT].every((n) => Number.isInteger(n) && n > 0) || (flags.only && !["drafter", "server"].includes(flags.only))) {
  console.error("--words, --repeat and --port take whole numbers above 0; --only takes drafter or server.");
  process.exit(2);
}

const TARGET_P95_MS = 100;
const IDLE_SAMPLES = 30;
const PAUSE_MS = 25;
const RUN_DEADLINE_MS = 15 * 60_000;

const dir = mkdtempSync(path.join(tmpdir(), "countersign-responsiveness-"));
process.env.DATABASE_URL = `file:${path.join(dir, "bench.db")}`;
process.env.DEMO = "0";
process.env.NEXT_TELEMETRY_DISABLED = "1";
process.env.AUTH_SECRET ??= randomBytes(24).toString("hex");

const project = { name: "Bike-share rider app", brief: "A rider app for the city bike-share." };
const notes = loadDemoNotes();
const wordsOf = (text: string) => text.split(/\s+/).length;

/** Copies of the demo notes, each copy its own sources, until there are at least `words` words. */
function notesOf(words: number): SynthesizeInput["sources"] {
  const perCopy = notes.reduce((total, note) => total + wordsOf(note.text), 0);
  return Array.from({ length: Math.ceil(words / perCopy) }, (_, copy) => notes.map((note, index) => ({ id: `s${index}-${copy}`, ...note }))).flat();
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const ms = (value: number) => `${value.toFixed(0)} ms`.padStart(9);

// ---------------------------------------------------------------------------------------------
// 1. The drafter's growth with the size of the notes.

function cpuMs<T>(work: () => T): number {
  const before = process.cpuUsage();
  work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

async function benchDrafter(): Promise<void> {
  const { draftRequirements } = await import("@/lib/models/offline");
  const { segmentSource } = await import("@/lib/models/offline/segment");
  const { extractCandidates } = await import("@/lib/models/offline/extract");
  const { groupCandidates } = await import("@/lib/models/offline/group");
  const { findConflicts } = await import("@/lib/models/offline/conflicts");
  const { findOpenQuestions } = await import("@/lib/models/offline/questions");
  const voice = { organisation: "Bike-share", staff: "Bike-share staff" };
  // Warms the NLP library's lazy set-up, which the first draft would otherwise pay.
  draftRequirements({ project, sources: notesOf(1) });

  const sizes = [20_000, WORDS];
  const figures = sizes.map((target) => {
    const sources = notesOf(target);
    const words = sources.reduce((total, source) => total + wordsOf(source.text), 0);
    let drafter = Infinity;
    let matching = Infinity;
    for (let run = 0; run < REPEAT; run++) {
      drafter = Math.min(drafter, cpuMs(() => draftRequirements({ project, sources })));
      const blocks = sources.flatMap((source) => segmentSource(source));
      const candidates = extractCandidates(blocks, voice);
      const { discussionPoints } = findOpenQuestions(blocks);
      matching = Math.min(
        matching,
        cpuMs(() => {
          const groups = groupCandidates(candidates);
          const ids = new Map(groups.map((group, index) => [group, `R${index + 1}`]));
          findConflicts(groups, (group) => ids.get(group)!, discussionPoints, blocks);
        }),
      );
    }
    console.log(`drafter: ${String(words).padStart(6)} words in ${sources.length} sources   whole draft ${ms(drafter)}   grouping + conflict search ${ms(matching)}`);
    return { words, drafter, matching };
  });
  const [small, large] = figures;
  const exponent = (a: number, b: number) => Math.log(b / a) / Math.log(large.words / small.words);
  console.log(
    `exponent ${small.words} -> ${large.words} words: whole draft ${exponent(small.drafter, large.drafter).toFixed(2)}, grouping + conflict search ${exponent(small.matching, large.matching).toFixed(2)} (1 = linear)`,
  );
}

// ---------------------------------------------------------------------------------------------
// 2. Latency of the production server, idle and while a large run drafts.

type World = { projectId: string; token: string; email: string; password: string };

async function seedWorld(words: number): Promise<World> {
  const { migrate } = await import("@/lib/migrations");
  await migrate();
  const { systemActor } = await import("@/lib/actors");
  const { insertUser } = await import("@/lib/users/service");
  const { createProject } = await import("@/lib/projects/service");
  const { addSource } = await import("@/lib/sources/service");
  const { updateStageAssignments } = await import("@/lib/stages/service");
  const { createTokenForEmail } = await import("@/lib/tokens/service");
  const { disconnectDb } = await import("@/lib/db");
  const bench = systemActor("bench");
  const [email, password] = ["owner@bench.local", "bench-password"];
  const owner = await insertUser(bench, { email, name: "Owner", password, role: "admin" });
  const actor = { type: "user", userId: owner.id, email, name: owner.name, role: "admin", tokenId: null } as const;
  await insertUser(bench, { email: "reviewer@bench.local", name: "Reviewer", password });
  const { id: projectId } = await createProject(actor, { name: "Responsiveness" });
  await updateStageAssignments(actor, projectId, "requirements", { reviewerEmails: ["reviewer@bench.local"] });
  for (const { title, kind, text } of notesOf(words)) await addSource(actor, projectId, { title, kind, text });
  const { secret: token } = await createTokenForEmail(bench, email, "bench");
  await disconnectDb();
  return { projectId, token, email, password };
}

function ensureBuild(): void {
  if (existsSync(path.join(APP_DIR, ".next", "BUILD_ID"))) return;
  console.log(`No production build in ${APP_DIR}: running next build...`);
  const build = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], { cwd: APP_DIR, stdio: "inherit", env: process.env });
  if (build.status !== 0) throw new Error("next build failed");
}

async function startServer(): Promise<{ child: ChildProcess; log: string[] }> {
  const log: string[] = [];
  // `node .../next start` rather than npx, so the server's pid is the child's and stopping it stops the server.
  const profile = flags.profile ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(flags.profile)}`] : [];
  const child = spawn(process.execPath, [...profile, "node_modules/next/dist/bin/next", "start", "-p", String(PORT), "-H", "127.0.0.1"], {
    cwd: APP_DIR,
    env: { ...process.env, NODE_ENV: "production", PORT: String(PORT) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const keep = (chunk: Buffer) => log.push(...chunk.toString().split("\n").filter(Boolean));
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && child.exitCode === null) {
    if (await fetch(`${base()}/api/ready`).then((response) => response.ok, () => false)) return { child, log };
    await sleep(250);
  }
  child.kill("SIGTERM");
  throw new Error(`The server on port ${PORT} did not become ready:\n${log.slice(-20).join("\n")}`);
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await Promise.race([exited, sleep(10_000)]);
  if (child.exitCode === null) child.kill("SIGKILL");
}

const base = () => `http://127.0.0.1:${PORT}`;
const sleep = (time: number) => new Promise((resolve) => setTimeout(resolve, time));

/** A browser session: Auth.js's CSRF token, then the credentials callback; returns the cookies to send. */
async function signIn(email: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (response: Response) => {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const at = pair.indexOf("=");
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
  };
  const header = () => [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
  const csrf = await fetch(`${base()}/api/auth/csrf`);
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const callback = await fetch(`${base()}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: header(), origin: base() },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${base()}/` }),
  });
  keep(callback);
  if (![...jar.keys()].some((name) => name.includes("session-token"))) throw new Error(`Signing in failed (${callback.status}).`);
  return header();
}

type Probe = { label: string; url: string; headers: Record<string, string> };

async function timed(probe: Probe): Promise<number> {
  const started = performance.now();
  const response = await fetch(probe.url, { headers: probe.headers, redirect: "manual" });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${probe.label} answered ${response.status}`);
  return performance.now() - started;
}

function report(title: string, samples: Map<string, number[]>): boolean {
  console.log(title);
  let met = true;
  for (const [label, values] of samples) {
    const p95 = percentile(values, 95);
    met &&= p95 < TARGET_P95_MS;
    console.log(`  ${label.padEnd(34)} p50 ${ms(percentile(values, 50))}   p95 ${ms(p95)}   max ${ms(Math.max(...values))}   (n=${values.length})`);
  }
  return met;
}

async function benchServer(): Promise<void> {
  ensureBuild();
  const world = await seedWorld(WORDS);
  const { child, log } = await startServer();
  try {
    const cookie = await signIn(world.email, world.password);
    const bearer = { authorization: `Bearer ${world.token}` };
    const probes: Probe[] = [
      { label: "GET /api/health", url: `${base()}/api/health`, headers: {} },
      { label: "GET /api/v1/review-items (token)", url: `${base()}/api/v1/review-items?status=pending&limit=20`, headers: bearer },
      { label: "GET /review (page)", url: `${base()}/review`, headers: { cookie } },
      { label: "GET /projects/{id} (page)", url: `${base()}/projects/${world.projectId}`, headers: { cookie } },
    ];
    const idle = new Map(probes.map((probe) => [probe.label, [] as number[]]));
    for (let round = 0; round < IDLE_SAMPLES; round++) {
      for (const probe of probes) idle.get(probe.label)!.push(await timed(probe));
    }
    report("idle:", idle);

    const started = performance.now();
    const response = await fetch(`${base()}/api/v1/projects/${world.projectId}/runs`, {
      method: "POST",
      headers: { ...bearer, "content-type": "application/json" },
      body: JSON.stringify({ stage: "requirements" }),
    });
    const postMs = performance.now() - started;
    if (!response.ok) throw new Error(`POST /runs answered ${response.status}: ${await response.text()}`);
    const { id: runId } = (await response.json()) as { id: string };
    const runProbe: Probe = { label: "GET /api/v1/runs/{id} (token)", url: `${base()}/api/v1/runs/${runId}`, headers: bearer };
    const busy = new Map([...probes, runProbe].map((probe) => [probe.label, [] as number[]]));
    let status = "queued";
    let failure: string | null = null;
    while (["queued", "running"].includes(status)) {
      if (performance.now() - started > RUN_DEADLINE_MS) throw new Error(`The run was still ${status} after ${RUN_DEADLINE_MS / 60_000} minutes.`);
      for (const probe of probes) {
        busy.get(probe.label)!.push(await timed(probe));
        await sleep(PAUSE_MS);
      }
      const polled = performance.now();
      const run = await fetch(runProbe.url, { headers: bearer });
      ({ status, error: failure } = (await run.json()) as { status: string; error: string | null });
      busy.get(runProbe.label)!.push(performance.now() - polled);
    }
    const runSeconds = (performance.now() - started) / 1000;
    console.log(`run of ${WORDS} words: POST /runs answered in ${ms(postMs).trim()}; ${status} after ${runSeconds.toFixed(1)} s`);
    const met = report(`while it ran (drafted, checked, routed):`, busy);
    console.log(`target p95 < ${TARGET_P95_MS} ms on every probe while the run works: ${met ? "met" : "NOT met"}`);
    if (status === "failed") console.log(`the run failed: ${failure}\nserver log:\n${log.slice(-20).join("\n")}`);
  } finally {
    await stopServer(child);
  }
}

async function main() {
  if (flags.only !== "server") await benchDrafter();
  if (flags.only !== "drafter") await benchServer();
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
