"use client";

import clsx from "clsx";
import { useQuery } from "@tanstack/react-query";
import { useId, useRef, useState, type Ref } from "react";
import { editDiffAction } from "@/app/(app)/review/actions";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import type { KindPresentation } from "@/lib/kinds/types";
import { reviewKeys, type DraftItem } from "@/lib/review/queries";
import { stageLabels } from "@/lib/stages/stages";
import { Citations } from "./citations";
import { DecisionFormActions } from "./decision-form-actions";
import { ArtifactContent, CalibratedChance, ConfidenceMeter } from "./content";
import { EditForm, type EditSubmission } from "./edit-form";
import { ageWords, approvalsText, claimOf, slaText } from "./item-facts";
import { DraftChanges, DraftParents, WordDiff } from "./lineage";
import { ReasonList, asReasons } from "./reasons";

export type CardMode = "view" | "edit" | "reject";

/** With no decisions to learn from, the stored probability is a placeholder 0, not a measurement. */
function noFitYet(item: DraftItem): boolean {
  return item.calibratedProbability === 0 && asReasons(item.reasons).some((reason) => reason.code === "insufficient_evidence");
}

type Props = {
  item: DraftItem;
  /** how the item's kind renders and is edited, from the kind registry */
  presentation: KindPresentation;
  focused: boolean;
  mode: CardMode;
  pending: boolean;
  issues: { path: string; message: string }[];
  showProject: boolean;
  now: number;
  cardRef?: Ref<HTMLElement>;
  onFocus: () => void;
  onMode: (mode: CardMode) => void;
  onApprove: () => void;
  onEdit: (submission: EditSubmission) => void;
  onReject: (comment: string) => void;
};

/**
 * The selected draft in full: why it is here (in words), what a person changed if it is an
 * edit, the draft itself, and beside it the passages it cites or the work it was drafted from.
 */
export function ReviewItemCard(props: Props) {
  const { item, presentation, focused, mode, pending, showProject, now, cardRef, onFocus, onMode, onApprove } = props;
  const headingId = useId();
  const quotesSources = presentation.fields.some((field) => field.type === "quotes");
  const claim = claimOf(item);
  const approvals = approvalsText(item);
  const sla = slaText(item, now);
  return (
    <article
      ref={cardRef}
      tabIndex={-1}
      data-testid="review-item"
      data-ref={item.ref}
      data-focused={focused || undefined}
      aria-labelledby={headingId}
      onMouseDown={onFocus}
      onFocus={onFocus}
      className={clsx(
        "scroll-mt-20 rounded-lg border bg-white shadow-xs outline-none transition-shadow",
        focused ? "border-accent-500 ring-2 ring-accent-500/25" : "border-zinc-200",
      )}
    >
      <header className="flex flex-wrap items-center gap-x-2.5 gap-y-1 border-b border-zinc-100 px-4 py-2">
        <h2 id={headingId} className="font-mono text-sm font-semibold text-zinc-900">
          {item.ref}
          <span className="sr-only"> {presentation.label}</span>
        </h2>
        <Badge tone={presentation.tone}>{presentation.label}</Badge>
        {item.version > 1 ? <span className="text-xs text-zinc-600">version {item.version}</span> : null}
        <span className="text-xs text-zinc-600">{ageWords(item.createdAt, now)}</span>
        {approvals ? <span className="text-xs font-medium text-zinc-800" data-testid="approvals">{approvals}</span> : null}
        {sla ? <span className={clsx("text-xs", sla.overdue ? "font-medium text-red-700" : "text-zinc-600")}>{sla.text}</span> : null}
        {claim ? (
          <span className={clsx("text-xs", claim.mine ? "text-accent-800" : "font-medium text-amber-800")} data-testid="card-claim">
            {claim.mine ? "Held by you while it is open" : `${claim.by.name || claim.by.email} is working on it`}
          </span>
        ) : null}
        {showProject ? (
          <span className="ml-auto text-xs text-zinc-600">
            {item.projectName} · {stageLabels[item.stage]}
          </span>
        ) : null}
      </header>

      <div className="grid gap-0 md:grid-cols-[minmax(0,1.15fr)_minmax(0,1fr)]">
        <div className="space-y-3 px-4 py-3">
          <section aria-label="Why this needs review">
            <h3 className="mb-1 text-xs font-semibold text-zinc-700">Why it is here</h3>
            <ReasonList reasons={asReasons(item.reasons)} />
            <p className="mt-1.5 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-zinc-600">
              <span className="inline-flex items-center gap-1.5">
                Drafter&apos;s own confidence <ConfidenceMeter value={item.confidence} />
              </span>
              <CalibratedChance value={item.calibratedProbability} measured={!noFitYet(item)} />
              <span>
                by <span className="font-mono text-zinc-700">{item.model ?? "a person"}</span>
              </span>
            </p>
          </section>
          <EditChanges item={item} />
          <DraftChanges lineage={item} />
          <section aria-label="Draft">
            <h3 className="mb-1 text-xs font-semibold text-zinc-700">{item.version > 1 ? "Version to decide" : "Draft"}</h3>
            {mode === "edit" ? (
              <EditForm
                presentation={presentation}
                content={item.content}
                pending={pending}
                issues={props.issues}
                onSubmit={props.onEdit}
                onCancel={() => onMode("view")}
              />
            ) : (
              <ArtifactContent presentation={presentation} content={item.content} refs={item.references} />
            )}
          </section>
          {mode === "reject" ? (
            <RejectForm itemRef={item.ref} pending={pending} onReject={props.onReject} onCancel={() => onMode("view")} />
          ) : null}
          {mode === "view" ? (
            item.canDecide ? (
              <div className="flex flex-wrap items-center gap-2" role="group" aria-label={`Decide ${item.ref}`}>
                <Button variant="success" size="sm" pending={pending} onClick={onApprove} data-testid="approve">
                  Approve <kbd aria-hidden className="ml-0.5 border-emerald-700 bg-emerald-700 text-white shadow-none">a</kbd>
                </Button>
                <Button size="sm" disabled={pending} onClick={() => onMode("edit")} data-testid="edit">
                  Edit <kbd aria-hidden>e</kbd>
                </Button>
                <Button variant="danger" size="sm" disabled={pending} onClick={() => onMode("reject")} data-testid="reject">
                  Reject <kbd aria-hidden>r</kbd>
                </Button>
              </div>
            ) : item.refusal ? (
              <p className="rounded-md bg-amber-50 px-2.5 py-2 text-xs text-amber-900" data-testid="refusal">
                <span className="font-semibold">You cannot decide this one.</span> {item.refusal}
              </p>
            ) : claim && !claim.mine ? (
              <p className="rounded-md bg-amber-50 px-2.5 py-2 text-xs text-amber-900" data-testid="held-by-other">
                {claim.by.name || claim.by.email} is working on it. You can decide it once they release it or their hold runs out.
              </p>
            ) : (
              <p className="rounded-md bg-zinc-50 px-2.5 py-2 text-xs text-zinc-700">
                You can see this item because you own or administer its stage. Only the stage&apos;s reviewers decide it.
              </p>
            )
          ) : null}
        </div>
        {/* A kind drafted from sources is checked against the passages it quotes; any other, against the upstream work it was drafted from. */}
        <aside
          aria-label={quotesSources ? "Cited sources" : "Drafted from"}
          className="border-t border-zinc-100 bg-zinc-50/70 px-4 py-3 md:rounded-br-lg md:border-t-0 md:border-l"
        >
          <h3 className="mb-1 text-xs font-semibold text-zinc-700">{quotesSources ? "What the sources say" : "Drafted from"}</h3>
          {quotesSources ? <Citations item={item} /> : <DraftParents parents={item.parents} />}
        </aside>
      </div>
    </article>
  );
}

/** For a version a person wrote: what they changed from the version before, word by word. */
function EditChanges({ item }: { item: DraftItem }) {
  const diff = useQuery({
    queryKey: [...reviewKeys.all, "edit-diff", item.id, item.version],
    queryFn: async () => {
      const result = await editDiffAction({ itemId: item.id });
      if (!result.ok) throw new Error(result.error.message);
      return result.data;
    },
    enabled: item.version > 1,
    staleTime: Infinity,
  });
  if (item.version < 2 || !diff.data) return null;
  const { editedBy, fromVersion, changes } = diff.data;
  return (
    <section aria-label="What was changed" data-testid="edit-diff" className="rounded-md border border-sky-200 bg-sky-50/40 px-3 py-2">
      <h3 className="text-xs font-semibold text-sky-900">
        {editedBy ?? "A person"} changed version {fromVersion}
      </h3>
      {changes.length === 0 ? (
        <p className="mt-1 text-xs text-zinc-700">No field changed.</p>
      ) : (
        <dl className="mt-1 space-y-1">
          {changes.map((change) => (
            <WordDiff key={change.field} diff={change} />
          ))}
        </dl>
      )}
    </section>
  );
}

/** Asks why before rejecting; `itemRef` names what is rejected ("REQ-12", "3 selected items"). */
export function RejectForm({
  itemRef,
  pending,
  onReject,
  onCancel,
}: {
  itemRef: string;
  pending: boolean;
  onReject: (comment: string) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [comment, setComment] = useState("");
  const [missing, setMissing] = useState(false);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const submit = () => {
    if (!comment.trim()) {
      setMissing(true);
      textarea.current?.focus();
      return;
    }
    onReject(comment.trim());
  };
  return (
    <form
      aria-label={`Reject ${itemRef}`}
      className="space-y-2 rounded-md border border-red-200 bg-red-50/40 p-3"
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
      <Field
        label="Reason for rejecting"
        htmlFor={`${id}-reason`}
        hint="Required. The drafter and the stage owner read it."
        error={missing ? "Say why you reject it, so the drafter and the owner can learn." : null}
      >
        <Textarea
          id={`${id}-reason`}
          ref={textarea}
          autoFocus
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
      <DecisionFormActions variant="danger" pending={pending} testId="confirm-reject" verb="reject" onCancel={onCancel}>
        Reject {itemRef}
      </DecisionFormActions>
    </form>
  );
}
