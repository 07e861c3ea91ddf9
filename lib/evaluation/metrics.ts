import { expectedCalibrationError } from "@/lib/calibration";
import type { Conflict, DraftedRequirement, RequirementCategory } from "@/lib/requirements/schema";

/**
 * Scores drafted requirements against a hand-labelled evaluation set: which drafts point at real
 * requirements, whether their category is right, and whether routing auto-approved only the right ones.
 * Pure: no database, no model; the caller brings drafts and labels.
 */

export const itemLabels = ["requirement", "chatter", "directive", "question", "none"] as const;
export type ItemLabel = (typeof itemLabels)[number];

/** One labelled span of a source; `source` is the source's title, `category` is null unless it is a requirement. */
export type LabelledItem = { source: string; text: string; label: ItemLabel; category: RequirementCategory | null };

export type LabelledConflict = { source: string; texts: [string, string]; about: string };

/** A quote names its source by title (evaluation sources) or by id (pipeline output mapped to titles). */
export type DraftQuote = { quote: string } & ({ sourceTitle: string } | { sourceId: string });

export type Draft = {
  statement: string;
  category: string;
  quotes: DraftQuote[];
  outcome: "auto_approved" | "review";
  calibratedProbability?: number | null;
  /** Why routing sent it to people (reason codes), when known: for reading a dump, not for scoring. */
  reasons?: string[];
  /** What a reviewer would read on the item: each reason with its detail, and the drafter's doubt (for --dump). */
  why?: string[];
};

export type ReportedConflict = { quotes: DraftQuote[] };

/** A drafted requirement as the pipeline returns it, with the routing outcome, in the form the metrics score. */
export function draftOf(requirement: DraftedRequirement, outcome: Draft["outcome"], calibratedProbability: number | null = null): Draft {
  return { statement: requirement.statement, category: requirement.category, quotes: requirement.sources, outcome, calibratedProbability };
}

export function reportedConflictOf(conflict: Conflict): ReportedConflict {
  return { quotes: conflict.sources };
}

export type Verdict = "correct" | "wrong_category" | "not_a_requirement" | "unmatched";

/** A quote and an item overlap when they share at least this share of the shorter one. */
const MIN_OVERLAP = 0.5;
/** Characters two spans must share in one run to overlap at all, unless the shorter is shorter than this. */
const MIN_SHARED_RUN = 12;

function collapse(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function sourceOf(quote: DraftQuote): string {
  return "sourceTitle" in quote ? quote.sourceTitle : quote.sourceId;
}

/**
 * A suffix automaton of one text: finds the longest run it shares with any other text in time linear
 * in that other text, so scoring every draft against every labelled line of a source stays fast.
 */
class SuffixAutomaton {
  private readonly length: number[] = [0];
  private readonly link: number[] = [-1];
  private readonly next: Map<number, number>[] = [new Map()];

  constructor(text: string) {
    let last = 0;
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index);
      const current = this.addState(this.length[last] + 1);
      let state = last;
      while (state !== -1 && !this.next[state].has(code)) {
        this.next[state].set(code, current);
        state = this.link[state];
      }
      const target = state === -1 ? undefined : this.next[state].get(code);
      if (target === undefined) this.link[current] = 0;
      else {
        if (this.length[state] + 1 === this.length[target]) this.link[current] = target;
        else {
          const clone = this.addState(this.length[state] + 1, target);
          while (state !== -1 && this.next[state].get(code) === target) {
            this.next[state].set(code, clone);
            state = this.link[state];
          }
          this.link[target] = clone;
          this.link[current] = clone;
        }
      }
      last = current;
    }
  }

  private addState(length: number, copyOf?: number): number {
    this.length.push(length);
    this.link.push(copyOf === undefined ? -1 : this.link[copyOf]);
    this.next.push(copyOf === undefined ? new Map() : new Map(this.next[copyOf]));
    return this.length.length - 1;
  }

  /** Length of the longest substring of `other` that also occurs in the automaton's text. */
  longestCommonRun(other: string): number {
    let state = 0;
    let run = 0;
    let best = 0;
    for (let index = 0; index < other.length; index++) {
      const code = other.charCodeAt(index);
      while (state !== 0 && !this.next[state].has(code)) {
        state = this.link[state];
        run = this.length[state];
      }
      const target = this.next[state].get(code);
      if (target === undefined) run = 0;
      else {
        state = target;
        run += 1;
      }
      if (run > best) best = run;
    }
    return best;
  }
}

// Each labelled line is scored against many quotes, so its automaton is kept; bounded so a long-lived process cannot grow without limit.
const MAX_CACHED_TEXTS = 10_000;
const automata = new Map<string, SuffixAutomaton>();

function automatonOf(text: string): SuffixAutomaton {
  let automaton = automata.get(text);
  if (!automaton) {
    if (automata.size >= MAX_CACHED_TEXTS) automata.clear();
    automaton = new SuffixAutomaton(text);
    automata.set(text, automaton);
  }
  return automaton;
}

type Overlap = { shared: number; share: number };

/** The longest shared run stands in for the character overlap of two spans of one source, found without their offsets. */
function measureOverlap(quote: string, text: string): Overlap {
  const a = collapse(quote);
  const b = collapse(text);
  const shorter = Math.min(a.length, b.length);
  if (shorter === 0) return { shared: 0, share: 0 };
  const shared = automatonOf(b).longestCommonRun(a);
  return { shared, share: shared / shorter };
}

/**
 * How far a quote covers a labelled span, for matching: the overlap, except that a run of a few
 * characters is chance ("Sure." shares "re." with "... the working day before."), so a quote must
 * share a run of MIN_SHARED_RUN characters, or be found whole when it is shorter.
 */
function matchOverlap(quote: string, text: string): Overlap {
  const measured = measureOverlap(quote, text);
  const shorter = Math.min(collapse(quote).length, collapse(text).length);
  return measured.shared < Math.min(MIN_SHARED_RUN, shorter) ? { shared: measured.shared, share: 0 } : measured;
}

/** Share of the shorter span that the two texts have in common (0..1). */
export function overlap(quote: string, text: string): number {
  return measureOverlap(quote, text).share;
}

function overlaps(quote: DraftQuote, source: string, text: string): boolean {
  return sourceOf(quote) === source && matchOverlap(quote.quote, text).share >= MIN_OVERLAP;
}

/**
 * The labelled item a draft's quotes overlap most, or null when none reaches the threshold.
 * "Most" is the longest shared run, so a short quote contained in two items goes to the one it covers
 * more of; ties go to a requirement, since a quote spanning a heading and a requirement is about the requirement.
 * Each quote is matched on its own; a quote whose best item is a labelled question counts only when no
 * other quote matches something else: a draft that quotes a question beside its answer ("When do
 * orders close?" / "Nine o'clock on the day.") is about the answer.
 */
export function bestMatch(draft: Draft, items: LabelledItem[]): LabelledItem | null {
  const perQuote = draft.quotes.flatMap((quote) => {
    const best = bestFor(quote, items);
    return best ? [best] : [];
  });
  const answers = perQuote.filter(({ item }) => item.label !== "question");
  return (answers.length > 0 ? answers : perQuote).reduce<Match | null>((best, match) => (best === null || better(match, best) ? match : best), null)?.item ?? null;
}

type Match = { item: LabelledItem; shared: number; share: number };

function better(candidate: Match, best: Match): boolean {
  return (
    candidate.shared > best.shared ||
    (candidate.shared === best.shared && (candidate.share > best.share || (candidate.share === best.share && best.item.label !== "requirement" && candidate.item.label === "requirement")))
  );
}

/** The item one quote overlaps most. */
function bestFor(quote: DraftQuote, items: LabelledItem[]): Match | null {
  let best: Match | null = null;
  for (const item of items) {
    if (item.source !== sourceOf(quote)) continue;
    const { shared, share } = matchOverlap(quote.quote, item.text);
    if (share < MIN_OVERLAP) continue;
    const match = { item, shared, share };
    if (best === null || better(match, best)) best = match;
  }
  return best;
}

export function judge(draft: Draft, item: LabelledItem | null): Verdict {
  if (item === null) return "unmatched";
  if (item.label !== "requirement") return "not_a_requirement";
  return item.category === draft.category ? "correct" : "wrong_category";
}

export type JudgedDraft = { draft: Draft; item: LabelledItem | null; verdict: Verdict };

export function judgeAll(drafts: Draft[], items: LabelledItem[]): JudgedDraft[] {
  return drafts.map((draft) => {
    const item = bestMatch(draft, items);
    return { draft, item, verdict: judge(draft, item) };
  });
}

export type Summary = {
  drafts: number;
  verdicts: Record<Verdict, number>;
  /** correct / (correct + wrong_category): how often a draft that found a requirement named its category. */
  categoryAccuracy: number | null;
  autoApproved: number;
  autoApprovedCorrect: number;
  /** correct / auto-approved: the share of unreviewed approvals a human would have signed off. */
  autoApprovedPrecision: number | null;
  /** auto-approved / drafts. */
  automation: number | null;
  requirementItems: number;
  requirementItemsFound: number;
  recall: number | null;
  autoApprovedChatter: number;
  autoApprovedDirectives: number;
  /** (chatter + directives) / auto-approved. */
  autoApprovedChatterShare: number | null;
  /** Expected calibration error of calibratedProbability against correctness; null when no draft has one. */
  ece: number | null;
  eceSamples: number;
  /**
   * Of the most confident fifth of the drafts (by calibrated probability), the share that is
   * correct: how well the probability ranks drafts, whatever the bound currently allows.
   */
  topFifthPrecision: number | null;
  topFifthCorrect: number;
  topFifth: number;
  conflictsLabelled: number;
  conflictsFound: number;
  conflictsReported: number;
  /** Reported conflicts that quote both texts of some labelled conflict; the rest are false alarms. */
  conflictsReportedTrue: number;
  /** conflictsReportedTrue / conflictsReported. */
  conflictPrecision: number | null;
};

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}


function quotesBoth(conflict: ReportedConflict, labelled: LabelledConflict): boolean {
  return labelled.texts.every((text) => conflict.quotes.some((quote) => overlaps(quote, labelled.source, text)));
}

/** A labelled conflict counts as found when one reported conflict quotes both of its texts. */
export function conflictFound(labelled: LabelledConflict, reported: ReportedConflict[]): boolean {
  return reported.some((conflict) => quotesBoth(conflict, labelled));
}

/**
 * The requirement lines no draft found. Recall asks whether any draft's quote lands on the item,
 * not only the best match, so two requirements drafted from one long quote both count.
 */
export function missedRequirements(drafts: Draft[], items: LabelledItem[]): LabelledItem[] {
  return items.filter((item) => item.label === "requirement" && !drafts.some((draft) => draft.quotes.some((quote) => overlaps(quote, item.source, item.text))));
}

export function summarise(
  drafts: Draft[],
  items: LabelledItem[],
  conflicts: { reported: ReportedConflict[]; labelled: LabelledConflict[] },
): Summary {
  const judged = judgeAll(drafts, items);
  const verdicts: Record<Verdict, number> = { correct: 0, wrong_category: 0, not_a_requirement: 0, unmatched: 0 };
  for (const { verdict } of judged) verdicts[verdict] += 1;

  const approved = judged.filter(({ draft }) => draft.outcome === "auto_approved");
  const autoApprovedCorrect = approved.filter(({ verdict }) => verdict === "correct").length;
  const autoApprovedChatter = approved.filter(({ item }) => item?.label === "chatter").length;
  const autoApprovedDirectives = approved.filter(({ item }) => item?.label === "directive").length;

  const requirementItems = items.filter((item) => item.label === "requirement");
  const requirementItemsFound = requirementItems.length - missedRequirements(drafts, items).length;

  const calibrated = judged.flatMap(({ draft, verdict }) =>
    typeof draft.calibratedProbability === "number" ? [{ probability: draft.calibratedProbability, correct: verdict === "correct" }] : [],
  );

  const mostConfident = [...calibrated].sort((a, b) => b.probability - a.probability).slice(0, Math.ceil(calibrated.length / 5));
  const topFifthCorrect = mostConfident.filter(({ correct }) => correct).length;
  const conflictsReportedTrue = conflicts.reported.filter((reported) => conflicts.labelled.some((labelled) => quotesBoth(reported, labelled))).length;

  return {
    drafts: drafts.length,
    verdicts,
    categoryAccuracy: ratio(verdicts.correct, verdicts.correct + verdicts.wrong_category),
    autoApproved: approved.length,
    autoApprovedCorrect,
    autoApprovedPrecision: ratio(autoApprovedCorrect, approved.length),
    automation: ratio(approved.length, drafts.length),
    requirementItems: requirementItems.length,
    requirementItemsFound,
    recall: ratio(requirementItemsFound, requirementItems.length),
    autoApprovedChatter,
    autoApprovedDirectives,
    autoApprovedChatterShare: ratio(autoApprovedChatter + autoApprovedDirectives, approved.length),
    ece: expectedCalibrationError(calibrated.map(({ probability, correct }) => ({ p: probability, correct }))),
    eceSamples: calibrated.length,
    topFifthPrecision: ratio(topFifthCorrect, mostConfident.length),
    topFifthCorrect,
    topFifth: mostConfident.length,
    conflictsLabelled: conflicts.labelled.length,
    conflictsFound: conflicts.labelled.filter((conflict) => conflictFound(conflict, conflicts.reported)).length,
    conflictsReported: conflicts.reported.length,
    conflictsReportedTrue,
    conflictPrecision: ratio(conflictsReportedTrue, conflicts.reported.length),
  };
}

export type TableRow = { metric: string; before: string; after: string };

function percent(value: number | null): string {
  return value === null ? "n/a" : `${(value * 100).toFixed(1)}%`;
}

function withCounts(value: number | null, numerator: number, denominator: number): string {
  return `${percent(value)} (${numerator}/${denominator})`;
}

/** The README's standard rows comparing two runs over the same labelled set. */
export function summaryRows(before: Summary, after: Summary): TableRow[] {
  const row = (metric: string, show: (summary: Summary) => string): TableRow => ({ metric, before: show(before), after: show(after) });
  return [
    row("Drafts", (s) => String(s.drafts)),
    row("Category accuracy (matched requirements)", (s) => withCounts(s.categoryAccuracy, s.verdicts.correct, s.verdicts.correct + s.verdicts.wrong_category)),
    row("Auto-approved precision", (s) => withCounts(s.autoApprovedPrecision, s.autoApprovedCorrect, s.autoApproved)),
    row("Automation (auto-approved / drafts)", (s) => withCounts(s.automation, s.autoApproved, s.drafts)),
    row("Requirement-line recall", (s) => withCounts(s.recall, s.requirementItemsFound, s.requirementItems)),
    row("Chatter or directives auto-approved", (s) => `${s.autoApprovedChatter + s.autoApprovedDirectives} (${percent(s.autoApprovedChatterShare)} of auto-approved)`),
    row("Calibration error (ECE, 10 bins)", (s) => (s.ece === null ? "n/a" : `${s.ece.toFixed(3)} (n=${s.eceSamples})`)),
    row("Precision of the most confident fifth", (s) => withCounts(s.topFifthPrecision, s.topFifthCorrect, s.topFifth)),
    row("Conflicts found", (s) => `${s.conflictsFound}/${s.conflictsLabelled}`),
    row("Reported conflicts that are labelled ones (precision)", (s) => withCounts(s.conflictPrecision, s.conflictsReportedTrue, s.conflictsReported)),
  ];
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
}

/** A markdown table with "before" and "after" columns, for the README. */
export function formatTable(rows: TableRow[]): string {
  const lines = ["| Metric | Before | After |", "| --- | ---: | ---: |", ...rows.map((row) => `| ${cell(row.metric)} | ${cell(row.before)} | ${cell(row.after)} |`)];
  return lines.join("\n");
}
