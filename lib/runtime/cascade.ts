import type { Escalation } from "@/lib/policies/schema";
import type { ValidationIssue } from "./trace";
import { describeIssues, type TierOutcome } from "./call";

/**
 * A cascade drafts with tiers from cheap to strong. Tier 0 drafts the whole step input; the
 * drafts that meet its escalation rule go up to the next tier, and so on; what the last tier
 * drafted, and whatever no tier escalated, is routed as usual.
 *
 * How a draft goes up: each draft rests on parts of the step input (the source passages it
 * quotes, the upstream artifacts it names). The escalated drafts, together with every draft that
 * rests on one of the same parts (transitively), form the group to re-draft; the next tier is
 * asked about exactly those parts of the input, and its drafts replace the whole group. So the
 * stronger model sees only what was uncertain (its cost follows the uncertain share), never
 * drafts beside a kept draft of the same passage, and a confident draft is kept from the cheap
 * tier only when nothing uncertain shares its basis. A step that cannot say what its drafts rest
 * on, or a draft whose basis is unknown (a reply that was not JSON), sends the whole input up,
 * and the next tier's draft replaces everything.
 *
 * A tier whose every model failed leaves its request to the next tier; when the last tier
 * fails, the drafts it was asked to replace stay, marked so that routing sends them to people
 * (provider_error). When no tier drafted anything the step has failed.
 */
export type Drafter = { model: string; tier: number };
export type DraftItem = Record<string, unknown>;
export type Violation = { raw: unknown; problem: string; drafter?: Drafter };

/** A draft in the making: one valid item or one item (or reply) that broke its contract. */
type Piece = {
  item: DraftItem | null;
  violation: Violation | null;
  drafter: Drafter;
  /** the parts of the input it rests on; null when unknown */
  basis: readonly string[] | null;
  /** why the tier that should have re-drafted it could not */
  providerError: string | null;
};

export type CascadeStep<Call> = {
  listKey: string;
  /** keeps the valid list items of a reply that broke the contract; null when the reply has no readable list */
  salvage(rawText: string): { valid: unknown[]; invalid: { raw: unknown; problem: string }[] } | null;
  /** the parts of the input a (valid or broken) item rests on; null when unknown */
  basisOf?(item: unknown): readonly string[] | null;
  /** the call for only these parts of the input; null when they cannot be cut out */
  narrowed?(basis: ReadonlySet<string>): Call | null;
};

export type CascadeTierSpec = { modelIds: readonly string[]; escalateWhen: Escalation };

/** What the cascade knows of an item when it decides whether it goes up. */
export type ItemJudgement = { confidence: number | null; unsure: string | null; calibratedProbability: number };

export type TierReport = { tier: number; model: string | null; drafted: number; violations: number; escalated: number; reasons: string[]; failures: string[] };

export type CascadeResult =
  | {
      status: "drafted";
      items: DraftItem[];
      violations: Violation[];
      /** the parts of every tier's draft beside its list (conflicts, open questions), ids renamed as their items */
      extras: Record<string, unknown>[];
      drafters: Record<string, Drafter>;
      providerErrors: Record<string, string>;
      /** a tier's reply broke the contract even after repair */
      brokenReplies: number;
      tiers: TierReport[];
    }
  | { status: "failed"; failures: string[]; tiers: TierReport[] };

export async function draftInTiers<Call>(input: {
  tiers: readonly CascadeTierSpec[];
  step: CascadeStep<Call>;
  fullCall: Call;
  draft(tier: number, modelIds: readonly string[], call: Call): Promise<TierOutcome<Record<string, unknown>>>;
  judge(item: DraftItem, drafter: Drafter): ItemJudgement;
}): Promise<CascadeResult> {
  const { tiers, step } = input;
  let pieces: Piece[] = [];
  const extras: Record<string, unknown>[] = [];
  const reports: TierReport[] = [];
  // What the next tier is asked: the whole input, or the parts the drafts it replaces rest on.
  let call: Call = input.fullCall;
  let replacing: Set<Piece> = new Set();
  // The next tier re-drafts the whole input: its draft replaces the other parts of the earlier ones too.
  let replacingAll = false;
  let brokenReplies = 0;
  const failures: string[] = [];

  for (const [index, tier] of tiers.entries()) {
    const last = index === tiers.length - 1;
    const outcome = await input.draft(index, tier.modelIds, call);
    if (outcome.status === "provider_error") {
      failures.push(...outcome.failures);
      reports.push({ tier: index, model: null, drafted: 0, violations: 0, escalated: 0, reasons: [], failures: outcome.failures });
      // The next tier takes the same request; after the last, what it should have replaced stays, for people.
      if (!last) continue;
      const why = `every model asked to re-draft it failed: ${outcome.failures.join("; ")}`;
      pieces = pieces.map((piece) => (replacing.has(piece) ? { ...piece, providerError: why } : piece));
      break;
    }
    const drafter: Drafter = { model: outcome.model, tier: index };
    const fresh = piecesOf(outcome, drafter, step, index);
    if (outcome.status === "contract_violation") brokenReplies += 1;
    pieces = [...pieces.filter((piece) => !replacing.has(piece)), ...fresh.pieces];
    if (replacingAll) extras.length = 0;
    if (fresh.extras) extras.push(fresh.extras);
    const report: TierReport = {
      tier: index,
      model: outcome.model,
      drafted: fresh.pieces.filter((piece) => piece.item).length,
      violations: fresh.pieces.filter((piece) => piece.violation).length,
      escalated: 0,
      reasons: [],
      failures: [],
    };
    reports.push(report);
    if (last) break;

    const escalated = fresh.pieces.flatMap((piece) => {
      const why = escalationReason(piece, tier.escalateWhen, input.judge);
      return why ? [{ piece, why }] : [];
    });
    if (escalated.length === 0) break;
    const group = escalationGroup(pieces, escalated.map(({ piece }) => piece));
    const narrowed = group.basis && step.narrowed ? step.narrowed(group.basis) : null;
    replacing = narrowed ? group.pieces : new Set(pieces);
    replacingAll = narrowed === null;
    call = narrowed ?? input.fullCall;
    report.escalated = replacing.size;
    report.reasons = escalated.map(({ piece, why }) => `${labelOf(piece)}: ${why}`);
  }

  if (pieces.length === 0 && failures.length > 0 && reports.every((report) => report.model === null)) return { status: "failed", failures, tiers: reports };
  const drafters: Record<string, Drafter> = {};
  const providerErrors: Record<string, string> = {};
  for (const piece of pieces) {
    const id = piece.item && typeof piece.item.id === "string" ? piece.item.id : null;
    if (id) drafters[id] = piece.drafter;
    if (id && piece.providerError) providerErrors[id] = piece.providerError;
  }
  return {
    status: "drafted",
    items: pieces.flatMap((piece) => (piece.item ? [piece.item] : [])),
    violations: pieces.flatMap((piece) =>
      piece.violation ? [{ ...piece.violation, drafter: piece.drafter, ...(piece.providerError ? { problem: `${piece.violation.problem}; ${piece.providerError}` } : {}) }] : [],
    ),
    extras,
    drafters,
    providerErrors,
    brokenReplies,
    tiers: reports,
  };
}

/** The rule of `rule` an item meets, in words, or null when it stays at its tier. */
export function escalationReason(piece: Pick<Piece, "item" | "violation" | "drafter">, rule: Escalation, judge: (item: DraftItem, drafter: Drafter) => ItemJudgement): string | null {
  if (piece.violation) return rule.contractViolation ? `broke its contract (${piece.violation.problem})` : null;
  const item = piece.item!;
  const judged = judge(item, piece.drafter);
  if (rule.belowCalibrated !== undefined && judged.calibratedProbability < rule.belowCalibrated) {
    return `calibrated probability ${judged.calibratedProbability.toFixed(3)} is below ${rule.belowCalibrated}`;
  }
  if (rule.belowConfidence !== undefined && (judged.confidence === null || judged.confidence < rule.belowConfidence)) {
    return `confidence ${judged.confidence === null ? "unknown" : judged.confidence.toFixed(2)} is below ${rule.belowConfidence}`;
  }
  if (rule.unsure && judged.unsure !== null) return `the model was unsure: ${judged.unsure}`;
  return null;
}

/**
 * The escalated pieces and every piece sharing a part of the input with them, transitively, with
 * the parts they rest on; basis null when any of them rests on something unknown.
 */
export function escalationGroup<P extends Pick<Piece, "basis">>(pieces: readonly P[], escalated: readonly P[]): { pieces: Set<P>; basis: Set<string> | null } {
  const group = new Set<P>(escalated);
  const basis = new Set<string>();
  let unknown = false;
  let grew = true;
  while (grew) {
    grew = false;
    for (const piece of group) {
      if (piece.basis === null) unknown = true;
      for (const part of piece.basis ?? []) basis.add(part);
    }
    for (const piece of pieces) {
      if (group.has(piece) || piece.basis === null) continue;
      if (piece.basis.some((part) => basis.has(part))) {
        group.add(piece);
        grew = true;
      }
    }
  }
  return { pieces: group, basis: unknown ? null : basis };
}

function labelOf(piece: Piece): string {
  const id = piece.item && typeof piece.item.id === "string" ? piece.item.id : null;
  return id ?? "a broken item";
}

/**
 * A tier's answer as pieces. Item ids of tiers above the first are renamed (R1 -> t1.R1) so they
 * stay unique beside the kept drafts, in the tier's other parts too (a conflict naming R1).
 */
function piecesOf<Call>(outcome: Exclude<TierOutcome<Record<string, unknown>>, { status: "provider_error" }>, drafter: Drafter, step: CascadeStep<Call>, tier: number) {
  const rename = (id: string) => (tier === 0 ? id : `t${tier}.${id}`);
  const basisOf = (item: unknown) => (step.basisOf ? step.basisOf(item) : null);
  const piece = (item: DraftItem | null, violation: Violation | null, raw: unknown): Piece => ({ item, violation, drafter, basis: basisOf(raw), providerError: null });

  if (outcome.status === "ok") {
    const { [step.listKey]: list, ...rest } = outcome.output;
    const items = Array.isArray(list) ? (list as DraftItem[]) : [];
    const ids = new Map(items.flatMap((item) => (typeof item.id === "string" ? [[item.id, rename(item.id)] as const] : [])));
    return {
      pieces: items.map((item) => piece(typeof item.id === "string" ? { ...item, id: ids.get(item.id)! } : item, null, item)),
      extras: renameIds(rest, ids) as Record<string, unknown>,
    };
  }
  const problem = describeIssues(outcome.issues);
  // The newest reply with a readable list is the best to keep items from.
  for (const reply of [...outcome.replies].reverse()) {
    const salvaged = step.salvage(reply);
    if (!salvaged) continue;
    return {
      pieces: [
        ...salvaged.valid.map((valid) => {
          const item = valid as DraftItem;
          return piece(typeof item.id === "string" ? { ...item, id: rename(item.id) } : item, null, item);
        }),
        ...salvaged.invalid.map((invalid) => piece(null, { raw: invalid.raw, problem: invalid.problem }, invalid.raw)),
      ],
      extras: null,
    };
  }
  const reply = outcome.replies.at(-1) ?? "";
  return { pieces: [{ item: null, violation: { raw: reply, problem: wholeReplyProblem(outcome.issues, problem) }, drafter, basis: null, providerError: null }], extras: null };
}

function wholeReplyProblem(issues: readonly ValidationIssue[], problem: string): string {
  return issues.length === 0 ? "the reply could not be read as the draft the step asks for" : `the whole reply broke the contract, even after it was sent back with the problems: ${problem}`;
}

function renameIds(value: unknown, ids: ReadonlyMap<string, string>): unknown {
  if (ids.size === 0) return value;
  if (typeof value === "string") return ids.get(value) ?? value;
  if (Array.isArray(value)) return value.map((entry) => renameIds(entry, ids));
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, renameIds(entry, ids)]));
  return value;
}

/**
 * One draft from the cascade: the kept items and, beside them, the other parts of every tier's
 * draft (lists are joined; the first tier's value wins for anything else).
 */
export function mergedDraft(items: readonly DraftItem[], extras: readonly Record<string, unknown>[], listKey: string, fromItems: (items: unknown[]) => unknown): Record<string, unknown> {
  const merged = { ...(fromItems([...items]) as Record<string, unknown>) };
  for (const extra of extras) {
    for (const [key, value] of Object.entries(extra)) {
      if (key === listKey) continue;
      if (Array.isArray(value) && Array.isArray(merged[key])) merged[key] = [...(merged[key] as unknown[]), ...value];
      else if (merged[key] === undefined || (Array.isArray(merged[key]) && (merged[key] as unknown[]).length === 0)) merged[key] = value;
    }
  }
  return merged;
}

/** The lines of a source a quote lies on, as `sourceId#line`; the whole source (`sourceId`) when the quote is not found. */
export function passageBasis(quotes: readonly { sourceId: string; quote: string }[], sources: readonly { id: string; text: string }[]): string[] {
  const byId = new Map(sources.map((source) => [source.id, source.text]));
  return quotes.flatMap(({ sourceId, quote }) => {
    const text = byId.get(sourceId);
    const at = text === undefined || quote === "" ? -1 : text.indexOf(quote);
    if (at < 0) return [sourceId];
    const first = lineAt(text!, at);
    const lastLine = lineAt(text!, at + quote.length - 1);
    return Array.from({ length: lastLine - first + 1 }, (_, offset) => `${sourceId}#${first + offset}`);
  });
}

function lineAt(text: string, offset: number): number {
  let line = 0;
  for (let index = 0; index < offset; index += 1) if (text.charCodeAt(index) === 10) line += 1;
  return line;
}

/**
 * The sources cut down to the passages named (`sourceId#line`, or `sourceId` for all of it), in
 * their order; sources with nothing named are left out. Null when nothing is left.
 */
export function narrowSources<Source extends { id: string; text: string }>(sources: readonly Source[], basis: ReadonlySet<string>): Source[] | null {
  const kept = sources.flatMap((source) => {
    if (basis.has(source.id)) return [source];
    const lines = source.text.split("\n").filter((_, line) => basis.has(`${source.id}#${line}`));
    return lines.length > 0 ? [{ ...source, text: lines.join("\n") }] : [];
  });
  return kept.length > 0 ? kept : null;
}
