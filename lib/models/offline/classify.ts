import { requirementCategories, type RequirementCategory } from "@/lib/requirements/schema";
import { findPhrases } from "./cues";

/**
 * The category of a requirement from keyword signals in its statement. Words right after
 * "must" (what is required) weigh more than the subject or trailing qualifiers, so "must load
 * quickly on the tablets" is performance, not portability. Functional when nothing stands out.
 */
export type NonFunctional = Exclude<RequirementCategory, "functional">;

const SIGNALS: Record<NonFunctional, readonly string[]> = {
  security: [
    "access", "accessed", "log", "logged", "logs", "logging", "permission", "permissions", "role", "roles", "password",
    "passwords", "login", "log in", "sign in", "authenticate", "authentication", "encrypt", "encrypted", "encryption",
    "secure", "security", "private", "privacy", "audit", "audited", "authorised", "authorized", "payment data",
    "card data", "card details", "stored", "other patients'", "other riders'", "other users'",
  ],
  legal: [
    "law", "laws", "legal", "legally", "regulation", "regulations", "gdpr", "compliance", "comply", "compliant",
    "data protection", "consent", "retention", "region", "jurisdiction", "contract", "terms and conditions", "deleted after",
    "licence", "license",
  ],
  availability: ["available", "availability", "uptime", "downtime", "24/7", "outage", "outages", "around the clock", "opening hours"],
  fault_tolerance: [
    "crash", "crashes", "fail", "fails", "failure", "failures", "recover", "recovery", "retry", "offline", "lose", "loses",
    "lost", "connection", "signal", "network", "backup", "backups", "redundant", "resilient",
  ],
  performance: [
    "fast", "faster", "quick", "quickly", "slow", "speed", "load", "loads", "loading", "response", "respond", "responds",
    "latency", "seconds", "milliseconds", "instantly", "within", "performance",
  ],
  scalability: ["concurrent", "simultaneous", "simultaneously", "scale", "scales", "scaling", "peak", "at once", "at the same time", "growth"],
  portability: [
    "browser", "browsers", "safari", "chrome", "firefox", "ios", "android", "ipad", "ipads", "iphone", "tablet", "tablets",
    "smartphone", "smartphones", "mobile", "device", "devices", "platform", "platforms", "desktop", "older phones",
  ],
  usability: [
    "user-friendly", "user friendly", "easy", "easily", "intuitive", "simple", "accessible", "accessibility", "deaf",
    "blind", "screen reader", "voice", "language", "languages", "clicks", "confusing", "understand", "understandable",
  ],
  look_and_feel: ["colour", "colours", "color", "colors", "logo", "brand", "branding", "font", "fonts", "theme", "layout", "design", "dark mode", "look"],
  maintainability: [
    "maintainable", "configure", "configurable", "configuration", "upgrade", "upgrades", "documentation", "documented",
    "modular", "without a developer", "without a release",
  ],
  operational: ["budget", "cost", "costs", "operate", "operations", "monitor", "monitoring", "maintenance", "messages a month", "per month"],
};

/** Ties go to the category listed first. */
const PRIORITY = Object.keys(SIGNALS) as NonFunctional[];

const ACCESS_VERBS = ["see", "view", "read", "access", "open"];
const SCOPE_WORDS = ["only", "own", "everything", "never", "other"];
/** What a signal right after "must" counts for, against 1 elsewhere. */
export const HEAD_WEIGHT = 3;

/** Keyword score of each non-functional category that has any signal in the statement. */
export function keywordScores(statement: string): Map<NonFunctional, number> {
  const lower = statement.toLowerCase();
  const must = lower.indexOf(" must ");
  const subject = must < 0 ? "" : lower.slice(0, must);
  const predicate = must < 0 ? lower : lower.slice(must + " must ".length).replace(/^(?:not |be able to )+/, "");
  const head = predicate.split(/\s+/).slice(0, 3).join(" ");
  const rest = predicate.split(/\s+/).slice(3).join(" ");

  const scores = new Map<NonFunctional, number>();
  for (const category of PRIORITY) {
    const signals = SIGNALS[category];
    const score = findPhrases(subject, signals).length + HEAD_WEIGHT * findPhrases(head, signals).length + findPhrases(rest, signals).length;
    if (score > 0) scores.set(category, score);
  }
  // "Patients must only see free slots": who may see what is access control.
  if (findPhrases(head, ACCESS_VERBS).length > 0 && findPhrases(predicate, SCOPE_WORDS).length > 0) {
    scores.set("security", (scores.get("security") ?? 0) + HEAD_WEIGHT);
  }
  return scores;
}

export function classify(statement: string): RequirementCategory {
  const scores = keywordScores(statement);
  let best: RequirementCategory = "functional";
  let bestScore = 0;
  for (const category of PRIORITY) {
    const score = scores.get(category) ?? 0;
    if (score > bestScore) [best, bestScore] = [category, score];
  }
  return best;
}

/**
 * How sure the keywords are, as a distribution over every category: one signal right after
 * "must" is fairly sure, a lone trailing word is a coin toss against functional, two equal
 * signals split the mass, and no signal at all means functional by default, not certainly.
 * A score is worth EVIDENCE_BASE^score; functional counts as a little less than one weak signal
 * (a lone keyword wins, as in classify()); a category with no signal keeps a little mass, since
 * keywords miss things.
 */
const EVIDENCE_BASE = 2.5;
const FUNCTIONAL_SCORE = 0.9;
const UNSIGNALLED_WEIGHT = 0.06;

export function keywordDistribution(statement: string): Record<RequirementCategory, number> {
  const scores = keywordScores(statement);
  const weights = requirementCategories.map((category) => {
    if (category === "functional") return EVIDENCE_BASE ** FUNCTIONAL_SCORE;
    const score = scores.get(category);
    return score === undefined ? UNSIGNALLED_WEIGHT : EVIDENCE_BASE ** score;
  });
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  return Object.fromEntries(requirementCategories.map((category, index) => [category, weights[index] / total])) as Record<
    RequirementCategory,
    number
  >;
}
