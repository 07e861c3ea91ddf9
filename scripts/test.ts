/**
 * `npm test`: everything a change must pass.
 *   0. ESLint (Next's and TypeScript's recommended rules);
 *   1. unit and integration tests (vitest) on SQLite;
 *   2. the integration tests again on PostgreSQL, when a server is reachable;
 *   3. the end-to-end flow in Chromium (Playwright) against a freshly built app.
 * Prints one closing line "N passed, N failed" for the whole run.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";

const root = path.resolve(import.meta.dirname, "..");
process.chdir(root);
const reports = path.join(root, "test-results", "reports");
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

const CHROMIUM = "/usr/bin/chromium";
const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

type Tally = { passed: number; failed: number; skipped: number };
const total: Tally = { passed: 0, failed: 0, skipped: 0 };
const failedPhases: string[] = [];

function run(label: string, command: string, args: string[], env: Record<string, string> = {}): boolean {
  console.log(`\n=== ${label} ===`);
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env } });
  if (result.status !== 0) failedPhases.push(label);
  return result.status === 0;
}

function addVitest(file: string): void {
  if (!existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, "utf8")) as { numPassedTests: number; numFailedTests: number; numPendingTests: number };
  total.passed += report.numPassedTests;
  total.failed += report.numFailedTests;
  total.skipped += report.numPendingTests;
}

function addPlaywright(file: string): void {
  if (!existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, "utf8")) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number } };
  total.passed += report.stats.expected + report.stats.flaky;
  total.failed += report.stats.unexpected;
  total.skipped += report.stats.skipped;
}

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Debian's Chromium drives the browser tests (Playwright cannot download its own here). */
function ensureChromium(): boolean {
  if (existsSync(CHROMIUM)) return true;
  const isRoot = process.getuid?.() === 0;
  if (isRoot && existsSync("/usr/bin/apt-get")) {
    console.log("Chromium is missing: installing Debian's chromium package...");
    const update = spawnSync("apt-get", ["update"], { stdio: "inherit" });
    const install = update.status === 0 && spawnSync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    if (install && install.status === 0 && existsSync(CHROMIUM)) return true;
  }
  console.error(`The end-to-end tests need Chromium at ${CHROMIUM}. Install it with:\n  sudo apt-get update && sudo apt-get install -y chromium`);
  return false;
}

async function main() {
  run("lint (ESLint)", process.execPath, ["node_modules/eslint/bin/eslint.js", "--max-warnings", "0", "."]);

  const vitestJson = path.join(reports, "vitest-sqlite.json");
  run("unit + integration (SQLite)", process.execPath, ["node_modules/vitest/vitest.mjs", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`]);
  addVitest(vitestJson);

  if (await postgresReachable()) {
    const pgJson = path.join(reports, "vitest-postgres.json");
    run("integration (PostgreSQL)", process.execPath, ["node_modules/vitest/vitest.mjs", "run", "--project", "integration", "--reporter=default", "--reporter=json", `--outputFile.json=${pgJson}`], {
      TEST_POSTGRES_URL: POSTGRES_URL,
    });
    addVitest(pgJson);
  } else {
    console.log(`\n=== integration (PostgreSQL) skipped: no server at ${POSTGRES_URL} (set TEST_POSTGRES_URL to point at one) ===`);
  }

  if (ensureChromium()) {
    const e2eJson = path.join(reports, "playwright.json");
    run("end-to-end (Chromium)", process.execPath, ["node_modules/@playwright/test/cli.js", "test"], {
      PLAYWRIGHT_JSON_OUTPUT_NAME: e2eJson,
    });
    addPlaywright(e2eJson);
  } else {
    failedPhases.push("end-to-end (Chromium missing)");
  }

  console.log(`\n${failedPhases.length ? `Failed: ${failedPhases.join(", ")}` : "All test phases passed."}`);
  console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ""}`);
  process.exit(failedPhases.length ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
