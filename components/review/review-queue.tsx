"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { startTransition, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { ProjectSelect } from "@/components/projects/project-select";
import { Alert } from "@/components/ui/alert";
import { Button, ButtonLink, Spinner } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Field } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { StageKey } from "@/lib/generated/sqlite/enums";
import type { KindPresentation } from "@/lib/kinds/types";
import { ApiError, useDecideReviewItem, useReviewQueue, type DecisionBody, type ReviewFilter, type ReviewItem, type ReviewPage } from "@/lib/review/queries";
import { stageKeys, stageLabels } from "@/lib/stages/stages";
import { ConflictCard, type Resolution } from "./conflict-card";
import type { EditSubmission } from "./edit-form";
import { ReviewItemCard, type CardMode } from "./review-item-card";
import { ShortcutLegend } from "./shortcut-legend";

type Notice = { tone: "success" | "warning" | "danger"; text: string };

type QueueMode = CardMode | "resolve";

/** What the toast says after a decision; an edit is not the end of the item, so it says where it went. */
function decidedText(item: ReviewItem, body: Omit<DecisionBody, "version">): string {
  if (body.action === "approve") return `${item.ref} approved.`;
  if (body.action === "reject") return `${item.ref} rejected.`;
  if (body.action === "edit") return `${item.ref} edited. Your version goes back to the queue for another reviewer to approve.`;
  const sides = item.kind === "conflict" ? item.sides.flatMap((side) => (side.artifactId && side.ref ? [{ id: side.artifactId, ref: side.ref }] : [])) : [];
  const kept = sides.filter((side) => body.keep?.includes(side.id)).map((side) => side.ref);
  const rejected = sides.filter((side) => !body.keep?.includes(side.id)).map((side) => side.ref);
  return `${item.ref} resolved: kept ${kept.join(", ") || "no side"}${rejected.length > 0 ? `; rejected ${rejected.join(", ")}` : ""}.`;
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/**
 * The reviewer's queue: one card per pending item, keyboard first (j/k to move, a/e/r to
 * decide). A decision removes the card at once and moves focus to the next one.
 */
export function ReviewQueue({
  initialFilter,
  initialPages,
  projects,
  kinds,
}: {
  initialFilter: { projectId?: string; stage?: StageKey };
  initialPages: { conflicts: ReviewPage; drafts: ReviewPage };
  projects: { id: string; name: string }[];
  /** how each artifact kind renders and is edited (lib/kinds/registry.ts) */
  kinds: Record<string, KindPresentation>;
}) {
  const router = useRouter();
  const [filter, setFilter] = useState<ReviewFilter>({ status: "pending", ...initialFilter });
  const sameAsInitial = filter.projectId === initialFilter.projectId && filter.stage === initialFilter.stage;
  // Conflicts first, as their own list: until one is resolved, none of its sides can be approved.
  const conflictQueue = useReviewQueue({ ...filter, kind: "conflict", limit: 50 }, sameAsInitial ? initialPages.conflicts : undefined);
  const draftQueue = useReviewQueue({ ...filter, kind: "draft" }, sameAsInitial ? initialPages.drafts : undefined);
  const queue = {
    isPending: conflictQueue.isPending || draftQueue.isPending,
    isFetching: conflictQueue.isFetching || draftQueue.isFetching,
    isError: conflictQueue.isError || draftQueue.isError,
    error: conflictQueue.error ?? draftQueue.error,
    refetch: () => Promise.all([conflictQueue.refetch(), draftQueue.refetch()]),
    hasNextPage: conflictQueue.hasNextPage || draftQueue.hasNextPage,
    isFetchingNextPage: conflictQueue.isFetchingNextPage || draftQueue.isFetchingNextPage,
    fetchNextPage: () => (conflictQueue.hasNextPage ? conflictQueue.fetchNextPage() : draftQueue.fetchNextPage()),
  };
  const decide = useDecideReviewItem();
  const items = useMemo(
    () => [...(conflictQueue.data?.pages.flatMap((page) => page.items) ?? []), ...(draftQueue.data?.pages.flatMap((page) => page.items) ?? [])],
    [conflictQueue.data, draftQueue.data],
  );

  const [focusedId, setFocusedId] = useState<string | null>(items[0]?.id ?? null);
  const lastIndex = useRef(0);
  const [mode, setMode] = useState<{ id: string; mode: QueueMode } | null>(null);
  const [issues, setIssues] = useState<{ id: string; list: { path: string; message: string }[] } | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const cards = useRef(new Map<string, HTMLElement>());

  // Keep focus on an item that exists: after a decision, the one that took the decided item's place.
  const focusedIndex = items.findIndex((item) => item.id === focusedId);
  useEffect(() => {
    if (focusedIndex >= 0) {
      lastIndex.current = focusedIndex;
      return;
    }
    const next = items[Math.min(lastIndex.current, items.length - 1)];
    setFocusedId(next?.id ?? null);
  }, [focusedIndex, items]);

  const focusItem = useCallback((id: string | undefined, scroll = true) => {
    if (!id) return;
    setFocusedId(id);
    const card = cards.current.get(id);
    if (card && scroll) {
      card.focus({ preventScroll: true });
      card.scrollIntoView({ block: "nearest", behavior: "smooth" });
    }
  }, []);

  // After a decision the replacement card gets keyboard focus too, so shortcuts keep working.
  const refocus = useRef(false);
  useEffect(() => {
    if (!refocus.current || !focusedId) return;
    refocus.current = false;
    const card = cards.current.get(focusedId);
    card?.focus({ preventScroll: true });
    card?.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }, [focusedId, items]);

  useEffect(() => {
    if (!notice || notice.tone !== "success") return;
    const timer = setTimeout(() => setNotice(null), 4000);
    return () => clearTimeout(timer);
  }, [notice]);

  const submit = useCallback(
    (item: ReviewItem, body: Omit<DecisionBody, "version">) => {
      setIssues(null);
      decide.mutate(
        { itemId: item.id, body: { ...body, version: item.version } },
        {
          onSuccess: () => {
            setMode(null);
            refocus.current = true;
            setNotice({ tone: "success", text: decidedText(item, body) });
            startTransition(() => router.refresh());
          },
          onError: (error) => {
            if (error instanceof ApiError && error.status === 409) {
              setMode(null);
              setNotice({ tone: "warning", text: `${error.message} The queue has been refreshed with the latest state.` });
              startTransition(() => router.refresh());
            } else if (error instanceof ApiError && error.status === 422 && Array.isArray(error.details)) {
              setIssues({ id: item.id, list: error.details as { path: string; message: string }[] });
              setNotice({ tone: "danger", text: error.message });
            } else {
              setNotice({ tone: "danger", text: error.message });
            }
          },
        },
      );
    },
    [decide, router],
  );

  const focused = focusedIndex >= 0 ? items[focusedIndex] : undefined;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.metaKey || event.ctrlKey || event.altKey || isTyping(event.target)) return;
      const key = event.key;
      if (key === "j" || key === "ArrowDown" || key === "k" || key === "ArrowUp") {
        if (items.length === 0) return;
        event.preventDefault();
        const step = key === "j" || key === "ArrowDown" ? 1 : -1;
        const index = Math.max(0, Math.min(items.length - 1, (focusedIndex < 0 ? -step : focusedIndex) + step));
        setMode(null);
        focusItem(items[index].id);
        return;
      }
      if (!focused || !focused.canDecide || decide.isPending) return;
      if (focused.kind === "conflict") {
        // A conflict is only resolved; approving or editing one side would skip the choice between them.
        if (key === "c") {
          event.preventDefault();
          setMode({ id: focused.id, mode: "resolve" });
        } else if (key === "a" || key === "e" || key === "r") {
          event.preventDefault();
          setNotice({ tone: "warning", text: `${focused.ref} is a conflict between sources: press c to choose which sides to keep.` });
        } else if (key === "Escape") {
          setMode(null);
        }
        return;
      }
      if (key === "a") {
        event.preventDefault();
        submit(focused, { action: "approve" });
      } else if (key === "e") {
        event.preventDefault();
        setMode({ id: focused.id, mode: "edit" });
      } else if (key === "r") {
        event.preventDefault();
        setMode({ id: focused.id, mode: "reject" });
      } else if (key === "Escape") {
        setMode(null);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [items, focused, focusedIndex, decide.isPending, focusItem, submit]);

  const changeFilter = (next: Partial<ReviewFilter>) => {
    const merged = { ...filter, ...next };
    setFilter(merged);
    setMode(null);
    setNotice(null);
    const params = new URLSearchParams();
    if (merged.projectId) params.set("projectId", merged.projectId);
    if (merged.stage) params.set("stage", merged.stage);
    window.history.replaceState(null, "", params.size > 0 ? `/review?${params}` : "/review");
  };

  const decidable = items.filter((item) => item.canDecide).length;
  const filtered = Boolean(filter.projectId || filter.stage);

  return (
    <div className="grid gap-5 lg:grid-cols-[minmax(0,1fr)_15rem]">
      <div className="min-w-0 space-y-3">
        <div className="flex flex-wrap items-end gap-3">
          <ProjectSelect
            id="queue-project"
            className="w-56"
            value={filter.projectId ?? ""}
            projects={projects}
            everything={{ value: "", label: "All projects" }}
            onChange={(projectId) => changeFilter({ projectId: projectId || undefined })}
          />
          <Field label="Stage" htmlFor="queue-stage" className="w-44">
            <Select id="queue-stage" value={filter.stage ?? ""} onChange={(event) => changeFilter({ stage: (event.target.value || undefined) as StageKey | undefined })}>
              <option value="">All stages</option>
              {stageKeys.map((key) => (
                <option key={key} value={key}>
                  {stageLabels[key]}
                </option>
              ))}
            </Select>
          </Field>
          <p className="pb-1.5 text-sm text-zinc-600" aria-live="polite" data-testid="queue-count">
            {queue.isPending ? (
              "Loading…"
            ) : (
              <>
                <span className="font-semibold text-zinc-900 tabular-nums">
                  {items.length}
                  {queue.hasNextPage ? "+" : ""}
                </span>{" "}
                pending{decidable < items.length ? ` · ${decidable} you can decide` : ""}
              </>
            )}
            {queue.isFetching && !queue.isPending ? <Spinner className="ml-2 text-zinc-500" /> : null}
          </p>
        </div>

        {notice && notice.tone !== "success" ? (
          <Alert tone={notice.tone} role="alert">
            <span className="flex items-start justify-between gap-3">
              <span>{notice.text}</span>
              <button type="button" className="text-xs underline" onClick={() => setNotice(null)}>
                Dismiss
              </button>
            </span>
          </Alert>
        ) : null}
        <div role="status" aria-live="polite" className="pointer-events-none fixed right-6 bottom-6 z-30">
          {notice?.tone === "success" ? (
            <p className="rounded-md bg-zinc-900 px-3 py-2 text-sm text-white shadow-lg" data-testid="decision-toast">
              {notice.text}
            </p>
          ) : null}
        </div>

        {queue.isError ? (
          <Alert tone="danger" role="alert" title="The queue could not be loaded">
            {queue.error?.message}{" "}
            <button type="button" className="underline" onClick={() => queue.refetch()}>
              Try again
            </button>
          </Alert>
        ) : null}

        {!queue.isPending && items.length === 0 && !queue.isError ? (
          <EmptyState
            title="Nothing waiting for you"
            action={
              <div className="flex gap-2">
                {filtered ? (
                  <Button size="sm" onClick={() => changeFilter({ projectId: undefined, stage: undefined })}>
                    Show all projects and stages
                  </Button>
                ) : null}
                <ButtonLink href="/" size="sm" variant={filtered ? "ghost" : "secondary"}>
                  Back to your work
                </ButtonLink>
              </div>
            }
          >
            {filtered
              ? "No item is pending for this project and stage."
              : "Every draft routed to you has been decided. New items appear here when a stage you review runs."}
          </EmptyState>
        ) : null}

        <div className="space-y-3">
          {items.map((item) =>
            item.kind === "conflict" ? (
              <ConflictCard
                key={item.id}
                item={item}
                focused={item.id === focusedId}
                resolving={mode?.id === item.id && mode.mode === "resolve"}
                pending={decide.isPending && decide.variables?.itemId === item.id}
                showProject={!filter.projectId || !filter.stage}
                cardRef={(element) => {
                  if (element) cards.current.set(item.id, element);
                  else cards.current.delete(item.id);
                }}
                onFocus={() => setFocusedId(item.id)}
                onResolving={(open) => {
                  setFocusedId(item.id);
                  setMode(open ? { id: item.id, mode: "resolve" } : null);
                  if (!open) cards.current.get(item.id)?.focus({ preventScroll: true });
                }}
                onResolve={(resolution: Resolution) => submit(item, { action: "resolve", ...resolution })}
              />
            ) : (
            <ReviewItemCard
              key={item.id}
              item={item}
              presentation={kinds[item.kind]}
              focused={item.id === focusedId}
              mode={mode?.id === item.id && mode.mode !== "resolve" ? mode.mode : "view"}
              pending={decide.isPending && decide.variables?.itemId === item.id}
              issues={issues?.id === item.id ? issues.list : []}
              showProject={!filter.projectId || !filter.stage}
              cardRef={(element) => {
                if (element) cards.current.set(item.id, element);
                else cards.current.delete(item.id);
              }}
              onFocus={() => setFocusedId(item.id)}
              onMode={(next) => {
                setFocusedId(item.id);
                setIssues(null);
                setMode(next === "view" ? null : { id: item.id, mode: next });
                if (next === "view") cards.current.get(item.id)?.focus({ preventScroll: true });
              }}
              onApprove={() => submit(item, { action: "approve" })}
              onEdit={(submission: EditSubmission) => submit(item, { action: "edit", ...submission })}
              onReject={(comment) => submit(item, { action: "reject", comment })}
            />
            ),
          )}
        </div>

        {queue.hasNextPage ? (
          <div className="flex justify-center">
            <Button onClick={() => queue.fetchNextPage()} pending={queue.isFetchingNextPage}>
              Load more
            </Button>
          </div>
        ) : null}
      </div>

      <aside className="space-y-3 lg:sticky lg:top-16 lg:self-start">
        <ShortcutLegend />
        <p className="px-1 text-xs text-zinc-500">
          Decided items leave the queue. Stage owners sign off on the{" "}
          <Link href="/" className="underline">
            stage page
          </Link>{" "}
          once nothing is pending.
        </p>
      </aside>
    </div>
  );
}
