import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { UserActor } from "@/lib/actors";
import { db } from "@/lib/db";
import { setModelPrice } from "@/lib/models/prices";
import { createProject } from "@/lib/projects/service";
import { synthesizeRequirementsPrompt } from "@/lib/requirements/prompts";
import { requirementsDraftSchema } from "@/lib/requirements/schema";
import { estimateCallCost, spendGateFor } from "@/lib/runtime/budget";
import { draftOnTier, outputCapFor } from "@/lib/runtime/call";
import { BudgetExceeded } from "@/lib/runtime/contracts";
import { stepTrace } from "@/lib/runtime/trace";
import { makeUser } from "./helpers";
import { standInModelServerForThisFile } from "./support/stand-in-model-server";

/**
 * Calls made at the same time cannot both spend the last of a budget: each call's estimate is
 * held against the run's and the project's budgets before it is made (in a transaction that
 * takes the project's row lock), and its trace row replaces the hold with what it cost. Several
 * steps call a priced stand-in model at once against a budget that pays for one call: the
 * stand-in receives one request, the others are refused (budget_exceeded) and on record.
 */
const MODEL = "compat:held-model";
const PRICE = { inputUsdPerMTok: 10, outputUsdPerMTok: 30 };
const NOTE = "Members must be able to renew a loan online. Overdue notices must be sent by email one day before the due date.";
const prompt = synthesizeRequirementsPrompt({ project: { name: "Library", brief: "" }, sources: [{ id: "s1", title: "Note", kind: "other", text: NOTE }] });
const messages = [
  { role: "system" as const, content: prompt.system },
  { role: "user" as const, content: prompt.prompt },
];
// What the gate estimates for one call of this prompt (its prompt, and every output token it may produce).
const estimateUsd = estimateCallCost({ modelId: MODEL, messages, maxOutputTokens: outputCapFor(messages) }, { inputPerMTokUsd: PRICE.inputUsdPerMTok, outputPerMTokUsd: PRICE.outputUsdPerMTok }).costUsd;

// A budget for one call: its estimate fits, but not with what any other call costs or holds (a settled call costs
// about a tenth of its estimate here, its prompt without the output it may write), in whatever order they come.
const forOneCall = () => estimateUsd * 1.02;

const server = standInModelServerForThisFile();
let admin: UserActor;

beforeAll(async () => {
  admin = await makeUser("admin@runtime-budget-holds.test", "admin");
  await setModelPrice(admin, MODEL, { ...PRICE, reason: "price of the stand-in for these tests" });
});

beforeEach(() => {
  server.reset();
  server.respondWith(MODEL, () => ({ json: { requirements: [], conflicts: [], openQuestions: [] } }));
});

let projects = 0;
async function runsOf(count: number, budgets: { projectUsd: number | null; runUsd: number | null }) {
  projects += 1;
  const project = await createProject(admin, { name: `Held budgets ${projects}` });
  await db().project.update({ where: { id: project.id }, data: { budgetUsd: budgets.projectUsd } });
  const stage = await db().stage.findFirstOrThrow({ where: { projectId: project.id, key: "requirements" } });
  const runIds = [];
  for (let index = 0; index < count; index += 1) {
    runIds.push((await db().run.create({ data: { projectId: project.id, stageId: stage.id, status: "running", budgetUsd: budgets.runUsd } })).id);
  }
  return { projectId: project.id, runIds };
}

/** One model step drafting in the given run: the engine's gate and trace, with its own step run. */
async function draftingStep(projectId: string, runId: string, key: string) {
  const stepRunId = (await db().stepRun.create({ data: { runId, key, position: 0, status: "running" } })).id;
  const record = stepTrace(Promise.resolve({ scope: { stepRunId, runId, projectId }, earlier: 0 }));
  const gate = spendGateFor({ runId, projectId, stepMaxCostUsd: 5 });
  return () => draftOnTier({ index: 0, modelIds: [MODEL] }, { prompt, schema: requirementsDraftSchema }, { gate, priceOf: async () => ({ inputPerMTokUsd: 10, outputPerMTokUsd: 30 }), record });
}

async function settleAll(steps: (() => Promise<unknown>)[]) {
  return Promise.allSettled(steps.map((step) => step()));
}

describe("calls at the same time against a budget that pays for one", () => {
  it("of four runs of a project: one call is made, the others are refused before they reach the model", async () => {
    const { projectId, runIds } = await runsOf(4, { projectUsd: forOneCall(), runUsd: null });
    const steps = await Promise.all(runIds.map((runId) => draftingStep(projectId, runId, "synthesize-requirements")));
    const outcomes = await settleAll(steps);

    expect(server.requestsFor(MODEL)).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    const refused = outcomes.flatMap((outcome) => (outcome.status === "rejected" ? [outcome.reason] : []));
    expect(refused).toHaveLength(3);
    for (const reason of refused) {
      expect(reason).toBeInstanceOf(BudgetExceeded);
      expect((reason as BudgetExceeded).decision).toMatchObject({ limit: "project", estimatedCostUsd: estimateUsd });
    }
    const calls = await db().modelCall.findMany({ where: { projectId }, orderBy: { position: "asc" } });
    expect(calls.map((call) => call.status).sort()).toEqual(["ok", "skipped_budget", "skipped_budget", "skipped_budget"]);
    // The call made is settled at what it cost: nothing stays held.
    const made = calls.find((call) => call.status === "ok")!;
    expect(made.costUsd).toBeGreaterThan(0);
    expect(made.costUsd).toBeLessThan(estimateUsd);
    expect(await db().budgetHold.count({ where: { projectId } })).toBe(0);
  });

  it("of two steps of one run: the run's budget holds the first call's estimate against the second", async () => {
    const { projectId, runIds } = await runsOf(1, { projectUsd: null, runUsd: forOneCall() });
    const [runId] = runIds;
    const outcomes = await settleAll([await draftingStep(projectId, runId, "synthesize-requirements"), await draftingStep(projectId, runId, "draft-stories")]);

    expect(server.requestsFor(MODEL)).toHaveLength(1);
    const refused = outcomes.flatMap((outcome) => (outcome.status === "rejected" ? [outcome.reason as BudgetExceeded] : []));
    expect(refused.map((reason) => reason.decision)).toMatchObject([{ limit: "run" }]);
    expect(await db().budgetHold.count({ where: { runId } })).toBe(0);
  });

  it("lets the next call through once the first is settled below its estimate", async () => {
    const { projectId, runIds } = await runsOf(2, { projectUsd: estimateUsd * 1.5, runUsd: null });
    for (const runId of runIds) await (await draftingStep(projectId, runId, "synthesize-requirements"))();
    // Sequential calls: the first is settled at its actual cost, well under its estimate, before the second asks.
    expect(server.requestsFor(MODEL)).toHaveLength(2);
    expect(await db().budgetHold.count({ where: { projectId } })).toBe(0);
  });

  it("gives the hold back when a call fails, so it does not count against the budget", async () => {
    const { projectId, runIds } = await runsOf(1, { projectUsd: estimateUsd * 1.5, runUsd: null });
    server.script(MODEL, { status: 400, message: "refused" });
    const outcome = await (await draftingStep(projectId, runIds[0], "synthesize-requirements"))();
    expect(outcome.status).toBe("provider_error");
    const calls = await db().modelCall.findMany({ where: { projectId } });
    expect(calls.map((call) => [call.status, call.costUsd])).toEqual([["provider_error", 0]]);
    expect(await db().budgetHold.count({ where: { projectId } })).toBe(0);
    // The budget still pays for a call.
    await (await draftingStep(projectId, runIds[0], "draft-stories"))();
    expect(server.requestsFor(MODEL)).toHaveLength(2);
  });
});
