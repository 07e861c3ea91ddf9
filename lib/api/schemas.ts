import { artifactVersionsEndpoints } from "@/lib/api/endpoints/artifact-versions";
import { budgetsEndpoints } from "@/lib/api/endpoints/budgets";
import { delegationsEndpoints } from "@/lib/api/endpoints/delegations";
import { insightsEndpoints } from "@/lib/api/endpoints/insights";
import { notificationsEndpoints } from "@/lib/api/endpoints/notifications";
import { reviewTeamsEndpoints } from "@/lib/api/endpoints/review-teams";
import { sourcesEndpoints } from "@/lib/api/endpoints/sources";
import { runtimeEndpoints } from "@/lib/api/endpoints/runtime";
import { traceabilityEndpoints } from "@/lib/api/endpoints/traceability";
import { webhooksEndpoints } from "@/lib/api/endpoints/webhooks";
import { z } from "zod";
import { listOf, notAMember, pageOf, projectPath, reviewItemPath, sourceSchema, stagePath, stepPath, timestamp } from "@/lib/api/common";
import { artifactKinds, artifactQuerySchema, artifactStatuses } from "@/lib/artifacts/schema";
import { auditQuerySchema } from "@/lib/audit/service";
import { kindContentSchemas } from "@/lib/kinds/registry";
import type { ErrorCode } from "@/lib/errors";
import {
  ActorType,
  DecisionAction,
  ReviewStatus,
  RunStatus,
  StageStatus,
} from "@/lib/generated/sqlite/enums";
import { startRunSchema } from "@/lib/pipeline/schema";
import { createProjectSchema } from "@/lib/projects/schema";
import { policyUpdateSchema, policyValuesSchema } from "@/lib/policies/schema";
import { anywhere, assignStageGrant, inProject, inReviewTransaction, inStage, startRunGrant, type Authorize } from "./authorization";
import { decisionSchema, reviewQuerySchema } from "@/lib/review/schema";
import { routingOutcomes, routingReasonSchema } from "@/lib/routing/schema";
import { createSourceSchema } from "@/lib/sources/schema";
import { signOffSchema, stageKeySchema, updateStageSchema } from "@/lib/stages/schema";

// Room for the largest legitimate body, a source of 200,000 characters.
export const MAX_BODY_BYTES = 1_000_000;


const errorCodes = {
  bad_request: "bad_request",
  unauthorized: "unauthorized",
  forbidden: "forbidden",
  not_found: "not_found",
  method_not_allowed: "method_not_allowed",
  conflict: "conflict",
  invalid: "invalid",
  too_many_requests: "too_many_requests",
  internal: "internal",
  storage_unavailable: "storage_unavailable",
} as const satisfies { [Code in ErrorCode]: Code };

export const errorSchema = z
  .strictObject({
    error: z.strictObject({
      code: z.enum(errorCodes),
      message: z.string().meta({ description: "A sentence a person can act on." }),
      details: z.unknown().optional().meta({
        description: "For invalid requests, [{ path, message }] per field; for conflicts, what conflicted.",
      }),
    }),
  })
  .meta({ id: "Error" });


const person = z.strictObject({ id: z.string(), email: z.string(), name: z.string() }).meta({ id: "Person" });
const personName = z.strictObject({ email: z.string(), name: z.string() });

const projectFields = {
  id: z.string(),
  name: z.string(),
  brief: z.string(),
  budgetUsd: z.number().nullable().meta({ description: "Spending limit for all model calls of the project, in US dollars; null means none" }),
  createdById: z.string(),
  createdAt: timestamp,
};

const projectSchema = z.strictObject(projectFields).meta({ id: "Project" });

const projectListItemSchema = z
  .strictObject({
    ...projectFields,
    stages: z.array(z.strictObject({ key: stageKeySchema, status: z.enum(StageStatus) })),
    sourceCount: z.number().int(),
  })
  .meta({ id: "ProjectListItem" });

const runStartedSchema = z.strictObject({ id: z.string(), status: z.enum(RunStatus) }).meta({ id: "RunStarted" });

const artifactContentSchema = z
  .union(kindContentSchemas)
  .meta({ id: "ArtifactContent", description: "The artifact's content; its shape is its kind's (a requirement, a user story, a milestone, ...)." });

const routingReason = routingReasonSchema.meta({ id: "RoutingReason", description: "A rule that sent the item to review, and why." });

const artifactSchema = z
  .strictObject({
    id: z.string(),
    ref: z.string().meta({ description: "Stable reference within the project, e.g. REQ-3 or US-7" }),
    kind: z.enum(artifactKinds),
    stage: stageKeySchema,
    runId: z.string(),
    version: z.number().int(),
    status: z.enum(artifactStatuses),
    content: artifactContentSchema,
    derivedFrom: z.array(z.string()).meta({ description: "Ids of the upstream artifacts it was drafted from (a story's requirements, a test case's story)" }),
    parents: z
      .array(z.strictObject({ id: z.string(), ref: z.string(), kind: z.enum(artifactKinds) }))
      .meta({ description: "The same upstream artifacts with their references, for people (REQ-3, US-7)" }),
    stale: z.boolean().meta({ description: "Whether an artifact it was derived from changed after it was drafted" }),
    staleReason: z.string().nullable().meta({ description: "What changed upstream; null when not stale" }),
    confidence: z.number().nullable(),
    provenance: z.strictObject({
      draftedBy: z.strictObject({ stepRunId: z.string().nullable(), model: z.string().nullable() }),
      editedBy: personName.nullable(),
    }),
    routing: z
      .strictObject({
        decision: z.enum(routingOutcomes),
        reasons: z.array(routingReason),
        policy: z.record(z.string(), z.unknown()).meta({ description: "The policy values the rules used" }),
        calibratedProbability: z.number().nullable().meta({ description: "Measured probability that people approve the draft unchanged" }),
        threshold: z.number().nullable().meta({ description: "Lowest probability auto-approved under the policy's error bound; null when the evidence supported none" }),
        calibrationVersion: z.number().int().nullable().meta({ description: "Version of the step's calibration model (0: none fitted yet)" }),
        policyVersion: z.number().int().nullable().meta({ description: "Version of the step's policy (0: the built-in default)" }),
      })
      .nullable(),
    createdAt: timestamp,
  })
  .meta({ id: "Artifact" });

const citationSchema = z.strictObject({
  sourceId: z.string(),
  sourceTitle: z.string(),
  quote: z.string(),
  passage: z.strictObject({ before: z.string(), match: z.string(), after: z.string() }).nullable(),
});

const conflictSideSchema = z
  .strictObject({
    artifactId: z.string().nullable().meta({ description: "The drafted side; null for a passage that contradicts a draft without being drafted" }),
    ref: z.string().nullable(),
    sourceId: z.string(),
    quote: z.string(),
    statement: z.string().nullable(),
    citation: citationSchema,
  })
  .meta({ id: "ConflictSide" });

const reviewItemSchema = z
  .strictObject({
    id: z.string(),
    kind: z.enum([...artifactKinds, "conflict"]).meta({ description: "The artifact kind of a draft (requirement, user_story, ...); conflict for drafts that contradict each other" }),
    artifactId: z.string().nullable().meta({ description: "The draft under review; null for a conflict" }),
    ref: z.string().meta({ description: "REQ-3, US-7, or CONF-2 for a conflict" }),
    projectId: z.string(),
    projectName: z.string(),
    stage: stageKeySchema,
    version: z.number().int().meta({ description: "The version under review; send it back with the decision" }),
    currentVersion: z.number().int(),
    status: z.enum(ReviewStatus),
    artifactStatus: z.enum(artifactStatuses).nullable(),
    reasons: z.array(routingReason),
    content: artifactContentSchema.nullable().meta({ description: "The draft; null for a conflict" }),
    confidence: z.number().nullable().meta({ description: "The drafter's own confidence" }),
    calibratedProbability: z.number().nullable().meta({ description: "Measured probability that people approve the draft unchanged" }),
    model: z.string().nullable(),
    description: z.string().nullable().meta({ description: "What the conflict is about; null for a draft" }),
    sides: z.array(conflictSideSchema).meta({ description: "For a conflict: every side with its source passage; empty for a draft" }),
    citations: z.array(citationSchema),
    canDecide: z.boolean().meta({ description: "Whether the caller may decide this item now" }),
    parents: z
      .array(z.strictObject({ id: z.string(), ref: z.string(), kind: z.enum(artifactKinds), label: z.string(), summary: z.string() }))
      .meta({ description: "The upstream artifacts the draft was drafted from, each with its kind's label and one line of its content; empty for a conflict" }),
    stale: z.boolean().meta({ description: "Whether something the draft was drafted from changed since" }),
    staleReason: z.string().nullable(),
    replaces: z
      .array(
        z.strictObject({
          id: z.string(),
          ref: z.string(),
          version: z.number().int(),
          status: z.enum(artifactStatuses),
          staleReason: z.string().nullable(),
          changes: z.array(
            z.strictObject({
              field: z.string(),
              label: z.string(),
              parts: z.array(z.strictObject({ value: z.string(), change: z.enum(["added", "removed", "same"]) })),
            }),
          ),
        }),
      )
      .meta({ description: "For a re-draft of stale work: the stale artifacts it replaces, with what changed from their current content, field by field and word by word" }),
    references: z.record(z.string(), z.string()).meta({ description: "References (US-3) of the artifacts the content names by id" }),
    refusal: z.string().nullable().meta({ description: "Why a reviewer of the stage may not decide it (separation of duties, or they already approved it)" }),
    claim: z
      .strictObject({ by: personName, expiresAt: timestamp, mine: z.boolean().meta({ description: "Whether the caller holds it" }) })
      .nullable()
      .meta({ description: "Who is working on the item until when; null when nobody holds a live claim. Others cannot decide it meanwhile." }),
    approvals: z.number().int().meta({ description: "Approvals from different reviewers so far (the two-person rule), e.g. 1 of 2" }),
    requiredApprovals: z.number().int().meta({ description: "Approvals the item needs before it is approved" }),
    undoableUntil: timestamp.nullable().meta({ description: "Until when the caller can undo their own latest decision on it; null when they cannot" }),
    canReopen: z.boolean().meta({ description: "Whether the caller, as stage owner, can reopen the decided item (until the stage is signed off)" }),
    canAdjudicate: z.boolean().meta({ description: "Whether the caller, as stage owner, settles this disagreement now" }),
    createdAt: timestamp,
    decision: z
      .strictObject({
        action: z.enum(DecisionAction),
        by: personName,
        at: timestamp,
        comment: z.string().nullable(),
        onBehalfOf: personName.nullable().meta({ description: "Whose role the decider held through a delegation (out of office); null when their own" }),
      })
      .nullable(),
    sla: z
      .strictObject({
        dueAt: timestamp.meta({ description: "When the stage's SLA fell or falls due" }),
        level: z.number().int().min(0).max(3).meta({ description: "How far the ladder went: 0 nothing yet, 1 reviewers reminded, 2 stage owner, 3 fallback owner" }),
        overdue: z.boolean(),
      })
      .nullable()
      .meta({ description: "The stage's SLA ladder for this item; null when the stage has no SLA. Nothing is ever decided by it." }),
  })
  .meta({ id: "ReviewItem" });

const decisionResultSchema = z
  .strictObject({
    id: z.string(),
    action: z.enum(DecisionAction),
    artifactId: z.string().nullable(),
    status: z.enum(["approved", "rejected", "pending", "needs_adjudication", "pending_review", "resolved"]).meta({
      description:
        "approved or rejected; pending while approvals are missing (1 of 2); needs_adjudication when approvers disagree (the stage owner settles it); pending_review after an edit (someone else approves the new version); resolved for a conflict",
    }),
    version: z.number().int().meta({ description: "The artifact's version after the decision (an edit adds one)" }),
    approvals: z.number().int().meta({ description: "Approvals the item has after this decision" }),
    requiredApprovals: z.number().int().meta({ description: "Approvals it needs (the policy's two-person rule)" }),
    undoableUntil: timestamp.meta({ description: "Until when the decider can undo it (POST /review-items/{id}/undo)" }),
  })
  .meta({ id: "ReviewDecision" });

const policyValues = policyValuesSchema.meta({ id: "PolicyValues" });

const policySchema = z
  .strictObject({
    stepKey: z.string(),
    title: z.string(),
    categories: z.array(z.string()).meta({ description: "Categories this step's drafts carry; each may override the policy" }),
    version: z.number().int().meta({ description: "0 while the built-in default applies" }),
    values: policyValues,
    updatedAt: timestamp.nullable(),
    updatedBy: z.string().nullable(),
    history: z.array(z.strictObject({ version: z.number().int(), values: policyValues, reason: z.string().nullable(), by: z.string().nullable(), at: timestamp })),
  })
  .meta({ id: "Policy" });

const whatIfFiguresSchema = z
  .strictObject({
    drafts: z.number().int(),
    autoApproved: z.number().int(),
    toPeople: z.number().int(),
    escapedDefects: z.number().int().meta({ description: "Auto-approved drafts that audits or later decisions showed wrong" }),
    reviewerHours: z.number(),
    modelCostUsd: z.number(),
    threshold: z.number().nullable(),
  })
  .meta({ id: "WhatIfFigures" });

const whatIfSchema = z
  .strictObject({
    stepKey: z.string(),
    currentVersion: z.number().int(),
    proposed: policyValues,
    current: whatIfFiguresSchema,
    proposedFigures: whatIfFiguresSchema,
    movedToPeople: z.number().int().meta({ description: "Drafts auto-approved under the current policy that the proposed one would send to people" }),
    movedToAuto: z.number().int().meta({ description: "Drafts sent to people that the proposed policy would auto-approve" }),
    labelledDrafts: z.number().int(),
  })
  .meta({ id: "WhatIf" });

const reliabilityBinSchema = z.strictObject({
  from: z.number(),
  to: z.number(),
  count: z.number().int(),
  meanPredicted: z.number().nullable(),
  observed: z.number().nullable(),
});

const autoApprovalSchema = z.strictObject({
  threshold: z.number().nullable().meta({ description: "null: the evidence supports no auto-approval yet" }),
  labels: z.number().int(),
  errors: z.number().int(),
  upperBound: z.number().nullable(),
  decisionsNeeded: z.number().int().nullable().meta({ description: "More error-free decisions needed before anything is auto-approved" }),
  testedAlone: z.boolean().meta({
    description: "A category whose own labels are many enough to be tested alone must pass that test as well as the step's: true when its own labels set this result",
  }),
});

const calibrationSchema = z
  .strictObject({
    stepKey: z.string(),
    title: z.string(),
    version: z.number().int(),
    fittedAt: timestamp.nullable(),
    reason: z.string().nullable(),
    policyVersion: z.number().int(),
    targetErrorRate: z.number(),
    confidenceLevel: z.number(),
    labels: z.number().int(),
    correct: z.number().int(),
    ece: z.number().nullable().meta({ description: "Expected calibration error on out-of-fold predictions" }),
    bins: z.array(reliabilityBinSchema),
    autoApproval: autoApprovalSchema,
    categories: z.array(
      z.strictObject({
        category: z.string(),
        labels: z.number().int(),
        correct: z.number().int(),
        ece: z.number().nullable(),
        bins: z.array(reliabilityBinSchema),
        autoApproval: autoApprovalSchema,
      }),
    ),
  })
  .meta({ id: "StepCalibration" });

const stageSchema = z
  .strictObject({
    key: stageKeySchema,
    label: z.string(),
    status: z.enum(StageStatus),
    owner: person.nullable(),
    reviewers: z.array(person),
    sla: z
      .strictObject({
        minutes: z.number().int().nullable().meta({ description: "How long an item may wait before the ladder starts; null for no SLA" }),
        businessHours: z.boolean().meta({ description: "Only Monday to Friday, 09:00-17:00 UTC count" }),
        fallbackOwner: person.nullable().meta({ description: "Told last, after the stage owner" }),
      })
      .meta({ description: "The stage's SLA ladder: reminder to the reviewers, then the owner, then the fallback owner; never a decision" }),
    signOff: z
      .strictObject({
        id: z.string(),
        by: person,
        at: timestamp,
        comment: z.string().nullable(),
        coverageHash: z.string().meta({ description: "SHA-256 over the approved artifact versions it covers" }),
        artifactCount: z.number().int(),
      })
      .nullable(),
  })
  .meta({ id: "Stage" });

const signOffResultSchema = z
  .strictObject({ id: z.string(), stage: stageKeySchema, coverageHash: z.string(), createdAt: timestamp })
  .meta({ id: "SignOff" });

const auditEventSchema = z
  .strictObject({
    id: z.number().int(),
    at: timestamp,
    actor: z.strictObject({ type: z.enum(ActorType), id: z.string().nullable(), label: z.string() }),
    action: z.string().meta({ description: "e.g. review.approved, stage.signed_off" }),
    subject: z.strictObject({ type: z.string(), id: z.string() }),
    projectId: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
    reason: z.string().nullable(),
    hash: z.string().nullable().meta({ description: "SHA-256 chained to the previous sealed event; null until the sealer chains it, moments after it is recorded" }),
  })
  .meta({ id: "AuditEvent" });


/** Errors a route documents beyond the ones its contract implies (401 for auth, 400/422 for input). */
type DomainErrors = Partial<Record<403 | 404 | 409 | 422, string>>;

type EndpointBase = {
  /** Relative to /api/v1, in OpenAPI form: /projects/{id}. */
  path: `/${string}`;
  summary: string;
  /** Public routes skip authentication; every other route needs a Bearer token or a session. */
  public?: true;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  status: 200 | 201 | 202;
  response: z.ZodType;
  errors?: DomainErrors;
  /** The response is a stream of Server-Sent Events (handleEvents in lib/api/handler.ts); `response` is each event's data. */
  events?: true;
  /** Files the route can answer with instead of JSON (a Download in lib/api/handler.ts), by media type: what each holds. */
  downloads?: Partial<Record<DownloadMediaType, string>>;
};

export type DownloadMediaType = "application/json" | "text/csv" | "text/markdown";

/** Reads check their permission in the service; every mutation declares its own, checked by the handler first. */
export type Endpoint = (EndpointBase & { method: "get"; authorize?: undefined }) | (EndpointBase & { method: "post" | "put" | "patch" | "delete"; authorize: Authorize });


/**
 * The contract of every /api/v1 route in one table: what it parses (path, query, body, using the
 * domain schemas the services parse with), what it answers, and which errors it documents.
 * Route handlers take their entry from here and lib/api/openapi.ts renders the same entries, so
 * the document cannot drift from what the routes validate. Response schemas are strict: the API
 * tests check every response against them, so a field a service adds must be documented here.
 */
export const endpoints = {
  ...runtimeEndpoints,
  ...budgetsEndpoints,
  ...traceabilityEndpoints,
  ...artifactVersionsEndpoints,
  ...insightsEndpoints,
  ...sourcesEndpoints,
  ...webhooksEndpoints,
  ...delegationsEndpoints,
  ...notificationsEndpoints,
  ...reviewTeamsEndpoints,
  listProjects: {
    method: "get",
    path: "/projects",
    summary: "List the projects the caller can read",
    status: 200,
    response: listOf(projectListItemSchema),
  },
  createProject: {
    method: "post",
    authorize: anywhere("projects:create"),
    path: "/projects",
    summary: "Create a project with its seven stages",
    body: createProjectSchema,
    status: 201,
    response: projectSchema,
    errors: { 403: "The caller may not create projects." },
  },
  listSources: {
    method: "get",
    path: "/projects/{id}/sources",
    summary: "List a project's sources",
    params: projectPath,
    status: 200,
    response: listOf(sourceSchema),
    errors: { 403: notAMember },
  },
  addSource: {
    method: "post",
    authorize: inProject("sources:write"),
    path: "/projects/{id}/sources",
    summary: "Add stakeholder notes to a project",
    params: projectPath,
    body: createSourceSchema,
    status: 201,
    response: sourceSchema,
    errors: { 403: notAMember },
  },
  startRun: {
    method: "post",
    authorize: startRunGrant,
    path: "/projects/{id}/runs",
    summary: "Queue an AI run of a stage; poll GET /runs/{id} for progress",
    params: projectPath,
    body: startRunSchema,
    status: 202,
    response: runStartedSchema,
    errors: {
      403: "Only the stage owner or an admin can start a run.",
      404: "The project does not exist.",
      409: "The stage is locked or signed off, or a run of it is already active.",
      422: "The stage has no AI steps, or the project has no sources.",
    },
  },
  listArtifacts: {
    method: "get",
    path: "/projects/{id}/artifacts",
    summary: "A project's drafted artifacts with their routing decisions (superseded ones only when asked for)",
    params: projectPath,
    query: artifactQuerySchema,
    status: 200,
    response: listOf(artifactSchema),
    errors: { 403: notAMember },
  },
  listReviewItems: {
    method: "get",
    path: "/review-items",
    summary: "The review queue: items in stages the caller reviews or owns (admins see all)",
    query: reviewQuerySchema,
    status: 200,
    response: pageOf(reviewItemSchema),
    errors: { 403: notAMember },
  },
  decideReviewItem: {
    method: "post",
    authorize: inReviewTransaction("review:decide"),
    path: "/review-items/{id}/decision",
    summary: "Approve, edit or reject a draft, or resolve a conflict ({action: resolve, keep: [artifactId], comment})",
    params: reviewItemPath,
    body: decisionSchema,
    status: 200,
    response: decisionResultSchema,
    errors: {
      403: "Only reviewers of the stage can decide its items; nobody decides drafts of a run they started or approves a version they wrote.",
      404: "The review item does not exist.",
      409: "The version is stale, the item was already decided, someone else holds a live claim on it, it waits for adjudication, the caller already approved it, or the draft is part of an unresolved conflict (details.reason says which).",
      422: "The edited content is not a valid requirement or story, or a conflict's keep list is wrong.",
    },
  },
  listStages: {
    method: "get",
    path: "/projects/{id}/stages",
    summary: "The project's stages in order, with owner, reviewers and latest sign-off",
    params: projectPath,
    status: 200,
    response: z.array(stageSchema),
    errors: { 403: notAMember, 404: "The project does not exist." },
  },
  updateStage: {
    method: "put",
    authorize: assignStageGrant,
    path: "/projects/{id}/stages/{key}",
    summary: "Assign a stage's owner (admins) or reviewers (the owner or admins), or set its SLA (slaMinutes: the owner or admins; fallbackOwnerEmail: admins)",
    params: stagePath,
    body: updateStageSchema,
    status: 200,
    response: stageSchema,
    errors: {
      403: "Only admins assign owners; only the owner or an admin assigns reviewers.",
      404: "The project or stage does not exist.",
      422: "An email does not belong to any user.",
    },
  },
  signOffStage: {
    method: "post",
    authorize: inStage("stages:signOff"),
    path: "/projects/{id}/stages/{key}/sign-off",
    summary: "Sign off a stage, recording the approved versions it covers, and unlock the next one",
    params: stagePath,
    body: signOffSchema.optional(),
    status: 201,
    response: signOffResultSchema,
    errors: {
      403: "Only the owner of the stage can sign it off, and not when every decision in it was their own.",
      404: "The project or stage does not exist.",
      409: "Items are still pending review, a conflict is unresolved (named in the message), a run is drafting, nothing is approved, or the stage is locked or signed off.",
    },
  },
  listAuditEvents: {
    method: "get",
    path: "/audit",
    summary: "The audit trail, newest first (without projectId: every project, admins only)",
    query: auditQuerySchema,
    status: 200,
    response: pageOf(auditEventSchema),
    errors: { 403: "The caller is not a member of the project, or not an admin when no project is named." },
  },
  listPolicies: {
    method: "get",
    path: "/policies",
    summary: "Every model step's policy (admins)",
    status: 200,
    response: z.array(policySchema),
    errors: { 403: "Only admins can read and change policies." },
  },
  getPolicy: {
    method: "get",
    path: "/policies/{stepKey}",
    summary: "One step's policy with its version history (admins)",
    params: stepPath,
    status: 200,
    response: policySchema,
    errors: { 403: "Only admins can read and change policies.", 404: "No model step has this key." },
  },
  updatePolicy: {
    method: "patch",
    authorize: anywhere("policies:manage"),
    path: "/policies/{stepKey}",
    summary: "Change a step's policy: a partial update saved as a new version with who, when and why (admins)",
    params: stepPath,
    body: policyUpdateSchema,
    status: 200,
    response: z.strictObject({ stepKey: z.string(), version: z.number().int(), values: policyValues }),
    errors: { 403: "Only admins can read and change policies.", 404: "No model step has this key.", 422: "A value is missing, empty or out of range." },
  },
  whatIfPolicy: {
    method: "post",
    authorize: anywhere("policies:manage"),
    path: "/policies/{stepKey}/what-if",
    summary: "Replay the recorded drafts of a step under proposed policy values, beside the current ones; nothing is saved",
    params: stepPath,
    body: policyUpdateSchema,
    status: 200,
    response: whatIfSchema,
    errors: { 403: "Only admins can read and change policies.", 404: "No model step has this key.", 422: "A value is missing, empty or out of range." },
  },
  getStepCalibration: {
    method: "get",
    path: "/steps/{stepKey}/calibration",
    summary: "How well a step's calibration predicts reviewers' decisions, per category: reliability bins, ECE, labels, auto-approval threshold (admins)",
    params: stepPath,
    status: 200,
    response: calibrationSchema,
    errors: { 403: "Only admins can read calibration.", 404: "No model step has this key." },
  },
  refitStepCalibration: {
    method: "post",
    authorize: anywhere("policies:manage"),
    path: "/steps/{stepKey}/calibration",
    summary: "Refit a step's calibration from every decision now (admins)",
    params: stepPath,
    status: 201,
    response: calibrationSchema,
    errors: { 403: "Only admins can refit calibration.", 404: "No model step has this key." },
  },
  openApiDocument: {
    method: "get",
    path: "/openapi.json",
    summary: "This document",
    public: true,
    status: 200,
    response: z
      .strictObject({
        openapi: z.string(),
        info: z.strictObject({ title: z.string(), version: z.string(), description: z.string() }),
        servers: z.array(z.strictObject({ url: z.string() })).optional(),
        security: z.array(z.record(z.string(), z.array(z.string()))).optional(),
        components: z.record(z.string(), z.unknown()).optional(),
        paths: z.record(z.string(), z.unknown()).optional(),
      })
      .meta({ id: "OpenApiDocument", description: "An OpenAPI 3.1 document" }),
  },
} satisfies Record<string, Endpoint>;

export type EndpointName = keyof typeof endpoints;
