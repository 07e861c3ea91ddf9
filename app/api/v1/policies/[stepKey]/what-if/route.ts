import { handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { whatIfPolicy } from "@/lib/learning/what-if";

export const POST = handle(endpoints.whatIfPolicy, ({ actor, params, body }) => whatIfPolicy(actor, params.stepKey, body));

export * from "@/lib/api/other-methods";
