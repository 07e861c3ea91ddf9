import { handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { createProject, listProjects } from "@/lib/projects/service";

export const GET = handle(endpoints.listProjects, async ({ actor }) => ({ items: await listProjects(actor) }));

export const POST = handle(endpoints.createProject, ({ actor, body }) => createProject(actor, body));

export * from "@/lib/api/other-methods";
