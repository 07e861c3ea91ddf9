import { Download, handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { exportFile, projectExport } from "@/lib/artifacts/export";

export const GET = handle(endpoints.exportProject, async ({ actor, params, query }) => {
  const file = exportFile(await projectExport(actor, params.id), query.format);
  return new Download(file.mediaType, file.filename, file.body);
});

export * from "@/lib/api/other-methods";
