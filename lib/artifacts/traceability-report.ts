import { z } from "zod";
import type { UserActor } from "@/lib/actors";
import { assertCan } from "@/lib/access";
import { db } from "@/lib/db";
import { artifactKinds, kindDefinition, kindsOfStage } from "@/lib/kinds/registry";
import { toCsv } from "./csv";
import { artifactSummary } from "./summary";
import { criterionCoverage, filterTraceRows, traceabilityMatrix, traceGaps, type TraceFilter, type TraceGap } from "./traceability";

/** How the matrix is narrowed, as a query string gives it (the API and the page read the same). */
export const traceFilterSchema = z.object({
  q: z.string().trim().max(200).optional().meta({ description: "Text in a reference or summary of any artifact of the row" }),
  kind: z.enum(artifactKinds).optional().meta({ description: "Show only this kind's column" }),
  gap: z
    .union([z.enum(["any", "untested_criterion"]), z.enum(artifactKinds)])
    .optional()
    .meta({ description: "Only rows with a gap: any, a missing kind (user_story: a requirement without a story), or untested_criterion" }),
  stale: z
    .enum(["true", "false"])
    .optional()
    .transform((value) => (value === undefined ? undefined : value === "true"))
    .meta({ description: "true: only rows holding stale work" }),
});

export const traceabilityQuerySchema = traceFilterSchema.extend({
  format: z.enum(["json", "csv"]).default("json").meta({ description: "csv: the matrix as a file to download (text/csv)" }),
});

/** The testing stage's kinds are what "tested" means in the coverage view. */
const testKinds = () => kindsOfStage("testing").map((definition) => definition.kind);

const kindInfos = () =>
  artifactKinds.map((kind) => {
    const definition = kindDefinition(kind);
    return { kind, label: definition.label, prefix: definition.prefix, stage: definition.stage, fields: definition.fields };
  });

/**
 * The project's traceability: each current requirement with everything drafted from it, kind by
 * kind (narrowed by the filter), the gaps in the whole project, and the test coverage of every
 * requirement and acceptance criterion. Rejected and superseded drafts trace nothing.
 */
export async function traceabilityReport(actor: UserActor, projectId: string, filter: TraceFilter = {}) {
  await assertCan(actor, "projects:read", { projectId });
  const [artifacts, links] = await Promise.all([
    db().artifact.findMany({
      where: { projectId, status: { notIn: ["superseded", "rejected"] } },
      select: { id: true, ref: true, kind: true, status: true, stale: true, staleReason: true, currentVersion: true, stage: { select: { key: true } }, versions: { select: { version: true, content: true } } },
      orderBy: { createdAt: "asc" },
    }),
    db().artifactLink.findMany({ where: { artifact: { projectId } }, select: { artifactId: true, parentId: true } }),
  ]);
  const nodes = artifacts.map((artifact) => {
    const content = (artifact.versions.find((version) => version.version === artifact.currentVersion)?.content ?? {}) as Record<string, unknown>;
    return {
      id: artifact.id,
      ref: artifact.ref,
      kind: artifact.kind,
      stage: artifact.stage.key,
      status: artifact.status,
      stale: artifact.stale,
      staleReason: artifact.staleReason,
      summary: artifactSummary(artifact.kind, content),
      content,
    };
  });
  type Node = (typeof nodes)[number];
  const present = ({ content: _content, ...node }: Node) => node;

  const kinds = kindInfos();
  const tests = testKinds();
  const matrix = traceabilityMatrix(nodes, links, artifactKinds[0], artifactKinds);
  const gaps = traceGaps(matrix, nodes, kinds, tests);
  const rows = filterTraceRows(matrix, gaps, filter);
  const requirementCoverage = matrix.map((row) => ({ requirement: present(row.root), tests: tests.flatMap((kind) => row.descendants[kind] ?? []).map(present) }));
  const criteria = criterionCoverage(nodes, kinds, tests).map((entry) => ({ artifact: present(entry.artifact), index: entry.index, criterion: entry.criterion, tests: entry.tests.map(present) }));
  const gapsIn = (ids: Set<string>) => gaps.filter((gap) => ids.has(gap.artifactId));

  return {
    projectId,
    kinds: kinds.map(({ fields: _fields, ...info }) => info),
    columns: filter.kind ? [filter.kind] : artifactKinds.slice(1),
    rows: rows.map((row) => ({
      requirement: present(row.root),
      descendants: Object.fromEntries(Object.entries(row.descendants).map(([kind, list]) => [kind, list.map(present)])),
      missingKinds: row.missingKinds,
      gaps: gapsIn(new Set([row.root.id, ...Object.values(row.descendants).flat().map((node) => node.id)])),
    })),
    gaps,
    coverage: { testKinds: tests, requirements: requirementCoverage, criteria },
    totals: {
      requirements: matrix.length,
      requirementsTested: requirementCoverage.filter((entry) => entry.tests.length > 0).length,
      criteria: criteria.length,
      criteriaTested: criteria.filter((entry) => entry.tests.length > 0).length,
      gaps: gaps.length,
      stale: nodes.filter((node) => node.stale).length,
    },
  };
}
export type TraceabilityReport = Awaited<ReturnType<typeof traceabilityReport>>;
export type TraceReportNode = TraceabilityReport["rows"][number]["requirement"];

const refsCell = (nodes: readonly TraceReportNode[] | undefined) => (nodes ?? []).map((node) => (node.stale ? `${node.ref} (stale)` : node.ref)).join(", ");

/** The matrix as CSV: one record per requirement row, a column per kind (references, stale ones marked), and its gaps. */
export function traceabilityCsv(report: TraceabilityReport): string {
  const label = new Map<string, string>(report.kinds.map((info) => [info.kind, info.label]));
  const header = ["Requirement", "Statement", "Status", "Stale", ...report.columns.map((kind) => label.get(kind) ?? kind), "Gaps"];
  return toCsv(
    header,
    report.rows.map((row) => [
      row.requirement.ref,
      row.requirement.summary,
      row.requirement.status,
      row.requirement.stale ? row.requirement.staleReason ?? "stale" : "",
      ...report.columns.map((kind) => refsCell(row.descendants[kind])),
      row.gaps.map((gap: TraceGap) => gap.message).join("; "),
    ]),
  );
}
