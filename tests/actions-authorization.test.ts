import { readdirSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { UserActor } from "@/lib/actors";
import { db } from "@/lib/db";
import type { ActionResult } from "@/lib/errors";
import { drainRuns } from "@/lib/pipeline/worker";
import { createProject } from "@/lib/projects/service";
import { listReviewItems } from "@/lib/review/service";
import { addSource } from "@/lib/sources/service";
import { updateStageAssignments } from "@/lib/stages/service";
import { startRun } from "@/lib/pipeline/service";
import { makeUser, sampleNotes } from "./helpers";

/**
 * Every server action of the app, called as the browser would, refused to actors who lack the
 * permission it declares, with nothing written. The actions are found by reading the app's
 * actions files, so a new action without a refused call here fails the test.
 */
const session = vi.hoisted(() => ({ actor: null as UserActor | null }));
vi.mock("next-auth", async (importOriginal) => ({ ...(await importOriginal<object>()), ...(await import("./api/next-auth-without-session")) }));
vi.mock("@/lib/auth", async (importOriginal) => ({ ...(await importOriginal<object>()), currentActor: async () => session.actor }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

type ServerAction = (input: unknown) => Promise<ActionResult<unknown>>;

const appDir = path.resolve(import.meta.dirname, "..", "app");
const actionFiles = readdirSync(appDir, { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith("actions.ts"));

async function loadActions(): Promise<Map<string, ServerAction>> {
  const found = new Map<string, ServerAction>();
  for (const file of actionFiles) {
    const exported = (await import(/* @vite-ignore */ path.join(appDir, file))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(exported)) if (typeof value === "function") found.set(name, value as ServerAction);
  }
  return found;
}

/** Actions that are not mutations behind a permission: signing in and out. */
const PUBLIC = new Set(["signInAction", "signOutAction"]);

describe("every server action checks the permission it declares", () => {
  let member: UserActor;
  let stranger: UserActor;
  let inputs: Record<string, unknown>;
  let actions: Map<string, ServerAction>;

  beforeAll(async () => {
    const admin = await makeUser("admin@actions.test", "admin");
    const owner = await makeUser("owner@actions.test");
    const reviewer = await makeUser("reviewer@actions.test");
    member = await makeUser("member@actions.test");
    stranger = await makeUser("stranger@actions.test");
    const projectId = (await createProject(admin, { name: "Actions" })).id;
    await updateStageAssignments(admin, projectId, "requirements", { ownerEmail: owner.email, reviewerEmails: [reviewer.email] });
    await updateStageAssignments(admin, projectId, "operations", { ownerEmail: member.email });
    const sourceId = (await addSource(owner, projectId, sampleNotes[0])).id;
    const runId = (await startRun(owner, projectId, { stage: "requirements" })).id;
    await drainRuns();
    expect((await listReviewItems(reviewer, { projectId, status: "pending", limit: 1 })).items).toHaveLength(1);
    const stage = { projectId, stage: "requirements" };
    const reviewItem = await db().reviewItem.findFirstOrThrow({ where: { projectId, status: "pending" } });
    inputs = {
      createUserAction: { email: "new@actions.test", name: "New", password: "a long enough password" },
      updatePolicyAction: { stepKey: "synthesize-requirements", update: { auditSampleRate: 1 }, reason: "sneaky" },
      whatIfPolicyAction: { stepKey: "synthesize-requirements", update: { auditSampleRate: 1 } },
      refitCalibrationAction: { stepKey: "synthesize-requirements" },
      loadAuditPageAction: { cursor: 1 },
      addSourceAction: { projectId, title: "Sneaked in", text: "The system must do what I say." },
      updateSourceAction: { projectId, sourceId, text: "The system must do what I say." },
      removeSourceAction: { projectId, sourceId },
      sourceTextAction: { projectId, sourceId },
      assignEveryStageAction: { projectId, reviewerEmails: [member.email] },
      updateStageAssignmentsAction: { ...stage, ownerEmail: member.email, reviewerEmails: [member.email] },
      startRunAction: stage,
      signOffStageAction: { ...stage, comment: "mine now" },
      reviseArtifactAction: { artifactId: (await db().artifact.findFirstOrThrow({ where: { projectId } })).id, content: { statement: "Mine now." }, comment: "sneaky" },
      updateModelPriceAction: { modelId: "openai:gpt-4.1", inputUsdPerMTok: "0", outputUsdPerMTok: "0", reason: "sneaky" },
      updateProjectBudgetAction: { projectId, budgetUsd: "" },
      setRunBudgetAction: { projectId, runId, budgetUsd: "" },
      approveOverspendAction: { projectId, runId, reason: "sneaky" },
      createWebhookAction: { url: "https://hooks.example.com/sneaky", events: ["review_item.decided"] },
      setWebhookActiveAction: { webhookId: "no-such-webhook", active: false },
      deleteWebhookAction: { webhookId: "no-such-webhook" },
      redeliverWebhookAction: { webhookId: "no-such-webhook", deliveryId: "no-such-delivery" },
      editDiffAction: { itemId: reviewItem.id },
      claimItemAction: { itemId: reviewItem.id },
      releaseItemAction: { itemId: reviewItem.id },
      undoDecisionAction: { itemId: reviewItem.id },
      bulkDecideAction: { action: "approve", items: [{ id: reviewItem.id, version: reviewItem.version }] },
      adjudicateAction: { itemId: reviewItem.id, action: "approve", comment: "sneaky" },
      // Everyone signed in holds these; the services keep them to the actor's own records.
      createProjectAction: { name: "Allowed" },
      createTokenAction: { name: "allowed" },
      revokeTokenAction: { tokenId: "not-mine" },
      markNotificationsReadAction: { ids: ["not-mine"] },
      markInboxReadAction: { all: true },
      updateNotificationPreferencesAction: { email: "off" },
      createDelegationAction: { toEmail: "admin@actions.test", startsAt: "2026-01-01T09:00", endsAt: "2026-01-02T09:00" },
      revokeDelegationAction: { delegationId: "not-mine" },
    };
    actions = await loadActions();
  });

  it("knows a call for every action the app exports", () => {
    expect([...actions.keys()].filter((name) => !PUBLIC.has(name)).sort()).toEqual(Object.keys(inputs).sort());
  });

  it.each(["member", "stranger"] as const)("refuses each permissioned action to a %s without it, and writes nothing", async (who) => {
    session.actor = who === "member" ? member : stranger;
    const everyone = new Set(["createProjectAction", "createTokenAction", "revokeTokenAction", "markNotificationsReadAction", "markInboxReadAction", "updateNotificationPreferencesAction", "createDelegationAction", "revokeDelegationAction"]);
    // A member of the project may add, edit and remove its sources.
    if (who === "member") for (const name of ["addSourceAction", "updateSourceAction", "removeSourceAction", "sourceTextAction"]) everyone.add(name);
    for (const [name, input] of Object.entries(inputs)) {
      if (everyone.has(name)) continue;
      const before = await db().auditEvent.count();
      const result = await actions.get(name)!(input);
      expect(result, `${name} as ${who}`).toMatchObject({ ok: false, error: { code: "forbidden" } });
      expect(await db().auditEvent.count(), `${name} as ${who} wrote an audit event`).toBe(before);
    }
  });

  it("refuses every action without a session", async () => {
    session.actor = null;
    for (const [name, input] of Object.entries(inputs)) {
      expect(await actions.get(name)!(input), name).toMatchObject({ ok: false, error: { code: "unauthorized" } });
    }
  });
});
