import { handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { listArtifacts } from "@/lib/artifacts/service";

export const GET = handle(endpoints.listArtifacts, async ({ actor, params, query }) => ({
  items: await listArtifacts(actor, params.id, query),
}));

export * from "@/lib/api/other-methods";
