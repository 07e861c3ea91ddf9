import type { UserActor } from "@/lib/actors";
import { assertCan } from "@/lib/access";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import type { StageKey } from "@/lib/generated/sqlite/enums";
import { pendingReviewCount } from "@/lib/review/views";
import { feedStream, versionOf, type StreamOptions } from "./event-stream";
import { isFinalRun } from "./schema";

/**
 * The live feeds pages subscribe to (components/live/live-refresh.tsx): a run's progress, and
 * the signed-in user's counts for the nav badge and the review queue. Each state is small and
 * read with one cheap query, because every open page reads it once a second.
 */

/** What changes while a run works: its status, each step's status, attempts and cost, calls made, drafts waiting for people. */
export async function runProgress(runId: string) {
  const run = await db().run.findUnique({
    where: { id: runId },
    select: {
      id: true,
      status: true,
      error: true,
      blockedReason: true,
      costUsd: true,
      finishedAt: true,
      steps: { select: { id: true, key: true, status: true, attempts: true, costUsd: true, finishedAt: true }, orderBy: { position: "asc" } },
      _count: { select: { modelCalls: true, reviewItems: { where: { status: "pending" } } } },
    },
  });
  if (!run) return null;
  return {
    id: run.id,
    status: run.status,
    error: run.error,
    blockedReason: run.blockedReason,
    costUsd: run.costUsd,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    modelCalls: run._count.modelCalls,
    pendingReviews: run._count.reviewItems,
    steps: run.steps.map((step) => ({ ...step, finishedAt: step.finishedAt?.toISOString() ?? null })),
  };
}
export type RunProgress = NonNullable<Awaited<ReturnType<typeof runProgress>>>;

/** The user's counts shown in the nav: review items they may decide, notifications they have not read. */
export async function liveCounts(actor: UserActor) {
  const [pendingReviews, unreadNotifications] = await Promise.all([
    pendingReviewCount(actor),
    db().notification.count({ where: { userId: actor.userId, readAt: null } }),
  ]);
  return { pendingReviews, unreadNotifications };
}
export type LiveCounts = Awaited<ReturnType<typeof liveCounts>>;

/** Server-Sent Events of a run's progress until it completes or fails, for those who may read its project. */
export async function runEvents(actor: UserActor, runId: string, options: StreamOptions): Promise<ReadableStream<Uint8Array>> {
  const run = await db().run.findUnique({ where: { id: runId }, select: { projectId: true } });
  if (!run) throw notFound("The run");
  await assertCan(actor, "projects:read", { projectId: run.projectId });
  return feedStream({ event: "run", read: () => runProgress(runId), isFinal: (progress) => isFinalRun(progress.status) }, options);
}

/** Server-Sent Events of the signed-in user's counts. */
export function countEvents(actor: UserActor, options: StreamOptions): ReadableStream<Uint8Array> {
  return feedStream({ event: "counts", read: () => liveCounts(actor) }, options);
}

/**
 * A run's version as its feed would send it now, for a page to pass as `since`: read before the
 * page's own data, so a change in between costs one refresh rather than being missed. Like
 * latestRunVersion it reveals only an opaque version; the page checks access for what it shows.
 */
export async function runVersion(runId: string): Promise<string | null> {
  const progress = await runProgress(runId);
  return progress && versionOf(progress);
}

export function countsVersion(counts: LiveCounts): string {
  return versionOf(counts);
}

/**
 * The latest run of a stage and its version, for a stage page to read before its own data.
 * Reveals only an id and an opaque version; the page checks access for what it shows.
 */
export async function latestRunVersion(projectId: string, stage: StageKey): Promise<{ runId: string; version: string } | null> {
  const run = await db().run.findFirst({ where: { projectId, stage: { key: stage } }, orderBy: { createdAt: "desc" }, select: { id: true } });
  const version = run && (await runVersion(run.id));
  return run && version ? { runId: run.id, version } : null;
}
