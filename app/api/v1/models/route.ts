import { handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { listModels } from "@/lib/models/service";

export const GET = handle(endpoints.listModels, async ({ actor }) => ({ items: await listModels(actor) }));

export * from "@/lib/api/other-methods";
