/** Starts the app for the browser tests on a fresh database, exactly as `npm start` would. */
import { rmSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(path.join(root, "data", `e2e.db${suffix}`), { force: true });
await import("../scripts/start");
