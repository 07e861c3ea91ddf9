import { afterAll, afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { db } from "@/lib/db";
import { databaseProvider, env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { defineQueue, stopJobs, type Job, type JobBackend } from "@/lib/jobs";
import { createPgBossJobs, PG_BOSS_SCHEMA } from "@/lib/jobs/pg-boss";
import { queueOptionsSchema, type QueueOptions } from "@/lib/jobs/schema";
import { createSqliteJobs, type SqliteJobBackend } from "@/lib/jobs/sqlite";
import { transact } from "@/lib/transaction";

/**
 * The one contract of lib/jobs, held against the implementation of the database the tests run
 * on: the job table on SQLite (with a controlled clock), pg-boss on PostgreSQL (where time is
 * the server's, so "later" is made by moving the stored times back).
 */
const provider = databaseProvider();
let clock = Date.parse("2026-06-01T10:00:30Z");
const backends: JobBackend[] = [];

function makeBackend(): JobBackend {
  const backend =
    provider === "sqlite" ? createSqliteJobs({ now: () => new Date(clock) }) : createPgBossJobs({ connectionString: env().DATABASE_URL });
  backends.push(backend);
  return backend;
}

function now(): number {
  return provider === "sqlite" ? clock : Date.now();
}

/** Lets time pass for every stored job. */
async function advance(seconds: number): Promise<void> {
  if (provider === "sqlite") {
    clock += seconds * 1000;
    return;
  }
  const shift = `make_interval(secs => ${seconds})`;
  await db().$executeRawUnsafe(
    `UPDATE ${PG_BOSS_SCHEMA}.job SET start_after = start_after - ${shift}, started_on = started_on - ${shift}, created_on = created_on - ${shift}`,
  );
}

let queueCount = 0;
async function makeQueue(backend: JobBackend, options: Partial<z.input<typeof queueOptionsSchema>> = {}): Promise<QueueOptions> {
  queueCount += 1;
  const queue = queueOptionsSchema.parse({ name: `contract-${queueCount}`, ...options });
  await backend.createQueue(queue);
  return queue;
}

function recorder() {
  const seen: Job[] = [];
  return { seen, handler: async (job: Job) => void seen.push(job) };
}

afterEach(async () => {
  await Promise.all(backends.splice(0).map((backend) => backend.stop()));
});

afterAll(async () => {
  await stopJobs();
});

describe(`the jobs contract on ${provider}`, () => {
  it("hands out due jobs in the order they were sent, and a delayed job only once its time has come", async () => {
    const jobs = makeBackend();
    const queue = await makeQueue(jobs);
    await jobs.send(queue, { n: "later" }, { startAfter: new Date(now() + 60_000) });
    for (const n of [1, 2, 3]) await jobs.send(queue, { n }, {});

    const first = recorder();
    expect(await jobs.drain(queue, first.handler)).toBe(3);
    expect(first.seen.map((job) => job.data)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);

    await advance(61);
    const second = recorder();
    expect(await jobs.drain(queue, second.handler)).toBe(1);
    expect(second.seen[0].data).toEqual({ n: "later" });
    expect((await jobs.getJob(queue.name, second.seen[0].id))?.state).toBe("completed");
  });

  it("retries a failing job with growing delays, then hands it to the dead-letter queue", async () => {
    const jobs = makeBackend();
    const deadLetter = await makeQueue(jobs);
    const queue = await makeQueue(jobs, { retryLimit: 2, retryDelaySeconds: 10, retryBackoff: true, deadLetter: deadLetter.name });
    const id = (await jobs.send(queue, { webhook: 7 }, {}))!;
    const failing = async () => {
      throw new Error("endpoint answered 503");
    };

    const delays: number[] = [];
    for (const attempt of [1, 2]) {
      expect(await jobs.drain(queue, failing)).toBe(1);
      const job = (await jobs.getJob(queue.name, id))!;
      expect(job).toMatchObject({ state: "retry", retryCount: attempt - 1 });
      delays.push((job.startAfter.getTime() - now()) / 1000);
      // Not before its delay...
      expect(await jobs.drain(queue, failing)).toBe(0);
      await advance(3600);
    }
    // Jittered doubling: the first retry waits 10-20 s, the second 20-40 s (a second of slack for the server's clock).
    expect(delays[0]).toBeGreaterThanOrEqual(9);
    expect(delays[0]).toBeLessThanOrEqual(21);
    expect(delays[1]).toBeGreaterThanOrEqual(19);
    expect(delays[1]).toBeLessThanOrEqual(41);

    expect(await jobs.drain(queue, failing)).toBe(1);
    expect(await jobs.getJob(queue.name, id)).toMatchObject({ state: "failed", retryCount: 2 });
    await advance(3600);
    expect(await jobs.drain(queue, failing)).toBe(0);

    const dead = recorder();
    expect(await jobs.drain(deadLetter, dead.handler)).toBe(1);
    expect(dead.seen[0].data).toEqual({ webhook: 7 });
  });

  it("keeps one waiting job per singleton key", async () => {
    const jobs = makeBackend();
    const queue = await makeQueue(jobs, { singleton: true });
    const first = await jobs.send(queue, { run: "a" }, { singletonKey: "run-a" });
    expect(first).toEqual(expect.any(String));
    expect(await jobs.send(queue, { run: "a" }, { singletonKey: "run-a" })).toBeNull();
    expect(await jobs.send(queue, { run: "b" }, { singletonKey: "run-b" })).toEqual(expect.any(String));

    const handled = recorder();
    expect(await jobs.drain(queue, handled.handler)).toBe(2);
    // Once handled, the key is free again.
    expect(await jobs.send(queue, { run: "a" }, { singletonKey: "run-a" })).toEqual(expect.any(String));
    // Without a key the queue itself is the singleton.
    expect(await jobs.send(queue, {}, {})).toEqual(expect.any(String));
    expect(await jobs.send(queue, {}, {})).toBeNull();
  });

  it("creates a job with the transaction of the change that causes it: never when it rolls back, once when it commits", async () => {
    const jobs = makeBackend();
    const queue = await makeQueue(jobs);
    await expect(
      transact(async (tx) => {
        await jobs.send(queue, { change: "rolled back" }, { tx });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    await transact(async (tx) => {
      await jobs.send(queue, { change: "committed" }, { tx });
    });

    const handled = recorder();
    expect(await jobs.drain(queue, handled.handler)).toBe(1);
    expect(handled.seen[0].data).toEqual({ change: "committed" });
  });

  it("keeps jobs across a restart, and retries a job whose worker died once its expiry has passed", async () => {
    const before = makeBackend();
    const queue = await makeQueue(before, { expireInSeconds: 60, retryLimit: 1 });
    await before.send(queue, { n: "waiting" }, {});
    await before.send(queue, { n: "in hand" }, {});
    // The first worker takes "waiting" and dies while handling it: its handler never returns.
    let tookIt!: () => void;
    const taken = new Promise<void>((resolve) => (tookIt = resolve));
    void before.drain(queue, () => {
      tookIt();
      return new Promise<void>(() => undefined);
    });
    await taken;

    const after = makeBackend();
    await after.createQueue(queue);
    const handled = recorder();
    expect(await after.drain(queue, handled.handler)).toBe(1);
    expect(handled.seen[0].data).toEqual({ n: "in hand" });

    await advance(61);
    expect(await after.drain(queue, handled.handler)).toBe(1);
    expect(handled.seen[1]).toMatchObject({ data: { n: "waiting" }, retryCount: 1 });
  });

  it("never lets two workers handle the same job at once", async () => {
    const [left, right] = [makeBackend(), makeBackend()];
    const queue = await makeQueue(left);
    await right.createQueue(queue);
    for (let n = 0; n < 20; n++) await left.send(queue, { n }, {});

    const inHand = new Set<string>();
    const handledTimes = new Map<string, number>();
    let overlaps = 0;
    const handler = async (job: Job) => {
      if (inHand.has(job.id)) overlaps += 1;
      inHand.add(job.id);
      await new Promise((resolve) => setImmediate(resolve));
      handledTimes.set(job.id, (handledTimes.get(job.id) ?? 0) + 1);
      inHand.delete(job.id);
    };
    const [a, b] = await Promise.all([left.drain(queue, handler), right.drain(queue, handler)]);

    expect(a + b).toBe(20);
    expect(overlaps).toBe(0);
    expect([...handledTimes.values()]).toEqual(Array(20).fill(1));
  });

  it("runs a worker until stopped, woken at once when a job is sent", async () => {
    const jobs = makeBackend();
    const queue = await makeQueue(jobs);
    let received!: (job: Job) => void;
    const handled = new Promise<Job>((resolve) => (received = resolve));
    await jobs.work(queue, async (job) => received(job), { pollMs: 60_000 });
    const id = await jobs.send(queue, { wake: true }, {});
    jobs.notify(queue.name);
    expect((await handled).id).toBe(id);
    await jobs.stop();
  });

  it("stores one schedule per queue, replacing it when scheduled again", async () => {
    const jobs = makeBackend();
    const queue = await makeQueue(jobs);
    await jobs.schedule(queue, "*/5 * * * *", { periodic: true });
    await jobs.schedule(queue, "*/5 * * * *", { periodic: true });
    const stored = provider === "sqlite" ? `"job_schedule" WHERE "queue"` : `${PG_BOSS_SCHEMA}.schedule WHERE name`;
    const [{ count }] = await db().$queryRawUnsafe<{ count: number | bigint }[]>(`SELECT COUNT(*) AS count FROM ${stored} = '${queue.name}'`);
    expect(Number(count)).toBe(1);
    await jobs.unschedule(queue.name);
  });

  it.runIf(provider === "sqlite")("sends a scheduled job once per cron slot, whichever process sees it first", async () => {
    const [one, two] = [makeBackend() as SqliteJobBackend, makeBackend() as SqliteJobBackend];
    const queue = await makeQueue(one);
    await one.schedule(queue, "*/5 * * * *", { periodic: true });
    await two.createQueue(queue);
    clock = Date.parse("2026-06-01T10:00:30Z");
    expect((await one.tickSchedules()) + (await two.tickSchedules())).toBe(1);
    clock = Date.parse("2026-06-01T10:04:00Z");
    expect(await one.tickSchedules()).toBe(0);
    clock = Date.parse("2026-06-01T10:05:10Z");
    expect(await two.tickSchedules()).toBe(1);
    const handled = recorder();
    expect(await one.drain(queue, handled.handler)).toBe(2);
    expect(handled.seen.map((job) => job.data)).toEqual([{ periodic: true }, { periodic: true }]);
  });
});

describe("declared queues", () => {
  const deliveries: number[] = [];
  const deliveryQueue = defineQueue({
    name: "contract-deliveries",
    data: z.object({ delivery: z.number().int() }),
    handle: async ({ delivery }) => void deliveries.push(delivery),
  });

  it("refuses bad input with a clear error and stores nothing", async () => {
    const bad = [
      () => deliveryQueue.send({ delivery: "seven" as unknown as number }),
      () => deliveryQueue.send({ delivery: 7 }, { singletonKey: "only-one" }),
      () => deliveryQueue.send({ delivery: 7 }, { startAfter: -5 }),
      () => deliveryQueue.schedule("every minute", { delivery: 7 }),
    ];
    for (const attempt of bad) {
      const error = await attempt().then(() => null, (caught: unknown) => caught);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe("invalid");
    }
    expect(() =>
      defineQueue({ name: "Not A Name", data: z.object({}), handle: async () => undefined }),
    ).toThrow();
    expect(await deliveryQueue.drain()).toBe(0);
  });

  it("validates the data again on receipt and hands the handler the parsed value", async () => {
    const id = await deliveryQueue.send({ delivery: 42 });
    expect(await deliveryQueue.drain()).toBe(1);
    expect(deliveries).toEqual([42]);
    expect(await deliveryQueue.getJob(id!)).toMatchObject({ state: "completed", data: { delivery: 42 } });
  });
});
