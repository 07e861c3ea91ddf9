import { handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { addSource, listSources } from "@/lib/sources/service";

export const GET = handle(endpoints.listSources, async ({ actor, params }) => ({ items: await listSources(actor, params.id) }));

export const POST = handle(endpoints.addSource, ({ actor, params, body }) => addSource(actor, params.id, body));

export * from "@/lib/api/other-methods";
