"use client";

import clsx from "clsx";
import type { KindPresentation } from "@/lib/kinds/types";
import type { ReviewItem } from "@/lib/review/queries";
import { reasonText } from "@/lib/review/reason-text";
import { ageText, ageWords, approvalsText, claimOf, slaText } from "./item-facts";
import { asReasons } from "./reasons";

type Props = {
  items: ReviewItem[];
  selectedId: string | null;
  checked: ReadonlySet<string>;
  kinds: Record<string, KindPresentation>;
  now: number;
  rowRef: (id: string, element: HTMLButtonElement | null) => void;
  onSelect: (id: string) => void;
  onCheck: (id: string, checked: boolean) => void;
};

/**
 * The queue as a compact list: one line per item with what a reviewer scans for (reference,
 * kind, why it is here, how long it waited, who holds it, approvals so far). The selected
 * item's full card is beside it.
 */
export function QueueList({ items, selectedId, checked, kinds, now, rowRef, onSelect, onCheck }: Props) {
  return (
    <ol aria-label="Items waiting for review" className="divide-y divide-zinc-100 overflow-hidden rounded-lg border border-zinc-200 bg-white shadow-xs">
      {items.map((item) => {
        const selected = item.id === selectedId;
        const claim = claimOf(item);
        const approvals = approvalsText(item);
        const sla = slaText(item, now);
        const reasons = asReasons(item.reasons);
        const kindLabel = item.kind === "conflict" ? "Conflict" : (kinds[item.kind]?.label ?? item.kind);
        return (
          <li
            key={item.id}
            data-testid="queue-row"
            data-ref={item.ref}
            data-selected={selected || undefined}
            className={clsx("flex items-start gap-2 px-2.5 py-2", selected ? "bg-accent-50" : "hover:bg-zinc-50")}
          >
            {/* Only what the reviewer may approve can be marked for a bulk approval; a conflict is resolved on its own. */}
            {item.kind !== "conflict" && item.canDecide ? (
              <input
                type="checkbox"
                className="mt-1 size-4 shrink-0 rounded border-zinc-300 accent-accent-600"
                aria-label={`Select ${item.ref} for a bulk decision`}
                checked={checked.has(item.id)}
                onChange={(event) => onCheck(item.id, event.target.checked)}
              />
            ) : (
              <span className="mt-1 size-4 shrink-0" aria-hidden />
            )}
            <button
              type="button"
              ref={(element) => rowRef(item.id, element)}
              aria-current={selected ? "true" : undefined}
              onClick={() => onSelect(item.id)}
              className="min-w-0 flex-1 rounded text-left outline-none focus-visible:ring-2 focus-visible:ring-accent-600"
            >
              <span className="flex items-baseline gap-2">
                <span className={clsx("font-mono text-[13px] font-semibold", selected ? "text-accent-800" : "text-zinc-900")}>{item.ref}</span>
                <span className="truncate text-xs text-zinc-600">{kindLabel}</span>
                <span className="ml-auto shrink-0 text-xs text-zinc-600 tabular-nums" title={ageWords(item.createdAt, now)}>
                  <span aria-hidden>{ageText(item.createdAt, now)}</span>
                  <span className="sr-only">{ageWords(item.createdAt, now)}</span>
                </span>
              </span>
              <span className="mt-0.5 block truncate text-xs text-zinc-700">
                {reasons.length === 0 ? "No reason recorded" : reasons.map((reason) => reasonText(reason.code).label).join(" · ")}
              </span>
              {claim || approvals || sla || !item.canDecide ? (
                <span className="mt-0.5 flex flex-wrap gap-x-2 text-xs">
                  {claim ? (
                    <span className={claim.mine ? "text-accent-800" : "text-amber-800"} data-testid="claimed-by">
                      {claim.mine ? "You are on it" : `${claim.by.name || claim.by.email} is on it`}
                    </span>
                  ) : null}
                  {approvals ? <span className="text-zinc-700">{approvals}</span> : null}
                  {sla ? <span className={sla.overdue ? "font-medium text-red-700" : "text-zinc-700"}>{sla.text}</span> : null}
                  {!item.canDecide ? <span className="text-zinc-600">{item.refusal ? "You cannot decide this one" : "View only"}</span> : null}
                </span>
              ) : null}
            </button>
          </li>
        );
      })}
    </ol>
  );
}
