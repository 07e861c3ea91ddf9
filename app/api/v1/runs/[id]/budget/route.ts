import { handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { setRunBudget } from "@/lib/pipeline/service";

export const PUT = handle(endpoints.setRunBudget, ({ actor, params, body }) => setRunBudget(actor, params.id, body));

export * from "@/lib/api/other-methods";
