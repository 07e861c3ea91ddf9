import { handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { getModel, updateModelPrice } from "@/lib/models/service";

export const GET = handle(endpoints.getModel, ({ actor, params }) => getModel(actor, params.modelId));
export const PUT = handle(endpoints.updateModelPrice, ({ actor, params, body }) => updateModelPrice(actor, params.modelId, body));

export * from "@/lib/api/other-methods";
