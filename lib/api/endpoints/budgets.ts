import { z } from "zod";
import { listOf, projectPath, runPath, timestamp } from "@/lib/api/common";
import { anywhere, inProject, onRun } from "@/lib/api/authorization";
import type { Endpoint } from "@/lib/api/schemas";
import { RunStatus } from "@/lib/generated/sqlite/enums";
import { providers } from "@/lib/models/model-id";
import { modelPriceUpdateSchema } from "@/lib/models/prices";
import { approveOverspendSchema, runBudgetSchema } from "@/lib/pipeline/schema";
import { updateProjectSchema } from "@/lib/projects/schema";

const modelPath = z.object({
  modelId: z
    .string()
    .min(1)
    .max(200)
    .meta({ description: "A model id, provider:model (e.g. openai:gpt-4.1-mini or compat:llama3.1); URL-encode it when the model name holds a slash" }),
});

const usd = (description: string) => z.number().meta({ description });

const priceFields = {
  inputUsdPerMTok: usd("US dollars per million input tokens"),
  outputUsdPerMTok: usd("US dollars per million output tokens"),
  version: z.number().int().meta({ description: "The price version in force; 0 for the price shipped as default" }),
  note: z.string().nullable().meta({ description: "Where the figures come from: the provider's page for a shipped price, or the admin's reason" }),
  checkedOn: z.string().nullable().meta({ description: "YYYY-MM-DD: when a shipped price was last compared with the provider's published price, or when an admin set it" }),
  updatedAt: timestamp.nullable().meta({ description: "When an admin set this version; null for the shipped default" }),
  updatedBy: z.string().nullable().meta({ description: "The admin's email; null for the shipped default" }),
};

const modelSchema = z
  .strictObject({
    id: z.string().meta({ description: "provider:model" }),
    provider: z.enum(providers),
    available: z.boolean().meta({ description: "Whether the model can run here (its provider is configured)" }),
    unavailableReason: z.string().nullable(),
    ...priceFields,
  })
  .meta({ id: "Model" });

const priceVersionSchema = z
  .strictObject({
    version: z.number().int(),
    inputUsdPerMTok: z.number(),
    outputUsdPerMTok: z.number(),
    note: z.string().nullable(),
    by: z.string().nullable(),
    at: timestamp.nullable().meta({ description: "null for the shipped default (version 0)" }),
  })
  .meta({ id: "ModelPriceVersion" });

const modelDetailSchema = z.strictObject({ ...modelSchema.shape, history: z.array(priceVersionSchema).meta({ description: "Newest first" }) }).meta({ id: "ModelDetail" });

const projectBudgetSchema = z
  .strictObject({
    id: z.string(),
    budgetUsd: z.number().nullable().meta({ description: "The project's spending limit in US dollars; null means none" }),
    spentUsd: usd("What the project's model calls have cost so far"),
    resumedRunIds: z.array(z.string()).meta({ description: "Runs the old budget blocked that now continue" }),
  })
  .meta({ id: "ProjectBudget" });

const runBudgetResultSchema = z
  .strictObject({
    id: z.string(),
    status: z.enum(RunStatus),
    budgetUsd: z.number().nullable().meta({ description: "The run's own spending limit; null means none" }),
    spentUsd: usd("What the run's model calls have cost so far"),
    resumed: z.boolean().meta({ description: "Whether the run, blocked by a budget, was queued to continue" }),
  })
  .meta({ id: "RunBudget" });

const onlyAdmins = "Only admins can set budgets or approve spending over them.";

/** The /api/v1 routes of the price table and budgets, merged into the one endpoint table in lib/api/schemas.ts. */
export const budgetsEndpoints = {
  listModels: {
    method: "get",
    path: "/models",
    summary: "The models a step policy can choose, each with its price per million tokens in force, its version and where it comes from (admins)",
    status: 200,
    response: listOf(modelSchema),
    errors: { 403: "Only admins can read and change model prices." },
  },
  getModel: {
    method: "get",
    path: "/models/{modelId}",
    summary: "One model's price in force and its version history (admins)",
    params: modelPath,
    status: 200,
    response: modelDetailSchema,
    errors: { 403: "Only admins can read and change model prices.", 404: "No price is known for the model.", 422: "The model id is not provider:model." },
  },
  updateModelPrice: {
    method: "put",
    authorize: anywhere("policies:manage"),
    path: "/models/{modelId}",
    summary: "Set a model's input and output price per million tokens: saved as a new version with who and why; later calls are charged and budgeted at it (admins)",
    params: modelPath,
    body: modelPriceUpdateSchema,
    status: 200,
    response: modelDetailSchema,
    errors: { 403: "Only admins can read and change model prices.", 409: "Another admin saved a price for the model at the same moment; try again.", 422: "The model id is not provider:model, or a price is missing, negative or not a number." },
  },
  updateProject: {
    method: "patch",
    authorize: inProject("budgets:manage"),
    path: "/projects/{id}",
    summary: "Set the project's budget for all its model calls; runs the old budget blocked continue when the call it refused now fits (admins)",
    params: projectPath,
    body: updateProjectSchema,
    status: 200,
    response: projectBudgetSchema,
    errors: { 403: onlyAdmins, 404: "The project does not exist.", 422: "The budget is negative or not a number." },
  },
  setRunBudget: {
    method: "put",
    authorize: onRun("budgets:manage"),
    path: "/runs/{id}/budget",
    summary: "Set a run's own budget; a run its old budget blocked continues when the call it refused now fits (admins)",
    params: runPath,
    body: runBudgetSchema,
    status: 200,
    response: runBudgetResultSchema,
    errors: { 403: onlyAdmins, 404: "The run does not exist.", 422: "The budget is negative or not a number." },
  },
  approveOverspend: {
    method: "post",
    authorize: onRun("budgets:manage"),
    path: "/runs/{id}/approve-overspend",
    summary: "Let the model call a budget refused go through once, recorded with the reason in the audit trail, and resume the blocked run (admins)",
    params: runPath,
    body: approveOverspendSchema,
    status: 200,
    response: runBudgetResultSchema,
    errors: { 403: onlyAdmins, 404: "The run does not exist.", 409: "The run is not blocked by a budget.", 422: "The reason is missing." },
  },
} satisfies Record<string, Endpoint>;
