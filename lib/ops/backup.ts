import { existsSync, mkdirSync, readdirSync, readlinkSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { databaseProvider, env } from "@/lib/env";
import { badRequest, conflict } from "@/lib/errors";
import { loadMigrations, MIGRATIONS_TABLE } from "@/lib/migrations";
import { liveServers } from "@/lib/ops/start-lock";

/**
 * Backups of the SQLite database, taken with SQLite's online backup API so the copy is
 * consistent while the app keeps writing (a write during the copy restarts it), and restores
 * that check what they are given before they replace anything. PostgreSQL has pg_dump.
 */
const ALL_PAGES = 2 ** 31 - 1;

export const postgresInstructions = `This deployment uses PostgreSQL: back it up with pg_dump, which takes a consistent snapshot while the app runs:
  pg_dump --format=custom --file=countersign.dump "$DATABASE_URL"
and restore into an empty database (stop the app first) with:
  pg_restore --no-owner --dbname="$DATABASE_URL" countersign.dump`;

export type BackupReport = { file: string; bytes: number; migrations: number };

function sqlitePath(url: string): string {
  if (databaseProvider(url) !== "sqlite") throw badRequest(postgresInstructions);
  return path.resolve(url.replace(/^file:/, ""));
}

/** Copies the live database to `target` (which must not exist yet) and checks the copy. */
export async function backupDatabase(target: string, url = env().DATABASE_URL): Promise<BackupReport> {
  const source = sqlitePath(url);
  const file = path.resolve(target);
  if (!existsSync(source)) throw badRequest(`There is no database at ${source} to back up.`);
  if (existsSync(file)) throw conflict(`${file} already exists; choose a new file name so no backup is overwritten.`);
  const connection = new Database(source, { readonly: true, fileMustExist: true, timeout: 10_000 });
  try {
    // After the first 100 pages, the rest in one step: in small steps, a write between two of
    // them restarts the copy, and a busy app would restart it forever.
    await connection.backup(file, { progress: () => ALL_PAGES });
  } finally {
    connection.close();
  }
  const { migrations } = inspect(file);
  return { file, bytes: statSync(file).size, migrations };
}

export type RestoreReport = { file: string; replaced: string | null; migrations: number };

/**
 * Replaces the database with a backup. Refuses while any process has the database open (a
 * running server or worker) and refuses a file that is not an intact Countersign database whose
 * migrations this code knows. The database it replaces is kept beside it.
 */
export async function restoreDatabase(backup: string, url = env().DATABASE_URL): Promise<RestoreReport> {
  const target = sqlitePath(url);
  const source = path.resolve(backup);
  if (!existsSync(source)) throw badRequest(`There is no backup at ${source}.`);
  if (source === target) throw badRequest("The backup is the database itself.");
  assertNotInUse(target);
  const { migrations } = inspect(source);

  mkdirSync(path.dirname(target), { recursive: true });
  const staging = `${target}.restoring`;
  rmSync(staging, { force: true });
  const connection = new Database(source, { readonly: true, fileMustExist: true });
  try {
    await connection.backup(staging, { progress: () => ALL_PAGES });
  } finally {
    connection.close();
  }
  let replaced: string | null = null;
  if (existsSync(target)) {
    replaced = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, "-")}`;
    renameSync(target, replaced);
  }
  // A WAL left from the replaced database would be replayed into the restored one.
  for (const suffix of ["-wal", "-shm", "-journal"]) rmSync(`${target}${suffix}`, { force: true });
  renameSync(staging, target);
  return { file: target, replaced, migrations };
}

/** An intact SQLite file with Countersign's migrations table, every entry one this code has. */
function inspect(file: string): { migrations: number } {
  let connection: Database.Database;
  try {
    connection = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw badRequest(`${file} cannot be opened as a SQLite database: ${(error as Error).message}`);
  }
  try {
    let integrity: string;
    try {
      integrity = String(connection.pragma("quick_check", { simple: true }));
    } catch (error) {
      throw badRequest(`${file} is not a SQLite database: ${(error as Error).message}`);
    }
    if (integrity !== "ok") throw badRequest(`${file} is damaged: ${integrity}`);
    const hasTable = connection.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(MIGRATIONS_TABLE);
    if (!hasTable) throw badRequest(`${file} is not a Countersign database (it has no ${MIGRATIONS_TABLE} table).`);
    const applied = connection.prepare(`SELECT name, checksum FROM "${MIGRATIONS_TABLE}"`).all() as { name: string; checksum: string }[];
    const known = new Map(loadMigrations("sqlite").map((m) => [m.name, m.checksum]));
    const unknown = applied.filter((m) => known.get(m.name) !== m.checksum).map((m) => m.name);
    if (unknown.length > 0) {
      throw badRequest(`${file} has migrations this version of Countersign does not have (or has differently): ${unknown.join(", ")}. Restore it with the version that made it.`);
    }
    if (applied.length === 0) throw badRequest(`${file} is not a Countersign database (no migrations applied).`);
    return { migrations: applied.length };
  } finally {
    connection.close();
  }
}

/** Another process with the database open, seen from its start record or from /proc (Linux). */
function assertNotInUse(target: string): void {
  const root = process.cwd();
  const server = liveServers(root).find((record) => record.database.startsWith("file:") && path.resolve(root, record.database.slice(5)) === target);
  if (server) throw conflict(`A Countersign server (pid ${server.pid}, port ${server.port}) is running on ${target}. Stop it, then restore.`);
  const holders = processesWithOpen(target);
  if (holders.length > 0) throw conflict(`${target} is open in process ${holders.join(", ")} (a server or worker). Stop it, then restore.`);
}

function processesWithOpen(file: string): number[] {
  if (!existsSync("/proc/self/fd")) return [];
  const names = new Set([file, `${file}-wal`, `${file}-shm`]);
  const holders: number[] = [];
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    const open = fds.some((fd) => {
      try {
        return names.has(readlinkSync(`/proc/${pid}/fd/${fd}`));
      } catch {
        return false;
      }
    });
    if (open) holders.push(pid);
  }
  return holders;
}
