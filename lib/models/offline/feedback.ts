import { z } from "zod";
import { requirementCategories } from "@/lib/requirements/schema";

/**
 * A re-draft after a rejection (lib/artifacts/reject-redraft.ts): the step input carries the
 * reviewer's comment and the rejected version as `feedback`, beside the item's original basis.
 * The offline drafter drafts from the basis as always, keeps only the item that stands for the
 * rejected one, and acts on what the comment says plainly: a category it names, a figure it
 * corrects ("5 minutes, not 10"), a request to split. What it cannot act on ("too vague" with no
 * figure to use) it says in the item's `unsure`, so the reviewer sees the re-draft did not change that.
 * It reads the feedback as data from the step input, never from the prompt text.
 */
export const redraftFeedbackSchema = z.object({
  /** the rejection's comment, as the reviewer wrote it */
  comment: z.string().min(1),
  rejectedBy: z.string(),
  ref: z.string(),
  /** the version that was rejected */
  version: z.number().int().min(1),
  /** the list of the step's output the item belongs to (requirements, stories, milestones, ...) */
  listKey: z.string().min(1),
  /** the rejected version's content */
  rejected: z.record(z.string(), z.unknown()),
});
export type RedraftFeedback = z.infer<typeof redraftFeedbackSchema>;

/** The feedback of a re-draft's step input, or null for an ordinary draft. */
export function redraftFeedbackOf(input: Record<string, unknown>): RedraftFeedback | null {
  const parsed = redraftFeedbackSchema.safeParse(input.feedback);
  return parsed.success ? parsed.data : null;
}

type Item = Record<string, unknown>;

const NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];
const NUMBER = `(\\d+(?:[.,]\\d+)?|${NUMBER_WORDS.join("|")})`;
const UNIT = `(?:\\s*(%|[a-z]+))?`;
const valueOf = (token: string) => (NUMBER_WORDS.includes(token.toLowerCase()) ? String(NUMBER_WORDS.indexOf(token.toLowerCase())) : token.replace(",", "."));

/** A figure the feedback corrects: the one to replace (null when the feedback names only the new one) and its replacement. */
export type FigureCorrection = { from: string | null; to: string; unit: string | null };

// Words that follow a number without being its unit ("5, not 10" must not read "not" as a unit).
const NOT_UNITS = new Set(["not", "instead", "rather", "but", "and", "or", "to", "is", "should", "per", "of", "the", "a", "an", "it", "please"]);
const unitOf = (word: string | undefined) => (word && !NOT_UNITS.has(word.toLowerCase()) ? word.toLowerCase() : null);

/** The figure a comment corrects, if it says so plainly: "5 minutes, not 10", "not 10 but 5", "from 10 to 5", "10 -> 5", or a single figure. */
export function figureCorrection(comment: string): FigureCorrection | null {
  const text = comment.toLowerCase();
  const newFirst = new RegExp(`${NUMBER}${UNIT}\\s*,?\\s*(?:not|instead of|rather than)\\s+${NUMBER}${UNIT}`).exec(text);
  if (newFirst) return { to: newFirst[1], from: newFirst[3], unit: unitOf(newFirst[2]) ?? unitOf(newFirst[4]) };
  const oldFirst = new RegExp(`(?:not|instead of)\\s+${NUMBER}${UNIT}\\s*,?\\s*(?:but|it should be|should be|use)\\s+${NUMBER}${UNIT}`).exec(text);
  if (oldFirst) return { from: oldFirst[1], to: oldFirst[3], unit: unitOf(oldFirst[4]) ?? unitOf(oldFirst[2]) };
  const fromTo = new RegExp(`from\\s+${NUMBER}${UNIT}\\s+to\\s+${NUMBER}${UNIT}`).exec(text) ?? new RegExp(`${NUMBER}${UNIT}\\s*(?:->|→|=>)\\s*${NUMBER}${UNIT}`).exec(text);
  if (fromTo) return { from: fromTo[1], to: fromTo[3], unit: unitOf(fromTo[4]) ?? unitOf(fromTo[2]) };
  const digits = [...text.matchAll(new RegExp(`(\\d+(?:[.,]\\d+)?)${UNIT}`, "g"))];
  if (digits.length === 1) return { from: null, to: digits[0][1], unit: unitOf(digits[0][2]) };
  return null;
}

/**
 * Applies a correction to a text: the figure it names (or the text's only figure) becomes the new
 * one, with the new unit when one was given. Null when the text has no such figure.
 */
export function correctFigure(text: string, correction: FigureCorrection): string | null {
  const figures = [...text.matchAll(new RegExp(`\\b${NUMBER}\\b(\\s+[a-z%]+)?`, "gi"))];
  const target = correction.from === null ? (figures.length === 1 ? figures[0] : undefined) : figures.find((figure) => valueOf(figure[1]) === valueOf(correction.from!));
  if (!target || target.index === undefined) return null;
  const oldUnit = target[2]?.trim();
  const keepsUnit = !correction.unit || !oldUnit || !unitLike(oldUnit);
  const replacement = keepsUnit ? `${correction.to}${target[2] ?? ""}` : `${correction.to} ${correction.unit}`;
  const corrected = text.slice(0, target.index) + replacement + text.slice(target.index + target[0].length);
  return corrected === text ? null : corrected;
}

// Units a requirement's figures are given in; another word after a figure ("three per item") is left alone.
const UNITS = /^(%|ms|milliseconds?|seconds?|secs?|s|minutes?|mins?|hours?|hrs?|h|days?|weeks?|months?|years?|times?|users?|requests?|items?|mb|gb|tb|kb|percent)$/;
const unitLike = (word: string) => UNITS.test(word.toLowerCase());

/** The one category a comment names and does not negate ("this is security, not functional"), or null. */
export function namedCategory(comment: string, categories: readonly string[] = requirementCategories): string | null {
  const text = comment.toLowerCase();
  const named = categories.filter((category) => {
    const pattern = new RegExp(`(\\b(?:not|isn't|is not|no)\\s+(?:a\\s+|an\\s+)?)?\\b${category.replace(/_/g, "[ _-]")}\\b`, "g");
    return [...text.matchAll(pattern)].some((match) => match[1] === undefined);
  });
  return named.length === 1 ? named[0] : null;
}

/** Whether a comment asks for the item to be split into several. */
export const asksToSplit = (comment: string) => /\bsplit\b|\bseparate (?:requirements|items|ones)\b|\btwo requirements\b|\bcompound\b/i.test(comment);
const callsVague = (comment: string) => /\bvague\b|\bnot measurable\b|\bunmeasurable\b|\bmeasurable\b|\bno (?:figure|number|metric)\b/i.test(comment);

const MODALS = /^(.*?\b(?:must be able to|should be able to|shall be able to|must not|must|shall|should|will)\b)\s+(.*)$/i;

/** A compound statement cut into one statement per part ("The system must A and B" -> "The system must A.", "The system must B."); null when it has one part. */
export function splitStatement(statement: string): string[] | null {
  const match = MODALS.exec(statement.trim().replace(/\.$/, ""));
  if (!match) return null;
  const [, subject, rest] = match;
  const parts = rest.split(/\s*;\s*|,?\s+and\s+(?=[a-z])/i).map((part) => part.trim()).filter((part) => part.length > 0);
  // "must be fast and user-friendly": a lone word after "and" shares the first part's "be".
  const shared = /^be\s/i.test(parts[0] ?? "") ? "be " : "";
  const whole = parts.map((part, index) => (index > 0 && shared && !/\s/.test(part) ? `${shared}${part}` : part));
  return whole.length > 1 ? whole.map((part) => `${subject} ${part}.`) : null;
}

const wordsOf = (value: unknown): Set<string> =>
  new Set(
    JSON.stringify(value ?? "")
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((word) => word.length > 2),
  );

/** How alike two contents are by their words (Jaccard), 0..1. */
export function likeness(a: unknown, b: unknown): number {
  const left = wordsOf(a);
  const right = wordsOf(b);
  const shared = [...left].filter((word) => right.has(word)).length;
  return shared === 0 ? 0 : shared / (left.size + right.size - shared);
}

// Fields that name, quote or identify rather than say something a reviewer corrects.
const FIXED_FIELDS = new Set(["id", "sources", "unsure", "confidence", "category", "derivedFrom", "requirementRefs"]);

/** The item's text fields a figure correction may touch: its statement, or for other kinds each free-text field. */
function textFields(item: Item): string[] {
  if (typeof item.statement === "string") return ["statement"];
  return Object.keys(item).filter((key) => !FIXED_FIELDS.has(key) && typeof item[key] === "string");
}

/** One item re-drafted with the feedback: the changes it made, and what it could not act on. */
export function applyFeedback(item: Item, feedback: Pick<RedraftFeedback, "comment" | "ref" | "version">, categories: readonly string[] | null): Item[] {
  const done: string[] = [];
  const notDone: string[] = [];
  let revised: Item = { ...item };

  const category = categories ? namedCategory(feedback.comment, categories) : null;
  if (category && revised.category !== category) {
    done.push(`category set to ${category.replace(/_/g, " ")} as the feedback says`);
    revised.category = category;
  }

  const correction = figureCorrection(feedback.comment);
  if (correction) {
    const field = textFields(revised).find((key) => correctFigure(String(revised[key]), correction) !== null);
    if (field) {
      revised = { ...revised, [field]: correctFigure(String(revised[field]), correction) };
      done.push(`${correction.from ? `${correction.from} corrected to` : "figure set to"} ${correction.to}${correction.unit ? ` ${correction.unit}` : ""} as the feedback says; the sources may still say otherwise`);
    } else {
      notDone.push(`the feedback names ${correction.to}${correction.unit ? ` ${correction.unit}` : ""}, but the draft has no figure to correct with it`);
    }
  }

  if (callsVague(feedback.comment) && !correction) notDone.push("the feedback calls it vague, but the quoted passages give no figure to make it measurable; a reviewer must add one");

  const parts = asksToSplit(feedback.comment) && typeof revised.statement === "string" ? splitStatement(revised.statement) : null;
  if (asksToSplit(feedback.comment) && !parts) notDone.push("the feedback asks for a split, but the statement has only one part");

  const note = [
    `Re-drafted after ${feedback.ref} version ${feedback.version} was rejected.`,
    done.length > 0 ? `Changed: ${done.join("; ")}.` : null,
    notDone.length > 0 ? `Not changed: ${notDone.join("; ")}.` : null,
    done.length === 0 && notDone.length === 0 && !parts ? "The offline drafter could not act on the feedback: re-drafted from the same basis." : null,
  ]
    .filter(Boolean)
    .join(" ");
  const unsure = [note, typeof item.unsure === "string" ? item.unsure : null].filter(Boolean).join(" ");
  if (!parts) return [{ ...revised, unsure }];
  return parts.map((statement, index) => ({
    ...revised,
    id: `${String(item.id ?? "R")}-${index + 1}`,
    statement,
    unsure: `${note} Split into ${parts.length} as the feedback asks (part ${index + 1}).${typeof item.unsure === "string" ? ` ${item.unsure}` : ""}`,
  }));
}

/**
 * The offline drafter's answer to a re-draft: of what it drafted from the basis, only the item
 * most like the rejected one, revised with the feedback (or its parts, when asked to split).
 */
export function reviseWithFeedback(draft: unknown, feedback: RedraftFeedback): unknown {
  if (typeof draft !== "object" || draft === null) return draft;
  const output = draft as Record<string, unknown>;
  const items = Array.isArray(output[feedback.listKey]) ? (output[feedback.listKey] as Item[]) : [];
  if (items.length === 0) return draft;
  const closest = items.reduce((best, item) => (likeness(item, feedback.rejected) > likeness(best, feedback.rejected) ? item : best));
  // Requirements carry one of the known categories; other kinds' categories are not the drafter's to rename.
  const categories = feedback.listKey === "requirements" ? requirementCategories : null;
  const revised = applyFeedback(closest, feedback, categories);
  const keptIds = new Set(revised.map((item) => item.id));
  const conflicts = Array.isArray(output.conflicts)
    ? (output.conflicts as { requirementIds?: unknown }[]).filter((conflict) => Array.isArray(conflict.requirementIds) && conflict.requirementIds.every((id) => keptIds.has(id)))
    : undefined;
  return { ...output, [feedback.listKey]: revised, ...(conflicts ? { conflicts } : {}) };
}
