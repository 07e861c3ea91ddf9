import { handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { approveOverspend } from "@/lib/pipeline/service";

export const POST = handle(endpoints.approveOverspend, ({ actor, params, body }) => approveOverspend(actor, params.id, body));

export * from "@/lib/api/other-methods";
