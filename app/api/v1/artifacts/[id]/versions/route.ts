import { handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { artifactVersions } from "@/lib/artifacts/versions";

export const GET = handle(endpoints.listArtifactVersions, ({ actor, params }) => artifactVersions(actor, params.id));

export * from "@/lib/api/other-methods";
