import { handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { updateStageAssignments } from "@/lib/stages/service";

export const PUT = handle(endpoints.updateStage, ({ actor, params, body }) =>
  updateStageAssignments(actor, params.id, params.key, body),
);

export * from "@/lib/api/other-methods";
