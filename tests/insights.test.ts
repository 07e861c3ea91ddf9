import { beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import type { StageKey } from "@/lib/generated/sqlite/enums";
import { api, makeCaller, type Caller } from "./api/api-client";

vi.mock("next-auth", async (importOriginal) => ({ ...(await importOriginal<object>()), ...(await import("./api/next-auth-without-session")) }));

/**
 * GET /api/v1/insights over rows written here directly, with known times and costs, so every
 * figure can be worked out by hand (the comments beside the expectations do). The range is
 * 1 to 7 March 2026; a call before it counts towards the budget, one after it not at all.
 */
const at = (iso: string) => new Date(iso);
const HOUR = 3_600_000;
const RANGE = { from: "2026-03-01", to: "2026-03-07" };
const GPT = "openai:gpt-4.1-mini";
const CLAUDE = "anthropic:claude-sonnet-4";

describe("GET /api/v1/insights", () => {
  let admin: Caller;
  let member: Caller;
  let stranger: Caller;
  let projectId: string;
  let otherProjectId: string;
  const user: Record<string, string> = {};

  beforeAll(async () => {
    admin = await makeCaller("admin@insights.test", "admin");
    member = await makeCaller("member@insights.test");
    stranger = await makeCaller("stranger@insights.test");
    for (const name of ["rita", "ravi"]) await makeCaller(`${name}@insights.test`);
    for (const found of await db().user.findMany({ select: { id: true, email: true } })) user[found.email.split("@")[0]] = found.id;

    projectId = (await api(admin.token).ok("createProject", { json: { name: "Library" } })).id;
    otherProjectId = (await api(admin.token).ok("createProject", { json: { name: "Elsewhere" } })).id;
    await db().project.update({ where: { id: projectId }, data: { budgetUsd: 1 } });
    await db().projectMember.createMany({ data: ["member", "rita", "ravi"].map((name) => ({ projectId, userId: user[name] })) });
    const stage = async (project: string, key: StageKey) => db().stage.findUniqueOrThrow({ where: { projectId_key: { projectId: project, key } } });
    const requirements = await stage(projectId, "requirements");
    const planning = await stage(projectId, "planning");
    await db().stageReviewer.createMany({ data: [{ stageId: requirements.id, userId: user.rita }, { stageId: requirements.id, userId: user.ravi }] });

    const run = (project: string, stageId: string) => db().run.create({ data: { projectId: project, stageId, status: "waiting_review", createdAt: at("2026-03-01T08:00:00Z") } });
    const requirementsRun = await run(projectId, requirements.id);
    const planningRun = await run(projectId, planning.id);
    const otherRun = await run(otherProjectId, (await stage(otherProjectId, "requirements")).id);
    const step = (runId: string, key: string) => db().stepRun.create({ data: { runId, key, position: 0, status: "completed" } });
    const synthesize = await step(requirementsRun.id, "synthesize-requirements");
    const stories = await step(requirementsRun.id, "draft-user-stories");
    const milestones = await step(planningRun.id, "draft-milestones");
    const otherStep = await step(otherRun.id, "synthesize-requirements");

    let position = 0;
    const call = (stepRun: { id: string; runId: string }, project: string, model: string, startedAt: string, costUsd: number, extra: { status?: "ok" | "provider_error"; latencyMs?: number } = {}) =>
      db().modelCall.create({
        data: {
          stepRunId: stepRun.id,
          runId: stepRun.runId,
          projectId: project,
          position: position++,
          model,
          attempt: 1,
          status: extra.status ?? "ok",
          messages: [],
          inputTokens: 1000,
          outputTokens: 100,
          costUsd,
          latencyMs: extra.latencyMs ?? 1000,
          startedAt: at(startedAt),
        },
      });
    await call(synthesize, projectId, GPT, "2026-02-20T09:00:00Z", 0.3); // before the range: spent before
    await call(synthesize, projectId, GPT, "2026-03-01T09:00:00Z", 0.1, { latencyMs: 2000 });
    await call(synthesize, projectId, GPT, "2026-03-01T09:01:00Z", 0, { status: "provider_error", latencyMs: 500 });
    await call(stories, projectId, CLAUDE, "2026-03-01T09:02:00Z", 0.4, { latencyMs: 3000 });
    await call(milestones, projectId, GPT, "2026-03-03T10:00:00Z", 0.05);
    await call(synthesize, projectId, GPT, "2026-03-08T00:00:00Z", 1); // the day after the range
    await call(otherStep, otherProjectId, GPT, "2026-03-02T09:00:00Z", 10);

    let refs = 0;
    const draft = async (stepRun: { id: string; runId: string }, stageId: string, model: string, createdAt: string) => {
      const artifact = await db().artifact.create({
        data: { projectId, stageId, runId: stepRun.runId, stepRunId: stepRun.id, kind: "requirement", ref: `REQ-${++refs}`, status: "pending_review", createdAt: at(createdAt) },
      });
      await db().artifactVersion.create({ data: { artifactId: artifact.id, version: 1, content: {}, stepRunId: stepRun.id, model, createdAt: at(createdAt) } });
      return artifact;
    };
    const routed = (artifactId: string, stepKey: string, outcome: "auto_approve" | "review", createdAt: string) =>
      db().routingDecision.create({ data: { artifactId, version: 1, outcome, reasons: [], policy: {}, stepKey, createdAt: at(createdAt) } });
    const item = (artifactId: string | null, createdAt: Date, extra: { decidedAt?: string; claimedById?: string; claimExpiresAt?: Date; adjudicate?: true } = {}) =>
      db().reviewItem.create({
        data: {
          kind: artifactId ? "draft" : "conflict",
          projectId,
          stageId: requirements.id,
          runId: requirementsRun.id,
          artifactId,
          version: 1,
          status: extra.decidedAt ? "decided" : extra.adjudicate ? "needs_adjudication" : "pending",
          reasons: [],
          createdAt,
          decidedAt: extra.decidedAt ? at(extra.decidedAt) : null,
          claimedById: extra.claimedById,
          claimExpiresAt: extra.claimExpiresAt,
        },
      });
    const decide = (reviewItem: { id: string; artifactId: string | null }, by: string, action: "approve" | "edit" | "reject" | "resolve", createdAt: string) =>
      db().reviewDecision.create({ data: { reviewItemId: reviewItem.id, artifactId: reviewItem.artifactId, version: 1, action, decidedById: by, createdAt: at(createdAt) } });
    const label = (artifactId: string, outcome: string, by: string, createdAt: string) =>
      db().draftLabel.create({
        data: { artifactId, stepKey: "synthesize-requirements", features: {}, routedTo: "people", source: "review", outcome, correct: outcome === "approved_unchanged", decidedById: by, createdAt: at(createdAt) },
      });

    const [req1, req2, req3, req4] = [
      await draft(synthesize, requirements.id, GPT, "2026-03-01T09:05:00Z"),
      await draft(synthesize, requirements.id, GPT, "2026-03-01T09:05:00Z"),
      await draft(synthesize, requirements.id, GPT, "2026-03-01T09:05:00Z"),
      await draft(synthesize, requirements.id, GPT, "2026-03-01T09:05:00Z"),
    ];
    const story = await draft(stories, requirements.id, CLAUDE, "2026-03-02T09:00:00Z");
    await routed(req1.id, "synthesize-requirements", "auto_approve", "2026-03-01T09:06:00Z");
    await routed(req2.id, "synthesize-requirements", "review", "2026-03-01T09:06:00Z");
    await routed(req3.id, "synthesize-requirements", "review", "2026-03-01T09:06:00Z");
    await routed(req4.id, "synthesize-requirements", "review", "2026-03-02T09:06:00Z");
    await routed(story.id, "draft-user-stories", "auto_approve", "2026-03-02T09:01:00Z");

    // Waits: 2 h, 24 h, 1 h, and 4 h for the conflict.
    await decide(await item(req2.id, at("2026-03-01T10:00:00Z"), { decidedAt: "2026-03-01T12:00:00Z" }), user.rita, "approve", "2026-03-01T12:00:00Z");
    await label(req2.id, "approved_unchanged", user.rita, "2026-03-01T12:00:00Z");
    await decide(await item(req3.id, at("2026-03-01T10:00:00Z"), { decidedAt: "2026-03-02T10:00:00Z" }), user.rita, "edit", "2026-03-02T10:00:00Z");
    await label(req3.id, "edited", user.rita, "2026-03-02T10:00:00Z");
    await db().artifactVersion.create({ data: { artifactId: req3.id, version: 2, content: {}, editedById: user.rita, createdAt: at("2026-03-02T10:00:00Z") } });
    await decide(await item(req4.id, at("2026-03-02T10:00:00Z"), { decidedAt: "2026-03-02T11:00:00Z" }), user.ravi, "reject", "2026-03-02T11:00:00Z");
    await label(req4.id, "rejected", user.ravi, "2026-03-02T11:00:00Z");
    await decide(await item(null, at("2026-03-01T10:00:00Z"), { decidedAt: "2026-03-01T14:00:00Z" }), user.ravi, "resolve", "2026-03-01T14:00:00Z");

    // Waiting now: one on both reviewers for 5 h, one claimed by Rita for 1 h, and one for 2 h on
    // the stage owner (the admin who created the project), since the approvers disagreed.
    const now = Date.now();
    await item((await draft(synthesize, requirements.id, GPT, "2026-03-10T00:00:00Z")).id, new Date(now - 5 * HOUR));
    await item((await draft(synthesize, requirements.id, GPT, "2026-03-10T00:00:00Z")).id, new Date(now - HOUR), { claimedById: user.rita, claimExpiresAt: new Date(now + HOUR) });
    await item((await draft(synthesize, requirements.id, GPT, "2026-03-10T00:00:00Z")).id, new Date(now - 2 * HOUR), { adjudicate: true });

    // Requirements: signed off 72 h after its first draft, reopened, signed off again 48 h after
    // reopening with nothing new drafted. Planning: 6 h from its first milestone.
    const signOff = (stageId: string, createdAt: string, supersededAt?: string) =>
      db().signOff.create({ data: { stageId, signedById: user.admin, coverageHash: "x", artifactVersions: [], createdAt: at(createdAt), supersededAt: supersededAt ? at(supersededAt) : null } });
    await signOff(requirements.id, "2026-03-04T09:05:00Z", "2026-03-05T00:00:00Z");
    await signOff(requirements.id, "2026-03-07T00:00:00Z");
    await db().artifact.create({
      data: {
        projectId,
        stageId: planning.id,
        runId: planningRun.id,
        stepRunId: milestones.id,
        kind: "milestone",
        ref: "MS-1",
        status: "approved",
        versions: { create: { version: 1, content: {}, stepRunId: milestones.id, model: GPT, createdAt: at("2026-03-03T10:00:00Z") } },
      },
    });
    await signOff(planning.id, "2026-03-03T16:00:00Z");
  });

  it("gives a project's cost per day, model and stage against its budget", async () => {
    const insights = await api(member.token).ok("getInsights", { query: { projectId, ...RANGE } });
    expect(insights.scope).toEqual({ projectId, projectName: "Library", projects: 1 });
    expect(insights.range).toMatchObject({ ...RANGE, interval: "day" });
    expect(insights.range.periods).toHaveLength(7);
    // 0.10 + 0 + 0.40 on the 1st, 0.05 on the 3rd; the 0.30 before the range starts the running total.
    expect(insights.cost).toMatchObject({ totalUsd: 0.55, calls: 4, inputTokens: 4000, outputTokens: 400 });
    expect(insights.cost.budget).toEqual({ budgetUsd: 1, spentBeforeUsd: 0.3, spentUsd: 0.85 });
    const day = (period: string) => insights.cost.perPeriod.find((p) => p.period === period);
    expect(day("2026-03-01")).toEqual({ period: "2026-03-01", costUsd: 0.5, byModel: { [GPT]: 0.1, [CLAUDE]: 0.4 }, cumulativeUsd: 0.8 });
    expect(day("2026-03-02")).toEqual({ period: "2026-03-02", costUsd: 0, byModel: {}, cumulativeUsd: 0.8 });
    expect(day("2026-03-07")?.cumulativeUsd).toBe(0.85);
    expect(insights.cost.perModel).toEqual([
      { model: CLAUDE, costUsd: 0.4, calls: 1, failedCalls: 0, inputTokens: 1000, outputTokens: 100, meanLatencyMs: 3000 },
      // (2000 + 500 + 1000) / 3 ms
      { model: GPT, costUsd: 0.15, calls: 3, failedCalls: 1, inputTokens: 3000, outputTokens: 300, meanLatencyMs: 1167 },
    ]);
    expect(insights.cost.perStage).toEqual([
      { stage: "requirements", costUsd: 0.5, calls: 3 },
      { stage: "planning", costUsd: 0.05, calls: 1 },
    ]);
  });

  it("gives automation, reviewer load and edit and rejection rates per step and model", async () => {
    const insights = await api(member.token).ok("getInsights", { query: { projectId, ...RANGE } });
    expect(insights.automation.map(({ stepKey, routed, autoApproved, rate }) => ({ stepKey, routed, autoApproved, rate }))).toEqual([
      { stepKey: "synthesize-requirements", routed: 4, autoApproved: 1, rate: 0.25 },
      { stepKey: "draft-user-stories", routed: 1, autoApproved: 1, rate: 1 },
    ]);
    expect(insights.automation[0].perPeriod.slice(0, 3)).toEqual([
      { period: "2026-03-01", routed: 3, autoApproved: 1, rate: 0.3333 },
      { period: "2026-03-02", routed: 1, autoApproved: 0, rate: 0 },
      { period: "2026-03-03", routed: 0, autoApproved: 0, rate: null },
    ]);

    expect(insights.reviewerLoad.reviewers).toEqual([
      { userId: user.ravi, name: "ravi", decisions: 2, byStep: { "synthesize-requirements": 1, conflicts: 1 } },
      { userId: user.rita, name: "rita", decisions: 2, byStep: { "synthesize-requirements": 2 } },
    ]);
    expect(insights.reviewerLoad.perPeriod.slice(0, 2)).toEqual([
      { period: "2026-03-01", decisions: 2, byStep: { "synthesize-requirements": 1, conflicts: 1 }, byReviewer: { [user.rita]: 1, [user.ravi]: 1 } },
      { period: "2026-03-02", decisions: 2, byStep: { "synthesize-requirements": 2 }, byReviewer: { [user.rita]: 1, [user.ravi]: 1 } },
    ]);

    const third = 0.3333;
    expect(insights.quality.perModel).toEqual([{ model: GPT, decided: 3, approvedUnchanged: 1, edited: 1, rejected: 1, editRate: third, rejectRate: third }]);
    expect(insights.quality.perStep).toEqual([
      { stepKey: "synthesize-requirements", title: "Synthesize requirements", decided: 3, approvedUnchanged: 1, edited: 1, rejected: 1, editRate: third, rejectRate: third },
    ]);
  });

  it("gives cycle times per sign-off and stage, and where work waits", async () => {
    const insights = await api(member.token).ok("getInsights", { query: { projectId, ...RANGE } });
    expect(insights.cycleTime.signOffs.map(({ stage, hours, superseded, startedAt }) => ({ stage, hours, superseded, startedAt }))).toEqual([
      { stage: "planning", hours: 6, superseded: false, startedAt: "2026-03-03T10:00:00.000Z" },
      { stage: "requirements", hours: 72, superseded: true, startedAt: "2026-03-01T09:05:00.000Z" },
      // Nothing drafted after the first sign-off: the round starts when the stage reopened.
      { stage: "requirements", hours: 48, superseded: false, startedAt: "2026-03-05T00:00:00.000Z" },
    ]);
    expect(insights.cycleTime.stages).toEqual([
      { stage: "requirements", signOffs: 2, medianHours: 60 },
      { stage: "planning", signOffs: 1, medianHours: 6 },
    ]);

    const [requirements] = insights.waiting.perStage;
    // Decided waits 2, 24, 1 and 4 h: median 3 h. Pending for about 5, 2 and 1 h.
    expect(requirements).toMatchObject({ stage: "requirements", pending: 3, decided: 4, decidedMedianWaitHours: 3 });
    expect(requirements.pendingOldestHours).toBeCloseTo(5, 1);
    expect(requirements.pendingMedianHours).toBeCloseTo(2, 1);
    const [rita, ravi, owner] = insights.waiting.perReviewer;
    // Rita: both pending items (one claimed by her), decisions after 2 h and 24 h.
    expect(rita).toMatchObject({ userId: user.rita, pending: 2, decided: 2, decidedMedianWaitHours: 13 });
    // Ravi: the unclaimed item only, decisions after 1 h and 4 h.
    expect(ravi).toMatchObject({ userId: user.ravi, pending: 1, decided: 2, decidedMedianWaitHours: 2.5 });
    expect(ravi.pendingOldestHours).toBeCloseTo(5, 1);
    // The stage owner: the item awaiting adjudication only.
    expect(owner).toMatchObject({ userId: user.admin, pending: 1, decided: 0 });
    expect(owner.pendingOldestHours).toBeCloseTo(2, 1);
    expect(insights.waiting.perReviewer).toHaveLength(3);
  });

  it("adds days into weeks when asked", async () => {
    const insights = await api(member.token).ok("getInsights", { query: { projectId, ...RANGE, interval: "week" } });
    // 1 March 2026 is a Sunday: it closes the week of 23 February; the 2nd to the 7th are the next week.
    expect(insights.range.periods).toEqual(["2026-02-23", "2026-03-02"]);
    expect(insights.cost.perPeriod.map((p) => [p.period, p.costUsd])).toEqual([
      ["2026-02-23", 0.5],
      ["2026-03-02", 0.05],
    ]);
    expect(insights.automation[0].perPeriod).toEqual([
      { period: "2026-02-23", routed: 3, autoApproved: 1, rate: 0.3333 },
      { period: "2026-03-02", routed: 1, autoApproved: 0, rate: 0 },
    ]);
  });

  it("covers every project the caller can read when none is named", async () => {
    const mine = await api(member.token).ok("getInsights", { query: RANGE });
    expect(mine.scope).toEqual({ projectId: null, projectName: null, projects: 1 });
    expect(mine.cost.totalUsd).toBe(0.55);
    expect(mine.cost.budget).toBeNull();

    const everything = await api(admin.token).ok("getInsights", { query: RANGE });
    expect(everything.scope.projects).toBe(2);
    expect(everything.cost.totalUsd).toBe(10.55);

    const none = await api(stranger.token).ok("getInsights", { query: RANGE });
    expect(none.scope.projects).toBe(0);
    expect(none.cost).toMatchObject({ totalUsd: 0, perModel: [], perStage: [] });
    expect(none.automation).toEqual([]);
    expect(none.waiting.perStage).toEqual([]);
  });

  it("refuses a project the caller is not a member of, and one that does not exist", async () => {
    const refused = await api(stranger.token).fails("getInsights", { query: { projectId, ...RANGE } }, 403);
    expect(refused.message).toMatch(/not a member/);
    await api(admin.token).fails("getInsights", { query: { projectId: "no-such-project" } }, 404);
  });

  it("is documented in the OpenAPI document with its query and response schema", async () => {
    const { body } = await api().raw("GET", "/openapi.json");
    type Operation = { parameters: { in: string; name: string }[]; responses: Record<string, { content: Record<string, { schema: { $ref: string } }> }> };
    const document = body as { paths: Record<string, { get: Operation }>; components: { schemas: Record<string, { required?: string[] }> } };
    const operation = document.paths["/insights"].get;
    expect(operation.parameters.map((p) => `${p.in}:${p.name}`)).toEqual(["query:projectId", "query:from", "query:to", "query:interval"]);
    expect(operation.responses["200"].content["application/json"].schema.$ref).toBe("#/components/schemas/Insights");
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(["401", "403", "404", "422"]));
    expect(document.components.schemas.Insights.required).toEqual(["scope", "range", "generatedAt", "cost", "automation", "reviewerLoad", "quality", "cycleTime", "waiting"]);
  });

  it("answers 422 naming the field for a malformed or impossible range", async () => {
    const caller = api(member.token);
    const badDate = await caller.fails("getInsights", { query: { from: "2026-13-01" } }, 422);
    expect(badDate.details).toEqual([{ path: "from", message: expect.stringMatching(/like 2026-01-31/) }]);
    const backwards = await caller.fails("getInsights", { query: { from: "2026-03-07", to: "2026-03-01" } }, 422);
    expect(backwards.message).toMatch(/after to/);
    expect((await caller.fails("getInsights", { query: { from: "2024-01-01", to: "2026-01-01" } }, 422)).message).toMatch(/366 days/);
    expect((await caller.fails("getInsights", { query: { interval: "month" } }, 422)).details).toEqual([{ path: "interval", message: expect.any(String) }]);
    const repeated = await caller.raw("GET", "/insights?from=2026-03-01&from=2026-03-02");
    expect(repeated.status).toBe(422);
  });
});
