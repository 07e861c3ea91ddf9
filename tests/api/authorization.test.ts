import { beforeAll, describe, expect, it } from "vitest";
import { rolesFor } from "@/lib/access";
import { permissions, type Permission, type Role } from "@/lib/authz";
import { endpoints, type EndpointName } from "@/lib/api/schemas";
import { db } from "@/lib/db";
import { drainRuns } from "@/lib/pipeline/worker";
import { checkToken } from "@/lib/tokens/service";
import { sampleNotes } from "../helpers";
import { api, makeCaller, type Caller } from "./api-client";

/**
 * Every API mutation, refused to every actor who lacks a permission it declares: a member of the
 * project without the stage role, and a user from outside the project. A mutation added to the
 * endpoint table without a request here fails this test, so none can skip authorization.
 */
type Mutation = Exclude<EndpointName, { [N in EndpointName]: (typeof endpoints)[N]["method"] extends "get" ? N : never }[EndpointName]>;

const mutations = (Object.keys(endpoints) as EndpointName[]).filter((name): name is Mutation => endpoints[name].method !== "get");

describe("every API mutation checks the permission it declares", () => {
  let admin: Caller;
  let owner: Caller;
  let reviewer: Caller;
  let member: Caller;
  let stranger: Caller;
  let projectId: string;
  let reviewItemId: string;
  let requests: Record<Mutation, { params?: Record<string, string>; json?: unknown }>;

  beforeAll(async () => {
    admin = await makeCaller("admin@authz.test", "admin");
    owner = await makeCaller("owner@authz.test");
    reviewer = await makeCaller("reviewer@authz.test");
    member = await makeCaller("member@authz.test");
    stranger = await makeCaller("stranger@authz.test");
    projectId = (await api(admin.token).ok("createProject", { json: { name: "Authorization" } })).id;
    await api(admin.token).ok("updateStage", { params: { id: projectId, key: "requirements" }, json: { ownerEmail: owner.email, reviewerEmails: [reviewer.email] } });
    // A member of the project with no role in its stages: adding a source makes nobody a member, so the admin names them owner of a later stage.
    await api(admin.token).ok("updateStage", { params: { id: projectId, key: "operations" }, json: { ownerEmail: member.email } });
    for (const note of sampleNotes) await api(owner.token).ok("addSource", { params: { id: projectId }, json: note });
    const runId = (await api(owner.token).ok("startRun", { params: { id: projectId }, json: { stage: "requirements" } })).id;
    await drainRuns();
    reviewItemId = (await api(reviewer.token).ok("listReviewItems", { query: { projectId, limit: 1 } })).items[0].id;
    const sourceId = (await db().source.findFirstOrThrow({ where: { projectId } })).id;
    requests = {
      createProject: { json: { name: "Not allowed" } },
      addSource: { params: { id: projectId }, json: { title: "Sneaked in", text: "The system must do what I say." } },
      updateSource: { params: { id: projectId, sourceId }, json: { text: "The system must do what I say." } },
      removeSource: { params: { id: projectId, sourceId } },
      startRun: { params: { id: projectId }, json: { stage: "requirements" } },
      decideReviewItem: { params: { id: reviewItemId }, json: { action: "approve", version: 1 } },
      claimReviewItem: { params: { id: reviewItemId }, json: {} },
      releaseReviewItem: { params: { id: reviewItemId } },
      undoReviewDecision: { params: { id: reviewItemId } },
      adjudicateReviewItem: { params: { id: reviewItemId }, json: { action: "approve", comment: "sneaky" } },
      bulkDecideReviewItems: { json: { action: "approve", items: [{ id: reviewItemId, version: 1 }] } },
      updateStage: { params: { id: projectId, key: "requirements" }, json: { ownerEmail: member.email, reviewerEmails: [member.email] } },
      signOffStage: { params: { id: projectId, key: "requirements" }, json: {} },
      updatePolicy: { params: { stepKey: "synthesize-requirements" }, json: { auditSampleRate: 1, reason: "sneaky" } },
      whatIfPolicy: { params: { stepKey: "synthesize-requirements" }, json: { auditSampleRate: 1 } },
      refitStepCalibration: { params: { stepKey: "synthesize-requirements" } },
      updateModelPrice: { params: { modelId: "openai:gpt-4.1" }, json: { inputUsdPerMTok: 0, outputUsdPerMTok: 0, reason: "sneaky" } },
      updateProject: { params: { id: projectId }, json: { budgetUsd: null } },
      setRunBudget: { params: { id: runId }, json: { budgetUsd: null } },
      approveOverspend: { params: { id: runId }, json: { reason: "sneaky" } },
      reviseArtifact: { params: { id: (await db().artifact.findFirstOrThrow({ where: { projectId } })).id }, json: { content: { statement: "Mine now." }, comment: "sneaky" } },
      createDelegation: { json: { toEmail: member.email, startsAt: "2026-01-01T00:00:00Z", endsAt: "2026-01-02T00:00:00Z" } },
      revokeDelegation: { params: { id: "no-such-delegation" } },
      markNotificationsRead: { json: { all: true } },
      updateNotificationPreferences: { json: { email: "off" } },
      createWebhook: { json: { url: "https://example.com/hooks", events: ["review_item.decided"] } },
      updateWebhook: { params: { id: "no-such-webhook" }, json: { active: false } },
      deleteWebhook: { params: { id: "no-such-webhook" } },
      redeliverWebhookDelivery: { params: { id: "no-such-webhook", deliveryId: "no-such-delivery" } },
    };
  });

  it("has a refused request for every mutation in the endpoint table", () => {
    expect(Object.keys(requests).sort()).toEqual([...mutations].sort());
  });

  /** The roles each caller holds in the project's requirements stage. */
  const rolesOf = (caller: "member" | "stranger"): Role[] => (caller === "member" ? ["member", "project_member"] : ["member"]);
  const lacks = (roles: Role[], permission: Permission) => !(permissions[permission] as readonly Role[]).some((role) => roles.includes(role));

  it.each(["member", "stranger"] as const)("refuses each mutation to a %s without the permission, and changes nothing", async (who) => {
    const caller = who === "member" ? member : stranger;
    let refused = 0;
    for (const name of mutations) {
      const grant = await endpoints[name].authorize({ params: requests[name].params ?? {}, body: requests[name].json });
      const missing = grant.permissions.filter((permission) => lacks(rolesOf(who), permission));
      if (missing.length === 0) continue;
      const before = await db().auditEvent.count();
      const response = await api(caller.token).call(name, requests[name]);
      expect(response.status, `${name} as ${who}: ${JSON.stringify(response.body)}`).toBe(403);
      expect(await db().auditEvent.count(), `${name} as ${who} wrote an audit event`).toBe(before);
      refused += 1;
    }
    // Creating a project is the one mutation every signed-in user may make; members may also add, edit and remove sources.
    // Delegating one's own roles and revoking a delegation (2) are open to everyone too; the service checks the roles held.
    // Marking one's own notifications read and choosing one's email preference (2) are everyone's own business.
    expect(refused).toBe(mutations.length - (who === "member" ? 4 : 1) - 2 - 2);
  });

  it("lets the holders of each permission through the same check", async () => {
    const grant = await endpoints.releaseReviewItem.authorize({ params: { id: reviewItemId }, body: {} });
    expect(grant).toEqual({ permissions: ["review:work"], scope: { projectId, stage: "requirements" } });
    expect((await endpoints.updateStage.authorize({ params: { id: projectId, key: "design" }, body: { reviewerEmails: [] } })).permissions).toEqual(["stages:assignReviewers"]);
    expect(await endpoints.bulkDecideReviewItems.authorize({ params: {}, body: { items: [{ id: "missing" }, { id: reviewItemId }] } })).toEqual({ permissions: ["review:decide"], scope: { projectId, stage: "requirements" } });
  });

  it("leaves to the service's transaction only the permissions of deciding and claiming, which it checks there", async () => {
    const deferred: string[] = [];
    for (const name of mutations) {
      const grant = await Promise.resolve().then(() => endpoints[name].authorize({ params: requests[name].params ?? {}, body: requests[name].json })).catch(() => null);
      if (grant?.checkedInTransaction) deferred.push(name);
    }
    expect(deferred.sort()).toEqual(["claimReviewItem", "decideReviewItem"]);
    // Refused all the same, by the transaction (the test above), and the owner's handing over needs the owner's permission.
    expect((await endpoints.claimReviewItem.authorize({ params: { id: reviewItemId }, body: { assignTo: reviewer.email } })).permissions).toEqual(["review:adjudicate"]);
    const handOver = await api(reviewer.token).call("claimReviewItem", { params: { id: reviewItemId }, json: { assignTo: owner.email } });
    expect(handOver.status).toBe(403);
  });

  it("reads a review item's scope with the caller's roles there, the same roles the separate lookup finds", async () => {
    for (const caller of [admin, owner, reviewer, member, stranger]) {
      const checked = await checkToken(caller.token);
      if (!checked.ok) throw new Error(checked.message);
      const grant = await endpoints.undoReviewDecision.authorize({ params: { id: reviewItemId }, body: {}, actor: checked.actor });
      expect(grant.scope).toEqual({ projectId, stage: "requirements" });
      expect(grant.rolesRead?.userId).toBe(checked.actor.userId);
      expect([...grant.rolesRead!.roles].sort(), caller.email).toEqual([...(await rolesFor(checked.actor, grant.scope))].sort());
    }
  });
});
