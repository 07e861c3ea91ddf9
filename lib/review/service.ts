import type { Prisma } from "@/lib/generated/sqlite/client";
import type { UserActor } from "@/lib/actors";
import { assertCan, rolesFor } from "@/lib/access";
import { can } from "@/lib/authz";
import { recordAudit } from "@/lib/audit/service";
import { db } from "@/lib/db";
import { conflict, invalid, notFound } from "@/lib/errors";
import { resumeRunIfReviewed } from "@/lib/pipeline/service";
import { wakeWorker } from "@/lib/pipeline/worker";
import { requirementContentSchema, userStoryContentSchema, type SourceQuote } from "@/lib/requirements/schema";
import { transact } from "@/lib/transaction";
import { findPassage } from "./passages";
import { decisionSchema, type ReviewQuery } from "./schema";

const itemView = {
  stage: { select: { key: true, projectId: true, project: { select: { name: true } } } },
  artifact: { include: { versions: true, routings: { orderBy: { createdAt: "desc" }, take: 1 } } },
  decisions: { orderBy: { createdAt: "desc" }, take: 1, include: { decidedBy: { select: { email: true, name: true } } } },
} as const;

type ItemRow = Prisma.ReviewItemGetPayload<{ include: typeof itemView }>;

/** The queue: items in the stages the actor reviews or owns (admins see every stage). */
export async function listReviewItems(actor: UserActor, query: ReviewQuery) {
  if (query.projectId) await assertCan(actor, "projects:read", { projectId: query.projectId });
  if (query.cursor && !(await db().reviewItem.findUnique({ where: { id: query.cursor }, select: { id: true } }))) {
    throw invalid("The cursor is not one this list gave out; start again without it.");
  }
  const items = await db().reviewItem.findMany({
    where: {
      ...(query.status === "all" ? {} : { status: query.status }),
      ...(query.projectId ? { projectId: query.projectId } : {}),
      stage: {
        ...(query.stage ? { key: query.stage } : {}),
        ...(actor.role === "admin" ? {} : { OR: [{ reviewers: { some: { userId: actor.userId } } }, { ownerId: actor.userId }] }),
      },
    },
    include: itemView,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: query.limit + 1,
    ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
  });
  const page = items.slice(0, query.limit);
  const sources = await sourcesFor(page);
  const decidable = await decidableStages(actor, page);
  return {
    items: page.map((item) => presentItem(item, sources, decidable.has(item.stageId))),
    nextCursor: items.length > query.limit ? page[page.length - 1].id : null,
  };
}

async function decidableStages(actor: UserActor, items: ItemRow[]): Promise<Set<string>> {
  const stageIds = new Set<string>();
  for (const item of items) {
    if (stageIds.has(item.stageId)) continue;
    const roles = await rolesFor(actor, { projectId: item.projectId, stage: item.stage.key });
    if (can(roles, "review:decide")) stageIds.add(item.stageId);
  }
  return stageIds;
}

async function sourcesFor(items: ItemRow[]) {
  const projectIds = [...new Set(items.map((item) => item.projectId))];
  const sources = await db().source.findMany({ where: { projectId: { in: projectIds } }, select: { id: true, title: true, text: true } });
  return new Map(sources.map((s) => [s.id, s]));
}

function presentItem(item: ItemRow, sources: Map<string, { id: string; title: string; text: string }>, canDecide: boolean) {
  const version = item.artifact.versions.find((v) => v.version === item.version) ?? item.artifact.versions[0];
  const content = version.content as Record<string, unknown>;
  const quotes = Array.isArray(content.sources) ? (content.sources as SourceQuote[]) : [];
  const decision = item.decisions[0];
  return {
    id: item.id,
    artifactId: item.artifactId,
    ref: item.artifact.ref,
    kind: item.artifact.kind,
    projectId: item.projectId,
    projectName: item.stage.project.name,
    stage: item.stage.key,
    version: item.version,
    currentVersion: item.artifact.currentVersion,
    status: item.status,
    artifactStatus: item.artifact.status,
    reasons: item.reasons as { code: string; detail: string }[],
    content,
    confidence: version.confidence,
    model: version.model,
    citations: quotes.map((quote) => {
      const source = sources.get(quote.sourceId);
      return {
        sourceId: quote.sourceId,
        sourceTitle: source?.title ?? "(unknown source)",
        quote: quote.quote,
        passage: source ? findPassage(source.text, quote.quote) : null,
      };
    }),
    canDecide,
    createdAt: item.createdAt.toISOString(),
    decision: decision
      ? { action: decision.action, by: decision.decidedBy, at: decision.createdAt.toISOString(), comment: decision.comment }
      : null,
  };
}
export type ReviewItemView = ReturnType<typeof presentItem>;

function editedContent(kind: string, current: unknown, edit: Record<string, unknown>) {
  const merged = { ...(current as Record<string, unknown>), ...edit };
  const schema = kind === "user_story" ? userStoryContentSchema : requirementContentSchema;
  const parsed = schema.safeParse(merged);
  if (!parsed.success) {
    throw invalid(
      `The edited ${kind.replace("_", " ")} is not valid: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
      parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    );
  }
  return parsed.data;
}

const artifactStatusAfter = { approve: "approved", edit: "approved", reject: "rejected" } as const;

export async function decideReviewItem(actor: UserActor, itemId: string, input: unknown) {
  const decision = decisionSchema.parse(input);
  const target = await db().reviewItem.findUnique({ where: { id: itemId }, select: { projectId: true, stage: { select: { key: true } } } });
  if (!target) throw notFound("The review item");
  await assertCan(actor, "review:decide", { projectId: target.projectId, stage: target.stage.key });
  const result = await transact(async (tx) => {
    const item = await tx.reviewItem.findUniqueOrThrow({ where: { id: itemId }, include: { artifact: { include: { versions: true } } } });
    const { artifact } = item;
    if (decision.version !== artifact.currentVersion || item.version !== artifact.currentVersion) {
      throw conflict(
        `You decided on version ${decision.version} of ${artifact.ref}, but its current version is ${artifact.currentVersion}. Reload it and decide again.`,
        { reason: "stale_version", currentVersion: artifact.currentVersion },
      );
    }
    if (item.status !== "pending") {
      throw conflict(`${artifact.ref} was already ${item.status === "cancelled" ? "withdrawn by a newer run" : "decided"}.`, {
        reason: "already_decided",
        status: item.status,
      });
    }
    // Compare-and-set: of two reviewers deciding at once, exactly one wins.
    const { count } = await tx.reviewItem.updateMany({ where: { id: item.id, status: "pending" }, data: { status: "decided", decidedAt: new Date() } });
    if (count !== 1) throw conflict(`${artifact.ref} was already decided.`, { reason: "already_decided" });

    const current = artifact.versions.find((v) => v.version === artifact.currentVersion)!;
    let newVersion: number | null = null;
    let content: unknown = null;
    if (decision.action === "edit") {
      content = editedContent(artifact.kind, current.content, decision.content!);
      newVersion = artifact.currentVersion + 1;
      await tx.artifactVersion.create({
        data: { artifactId: artifact.id, version: newVersion, content: content as Prisma.InputJsonValue, editedById: actor.userId },
      });
    }
    const status = artifactStatusAfter[decision.action];
    await tx.artifact.update({
      where: { id: artifact.id },
      data: { status, ...(newVersion ? { currentVersion: newVersion } : {}) },
    });
    const record = await tx.reviewDecision.create({
      data: {
        reviewItemId: item.id,
        artifactId: artifact.id,
        version: decision.version,
        action: decision.action,
        comment: decision.comment || null,
        content: content === null ? undefined : (content as Prisma.InputJsonValue),
        newVersion,
        decidedById: actor.userId,
      },
    });
    await recordAudit(tx, {
      actor,
      action: `review.${decision.action === "edit" ? "edited" : decision.action === "approve" ? "approved" : "rejected"}`,
      subjectType: "artifact",
      subjectId: artifact.id,
      projectId: item.projectId,
      before: { ref: artifact.ref, version: artifact.currentVersion, status: artifact.status, content: current.content },
      after: { ref: artifact.ref, version: newVersion ?? artifact.currentVersion, status, ...(content ? { content } : {}) },
      reason: decision.comment || null,
    });
    const resumed = await resumeRunIfReviewed(tx, artifact.runId);
    return { id: record.id, action: record.action, artifactId: artifact.id, status, version: newVersion ?? artifact.currentVersion, resumed };
  });
  if (result.resumed) wakeWorker();
  const { resumed: _resumed, ...body } = result;
  return body;
}
