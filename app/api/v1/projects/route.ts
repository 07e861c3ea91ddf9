import { handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { createProject, listProjects } from "@/lib/projects/service";

export const GET = handle(endpoints.listProjects, async ({ actor }) => {
  const projects = await listProjects(actor);
  return { items: projects.map(({ _count, ...project }) => ({ ...project, sourceCount: _count.sources })) };
});

export const POST = handle(endpoints.createProject, ({ actor, body }) => createProject(actor, body));
