import clsx from "clsx";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { describeReason, routingReasonCodes, type RoutingReasonCode } from "@/lib/routing/rules";

/** Routing reasons in words (labels from the routing rules) and a colour per kind of risk. */
const reasonTone: Record<RoutingReasonCode, BadgeTone> = {
  low_confidence: "amber",
  model_unsure: "amber",
  malformed: "red",
  unfaithful: "red",
  suspected_injection: "red",
  quality_flag: "violet",
  conflict: "red",
  high_cost: "grey",
  always_review: "blue",
  ungrounded: "red",
  contract_violation: "red",
  provider_error: "red",
  insufficient_evidence: "amber",
  below_threshold: "grey",
  audit_sample: "teal",
  edited: "blue",
};

/**
 * Reasons a reviewer could misread as "something is wrong with this draft", explained first:
 * these say why the evidence, not the draft, sent it here.
 */
const reasonPreamble: Partial<Record<RoutingReasonCode, string>> = {
  audit_sample:
    "Audit sample: this would have been auto-approved; a few such drafts are picked at random so people keep checking that auto-approval is right.",
  insufficient_evidence: "Not enough decisions yet to trust auto-approval for drafts like this one.",
  below_threshold: "The measured chance that this draft is approved unchanged is below the bar for auto-approval.",
  edited: "Someone edited this draft; the edit needs a second person to approve it.",
};

export type Reason = { code: string; detail: string };

function isReasonCode(code: string): code is RoutingReasonCode {
  return (routingReasonCodes as readonly string[]).includes(code);
}

function reasonLabel(code: string): string {
  return isReasonCode(code) ? describeReason(code) : code.replaceAll("_", " ");
}

function toneOf(code: string): BadgeTone {
  return isReasonCode(code) ? reasonTone[code] : "grey";
}

/** Details are written as clauses ("confidence 0.55 is below ..."); shown as sentences. */
function sentence(detail: string): string {
  const trimmed = detail.trim();
  if (!trimmed) return trimmed;
  return trimmed.charAt(0).toUpperCase() + trimmed.slice(1) + (/[.!?…"]$/.test(trimmed) ? "" : ".");
}

/** Reads the stored JSON defensively: a list of { code, detail }. */
export function asReasons(value: unknown): Reason[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((r): r is { code: unknown; detail?: unknown } => typeof r === "object" && r !== null && "code" in r)
    .map((r) => ({ code: String(r.code), detail: typeof r.detail === "string" ? r.detail : "" }));
}

/** Compact chips; the detail sentence is in the tooltip and for screen readers. */
export function ReasonChips({ reasons, className }: { reasons: Reason[]; className?: string }) {
  if (reasons.length === 0) return null;
  return (
    <span className={clsx("inline-flex flex-wrap gap-1", className)}>
      {reasons.map((reason, index) => (
        <Badge key={`${reason.code}:${index}`} tone={toneOf(reason.code)} title={sentence(reason.detail)}>
          {reasonLabel(reason.code)}
          {reason.detail ? <span className="sr-only">: {sentence(reason.detail)}</span> : null}
        </Badge>
      ))}
    </span>
  );
}

/** Each reason as a chip followed by its detail sentence: why this item is in front of a person. */
export function ReasonList({ reasons }: { reasons: Reason[] }) {
  if (reasons.length === 0) return <p className="text-xs text-zinc-500">No routing reason recorded.</p>;
  return (
    <ul className="space-y-1" aria-label="Why this needs review">
      {reasons.map((reason, index) => (
        <li key={`${reason.code}:${index}`} className="flex items-start gap-2 text-[13px] leading-5">
          <Badge tone={toneOf(reason.code)} className="mt-px shrink-0">
            {reasonLabel(reason.code)}
          </Badge>
          <span className="text-zinc-700">
            {isReasonCode(reason.code) && reasonPreamble[reason.code] ? <span className="font-medium text-zinc-900">{reasonPreamble[reason.code]} </span> : null}
            {sentence(reason.detail)}
          </span>
        </li>
      ))}
    </ul>
  );
}
