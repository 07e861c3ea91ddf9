import { categoryDoubt, type CategoryPrediction } from "./category-model";
import { findPhrases } from "./cues";
import type { Basis } from "./readings";
import type { Evidence, Group } from "./group";
import { VAGUE_WORDS } from "./lexicon";
import { upperFirst } from "./phrase";

/**
 * Confidence from the evidence, so the number means something: what the wording rests on
 * (a firm modal over "should" over hedged wishes), corroboration by other sources, a measurable
 * criterion for a non-functional requirement, vague words and contradictions; then times the
 * probability of its category, since a draft is only as trustworthy as its category. `unsure`
 * says why whenever the wording is hedged, the requirement is contradicted, the evidence is thin
 * or the category is unclear.
 */
export type Assessment = { confidence: number; unsure: string | null };

const BASIS_SCORE: Record<Basis, number> = { stated: 0.8, wish: 0.75, constraint: 0.7, imperative: 0.6, complaint: 0.5, implied: 0.45 };
const SHOULD_PENALTY = 0.15;
const HEDGE_PENALTY = 0.3;
const CORROBORATION_BONUS = 0.1;
const MAX_CORROBORATION = 0.2;
const CONSENSUS_BONUS = 0.05;
const MEASURABLE_BONUS = 0.1;
const VAGUE_PENALTY = 0.15;
const CONFLICT_PENALTY = 0.25;

export function assess(group: Group, category: CategoryPrediction, contradictions: readonly string[]): Assessment {
  const { lead } = group;
  const otherSources = new Set(group.evidence.map((evidence) => evidence.source.id)).size - 1;
  // Vague words the stakeholder used (not those a rule put in, like "fast" for "takes forever").
  const vague = findPhrases(group.statement, VAGUE_WORDS).filter((word) => findPhrases(lead.quote.quote, [word]).length > 0);
  const vagueNotHedges = vague.filter((word) => !lead.hedges.includes(word));
  const measurable = group.evidence.some((evidence) => evidence.terms.figures.length > 0);

  let confidence = strengthOf(lead);
  confidence += Math.min(MAX_CORROBORATION, otherSources * CORROBORATION_BONUS);
  if (group.evidence.some((evidence) => evidence.consensus)) confidence += CONSENSUS_BONUS;
  if (category.category !== "functional" && measurable) confidence += MEASURABLE_BONUS;
  if (vague.length > 0) confidence -= VAGUE_PENALTY;
  if (contradictions.length > 0) confidence -= CONFLICT_PENALTY;

  const reasons = [
    ...contradictions,
    lead.hedges.length > 0 ? `hedged wording in the source: ${quoteList(lead.hedges)}` : null,
    vagueNotHedges.length > 0 ? `vague wording: ${quoteList(vagueNotHedges)}${measurable ? "" : ", with no measurable target"}` : null,
    ...lead.notes,
    categoryDoubt(category),
  ].filter((reason): reason is string => reason !== null);

  return { confidence: round(clamp(clamp(confidence) * category.probability)), unsure: reasons.length > 0 ? upperFirst(reasons.join("; ")) : null };
}

/**
 * The confidence a draft would get with its category's probability changed from `was` to `now`:
 * what calibration needs when it judges a label as today's classifier would have drafted it
 * (lib/learning/label-rescoring.ts). Exact up to the rounding, since confidence is the evidence's
 * score (at most 0.95) times the category's probability.
 */
export function withCategoryProbability(confidence: number, was: number, now: number): number {
  if (!(was > 0)) return confidence;
  return round(clamp(Math.min(0.95, confidence / was) * now));
}

function strengthOf(evidence: Evidence): number {
  const base = BASIS_SCORE[evidence.basis];
  if (evidence.strength === "soft") return base - HEDGE_PENALTY;
  if (evidence.strength === "should") return base - SHOULD_PENALTY;
  return base;
}

const quoteList = (words: readonly string[]) => words.map((word) => `'${word}'`).join(", ");
const clamp = (value: number) => Math.min(0.95, Math.max(0.05, value));
const round = (value: number) => Math.round(value * 100) / 100;

