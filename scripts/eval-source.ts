/**
 * `npm run eval:source -- <name prefix>`: what the offline drafter makes of one labelled source of
 * fixtures/eval on its own, before any reviewer: which requirement lines it finds and misses, how
 * each draft is judged against the labels, and the labelled conflicts it reports. It is how a new
 * source gets its honest first measure, taken once before any rule changes for it (the figures are
 * recorded in the commit that adds the source), and how a rule change is checked on it afterwards.
 */
import { conflictFound, judgeAll, missedRequirements, type Draft } from "@/lib/evaluation/metrics";
import { labelledConflictsOf, labelledItemsOf, loadEvalSet } from "@/fixtures/eval";
import { draftRequirements } from "@/lib/models/offline/requirements";

// The shipped category base learned from this set, this source included: a first measure drafts from the keywords.
process.env.CATEGORY_BASE = "keywords";

const prefix = process.argv[2];
const transcripts = loadEvalSet().transcripts;
const source = prefix ? transcripts.find((transcript) => transcript.name.startsWith(prefix)) : undefined;
if (!source) {
  console.error(`Usage: npm run eval:source -- <name prefix>, one of:\n  ${transcripts.map((transcript) => transcript.name).join("\n  ")}`);
  process.exit(1);
}

const project = { name: "Operations tools", brief: "Tools for our staff and customers." };
const drafted = draftRequirements({ project, sources: [{ id: source.title, title: source.title, kind: source.kind, text: source.text }] });
const quotesOf = (quotes: readonly { quote: string }[]) => quotes.map((quote) => ({ quote: quote.quote, sourceTitle: source.title }));
const drafts: Draft[] = drafted.requirements.map((requirement) => ({ statement: requirement.statement, category: requirement.category, quotes: quotesOf(requirement.sources), outcome: "review" }));
const items = labelledItemsOf(source);
const judged = judgeAll(drafts, items);
const missed = missedRequirements(drafts, items);
const lines = items.filter((item) => item.label === "requirement").length;
const notRequirements = judged.filter(({ verdict }) => verdict === "not_a_requirement").length;

console.log(`${source.name}: found ${lines - missed.length} of ${lines} requirement lines; ${drafts.length} drafts, ${notRequirements} of them on lines that are no requirement`);
for (const { draft, item, verdict } of judged) console.log(`  [${verdict}${item ? `, labelled ${item.label}` : ""}] ${draft.category}: ${draft.statement}`);
for (const item of missed) console.log(`  missed: ${item.text}`);
const reported = drafted.conflicts.map((conflict) => ({ quotes: quotesOf(conflict.sources) }));
for (const conflict of labelledConflictsOf(source)) console.log(`  conflict ${conflictFound(conflict, reported) ? "found" : "missed"}: ${conflict.about}`);
console.log(`  conflicts reported: ${reported.length}`);
