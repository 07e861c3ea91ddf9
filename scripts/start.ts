/**
 * `npm start`: applies migrations, seeds the demo on an empty database, builds when the code
 * changed since the last build, then serves on PORT. `npm run dev` does the same with next dev.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

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

function buildIfNeeded(): void {
  const stamp = path.join(root, ".next", "countersign-build");
  const current = fingerprint();
  if (existsSync(path.join(root, ".next", "BUILD_ID")) && existsSync(stamp) && readFileSync(stamp, "utf8") === current) return;
  console.log("Building the app (first start or code changed)...");
  const build = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], { stdio: "inherit", env: process.env });
  if (build.status !== 0) process.exit(build.status ?? 1);
  writeFileSync(stamp, current);
}

async function main() {
  ensureAuthSecret();
  const { env } = await import("@/lib/env");
  const config = env();
  const { migrate } = await import("@/lib/migrations");
  const applied = await migrate();
  if (applied.length > 0) console.log(`Applied migrations: ${applied.join(", ")}`);

  const { seedDemoIfEmpty } = await import("@/lib/demo/seed");
  const { demoAccounts } = await import("@/lib/demo/accounts");
  const seed = await seedDemoIfEmpty();
  if (seed.seeded) {
    console.log("\nCreated the demo workspace. Sign in as any of:");
    for (const account of Object.values(demoAccounts)) console.log(`  ${account.email}`);
    console.log(
      seed.generatedPassword
        ? `Password (generated, shown only this once): ${seed.password}\nSet DEMO_PASSWORD to choose it.\n`
        : "Password: the value of DEMO_PASSWORD.\n",
    );
  }
  const { disconnectDb } = await import("@/lib/db");
  await disconnectDb();

  if (!dev) buildIfNeeded();
  const args = ["node_modules/next/dist/bin/next", dev ? "dev" : "start", "-p", String(config.PORT), "-H", config.HOSTNAME];
  const server = spawn(process.execPath, args, { stdio: "inherit", env: process.env });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
  server.on("exit", (code) => process.exit(code ?? 0));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
