import type { Prisma } from "@/lib/generated/sqlite/client";
import type { ArtifactStatus, DecisionAction, ReviewStatus, StageKey } from "@/lib/generated/sqlite/enums";
import type { UserActor } from "@/lib/actors";
import { assertCan, rolesFromFacts } from "@/lib/access";
import { queueRedraftAfterRejection } from "@/lib/artifacts/reject-redraft";
import { auditEventWrite, recordAudit } from "@/lib/audit/service";
import { assertRoles } from "@/lib/authz";
import type { Tx } from "@/lib/db";
import { conflict, forbidden, invalid, notFound } from "@/lib/errors";
import { emitEvent } from "@/lib/events/emit";
import { validContent, type ArtifactKind } from "@/lib/kinds/registry";
import { afterLabelsRecorded, draftLabelWrite, recordDraftLabel, type RecordedLabel } from "@/lib/learning/labels";
import { measureEdit } from "@/lib/learning/edits";
import { resumeRunIfReviewed } from "@/lib/pipeline/service";
import { wakeWorker } from "@/lib/pipeline/worker";
import type { SourceQuote } from "@/lib/requirements/schema";
import { flag, writeTogether } from "@/lib/sql/statements";
import { slaStatus } from "@/lib/sla/rules";
import { transact } from "@/lib/transaction";
import {
  ADJUDICATED_LABEL,
  artifactStatusWrite,
  claimForAdjudication,
  claimPending,
  conflictSide,
  decisionTarget,
  decisionWrite,
  insertDecision,
  insertEditedVersion,
  itemStatusWrite,
  markDecided,
  openConflicts,
  resolveConflictRow,
  setArtifactStatus,
  type DecisionTarget,
} from "./decision-store";
import { approvalProgress, statusAfterVote, undoableUntil, voteRefusal, type VoteStatus } from "./approvals";
import { decisionRefusal } from "./duties";
import { findPassage } from "./passages";
import { citedSources, queuePage, type QueueRow } from "./queue-page";
import { adjudicationSchema, decisionSchema, type AdjudicationInput, type DecisionInput, type ReviewQuery } from "./schema";
import type { ConflictSide } from "@/lib/artifacts/write";

/** The queue: items in the stages the actor reviews or owns (admins see every stage). */
export async function listReviewItems(actor: UserActor, query: ReviewQuery) {
  if (query.projectId) await assertCan(actor, "projects:read", { projectId: query.projectId });
  const rows = await queuePage(actor, query);
  const page = rows.slice(0, query.limit);
  const sources = await citedSources(new Set(page.flatMap(citedSourceIds)));
  const now = new Date();
  return {
    items: page.map((row) => presentItem(row, sources, actor, now)),
    nextCursor: rows.length > query.limit ? page[page.length - 1].id : null,
  };
}

function quotesOf(content: Prisma.JsonValue): SourceQuote[] {
  const quotes = (content as { sources?: unknown } | null)?.sources;
  return Array.isArray(quotes) ? (quotes as SourceQuote[]) : [];
}

function citedSourceIds(row: QueueRow): string[] {
  return [...((row.conflictSides ?? []) as ConflictSide[]), ...quotesOf(row.content)].map((quote) => quote.sourceId);
}

type SourceMap = Map<string, { id: string; title: string; text: string }>;

function citation(sources: SourceMap, quote: SourceQuote) {
  const source = sources.get(quote.sourceId);
  return {
    sourceId: quote.sourceId,
    sourceTitle: source?.title ?? "(unknown source)",
    quote: quote.quote,
    passage: source ? findPassage(source.text, quote.quote) : null,
  };
}

/** The item's live claim, if any, as the queue shows it. */
function presentClaim(row: QueueRow, actor: UserActor, now: Date) {
  if (!row.claimedById || !row.claimExpiresAt || row.claimExpiresAt <= now) return null;
  return { by: { email: row.claimedByEmail ?? "", name: row.claimedByName ?? "" }, expiresAt: row.claimExpiresAt.toISOString(), mine: row.claimedById === actor.userId };
}

/** The latest decision not undone, as the queue shows it. */
function presentDecision(row: QueueRow) {
  if (!row.decisionAction || !row.decisionAt) return null;
  return {
    action: row.decisionAction as DecisionAction,
    by: { email: row.decidedByEmail ?? "", name: row.decidedByName ?? "" },
    at: row.decisionAt.toISOString(),
    comment: row.decisionComment,
    onBehalfOf: row.onBehalfOfEmail ? { email: row.onBehalfOfEmail, name: row.onBehalfOfName ?? "" } : null,
  };
}

/** Whether the item holds a decision that can still be taken back: on an item no newer run withdrew, in a stage not signed off. */
function takeBackable(row: QueueRow): boolean {
  return row.decisionAction !== null && row.decisionAt !== null && row.status !== "cancelled" && row.stageStatus !== "signed_off";
}

/** Until when the actor may undo their own decision on the item, as the queue shows it (null when they may not). */
function undoableUntilOf(row: QueueRow, actor: UserActor, now: Date): string | null {
  if (!takeBackable(row) || row.decidedById !== actor.userId) return null;
  const until = undoableUntil(row.decisionAt!);
  return until > now ? until.toISOString() : null;
}

/** Whether the actor, as the stage owner, may reopen the decided draft: until the stage is signed off. */
function reopenable(row: QueueRow): boolean {
  return takeBackable(row) && row.isStageOwner && row.kind === "draft";
}

/**
 * One queue item as the list shows it: the claim, votes and undo facts every item shows, then
 * its kind's fields. Each kind is one object literal with every key in the list's order. Built
 * any other way ({ ...common, kind, ... } or Object.assign(common, { kind, ... })), V8 (Node 20)
 * takes up to ~20 µs an object, or makes it a hash table every later read pays for.
 */
function presentItem(row: QueueRow, sources: SourceMap, actor: UserActor, now: Date) {
  const claim = presentClaim(row, actor, now);
  const heldByOther = claim !== null && !claim.mine;
  if (row.kind === "conflict" && row.conflictRef) {
    const sides = (row.conflictSides ?? []) as ConflictSide[];
    const refusal = decisionRefusal({ actorId: actor.userId, runStartedById: row.runStartedById, versionEditedById: null, action: "resolve", ref: row.conflictRef });
    return {
      id: row.id,
      projectId: row.projectId,
      projectName: row.projectName,
      stage: row.stageKey as StageKey,
      status: row.status as ReviewStatus,
      reasons: row.reasons as { code: string; detail: string }[],
      createdAt: row.createdAt.toISOString(),
      decision: presentDecision(row),
      sla: slaStatus(row, now),
      claim,
      approvals: row.approvals,
      requiredApprovals: row.requiredApprovals,
      undoableUntil: undoableUntilOf(row, actor, now),
      canReopen: reopenable(row),
      canAdjudicate: row.status === "needs_adjudication" && row.isStageOwner,
      kind: "conflict" as const,
      artifactId: null,
      ref: row.conflictRef,
      version: row.version,
      currentVersion: row.version,
      artifactStatus: null,
      content: null,
      confidence: null,
      calibratedProbability: null,
      model: null,
      description: row.conflictDescription ?? "",
      sides: sides.map((side) => ({ ...side, citation: citation(sources, side) })),
      citations: [],
      canDecide: row.mayDecideStage && refusal === null && !heldByOther,
      refusal: row.mayDecideStage ? refusal : null,
    };
  }
  const ref = row.ref!;
  const refusal =
    decisionRefusal({ actorId: actor.userId, runStartedById: row.runStartedById, versionEditedById: row.editedById, action: "approve", ref }) ??
    voteRefusal(row.requiredApprovals, { approvals: row.approvals, rejections: 0, approvedByActor: row.approvedByMe }, "approve", ref);
  return {
    id: row.id,
    projectId: row.projectId,
    projectName: row.projectName,
    stage: row.stageKey as StageKey,
    status: row.status as ReviewStatus,
    reasons: row.reasons as { code: string; detail: string }[],
    createdAt: row.createdAt.toISOString(),
    decision: presentDecision(row),
    sla: slaStatus(row, now),
    claim,
    approvals: row.approvals,
    requiredApprovals: row.requiredApprovals,
    undoableUntil: undoableUntilOf(row, actor, now),
    canReopen: reopenable(row),
    canAdjudicate: row.status === "needs_adjudication" && row.isStageOwner,
    kind: row.artifactKind as ArtifactKind,
    artifactId: row.artifactId!,
    ref,
    version: row.version,
    currentVersion: row.currentVersion!,
    artifactStatus: row.artifactStatus as ArtifactStatus,
    content: row.content as Record<string, unknown>,
    confidence: row.confidence,
    calibratedProbability: row.calibratedProbability,
    model: row.model,
    description: null,
    sides: [],
    citations: quotesOf(row.content).map((quote) => citation(sources, quote)),
    canDecide: row.mayDecideStage && refusal === null && !heldByOther,
    refusal: row.mayDecideStage ? refusal : null,
  };
}
export type ReviewItemView = ReturnType<typeof presentItem>;

function editedContent(kind: string, current: unknown, edit: Record<string, unknown>) {
  const merged = { ...(current as Record<string, unknown>), ...edit };
  return validContent(kind, merged, "edited");
}

/** A decision's time, from the gap since the reviewer's previous one; longer gaps were breaks, not reviewing. */
const MAX_DECISION_GAP_MS = 15 * 60_000;

function decisionDuration(previous: Date | null, now: Date): number | null {
  if (!previous) return null;
  const gap = now.getTime() - previous.getTime();
  return gap >= 0 && gap <= MAX_DECISION_GAP_MS ? gap : null;
}

/**
 * Where the decided item stands: pending while approvals are missing, approved, rejected,
 * needs_adjudication when approvers disagree; pending_review after an edit (the new version
 * waits for someone else); resolved for a conflict.
 */
export type DecisionStatus = VoteStatus | "pending_review" | "resolved";

/** What a decision answers: the item's status, its approvals, and until when the decider can undo it. */
export type DecisionResult = {
  id: string;
  action: string;
  artifactId: string | null;
  status: DecisionStatus;
  version: number;
  approvals: number;
  requiredApprovals: number;
  undoableUntil: string;
};

/** What a decision's transaction found: the answer's facts, and what follows the commit. */
type DecisionOutcome = Omit<DecisionResult, "undoableUntil"> & {
  decidedAt: Date;
  resumed: boolean;
  /** A rejection whose re-draft is queued: the run waits for the new version instead of moving on. */
  redraftQueued?: boolean;
  labels: RecordedLabel[];
};

/**
 * A decision in a handful of plain statements (decision-store.ts), in one transaction: the
 * compare-and-set claim; one read of the item with its draft or conflict, the decider's roles,
 * its votes and claim, their previous decision and whether other items of its run still wait;
 * the writes (a draft's together: writeTogether); and, when nothing else of the run waits,
 * whether the run may resume.
 */
export async function decideReviewItem(actor: UserActor, itemId: string, input: DecisionInput): Promise<DecisionResult> {
  const decision = decisionSchema.parse(input);
  const result = await transact(async (tx): Promise<DecisionOutcome & { projectId: string }> => {
    // The claim comes first, so the read below sees whether this decider won the item.
    // Nothing of it stays unless the permission and every rule below let the decision through.
    const claimed = (await claimPending(tx, itemId, actor.userId, new Date())) === 1;
    const row = await decisionTarget(tx, itemId, actor.userId);
    if (!row) throw notFound("The review item");
    assertRoles(rolesFromFacts(actor, row.facts), "review:decide");
    // The rules judge the item as it was before this transaction claimed it.
    const item: ClaimedTarget = { ...row, status: claimed ? "pending" : row.status, claimed };
    const outcome =
      item.kind === "conflict" ? await resolveConflict(tx, actor, item, decision, row.lastDecisionAt) : await decideDraft(tx, actor, item, decision, row.lastDecisionAt);
    await emitEvent(tx, "review_item.decided", {
      reviewItemId: item.id,
      projectId: item.projectId,
      stageId: item.stageId,
      ref: item.ref ?? item.conflictRef,
      artifactId: outcome.artifactId,
      action: outcome.action,
      status: outcome.status,
      version: outcome.version,
      decidedBy: actor.email,
    }, { anyActive: row.webhooksActive });
    // A conflict's resolution may decide other items of the run too, so it always asks.
    const mayFinishReview = item.runId && !outcome.redraftQueued && (item.kind === "conflict" || !row.othersWaiting);
    const resumed = mayFinishReview ? await resumeRunIfReviewed(tx, item.runId!) : false;
    return { ...outcome, resumed, projectId: item.projectId };
  });
  if (result.resumed) wakeWorker();
  await afterLabelsRecorded(result.labels, { projectId: result.projectId });
  return {
    id: result.id,
    action: result.action,
    artifactId: result.artifactId,
    status: result.status,
    version: result.version,
    approvals: result.approvals,
    requiredApprovals: result.requiredApprovals,
    undoableUntil: undoableUntil(result.decidedAt).toISOString(),
  };
}

type ClaimedTarget = DecisionTarget & { claimed: boolean };

/**
 * Refuses the decision when the item was not pending, waits for the stage owner's adjudication,
 * or someone else holds a live claim on it (or decided it first).
 */
function assertClaimed(item: ClaimedTarget, ref: string, now: Date) {
  if (item.status === "needs_adjudication") {
    throw conflict(`${ref} needs adjudication: its approvers disagree, and the stage owner settles it.`, { reason: "needs_adjudication", status: item.status });
  }
  if (item.status !== "pending") {
    throw conflict(`${ref} was already ${item.status === "cancelled" ? "withdrawn by a newer run" : "decided"}.`, { reason: "already_decided", status: item.status });
  }
  if (!item.claimed && item.claim && item.claim.expiresAt > now) {
    const { email, name, expiresAt } = item.claim;
    throw conflict(`${name} (${email}) is working on ${ref} until ${expiresAt.toISOString()}; only they can decide it while their claim lasts.`, {
      reason: "claimed",
      claimedBy: { email, name },
      expiresAt: expiresAt.toISOString(),
    });
  }
  if (!item.claimed) throw conflict(`${ref} was already decided.`, { reason: "already_decided" });
}

const statusAfter = { approve: "approved", edit: "pending_review", reject: "rejected" } as const;
const labelOf = { approve: "approved_unchanged", edit: "edited", reject: "rejected" } as const;

async function decideDraft(tx: Tx, actor: UserActor, item: ClaimedTarget, decision: DecisionInput, previousDecisionAt: Date | null): Promise<Omit<DecisionOutcome, "resumed">> {
  const artifact = { id: item.artifactId!, kind: item.artifactKind!, ref: item.ref!, currentVersion: item.currentVersion!, status: item.artifactStatus! };
  if (decision.action === "resolve") throw invalid(`${artifact.ref} is a draft, not a conflict: approve, edit or reject it.`);
  const action = decision.action;
  if (decision.version !== artifact.currentVersion || item.version !== artifact.currentVersion) {
    throw conflict(
      `You decided on version ${decision.version} of ${artifact.ref}, but its current version is ${artifact.currentVersion}. Reload it and decide again.`,
      { reason: "stale_version", currentVersion: artifact.currentVersion },
    );
  }
  const refusal = decisionRefusal({ actorId: actor.userId, runStartedById: item.runStartedById, versionEditedById: item.editedById, action, ref: artifact.ref });
  if (refusal) throw forbidden(refusal);
  if (action !== "reject" && flag(item.mayBeInOpenConflict)) {
    const open = await openConflictOf(tx, artifact.id, item.stageId);
    if (open) {
      throw conflict(`${artifact.ref} is part of ${open.ref} (${open.description}), which is not resolved yet. Resolve the conflict first; rejecting ${artifact.ref} is still possible.`, {
        reason: "open_conflict",
        conflictId: open.id,
      });
    }
  }
  const now = new Date();
  assertClaimed(item, artifact.ref, now);
  const twice = voteRefusal(item.requiredApprovals, item.tally, action, artifact.ref);
  if (twice) throw conflict(twice, { reason: "already_approved", approvals: item.tally.approvals, requiredApprovals: item.requiredApprovals });
  const durationMs = decisionDuration(previousDecisionAt, now);

  const before = item.content as Record<string, unknown>;
  const content: Record<string, unknown> | null = action === "edit" ? editedContent(artifact.kind, before, decision.content!) : null;
  const edit = content ? measureEdit(before, content) : { changedFields: [], editDistance: 0 };
  if (content && edit.changedFields.length === 0) throw invalid(`The edit changes nothing in ${artifact.ref}: approve it instead.`);
  const newVersion = content ? artifact.currentVersion + 1 : null;
  if (content && newVersion) {
    // Whoever edits cannot approve their own words: the new version waits for someone else.
    await insertEditedVersion(tx, {
      artifactId: artifact.id,
      version: newVersion,
      content,
      editedById: actor.userId,
      item,
      reasons: [{ code: "edited", detail: `${actor.name} edited ${edit.changedFields.join(", ")}; someone else must approve the edited version` }],
      now,
    });
  }
  // An edit settles this version; an approval or rejection is a vote the two-person rule counts.
  const vote = action === "edit" ? null : statusAfterVote(item.requiredApprovals, item.tally, action);
  const approvals = item.tally.approvals + (action === "approve" ? 1 : 0);
  const final = vote === null || vote === "approved" || vote === "rejected";
  const status = statusAfter[action];
  const { id, write: decisionRow } = decisionWrite({
    reviewItemId: item.id,
    artifactId: artifact.id,
    version: decision.version,
    action,
    comment: decision.comment || null,
    content,
    newVersion,
    label: labelOf[action],
    changedFields: edit.changedFields,
    editDistance: edit.editDistance,
    durationMs,
    decidedById: actor.userId,
    createdAt: now,
  });
  // Calibration learns from the outcome, not from a vote that may still be outvoted.
  const label = final && decision.version === 1 ? draftLabelWrite({ artifactId: artifact.id, item, outcome: labelOf[action], before, after: content, editDistance: edit.editDistance, durationMs, actor }) : null;
  const itemStatus = vote ?? "pending_review";
  const votes = item.requiredApprovals > 1 ? { approvals, requiredApprovals: item.requiredApprovals, itemStatus } : {};
  const audit = auditEventWrite({
    actor,
    action: `review.${action === "edit" ? "edited" : action === "approve" ? "approved" : "rejected"}`,
    subjectType: "artifact",
    subjectId: artifact.id,
    projectId: item.projectId,
    before: { ref: artifact.ref, version: artifact.currentVersion, status: artifact.status, content: before },
    after: {
      ref: artifact.ref,
      version: newVersion ?? artifact.currentVersion,
      status: final ? status : artifact.status,
      ...votes,
      ...(content ? { content, changedFields: edit.changedFields, editDistance: edit.editDistance } : {}),
    },
    reason: decision.comment || (vote === "pending" ? `approval ${approvalProgress(approvals, item.requiredApprovals)}` : null),
  });
  // None of these reads another's rows, so they go in one round trip.
  const written = await writeTogether(tx, {
    status: final ? artifactStatusWrite(artifact.id, { status, currentVersion: newVersion, now }) : itemStatusWrite(item.id, vote),
    decision: decisionRow,
    label: label?.write,
    audit,
  });
  const labels = label ? [label.recorded(written.label)] : [];
  // A rejection's comment goes back to the step that drafted the artifact (lib/artifacts/reject-redraft.ts).
  // A final rejection (redraft: false) keeps its comment on record but sends nothing back.
  const redraftComment = decision.redraft === false ? null : decision.comment || null;
  const redraftQueued =
    vote === "rejected" &&
    (await queueRedraftAfterRejection(tx, { artifactId: artifact.id, decisionId: id, ref: artifact.ref, version: decision.version, comment: redraftComment, projectId: item.projectId, stageId: item.stageId, actor }));
  return {
    id,
    redraftQueued,
    action,
    artifactId: artifact.id,
    status: itemStatus,
    version: newVersion ?? artifact.currentVersion,
    approvals,
    requiredApprovals: item.requiredApprovals,
    decidedAt: now,
    labels: labels.filter((label) => label !== null),
  };
}

/**
 * The stage owner settles a disagreement between approvers (an item in needs_adjudication):
 * the draft is approved or rejected for good, with the owner's reason, and calibration learns
 * the outcome. The owner typically started the run, so that rule does not bar them here; the
 * approvers who disagreed were other people.
 */
export async function adjudicateReviewItem(actor: UserActor, itemId: string, input: AdjudicationInput): Promise<DecisionResult> {
  const adjudication = adjudicationSchema.parse(input);
  const result = await transact(async (tx) => {
    const now = new Date();
    const claimed = (await claimForAdjudication(tx, itemId, now)) === 1;
    const item = await decisionTarget(tx, itemId, actor.userId);
    if (!item) throw notFound("The review item");
    assertRoles(rolesFromFacts(actor, item.facts), "review:adjudicate");
    const ref = item.ref ?? item.conflictRef ?? itemId;
    if (!claimed || item.kind !== "draft") {
      throw conflict(`${ref} does not need adjudication: ${item.status === "pending" ? "its approvals are not complete yet" : `it is ${item.status}`}.`, {
        reason: "not_disputed",
        status: item.status,
      });
    }
    const artifact = { id: item.artifactId!, ref: item.ref!, version: item.currentVersion!, status: item.artifactStatus! };
    const refusal = decisionRefusal({ actorId: actor.userId, runStartedById: null, versionEditedById: item.editedById, action: adjudication.action, ref: artifact.ref });
    if (refusal) throw forbidden(refusal);
    const status = statusAfter[adjudication.action];
    await setArtifactStatus(tx, artifact.id, { status, now });
    const id = await insertDecision(tx, {
      reviewItemId: item.id,
      artifactId: artifact.id,
      version: item.version,
      action: adjudication.action,
      comment: adjudication.comment,
      label: ADJUDICATED_LABEL,
      changedFields: [],
      editDistance: 0,
      durationMs: null,
      decidedById: actor.userId,
      createdAt: now,
    });
    const redraftQueued =
      adjudication.action === "reject" &&
      (await queueRedraftAfterRejection(tx, { artifactId: artifact.id, decisionId: id, ref: artifact.ref, version: item.version, comment: adjudication.comment, projectId: item.projectId, stageId: item.stageId, actor }));
    const before = item.content as Record<string, unknown>;
    const label =
      item.version === 1
        ? await recordDraftLabel(tx, { artifactId: artifact.id, item, outcome: labelOf[adjudication.action], before, after: null, editDistance: 0, durationMs: null, actor })
        : null;
    await recordAudit(tx, {
      actor,
      action: "review.adjudicated",
      subjectType: "artifact",
      subjectId: artifact.id,
      projectId: item.projectId,
      before: { ref: artifact.ref, version: artifact.version, status: artifact.status, itemStatus: "needs_adjudication", approvals: item.tally.approvals, rejections: item.tally.rejections },
      after: { ref: artifact.ref, version: artifact.version, status, outcome: adjudication.action },
      reason: adjudication.comment,
    });
    await emitEvent(tx, "review_item.decided", {
      reviewItemId: item.id,
      projectId: item.projectId,
      stageId: item.stageId,
      ref: artifact.ref,
      artifactId: artifact.id,
      action: adjudication.action,
      status,
      version: artifact.version,
      decidedBy: actor.email,
      adjudicated: true,
    }, { anyActive: item.webhooksActive });
    const resumed = item.runId && !redraftQueued ? await resumeRunIfReviewed(tx, item.runId) : false;
    return { id, artifactId: artifact.id, status, version: artifact.version, tally: item.tally, requiredApprovals: item.requiredApprovals, projectId: item.projectId, resumed, labels: label ? [label] : [], now };
  });
  if (result.resumed) wakeWorker();
  await afterLabelsRecorded(result.labels, { projectId: result.projectId });
  return {
    id: result.id,
    action: adjudication.action,
    artifactId: result.artifactId,
    status: result.status,
    version: result.version,
    approvals: result.tally.approvals,
    requiredApprovals: result.requiredApprovals,
    undoableUntil: undoableUntil(result.now).toISOString(),
  };
}

/** The open conflict a draft is a side of; only its stage's open conflicts are read. */
async function openConflictOf(tx: Tx, artifactId: string, stageId: string) {
  const open = await openConflicts(tx, stageId);
  return open.find((candidate) => candidate.sides.some((side) => side.artifactId === artifactId)) ?? null;
}

/**
 * Resolving a conflict keeps the sides named (they stay in the queue for their own review) and
 * rejects the others with the resolver's reason. Keeping every side says both are valid, which
 * needs a reason too.
 */
async function resolveConflict(tx: Tx, actor: UserActor, item: ClaimedTarget, decision: DecisionInput, previousDecisionAt: Date | null): Promise<Omit<DecisionOutcome, "resumed">> {
  const record = { id: item.conflictId!, ref: item.conflictRef!, sides: item.conflictSides as ConflictSide[] };
  if (decision.action !== "resolve") throw invalid(`${record.ref} is a conflict: resolve it by naming the sides to keep.`);
  const sides = record.sides.filter((side): side is Extract<ConflictSide, { artifactId: string }> => side.artifactId !== null);
  const sideIds = new Set(sides.map((side) => side.artifactId));
  const keep = [...new Set(decision.keep ?? [])];
  const strangers = keep.filter((id) => !sideIds.has(id));
  if (strangers.length > 0) throw invalid(`${strangers.join(", ")} ${strangers.length === 1 ? "is not a drafted side" : "are not drafted sides"} of ${record.ref}; its drafted sides are ${sides.map((s) => `${s.ref} (${s.artifactId})`).join(", ")}.`);
  if (keep.length === sides.length && !decision.comment) throw invalid(`Keeping every drafted side of ${record.ref} says the contradiction does not hold: give the reason in a comment.`, [{ path: "comment", message: "required when every drafted side is kept" }]);
  if (decision.version !== item.version) throw conflict(`You decided on version ${decision.version} of ${record.ref}, but it is version ${item.version}.`, { reason: "stale_version", currentVersion: item.version });
  const refusal = decisionRefusal({ actorId: actor.userId, runStartedById: item.runStartedById, versionEditedById: null, action: "resolve", ref: record.ref });
  if (refusal) throw forbidden(refusal);
  const now = new Date();
  assertClaimed(item, record.ref, now);
  const durationMs = decisionDuration(previousDecisionAt, now);
  const keptRefs = sides.filter((side) => keep.includes(side.artifactId)).map((side) => side.ref);
  const dropped = sides.filter((side) => !keep.includes(side.artifactId));
  const comment = decision.comment || `Kept ${keptRefs.join(", ") || "no side"}.`;
  const labels: RecordedLabel[] = [];
  for (const side of dropped) {
    const label = await rejectSide(tx, actor, side, `Not kept when ${record.ref} was resolved: ${comment}`, now);
    if (label) labels.push(label);
  }
  await resolveConflictRow(tx, record.id, { keep, comment: decision.comment ?? null, by: actor.email }, now);
  const id = await insertDecision(tx, {
    reviewItemId: item.id,
    artifactId: null,
    version: item.version,
    action: "resolve",
    comment: decision.comment || null,
    label: "resolved",
    durationMs,
    decidedById: actor.userId,
    createdAt: now,
  });
  await recordAudit(tx, {
    actor,
    action: "conflict.resolved",
    subjectType: "conflict",
    subjectId: record.id,
    projectId: item.projectId,
    before: { ref: record.ref, status: "open", sides: sides.map((side) => side.ref) },
    after: { ref: record.ref, status: "resolved", kept: keptRefs, rejected: dropped.map((side) => side.ref) },
    reason: decision.comment || null,
  });
  return { id, action: "resolve", artifactId: null, status: "resolved", version: item.version, approvals: 0, requiredApprovals: item.requiredApprovals, decidedAt: now, labels };
}

/** Rejects a side of a resolved conflict: its pending review closes with the resolver's decision. */
async function rejectSide(tx: Tx, actor: UserActor, side: { artifactId: string }, comment: string, now: Date): Promise<RecordedLabel | null> {
  const artifact = await conflictSide(tx, side.artifactId);
  if (!artifact) throw notFound("The record");
  if (artifact.status === "rejected" || artifact.status === "superseded") return null;
  await setArtifactStatus(tx, artifact.id, { status: "rejected", now: new Date() });
  let label: RecordedLabel | null = null;
  if (artifact.pendingId) {
    await markDecided(tx, artifact.pendingId, now);
    await insertDecision(tx, {
      reviewItemId: artifact.pendingId,
      artifactId: artifact.id,
      version: artifact.currentVersion,
      action: "reject",
      comment,
      label: "rejected",
      changedFields: [],
      editDistance: 0,
      durationMs: null,
      decidedById: actor.userId,
      createdAt: now,
    });
    if (artifact.currentVersion === 1) {
      const pending = { reasons: artifact.pendingReasons, stageId: artifact.pendingStageId! };
      label = await recordDraftLabel(tx, { artifactId: artifact.id, item: pending, outcome: "rejected", before: artifact.content as Record<string, unknown>, after: null, editDistance: 0, durationMs: null, actor });
    }
  }
  await recordAudit(tx, {
    actor,
    action: "review.rejected",
    subjectType: "artifact",
    subjectId: artifact.id,
    projectId: artifact.projectId,
    before: { ref: artifact.ref, version: artifact.currentVersion, status: artifact.status },
    after: { ref: artifact.ref, version: artifact.currentVersion, status: "rejected" },
    reason: comment,
  });
  return label;
}
