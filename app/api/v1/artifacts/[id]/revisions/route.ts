import { handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { reviseArtifact } from "@/lib/artifacts/revision";

export const POST = handle(endpoints.reviseArtifact, ({ actor, params, body }) => reviseArtifact(actor, params.id, body));

export * from "@/lib/api/other-methods";
