import { routingReasonCodes, type RoutingReasonCode } from "@/lib/routing/schema";

/**
 * What people read about why an item is in the queue. Routing and the checks record codes
 * (`low_confidence`, `ambiguous_pronoun`); reviewers never see a code, only these words.
 * reason-text.test.ts checks every code the rules and the kinds' checks can produce has words.
 */

export type ReasonText = { label: string; explanation: string };

export const routingReasonText = {
  low_confidence: { label: "Drafter not confident", explanation: "The drafter rated its own confidence below what the policy accepts." },
  model_unsure: { label: "Drafter unsure", explanation: "The drafter said what it was unsure about." },
  malformed: { label: "Badly formed", explanation: "The draft is not written the way this kind of item must be." },
  unfaithful: { label: "Differs from source", explanation: "The draft says something its cited passage does not say." },
  suspected_injection: {
    label: "Suspicious source text",
    explanation: "The source contains text that reads like instructions to the drafter; check the draft did not follow them.",
  },
  quality_flag: { label: "Wording problem", explanation: "A wording check found something a reader could misunderstand." },
  wording_note: {
    label: "Wording could be clearer",
    explanation: "A wording check suggests a clearer statement. On its own it would not have sent the draft to you; fix it if you agree.",
  },
  conflict: { label: "Sources disagree", explanation: "Sources say different things; choose which to keep." },
  high_cost: { label: "Costly to draft", explanation: "Drafting it cost more than the policy allows without a person looking." },
  always_review: { label: "Always reviewed", explanation: "The policy sends every item of this step to a person." },
  ungrounded: { label: "Quote not found", explanation: "A quote the draft relies on cannot be found in its source." },
  contract_violation: { label: "Draft incomplete", explanation: "The drafter's reply did not have the required shape, even after a repair." },
  provider_error: { label: "Model failed", explanation: "The drafting model failed, so a weaker draft was kept." },
  insufficient_evidence: {
    label: "Too few past decisions",
    explanation: "Not enough decisions yet to trust auto-approval for drafts like this one.",
  },
  below_threshold: {
    label: "Likely to need changes",
    explanation: "Past decisions say drafts like this are too often changed or rejected to approve them automatically.",
  },
  audit_sample: {
    label: "Random check",
    explanation: "This would have been auto-approved; a few such drafts are picked at random so people keep checking auto-approval.",
  },
  edited: { label: "Edited: needs a second person", explanation: "Someone edited this draft; another person must approve the edited version." },
} satisfies Record<RoutingReasonCode, ReasonText>;

/**
 * A check's finding in a few words, as it appears inside a reason's detail. Kept free of the
 * checks' modules so the browser bundle stays small; the test holds it to every kind's codes.
 */
export const checkFlagText: Record<string, string> = {
  vague_wording: "vague wording",
  unmeasurable: "nothing to measure",
  ambiguous_pronoun: "unclear \u201cit\u201d or \u201cthey\u201d",
  compound: "several requirements in one",
  malformed: "badly formed",
  unfaithful: "differs from its source",
  suspected_injection: "suspicious source text",
  tautological_story: "the story's benefit repeats its goal",
  untestable_criterion: "an acceptance criterion nobody can test",
  untraced: "not linked to what it was drafted from",
  no_real_alternative: "no real alternative considered",
  vague_decision: "vague decision",
  vague_rollback: "vague rollback",
  no_rollback_trigger: "no clear signal to roll back",
  unmitigated: "a high-impact risk without a real mitigation",
  operation_not_traced: "an operation serves no linked story",
  vague_operation: "an operation with a vague name",
  duplicate_operation: "the same operation twice",
  story_not_traced: "a story it names is not linked",
  depends_on_later: "depends on a later milestone",
  vague_goal: "vague goal",
  oversized: "too many stories",
  change_not_traced: "a change without a linked story",
  internal_wording: "internal jargon",
  unmeasurable_alert: "an alert without a threshold",
  vague_step: "a vague step",
  uncheckable_done: "nobody can check when it is done",
  restates_criterion: "repeats the criterion instead of testing it",
  untestable_outcome: "an expected result nobody can check",
};

const unknownReason: ReasonText = { label: "Needs a person", explanation: "A rule sent this item to people." };

function isRoutingCode(code: string): code is RoutingReasonCode {
  return (routingReasonCodes as readonly string[]).includes(code);
}

/** The label and explanation of a stored reason code; an unknown code still reads as words. */
export function reasonText(code: string): ReasonText {
  return isRoutingCode(code) ? routingReasonText[code] : unknownReason;
}

const flagPattern = new RegExp(`\\b(${Object.keys(checkFlagText).sort((a, b) => b.length - a.length).join("|")})\\b`, "g");

/**
 * A stored detail as a sentence for people: check codes become words, and the drafter's
 * draft-local ids (R13) are dropped, as nobody outside the run knows them.
 */
export function plainDetail(detail: string): string {
  const words = detail
    .replace(flagPattern, (code) => checkFlagText[code])
    .replace(/\bR\d+: /g, "")
    .replace(/,? ?\bR\d+\b,?/g, "")
    .replace(/\(\s*\)/g, "")
    .replace(/\s{2,}/g, " ")
    .replace(/\s+([,.;:)])/g, "$1")
    .trim();
  if (!words) return words;
  return words.charAt(0).toUpperCase() + words.slice(1) + (/[.!?\u2026"\u201d]$/.test(words) ? "" : ".");
}

/** Every reason an item carries, in words: what to show in the list (label) and on the card. */
export function plainReasons(reasons: readonly { code: string; detail: string }[]): { code: string; label: string; explanation: string; detail: string }[] {
  return reasons.map((reason) => ({ code: reason.code, ...reasonText(reason.code), detail: plainDetail(reason.detail) }));
}

/** Filter options for the queue: every routing reason by its label. */
export const reasonFilterOptions = routingReasonCodes.map((code) => ({ value: code, label: routingReasonText[code].label }));
