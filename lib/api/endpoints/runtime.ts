import { z } from "zod";
import { id, notAMember, runPath, timestamp } from "@/lib/api/common";
import type { Endpoint } from "@/lib/api/schemas";
import { ModelCallStatus, RunStatus, StepStatus } from "@/lib/generated/sqlite/enums";
import { feedQuerySchema } from "@/lib/runs/schema";
import { stageKeySchema } from "@/lib/stages/schema";

const json = (description: string) => z.unknown().meta({ description });

const callFields = {
  id: z.string(),
  position: z.number().int().meta({ description: "Order of the call within its step" }),
  model: z.string().meta({ description: "e.g. openai:gpt-4.1-mini" }),
  tier: z.number().int().meta({ description: "The cascade tier, 0 for the first (cheapest) model" }),
  attempt: z.number().int().meta({ description: "1 for the first try of this model on this input, 2 for a retry or a repair, ..." }),
  status: z.enum(ModelCallStatus),
  error: z.string().nullable(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  costUsd: z.number(),
  latencyMs: z.number().int(),
  startedAt: timestamp,
  finishedAt: timestamp.nullable(),
};

const callSummarySchema = z.strictObject(callFields).meta({ id: "ModelCallSummary" });

const stepFields = {
  id: z.string().meta({ description: "The step run's id, for GET /step-runs/{id}" }),
  key: z.string(),
  title: z.string(),
  kind: z.enum(["model", "rule"]),
  status: z.enum(StepStatus),
  model: z.string().nullable().meta({ description: "The model that ran a model step, e.g. openai:gpt-4.1-mini" }),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  costUsd: z.number(),
  latencyMs: z.number().int(),
  attempts: z.number().int(),
  error: z.string().nullable(),
  startedAt: timestamp,
  finishedAt: timestamp.nullable(),
};

const stepSchema = z.strictObject({ ...stepFields, calls: z.array(callSummarySchema) }).meta({ id: "Step" });

const runSchema = z
  .strictObject({
    id: z.string(),
    projectId: z.string(),
    stage: stageKeySchema,
    status: z.enum(RunStatus),
    error: z.string().nullable(),
    costUsd: z.number(),
    budgetUsd: z.number().nullable().meta({ description: "Spending limit of this run's model calls, in US dollars; null means none" }),
    blockedReason: z.string().nullable().meta({ description: "Why a blocked run waits, e.g. budget_exceeded" }),
    blockedDetail: json("The figures behind blockedReason; null unless blocked"),
    createdAt: timestamp,
    startedAt: timestamp.nullable(),
    finishedAt: timestamp.nullable(),
    steps: z.array(stepSchema),
  })
  .meta({ id: "Run" });

const callTraceSchema = z
  .strictObject({
    ...callFields,
    estimatedCostUsd: z.number().nullable().meta({ description: "The cost estimated before the call, which the budgets were checked against" }),
    messages: z.array(z.strictObject({ role: z.string(), content: z.string() })).meta({ description: "The exact messages sent (system, user, ...)" }),
    rawResponse: z.string().nullable().meta({ description: "The model's reply as received" }),
    parsedOutput: json("The reply parsed as JSON, when it was JSON"),
    validationErrors: json("Where the reply broke the step's contract, when it did"),
  })
  .meta({ id: "ModelCallTrace" });

const stepTraceSchema = z
  .strictObject({
    ...stepFields,
    runId: z.string(),
    projectId: z.string(),
    input: json("What the step was given, as recorded (for a model step, what the context budget left out too)"),
    output: json("What the step produced"),
    calls: z.array(callTraceSchema),
  })
  .meta({ id: "StepTrace" });

const runProgressSchema = z
  .strictObject({
    id: z.string(),
    status: z.enum(RunStatus),
    error: z.string().nullable(),
    blockedReason: z.string().nullable(),
    costUsd: z.number(),
    finishedAt: timestamp.nullable(),
    modelCalls: z.number().int().meta({ description: "Model calls made so far" }),
    pendingReviews: z.number().int().meta({ description: "The run's items waiting for people" }),
    steps: z.array(
      z.strictObject({ id: z.string(), key: z.string(), status: z.enum(StepStatus), attempts: z.number().int(), costUsd: z.number(), finishedAt: timestamp.nullable() }),
    ),
  })
  .meta({ id: "RunProgress", description: "The data of each `run` event" });

const liveCountsSchema = z
  .strictObject({
    pendingReviews: z.number().int().meta({ description: "Review items waiting for a decision the caller may make" }),
    unreadNotifications: z.number().int(),
  })
  .meta({ id: "LiveCounts", description: "The data of each `counts` event" });

const eventsHow =
  "Server-Sent Events (text/event-stream), polled from the database once a second: an event whenever the state changes, its id the state's version (reconnect with Last-Event-ID, or pass since, to hear only what changed), a comment every 15 s, and after 5 minutes the stream closes for the client to reconnect.";

/** The /api/v1 routes of the runtime area, merged into the one endpoint table in lib/api/schemas.ts. */
export const runtimeEndpoints = {
  getRun: {
    method: "get",
    path: "/runs/{id}",
    summary: "A run with its steps and, per step, each model call's model, tier, status, tokens, cost and latency",
    params: runPath,
    status: 200,
    response: runSchema,
    errors: { 403: notAMember, 404: "The run does not exist." },
  },
  getStepRun: {
    method: "get",
    path: "/step-runs/{id}",
    summary: "One step of a run with its full trace: its input and output, and each model call's exact messages, raw response, parsed output and validation errors",
    params: z.object({ id: id("Step run id (a step's id in GET /runs/{id})") }),
    status: 200,
    response: stepTraceSchema,
    errors: { 403: notAMember, 404: "The step run does not exist." },
  },
  getRunEvents: {
    method: "get",
    path: "/runs/{id}/events",
    summary: `Live progress of a run: a \`run\` event per change, then \`end\` once it completes or fails. ${eventsHow}`,
    events: true,
    params: runPath,
    query: feedQuerySchema,
    status: 200,
    response: runProgressSchema,
    errors: { 403: notAMember, 404: "The run does not exist." },
  },
  getLiveCounts: {
    method: "get",
    path: "/events",
    summary: `Live counts for the caller: a \`counts\` event whenever their pending reviews or unread notifications change. ${eventsHow}`,
    events: true,
    query: feedQuerySchema,
    status: 200,
    response: liveCountsSchema,
  },
} satisfies Record<string, Endpoint>;
