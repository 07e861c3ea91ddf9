import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { resetEnvForTests } from "@/lib/env";
import { priceOf } from "@/lib/models/prices";
import { costUsd, shippedPrices } from "@/lib/models/pricing";
import { drainRuns } from "@/lib/pipeline/worker";
import { updatePolicy } from "@/lib/policies/service";
import { api, makeCaller, type Caller } from "./api/api-client";
import { makeUser } from "./helpers";
import { startStandInModelServer, type StandInModelServer } from "./support/stand-in-model-server";

/**
 * The price table through the API: every priced model with its price in force and where it
 * comes from, versioned changes by admins with an audit event, clear refusals of bad input, and
 * a change that applies to the very next model call.
 */
const MODEL = "compat:priced-model";
let server: StandInModelServer;
let admin: Caller;
let member: Caller;

beforeAll(async () => {
  server = await startStandInModelServer();
  process.env.COMPAT_BASE_URL = server.url;
  resetEnvForTests();
  admin = await makeCaller("admin@prices.test", "admin");
  member = await makeCaller("member@prices.test");
});

afterAll(async () => {
  delete process.env.COMPAT_BASE_URL;
  resetEnvForTests();
  await server.close();
});

beforeEach(() => server.reset());

describe("GET /models", () => {
  it("lists the shipped prices as version 0, dated, with where they come from and whether each model can run here", async () => {
    const { items } = await api(admin.token).ok("listModels");
    expect(items.map((model) => model.id)).toEqual(expect.arrayContaining(Object.keys(shippedPrices)));
    const gpt = items.find((model) => model.id === "openai:gpt-4.1-mini")!;
    expect(gpt).toMatchObject({ provider: "openai", inputUsdPerMTok: 0.4, outputUsdPerMTok: 1.6, version: 0, checkedOn: shippedPrices["openai:gpt-4.1-mini"].checkedOn, updatedBy: null });
    expect(gpt.checkedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(gpt.note).toContain("openai.com/api/pricing");
    expect(gpt.note).toContain(`when last checked (${gpt.checkedOn})`);
    // No key is configured in the tests: the catalog says why the model cannot run.
    expect(gpt).toMatchObject({ available: false, unavailableReason: "set OPENAI_API_KEY to use OpenAI models" });
    expect(items.find((model) => model.id === "offline:drafter")).toMatchObject({ inputUsdPerMTok: 0, outputUsdPerMTok: 0, checkedOn: null, available: true });
  });

  it("is for admins only", async () => {
    expect((await api(member.token).fails("listModels", {}, 403)).message).toMatch(/admins/);
    await api(member.token).fails("getModel", { params: { modelId: "openai:gpt-4.1" } }, 403);
    await api(member.token).fails("updateModelPrice", { params: { modelId: "openai:gpt-4.1" }, json: { inputUsdPerMTok: 1, outputUsdPerMTok: 1 } }, 403);
  });
});

describe("PUT /models/{modelId}", () => {
  it("saves each change as a new version with who and why, keeps the history and records an audit event", async () => {
    const first = await api(admin.token).ok("updateModelPrice", {
      params: { modelId: "anthropic:claude-haiku-4-5" },
      json: { inputUsdPerMTok: 0.8, outputUsdPerMTok: 4, reason: "negotiated rate" },
    });
    expect(first).toMatchObject({ id: "anthropic:claude-haiku-4-5", version: 1, inputUsdPerMTok: 0.8, outputUsdPerMTok: 4, note: "negotiated rate", updatedBy: admin.email });
    expect(first.checkedOn).toBe(new Date().toISOString().slice(0, 10));
    const second = await api(admin.token).ok("updateModelPrice", { params: { modelId: "anthropic:claude-haiku-4-5" }, json: { inputUsdPerMTok: 1, outputUsdPerMTok: 5 } });
    expect(second).toMatchObject({ version: 2, note: null });
    expect(second.history.map((version) => [version.version, version.inputUsdPerMTok, version.outputUsdPerMTok])).toEqual([
      [2, 1, 5],
      [1, 0.8, 4],
      [0, 1, 5],
    ]);
    expect(await api(admin.token).ok("getModel", { params: { modelId: "anthropic:claude-haiku-4-5" } })).toEqual(second);

    const events = await db().auditEvent.findMany({ where: { subjectType: "model", subjectId: "anthropic:claude-haiku-4-5" }, orderBy: { id: "asc" } });
    expect(events.map((event) => [event.action, event.actorLabel, event.reason])).toEqual([
      ["model_price.updated", `${admin.email} (API token)`, "negotiated rate"],
      ["model_price.updated", `${admin.email} (API token)`, null],
    ]);
    expect(events[0].before).toEqual({ version: 0, inputUsdPerMTok: 1, outputUsdPerMTok: 5 });
    expect(events[0].after).toEqual({ version: 1, inputUsdPerMTok: 0.8, outputUsdPerMTok: 4 });
  });

  it("prices a model that was not listed, which then shows in the catalog", async () => {
    await api(admin.token).ok("updateModelPrice", { params: { modelId: "compat:listed-later" }, json: { inputUsdPerMTok: 0.2, outputUsdPerMTok: 0.6, reason: "our GPU cost" } });
    const { items } = await api(admin.token).ok("listModels");
    expect(items.find((model) => model.id === "compat:listed-later")).toMatchObject({ provider: "compat", version: 1, inputUsdPerMTok: 0.2, available: true });
  });

  it.each([
    [{ inputUsdPerMTok: -1, outputUsdPerMTok: 1 }, "inputUsdPerMTok", /cannot be negative/],
    [{ inputUsdPerMTok: "2", outputUsdPerMTok: 1 }, "inputUsdPerMTok", /must be a number/],
    [{ inputUsdPerMTok: 1 }, "outputUsdPerMTok", /must be a number/],
    [{ inputUsdPerMTok: 1, outputUsdPerMTok: 20_000 }, "outputUsdPerMTok", /at most 10000/],
    [{ inputPerMTokUsd: 1, inputUsdPerMTok: 1, outputUsdPerMTok: 1 }, "(root)", /inputPerMTokUsd/],
  ])("refuses %j with 422 naming the field", async (json, path, message) => {
    const error = await api(admin.token).fails("updateModelPrice", { params: { modelId: "openai:gpt-4.1" }, json }, 422);
    const issue = (error.details as { path: string; message: string }[]).find((detail) => detail.path === path);
    expect(`${issue?.message} ${error.message}`).toMatch(message);
  });

  it("refuses a model id that is not provider:model, and a body that is not JSON", async () => {
    for (const modelId of ["gpt-4.1", "mystery:model", "openai:"]) {
      const error = await api(admin.token).fails("updateModelPrice", { params: { modelId }, json: { inputUsdPerMTok: 1, outputUsdPerMTok: 1 } }, 422);
      expect(error.message).toContain("is not a model id: use provider:model");
    }
    const notJson = await api(admin.token).raw("PUT", "/models/openai%3Agpt-4.1", { body: "{inputUsdPerMTok: 1", headers: { "content-type": "application/json" } });
    expect(notJson.status).toBe(400);
    expect(await db().modelPriceVersion.count({ where: { modelId: { in: ["gpt-4.1", "mystery:model", "openai:"] } } })).toBe(0);
  });

  it("answers 404 for a model nobody priced", async () => {
    await api(admin.token).fails("getModel", { params: { modelId: "openai:gpt-unpriced" } }, 404);
  });
});

describe("a price change", () => {
  it("applies to the very next model call, whichever process saved it", async () => {
    const actor = await makeUser("policy-admin@prices.test", "admin");
    await updatePolicy(actor, "synthesize-requirements", { modelId: MODEL, fallbackModelIds: [], cascade: [], maxCostUsd: 10 });
    server.respondWith(MODEL, () => ({ json: { requirements: [], conflicts: [], openQuestions: [{ question: "Which renewals count?", sources: [] }] } }));
    const owner = await makeCaller("owner@prices.test");
    const projectId = (await api(admin.token).ok("createProject", { json: { name: "Prices" } })).id;
    await api(admin.token).ok("updateStage", { params: { id: projectId, key: "requirements" }, json: { ownerEmail: owner.email } });
    await api(owner.token).ok("addSource", { params: { id: projectId }, json: { title: "Notes", text: "Members must be able to renew a loan online." } });

    const runWithPrice = async (inputUsdPerMTok: number, outputUsdPerMTok: number, save: () => Promise<unknown>) => {
      await save();
      expect(await priceOf(MODEL)).toEqual({ inputPerMTokUsd: inputUsdPerMTok, outputPerMTokUsd: outputUsdPerMTok });
      const runId = (await api(owner.token).ok("startRun", { params: { id: projectId }, json: { stage: "requirements" } })).id;
      await drainRuns();
      const [call] = await db().modelCall.findMany({ where: { runId } });
      expect(call).toMatchObject({ model: MODEL, status: "ok" });
      expect(call.inputTokens).toBeGreaterThan(0);
      expect(call.costUsd).toBe(costUsd(call, { inputPerMTokUsd: inputUsdPerMTok, outputPerMTokUsd: outputUsdPerMTok }));
      expect(call.costUsd).toBeGreaterThan(0);
      return call;
    };

    await runWithPrice(2, 6, () => api(admin.token).ok("updateModelPrice", { params: { modelId: MODEL }, json: { inputUsdPerMTok: 2, outputUsdPerMTok: 6 } }));
    const second = await runWithPrice(4, 12, () => api(admin.token).ok("updateModelPrice", { params: { modelId: MODEL }, json: { inputUsdPerMTok: 4, outputUsdPerMTok: 12 } }));
    // Another process saves a version straight into the table: nothing here caches prices, so the next call is charged at it.
    const third = await runWithPrice(1, 3, () =>
      db().modelPriceVersion.create({ data: { modelId: MODEL, version: 3, inputUsdPerMTok: 1, outputUsdPerMTok: 3, note: "saved by another process" } }),
    );
    expect(third.costUsd).toBeLessThan(second.costUsd);
    expect(server.requestsFor(MODEL)).toHaveLength(3);
  });
});
