import { createHmac } from "node:crypto";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserActor } from "@/lib/actors";
import { db } from "@/lib/db";
import { databaseProvider } from "@/lib/env";
import { emitEvent } from "@/lib/events/emit";
import { PG_BOSS_SCHEMA } from "@/lib/jobs/pg-boss";
import { drainRuns } from "@/lib/pipeline/worker";
import { createProject } from "@/lib/projects/service";
import { decideReviewItem, listReviewItems } from "@/lib/review/service";
import { addSource } from "@/lib/sources/service";
import { signOffStage, updateStageAssignments } from "@/lib/stages/service";
import { transact } from "@/lib/transaction";
import { FIRST_RETRY_DELAY_MS, MAX_ATTEMPTS, drainWebhookDeliveries, webhookDeliveryQueue } from "@/lib/webhooks/delivery";
import { approveEverything, makeUser, sampleNotes } from "./helpers";
import { api, makeCaller, type Caller } from "./api/api-client";

/**
 * Webhooks end to end against a real HTTP receiver on a random local port: it checks each
 * delivery's signature over the raw body with the secret it was given once, and answers what
 * each test tells it to. Jobs run when drained; a retry is made due by moving its stored start
 * time back (the receiver and the database keep real time).
 */
type Received = { path: string; headers: Record<string, string | undefined>; body: string; signatureValid: boolean };

const received: Received[] = [];
/** Secrets by receiver path, as a receiver would configure them. */
const secrets = new Map<string, string>();
/** Status codes to answer per path, in order; 200 once a list runs out. */
const answers = new Map<string, number[]>();
let server: Server;
let baseUrl: string;

function hmacHex(secret: string, body: string): string {
  return createHmac("sha256", secret).update(body).digest("hex");
}

async function startReceiver(): Promise<void> {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const path = request.url ?? "/";
      const body = Buffer.concat(chunks).toString("utf8");
      const secret = secrets.get(path);
      const signature = request.headers["x-countersign-signature"];
      const signatureValid = secret !== undefined && signature === `sha256=${hmacHex(secret, body)}`;
      const header = (name: string) => [request.headers[name]].flat()[0];
      received.push({
        path,
        body,
        signatureValid,
        headers: {
          event: header("x-countersign-event"),
          delivery: header("x-countersign-delivery"),
          contentType: header("content-type"),
        },
      });
      const status = signatureValid ? (answers.get(path)?.shift() ?? 200) : 401;
      response.writeHead(status, { "content-type": "text/plain" }).end(status < 300 ? "ok" : "no");
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Lets the waits of every retry scheduled so far pass. */
async function makeRetriesDue(): Promise<void> {
  if (databaseProvider() === "sqlite") {
    await db().$executeRawUnsafe(`UPDATE "job" SET "startAfter" = ? WHERE "queue" = ? AND "state" IN ('created', 'retry')`, Date.now(), webhookDeliveryQueue.options.name);
  } else {
    await db().$executeRawUnsafe(
      `UPDATE ${PG_BOSS_SCHEMA}.job SET start_after = now() WHERE name = $1 AND state IN ('created', 'retry')`,
      webhookDeliveryQueue.options.name,
    );
  }
}

const receivedAt = (path: string) => received.filter((request) => request.path === path);

let admin: Caller;
let member: Caller;

async function register(path: string, events: string[]) {
  const created = await api(admin.token).ok("createWebhook", { json: { url: `${baseUrl}${path}`, events } });
  secrets.set(path, created.secret);
  return created;
}

beforeAll(async () => {
  await startReceiver();
  admin = await makeCaller("admin@webhooks.test", "admin");
  member = await makeCaller("member@webhooks.test");
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
});

describe("registering webhooks", () => {
  it("answers the secret once, at creation; lists never show it", async () => {
    const created = await api(admin.token).ok("createWebhook", { json: { url: "https://hooks.example.com/countersign", events: ["stage.signed_off", "stage.signed_off"] } });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(created.events).toEqual(["stage.signed_off"]);
    expect(created).toMatchObject({ active: true, createdBy: admin.email });

    const listed = await api(admin.token).call("listWebhooks");
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).not.toContain(created.secret);
    const items = (listed.body as { items: Record<string, unknown>[] }).items;
    const mine = items.find((item) => item.id === created.id)!;
    expect(mine).toMatchObject({ url: "https://hooks.example.com/countersign", events: ["stage.signed_off"] });
    expect(mine).not.toHaveProperty("secret");
  });

  it.each([
    ["ftp://hooks.example.com/x", "url must use http or https, not ftp"],
    ["javascript:alert(1)", "url must use http or https, not javascript"],
    ["hooks.example.com/x", "url must be an absolute URL"],
    ["https://user:secret@hooks.example.com/x", "url must not contain a user name or password"],
  ])("refuses %s with 422 and says why", async (url, message) => {
    const error = await api(admin.token).fails("createWebhook", { json: { url, events: ["review_item.decided"] } }, 422);
    expect(JSON.stringify(error)).toContain(message);
  });

  it("refuses unknown or no events with 422, and a non-admin with 403", async () => {
    await api(admin.token).fails("createWebhook", { json: { url: "https://hooks.example.com/x", events: ["review_item.eaten"] } }, 422);
    await api(admin.token).fails("createWebhook", { json: { url: "https://hooks.example.com/x", events: [] } }, 422);
    await api(member.token).fails("createWebhook", { json: { url: "https://hooks.example.com/x", events: ["review_item.decided"] } }, 403);
    await api(member.token).fails("listWebhooks", {}, 403);
  });

  it("changes events and active, removes a webhook, and audits each change", async () => {
    const { id } = await api(admin.token).ok("createWebhook", { json: { url: "https://hooks.example.com/change", events: ["artifact.stale"] } });
    const changed = await api(admin.token).ok("updateWebhook", { params: { id }, json: { events: ["artifact.stale", "sla.escalated"], active: false } });
    expect(changed).toMatchObject({ events: ["artifact.stale", "sla.escalated"], active: false });
    await api(admin.token).fails("updateWebhook", { params: { id }, json: {} }, 422);
    await api(admin.token).ok("deleteWebhook", { params: { id } });
    await api(admin.token).fails("deleteWebhook", { params: { id } }, 404);
    await api(admin.token).fails("listWebhookDeliveries", { params: { id } }, 404);
    const audit = await db().auditEvent.findMany({ where: { subjectType: "webhook", subjectId: id }, orderBy: { id: "asc" } });
    expect(audit.map((event) => event.action)).toEqual(["webhook.created", "webhook.updated", "webhook.deleted"]);
    expect(JSON.stringify(audit)).not.toContain("whsec_");
  });
});

describe("delivering events", () => {
  let owner: UserActor;
  let reviewer: UserActor;
  let projectId: string;
  let decided: Awaited<ReturnType<typeof register>>;
  let signedOff: Awaited<ReturnType<typeof register>>;
  let routed: Awaited<ReturnType<typeof register>>;

  beforeAll(async () => {
    decided = await register("/decided", ["review_item.decided"]);
    signedOff = await register("/signed-off", ["stage.signed_off"]);
    routed = await register("/routed", ["review_item.routed"]);
    const adminUser = await makeUser("project-admin@webhooks.test", "admin");
    owner = await makeUser("owner@webhooks.test");
    reviewer = await makeUser("reviewer@webhooks.test");
    projectId = (await createProject(adminUser, { name: "Webhooks" })).id;
    await updateStageAssignments(adminUser, projectId, "requirements", { ownerEmail: owner.email, reviewerEmails: [reviewer.email] });
    for (const note of sampleNotes) await addSource(owner, projectId, note);
    const { startRun } = await import("@/lib/pipeline/service");
    await startRun(owner, projectId, { stage: "requirements" });
    await drainRuns();
  });

  it("sends review_item.routed for every item the run routed to people, each signed", async () => {
    const pending = await db().reviewItem.findMany({ where: { projectId, status: "pending" }, select: { id: true } });
    expect(pending.length).toBeGreaterThan(0);
    expect(await drainWebhookDeliveries()).toBe(pending.length);
    const requests = receivedAt("/routed");
    expect(requests).toHaveLength(pending.length);
    expect(requests.every((request) => request.signatureValid && request.headers.event === "review_item.routed")).toBe(true);
    const routedIds = requests.map((request) => (JSON.parse(request.body) as { data: { reviewItemId: string } }).data.reviewItemId);
    expect(routedIds.sort()).toEqual(pending.map((item) => item.id).sort());
    expect(new Set(requests.map((request) => request.headers.delivery)).size).toBe(pending.length);
  });

  it("sends review_item.decided for a real decision, retrying after a 500 until the receiver accepts", async () => {
    answers.set("/decided", [500]);
    // A draft that is no side of an open conflict, so it can be approved at once.
    const conflicts = await db().conflict.findMany({ where: { projectId }, select: { sides: true } });
    const inConflict = new Set(conflicts.flatMap((conflict) => (conflict.sides as { ref: string | null }[]).map((side) => side.ref)));
    const { items } = await listReviewItems(reviewer, { status: "pending", projectId, kind: "draft", limit: 100 });
    const item = items.find((candidate) => !inConflict.has(candidate.ref))!;
    await decideReviewItem(reviewer, item.id, { action: "approve", version: item.version });

    expect(await drainWebhookDeliveries()).toBe(1);
    const [failed] = (await api(admin.token).ok("listWebhookDeliveries", { params: { id: decided.id } })).items;
    expect(failed).toMatchObject({ event: "review_item.decided", status: "pending", attempts: 1, lastStatusCode: 500 });
    expect(failed.attemptsMade).toMatchObject([{ attempt: 1, statusCode: 500, error: "The endpoint answered 500." }]);
    expect(Date.parse(failed.nextAttemptAt!) - Date.now()).toBeGreaterThan(FIRST_RETRY_DELAY_MS - 5_000);
    // The retry waits for its time.
    expect(await drainWebhookDeliveries()).toBe(0);

    await makeRetriesDue();
    expect(await drainWebhookDeliveries()).toBe(1);
    const [delivered] = (await api(admin.token).ok("listWebhookDeliveries", { params: { id: decided.id } })).items;
    expect(delivered).toMatchObject({ id: failed.id, status: "delivered", attempts: 2, lastStatusCode: 200, lastError: null, nextAttemptAt: null });
    expect(delivered.attemptsMade.map((attempt) => [attempt.attempt, attempt.statusCode])).toEqual([
      [1, 500],
      [2, 200],
    ]);

    const requests = receivedAt("/decided");
    expect(requests).toHaveLength(2);
    for (const request of requests) {
      expect(request).toMatchObject({ signatureValid: true, body: delivered.body, headers: { event: "review_item.decided", delivery: delivered.id, contentType: "application/json" } });
    }
    const body = JSON.parse(delivered.body) as { id: string; event: string; createdAt: string; data: Record<string, unknown> };
    expect(Object.keys(body)).toEqual(["id", "event", "createdAt", "data"]);
    expect(body.event).toBe("review_item.decided");
    expect(body.data).toMatchObject({ reviewItemId: item.id, projectId, action: "approve", status: "approved", ref: item.ref, decidedBy: reviewer.email });
  });

  it("redelivers with the same body and delivery id as a new series, refusing a second while it is pending", async () => {
    const [delivery] = (await api(admin.token).ok("listWebhookDeliveries", { params: { id: decided.id } })).items;
    const again = await api(admin.token).ok("redeliverWebhookDelivery", { params: { id: decided.id, deliveryId: delivery.id } });
    expect(again).toMatchObject({ id: delivery.id, status: "pending", attempts: 2 });
    await api(admin.token).fails("redeliverWebhookDelivery", { params: { id: decided.id, deliveryId: delivery.id } }, 409);
    await api(admin.token).fails("redeliverWebhookDelivery", { params: { id: signedOff.id, deliveryId: delivery.id } }, 404);

    expect(await drainWebhookDeliveries()).toBe(1);
    const requests = receivedAt("/decided");
    expect(requests).toHaveLength(3);
    expect(requests[2]).toMatchObject({ signatureValid: true, body: delivery.body, headers: { delivery: delivery.id } });
    const [redelivered] = (await api(admin.token).ok("listWebhookDeliveries", { params: { id: decided.id } })).items;
    expect(redelivered).toMatchObject({ status: "delivered", attempts: 3 });
    expect(redelivered.attemptsMade.map((attempt) => attempt.statusCode)).toEqual([500, 200, 200]);
    const audit = await db().auditEvent.findMany({ where: { subjectType: "webhook", subjectId: decided.id, action: "webhook.redelivered" } });
    expect(audit).toHaveLength(1);
  });

  it("delivers nothing to a webhook for events it did not subscribe to, and stage.signed_off when the stage is signed off", async () => {
    expect((await api(admin.token).ok("listWebhookDeliveries", { params: { id: signedOff.id } })).items).toEqual([]);
    expect(receivedAt("/signed-off")).toEqual([]);

    await approveEverything(reviewer, projectId);
    await signOffStage(owner, projectId, "requirements", { comment: "All approved" });
    await drainWebhookDeliveries();
    const requests = receivedAt("/signed-off");
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ signatureValid: true, headers: { event: "stage.signed_off" } });
    expect(JSON.parse(requests[0].body)).toMatchObject({ event: "stage.signed_off", data: { projectId, stage: "requirements", signedBy: owner.email } });
    // Every decision made since went to the decided endpoint, none to the others.
    expect(receivedAt("/routed").every((request) => request.headers.event === "review_item.routed")).toBe(true);
    expect(receivedAt("/decided").every((request) => request.headers.event === "review_item.decided")).toBe(true);
    expect(routed.events).toEqual(["review_item.routed"]);
  });
});

describe("giving up and switching off", () => {
  it("marks a delivery failed after the last attempt of its series, and sends no more", async () => {
    const hook = await register("/always-down", ["sla.escalated"]);
    answers.set("/always-down", Array.from({ length: MAX_ATTEMPTS + 1 }, () => 503));
    await transact((tx) => emitEvent(tx, "sla.escalated", { reviewItemId: "item-1", level: "owner" }));
    const statusNow = async () => (await db().webhookDelivery.findFirstOrThrow({ where: { webhookId: hook.id } })).status;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      expect(await statusNow(), `before attempt ${attempt}`).toBe("pending");
      await drainWebhookDeliveries();
      expect(receivedAt("/always-down")).toHaveLength(attempt);
      await makeRetriesDue();
    }
    await drainWebhookDeliveries();
    const [delivery] = (await api(admin.token).ok("listWebhookDeliveries", { params: { id: hook.id } })).items;
    expect(delivery).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS, lastStatusCode: 503, nextAttemptAt: null });
    expect(delivery.attemptsMade).toHaveLength(MAX_ATTEMPTS);
    expect(receivedAt("/always-down")).toHaveLength(MAX_ATTEMPTS);
  });

  it("records a receiver that cannot be reached as an attempt without a status code", async () => {
    const hook = await api(admin.token).ok("createWebhook", { json: { url: "http://127.0.0.1:9/closed", events: ["artifact.stale"] } });
    await transact((tx) => emitEvent(tx, "artifact.stale", { artifactId: "artifact-1" }));
    await drainWebhookDeliveries();
    const [delivery] = (await api(admin.token).ok("listWebhookDeliveries", { params: { id: hook.id } })).items;
    expect(delivery).toMatchObject({ status: "pending", attempts: 1, lastStatusCode: null });
    expect(delivery.attemptsMade[0].error).toMatch(/^The request failed/);
    await api(admin.token).ok("deleteWebhook", { params: { id: hook.id } });
    expect(await db().webhookAttempt.count({ where: { deliveryId: delivery.id } })).toBe(0);
    await makeRetriesDue();
    // The job of the deleted webhook's next attempt finds nothing and ends; nothing is left waiting.
    await drainWebhookDeliveries();
    expect(await drainWebhookDeliveries()).toBe(0);
  });

  it("stores no delivery for an inactive webhook, and refuses to redeliver through one", async () => {
    const hook = await register("/paused", ["artifact.stale"]);
    await transact((tx) => emitEvent(tx, "artifact.stale", { artifactId: "artifact-2" }));
    await drainWebhookDeliveries();
    await api(admin.token).ok("updateWebhook", { params: { id: hook.id }, json: { active: false } });
    await transact((tx) => emitEvent(tx, "artifact.stale", { artifactId: "artifact-3" }));
    await drainWebhookDeliveries();
    expect(receivedAt("/paused")).toHaveLength(1);
    const { items } = await api(admin.token).ok("listWebhookDeliveries", { params: { id: hook.id } });
    expect(items.map((delivery) => (JSON.parse(delivery.body) as { data: { artifactId: string } }).data.artifactId)).toEqual(["artifact-2"]);
    await api(admin.token).fails("redeliverWebhookDelivery", { params: { id: hook.id, deliveryId: items[0].id } }, 409);
  });
});
