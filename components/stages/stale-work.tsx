import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import type { RedraftState } from "@/lib/artifacts/redraft";
import type { StageRedraftItem } from "@/lib/stages/views";
import { stageLabels } from "@/lib/stages/stages";

const stateWords: Record<RedraftState, { tone: "blue" | "amber" | "grey"; label: string }> = {
  ready: { tone: "blue", label: "Re-drafted by the next run" },
  waiting: { tone: "amber", label: "Waits for upstream" },
  orphaned: { tone: "grey", label: "Withdrawn by the next run" },
};

/**
 * The stage's stale work and what running the stage again does with each artifact: re-draft it
 * from the current versions of what it was drafted from, wait while one of those is itself stale
 * or undecided, or withdraw it when nothing it came from remains.
 */
export function StaleWork({ items, refs }: { items: StageRedraftItem[]; refs: Record<string, string> }) {
  const waiting = items.filter((item) => item.state === "waiting").length;
  return (
    <Card data-testid="stale-work">
      <CardHeader
        title={`Stale work (${items.length})`}
        description={`Something these were drafted from changed after they were approved. The stage cannot be signed off until they are re-drafted and reviewed.${waiting > 0 ? " Work that waits on stale or undecided upstream work is re-drafted once that is settled: run the earlier stage first." : ""}`}
      />
      <ul className="divide-y divide-zinc-100">
        {items.map((item) => (
          <li key={item.id} className="px-4 py-2.5 text-sm" data-testid="stale-item" data-ref={item.ref} data-state={item.state}>
            <p className="flex flex-wrap items-center gap-2">
              <span className="font-mono text-xs font-semibold text-zinc-900">{item.ref}</span>
              <Badge tone={stateWords[item.state].tone}>{stateWords[item.state].label}</Badge>
            </p>
            {item.staleReason ? <p className="mt-0.5 text-xs text-zinc-600">{item.staleReason}</p> : null}
            <p className="mt-0.5 text-xs text-zinc-500">
              {item.state === "waiting"
                ? `Waits for ${item.waitingOn.map((parent) => `${parent.ref} in ${stageLabels[parent.stage]} (${parent.why === "stale" ? "stale itself" : "waiting for a decision"})`).join(", ")}.`
                : item.state === "ready"
                  ? `Re-drafted from ${item.from.map((id) => refs[id] ?? "a removed source").join(", ")}.`
                  : "Nothing it was drafted from remains."}
            </p>
          </li>
        ))}
      </ul>
    </Card>
  );
}
