import { handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { getPolicy, updatePolicy } from "@/lib/policies/service";

export const GET = handle(endpoints.getPolicy, ({ actor, params }) => getPolicy(actor, params.stepKey));
export const PATCH = handle(endpoints.updatePolicy, ({ actor, params, body }) => updatePolicy(actor, params.stepKey, body));

export * from "@/lib/api/other-methods";
