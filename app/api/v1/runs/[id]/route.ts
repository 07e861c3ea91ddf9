import { handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { getRun } from "@/lib/runs/views";

export const GET = handle(endpoints.getRun, ({ actor, params }) => getRun(actor, params.id));

export * from "@/lib/api/other-methods";
