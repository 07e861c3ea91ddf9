import { handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { startRun } from "@/lib/pipeline/service";

export const POST = handle(endpoints.startRun, ({ actor, params, body }) => startRun(actor, params.id, body));

export * from "@/lib/api/other-methods";
