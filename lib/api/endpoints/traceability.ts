import { z } from "zod";
import { id, notAMember, projectPath, timestamp } from "@/lib/api/common";
import { onArtifact } from "@/lib/api/authorization";
import type { Endpoint } from "@/lib/api/schemas";
import { exportQuerySchema } from "@/lib/artifacts/export";
import { artifactKinds, artifactStatuses, revisionSchema } from "@/lib/artifacts/schema";
import { traceabilityQuerySchema } from "@/lib/artifacts/traceability-report";
import { DecisionAction, RoutingOutcome, StageStatus } from "@/lib/generated/sqlite/enums";
import { stageKeySchema } from "@/lib/stages/schema";

/** The /api/v1 routes of the traceability area, merged into the one endpoint table in lib/api/schemas.ts. */
const artifactPath = z.object({ id: id("Artifact id") });
const kind = z.enum(artifactKinds);
const refs = z.array(z.strictObject({ id: z.string(), ref: z.string() }));

const revisionResultSchema = z
  .strictObject({
    id: z.string(),
    ref: z.string(),
    version: z.number().int().meta({ description: "The new version, waiting for review" }),
    status: z.literal("pending_review"),
    reviewItemId: z.string().meta({ description: "The review item a reviewer of the stage decides the new version in" }),
    stale: refs.meta({ description: "Everything derived from the artifact, directly or transitively, now marked stale" }),
    reopenedStages: z.array(stageKeySchema).meta({ description: "Signed-off stages that reopened: the artifact's own and those holding stale work; their sign-offs are kept, superseded" }),
  })
  .meta({ id: "Revision" });

const traceNodeSchema = z
  .strictObject({
    id: z.string(),
    ref: z.string(),
    kind,
    stage: stageKeySchema,
    status: z.enum(artifactStatuses),
    stale: z.boolean(),
    staleReason: z.string().nullable(),
    summary: z.string().meta({ description: "One line naming the artifact, from its kind" }),
  })
  .meta({ id: "TraceNode" });

const traceGapSchema = z
  .strictObject({
    code: z.enum(["no_trace", "not_named", "untested_criterion"]).meta({
      description: "no_trace: nothing of `kind` derives from the artifact; not_named: no `kind` names it (a story no task is for); untested_criterion: no test checks the criterion",
    }),
    artifactId: z.string(),
    ref: z.string(),
    kind: kind.meta({ description: "The kind that is missing" }),
    criterionIndex: z.number().int().nullable().meta({ description: "0-based, for untested_criterion" }),
    message: z.string().meta({ description: "e.g. No user story traces to REQ-3" }),
  })
  .meta({ id: "TraceGap" });

const traceabilitySchema = z
  .strictObject({
    projectId: z.string(),
    kinds: z.array(z.strictObject({ kind, label: z.string(), prefix: z.string(), stage: stageKeySchema })).meta({ description: "Every kind, in lifecycle order" }),
    columns: z.array(kind).meta({ description: "The kinds shown beside each requirement (one when filtered by kind)" }),
    rows: z.array(
      z.strictObject({
        requirement: traceNodeSchema,
        descendants: z.record(z.string(), z.array(traceNodeSchema)).meta({ description: "By kind: the artifacts drafted from the requirement, directly or transitively" }),
        missingKinds: z.array(kind).meta({ description: "Kinds the project drafted of which nothing traces to the requirement" }),
        gaps: z.array(traceGapSchema).meta({ description: "The gaps of the requirement and of everything in its row" }),
      }),
    ),
    gaps: z.array(traceGapSchema).meta({ description: "Every gap in the project, whatever the filter" }),
    coverage: z.strictObject({
      testKinds: z.array(kind),
      requirements: z.array(z.strictObject({ requirement: traceNodeSchema, tests: z.array(traceNodeSchema) })),
      criteria: z.array(
        z.strictObject({
          artifact: traceNodeSchema,
          index: z.number().int().meta({ description: "0-based position of the criterion in its story" }),
          criterion: z.strictObject({ given: z.string(), when: z.string(), then: z.string() }),
          tests: z.array(traceNodeSchema),
        }),
      ),
    }),
    totals: z.strictObject({
      requirements: z.number().int(),
      requirementsTested: z.number().int(),
      criteria: z.number().int(),
      criteriaTested: z.number().int(),
      gaps: z.number().int(),
      stale: z.number().int(),
    }),
  })
  .meta({ id: "Traceability" });

const personName = z.strictObject({ name: z.string(), email: z.string() });
const signOffRecordSchema = z
  .strictObject({
    id: z.string(),
    by: personName,
    at: timestamp,
    comment: z.string().nullable(),
    coverageHash: z.string().meta({ description: "SHA-256 over the versions it bound" }),
    versions: z.array(z.strictObject({ artifactId: z.string(), ref: z.string(), version: z.number().int() })).meta({ description: "The exact artifact versions the signature covered" }),
    supersededAt: timestamp.nullable().meta({ description: "When a change upstream reopened the stage; the sign-off stays on record" }),
    supersededReason: z.string().nullable(),
  })
  .meta({ id: "ExportedSignOff" });

const exportedArtifactSchema = z
  .strictObject({
    id: z.string(),
    ref: z.string(),
    kind,
    kindLabel: z.string(),
    version: z.number().int(),
    status: z.enum(["approved", "auto_approved"]),
    summary: z.string(),
    content: z.record(z.string(), z.unknown()).meta({ description: "The approved current version, in its kind's shape" }),
    derivedFrom: z.array(z.strictObject({ id: z.string(), ref: z.string(), kind })),
    stale: z.boolean(),
    staleReason: z.string().nullable(),
    signedOffVersion: z.number().int().nullable().meta({ description: "The version the sign-off in force bound; null when none covers it" }),
    provenance: z.strictObject({
      drafted: z.strictObject({
        model: z.string().nullable(),
        step: z.string().nullable().meta({ description: "The model step that drafted version 1" }),
        runId: z.string(),
        runStartedBy: personName.nullable(),
        at: timestamp,
      }),
      versions: z.array(z.strictObject({ version: z.number().int(), at: timestamp, model: z.string().nullable(), editedBy: personName.nullable() })),
      routing: z.array(
        z.strictObject({
          version: z.number().int(),
          outcome: z.enum(RoutingOutcome),
          calibratedProbability: z.number().nullable(),
          threshold: z.number().nullable(),
          policyVersion: z.number().int().nullable(),
          at: timestamp,
        }),
      ),
      decisions: z.array(
        z.strictObject({
          action: z.enum(DecisionAction),
          version: z.number().int(),
          newVersion: z.number().int().nullable(),
          by: personName,
          onBehalfOf: personName.nullable(),
          at: timestamp,
          comment: z.string().nullable(),
          undone: z.boolean(),
        }),
      ),
    }),
  })
  .meta({ id: "ExportedArtifact" });

const projectExportSchema = z
  .strictObject({
    format: z.literal("countersign-export"),
    formatVersion: z.literal(1),
    exportedAt: timestamp,
    exportedBy: personName,
    project: z.strictObject({ id: z.string(), name: z.string(), brief: z.string() }),
    references: z.record(z.string(), z.string()).meta({ description: "Artifact id to reference (US-3), for the ids the contents name" }),
    sources: z.record(z.string(), z.string()).meta({ description: "Source id to title, for the quotes in requirements" }),
    stages: z.array(
      z.strictObject({
        key: stageKeySchema,
        label: z.string(),
        status: z.enum(StageStatus),
        owner: personName.nullable(),
        signOff: signOffRecordSchema.nullable().meta({ description: "The sign-off in force; null while the stage is not signed off" }),
        earlierSignOffs: z.array(signOffRecordSchema),
        artifacts: z.array(exportedArtifactSchema).meta({ description: "The approved current version of each artifact of the stage" }),
      }),
    ),
  })
  .meta({ id: "ProjectExport" });

export const traceabilityEndpoints = {
  reviseArtifact: {
    method: "post",
    authorize: onArtifact("artifacts:revise"),
    path: "/artifacts/{id}/revisions",
    summary: "Revise approved work (the stage owner): a new version back to review; everything derived from it turns stale and the signed-off stages holding it reopen",
    params: artifactPath,
    body: revisionSchema,
    status: 201,
    response: revisionResultSchema,
    errors: {
      403: "Only the owner of the artifact's stage can revise it.",
      404: "The artifact does not exist.",
      409: "The artifact is not approved (pending, rejected or superseded), a run of its stage is active, nobody but the owner reviews the stage, or it changed meanwhile.",
      422: "The content does not fit the kind's contract, changes what is kept as drafted (its trace to its parents), or changes nothing; details names each field.",
    },
  },
  getTraceability: {
    method: "get",
    path: "/projects/{id}/traceability",
    summary: "The traceability matrix from each requirement to its runbooks, with the gaps and the test coverage of every requirement and acceptance criterion (format=csv: the matrix as a file)",
    params: projectPath,
    query: traceabilityQuerySchema,
    status: 200,
    response: traceabilitySchema,
    downloads: { "text/csv": "The matrix: one record per requirement, a column per kind (references, stale ones marked), and its gaps" },
    errors: { 403: notAMember, 404: "The project does not exist." },
  },
  exportProject: {
    method: "get",
    path: "/projects/{id}/export",
    summary: "The signed-off work of every stage with its sign-offs, links and provenance, as a file (json, markdown or csv)",
    params: projectPath,
    query: exportQuerySchema,
    status: 200,
    response: projectExportSchema,
    downloads: {
      "application/json": "The whole record (the schema above)",
      "text/markdown": "One section per stage, one entry per artifact rendered by its kind, with links, provenance and sign-offs",
      "text/csv": "One record per approved artifact: stage, ref, kind, version, summary, links, model, decisions, sign-off, content as JSON",
    },
    errors: { 403: notAMember, 404: "The project does not exist." },
  },
} satisfies Record<string, Endpoint>;
