import { z } from "zod";
import { databaseProvider, env } from "@/lib/env";
import { invalid, zodIssues } from "@/lib/errors";
import { createPgBossJobs } from "./pg-boss";
import {
  cronSchema,
  queueOptionsSchema,
  sendOptionsSchema,
  type Job,
  type JobBackend,
  type QueueOptions,
  type SendOptions,
} from "./schema";
import { createSqliteJobs } from "./sqlite";

/**
 * Background work as jobs of one module. A domain declares each queue once with defineQueue
 * (data contract, retry policy, handler) and sends jobs through it; a worker process (the
 * server's, or `npm run cli -- worker`) handles them with startQueueWorkers. The database picks
 * the implementation: pg-boss on PostgreSQL, the job table on SQLite.
 */
export type { Job, JobBackend, SendOptions } from "./schema";

export type Queue<T> = {
  readonly options: QueueOptions;
  /** Validates the data and sends a job; null when a job with the same singleton key already waits. */
  send(data: T, options?: SendOptions): Promise<string | null>;
  /** Sends a job whenever the cron expression (UTC) comes due. */
  schedule(cron: string, data: T): Promise<void>;
  /** Handles every due job now, in this process: for tests, scripts and catch-up. */
  drain(handle?: (data: T, job: Job<T>) => Promise<void>): Promise<number>;
  getJob(id: string): Promise<Job<T> | null>;
};

type RunnableQueue = { options: QueueOptions; handler: (job: Job) => Promise<void> };

const declared = new Map<string, QueueOptions>();

/**
 * Creates the queue where the backend needs it, after its dead-letter queue (pg-boss refers to
 * it). Every queue declared so far is created with the first: on PostgreSQL creating a queue
 * briefly locks pg-boss's job table, which must not happen while a transaction sending a job holds it.
 */
async function ensureQueue(backend: JobBackend, options: QueueOptions): Promise<void> {
  for (const queue of [...declared.values(), options]) {
    if (queue.deadLetter) {
      const deadLetter = declared.get(queue.deadLetter);
      if (!deadLetter) throw invalid(`The ${queue.name} queue names ${queue.deadLetter} as its dead-letter queue, which is not declared.`);
      await backend.createQueue(deadLetter);
    }
    await backend.createQueue(queue);
  }
}

export function defineQueue<S extends z.ZodType>(
  definition: z.input<typeof queueOptionsSchema> & { data: S; handle: (data: z.output<S>, job: Job<z.output<S>>) => Promise<void> },
): Queue<z.output<S>> & RunnableQueue {
  type T = z.output<S>;
  const { data: dataSchema, handle, ...rest } = definition;
  const options = queueOptionsSchema.parse(rest);
  declared.set(options.name, options);
  const asHandler = (work: (data: T, job: Job<T>) => Promise<void>) => async (job: Job) => {
    const data = dataSchema.parse(job.data) as T;
    await work(data, { ...job, data });
  };
  return {
    options,
    handler: asHandler(handle),
    async send(data, sendOptions = {}) {
      const { tx, ...rest } = sendOptions;
      const parsedData = parseInput(dataSchema, data, `a ${options.name} job`);
      const { startAfter, singletonKey } = parseInput(sendOptionsSchema, rest, "the send options");
      if (singletonKey !== undefined && !options.singleton) {
        throw invalid(`The ${options.name} queue is not a singleton queue, so a job sent to it cannot carry a singleton key.`);
      }
      const backend = jobBackend();
      await ensureQueue(backend, options);
      const at = typeof startAfter === "number" ? new Date(Date.now() + startAfter * 1000) : startAfter;
      return backend.send(options, parsedData, { startAfter: at, singletonKey, tx });
    },
    async schedule(cron, data) {
      const expression = parseInput(cronSchema, cron, "the schedule");
      const parsedData = parseInput(dataSchema, data, `a ${options.name} job`);
      const backend = jobBackend();
      await ensureQueue(backend, options);
      await backend.schedule(options, expression, parsedData);
    },
    async drain(work = handle) {
      const backend = jobBackend();
      await ensureQueue(backend, options);
      return backend.drain(options, asHandler(work));
    },
    async getJob(id) {
      return (await jobBackend().getJob(options.name, id)) as Job<T> | null;
    },
  };
}

function parseInput<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issues = zodIssues(parsed.error);
    throw invalid(`Invalid ${what}: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ")}`, issues);
  }
  return parsed.data;
}

const globalForJobs = globalThis as unknown as { countersignJobs?: JobBackend };

/** The process's job backend for the configured database, created on first use. */
export function jobBackend(): JobBackend {
  globalForJobs.countersignJobs ??=
    databaseProvider() === "sqlite" ? createSqliteJobs() : createPgBossJobs({ connectionString: env().DATABASE_URL });
  return globalForJobs.countersignJobs;
}

/** Stops this process's workers after the jobs in hand, and lets go of the backend (tests and shutdown). */
export async function stopJobs(): Promise<void> {
  const backend = globalForJobs.countersignJobs;
  globalForJobs.countersignJobs = undefined;
  await backend?.stop();
}

/** Starts this process's handlers of the given queues (dead-letter queues need declaring too). */
export async function startQueueWorkers(queues: readonly RunnableQueue[], pollMs = env().WORKER_POLL_MS): Promise<void> {
  const backend = jobBackend();
  for (const queue of queues) await ensureQueue(backend, queue.options);
  for (const queue of queues) await backend.work(queue.options, queue.handler, { pollMs });
}

/** Wakes this process's workers of a queue now instead of at their next poll. */
export function notifyQueue(queue: { options: QueueOptions }): void {
  globalForJobs.countersignJobs?.notify(queue.options.name);
}
