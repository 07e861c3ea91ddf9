import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as liveCountsRoute from "@/app/api/v1/events/route";
import * as runEventsRoute from "@/app/api/v1/runs/[id]/events/route";
import { endpoints } from "@/lib/api/schemas";
import { db } from "@/lib/db";
import { feedStream } from "@/lib/runs/event-stream";
import { api, makeCaller, type Caller } from "./api/api-client";
import { sampleNotes } from "./helpers";

vi.mock("next-auth", async (importOriginal) => ({ ...(await importOriginal<object>()), ...(await import("./api/next-auth-without-session")) }));

type SseEvent = { id: string | undefined; event: string; data: string };

/** Reads Server-Sent Events one at a time; comments and retry lines are skipped. */
function sseReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let raw = "";
  const parse = (block: string): SseEvent | null => {
    let id: string | undefined;
    let event = "message";
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "id") id = value;
      if (field === "event") event = value;
      if (field === "data") data.push(value);
    }
    return data.length > 0 ? { id, event, data: data.join("\n") } : null;
  };
  return {
    /** The next event, or null once the stream has ended. */
    async next(): Promise<SseEvent | null> {
      for (;;) {
        const end = buffer.indexOf("\n\n");
        if (end >= 0) {
          const event = parse(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (event) return event;
          continue;
        }
        const { done, value } = await reader.read();
        if (done) return null;
        const text = decoder.decode(value, { stream: true });
        buffer += text;
        raw += text;
      }
    },
    /** Everything received so far, comments included. */
    raw: () => raw,
  };
}

type Progress = { status: string; steps: unknown[]; modelCalls: number; pendingReviews: number };

const progressOf = (event: SseEvent | null): Progress => {
  expect(event?.event).toBe("run");
  return endpoints.getRunEvents.response.parse(JSON.parse(event!.data)) as Progress;
};

/** Reads run events until one matches; fails the test if the stream ends first. */
async function until(events: ReturnType<typeof sseReader>, matches: (progress: Progress) => boolean): Promise<Progress> {
  for (;;) {
    const progress = progressOf(await events.next());
    if (matches(progress)) return progress;
  }
}

function openRun(caller: Caller, runId: string, init: { signal?: AbortSignal; since?: string; lastEventId?: string } = {}) {
  const url = new URL(`http://localhost/api/v1/runs/${runId}/events`);
  if (init.since) url.searchParams.set("since", init.since);
  const headers: Record<string, string> = { authorization: `Bearer ${caller.token}`, ...(init.lastEventId ? { "last-event-id": init.lastEventId } : {}) };
  return runEventsRoute.GET(new Request(url, { headers, signal: init.signal }), { params: Promise.resolve({ id: runId }) });
}

describe("live progress as Server-Sent Events", () => {
  let owner: Caller;
  let reviewer: Caller;
  let stranger: Caller;
  let projectId: string;
  let worker: ChildProcess | undefined;

  beforeAll(async () => {
    const admin = await makeCaller("admin@events.test", "admin");
    owner = await makeCaller("owner@events.test");
    reviewer = await makeCaller("reviewer@events.test");
    stranger = await makeCaller("stranger@events.test");
    projectId = (await api(admin.token).ok("createProject", { json: { name: "Events" } })).id;
    await api(admin.token).ok("updateStage", { params: { id: projectId, key: "requirements" }, json: { ownerEmail: owner.email, reviewerEmails: [reviewer.email] } });
    for (const note of sampleNotes) await api(owner.token).ok("addSource", { params: { id: projectId }, json: note });
  });

  afterAll(async () => {
    if (worker && worker.exitCode === null) {
      worker.kill("SIGTERM");
      await once(worker, "exit");
    }
  });

  const startRun = async () => (await api(owner.token).ok("startRun", { params: { id: projectId }, json: { stage: "requirements" } })).id;

  it("sends a run's state at once, then what a worker in another process does, then ends when the run completes", async () => {
    const runId = await startRun();
    const response = await openRun(reviewer, runId);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(response.headers.get("cache-control")).toContain("no-transform");
    const events = sseReader(response.body!);
    const first = await events.next();
    expect(first?.id).toMatch(/^[\w-]+$/);
    expect(progressOf(first)).toMatchObject({ status: "queued", steps: [], modelCalls: 0, pendingReviews: 0 });

    // The real run worker, as a separate process would run it in production.
    worker = spawn(process.execPath, ["--import", "tsx", "scripts/cli.ts", "worker"], { env: process.env, stdio: ["ignore", "ignore", "inherit"] });
    const waiting = await until(events, (progress) => progress.status === "waiting_review");
    expect(waiting.steps.length).toBe(4);
    expect(waiting.pendingReviews).toBeGreaterThan(0);
    worker.kill("SIGTERM");
    await once(worker, "exit");

    // Another write, from no worker at all: the stream reads the database, not an in-process signal.
    await db().run.update({ where: { id: runId }, data: { status: "completed", finishedAt: new Date() } });
    expect((await until(events, (progress) => progress.status !== "waiting_review")).status).toBe("completed");
    expect((await events.next())?.event).toBe("end");
    expect(await events.next()).toBeNull();
    // Starting a second process that loads the whole app takes a while on a busy machine.
  }, 180_000);

  it("stops when the client goes away", async () => {
    const runId = (await db().run.findFirstOrThrow({ where: { projectId } })).id;
    await db().run.update({ where: { id: runId }, data: { status: "running" } });
    const client = new AbortController();
    const events = sseReader((await openRun(owner, runId, { signal: client.signal })).body!);
    expect(progressOf(await events.next()).status).toBe("running");
    const started = Date.now();
    client.abort();
    expect(await events.next()).toBeNull();
    // Without the abort it would never end; the bound is generous for a loaded machine.
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("sends nothing a reconnecting client already has, then the next change", async () => {
    const runId = (await db().run.findFirstOrThrow({ where: { projectId } })).id;
    await db().run.update({ where: { id: runId }, data: { status: "running", finishedAt: null } });
    const client = new AbortController();
    const first = await sseReader((await openRun(owner, runId, { signal: client.signal })).body!).next();
    client.abort();

    for (const resume of [{ since: first!.id }, { lastEventId: first!.id, since: "someOtherVersion" }]) {
      const again = new AbortController();
      const events = sseReader((await openRun(owner, runId, { ...resume, signal: again.signal })).body!);
      const next = events.next();
      // Two polls with nothing new: then the change, and only the change.
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      await db().run.update({ where: { id: runId }, data: { costUsd: { increment: 0.01 } } });
      const event = await next;
      expect(event?.id).not.toBe(first!.id);
      expect(progressOf(event).status).toBe("running");
      again.abort();
    }
  });

  it("answers JSON errors before any stream: 403 outside the project, 404 for an unknown run, 422 for a malformed since", async () => {
    const runId = (await db().run.findFirstOrThrow({ where: { projectId } })).id;
    for (const [response, status] of [
      [await openRun(stranger, runId), 403],
      [await openRun(owner, "no-such-run"), 404],
      [await openRun(owner, runId, { since: "not a version!" }), 422],
    ] as const) {
      expect(response.status).toBe(status);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      expect(response.headers.get("x-request-id")).toBeTruthy();
    }
  });

  it("streams the caller's pending reviews and unread notifications", async () => {
    const client = new AbortController();
    const request = new Request("http://localhost/api/v1/events", { headers: { authorization: `Bearer ${owner.token}` }, signal: client.signal });
    const response = await liveCountsRoute.GET(request, { params: Promise.resolve({}) });
    const events = sseReader(response.body!);
    const counts = (event: SseEvent | null) => {
      expect(event?.event).toBe("counts");
      return endpoints.getLiveCounts.response.parse(JSON.parse(event!.data));
    };
    const before = counts(await events.next());
    const user = await db().user.findUniqueOrThrow({ where: { email: owner.email } });
    await db().notification.create({ data: { userId: user.id, kind: "test", message: "Something happened." } });
    expect(counts(await events.next())).toEqual({ ...before, unreadNotifications: before.unreadNotifications + 1 });
    client.abort();
    expect(await events.next()).toBeNull();
  });

  it("keeps an idle stream open with comments and closes it after its longest life, without `end`, for the client to reconnect", async () => {
    const events = sseReader(feedStream({ event: "state", read: async () => ({ same: true }) }, { pollMs: 10, heartbeatMs: 40, maxMs: 200 }));
    expect((await events.next())?.data).toBe('{"same":true}');
    expect(await events.next()).toBeNull();
    expect(events.raw()).toMatch(/^retry: \d+\n\n/);
    expect(events.raw()).toContain(": heartbeat\n\n");
    expect(events.raw()).not.toContain("event: end");
  });
});
