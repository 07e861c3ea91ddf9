import { handle } from "@/lib/api/handler";
import { openApiDocument } from "@/lib/api/openapi";
import { endpoints } from "@/lib/api/schemas";

export const GET = handle(endpoints.openApiDocument, async () => openApiDocument());

export * from "@/lib/api/other-methods";
