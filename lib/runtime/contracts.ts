/**
 * The seams between the parts of the model runtime: the call loop (lib/runtime/call.ts) asks a
 * spend gate before every model call and prices every call it made; budgets and the price table
 * (lib/runtime/budget.ts, lib/models/prices.ts) answer. Kept here so each side can be tested alone.
 */
export type ModelPrice = { inputPerMTokUsd: number; outputPerMTokUsd: number };

/** What a call is about to send, for its cost estimate. */
export type PlannedCall = {
  modelId: string;
  /** the exact messages to be sent */
  messages: readonly { role: "system" | "user" | "assistant"; content: string }[];
  /** the most output tokens the call may produce (its estimate assumes all of them) */
  maxOutputTokens: number;
};

export type SpendDecision =
  /** holdId: the estimate held against the budgets until the call's trace row settles it */
  | { allowed: true; estimatedCostUsd: number; holdId?: string }
  | {
      allowed: false;
      estimatedCostUsd: number;
      /** which limit the call would break */
      limit: "project" | "run" | "step_call";
      limitUsd: number;
      spentUsd: number;
      message: string;
    };

/** Asked before each model call of one step run; a refused call is not made. */
export type SpendGate = (call: PlannedCall) => Promise<SpendDecision>;

/** A gate that lets every call through (steps with no budget, unit tests). */
export const openGate: SpendGate = async () => ({ allowed: true, estimatedCostUsd: 0 });

/** Thrown by the call loop when a gate refused a call; the run pauses as blocked (budget_exceeded). */
export class BudgetExceeded extends Error {
  constructor(readonly decision: Extract<SpendDecision, { allowed: false }>) {
    super(decision.message);
    this.name = "BudgetExceeded";
  }
}

/** The price table the call loop reads: the newest version of each model's price, or null when unknown. */
export type PriceLookup = (modelId: string) => Promise<ModelPrice | null>;
