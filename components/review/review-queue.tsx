"use client";

import { useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { startTransition, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { bulkDecideAction, claimItemAction, editDiffAction, releaseItemAction, undoDecisionAction } from "@/app/(app)/review/actions";
import { Alert } from "@/components/ui/alert";
import { Button, ButtonLink, Spinner } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import type { KindPresentation } from "@/lib/kinds/types";
import type { QueueCounts } from "@/lib/review/counts";
import { ApiError, reviewKeys, useDecideReviewItem, useReviewQueue, type DecisionBody, type ReviewItem, type ReviewPage } from "@/lib/review/queries";
import { listNarrowing, matchesFilter, queueSearch, type QueueFilter } from "@/lib/review/queue-filter";
import { ConflictCard, type Resolution } from "./conflict-card";
import type { EditSubmission } from "./edit-form";
import { heldByOther } from "./item-facts";
import { QueueFilters, type StepOption } from "./queue-filters";
import { QueueList } from "./queue-list";
import { RejectForm, ReviewItemCard, type CardMode } from "./review-item-card";
import { ShortcutLegend } from "./shortcut-legend";
import { UndoToast, type Toast } from "./undo-toast";

type Notice = { tone: "warning" | "danger"; text: string };
type QueueMode = CardMode | "resolve";
type BulkOutcome = { ref: string; ok: boolean; text: string };
type BulkAction = "approve" | "reject";

/** A decision can be taken back for this long, from the toast or with `z`. */
const UNDO_MS = 10_000;
/** A claim is a lease: renewed well before it runs out while the card stays open. */
const CLAIM_RENEW_MS = 4 * 60_000;

/** What the toast says after a decision; an edit or a first of two approvals is not the end of the item. */
function decidedText(item: ReviewItem, body: Omit<DecisionBody, "version">, result: { status?: string; approvals?: number; requiredApprovals?: number }): string {
  if (body.action === "approve" && result.status === "pending" && result.requiredApprovals && result.requiredApprovals > 1) {
    return `${item.ref}: ${result.approvals ?? 1} of ${result.requiredApprovals} approvals. It waits for another reviewer.`;
  }
  if (result.status === "needs_adjudication") return `${item.ref}: reviewers disagree; the stage owner decides.`;
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
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName) || target.closest("dialog[open]") !== null;
}

/** Conflicts first (until one is resolved none of its sides can be approved), each group in the order the server read it (the chosen sort, across the whole queue). */
function ordered(items: ReviewItem[], filter: QueueFilter, stepKinds: Record<string, string>, now: number): ReviewItem[] {
  const at = new Date(now);
  const shown = items.filter((item) => matchesFilter({ ...item, reasons: item.reasons ?? [] }, filter, stepKinds, at));
  return [...shown.filter((item) => item.kind === "conflict"), ...shown.filter((item) => item.kind !== "conflict")];
}

/**
 * The reviewer's queue, keyboard first: a compact list beside the selected item's full card.
 * j/k move (skipping items someone else holds), a/e/r/c decide, z undoes, x selects for a bulk
 * approval (Shift+A) or rejection (Shift+R, asking why once), ? shows the shortcuts. Opening an item claims it while the card is open.
 * Filters and sort live in the URL; the counts beside them are exact (lib/review/counts.ts).
 */
export function ReviewQueue({
  filter,
  initialSelectedId,
  initialPages,
  counts,
  projects,
  steps,
  kinds,
  serverNow,
}: {
  filter: QueueFilter;
  initialSelectedId: string | null;
  initialPages: { conflicts: ReviewPage; drafts: ReviewPage };
  counts: QueueCounts;
  projects: { id: string; name: string }[];
  steps: StepOption[];
  /** how each artifact kind renders and is edited (lib/kinds/registry.ts) */
  kinds: Record<string, KindPresentation>;
  serverNow: number;
}) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const stepKinds = useMemo(() => Object.fromEntries(steps.map((step) => [step.key, step.kind])), [steps]);
  // The server narrows each page by the filter; the same rule runs here too, on items a refetch has not caught up with.
  const narrowed = { status: "pending" as const, ...listNarrowing(filter, stepKinds) };
  const conflictQueue = useReviewQueue({ ...narrowed, kind: "conflict", limit: 50 }, initialPages.conflicts);
  const draftQueue = useReviewQueue({ ...narrowed, kind: "draft", limit: 100 }, initialPages.drafts);
  const decide = useDecideReviewItem();

  // Ages are shown relative to now; the server's clock first, so the first render matches it.
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);

  const loaded = useMemo(
    () => [...(conflictQueue.data?.pages.flatMap((page) => page.items) ?? []), ...(draftQueue.data?.pages.flatMap((page) => page.items) ?? [])],
    [conflictQueue.data, draftQueue.data],
  );
  const items = useMemo(() => ordered(loaded, filter, stepKinds, now), [loaded, filter, stepKinds, now]);

  // Pages load as the reviewer reaches the end of the list (a queue can hold 100,000 items).
  const hasMore = conflictQueue.hasNextPage || draftQueue.hasNextPage;
  const loadingMore = conflictQueue.isFetchingNextPage || draftQueue.isFetchingNextPage;
  const loadMore = useCallback(() => {
    if (!hasMore || loadingMore) return;
    void (conflictQueue.hasNextPage ? conflictQueue.fetchNextPage() : draftQueue.fetchNextPage());
  }, [hasMore, loadingMore, conflictQueue, draftQueue]);

  const [selectedId, setSelectedId] = useState<string | null>(() => {
    const initial = items.find((item) => item.id === initialSelectedId) ?? items.find((item) => !heldByOther(item));
    return initial?.id ?? null;
  });
  const lastIndex = useRef(0);
  // The first item is shown on arrival, but only claimed (and named in the URL) once the reviewer
  // works on the queue: merely opening the page must not lock an item away from everyone else.
  const [engaged, setEngaged] = useState(initialSelectedId !== null);
  const [mode, setMode] = useState<{ id: string; mode: QueueMode } | null>(null);
  const [issues, setIssues] = useState<{ id: string; list: { path: string; message: string }[] } | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [toast, setToast] = useState<Toast | null>(null);
  const [undoing, setUndoing] = useState(false);
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const [bulk, setBulk] = useState<{ action: BulkAction; pending: boolean; outcomes: BulkOutcome[] } | null>(null);
  const [bulkRejecting, setBulkRejecting] = useState(false);
  const [legendOpen, setLegendOpen] = useState(false);
  const rows = useRef(new Map<string, HTMLButtonElement>());
  const card = useRef<HTMLElement | null>(null);

  const selectedIndex = items.findIndex((item) => item.id === selectedId);
  const selected = selectedIndex >= 0 ? items[selectedIndex] : undefined;

  // Keep an item selected: after a decision, the one that took the decided item's place, skipping
  // items someone else holds.
  // An undone item is selected before the refetch brings it back: wait for it rather than move on.
  const awaited = useRef<string | null>(null);
  const [settledTick, setSettledTick] = useState(0);
  useEffect(() => {
    if (selectedIndex >= 0) {
      lastIndex.current = selectedIndex;
      if (awaited.current === selectedId) awaited.current = null;
      return;
    }
    if (awaited.current !== null && awaited.current === selectedId) return;
    const after = items.slice(Math.min(lastIndex.current, items.length));
    const next = after.find((item) => !heldByOther(item)) ?? items.find((item) => !heldByOther(item)) ?? items[0];
    setSelectedId(next?.id ?? null);
  }, [selectedIndex, selectedId, items, settledTick]);

  // The selected item is part of the URL, so a reload or a shared link opens the same card.
  useEffect(() => {
    if (!engaged) return;
    const url = `/review${queueSearch(filter, { item: selectedId ?? undefined })}`;
    if (`${window.location.pathname}${window.location.search}` !== url) window.history.replaceState(window.history.state, "", url);
  }, [filter, selectedId, engaged]);

  // After a decision or a move, keyboard focus follows the selection, so shortcuts keep working.
  // Focus is never lost either: when the focused row leaves the list (its item decided, here or
  // by a refetch that lands later), focus falls to the page body, and goes to the selected row.
  const refocus = useRef(false);
  useEffect(() => {
    if (!selectedId) return;
    const lost = engaged && mode === null && !legendOpen && (document.activeElement === null || document.activeElement === document.body);
    if (!refocus.current && !lost) return;
    // The selection may still name the item just decided: wait for the row that replaces it.
    const row = rows.current.get(selectedId);
    if (!row) return;
    refocus.current = false;
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
  }, [selectedId, items, engaged, mode, legendOpen]);

  const select = useCallback((id: string | undefined, focus = true) => {
    if (!id) return;
    setEngaged(true);
    setMode(null);
    setIssues(null);
    refocus.current = focus;
    setSelectedId(id);
  }, []);

  const refresh = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: reviewKeys.lists() });
    startTransition(() => router.refresh());
  }, [queryClient, router]);

  // Opening an item claims it (a lease, renewed while it is open) and leaving releases it.
  const claimable = engaged && selected && selected.canDecide && !heldByOther(selected) ? selected.id : null;
  useEffect(() => {
    if (!claimable) return;
    let released = false;
    const claim = async () => {
      const result = await claimItemAction({ itemId: claimable });
      if (released) return;
      if (result.ok || result.error.code !== "conflict") return;
      // Someone else took it first: say who. Decided meanwhile (often by this very reviewer): just catch up.
      const holder = (result.error.details as { claimedBy?: { name: string; email: string } } | undefined)?.claimedBy;
      if (holder) setNotice({ tone: "warning", text: `${holder.name || holder.email} is already working on this item. Press j for the next one.` });
      refresh();
    };
    void claim();
    const timer = setInterval(() => void claim(), CLAIM_RENEW_MS);
    // Closing the tab or going elsewhere releases it too; keepalive lets the request outlive the page.
    const onPageHide = () =>
      void fetch(`/api/v1/review-items/${encodeURIComponent(claimable)}/claim`, { method: "DELETE", keepalive: true, credentials: "same-origin", headers: { accept: "application/json" } }).catch(
        () => undefined,
      );
    window.addEventListener("pagehide", onPageHide);
    return () => {
      released = true;
      clearInterval(timer);
      window.removeEventListener("pagehide", onPageHide);
      void releaseItemAction({ itemId: claimable });
    };
  }, [claimable, refresh]);

  // The next item is ready before it is needed: its edit, if any, is fetched with this one.
  const nextItem = selectedIndex >= 0 ? items.slice(selectedIndex + 1).find((item) => !heldByOther(item)) : undefined;
  useEffect(() => {
    if (!nextItem || nextItem.kind === "conflict" || nextItem.version < 2) return;
    void queryClient.prefetchQuery({
      queryKey: [...reviewKeys.all, "edit-diff", nextItem.id, nextItem.version],
      queryFn: async () => {
        const result = await editDiffAction({ itemId: nextItem.id });
        if (!result.ok) throw new Error(result.error.message);
        return result.data;
      },
      staleTime: Infinity,
    });
  }, [nextItem, queryClient]);

  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast((current) => (current?.id === toast.id ? null : current)), UNDO_MS);
    return () => clearTimeout(timer);
  }, [toast]);

  const submit = useCallback(
    (item: ReviewItem, body: Omit<DecisionBody, "version">) => {
      setEngaged(true);
      setIssues(null);
      setNotice(null);
      decide.mutate(
        { itemId: item.id, body: { ...body, version: item.version } },
        {
          onSuccess: (result) => {
            setMode(null);
            refocus.current = true;
            setChecked((current) => {
              const next = new Set(current);
              next.delete(item.id);
              return next;
            });
            setToast({ id: Date.now(), text: decidedText(item, body, result), undo: { itemId: item.id, ref: item.ref, until: Date.now() + UNDO_MS } });
            startTransition(() => router.refresh());
          },
          onError: (error) => {
            if (error instanceof ApiError && error.status === 409) {
              setMode(null);
              setNotice({ tone: "warning", text: `${error.message} The queue has been refreshed with the latest state.` });
              refresh();
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
    [decide, router, refresh],
  );

  const undo = useCallback(async () => {
    const target = toast?.undo;
    if (!target || target.until < Date.now() || undoing) return;
    setUndoing(true);
    const result = await undoDecisionAction({ itemId: target.itemId });
    setUndoing(false);
    if (!result.ok) {
      setToast(null);
      setNotice({ tone: "danger", text: result.error.message });
      return;
    }
    setToast({ id: Date.now(), text: `Undone: ${target.ref} is back in the queue.`, undo: null });
    awaited.current = target.itemId;
    refocus.current = true;
    setSelectedId(target.itemId);
    await queryClient.invalidateQueries({ queryKey: reviewKeys.lists() });
    // The refetched lists reach the component a moment later; if the item is not among them
    // (someone else took it meanwhile), stop waiting so the selection can move on.
    const cached = queryClient.getQueriesData<InfiniteData<ReviewPage>>({ queryKey: reviewKeys.lists() });
    const back = cached.some(([, data]) => data?.pages.some((page) => page.items.some((item) => item.id === target.itemId)));
    if (!back) {
      awaited.current = null;
      setSettledTick((tick) => tick + 1);
    }
    startTransition(() => router.refresh());
  }, [toast, undoing, queryClient, router]);

  const checkedItems = items.filter((item) => checked.has(item.id));
  const bulkTargets = useCallback(() => items.filter((item) => checked.has(item.id) && item.kind !== "conflict" && item.canDecide), [items, checked]);
  /** Decides every selected item at once, each checked and recorded on its own; the outcome of each is listed. */
  const bulkDecide = useCallback(
    async (action: BulkAction, comment?: string) => {
      const targets = bulkTargets();
      if (targets.length === 0) return;
      setBulkRejecting(false);
      setBulk({ action, pending: true, outcomes: [] });
      const result = await bulkDecideAction({ action, items: targets.map((item) => ({ id: item.id, version: item.version })), ...(comment ? { comment } : {}) });
      if (!result.ok) {
        setBulk(null);
        setNotice({ tone: "danger", text: result.error.message });
        return;
      }
      const refOf = new Map(targets.map((item) => [item.id, item.ref]));
      const outcomes = result.data.results.map((entry) => ({
        ref: refOf.get(entry.id) ?? entry.id,
        ok: !entry.error,
        text: entry.error ? entry.error.message : entry.status === "pending" ? "approved, waits for another reviewer" : (entry.status ?? "done").replace("_", " "),
      }));
      setBulk({ action, pending: false, outcomes });
      setChecked(new Set(result.data.results.filter((entry) => entry.error).map((entry) => entry.id)));
      refocus.current = true;
      refresh();
    },
    [bulkTargets, refresh],
  );
  /** Approves at once; a rejection first asks why (one reason for all of them). */
  const startBulk = useCallback(
    (action: BulkAction) => {
      if (bulkTargets().length === 0) {
        setNotice({ tone: "warning", text: `Select items with x (or their checkboxes) first, then ${action} them together with Shift+${action === "approve" ? "A" : "R"}.` });
        return;
      }
      if (action === "approve") void bulkDecide("approve");
      else setBulkRejecting(true);
    },
    [bulkTargets, bulkDecide],
  );
  const closeBulkReject = () => {
    setBulkRejecting(false);
    if (selectedId) rows.current.get(selectedId)?.focus();
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.metaKey || event.ctrlKey || event.altKey || isTyping(event.target)) return;
      const key = event.key;
      if (["a", "e", "r", "c", "x"].includes(key)) setEngaged(true);
      if (key === "?") {
        event.preventDefault();
        setLegendOpen((open) => !open);
        return;
      }
      if (key === "j" || key === "ArrowDown" || key === "k" || key === "ArrowUp") {
        if (items.length === 0) return;
        event.preventDefault();
        const forward = key === "j" || key === "ArrowDown";
        const from = selectedIndex < 0 ? (forward ? -1 : items.length) : selectedIndex;
        const candidates = forward ? items.slice(from + 1) : items.slice(0, from).reverse();
        const next = candidates.find((item) => !heldByOther(item)) ?? candidates[0];
        if (forward && candidates.length <= 5) loadMore();
        select(next?.id);
        return;
      }
      if (key === "z") {
        event.preventDefault();
        void undo();
        return;
      }
      if ((key === "A" || key === "R") && event.shiftKey) {
        event.preventDefault();
        startBulk(key === "A" ? "approve" : "reject");
        return;
      }
      if (key === "Escape") {
        if (mode) {
          setMode(null);
          if (selectedId) rows.current.get(selectedId)?.focus();
        }
        return;
      }
      if (!selected || decide.isPending) return;
      if (key === "x") {
        event.preventDefault();
        if (selected.kind === "conflict" || !selected.canDecide) return;
        setChecked((current) => {
          const next = new Set(current);
          if (next.has(selected.id)) next.delete(selected.id);
          else next.add(selected.id);
          return next;
        });
        return;
      }
      if (!selected.canDecide) {
        if (["a", "e", "r", "c"].includes(key)) {
          event.preventDefault();
          setNotice({ tone: "warning", text: `You cannot decide ${selected.ref}${heldByOther(selected) ? ": someone else is working on it" : ""}. Press j for the next item.` });
        }
        return;
      }
      if (selected.kind === "conflict") {
        // A conflict is only resolved; approving or editing one side would skip the choice between them.
        if (key === "c") {
          event.preventDefault();
          setMode({ id: selected.id, mode: "resolve" });
        } else if (key === "a" || key === "e" || key === "r") {
          event.preventDefault();
          setNotice({ tone: "warning", text: `${selected.ref} is a conflict between sources: press c to choose which sides to keep.` });
        }
        return;
      }
      if (key === "a") {
        event.preventDefault();
        submit(selected, { action: "approve" });
      } else if (key === "e") {
        event.preventDefault();
        setMode({ id: selected.id, mode: "edit" });
      } else if (key === "r") {
        event.preventDefault();
        setMode({ id: selected.id, mode: "reject" });
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [items, selected, selectedIndex, selectedId, mode, decide.isPending, select, submit, undo, startBulk, loadMore]);

  const changeFilter = (next: Partial<QueueFilter>) => {
    setMode(null);
    setNotice(null);
    setBulk(null);
    setBulkRejecting(false);
    router.replace(`/review${queueSearch({ ...filter, ...next })}`, { scroll: false });
  };

  const filtered = Boolean(filter.projectId || filter.stage || filter.step || filter.kind || filter.reason || filter.age || filter.mine);
  const isPending = conflictQueue.isPending || draftQueue.isPending;
  const queueError = conflictQueue.error ?? draftQueue.error;
  const totalToday = counts.decidedToday + counts.pendingInScope;
  const closeMode = () => {
    setMode(null);
    setIssues(null);
    if (selectedId) rows.current.get(selectedId)?.focus();
  };

  return (
    <div className="space-y-3">
      <QueueFilters filter={filter} counts={counts} projects={projects} steps={steps} kinds={kinds} onChange={changeFilter} />

      <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-zinc-700">
        <p aria-live="polite" data-testid="queue-count">
          {isPending ? (
            "Loading…"
          ) : (
            <>
              <span className="font-semibold text-zinc-900 tabular-nums">{counts.matching}</span> pending{filtered ? " that match these filters" : ""}
            </>
          )}
          {(conflictQueue.isFetching || draftQueue.isFetching) && !isPending ? <Spinner className="ml-2 text-zinc-500" /> : null}
        </p>
        <p data-testid="queue-progress">
          <span className="font-semibold text-zinc-900 tabular-nums">{counts.decidedToday}</span> of <span className="tabular-nums">{totalToday}</span> decided by you today
        </p>
        {checkedItems.length > 0 ? (
          <p className="flex items-center gap-2" data-testid="bulk-bar">
            <span>
              <span className="font-semibold tabular-nums">{checkedItems.length}</span> selected
            </span>
            <Button size="sm" variant="success" pending={bulk?.pending && bulk.action === "approve"} onClick={() => startBulk("approve")} data-testid="bulk-approve">
              Approve selected <kbd aria-hidden className="ml-0.5 border-emerald-700 bg-emerald-700 text-white shadow-none">⇧A</kbd>
            </Button>
            <Button size="sm" variant="danger" pending={bulk?.pending && bulk.action === "reject"} onClick={() => startBulk("reject")} data-testid="bulk-reject">
              Reject selected <kbd aria-hidden className="ml-0.5 border-red-700 bg-red-700 text-white shadow-none">⇧R</kbd>
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setChecked(new Set())}>
              Clear
            </Button>
          </p>
        ) : null}
        <Button size="sm" variant="ghost" className="ml-auto" onClick={() => setLegendOpen(true)} aria-keyshortcuts="?">
          Keyboard shortcuts <kbd aria-hidden>?</kbd>
        </Button>
      </div>

      {notice ? (
        <Alert tone={notice.tone} role="alert">
          <span className="flex items-start justify-between gap-3">
            <span>{notice.text}</span>
            <button type="button" className="text-xs underline" onClick={() => setNotice(null)}>
              Dismiss
            </button>
          </span>
        </Alert>
      ) : null}

      {bulkRejecting && checkedItems.length > 0 ? (
        <RejectForm
          itemRef={`${checkedItems.length} selected item${checkedItems.length === 1 ? "" : "s"}`}
          pending={bulk?.pending ?? false}
          onReject={(comment) => void bulkDecide("reject", comment)}
          onCancel={closeBulkReject}
        />
      ) : null}

      {bulk && !bulk.pending ? (
        <Alert tone={bulk.outcomes.every((outcome) => outcome.ok) ? "success" : "warning"} title={bulk.action === "approve" ? "Bulk approval" : "Bulk rejection"} role="status">
          <ul className="mt-1 space-y-0.5" data-testid="bulk-results">
            {bulk.outcomes.map((outcome) => (
              <li key={outcome.ref} data-ok={outcome.ok}>
                <span className="font-mono font-semibold">{outcome.ref}</span>: {outcome.text}
              </li>
            ))}
          </ul>
          <button type="button" className="mt-1 text-xs underline" onClick={() => setBulk(null)}>
            Dismiss
          </button>
        </Alert>
      ) : null}

      {queueError ? (
        <Alert tone="danger" role="alert" title="The queue could not be loaded">
          {queueError.message}{" "}
          <button type="button" className="underline" onClick={refresh}>
            Try again
          </button>
        </Alert>
      ) : null}

      {!isPending && items.length === 0 && !queueError ? (
        <EmptyState
          title={filtered ? "Nothing matches these filters" : "Nothing waiting for you"}
          action={
            <div className="flex gap-2">
              {filtered ? (
                <Button size="sm" onClick={() => router.replace("/review", { scroll: false })}>
                  Clear the filters
                </Button>
              ) : null}
              <ButtonLink href="/review/history" size="sm" variant="ghost">
                What I decided
              </ButtonLink>
            </div>
          }
        >
          {filtered ? "No pending item matches. Clear a filter to see more." : "Every item routed to you has been decided. New items appear here when a stage you review runs."}
        </EmptyState>
      ) : null}

      {items.length > 0 ? (
        <div className="grid items-start gap-4 lg:grid-cols-[20rem_minmax(0,1fr)]">
          <div className="lg:sticky lg:top-4 lg:max-h-[calc(100vh-2rem)] lg:overflow-y-auto">
            <QueueList
              items={items}
              selectedId={selectedId}
              checked={checked}
              kinds={kinds}
              now={now}
              rowRef={(id, element) => {
                if (element) rows.current.set(id, element);
                else rows.current.delete(id);
              }}
              onSelect={(id) => select(id, false)}
              onCheck={(id, on) =>
                setChecked((current) => {
                  const next = new Set(current);
                  if (on) next.add(id);
                  else next.delete(id);
                  return next;
                })
              }
            />
            {hasMore ? (
              <div className="mt-2 space-y-1 text-center text-xs text-zinc-600">
                <Button size="sm" variant="ghost" onClick={loadMore} disabled={loadingMore}>
                  {loadingMore ? <Spinner className="mr-1" /> : null}
                  Show more ({Math.max(counts.matching - items.length, 0)} not shown)
                </Button>
              </div>
            ) : null}
          </div>
          <div className="min-w-0">
            {selected ? (
              selected.kind === "conflict" ? (
                <ConflictCard
                  key={selected.id}
                  item={selected}
                  focused
                  resolving={mode?.id === selected.id && mode.mode === "resolve"}
                  pending={decide.isPending && decide.variables?.itemId === selected.id}
                  showProject={!filter.projectId || !filter.stage}
                  cardRef={(element) => {
                    card.current = element;
                  }}
                  onFocus={() => setEngaged(true)}
                  onResolving={(open) => (open ? setMode({ id: selected.id, mode: "resolve" }) : closeMode())}
                  onResolve={(resolution: Resolution) => submit(selected, { action: "resolve", ...resolution })}
                />
              ) : (
                <ReviewItemCard
                  key={selected.id}
                  item={selected}
                  presentation={kinds[selected.kind]}
                  focused
                  mode={mode?.id === selected.id && mode.mode !== "resolve" ? mode.mode : "view"}
                  pending={decide.isPending && decide.variables?.itemId === selected.id}
                  issues={issues?.id === selected.id ? issues.list : []}
                  showProject={!filter.projectId || !filter.stage}
                  now={now}
                  cardRef={(element) => {
                    card.current = element;
                  }}
                  onFocus={() => setEngaged(true)}
                  onMode={(next) => {
                    setIssues(null);
                    if (next === "view") closeMode();
                    else setMode({ id: selected.id, mode: next });
                  }}
                  onApprove={() => submit(selected, { action: "approve" })}
                  onEdit={(submission: EditSubmission) => submit(selected, { action: "edit", ...submission })}
                  onReject={(comment) => submit(selected, { action: "reject", comment })}
                />
              )
            ) : null}
          </div>
        </div>
      ) : null}

      <UndoToast toast={toast} undoing={undoing} onUndo={() => void undo()} />
      <ShortcutLegend open={legendOpen} onOpenChange={setLegendOpen} />
    </div>
  );
}
