import { z } from "zod";
import type { UserActor } from "@/lib/actors";
import { assertCan } from "@/lib/access";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { kindDefinition } from "@/lib/kinds/registry";
import type { KindField } from "@/lib/kinds/types";
import { stageLabels } from "@/lib/stages/stages";
import { toCsv } from "./csv";
import { artifactSummary } from "./summary";

/**
 * The project's signed-off work as a file a team can keep in its repository or hand to another
 * tool: every stage with its sign-offs (who, when, the exact versions each bound, superseded
 * ones kept), the approved current version of each artifact with its links and its provenance
 * (the model and step that drafted it, who started the run, who decided each version and how,
 * who revised it). JSON is the whole record; Markdown and CSV are renderings of it.
 */
export const exportFormats = ["json", "markdown", "csv"] as const;
export type ExportFormat = (typeof exportFormats)[number];
export const exportQuerySchema = z.object({
  format: z.enum(exportFormats).default("json").meta({ description: "json (the whole record), markdown (one section per stage) or csv (one row per artifact)" }),
});

const person = { select: { name: true, email: true } } as const;
const signedVersionsSchema = z.array(z.object({ artifactId: z.string(), ref: z.string(), version: z.number().int() }));

export async function projectExport(actor: UserActor, projectId: string) {
  await assertCan(actor, "projects:read", { projectId });
  const project = await db().project.findUnique({ where: { id: projectId }, select: { id: true, name: true, brief: true } });
  if (!project) throw notFound("The project");
  const [stages, artifacts, refs, sources, exporter] = await Promise.all([
    db().stage.findMany({
      where: { projectId },
      orderBy: { position: "asc" },
      include: { owner: person, signOffs: { orderBy: { createdAt: "desc" }, include: { signedBy: person } } },
    }),
    db().artifact.findMany({
      where: { projectId, status: { in: ["approved", "auto_approved"] } },
      orderBy: { createdAt: "asc" },
      include: {
        versions: { orderBy: { version: "asc" }, include: { editedBy: person, stepRun: { select: { key: true, runId: true, run: { select: { createdBy: person } } } } } },
        derivedFrom: { select: { parent: { select: { id: true, ref: true, kind: true } } }, orderBy: { parentId: "asc" } },
        routings: { orderBy: { createdAt: "asc" }, select: { version: true, outcome: true, calibratedProbability: true, threshold: true, policyVersion: true, createdAt: true } },
      },
    }),
    db().artifact.findMany({ where: { projectId }, select: { id: true, ref: true } }),
    db().source.findMany({ where: { projectId }, select: { id: true, title: true } }),
    db().user.findUniqueOrThrow({ where: { id: actor.userId }, select: { name: true, email: true } }),
  ]);
  const decisions = await db().reviewDecision.findMany({
    where: { artifactId: { in: artifacts.map((artifact) => artifact.id) } },
    include: { decidedBy: person, onBehalfOf: person },
    orderBy: { createdAt: "asc" },
  });

  const presentSignOff = (signOff: (typeof stages)[number]["signOffs"][number]) => {
    const versions = signedVersionsSchema.safeParse(signOff.artifactVersions);
    return {
      id: signOff.id,
      by: signOff.signedBy,
      at: signOff.createdAt.toISOString(),
      comment: signOff.comment,
      coverageHash: signOff.coverageHash,
      versions: versions.success ? versions.data.map(({ artifactId, ref, version }) => ({ artifactId, ref, version })) : [],
      supersededAt: signOff.supersededAt?.toISOString() ?? null,
      supersededReason: signOff.supersededReason,
    };
  };

  return {
    format: "countersign-export" as const,
    formatVersion: 1,
    exportedAt: new Date().toISOString(),
    exportedBy: exporter,
    project,
    references: Object.fromEntries(refs.map((artifact) => [artifact.id, artifact.ref])),
    sources: Object.fromEntries(sources.map((source) => [source.id, source.title])),
    stages: stages.map((stage) => {
      const signOffs = stage.signOffs.map(presentSignOff);
      // The sign-off in force: the latest one no change upstream has superseded.
      const current = stage.status === "signed_off" ? (signOffs.find((signOff) => signOff.supersededAt === null) ?? null) : null;
      const bound = new Map((current?.versions ?? []).map((entry) => [entry.artifactId, entry.version]));
      return {
        key: stage.key,
        label: stageLabels[stage.key],
        status: stage.status,
        owner: stage.owner,
        signOff: current,
        earlierSignOffs: signOffs.filter((signOff) => signOff !== current),
        artifacts: artifacts
          .filter((artifact) => artifact.stageId === stage.id)
          .map((artifact) => {
            const currentVersion = artifact.versions.find((version) => version.version === artifact.currentVersion) ?? artifact.versions.at(-1)!;
            const drafted = artifact.versions[0];
            const content = currentVersion.content as Record<string, unknown>;
            return {
              id: artifact.id,
              ref: artifact.ref,
              kind: artifact.kind,
              kindLabel: kindDefinition(artifact.kind).label,
              version: artifact.currentVersion,
              status: artifact.status,
              summary: artifactSummary(artifact.kind, content),
              content,
              derivedFrom: artifact.derivedFrom.map((link) => link.parent),
              stale: artifact.stale,
              staleReason: artifact.staleReason,
              signedOffVersion: bound.get(artifact.id) ?? null,
              provenance: {
                drafted: {
                  model: drafted.model,
                  step: drafted.stepRun?.key ?? null,
                  runId: drafted.stepRun?.runId ?? artifact.runId,
                  runStartedBy: drafted.stepRun?.run.createdBy ?? null,
                  at: drafted.createdAt.toISOString(),
                },
                versions: artifact.versions.map((version) => ({ version: version.version, at: version.createdAt.toISOString(), model: version.model, editedBy: version.editedBy })),
                routing: artifact.routings.map((routing) => ({
                  version: routing.version,
                  outcome: routing.outcome,
                  calibratedProbability: routing.calibratedProbability,
                  threshold: routing.threshold,
                  policyVersion: routing.policyVersion,
                  at: routing.createdAt.toISOString(),
                })),
                decisions: decisions
                  .filter((decision) => decision.artifactId === artifact.id)
                  .map((decision) => ({
                    action: decision.action,
                    version: decision.version,
                    newVersion: decision.newVersion,
                    by: decision.decidedBy,
                    onBehalfOf: decision.onBehalfOf,
                    at: decision.createdAt.toISOString(),
                    comment: decision.comment,
                    undone: decision.undoneAt !== null,
                  })),
              },
            };
          }),
      };
    }),
  };
}
export type ProjectExport = Awaited<ReturnType<typeof projectExport>>;
type ExportedStage = ProjectExport["stages"][number];
type ExportedArtifact = ExportedStage["artifacts"][number];

/** The export as a file: its media type, a name to save it under, and its text. */
export function exportFile(doc: ProjectExport, format: ExportFormat): { mediaType: "application/json" | "text/markdown" | "text/csv"; filename: string; body: string } {
  const base = `${slug(doc.project.name)}-signed-off-${doc.exportedAt.slice(0, 10)}`;
  if (format === "markdown") return { mediaType: "text/markdown", filename: `${base}.md`, body: exportMarkdown(doc) };
  if (format === "csv") return { mediaType: "text/csv", filename: `${base}.csv`, body: exportCsv(doc) };
  return { mediaType: "application/json", filename: `${base}.json`, body: `${JSON.stringify(doc, null, 2)}\n` };
}

/** A file name from a project name: lower-case letters, digits and dashes only, so no header or path can be smuggled in. */
export function slug(name: string): string {
  const cleaned = name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
  return cleaned || "project";
}

const when = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;
const who = (p: { name: string; email: string }) => `${p.name} (${p.email})`;
const humanize = (key: string) => {
  const words = key.replace(/([a-z])([A-Z])/g, "$1 $2").replaceAll("_", " ").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/**
 * Text as Markdown shows it literally: the characters that would start emphasis, links, code,
 * HTML or tables are escaped, and line breaks fold into spaces so text stays in its list item.
 */
export function mdText(value: unknown): string {
  const text = typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : "";
  return text
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[\\`*_{}[\]<>#|!]/g, "\\$&")
    .replace(/^([-+]|\d+\.)(\s)/, "\\$1$2");
}

const strings = (value: unknown) => (Array.isArray(value) ? value.filter((item) => typeof item === "string" || typeof item === "number").map(String) : []);
const records = (value: unknown) => (Array.isArray(value) ? value.filter((item): item is Record<string, unknown> => typeof item === "object" && item !== null) : []);

/** One field of an artifact as Markdown lines, read from its kind's field type. */
function fieldLines(field: KindField, value: unknown, doc: ProjectExport): string[] {
  const ref = (id: string) => doc.references[id] ?? id;
  const label = `**${mdText(field.label)}:**`;
  switch (field.type) {
    case "text":
    case "longText":
    case "number":
      return mdText(value) ? [`- ${label} ${mdText(value)}`] : [];
    case "choice":
      return typeof value === "string" ? [`- ${label} ${mdText(humanize(value))}`] : [];
    case "numbers":
      return strings(value).length > 0 ? [`- ${label} ${strings(value).join(", ")}`] : [];
    case "reference":
    case "references": {
      const ids = field.type === "reference" ? strings([value]) : strings(value);
      return ids.length > 0 ? [`- ${label} ${ids.map((id) => mdText(ref(id))).join(", ")}`] : [];
    }
    case "list":
      return strings(value).length > 0 ? [`- ${label}`, ...strings(value).map((item) => `  - ${mdText(item)}`)] : [];
    case "criteria":
      return records(value).length > 0
        ? [`- ${label}`, ...records(value).map((c, index) => `  ${index + 1}. **Given** ${mdText(c.given)} **when** ${mdText(c.when)} **then** ${mdText(c.then)}`)]
        : [];
    case "record":
    case "pairs":
    case "records": {
      const rows = field.type === "record" ? records([value]) : records(value);
      const part = (row: Record<string, unknown>, key: string) => `${mdText(humanize(key))}: ${Array.isArray(row[key]) ? strings(row[key]).map((item) => mdText(ref(item))).join(", ") : mdText(row[key])}`;
      return rows.length > 0 ? [`- ${label}`, ...rows.map((row) => `  - ${(field.keys ?? Object.keys(row)).map((key) => part(row, key)).join("; ")}`)] : [];
    }
    case "quotes":
      return records(value).length > 0
        ? [`- ${label}`, ...records(value).map((quote) => `  - “${mdText(quote.quote)}” (${mdText(doc.sources[String(quote.sourceId)] ?? "a removed source")})`)]
        : [];
  }
}

/** An artifact's content in its kind's field order; consecutive fields with a lead read as one sentence ("As a clerk, I want ..."). */
function contentLines(artifact: ExportedArtifact, doc: ProjectExport): string[] {
  const lines: string[] = [];
  let sentence = "";
  for (const field of kindDefinition(artifact.kind).fields) {
    if (field.lead !== undefined) {
      // The lead keeps its spaces ("As a ", ", I want "): it joins the values into one sentence.
      sentence += `${field.lead.replace(/[\\`*_{}[\]<>#|!]/g, "\\$&")}${mdText(artifact.content[field.key])}`;
      continue;
    }
    if (sentence) lines.push(`${sentence}.`, "");
    sentence = "";
    lines.push(...fieldLines(field, artifact.content[field.key], doc));
  }
  if (sentence) lines.push(`${sentence}.`);
  if (typeof artifact.content.unsure === "string") lines.push(`- **The drafter was unsure:** ${mdText(artifact.content.unsure)}`);
  return lines;
}

const decided: Record<string, string> = { approve: "Approved", edit: "Edited", reject: "Rejected", resolve: "Resolved" };

function provenanceLines(artifact: ExportedArtifact): string[] {
  const { drafted, versions, routing, decisions } = artifact.provenance;
  const lines = [
    `- **Drafted by:** ${drafted.model ? `\`${mdText(drafted.model)}\`` : "an unknown model"}${drafted.step ? ` in step \`${mdText(drafted.step)}\`` : ""}, run started by ${drafted.runStartedBy ? mdText(who(drafted.runStartedBy)) : "the system"}, ${when(drafted.at)}`,
  ];
  for (const entry of routing.filter((r) => r.outcome === "auto_approve")) {
    const evidence = entry.calibratedProbability !== null && entry.threshold !== null ? ` (measured chance of approval ${entry.calibratedProbability.toFixed(2)} ≥ ${entry.threshold.toFixed(2)}${entry.policyVersion ? `, policy v${entry.policyVersion}` : ""})` : "";
    lines.push(`- **Auto-approved:** v${entry.version} by the router${evidence}, ${when(entry.at)}`);
  }
  for (const version of versions.filter((v) => v.editedBy)) lines.push(`- **Version ${version.version} written by:** ${mdText(who(version.editedBy!))}, ${when(version.at)}`);
  for (const decision of decisions) {
    const behalf = decision.onBehalfOf ? ` for ${mdText(decision.onBehalfOf.name)}` : "";
    const comment = decision.comment ? `: “${mdText(decision.comment)}”` : "";
    lines.push(`- **${decided[decision.action]}:** v${decision.version} by ${mdText(who(decision.by))}${behalf}, ${when(decision.at)}${comment}${decision.undone ? " (undone)" : ""}`);
  }
  return lines;
}

/** One section per stage, one entry per artifact, rendered through the kind registry; links and provenance under each. */
export function exportMarkdown(doc: ProjectExport): string {
  const out = [`# ${mdText(doc.project.name)}: signed-off work`, "", `Exported from Countersign on ${when(doc.exportedAt)} by ${mdText(who(doc.exportedBy))}.`];
  if (doc.project.brief.trim()) out.push("", mdText(doc.project.brief));
  doc.stages.forEach((stage, index) => {
    out.push("", `## ${index + 1}. ${stage.label}: ${humanize(stage.status)}`, "");
    out.push(`- **Owner:** ${stage.owner ? mdText(who(stage.owner)) : "none"}`);
    if (stage.signOff) {
      const comment = stage.signOff.comment ? `: “${mdText(stage.signOff.comment)}”` : "";
      out.push(`- **Signed off by:** ${mdText(who(stage.signOff.by))}, ${when(stage.signOff.at)}${comment}`);
      out.push(`- **The sign-off covers:** ${stage.signOff.versions.map((v) => `${mdText(v.ref)} v${v.version}`).join(", ") || "no artifacts"} (SHA-256 \`${stage.signOff.coverageHash}\`)`);
    } else {
      out.push(`- **Signed off:** no, the stage is ${humanize(stage.status).toLowerCase()}`);
    }
    for (const earlier of stage.earlierSignOffs) {
      const superseded = earlier.supersededAt ? `, superseded ${when(earlier.supersededAt)}${earlier.supersededReason ? `: ${mdText(earlier.supersededReason)}` : ""}` : "";
      out.push(`- **Earlier sign-off:** by ${mdText(who(earlier.by))}, ${when(earlier.at)}, covering ${earlier.versions.length} versions${superseded}`);
    }
    if (stage.artifacts.length === 0) out.push("", "No approved work.");
    for (const artifact of stage.artifacts) {
      out.push("", `### ${mdText(artifact.ref)}: ${mdText(artifact.summary || artifact.kindLabel)}`, "", `*${mdText(artifact.kindLabel)}, version ${artifact.version}, ${humanize(artifact.status).toLowerCase()}*`, "");
      out.push(...contentLines(artifact, doc), "");
      if (artifact.derivedFrom.length > 0) out.push(`- **Derived from:** ${artifact.derivedFrom.map((parent) => mdText(parent.ref)).join(", ")}`);
      out.push(...provenanceLines(artifact));
      out.push(
        artifact.signedOffVersion === null
          ? "- **Signed off:** not covered by a sign-off in force"
          : `- **Signed off:** version ${artifact.signedOffVersion}${artifact.signedOffVersion === artifact.version ? "" : ` (the current version ${artifact.version} is not signed off yet)`}`,
      );
      if (artifact.stale) out.push(`- **Stale:** ${mdText(artifact.staleReason ?? "work it rests on changed")}`);
    }
  });
  return `${out.join("\n")}\n`;
}

/** One record per approved artifact, its content as JSON in the last column for tools that want all of it. */
export function exportCsv(doc: ProjectExport): string {
  const header = ["Stage", "Ref", "Kind", "Version", "Status", "Summary", "Derived from", "Drafted by model", "Drafting step", "Decisions", "Signed off version", "Signed off by", "Signed off at", "Stale", "Content (JSON)"];
  const rows = doc.stages.flatMap((stage) =>
    stage.artifacts.map((artifact) => [
      stage.label,
      artifact.ref,
      artifact.kindLabel,
      artifact.version,
      artifact.status,
      artifact.summary,
      artifact.derivedFrom.map((parent) => parent.ref).join(", "),
      artifact.provenance.drafted.model,
      artifact.provenance.drafted.step,
      [
        ...artifact.provenance.routing.filter((r) => r.outcome === "auto_approve").map((r) => `v${r.version} auto-approved`),
        ...artifact.provenance.decisions.map((d) => `v${d.version} ${d.action} by ${d.by.email}${d.undone ? " (undone)" : ""}`),
      ].join("; "),
      artifact.signedOffVersion,
      artifact.signedOffVersion === null ? null : (stage.signOff?.by.email ?? null),
      artifact.signedOffVersion === null ? null : (stage.signOff?.at ?? null),
      artifact.stale ? (artifact.staleReason ?? "stale") : null,
      JSON.stringify(artifact.content),
    ]),
  );
  return toCsv(header, rows);
}
