import clsx from "clsx";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { plainDetail, reasonText } from "@/lib/review/reason-text";
import { routingReasonCodes, type RoutingReasonCode } from "@/lib/routing/schema";

/** Routing reasons in plain words (lib/review/reason-text.ts) and a colour per kind of risk. */
const reasonTone: Record<RoutingReasonCode, BadgeTone> = {
  low_confidence: "amber",
  model_unsure: "amber",
  malformed: "red",
  unfaithful: "red",
  suspected_injection: "red",
  quality_flag: "violet",
  wording_note: "grey",
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

export type Reason = { code: string; detail: string };

function isReasonCode(code: string): code is RoutingReasonCode {
  return (routingReasonCodes as readonly string[]).includes(code);
}

function toneOf(code: string): BadgeTone {
  return isReasonCode(code) ? reasonTone[code] : "grey";
}

/** Reads the stored JSON defensively: a list of { code, detail }. */
export function asReasons(value: unknown): Reason[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((r): r is { code: unknown; detail?: unknown } => typeof r === "object" && r !== null && "code" in r)
    .map((r) => ({ code: String(r.code), detail: typeof r.detail === "string" ? r.detail : "" }));
}

/** Compact chips for the list; the explanation is in the tooltip, the card says it in full. */
export function ReasonChips({ reasons, className }: { reasons: Reason[]; className?: string }) {
  if (reasons.length === 0) return null;
  return (
    <span className={clsx("inline-flex flex-wrap gap-1", className)}>
      {reasons.map((reason, index) => (
        <Badge key={`${reason.code}:${index}`} tone={toneOf(reason.code)} title={reasonText(reason.code).explanation}>
          {reasonText(reason.code).label}
        </Badge>
      ))}
    </span>
  );
}

/**
 * Reasons whose finding is about the evidence, not the draft (numbers and thresholds): they get
 * their explanation first, so nobody reads them as "something is wrong with this draft".
 */
const explained = new Set<string>(["insufficient_evidence", "below_threshold", "audit_sample", "high_cost", "always_review"]);

/**
 * Each reason in words: its label and what the rule found in this item, with what the reason
 * means where the finding alone would not say it.
 */
export function ReasonList({ reasons }: { reasons: Reason[] }) {
  if (reasons.length === 0) return <p className="text-xs text-zinc-600">No routing reason recorded.</p>;
  return (
    <ul className="space-y-1" aria-label="Why this needs review">
      {reasons.map((reason, index) => {
        const text = reasonText(reason.code);
        const detail = plainDetail(reason.detail);
        return (
          <li key={`${reason.code}:${index}`} className="flex items-start gap-2 text-[13px] leading-5">
            <Badge tone={toneOf(reason.code)} className="mt-px shrink-0">
              {text.label}
            </Badge>
            <span className="text-zinc-700">
              {explained.has(reason.code) || !detail ? <span className="text-zinc-900">{text.explanation} </span> : null}
              {detail}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
