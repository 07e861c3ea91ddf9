import { handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { getStepTrace } from "@/lib/runs/views";

export const GET = handle(endpoints.getStepRun, ({ actor, params }) => getStepTrace(actor, params.id));

export * from "@/lib/api/other-methods";
