import clsx from "clsx";
import { stageLabels } from "@/lib/stages/stages";
import type { StageKey } from "@/lib/generated/sqlite/enums";

const segment: Record<string, string> = {
  signed_off: "bg-emerald-500",
  open: "bg-sky-500",
  locked: "bg-zinc-200",
};

const statusWords: Record<string, string> = { signed_off: "signed off", open: "open", locked: "locked" };

/** Seven segments, one per stage: green signed off, blue open, grey locked. */
export function StageProgress({ stages, className }: { stages: { key: StageKey; status: string }[]; className?: string }) {
  const signed = stages.filter((s) => s.status === "signed_off").length;
  const open = stages.find((s) => s.status === "open");
  return (
    <div className={className}>
      <div className="flex gap-0.5" aria-hidden>
        {stages.map((stage) => (
          <span
            key={stage.key}
            title={`${stageLabels[stage.key]}: ${statusWords[stage.status] ?? stage.status}`}
            className={clsx("h-1.5 flex-1 rounded-full", segment[stage.status] ?? "bg-zinc-200")}
          />
        ))}
      </div>
      <p className="mt-1 text-xs text-zinc-500">
        {signed} of {stages.length} stages signed off
        {open ? ` · ${stageLabels[open.key]} open` : signed === stages.length ? " · complete" : ""}
      </p>
    </div>
  );
}
