import { randomUUID } from "node:crypto";
import cronParser from "cron-parser";
import { db, type Tx } from "@/lib/db";
import { log } from "@/lib/log";
import { transact } from "@/lib/transaction";
import type { Job, JobBackend, JobHandler, JobState, QueueOptions } from "./schema";
import { isDeadLocalWorker, localWorkerPrefix, newWorkerId } from "./worker-id";

/**
 * The in-process implementation for the embedded SQLite database: jobs are rows of the "job"
 * table (migration 0008_jobs), so they survive restarts and can be shared by several processes
 * on one file. A job is taken by one UPDATE ... RETURNING, which SQLite runs atomically, so two
 * workers never hold the same job. Retries, backoff, expiry and dead letters follow pg-boss 10.
 */
type JobRow = {
  id: string;
  queue: string;
  data: string;
  state: JobState;
  singletonKey: string | null;
  retryLimit: number | bigint;
  retryCount: number | bigint;
  retryDelaySeconds: number | bigint;
  retryBackoff: boolean | number | bigint;
  expireInSeconds: number | bigint;
  deadLetter: string | null;
  startAfter: number | bigint;
  lockedBy: string | null;
  output: string | null;
};

type Executor = Pick<Tx, "$queryRawUnsafe" | "$executeRawUnsafe">;

function toJob(row: JobRow): Job {
  return {
    id: row.id,
    queue: row.queue,
    data: JSON.parse(row.data) as unknown,
    state: row.state,
    retryCount: Number(row.retryCount),
    retryLimit: Number(row.retryLimit),
    startAfter: new Date(Number(row.startAfter)),
    singletonKey: row.singletonKey,
    output: row.output === null ? null : (JSON.parse(row.output) as unknown),
  };
}

function describeError(error: unknown): { message: string } {
  return { message: error instanceof Error ? error.message : String(error) };
}

/** pg-boss's jittered doubling: the n-th retry waits between delay * 2^n and delay * 2^(n+1). */
function retryDelayMs(row: JobRow): number {
  const delay = Number(row.retryDelaySeconds);
  if (!row.retryBackoff || Number(row.retryBackoff) === 0) return delay * 1000;
  const base = (delay * 2 ** Math.min(16, Number(row.retryCount) + 1)) / 2;
  return (base + base * Math.random()) * 1000;
}

const CLEAN_UP_EVERY_MS = 3_600_000;
/** Finished jobs are kept as long as pg-boss keeps them before archiving (its 14-day default). */
const KEEP_FINISHED_JOBS_MS = 14 * 86_400_000;

export type SqliteJobsOptions = {
  /** The clock jobs are timed by; tests pass a controlled one. */
  now?: () => Date;
  workerId?: string;
};

export type SqliteJobBackend = JobBackend & {
  /** Sends the jobs of schedules that came due; returns how many it sent. */
  tickSchedules(): Promise<number>;
};

export function createSqliteJobs(options: SqliteJobsOptions = {}): SqliteJobBackend {
  const now = () => (options.now ?? (() => new Date()))().getTime();
  const workerId = options.workerId ?? newWorkerId();
  const wakers = new Map<string, Set<() => void>>();
  const loops: Promise<void>[] = [];
  let stopping = false;
  let recoveredDeadWorkers = false;

  async function insert(client: Executor, queue: string, data: unknown, fields: {
    singletonKey: string | null;
    retryLimit: number;
    retryDelaySeconds: number;
    retryBackoff: boolean;
    expireInSeconds: number;
    deadLetter: string | null;
    startAfter: number;
    output?: unknown;
  }): Promise<string | null> {
    const id = randomUUID();
    const count = await client.$executeRawUnsafe(
      `INSERT INTO "job" ("id", "queue", "data", "singletonKey", "retryLimit", "retryDelaySeconds", "retryBackoff",
         "expireInSeconds", "deadLetter", "startAfter", "createdAt", "output")
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      id,
      queue,
      JSON.stringify(data ?? null),
      fields.singletonKey,
      fields.retryLimit,
      fields.retryDelaySeconds,
      fields.retryBackoff ? 1 : 0,
      fields.expireInSeconds,
      fields.deadLetter,
      fields.startAfter,
      now(),
      fields.output === undefined ? null : JSON.stringify(fields.output),
    );
    return count === 1 ? id : null;
  }

  /** Takes the oldest due job of the queue, or returns null. */
  async function fetchNext(queue: string): Promise<Job | null> {
    const at = now();
    const rows = await db().$queryRawUnsafe<JobRow[]>(
      `UPDATE "job" SET "state" = 'active', "startedAt" = ?, "lockedBy" = ?, "expiresAt" = ? + "expireInSeconds" * 1000,
         "retryCount" = CASE WHEN "startedAt" IS NULL THEN "retryCount" ELSE "retryCount" + 1 END
       WHERE "id" = (SELECT "id" FROM "job" WHERE "queue" = ? AND "state" IN ('created', 'retry') AND "startAfter" <= ?
                     ORDER BY "createdAt", "rowid" LIMIT 1)
         AND "state" IN ('created', 'retry')
       RETURNING *`,
      at,
      workerId,
      at,
      queue,
      at,
    );
    return rows[0] ? toJob(rows[0]) : null;
  }

  async function complete(job: Job): Promise<void> {
    await db().$executeRawUnsafe(
      `UPDATE "job" SET "state" = 'completed', "completedAt" = ?, "lockedBy" = NULL, "expiresAt" = NULL
       WHERE "id" = ? AND "state" = 'active' AND "lockedBy" = ?`,
      now(),
      job.id,
      workerId,
    );
  }

  /** A failed attempt: retried after its delay while retries remain, else failed and dead-lettered. */
  async function fail(jobId: string, error: unknown, heldBy: string | null): Promise<void> {
    await transact(async (tx) => {
      const [row] = await tx.$queryRawUnsafe<JobRow[]>(`SELECT * FROM "job" WHERE "id" = ? AND "state" = 'active'`, jobId);
      if (!row || (heldBy !== null && row.lockedBy !== heldBy)) return;
      const output = JSON.stringify(describeError(error));
      if (Number(row.retryCount) < Number(row.retryLimit)) {
        await tx.$executeRawUnsafe(
          `UPDATE "job" SET "state" = 'retry', "startAfter" = ?, "lockedBy" = NULL, "expiresAt" = NULL, "output" = ? WHERE "id" = ?`,
          Math.round(now() + retryDelayMs(row)),
          output,
          jobId,
        );
        return;
      }
      await tx.$executeRawUnsafe(
        `UPDATE "job" SET "state" = 'failed', "completedAt" = ?, "lockedBy" = NULL, "expiresAt" = NULL, "output" = ? WHERE "id" = ?`,
        now(),
        output,
        jobId,
      );
      if (row.deadLetter && row.deadLetter !== row.queue) {
        await insert(tx, row.deadLetter, JSON.parse(row.data), {
          singletonKey: null,
          retryLimit: Number(row.retryLimit),
          retryDelaySeconds: 0,
          retryBackoff: false,
          expireInSeconds: 900,
          deadLetter: null,
          startAfter: now(),
          output: describeError(error),
        });
      }
    });
  }

  /** Jobs whose handler outlived its expiry, or whose local worker process died, count as failed attempts. */
  async function recoverAbandoned(): Promise<void> {
    const expired = await db().$queryRawUnsafe<{ id: string }[]>(
      `SELECT "id" FROM "job" WHERE "state" = 'active' AND "expiresAt" < ?`,
      now(),
    );
    for (const { id } of expired) await fail(id, new Error("The job expired in the active state."), null);
    if (recoveredDeadWorkers) return;
    recoveredDeadWorkers = true;
    const local = await db().$queryRawUnsafe<{ id: string; lockedBy: string }[]>(
      `SELECT "id", "lockedBy" FROM "job" WHERE "state" = 'active' AND "lockedBy" LIKE ?`,
      `${localWorkerPrefix()}%`,
    );
    for (const job of local) {
      if (isDeadLocalWorker(job.lockedBy)) await fail(job.id, new Error("The worker process died."), job.lockedBy);
    }
  }

  let lastCleanUp = 0;

  /** What pg-boss's maintenance and timekeeper do: expire abandoned jobs, send due schedules, forget old jobs. */
  async function keepTime(): Promise<void> {
    await recoverAbandoned();
    await tickSchedules();
    if (now() - lastCleanUp < CLEAN_UP_EVERY_MS) return;
    lastCleanUp = now();
    await db().$executeRawUnsafe(
      `DELETE FROM "job" WHERE "state" IN ('completed', 'failed', 'cancelled') AND "completedAt" < ?`,
      now() - KEEP_FINISHED_JOBS_MS,
    );
  }

  async function handleOne(queue: string, handler: JobHandler): Promise<boolean> {
    const job = await fetchNext(queue);
    if (!job) return false;
    try {
      await handler(job);
      await complete(job);
    } catch (error) {
      await fail(job.id, error, workerId);
    }
    return true;
  }

  async function tickSchedules(): Promise<number> {
    const schedules = await db().$queryRawUnsafe<{ queue: string; cron: string; data: string; lastSlot: number | bigint | null }[]>(
      `SELECT * FROM "job_schedule"`,
    );
    let sent = 0;
    const at = now();
    for (const schedule of schedules) {
      const slot = cronParser.parseExpression(schedule.cron, { currentDate: new Date(at + 1), tz: "UTC" }).prev().getTime();
      // Like pg-boss: a slot is sent within the minute after it, once, whichever process sees it first.
      if (at - slot >= 60_000 || (schedule.lastSlot !== null && Number(schedule.lastSlot) >= slot)) continue;
      const queued = await transact(async (tx) => {
        const claimed = await tx.$executeRawUnsafe(
          `UPDATE "job_schedule" SET "lastSlot" = ? WHERE "queue" = ? AND ("lastSlot" IS NULL OR "lastSlot" < ?)`,
          slot,
          schedule.queue,
          slot,
        );
        return claimed === 1 ? send(scheduledQueues.get(schedule.queue), schedule.queue, JSON.parse(schedule.data), tx) : null;
      });
      if (queued) sent += 1;
    }
    return sent;
  }

  // Schedules remember their queue's options in this process, as the handler's process defines them.
  const scheduledQueues = new Map<string, QueueOptions>();

  function send(queue: QueueOptions | undefined, name: string, data: unknown, client: Executor, startAfter = now(), singletonKey?: string) {
    if (!queue) throw new Error(`The ${name} queue is not created in this process.`);
    return insert(client, name, data, {
      singletonKey: queue.singleton ? (singletonKey ?? "") : null,
      retryLimit: queue.retryLimit,
      retryDelaySeconds: queue.retryDelaySeconds,
      retryBackoff: queue.retryBackoff,
      expireInSeconds: queue.expireInSeconds,
      deadLetter: queue.deadLetter ?? null,
      startAfter,
    });
  }

  function sleep(queue: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const set = wakers.get(queue) ?? new Set();
      wakers.set(queue, set);
      const wake = () => {
        clearTimeout(timer);
        set.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      set.add(wake);
    });
  }

  const backend: SqliteJobBackend = {
    kind: "sqlite",
    async createQueue(queue) {
      scheduledQueues.set(queue.name, queue);
    },
    async send(queue, data, { startAfter, singletonKey, tx }) {
      return send(queue, queue.name, data, tx ?? db(), startAfter?.getTime() ?? now(), singletonKey);
    },
    async work(queue, handler, { pollMs }) {
      stopping = false;
      await recoverAbandoned();
      for (let i = 0; i < queue.concurrency; i++) {
        // One loop of the backend also keeps time: expiry, schedules, clean-up.
        const keepsTime = loops.length === 0;
        loops.push(
          (async () => {
            while (!stopping) {
              let handled = false;
              try {
                if (keepsTime) await keepTime();
                handled = await handleOne(queue.name, handler);
              } catch (error) {
                log().error({ err: error, queue: queue.name }, "job loop failed");
              }
              if (!handled && !stopping) await sleep(queue.name, pollMs);
            }
          })(),
        );
      }
    },
    async drain(queue, handler) {
      await recoverAbandoned();
      let handled = 0;
      while (await handleOne(queue.name, handler)) handled += 1;
      return handled;
    },
    notify(queueName) {
      for (const wake of [...(wakers.get(queueName) ?? [])]) wake();
    },
    async schedule(queue, cron, data) {
      cronParser.parseExpression(cron, { tz: "UTC" });
      scheduledQueues.set(queue.name, queue);
      await db().$executeRawUnsafe(
        `INSERT INTO "job_schedule" ("queue", "cron", "data") VALUES (?, ?, ?)
         ON CONFLICT ("queue") DO UPDATE SET "cron" = excluded."cron", "data" = excluded."data"`,
        queue.name,
        cron,
        JSON.stringify(data ?? null),
      );
    },
    async unschedule(queueName) {
      await db().$executeRawUnsafe(`DELETE FROM "job_schedule" WHERE "queue" = ?`, queueName);
    },
    async getJob(_queueName, id) {
      const [row] = await db().$queryRawUnsafe<JobRow[]>(`SELECT * FROM "job" WHERE "id" = ?`, id);
      return row ? toJob(row) : null;
    },
    async stop() {
      stopping = true;
      for (const set of wakers.values()) for (const wake of [...set]) wake();
      await Promise.all(loops.splice(0));
    },
    tickSchedules,
  };
  return backend;
}
