import { Badge, type BadgeTone } from "@/components/ui/badge";

/** One place that turns every status in the product into a coloured, labelled badge. */
const statuses = {
  stage: {
    locked: { tone: "grey", label: "Locked" },
    open: { tone: "blue", label: "Open" },
    signed_off: { tone: "green", label: "Signed off" },
  },
  artifact: {
    pending_review: { tone: "amber", label: "Pending review" },
    approved: { tone: "green", label: "Approved" },
    auto_approved: { tone: "teal", label: "Auto-approved" },
    rejected: { tone: "red", label: "Rejected" },
    superseded: { tone: "grey", label: "Superseded" },
  },
  review: {
    pending: { tone: "amber", label: "Pending" },
    decided: { tone: "green", label: "Decided" },
    cancelled: { tone: "grey", label: "Withdrawn" },
  },
  run: {
    queued: { tone: "grey", label: "Queued" },
    running: { tone: "blue", label: "Running" },
    waiting_review: { tone: "amber", label: "Waiting for review" },
    completed: { tone: "green", label: "Completed" },
    failed: { tone: "red", label: "Failed" },
    blocked: { tone: "amber", label: "Blocked" },
  },
  step: {
    running: { tone: "blue", label: "Running" },
    completed: { tone: "green", label: "Completed" },
    failed: { tone: "red", label: "Failed" },
  },
  call: {
    ok: { tone: "green", label: "OK" },
    provider_error: { tone: "red", label: "Provider error" },
    contract_violation: { tone: "amber", label: "Broke the contract" },
    timeout: { tone: "red", label: "Timed out" },
    skipped_budget: { tone: "grey", label: "Not made: budget" },
  },
} as const satisfies Record<string, Record<string, { tone: BadgeTone; label: string }>>;

type Kind = keyof typeof statuses;

export function StatusBadge({ kind, status, className }: { kind: Kind; status: string; className?: string }) {
  const entry = (statuses[kind] as Record<string, { tone: BadgeTone; label: string }>)[status];
  return (
    <Badge tone={entry?.tone ?? "grey"} dot className={className}>
      {entry?.label ?? status.replaceAll("_", " ")}
    </Badge>
  );
}
