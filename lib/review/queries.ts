import { useInfiniteQuery, useMutation, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import type { StageKey } from "@/lib/generated/sqlite/enums";
import type { DraftLineage } from "./lineage";
import type { ReviewItemView } from "./service";

/**
 * The review queue in the browser: React Query keys from one factory, the two HTTP calls of
 * /api/v1/review-items, and the hooks the queue uses. Invalidate by `reviewKeys.lists()`.
 */
/** An item as the API sends it: the queue row and, for a draft, where it comes from (./lineage.ts). */
export type ReviewItem = ReviewItemView & DraftLineage;
export type DraftItem = Exclude<ReviewItem, { kind: "conflict" }>;
export type ConflictItem = Extract<ReviewItem, { kind: "conflict" }>;
export type ReviewPage = { items: ReviewItem[]; nextCursor: string | null };
export type ReviewFilter = {
  status?: "pending" | "decided" | "cancelled" | "all";
  kind?: "draft" | "conflict";
  projectId?: string;
  stage?: StageKey;
  limit?: number;
  artifactKind?: string;
  reason?: string;
  waitingHours?: number;
  mine?: boolean;
  sort?: "oldest" | "risk";
};
export type DecisionBody = {
  action: "approve" | "edit" | "reject" | "resolve";
  version: number;
  content?: Record<string, unknown>;
  comment?: string;
  /** For a conflict: the artifact ids of the sides to keep; the others are rejected. */
  keep?: string[];
};
export type DecisionResult = {
  id: string;
  action: DecisionBody["action"];
  artifactId: string;
  /** pending while approvals are missing, approved, rejected, needs_adjudication; pending_review after an edit; resolved for a conflict */
  status: string;
  version: number;
  approvals: number;
  requiredApprovals: number;
  undoableUntil: string;
};
export type ClaimResult = { id: string; claimedBy: { email: string; name: string }; expiresAt: string };
export type UndoResult = { id: string; kind: "undo" | "reopen"; status: "pending" | "needs_adjudication"; undoneDecisionId: string; artifactId: string | null; version: number };
export type AdjudicationBody = { action: "approve" | "reject"; comment: string };
export type BulkDecisionBody = { action: "approve" | "reject"; items: { id: string; version: number }[]; comment?: string };
export type BulkDecisionResult = { results: { id: string; status: string; error?: { code: string; message: string } }[] };

function normalized(filter: ReviewFilter): Required<Pick<ReviewFilter, "status" | "limit">> & ReviewFilter {
  return {
    status: filter.status ?? "pending",
    limit: filter.limit ?? 20,
    ...(filter.projectId ? { projectId: filter.projectId } : {}),
    ...(filter.stage ? { stage: filter.stage } : {}),
    ...(filter.kind ? { kind: filter.kind } : {}),
    ...(filter.artifactKind ? { artifactKind: filter.artifactKind } : {}),
    ...(filter.reason ? { reason: filter.reason } : {}),
    ...(filter.waitingHours ? { waitingHours: filter.waitingHours } : {}),
    ...(filter.mine ? { mine: true } : {}),
    ...(filter.sort === "risk" ? { sort: "risk" as const } : {}),
  };
}

export const reviewKeys = {
  all: ["review-items"] as const,
  lists: () => [...reviewKeys.all, "list"] as const,
  list: (filter: ReviewFilter) => [...reviewKeys.lists(), normalized(filter)] as const,
};

/** A failed API call, with the body's code, message and details (e.g. zod issues). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

async function request<T>(url: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      ...init,
      credentials: "same-origin",
      headers: { accept: "application/json", ...(init?.body ? { "content-type": "application/json" } : {}) },
    });
  } catch {
    throw new ApiError(0, "network", "Could not reach the server. Check your connection and try again.");
  }
  const body = (await response.json().catch(() => null)) as unknown;
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
    throw new ApiError(
      response.status,
      error?.code ?? "internal",
      error?.message ?? `The server answered ${response.status} ${response.statusText}.`,
      error?.details,
    );
  }
  return body as T;
}

export function fetchReviewPage(filter: ReviewFilter, cursor?: string): Promise<ReviewPage> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(normalized(filter))) params.set(key, String(value));
  if (cursor) params.set("cursor", cursor);
  return request<ReviewPage>(`/api/v1/review-items?${params}`);
}

export function postDecision(itemId: string, body: DecisionBody): Promise<DecisionResult> {
  return request<DecisionResult>(`/api/v1/review-items/${encodeURIComponent(itemId)}/decision`, {
    method: "POST",
    body: JSON.stringify(body),
  });
}

const itemUrl = (itemId: string, action: string) => `/api/v1/review-items/${encodeURIComponent(itemId)}/${action}`;

/** Claims the item (or renews the caller's claim); a 409 ApiError names who holds it. */
export function postClaim(itemId: string, assignTo?: string): Promise<ClaimResult> {
  return request<ClaimResult>(itemUrl(itemId, "claim"), { method: "POST", body: JSON.stringify(assignTo ? { assignTo } : {}) });
}

export function deleteClaim(itemId: string): Promise<{ id: string; released: boolean }> {
  return request(itemUrl(itemId, "claim"), { method: "DELETE" });
}

export function postUndo(itemId: string): Promise<UndoResult> {
  return request<UndoResult>(itemUrl(itemId, "undo"), { method: "POST" });
}

export function postAdjudication(itemId: string, body: AdjudicationBody): Promise<DecisionResult> {
  return request<DecisionResult>(itemUrl(itemId, "adjudication"), { method: "POST", body: JSON.stringify(body) });
}

export function postBulkDecision(body: BulkDecisionBody): Promise<BulkDecisionResult> {
  return request<BulkDecisionResult>("/api/v1/review-items/bulk-decision", { method: "POST", body: JSON.stringify(body) });
}

/** The queue for a filter, page by page; `initialPage` is what the server rendered. */
export function useReviewQueue(filter: ReviewFilter, initialPage?: ReviewPage) {
  return useInfiniteQuery({
    queryKey: reviewKeys.list(filter),
    queryFn: ({ pageParam }) => fetchReviewPage(filter, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // A run that resumes after the last decision sends new drafts a few seconds later.
    refetchInterval: 10_000,
    ...(initialPage ? { initialData: { pages: [initialPage], pageParams: [undefined] } } : {}),
  });
}

/** Posts a decision; a decided item leaves every cached list at once, then the lists refetch. */
export function useDecideReviewItem() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ itemId, body }: { itemId: string; body: DecisionBody }) => postDecision(itemId, body),
    onSuccess: (_result, { itemId }) => {
      queryClient.setQueriesData<InfiniteData<ReviewPage, string | undefined>>({ queryKey: reviewKeys.lists() }, (data) =>
        data
          ? { ...data, pages: data.pages.map((page) => ({ ...page, items: page.items.filter((item) => item.id !== itemId) })) }
          : data,
      );
    },
    // Not awaited: the decision is done when the server says so; the refetch catches up behind it.
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: reviewKeys.lists() });
    },
  });
}
