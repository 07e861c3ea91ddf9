import { handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { revokeDelegation } from "@/lib/delegations/service";

export const DELETE = handle(endpoints.revokeDelegation, ({ actor, params }) => revokeDelegation(actor, params.id));

export * from "@/lib/api/other-methods";
