import PgBoss from "pg-boss";
import type { Tx } from "@/lib/db";
import { log } from "@/lib/log";
import type { Job, JobBackend, JobState, QueueOptions } from "./schema";

/**
 * The PostgreSQL implementation: pg-boss 10 in its own "pgboss" schema, which it creates and
 * upgrades itself on start. A singleton queue is pg-boss's "short" policy (one waiting job per
 * key). A job sent with a transaction is inserted through that Prisma transaction, so it exists
 * exactly when the change that caused it commits.
 */
export const PG_BOSS_SCHEMA = "pgboss";

type PgBossOptions = { connectionString: string; pollMs?: number };

function toJob(job: PgBoss.JobWithMetadata<unknown>): Job {
  return {
    id: job.id,
    queue: job.name,
    data: job.data,
    state: job.state as JobState,
    retryCount: job.retryCount,
    retryLimit: job.retryLimit,
    startAfter: new Date(job.startAfter),
    singletonKey: job.singletonKey,
    output: job.output ?? null,
  };
}

/** pg-boss's queries run on the transaction's connection (objects become JSON, undefined NULL). */
function transactionExecutor(tx: Tx): PgBoss.Db {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      const params = values.map((value) =>
        value === undefined ? null : value !== null && typeof value === "object" && !(value instanceof Date) ? JSON.stringify(value) : value,
      );
      return { rows: await tx.$queryRawUnsafe<Record<string, unknown>[]>(text, ...params) };
    },
  };
}

function queuePolicy(queue: QueueOptions): PgBoss.Queue {
  return {
    name: queue.name,
    policy: queue.singleton ? "short" : "standard",
    retryLimit: queue.retryLimit,
    retryDelay: queue.retryDelaySeconds,
    retryBackoff: queue.retryBackoff,
    expireInSeconds: queue.expireInSeconds,
    ...(queue.deadLetter ? { deadLetter: queue.deadLetter } : {}),
  };
}

export function createPgBossJobs({ connectionString }: PgBossOptions): JobBackend {
  const queues = new Map<string, Promise<void>>();
  const workerIds = new Map<string, string[]>();
  // Two instances: one to send and drain, which keeps no timers and lets the process exit when
  // idle (scripts, a server with WORKER=0); and one started by work() that also runs pg-boss's
  // maintenance (expiry, archiving) and its cron schedules.
  let client: Promise<PgBoss> | null = null;
  let worker: Promise<PgBoss> | null = null;

  function startBoss(supervised: boolean): Promise<PgBoss> {
    const options = {
      connectionString,
      schema: PG_BOSS_SCHEMA,
      max: supervised ? 4 : 2,
      application_name: supervised ? "countersign-jobs-worker" : "countersign-jobs",
      supervise: supervised,
      schedule: supervised,
      // Passed on to pg's pool: idle connections do not keep a script alive.
      allowExitOnIdle: !supervised,
    };
    const instance = new PgBoss(options);
    instance.on("error", (error) => log().error({ err: error }, "pg-boss error"));
    const started = instance.start();
    started.catch(() => {
      if (supervised) worker = null;
      else client = null;
    });
    return started;
  }

  /** Starts pg-boss on first use (and again after stop), creating or upgrading its schema. */
  function ready(): Promise<PgBoss> {
    client ??= startBoss(false);
    return client;
  }

  return {
    kind: "postgresql",
    async createQueue(queue) {
      let created = queues.get(queue.name);
      if (!created) {
        created = (async () => {
          const boss = await ready();
          await boss.createQueue(queue.name, queuePolicy(queue));
          // createQueue keeps an existing queue as it was: bring its policy up to date.
          await boss.updateQueue(queue.name, queuePolicy(queue));
        })();
        queues.set(queue.name, created);
        created.catch(() => queues.delete(queue.name));
      }
      await created;
    },
    async send(queue, data, { startAfter, singletonKey, tx }) {
      const boss = await ready();
      const options: PgBoss.SendOptions = {
        ...(startAfter ? { startAfter } : {}),
        ...(queue.singleton ? { singletonKey: singletonKey ?? "" } : {}),
        ...(tx ? { db: transactionExecutor(tx) } : {}),
      };
      return boss.send(queue.name, (data ?? {}) as object, options);
    },
    async work(queue, handler, { pollMs }) {
      await ready();
      worker ??= startBoss(true);
      const boss = await worker;
      const ids: string[] = [];
      for (let i = 0; i < queue.concurrency; i++) {
        ids.push(
          await boss.work<unknown>(
            queue.name,
            { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: Math.max(0.5, pollMs / 1000) },
            async ([job]) => handler(toJob(job)),
          ),
        );
      }
      workerIds.set(queue.name, [...(workerIds.get(queue.name) ?? []), ...ids]);
    },
    async drain(queue, handler) {
      const boss = await ready();
      // What the maintenance loop does every few minutes: handlers that outlived their expiry failed.
      await boss.expire();
      let handled = 0;
      for (;;) {
        const [job] = await boss.fetch<unknown>(queue.name, { batchSize: 1, includeMetadata: true });
        if (!job) return handled;
        try {
          await handler(toJob(job));
          await boss.complete(queue.name, job.id);
        } catch (error) {
          await boss.fail(queue.name, job.id, { message: error instanceof Error ? error.message : String(error) });
        }
        handled += 1;
      }
    },
    notify(queueName) {
      const ids = workerIds.get(queueName) ?? [];
      if (worker && ids.length > 0) void worker.then((boss) => ids.forEach((id) => boss.notifyWorker(id)));
    },
    async schedule(queue, cron, data) {
      const boss = await ready();
      // The worker instance sends the jobs of schedules when they come due.
      await boss.schedule(queue.name, cron, (data ?? {}) as object, { tz: "UTC" });
    },
    async unschedule(queueName) {
      const boss = await ready();
      await boss.unschedule(queueName);
    },
    async getJob(queueName, id) {
      const boss = await ready();
      const job = await boss.getJobById<unknown>(queueName, id, { includeArchive: true });
      return job ? toJob(job) : null;
    },
    async stop() {
      const instances = [worker, client].filter((instance): instance is Promise<PgBoss> => instance !== null);
      worker = null;
      client = null;
      queues.clear();
      workerIds.clear();
      // Waits for the handlers in hand, then closes each instance's pool.
      for (const instance of instances) await (await instance).stop({ graceful: true, wait: true, timeout: 30_000 });
    },
  };
}
