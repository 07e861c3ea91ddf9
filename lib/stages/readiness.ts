import { draftingRunStatuses } from "@/lib/pipeline/schema";
import type { StageStatus } from "@/lib/generated/sqlite/enums";
import type { StageKey } from "@/lib/generated/sqlite/enums";
import type { db, Tx } from "@/lib/db";
import { signOffRefusal } from "@/lib/review/duties";
import { stageLabels } from "./stages";

/**
 * Whether a stage may be signed off, and if not why: the one home of that rule, used by the
 * sign-off itself and by every page that says whether a stage is ready.
 */
export type SignOffFacts = {
  key: StageKey;
  status: StageStatus;
  openConflicts: { id: string; ref: string; description: string }[];
  pending: number;
  /** Drafts whose approvers disagreed, waiting for the owner's adjudication. */
  needsAdjudication: { id: string; ref: string }[];
  /** Who decided each decided item of the stage (one entry per decision). */
  deciderIds: string[];
  drafting: boolean;
  approved: number;
  /** References of the stage's stale work (neither replaced nor rejected). */
  stale: string[];
};

export type SignOffBlocker = { code: "conflict" | "forbidden"; message: string; details?: Record<string, unknown> };

/** The first reason the owner cannot sign off now, or null. Pure. */
export function signOffBlocker(facts: SignOffFacts, ownerId: string): SignOffBlocker | null {
  const label = stageLabels[facts.key];
  if (facts.status === "locked") return { code: "conflict", message: `The ${label} stage is locked until the stage before it is signed off.` };
  if (facts.status === "signed_off") return { code: "conflict", message: `The ${label} stage is already signed off.` };
  if (facts.openConflicts.length > 0) {
    const named = facts.openConflicts.map((c) => `${c.ref} (${c.description})`).join("; ");
    return {
      code: "conflict",
      message: `${named} ${facts.openConflicts.length === 1 ? "is" : "are"} not resolved. Resolve every conflict before signing off.`,
      details: { reason: "open_conflicts", conflicts: facts.openConflicts.map(({ id, ref }) => ({ id, ref })) },
    };
  }
  if (facts.needsAdjudication.length > 0) {
    const refs = facts.needsAdjudication.map((item) => item.ref);
    const one = refs.length === 1;
    return {
      code: "conflict",
      message: `${refs.join(", ")} ${one ? "needs" : "need"} adjudication: ${one ? "its approvers disagree" : "their approvers disagree"}. Settle ${one ? "it" : "them"} before signing off.`,
      details: { reason: "needs_adjudication", items: facts.needsAdjudication },
    };
  }
  if (facts.pending > 0) {
    return {
      code: "conflict",
      message: `${facts.pending} item${facts.pending === 1 ? " is" : "s are"} still waiting for review in this stage. Decide them before signing off.`,
      details: { pending: facts.pending },
    };
  }
  const refusal = signOffRefusal({ ownerId, deciderIds: facts.deciderIds });
  if (refusal) return { code: "forbidden", message: refusal };
  if (facts.drafting) return { code: "conflict", message: "A run of this stage is still drafting. Sign off once it has finished." };
  if (facts.stale.length > 0) {
    const one = facts.stale.length === 1;
    const named = facts.stale.length > 3 ? `${facts.stale.slice(0, 3).join(", ")} and ${facts.stale.length - 3} more` : facts.stale.join(", ");
    return {
      code: "conflict",
      message: `${named} ${one ? "is" : "are"} stale: something ${one ? "it was" : "they were"} drafted from changed. Run the stage again to re-draft ${one ? "it" : "them"}, or revise ${one ? "it" : "them"}, before signing off.`,
      details: { reason: "stale", refs: facts.stale },
    };
  }
  if (facts.approved === 0) {
    return { code: "conflict", message: "Nothing has been approved in this stage yet. Run the stage and review its drafts first." };
  }
  return null;
}

export async function signOffFacts(client: Tx | ReturnType<typeof db>, stage: { id: string; key: StageKey; status: StageStatus }): Promise<SignOffFacts> {
  const [openConflicts, pending, disputed, deciders, drafting, approved, stale] = await Promise.all([
    client.conflict.findMany({ where: { stageId: stage.id, status: "open" }, select: { id: true, ref: true, description: true }, orderBy: { createdAt: "asc" } }),
    client.reviewItem.count({ where: { stageId: stage.id, status: "pending" } }),
    client.reviewItem.findMany({ where: { stageId: stage.id, status: "needs_adjudication" }, select: { id: true, artifact: { select: { ref: true } } }, orderBy: { createdAt: "asc" } }),
    client.reviewDecision.findMany({ where: { reviewItem: { stageId: stage.id, status: "decided" }, undoneAt: null }, select: { decidedById: true } }),
    client.run.count({ where: { stageId: stage.id, status: { in: [...draftingRunStatuses] } } }),
    client.artifact.count({ where: { stageId: stage.id, status: { in: ["approved", "auto_approved"] } } }),
    client.artifact.findMany({ where: { stageId: stage.id, stale: true, status: { notIn: ["superseded", "rejected"] } }, select: { ref: true }, orderBy: { createdAt: "asc" } }),
  ]);
  return {
    key: stage.key,
    status: stage.status,
    openConflicts,
    pending,
    needsAdjudication: disputed.map((item) => ({ id: item.id, ref: item.artifact?.ref ?? item.id })),
    deciderIds: deciders.map((d) => d.decidedById),
    drafting: drafting > 0,
    approved,
    stale: stale.map((artifact) => artifact.ref),
  };
}
