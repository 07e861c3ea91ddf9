import { handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { undoDecision } from "@/lib/review/undo";

export const POST = handle(endpoints.undoReviewDecision, ({ actor, params }) => undoDecision(actor, params.id));

export * from "@/lib/api/other-methods";
