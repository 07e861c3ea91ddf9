import { Download, handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { slug } from "@/lib/artifacts/export";
import { traceabilityCsv, traceabilityReport } from "@/lib/artifacts/traceability-report";
import { getProject } from "@/lib/projects/service";

export const GET = handle(endpoints.getTraceability, async ({ actor, params, query: { format, ...filter } }) => {
  const report = await traceabilityReport(actor, params.id, filter);
  if (format === "json") return report;
  const project = await getProject(actor, params.id);
  return new Download("text/csv", `${slug(project.name)}-traceability-${new Date().toISOString().slice(0, 10)}.csv`, traceabilityCsv(report));
});

export * from "@/lib/api/other-methods";
