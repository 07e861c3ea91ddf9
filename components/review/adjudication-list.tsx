"use client";

import { useRouter } from "next/navigation";
import { useId, useRef, useState, useTransition } from "react";
import { adjudicateAction } from "@/app/(app)/review/actions";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import type { ReviewItemView } from "@/lib/review/service";
import { stageLabels } from "@/lib/stages/stages";

/**
 * Items whose approvers disagreed (one approved, another rejected), for the stage owner to
 * settle before the stage can be signed off: each with the last decision and a reason box.
 */
export function AdjudicationList({ items }: { items: ReviewItemView[] }) {
  if (items.length === 0) return null;
  return (
    <section aria-labelledby="adjudication-title" className="rounded-lg border border-amber-300 bg-amber-50/60 p-3" data-testid="adjudication">
      <h2 id="adjudication-title" className="text-sm font-semibold text-amber-950">
        Reviewers disagree: {items.length === 1 ? "1 item needs" : `${items.length} items need`} your decision as stage owner
      </h2>
      <p className="mt-0.5 text-xs text-amber-950">The stage cannot be signed off until you settle them. Your decision and reason are recorded.</p>
      <ul className="mt-2 space-y-2">
        {items.map((item) => (
          <li key={item.id}>
            <Adjudication item={item} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function Adjudication({ item }: { item: ReviewItemView }) {
  const id = useId();
  const router = useRouter();
  const [comment, setComment] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const textarea = useRef<HTMLTextAreaElement>(null);
  const settle = (action: "approve" | "reject") => {
    if (!comment.trim()) {
      setError("Say how you settled it: the reviewers read it.");
      textarea.current?.focus();
      return;
    }
    startTransition(async () => {
      const result = await adjudicateAction({ itemId: item.id, action, comment: comment.trim() });
      if (!result.ok) {
        setError(result.error.message);
        textarea.current?.focus();
      } else router.refresh();
    });
  };
  return (
    <div className="rounded-md border border-amber-200 bg-white p-2.5" data-testid="adjudication-item" data-ref={item.ref}>
      <p className="text-sm">
        <span className="font-mono font-semibold text-zinc-900">{item.ref}</span>{" "}
        <span className="text-xs text-zinc-700">
          {item.projectName} · {stageLabels[item.stage]} · {item.approvals} approved, at least one rejected
        </span>
      </p>
      {item.decision ? (
        <p className="mt-1 text-xs text-zinc-700">
          Last: {item.decision.by.name || item.decision.by.email} {item.decision.action === "reject" ? "rejected" : "approved"} it
          {item.decision.comment ? `: “${item.decision.comment}”` : "."}
        </p>
      ) : null}
      <form className="mt-2 flex flex-wrap items-end gap-2" onSubmit={(event) => event.preventDefault()} aria-label={`Settle ${item.ref}`}>
        <Field label="Your reason" htmlFor={`${id}-reason`} error={error} className="min-w-64 flex-1">
          <Textarea id={`${id}-reason`} ref={textarea} rows={1} maxLength={2000} value={comment} aria-invalid={error ? true : undefined} onChange={(event) => setComment(event.target.value)} />
        </Field>
        <Button size="sm" variant="success" pending={pending} onClick={() => settle("approve")}>
          Approve
        </Button>
        <Button size="sm" variant="danger" disabled={pending} onClick={() => settle("reject")}>
          Reject
        </Button>
      </form>
    </div>
  );
}
