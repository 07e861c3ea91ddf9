import { z } from "zod";
import type { Tx } from "@/lib/db";

/**
 * The contract of background work: a queue is declared once (name, data schema, retry and
 * dead-letter policy, handler); jobs are sent to it, optionally in the transaction of the change
 * that causes them; workers handle them. pg-boss implements it on PostgreSQL, lib/jobs/sqlite.ts
 * on SQLite, and tests/jobs-contract.test.ts holds both to the same behaviour.
 */
export const queueNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,62}$/, "a queue name is lower-case letters, digits and hyphens, starting with a letter");

export const queueOptionsSchema = z.object({
  name: queueNameSchema,
  /** Retries after the first attempt; the attempt after the last retry fails the job for good. */
  retryLimit: z.number().int().min(0).max(100).default(2),
  retryDelaySeconds: z.number().int().min(0).max(86_400).default(0),
  /** Each retry waits about twice as long as the one before (pg-boss's jittered doubling). */
  retryBackoff: z.boolean().default(false),
  /** A handler still running after this long counts as failed (its worker is presumed dead). */
  expireInSeconds: z.number().int().min(1).max(86_400).default(900),
  /** Where a job goes once its retries are spent. */
  deadLetter: queueNameSchema.optional(),
  /** At most one job per singleton key waits in the queue; sending another one is a no-op. */
  singleton: z.boolean().default(false),
  /** Handlers that run at once in one process. */
  concurrency: z.number().int().min(1).max(32).default(1),
});
export type QueueOptions = z.output<typeof queueOptionsSchema>;

export const sendOptionsSchema = z.object({
  /** A moment, or seconds from now. */
  startAfter: z.union([z.date(), z.number().min(0)]).optional(),
  singletonKey: z.string().min(1).max(200).optional(),
});
export type SendOptions = z.input<typeof sendOptionsSchema> & { tx?: Tx };

export const cronSchema = z
  .string()
  .trim()
  .regex(/^(\S+\s+){4}\S+$/, "a schedule is a five-field cron expression (minute hour day month weekday), in UTC");

export type JobState = "created" | "retry" | "active" | "completed" | "failed" | "cancelled";

/** A job as its handler and the tests see it. */
export type Job<T = unknown> = {
  id: string;
  queue: string;
  data: T;
  state: JobState;
  retryCount: number;
  retryLimit: number;
  startAfter: Date;
  singletonKey: string | null;
  output: unknown;
};

export type JobHandler = (job: Job) => Promise<void>;

/** What each database's implementation provides. Queues must be created before use. */
export interface JobBackend {
  readonly kind: "sqlite" | "postgresql";
  createQueue(queue: QueueOptions): Promise<void>;
  /** Returns the job id, or null when a singleton key already waits. */
  send(queue: QueueOptions, data: unknown, options: { startAfter?: Date; singletonKey?: string; tx?: Tx }): Promise<string | null>;
  /** Handles due jobs as they come, until stop(). */
  work(queue: QueueOptions, handler: JobHandler, options: { pollMs: number }): Promise<void>;
  /** Handles every due job of the queue in this process now; returns how many it handled. */
  drain(queue: QueueOptions, handler: JobHandler): Promise<number>;
  /** Wakes this process's workers of a queue instead of waiting for their next poll. */
  notify(queueName: string): void;
  /** Sends a job to the queue whenever the UTC cron expression comes due (once per slot across processes). */
  schedule(queue: QueueOptions, cron: string, data: unknown): Promise<void>;
  unschedule(queueName: string): Promise<void>;
  getJob(queueName: string, id: string): Promise<Job | null>;
  /** Stops the workers after the jobs in hand finish; the backend can be used again after. */
  stop(): Promise<void>;
}
