import { handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { createDelegation, listDelegations } from "@/lib/delegations/service";

export const GET = handle(endpoints.listDelegations, async ({ actor }) => ({ items: await listDelegations(actor) }));

export const POST = handle(endpoints.createDelegation, ({ actor, body }) => createDelegation(actor, body));

export * from "@/lib/api/other-methods";
