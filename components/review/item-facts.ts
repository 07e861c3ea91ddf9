import type { ReviewItem } from "@/lib/review/queries";

/**
 * Facts about a queue item that the list and the card both show, in words, in one place: who
 * holds it, how many approvals it has, and how long it has waited.
 */
export type ItemClaim = NonNullable<ReviewItem["claim"]>;

/** The live claim on an item, if any (the queue omits expired ones). */
export function claimOf(item: ReviewItem): ItemClaim | null {
  return item.claim;
}

/** Held by someone else: "next" skips it and deciding it is refused. */
export function heldByOther(item: ReviewItem): boolean {
  return item.claim !== null && !item.claim.mine;
}

/** "1 of 2 approvals" when the policy asks for more than one approval; null when one is enough. */
export function approvalsText(item: ReviewItem): string | null {
  return item.requiredApprovals > 1 ? `${item.approvals} of ${item.requiredApprovals} approvals` : null;
}

/** A span of time, short: "new" (under a minute), "4 min", "3 h", "2 d". */
function spanText(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 1) return "new";
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} d`;
}

/** How long an item has waited. */
export function ageText(createdAt: string, now: number): string {
  return spanText(now - new Date(createdAt).getTime());
}

/** The same, as words for screen readers and tooltips. */
export function ageWords(createdAt: string, now: number): string {
  const text = ageText(createdAt, now);
  if (text === "new") return "waiting less than a minute";
  const [value, unit] = text.split(" ");
  const word = unit === "min" ? "minute" : unit === "h" ? "hour" : "day";
  return `waiting ${value} ${word}${value === "1" ? "" : "s"}`;
}

const ladderWords = ["", "reviewers reminded", "stage owner told", "fallback owner told"];

/** The item's due time in words ("due in 3 h", "overdue 2 d · stage owner told"); null without an SLA. */
export function slaText(item: ReviewItem, now: number): { text: string; overdue: boolean } | null {
  if (!item.sla) return null;
  const due = new Date(item.sla.dueAt).getTime();
  const step = ladderWords[item.sla.level] ? ` · ${ladderWords[item.sla.level]}` : "";
  if (!item.sla.overdue && due > now) return { text: `due in ${spanText(due - now).replace("new", "a minute")}`, overdue: false };
  return { text: `overdue ${spanText(now - due).replace("new", "just now")}${step}`, overdue: true };
}
