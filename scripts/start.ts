/**
 * `npm start`: applies migrations, seeds the demo on an empty database, builds when the code
 * changed since the last build, serves on PORT and says "Ready" once /api/ready does.
 * `npm run dev` does the same with next dev. A second start in the same folder never rebuilds
 * under a live server: on a port already taken it says by whom and exits 1; otherwise it reuses
 * a current build, and refuses (exit 1) when only a rebuild would do.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { acquireBuildLock, decideBuild, describeServer, liveServers, recordServer } from "@/lib/ops/start-lock";

const root = path.resolve(import.meta.dirname, "..");
process.chdir(root);
process.env.NEXT_TELEMETRY_DISABLED = "1";
const dev = process.argv.includes("--dev");

/** Sessions must survive restarts: without AUTH_SECRET, one is made once and kept in data/. */
function ensureAuthSecret(): void {
  if (process.env.AUTH_SECRET) return;
  const file = path.join(root, "data", ".auth-secret");
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  }
  process.env.AUTH_SECRET = readFileSync(file, "utf8").trim();
}

/** What the build is made from: the app's folders and the config and convention files at the root. */
function buildInputs(): string[] {
  const rootFiles = readdirSync(root).filter((name) => /\.(ts|mts|mjs|json)$/.test(name) && !name.endsWith(".tsbuildinfo"));
  return ["app", "components", "lib", "public", "prisma", "fixtures", ...rootFiles];
}

function fingerprint(): string {
  const hash = createHash("sha256");
  const visit = (entry: string) => {
    if (!existsSync(entry)) return;
    const stat = statSync(entry);
    if (stat.isDirectory()) {
      for (const child of readdirSync(entry).sort()) visit(path.join(entry, child));
    } else {
      hash.update(`${entry}:${stat.size}:${stat.mtimeMs}\n`);
    }
  };
  buildInputs().forEach(visit);
  return hash.digest("hex");
}

type ServerInfo = { port: number; hostname: string; database: string };

/**
 * Builds when the code changed since the last build, under the build lock, and never under
 * another live server of this folder (lib/ops/start-lock.ts); a current build is reused.
 */
async function buildIfNeeded(server: ServerInfo): Promise<void> {
  const stamp = path.join(root, ".next", "countersign-build");
  const release = await acquireBuildLock(root, (holder) => console.log(`Waiting for the build that pid ${holder} is running in this folder...`));
  try {
    const current = fingerprint();
    const isCurrent = existsSync(path.join(root, ".next", "BUILD_ID")) && existsSync(stamp) && readFileSync(stamp, "utf8") === current;
    const decision = decideBuild(isCurrent, liveServers(root));
    if (decision.action === "refuse") {
      console.error(decision.reason);
      process.exit(1);
    }
    if (decision.action === "build") {
      console.log("Building the app (first start or code changed)...");
      const build = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], { stdio: "inherit", env: process.env });
      if (build.status !== 0) process.exit(build.status ?? 1);
      writeFileSync(stamp, current);
    }
    // From here this start uses the build: no other start may replace it.
    recordServer(root, { ...server, phase: "serving" });
  } finally {
    release();
  }
}

/** Exits when another live start or server of this folder has the port (the earlier one keeps it). */
function claimPort(server: ServerInfo): void {
  recordServer(root, { ...server, phase: "starting" });
  const mine = liveServers(root, -1).find((record) => record.pid === process.pid);
  const holder = liveServers(root).find(
    (record) => record.port === server.port && (!mine || record.since < mine.since || (record.since === mine.since && record.pid < process.pid)),
  );
  if (!holder) return;
  console.error(
    `Countersign is already ${describeServer(holder)} in ${root}.\n` +
      `Use that server, stop it first (kill ${holder.pid}), or start another one on a free port (PORT=3001 npm start).`,
  );
  process.exit(1);
}

/** Says "Ready" only when /api/ready does, so the first sign-in finds everything in place. */
async function announceWhenReady(server: ServerInfo): Promise<void> {
  const host = server.hostname === "0.0.0.0" || server.hostname === "::" ? "127.0.0.1" : server.hostname;
  const started = Date.now();
  let reported = false;
  for (;;) {
    try {
      const response = await fetch(`http://${host}:${server.port}/api/ready`);
      if (response.ok) {
        console.log(`Ready: http://localhost:${server.port} (pid ${process.pid})`);
        return;
      }
      if (!reported && Date.now() - started > 30_000) {
        console.log(`Not ready yet: ${JSON.stringify((await response.json()) as unknown)}`);
        reported = true;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

async function main() {
  ensureAuthSecret();
  const { env } = await import("@/lib/env");
  const config = env();
  const server: ServerInfo = { port: config.PORT, hostname: config.HOSTNAME, database: config.DATABASE_URL.replace(/\/\/[^@/]*@/, "//") };
  claimPort(server);

  const { describeStartup, prepareDatabase } = await import("@/lib/ops/startup");
  for (const line of describeStartup(await prepareDatabase())) console.log(line);
  const { disconnectDb } = await import("@/lib/db");
  await disconnectDb();

  if (dev) recordServer(root, { ...server, phase: "serving" });
  else await buildIfNeeded(server);
  const args = ["node_modules/next/dist/bin/next", dev ? "dev" : "start", "-p", String(config.PORT), "-H", config.HOSTNAME];
  const child = spawn(process.execPath, args, { stdio: "inherit", env: process.env });
  recordServer(root, { ...server, serverPid: child.pid, phase: "serving" });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
  child.on("exit", (code) => process.exit(code ?? 0));
  await announceWhenReady(server);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
