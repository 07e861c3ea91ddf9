import { handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { signOffStage } from "@/lib/stages/service";

export const POST = handle(endpoints.signOffStage, ({ actor, params, body }) => signOffStage(actor, params.id, params.key, body));

export * from "@/lib/api/other-methods";
