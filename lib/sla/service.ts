import { z } from "zod";
import { systemActor } from "@/lib/actors";
import { recordAudit } from "@/lib/audit/service";
import { db, type Tx } from "@/lib/db";
import { emitEvent } from "@/lib/events/emit";
import { defineQueue } from "@/lib/jobs";
import { notify } from "@/lib/notifications/notify";
import { stageLabels } from "@/lib/stages/stages";
import { transact } from "@/lib/transaction";
import { ladderStep, rungTime, slaLevels, type SlaLevel } from "./rules";

/**
 * The SLA sweep: a job every minute (lib/pipeline/worker.ts schedules it) that moves each
 * overdue pending item at most one rung up its stage's ladder (lib/sla/rules.ts), tells the
 * people of that rung, and records what happened on the item (slaLevel) and in the audit trail
 * (sla.reminded, sla.escalated). It never decides an item.
 *
 * Due times are not written when items are created (several paths create them); the sweep
 * computes them from createdAt and the stage's setting, and caches in ReviewItem.dueAt the time
 * the item next needs it (the first due time, then the next rung's), so each sweep reads only
 * the items that are due by the index ReviewItem(status, dueAt), plus those not yet computed.
 * Changing a stage's SLA clears the cache (lib/stages/service.ts).
 */
const SWEEP_BATCH = 500;
const sweeper = systemActor("sla");

export type SweepResult = { checked: number; reminded: number; escalated: number };

type Candidate = Awaited<ReturnType<typeof dueCandidates>>[number];

function dueCandidates(now: Date) {
  return db().reviewItem.findMany({
    where: {
      status: "pending",
      slaLevel: { lt: slaLevels.fallbackOwner },
      stage: { slaMinutes: { not: null } },
      OR: [{ dueAt: null }, { dueAt: { lte: now } }],
      // Past the owner with no fallback owner, the ladder has ended until an admin names one.
      NOT: { slaLevel: { gte: slaLevels.owner }, stage: { fallbackOwnerId: null } },
    },
    select: {
      id: true,
      createdAt: true,
      slaLevel: true,
      dueAt: true,
      claimedById: true,
      claimExpiresAt: true,
      projectId: true,
      stageId: true,
      artifact: { select: { ref: true } },
      conflict: { select: { ref: true } },
      stage: {
        select: { key: true, slaMinutes: true, slaBusinessHours: true, ownerId: true, fallbackOwnerId: true, reviewers: { select: { userId: true } } },
      },
    },
    orderBy: [{ dueAt: "asc" }, { createdAt: "asc" }],
    take: SWEEP_BATCH,
  });
}

/** Moves every due item one rung (at most); `now` is injected so tests control the clock. */
export async function sweepSla(now = new Date()): Promise<SweepResult> {
  const result: SweepResult = { checked: 0, reminded: 0, escalated: 0 };
  for (const item of await dueCandidates(now)) {
    result.checked += 1;
    const climbed = await climb(item, now);
    if (climbed === slaLevels.reminded) result.reminded += 1;
    else if (climbed !== null) result.escalated += 1;
  }
  return result;
}

/** Who hears of a rung: the claimer (or else the reviewers), the owner, the fallback owner. */
function rungAudience(item: Candidate, level: Exclude<SlaLevel, 0>, now: Date): string[] {
  if (level === slaLevels.reminded) {
    const claimLive = item.claimedById && item.claimExpiresAt && item.claimExpiresAt.getTime() > now.getTime();
    return claimLive ? [item.claimedById!] : item.stage.reviewers.map((reviewer) => reviewer.userId);
  }
  const person = level === slaLevels.owner ? item.stage.ownerId : item.stage.fallbackOwnerId;
  return person ? [person] : [];
}

/** The audience and whoever holds their roles now through a delegation (someone out of office is not the only one told). */
async function withDelegates(tx: Tx, userIds: string[], item: Candidate, now: Date): Promise<string[]> {
  if (userIds.length === 0) return [];
  const delegations = await tx.delegation.findMany({
    where: {
      fromUserId: { in: userIds },
      revokedAt: null,
      startsAt: { lte: now },
      endsAt: { gt: now },
      AND: [{ OR: [{ projectId: null }, { projectId: item.projectId }] }, { OR: [{ stageId: null }, { stageId: item.stageId }] }],
    },
    select: { toUserId: true },
  });
  return [...new Set([...userIds, ...delegations.map((delegation) => delegation.toUserId)])];
}

async function climb(item: Candidate, now: Date): Promise<SlaLevel | null> {
  const settings = { slaMinutes: item.stage.slaMinutes!, businessHours: item.stage.slaBusinessHours };
  const level = item.slaLevel as SlaLevel;
  const step = ladderStep({ createdAt: item.createdAt, settings, level, hasFallbackOwner: item.stage.fallbackOwnerId !== null, now });
  const reached = step.next ?? level;
  // When the item next needs the sweep: the following rung's time (the last rung's stays once the ladder has ended).
  const nextDueAt = reached === slaLevels.none ? step.dueAt : rungTime(item.createdAt, settings, Math.min(reached + 1, slaLevels.fallbackOwner) as Exclude<SlaLevel, 0>);
  return transact(async (tx) => {
    // Compare-and-set on the rung: a second sweeper, or a decision in between, changes nothing twice.
    const { count } = await tx.reviewItem.updateMany({
      where: { id: item.id, status: "pending", slaLevel: level },
      data: { slaLevel: reached, dueAt: nextDueAt },
    });
    if (count !== 1 || step.next === null) return null;
    await tell(tx, item, step.next, step.dueAt, now);
    return step.next;
  });
}

async function tell(tx: Tx, item: Candidate, level: Exclude<SlaLevel, 0>, dueAt: Date, now: Date) {
  const ref = item.artifact?.ref ?? item.conflict?.ref ?? item.id;
  const stage = stageLabels[item.stage.key];
  const audience = await withDelegates(tx, rungAudience(item, level, now), item, now);
  const people = audience.length > 0 ? await tx.user.findMany({ where: { id: { in: audience } }, select: { id: true, email: true } }) : [];
  const emails = people.map((person) => person.email).sort();
  const rung = level === slaLevels.reminded ? "reviewers" : level === slaLevels.owner ? "stage owner" : "fallback owner";
  const overdueFor = `${ref} in ${stage} has waited for a decision since ${item.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC; it was due ${dueAt.toISOString().slice(0, 16).replace("T", " ")} UTC.`;
  const message =
    level === slaLevels.reminded ? `Reminder: ${overdueFor}` : `Escalated to you as ${rung}: ${overdueFor} Nothing is decided automatically.`;
  await notify(tx, {
    userIds: audience,
    projectId: item.projectId,
    kind: level === slaLevels.reminded ? "sla.reminded" : "sla.escalated",
    message,
    link: `/review?projectId=${item.projectId}&stage=${item.stage.key}`,
  });
  await recordAudit(tx, {
    actor: sweeper,
    action: level === slaLevels.reminded ? "sla.reminded" : "sla.escalated",
    subjectType: "review_item",
    subjectId: item.id,
    projectId: item.projectId,
    before: { ref, slaLevel: level - 1 },
    after: { ref, slaLevel: level, to: rung, notified: emails, dueAt: dueAt.toISOString() },
    reason: emails.length === 0 ? `No ${rung} to tell.` : null,
  });
  if (level !== slaLevels.reminded) {
    await emitEvent(tx, "sla.escalated", {
      reviewItemId: item.id,
      ref,
      projectId: item.projectId,
      stage: item.stage.key,
      level,
      escalatedTo: rung,
      notified: emails,
      dueAt: dueAt.toISOString(),
      at: now.toISOString(),
    });
  }
}

/** The job that runs the sweep; scheduled every minute with the other periodic jobs. */
export const slaSweep = defineQueue({
  name: "sla-sweep",
  data: z.object({}),
  singleton: true,
  retryLimit: 1,
  handle: async () => void (await sweepSla()),
});
