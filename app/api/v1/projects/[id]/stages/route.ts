import { handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { listStages } from "@/lib/stages/service";

export const GET = handle(endpoints.listStages, ({ actor, params }) => listStages(actor, params.id));

export * from "@/lib/api/other-methods";
