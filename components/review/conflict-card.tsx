"use client";

import clsx from "clsx";
import { useId, useState, type Ref } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import type { ConflictItem } from "@/lib/review/queries";
import { plainDetail } from "@/lib/review/reason-text";
import { stageLabels } from "@/lib/stages/stages";
import { CitedPassage } from "./citations";
import { DecisionFormActions } from "./decision-form-actions";

export type Resolution = { keep: string[]; comment?: string };

type Props = {
  item: ConflictItem;
  focused: boolean;
  resolving: boolean;
  pending: boolean;
  showProject: boolean;
  cardRef?: Ref<HTMLElement>;
  onFocus: () => void;
  onResolving: (open: boolean) => void;
  onResolve: (resolution: Resolution) => void;
};

/**
 * Two or more drafts that cannot all be true, each with the passage it came from. Resolving keeps
 * some sides and rejects the others; until then none of its sides can be approved.
 */
export function ConflictCard({ item, focused, resolving, pending, showProject, cardRef, onFocus, onResolving, onResolve }: Props) {
  const headingId = useId();
  return (
    <article
      ref={cardRef}
      tabIndex={-1}
      data-testid="conflict-item"
      data-ref={item.ref}
      data-focused={focused || undefined}
      aria-labelledby={headingId}
      onMouseDown={onFocus}
      onFocus={onFocus}
      className={clsx(
        "scroll-mt-20 rounded-lg border bg-white shadow-xs outline-none transition-shadow",
        focused ? "border-red-500 ring-2 ring-red-500/25" : "border-red-200",
      )}
    >
      <header className="flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-red-100 bg-red-50/50 px-4 py-2.5 rounded-t-lg">
        <h2 id={headingId} className="font-mono text-sm font-semibold text-zinc-900">
          {item.ref}
          <span className="sr-only"> Conflict between sources</span>
        </h2>
        <Badge tone="red">Conflict between sources</Badge>
        <span className="text-xs text-zinc-600">{sidesSummary(item)}</span>
        {showProject ? (
          <span className="ml-auto text-xs text-zinc-500">
            {item.projectName} · {stageLabels[item.stage]}
          </span>
        ) : null}
      </header>

      <div className="space-y-3 px-4 py-3">
        <section aria-label="What the conflict is about">
          <h3 className="mb-1 text-[11px] font-semibold tracking-wide text-zinc-500 uppercase">What it is about</h3>
          <p className="text-[15px] leading-6 text-zinc-900">{plainDetail(item.description)}</p>
        </section>

        {resolving ? (
          <ResolveForm item={item} pending={pending} onResolve={onResolve} onCancel={() => onResolving(false)} />
        ) : (
          <>
            <section aria-label="Sides">
              <h3 className="mb-1.5 text-[11px] font-semibold tracking-wide text-zinc-500 uppercase">The sides</h3>
              <ol className="grid gap-3 md:grid-cols-2">
                {item.sides.map((side, index) => (
                  <li key={sideKey(side, index)} className="space-y-2 rounded-md border border-zinc-200 p-3" data-testid="conflict-side" data-ref={side.ref ?? undefined}>
                    <SideSummary side={side} />
                  </li>
                ))}
              </ol>
            </section>
            {item.canDecide ? (
              <div className="flex flex-wrap items-center gap-2 pt-1" role="group" aria-label={`Decide ${item.ref}`}>
                <Button variant="primary" size="sm" onClick={() => onResolving(true)} data-testid="resolve">
                  Resolve… <kbd aria-hidden className="ml-0.5 border-accent-700 bg-accent-700 text-white shadow-none">c</kbd>
                </Button>
                <span className="text-xs text-zinc-500">Choose which sides to keep; the others are rejected.</span>
              </div>
            ) : item.refusal ? (
              <p className="rounded-md bg-amber-50 px-2.5 py-2 text-xs text-amber-900" data-testid="refusal">
                <span className="font-semibold">You cannot resolve this one.</span> {item.refusal}
              </p>
            ) : (
              <p className="rounded-md bg-zinc-50 px-2.5 py-2 text-xs text-zinc-600">
                You can see this conflict because you own or administer its stage. Only the stage&apos;s reviewers resolve it.
              </p>
            )}
          </>
        )}
      </div>
    </article>
  );
}

type Side = ConflictItem["sides"][number];

function sidesSummary(item: ConflictItem): string {
  const drafted = item.sides.filter(isDrafted).length;
  const passages = item.sides.length - drafted;
  const parts = `${drafted} draft${drafted === 1 ? "" : "s"}${passages > 0 ? ` and ${passages} source passage${passages === 1 ? "" : "s"}` : ""}`;
  return `${parts} disagree; none of the drafts can be approved until this is resolved.`;
}
type DraftedSide = Side & { artifactId: string; ref: string; statement: string };

/** A side is either a draft (kept or rejected on resolving) or a source passage nobody drafted (context only). */
function isDrafted(side: Side): side is DraftedSide {
  return side.artifactId !== null;
}

function sideKey(side: Side, index: number): string {
  return side.artifactId ?? `passage:${side.sourceId}:${index}`;
}

function SideSummary({ side }: { side: Side }) {
  return (
    <>
      {isDrafted(side) ? (
        <p className="text-sm text-zinc-900">
          <span className="mr-1.5 rounded bg-zinc-100 px-1 font-mono text-[11px] text-zinc-700">{side.ref}</span>
          {side.statement}
        </p>
      ) : (
        <p className="text-xs text-zinc-600">A passage of the sources that was not drafted as a requirement; it is shown for context.</p>
      )}
      <CitedPassage citation={side.citation} />
    </>
  );
}

function ResolveForm({
  item,
  pending,
  onResolve,
  onCancel,
}: {
  item: ConflictItem;
  pending: boolean;
  onResolve: (resolution: Resolution) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [keep, setKeep] = useState<string[]>([]);
  const [comment, setComment] = useState("");
  const [missing, setMissing] = useState(false);
  const drafted = item.sides.filter(isDrafted);
  const keepsAll = keep.length === drafted.length;
  const dropped = drafted.filter((side) => !keep.includes(side.artifactId));
  const submit = () => {
    // Keeping every side claims there is no conflict after all; that needs a reason on record.
    if (keepsAll && !comment.trim()) {
      setMissing(true);
      return;
    }
    onResolve({ keep, comment: comment.trim() || undefined });
  };
  return (
    <form
      aria-label={`Resolve ${item.ref}`}
      className="space-y-3 rounded-md border border-accent-200 bg-accent-50/30 p-3"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
      onKeyDown={(event) => {
        if (event.key === "Escape") {
          event.preventDefault();
          onCancel();
        } else if (event.key === "Enter" && (event.metaKey || event.ctrlKey)) {
          event.preventDefault();
          submit();
        }
      }}
    >
      <fieldset className="space-y-2">
        <legend className="mb-1 text-xs font-medium text-zinc-700">Which sides are right? Tick the ones to keep.</legend>
        <ol className="grid gap-3 md:grid-cols-2">
          {item.sides.map((side, index) => {
            if (!isDrafted(side)) {
              return (
                <li key={sideKey(side, index)} className="space-y-2 rounded-md border border-dashed border-zinc-300 bg-white p-3" data-testid="conflict-passage">
                  <SideSummary side={side} />
                </li>
              );
            }
            const checked = keep.includes(side.artifactId);
            return (
              <li
                key={sideKey(side, index)}
                className={clsx("space-y-2 rounded-md border bg-white p-3", checked ? "border-emerald-400 ring-1 ring-emerald-400/40" : "border-zinc-200")}
                data-testid="conflict-side"
                data-ref={side.ref}
              >
                <label className="flex cursor-pointer items-start gap-2 text-sm">
                  <input
                    type="checkbox"
                    className="mt-0.5 size-4 shrink-0 rounded border-zinc-300 accent-emerald-600"
                    autoFocus={side === drafted[0]}
                    checked={checked}
                    onChange={(event) => {
                      const on = event.target.checked;
                      setKeep((current) => (on ? [...current, side.artifactId] : current.filter((kept) => kept !== side.artifactId)));
                    }}
                  />
                  <span>
                    Keep <span className="font-mono font-semibold">{side.ref}</span>
                    <span className="sr-only">: {side.statement}</span>
                  </span>
                </label>
                <p className="text-sm text-zinc-900" aria-hidden>
                  {side.statement}
                </p>
                <CitedPassage citation={side.citation} />
              </li>
            );
          })}
        </ol>
      </fieldset>
      <p className="text-sm text-zinc-700" aria-live="polite" data-testid="resolve-summary">
        {dropped.length === 0 ? (
          <>Every drafted side is kept: say in the reason why they do not conflict after all.</>
        ) : (
          <>
            Not kept, so <span className="font-semibold text-red-800">rejected</span>: {dropped.map((side) => side.ref).join(", ")}
            {keep.length === 0 ? " (every drafted side)" : ""}.
          </>
        )}
      </p>
      <Field
        label={keepsAll ? "Reason (required when every side is kept)" : "Reason (optional)"}
        htmlFor={`${id}-comment`}
        hint="Recorded with the decision; rejected sides carry it as their reason."
        error={missing ? "Say why every side can stand, e.g. they apply to different cases." : null}
      >
        <Textarea
          id={`${id}-comment`}
          rows={2}
          maxLength={2000}
          value={comment}
          aria-invalid={missing || undefined}
          onChange={(event) => {
            setComment(event.target.value);
            if (event.target.value.trim()) setMissing(false);
          }}
        />
      </Field>
      <DecisionFormActions variant="success" pending={pending} testId="confirm-resolve" verb="resolve" onCancel={onCancel}>
        Resolve {item.ref}
      </DecisionFormActions>
    </form>
  );
}
