import { handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { listPolicies } from "@/lib/policies/service";

export const GET = handle(endpoints.listPolicies, ({ actor }) => listPolicies(actor));

export * from "@/lib/api/other-methods";
