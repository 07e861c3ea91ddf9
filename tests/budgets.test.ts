import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { systemActor, type UserActor } from "@/lib/actors";
import { recordAudit } from "@/lib/audit/service";
import { db } from "@/lib/db";
import { setModelPrice } from "@/lib/models/prices";
import { sumCosts } from "@/lib/models/pricing";
import { drainRuns } from "@/lib/pipeline/worker";
import { updatePolicy } from "@/lib/policies/service";
import { OVERSPEND_APPROVED, spendGateFor } from "@/lib/runtime/budget";
import { transact } from "@/lib/transaction";
import { api, makeCaller, type Caller } from "./api/api-client";
import { makeUser } from "./helpers";
import { estimateMessageTokens } from "@/lib/runtime/context-budget";
import { dataBlock, standInModelServerForThisFile } from "./support/stand-in-model-server";

/**
 * Budgets stop spending before the call. The requirements step drafts with a priced model played
 * by a local OpenAI-compatible stand-in: once a budget cannot pay for the next call, the stand-in
 * receives nothing, the run waits as blocked (budget_exceeded) and its owner is told; raising the
 * budget, or an admin approving the overspend (recorded), lets it continue to the end.
 */
const MODEL = "compat:budget-model";
// Dear enough that one call's worst case (its prompt and every output token it may produce) is well over $0.10.
const PRICE = { inputUsdPerMTok: 10, outputUsdPerMTok: 30 };
const NOTE = "Members must be able to renew a loan online. Overdue notices must be sent by email one day before the due date.";

const server = standInModelServerForThisFile();
let admin: Caller;
let owner: Caller;
let adminActor: UserActor;

beforeAll(async () => {
  admin = await makeCaller("admin@budgets.test", "admin");
  owner = await makeCaller("owner@budgets.test");
  adminActor = await makeUser("policy-admin@budgets.test", "admin");
  await api(admin.token).ok("updateModelPrice", { params: { modelId: MODEL }, json: { ...PRICE, reason: "price of the stand-in for these tests" } });
  await updatePolicy(adminActor, "synthesize-requirements", { modelId: MODEL, fallbackModelIds: [], cascade: [], maxCostUsd: 5 });
});

beforeEach(() => {
  server.reset();
  // Nothing to draft, so nothing waits for people and a run that gets its call completes.
  server.respondWith(MODEL, () => ({ json: { requirements: [], conflicts: [], openQuestions: [] } }));
});

let projects = 0;
async function projectWithBudget(budgetUsd: number | null): Promise<string> {
  projects += 1;
  const projectId = (await api(admin.token).ok("createProject", { json: { name: `Budgets ${projects}` } })).id;
  await api(admin.token).ok("updateStage", { params: { id: projectId, key: "requirements" }, json: { ownerEmail: owner.email } });
  await api(owner.token).ok("addSource", { params: { id: projectId }, json: { title: "Interview", text: NOTE } });
  await api(admin.token).ok("updateProject", { params: { id: projectId }, json: { budgetUsd } });
  return projectId;
}

async function startAndDrain(projectId: string, budgetUsd?: number) {
  const runId = (await api(owner.token).ok("startRun", { params: { id: projectId }, json: { stage: "requirements", ...(budgetUsd === undefined ? {} : { budgetUsd }) } })).id;
  await drainRuns();
  return runId;
}

const runOf = (runId: string) => db().run.findUniqueOrThrow({ where: { id: runId } });
const callsOf = (runId: string) => db().modelCall.findMany({ where: { runId }, orderBy: { startedAt: "asc" } });
const auditOf = (runId: string) => db().auditEvent.findMany({ where: { subjectType: "run", subjectId: runId }, orderBy: { id: "asc" } });

describe("a project budget", () => {
  it("stops the run before a call it cannot pay for, tells the owner, and resumes once raised", async () => {
    const projectId = await projectWithBudget(0.1);
    const runId = await startAndDrain(projectId);

    expect(server.requestsFor(MODEL)).toHaveLength(0);
    const blocked = await runOf(runId);
    expect(blocked).toMatchObject({ status: "blocked", blockedReason: "budget_exceeded", finishedAt: null });
    const detail = blocked.blockedDetail as { limit: string; limitUsd: number; spentUsd: number; estimatedCostUsd: number; message: string };
    expect(detail).toMatchObject({ limit: "project", limitUsd: 0.1, spentUsd: 0 });
    expect(detail.estimatedCostUsd).toBeGreaterThan(0.1);
    expect(detail.message).toMatch(/The project has spent \$0 of its \$0\.10 budget\. The next call to compat:budget-model is estimated at up to \$0\.\d+, which would take it over\./);
    // The call that was not made is on record, with the estimate it was refused on.
    const [skipped] = await callsOf(runId);
    expect(skipped).toMatchObject({ status: "skipped_budget", model: MODEL, costUsd: 0, estimatedCostUsd: detail.estimatedCostUsd });

    const notice = await db().notification.findFirstOrThrow({ where: { kind: "run_blocked", projectId } });
    expect(notice.message).toContain(detail.message);
    expect(notice.link).toBe(`/projects/${projectId}/stages/requirements`);
    expect(notice.userId).toBe((await db().user.findUniqueOrThrow({ where: { email: owner.email } })).id);
    expect((await auditOf(runId)).map((event) => event.action)).toContain("run.blocked");

    const view = await api(owner.token).ok("getRun", { params: { id: runId } });
    expect(view).toMatchObject({ status: "blocked", blockedReason: "budget_exceeded" });
    // A blocked run is still the stage's active run.
    expect((await api(owner.token).fails("startRun", { params: { id: projectId }, json: { stage: "requirements" } }, 409)).message).toMatch(/already blocked/);

    // Raising it, but not enough for the refused call, leaves the run waiting.
    expect(await api(admin.token).ok("updateProject", { params: { id: projectId }, json: { budgetUsd: 0.11 } })).toMatchObject({ budgetUsd: 0.11, resumedRunIds: [] });
    expect((await runOf(runId)).status).toBe("blocked");

    const raised = await api(admin.token).ok("updateProject", { params: { id: projectId }, json: { budgetUsd: 5, reason: "the pilot is funded" } });
    expect(raised).toMatchObject({ id: projectId, budgetUsd: 5, spentUsd: 0, resumedRunIds: [runId] });
    expect(await runOf(runId)).toMatchObject({ status: "queued", blockedReason: null, blockedDetail: null });
    await drainRuns();

    expect(server.requestsFor(MODEL)).toHaveLength(1);
    expect((await runOf(runId)).status).toBe("completed");
    const made = (await callsOf(runId)).filter((call) => call.status === "ok");
    expect(made).toHaveLength(1);
    expect(made[0].costUsd).toBeGreaterThan(0);
    expect(made[0].costUsd).toBeLessThanOrEqual(made[0].estimatedCostUsd!);
    expect(await api(admin.token).ok("updateProject", { params: { id: projectId }, json: { budgetUsd: 5 } })).toMatchObject({ spentUsd: made[0].costUsd });

    const changes = await db().auditEvent.findMany({ where: { subjectType: "project", subjectId: projectId, action: "project.budget_changed" }, orderBy: { id: "asc" } });
    expect(changes.map((event) => event.after)).toEqual([{ budgetUsd: 0.1 }, { budgetUsd: 0.11 }, { budgetUsd: 5 }, { budgetUsd: 5 }]);
    expect(changes[2].reason).toBe("the pilot is funded");
    expect((await auditOf(runId)).map((event) => event.action)).toEqual(["run.queued", "run.blocked", "run.unblocked", "run.completed"]);
  });
});

describe("approving the overspend", () => {
  it("lets the refused call through once, recorded with who and why, and the next run meets the budget again", async () => {
    const projectId = await projectWithBudget(0.1);
    const runId = await startAndDrain(projectId);
    const { blockedDetail } = await runOf(runId);
    expect(server.requestsFor(MODEL)).toHaveLength(0);

    expect((await api(admin.token).fails("approveOverspend", { params: { id: runId }, json: { reason: " " } }, 422)).message).toMatch(/say why/);
    expect((await api(owner.token).fails("approveOverspend", { params: { id: runId }, json: { reason: "mine" } }, 403)).message).toMatch(/Only admins/);

    const approved = await api(admin.token).ok("approveOverspend", { params: { id: runId }, json: { reason: "Demo for the board tomorrow" } });
    expect(approved).toMatchObject({ id: runId, status: "queued", resumed: true, spentUsd: 0 });
    const approval = (await auditOf(runId)).find((event) => event.action === OVERSPEND_APPROVED)!;
    expect(approval).toMatchObject({ actorLabel: `${admin.email} (API token)`, reason: "Demo for the board tomorrow", projectId });
    expect(approval.after).toMatchObject({ allowanceUsd: (blockedDetail as { estimatedCostUsd: number }).estimatedCostUsd, limit: "project", limitUsd: 0.1 });

    await drainRuns();
    expect(server.requestsFor(MODEL)).toHaveLength(1);
    expect((await runOf(runId)).status).toBe("completed");
    expect((await api(admin.token).fails("approveOverspend", { params: { id: runId }, json: { reason: "again" } }, 409)).message).toMatch(/not blocked by a budget/);

    // The approval was for that call: the project's next run is stopped by its budget again.
    const next = await startAndDrain(projectId);
    expect(server.requestsFor(MODEL)).toHaveLength(1);
    expect(await runOf(next)).toMatchObject({ status: "blocked", blockedReason: "budget_exceeded" });
  });
});

describe("a run budget", () => {
  it("is set when the run starts, stops it the same way, and raising it resumes the run", async () => {
    const projectId = await projectWithBudget(null);
    const runId = await startAndDrain(projectId, 0.05);
    expect(server.requestsFor(MODEL)).toHaveLength(0);
    const run = await runOf(runId);
    expect(run).toMatchObject({ status: "blocked", budgetUsd: 0.05 });
    expect(run.blockedDetail).toMatchObject({ limit: "run", limitUsd: 0.05 });

    expect(await api(admin.token).ok("setRunBudget", { params: { id: runId }, json: { budgetUsd: 3, reason: "worth it" } })).toMatchObject({
      status: "queued",
      budgetUsd: 3,
      resumed: true,
    });
    await drainRuns();
    expect(server.requestsFor(MODEL)).toHaveLength(1);
    expect((await runOf(runId)).status).toBe("completed");
    const change = (await auditOf(runId)).find((event) => event.action === "run.budget_changed")!;
    expect(change).toMatchObject({ before: { budgetUsd: 0.05 }, after: { budgetUsd: 3 }, reason: "worth it" });
  });

  it("refuses a negative budget or one that is not a number", async () => {
    const projectId = await projectWithBudget(null);
    for (const budgetUsd of [-1, "10"]) {
      const error = await api(owner.token).fails("startRun", { params: { id: projectId }, json: { stage: "requirements", budgetUsd } }, 422);
      expect(error.message).toMatch(/budgetUsd/);
      await api(admin.token).fails("updateProject", { params: { id: projectId }, json: { budgetUsd } }, 422);
    }
    await api(admin.token).fails("updateProject", { params: { id: projectId }, json: {} }, 422);
  });
});

describe("the spend gate", () => {
  let projectId: string;
  let runId: string;
  let stepRunId: string;
  const planned = (content: string, maxOutputTokens = 1000) => ({ modelId: MODEL, messages: [{ role: "user" as const, content }], maxOutputTokens });

  beforeAll(async () => {
    const actor = await makeUser("gate-admin@budgets.test", "admin");
    await setModelPrice(actor, MODEL, { ...PRICE, reason: "unchanged" });
    projectId = await projectWithBudget(null);
    const stage = await db().stage.findFirstOrThrow({ where: { projectId, key: "requirements" } });
    runId = (await db().run.create({ data: { projectId, stageId: stage.id, status: "completed" } })).id;
    stepRunId = (await db().stepRun.create({ data: { runId, key: "synthesize-requirements", position: 0, status: "completed" } })).id;
  });

  const spend = (costUsd: number, startedAt = new Date()) =>
    db().modelCall.create({ data: { stepRunId, runId, projectId, position: 1, model: MODEL, attempt: 1, status: "ok", messages: [], costUsd, startedAt } });

  it("estimates at the current price and sums what was spent from the recorded calls", async () => {
    const gate = spendGateFor({ runId, projectId, stepMaxCostUsd: 1 });
    // 4000 bytes -> 1000 + 4 input tokens at $10, 1000 output tokens at $30.
    expect(await gate(planned("x".repeat(4000)))).toEqual({ allowed: true, estimatedCostUsd: 0.04004 });
    await spend(0.5);
    await spend(0.47);
    await db().project.update({ where: { id: projectId }, data: { budgetUsd: 1 } });
    expect(await gate(planned("x".repeat(4000)))).toMatchObject({ allowed: false, limit: "project", spentUsd: 0.97, limitUsd: 1, estimatedCostUsd: 0.04004 });
    // A smaller call still fits: 14 input tokens at $10 and 100 output tokens at $30.
    // It is held against the budget until a trace row settles it (tests/runtime-budget-holds.test.ts).
    expect(await gate(planned("x".repeat(40), 100))).toEqual({ allowed: true, estimatedCostUsd: 0.00314, holdId: expect.any(String) });
    expect(await spendGateFor({ runId, projectId, stepMaxCostUsd: 0.01 })(planned("x"))).toMatchObject({ allowed: false, limit: "step_call", limitUsd: 0.01 });
  });

  it("refuses a model nobody priced, saying how to fix it", async () => {
    const decision = await spendGateFor({ runId, projectId, stepMaxCostUsd: 1 })({ ...planned("x"), modelId: "openai:gpt-unpriced" });
    expect(decision).toMatchObject({ allowed: false, estimatedCostUsd: 0 });
    expect(decision.allowed === false && decision.message).toMatch(/No price is known for openai:gpt-unpriced.*price table/);
  });

  it("lets an approved overspend through up to the approved estimate, then meets the limits again", async () => {
    const gate = spendGateFor({ runId, projectId, stepMaxCostUsd: 1 });
    const call = planned("x".repeat(4000));
    expect((await gate(call)).allowed).toBe(false);
    await transact((tx) =>
      recordAudit(tx, { actor: systemActor("test"), action: OVERSPEND_APPROVED, subjectType: "run", subjectId: runId, projectId, after: { allowanceUsd: 0.04004 } }),
    );
    expect(await gate(call)).toEqual({ allowed: true, estimatedCostUsd: 0.04004, holdId: expect.any(String) });
    // The approved call is made and costs most of its estimate: the same call again does not fit what is left.
    await spend(0.03, new Date(Date.now() + 1000));
    expect(await gate(call)).toMatchObject({ allowed: false, limit: "project", spentUsd: sumCosts([0.97, 0.03]) });
  });
});

describe("a context budget", () => {
  it("cuts large sources to their most relevant passages, whole, and records what was left out", async () => {
    const chatter = Array.from({ length: 80 }, (_, index) => `Paragraph ${index + 1} of small talk about the weather, the parking lot and the coffee machine, nothing decided.`);
    const rules = ["Members must be able to renew a loan online within 2 minutes.", "Overdue notices must be sent by email at least one day before the due date."];
    const text = [...chatter.slice(0, 40), rules[0], ...chatter.slice(40), rules[1]].join("\n\n");
    await updatePolicy(adminActor, "synthesize-requirements", { maxInputTokens: 2000 });
    try {
      projects += 1;
      const projectId = (await api(admin.token).ok("createProject", { json: { name: `Budgets ${projects}` } })).id;
      await api(admin.token).ok("updateStage", { params: { id: projectId, key: "requirements" }, json: { ownerEmail: owner.email } });
      await api(owner.token).ok("addSource", { params: { id: projectId }, json: { title: "Long meeting", text } });
      const runId = await startAndDrain(projectId);
      expect((await runOf(runId)).status).toBe("completed");

      const [request] = server.requestsFor(MODEL);
      expect(estimateMessageTokens(request.messages)).toBeLessThanOrEqual(2000);
      const { sources } = dataBlock(request.messages[1].content, "sources")!.json() as { sources: { text: string }[] };
      const sent = sources[0].text;
      // Both requirement passages were kept, whole and in order; most of the small talk was not.
      expect(sent.indexOf(rules[0])).toBeGreaterThanOrEqual(0);
      expect(sent.indexOf(rules[1])).toBeGreaterThan(sent.indexOf(rules[0]));
      for (const paragraph of sent.split("\n\n")) expect(text).toContain(paragraph);

      const step = await db().stepRun.findUniqueOrThrow({ where: { runId_key: { runId, key: "synthesize-requirements" } } });
      const trace = await api(owner.token).ok("getStepRun", { params: { id: step.id } });
      const record = (trace.input as { contextBudget: { maxInputTokens: number; keptPromptTokens: number; leftOut: { id: string; title: string; tokens: number }[] } }).contextBudget;
      expect(record.maxInputTokens).toBe(2000);
      expect(record.keptPromptTokens).toBeLessThanOrEqual(2000);
      expect(record.leftOut.length).toBeGreaterThan(10);
      // Passages are numbered in the source: the requirements are its 41st and 82nd paragraphs.
      expect(record.leftOut.map((left) => left.id.split("#")[1])).not.toContain("41");
      expect(record.leftOut.map((left) => left.id.split("#")[1])).not.toContain("82");
      expect(record.leftOut.every((left) => left.title === "Long meeting" && left.tokens > 0)).toBe(true);
      expect(sent.split("\n\n")).toHaveLength(chatter.length + rules.length - record.leftOut.length);
    } finally {
      await updatePolicy(adminActor, "synthesize-requirements", { maxInputTokens: null });
    }
  });
});
