import { handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { updateProject } from "@/lib/projects/service";

export const PATCH = handle(endpoints.updateProject, ({ actor, params, body }) => updateProject(actor, params.id, body));

export * from "@/lib/api/other-methods";
