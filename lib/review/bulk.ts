import type { UserActor } from "@/lib/actors";
import { AppError, type ErrorCode } from "@/lib/errors";
import { bulkDecisionSchema, type BulkDecisionInput } from "./schema";
import { decideReviewItem, type DecisionStatus } from "./service";

export type BulkItemResult = { id: string; status: DecisionStatus | "failed"; error?: { code: ErrorCode; message: string } };

/**
 * Decides several items with one action: each through decideReviewItem on its own (checked,
 * recorded and audited like a single decision, in its own transaction), so one refused item
 * does not stop the others. Failures the caller can act on are reported per item; anything
 * else (the database gone) stops the batch, since later items would fail the same way.
 */
export async function bulkDecide(actor: UserActor, input: BulkDecisionInput): Promise<{ results: BulkItemResult[] }> {
  const bulk = bulkDecisionSchema.parse(input);
  const results: BulkItemResult[] = [];
  for (const item of bulk.items) {
    try {
      const decided = await decideReviewItem(actor, item.id, { action: bulk.action, version: item.version, ...(bulk.comment ? { comment: bulk.comment } : {}) });
      results.push({ id: item.id, status: decided.status });
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      results.push({ id: item.id, status: "failed", error: { code: error.code, message: error.message } });
    }
  }
  return { results };
}
