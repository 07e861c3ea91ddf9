import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { UserActor } from "@/lib/actors";
import { db } from "@/lib/db";
import { resetEnvForTests } from "@/lib/env";
import { setModelPrice } from "@/lib/models/prices";
import { costUsd } from "@/lib/models/pricing";
import { startRun } from "@/lib/pipeline/service";
import { drainRuns } from "@/lib/pipeline/worker";
import type { Escalation } from "@/lib/policies/schema";
import { updatePolicy } from "@/lib/policies/service";
import { createProject } from "@/lib/projects/service";
import { addSource } from "@/lib/sources/service";
import { updateStageAssignments } from "@/lib/stages/service";
import { seedTrustedCalibration } from "./support/calibration";
import { dataBlock, startStandInModelServer, type StandInModelServer, type StandInRequest } from "./support/stand-in-model-server";
import { makeUser } from "./helpers";

/**
 * A cascade from a cheap model to a strong one, both played by the local stand-in: the cheap
 * tier is unsure of the hedged lines of a note, the strong one of nothing. Only the uncertain
 * drafts go up (and only their lines are sent), the confident ones stay from the cheap tier, each
 * artifact says which model and tier drafted it, and the step's cost is what the tiers used cost.
 */
vi.mock("@/lib/runtime/retry", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/runtime/retry")>();
  return { ...original, defaultRetryPolicy: { attemptsPerModel: 2, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 100 } };
});

const CHEAP = "compat:cheap";
const STRONG = "compat:strong";
const CHEAP_PRICE = { inputUsdPerMTok: 0.1, outputUsdPerMTok: 0.4 };
const STRONG_PRICE = { inputUsdPerMTok: 5, outputUsdPerMTok: 20 };

const FIRM = ["Riders must be able to unlock a bike with the app in under 5 seconds.", "Payments must use a certified provider."];
const HEDGED = ["Maybe riders should be able to reserve a bike for ten minutes.", "Maybe the app should show nearby docks on a map."];

let server: StandInModelServer;
let admin: UserActor;
let owner: UserActor;

/** One requirement per line of the sources the request carries; `judge` sets each one's confidence and doubt. */
function drafter(judge: (line: string) => { confidence: number; unsure: string | null }) {
  return (request: StandInRequest) => {
    const { sources } = dataBlock(request.messages[1].content, "sources")!.json() as { sources: { id: string; text: string }[] };
    const lines = sources.flatMap((source) => source.text.split("\n").filter((line) => line.trim()).map((line) => ({ sourceId: source.id, line })));
    return {
      json: {
        requirements: lines.map(({ sourceId, line }, index) => ({
          id: `R${index + 1}`,
          statement: line,
          category: "functional",
          sources: [{ sourceId, quote: line }],
          ...judge(line),
        })),
        conflicts: [],
        openQuestions: [],
      },
    };
  };
}

const cheapJudge = (line: string) => (line.startsWith("Maybe") ? { confidence: 0.6, unsure: "the note hedges" } : { confidence: 0.95, unsure: null });
const strongJudge = () => ({ confidence: 0.93, unsure: null });

beforeAll(async () => {
  server = await startStandInModelServer();
  process.env.COMPAT_BASE_URL = server.url;
  resetEnvForTests();
  admin = await makeUser("admin@cascade.test", "admin");
  owner = await makeUser("owner@cascade.test");
  await setModelPrice(admin, CHEAP, { ...CHEAP_PRICE, reason: "test price of the cheap tier" });
  await setModelPrice(admin, STRONG, { ...STRONG_PRICE, reason: "test price of the strong tier" });
  await seedTrustedCalibration("synthesize-requirements", [CHEAP, STRONG]);
});

afterAll(async () => {
  delete process.env.COMPAT_BASE_URL;
  resetEnvForTests();
  await server.close();
});

beforeEach(() => server.reset());

let projects = 0;

async function runCascade(escalateWhen: Escalation, lines: readonly string[]) {
  await updatePolicy(admin, "synthesize-requirements", {
    modelId: STRONG,
    fallbackModelIds: [],
    cascade: [
      { modelId: CHEAP, escalateWhen },
      { modelId: STRONG, escalateWhen: {} },
    ],
    minConfidence: 0.5,
    auditSampleRate: 0,
    maxCostUsd: 1,
    alwaysReview: false,
  });
  projects += 1;
  const projectId = (await createProject(admin, { name: `Cascade ${projects}` })).id;
  await updateStageAssignments(admin, projectId, "requirements", { ownerEmail: owner.email, reviewerEmails: [owner.email] });
  await addSource(owner, projectId, { title: "Ops interview", kind: "interview", text: lines.join("\n") });
  const { id: runId } = await startRun(owner, projectId, { stage: "requirements" });
  await drainRuns();
  const run = await db().run.findUniqueOrThrow({ where: { id: runId } });
  const step = await db().stepRun.findUniqueOrThrow({ where: { runId_key: { runId, key: "synthesize-requirements" } } });
  const calls = await db().modelCall.findMany({ where: { stepRunId: step.id }, orderBy: { position: "asc" } });
  const artifacts = await db().artifact.findMany({ where: { runId, kind: "requirement" }, include: { versions: true, routings: true } });
  const drafted = new Map(artifacts.map((artifact) => [(artifact.versions[0].content as { statement: string }).statement, artifact]));
  return { run, step, calls, drafted };
}

const priced = (call: { inputTokens: number; outputTokens: number }, price: typeof CHEAP_PRICE) =>
  costUsd(call, { inputPerMTokUsd: price.inputUsdPerMTok, outputPerMTokUsd: price.outputUsdPerMTok });

describe("a cascade from a cheap model to a strong one", () => {
  it("sends only the uncertain drafts up, keeps the confident ones, and costs what the tiers used", async () => {
    server.respondWith(CHEAP, drafter(cheapJudge));
    server.respondWith(STRONG, drafter(strongJudge));
    const { run, step, calls, drafted } = await runCascade({ belowConfidence: 0.8, unsure: true }, [FIRM[0], HEDGED[0], FIRM[1], HEDGED[1]]);

    expect(calls.map((call) => [call.model, call.tier, call.status])).toEqual([
      [CHEAP, 0, "ok"],
      [STRONG, 1, "ok"],
    ]);
    // The strong model is asked about the hedged lines only.
    const [strongRequest] = server.requestsFor(STRONG);
    const { sources } = dataBlock(strongRequest.messages[1].content, "sources")!.json() as { sources: { text: string }[] };
    expect(sources.map((source) => source.text)).toEqual([HEDGED.join("\n")]);

    expect(drafted.size).toBe(4);
    for (const line of FIRM) expect(drafted.get(line)!.versions[0]).toMatchObject({ model: CHEAP, tier: 0, confidence: 0.95 });
    for (const line of HEDGED) expect(drafted.get(line)!.versions[0]).toMatchObject({ model: STRONG, tier: 1, confidence: 0.93 });

    const [cheapCall, strongCall] = calls;
    expect(cheapCall.costUsd).toBeCloseTo(priced(cheapCall, CHEAP_PRICE), 12);
    expect(strongCall.costUsd).toBeCloseTo(priced(strongCall, STRONG_PRICE), 12);
    expect(strongCall.inputTokens).toBeLessThan(cheapCall.inputTokens);
    expect(step.costUsd).toBeCloseTo(cheapCall.costUsd + strongCall.costUsd, 12);
    expect(step.inputTokens).toBe(cheapCall.inputTokens + strongCall.inputTokens);
    expect(step.outputTokens).toBe(cheapCall.outputTokens + strongCall.outputTokens);
    expect(step.model).toBe(`${CHEAP}, ${STRONG}`);
    expect(run.costUsd).toBeCloseTo(step.costUsd, 12);
    const output = step.output as { tiers: { tier: number; drafted: number; escalated: number }[] };
    expect(output.tiers.map(({ tier, drafted: count, escalated }) => [tier, count, escalated])).toEqual([
      [0, 4, 2],
      [1, 2, 0],
    ]);
  });

  it("escalates on the calibrated probability, and never calls the strong model when the cheap one is sure", async () => {
    server.respondWith(CHEAP, drafter(cheapJudge));
    server.respondWith(STRONG, drafter(strongJudge));
    const unsure = await runCascade({ belowCalibrated: 0.9 }, [FIRM[0], HEDGED[0]]);
    expect(unsure.calls.map((call) => call.model)).toEqual([CHEAP, STRONG]);
    expect(unsure.drafted.get(FIRM[0])!.versions[0]).toMatchObject({ model: CHEAP, tier: 0 });
    expect(unsure.drafted.get(HEDGED[0])!.versions[0]).toMatchObject({ model: STRONG, tier: 1 });

    server.reset();
    server.respondWith(CHEAP, drafter(cheapJudge));
    server.respondWith(STRONG, drafter(strongJudge));
    const sure = await runCascade({ belowCalibrated: 0.9 }, FIRM);
    expect(server.requestsFor(STRONG)).toHaveLength(0);
    expect(sure.calls.map((call) => [call.model, call.tier])).toEqual([[CHEAP, 0]]);
    expect(sure.step.costUsd).toBeCloseTo(sure.calls[0].costUsd, 12);
    expect([...sure.drafted.values()].map((artifact) => artifact.versions[0].tier)).toEqual([0, 0]);
    // Clean, confident and calibrated: auto-approved straight from the cheap tier.
    expect([...sure.drafted.values()].map((artifact) => artifact.status)).toEqual(["auto_approved", "auto_approved"]);
  });

  it("sends an escalated draft to people when the strong tier fails, and keeps the rest", async () => {
    server.respondWith(CHEAP, drafter(cheapJudge));
    server.respondWith(STRONG, () => ({ status: 500, message: "overloaded" }));
    const { step, calls, drafted } = await runCascade({ unsure: true }, [FIRM[0], HEDGED[0]]);
    expect(calls.map((call) => [call.model, call.tier, call.status])).toEqual([
      [CHEAP, 0, "ok"],
      [STRONG, 1, "provider_error"],
      [STRONG, 1, "provider_error"],
    ]);
    expect(step.status).toBe("completed");
    const stranded = drafted.get(HEDGED[0])!;
    expect(stranded.versions[0]).toMatchObject({ model: CHEAP, tier: 0 });
    expect(stranded.status).toBe("pending_review");
    const reasons = stranded.routings[0].reasons as { code: string; detail: string }[];
    expect(reasons.find((reason) => reason.code === "provider_error")?.detail).toMatch(/every model asked to re-draft it failed: compat:strong: 2 calls failed/);
    expect(drafted.get(FIRM[0])!.status).toBe("auto_approved");
  });
});
