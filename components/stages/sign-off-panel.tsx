"use client";

import Link from "next/link";
import { useState } from "react";
import { shortHash } from "@/components/format";
import { FormError } from "@/components/forms/form-error";
import { Alert } from "@/components/ui/alert";
import { fieldError, useServerAction } from "@/components/forms/use-server-action";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { Time } from "@/components/ui/time";
import type { ActionResult } from "@/lib/errors";
import type { StageKey } from "@/lib/generated/sqlite/enums";
import type { StageSummary } from "@/lib/stages/service";

type SignOffInput = { projectId: string; stage: StageKey; comment?: string };

/** Why the owner cannot sign off yet, in the order they have to be dealt with. */
export type SignOffBlockers = {
  pending: number;
  drafting: boolean;
  nothingApproved: boolean;
  /** References of stale work: it is re-drafted (or revised) before the stage can be signed off. */
  stale: string[];
  /** Conflicts between sources nobody has resolved yet: sign-off is refused while any is open. */
  openConflicts: { ref: string; description: string }[];
  /** Any other reason the readiness rule gives the owner, e.g. separation of duties, in words. */
  otherReason: string | null;
};

export function SignOffPanel({
  projectId,
  stage,
  maySignOff,
  blockers,
  nextStageLabel,
  signOffStage,
}: {
  projectId: string;
  stage: StageSummary;
  maySignOff: boolean;
  blockers: SignOffBlockers;
  nextStageLabel: string | null;
  signOffStage: (input: SignOffInput) => Promise<ActionResult<{ id: string; coverageHash: string }>>;
}) {
  const [comment, setComment] = useState("");
  const { run, pending, error } = useServerAction(signOffStage);

  if (stage.signOff) {
    const record = stage.signOff;
    return (
      <dl data-testid="sign-off-record" className="space-y-2 text-sm">
        <div>
          <dt className="text-xs text-zinc-500">Signed off by</dt>
          <dd className="font-medium text-zinc-900">
            {record.by.name} <span className="font-normal text-zinc-500">({record.by.email})</span>
          </dd>
        </div>
        <div>
          <dt className="text-xs text-zinc-500">When</dt>
          <dd>
            <Time iso={record.at} />
          </dd>
        </div>
        <div>
          <dt className="text-xs text-zinc-500">Comment</dt>
          <dd className="text-zinc-800">{record.comment || <span className="text-zinc-500">No comment</span>}</dd>
        </div>
        <div>
          <dt className="text-xs text-zinc-500">Covers</dt>
          <dd>
            {record.artifactCount} approved item{record.artifactCount === 1 ? "" : "s"} ·{" "}
            <code className="rounded bg-zinc-100 px-1 font-mono text-xs" title={record.coverageHash}>
              {shortHash(record.coverageHash)}
            </code>
          </dd>
        </div>
      </dl>
    );
  }

  if (stage.status === "locked") {
    return <p className="text-sm text-zinc-600">This stage is locked. It opens when the stage before it is signed off.</p>;
  }

  const reviewHref = `/review?projectId=${encodeURIComponent(projectId)}&stage=${stage.key}`;
  const blocker = blockers.drafting ? (
    "A run is still drafting. Sign off once it has finished."
  ) : blockers.openConflicts.length > 0 ? (
    <>
      {blockers.openConflicts.length === 1 ? "A conflict between sources" : `${blockers.openConflicts.length} conflicts between sources`} (
      {blockers.openConflicts.map((c) => c.ref).join(", ")}) {blockers.openConflicts.length === 1 ? "is" : "are"} not resolved. A reviewer resolves{" "}
      {blockers.openConflicts.length === 1 ? "it" : "each"} by choosing which side to keep.{" "}
      <Link href={reviewHref} className="font-medium text-accent-700 underline">
        Open the review queue
      </Link>
      .
    </>
  ) : blockers.pending > 0 ? (
    <>
      {blockers.pending} item{blockers.pending === 1 ? " is" : "s are"} still pending review.{" "}
      <Link href={reviewHref} className="font-medium text-accent-700 underline">
        Open them in the review queue
      </Link>
      .
    </>
  ) : blockers.stale.length > 0 ? (
    `${blockers.stale.join(", ")} ${blockers.stale.length === 1 ? "is" : "are"} stale: something ${blockers.stale.length === 1 ? "it was" : "they were"} drafted from changed. Run the stage again to re-draft ${blockers.stale.length === 1 ? "it" : "them"}.`
  ) : blockers.nothingApproved ? (
    "Nothing is approved in this stage yet. Run the stage and review its drafts first."
  ) : (
    blockers.otherReason
  );

  if (!maySignOff) {
    return (
      <div className="space-y-2 text-sm text-zinc-600">
        <p>
          {stage.owner ? `${stage.owner.name} (the stage owner)` : "The stage owner"} signs this stage off when nothing is pending
          {nextStageLabel ? `; that opens ${nextStageLabel}` : ""}.
        </p>
        {blocker ? <p className="text-amber-800">{blocker}</p> : <p className="text-emerald-800">It is ready to be signed off.</p>}
      </div>
    );
  }

  return (
    <form
      className="space-y-3"
      aria-label="Sign off"
      onSubmit={(event) => {
        event.preventDefault();
        run({ projectId, stage: stage.key, comment: comment.trim() || undefined });
      }}
    >
      <p className="text-sm text-zinc-600">
        Signing off records exactly which approved items this stage hands on{nextStageLabel ? ` and opens ${nextStageLabel}` : ""}.
      </p>
      {blocker ? (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="sign-off-blocked">
          {blocker}
        </p>
      ) : null}
      <Field label="Sign-off comment (optional)" htmlFor="sign-off-comment" error={fieldError(error, "comment")}>
        <Textarea id="sign-off-comment" rows={2} maxLength={2000} value={comment} onChange={(event) => setComment(event.target.value)} />
      </Field>
      {error && error.code === "forbidden" ? (
        <Alert tone="warning" role="alert" title="You cannot sign this stage off yourself">
          {error.message} Ask a reviewer of this stage to decide the drafts that went to people; then you can sign off.
        </Alert>
      ) : error && error.code === "conflict" ? (
        <Alert tone="warning" role="alert" title="Not ready to sign off">
          {error.message}{" "}
          <Link href={reviewHref} className="font-medium underline">
            Open the review queue
          </Link>
          .
        </Alert>
      ) : (
        <FormError error={error} inline={["comment"]} />
      )}
      <Button type="submit" variant="success" disabled={Boolean(blocker)} pending={pending} data-testid="sign-off">
        Sign off {stage.label}
      </Button>
    </form>
  );
}
