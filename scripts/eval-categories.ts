/**
 * How well the offline drafter names a requirement's category, on every labelled requirement line of
 * the evaluation set (documents' statements and conversations' lines), in seconds rather than the
 * minutes of `npm run eval`:
 * - the keyword classifier alone (what a new deployment drafts with);
 * - the learned classifier, leave one domain out: trained on the labelled lines of every other
 *   domain, scored on this one's, so no domain's own words help it (how a deployment does on a
 *   project unlike the ones its reviewers decided);
 * - how right the learned classifier is among its most confident predictions, where auto-approval
 *   would open first.
 *
 *   npm run eval:categories [-- --confusions]
 */
import { loadEvalSet } from "@/fixtures/eval";
import { classify } from "@/lib/models/offline/classify";
import { predictCategory, trainCategoryModel } from "@/lib/models/offline/category-model";
import type { RequirementCategory } from "@/lib/requirements/schema";

type Line = { domain: string; text: string; category: RequirementCategory; conversation: boolean };

function labelledLines(): Line[] {
  const { statements, transcripts } = loadEvalSet();
  return [
    ...statements.flatMap((s) => (s.category === "none" ? [] : [{ domain: s.domain, text: s.statement, category: s.category, conversation: false }])),
    ...transcripts.flatMap((t) =>
      t.items.flatMap((item) => (item.label === "requirement" ? [{ domain: t.domain, text: item.text, category: item.category, conversation: true }] : [])),
    ),
  ];
}

const percent = (part: number, whole: number) => (whole === 0 ? "n/a" : `${((100 * part) / whole).toFixed(1)}% (${part}/${whole})`);

function main() {
  const showConfusions = process.argv.includes("--confusions");
  const lines = labelledLines();
  const domains = [...new Set(lines.map((line) => line.domain))].sort();
  const started = performance.now();

  const scored = domains.flatMap((domain) => {
    const model = trainCategoryModel(lines.filter((line) => line.domain !== domain));
    return lines
      .filter((line) => line.domain === domain)
      .map((line) => {
        const learned = predictCategory(model, line.text);
        return { ...line, keyword: classify(line.text), learned: learned.category, probability: learned.probability };
      });
  });

  const row = (label: string, subset: typeof scored) =>
    `| ${label} | ${subset.length} | ${percent(subset.filter((l) => l.keyword === l.category).length, subset.length)} | ${percent(subset.filter((l) => l.learned === l.category).length, subset.length)} |`;
  console.log("| Domain | Lines | Keywords | Learned, domain left out |\n| --- | ---: | ---: | ---: |");
  console.log(
    [
      ...domains.map((domain) => row(domain, scored.filter((line) => line.domain === domain))),
      row("**documents**", scored.filter((l) => !l.conversation)),
      row("**conversations**", scored.filter((l) => l.conversation)),
      row("**all**", scored),
    ].join("\n"),
  );

  const byConfidence = [...scored].sort((a, b) => b.probability - a.probability);
  console.log("\nLearned classifier, most confident first (domain left out):");
  for (const share of [0.1, 0.2, 0.3, 0.5]) {
    const top = byConfidence.slice(0, Math.round(share * byConfidence.length));
    console.log(`  top ${share * 100}%: ${percent(top.filter((l) => l.learned === l.category).length, top.length)} right, probability >= ${top.at(-1)!.probability.toFixed(2)}`);
  }

  if (showConfusions) {
    const counts = new Map<string, number>();
    for (const line of scored) if (line.learned !== line.category) counts.set(`${line.category} -> ${line.learned}`, (counts.get(`${line.category} -> ${line.learned}`) ?? 0) + 1);
    console.log("\nLabelled -> learned, most frequent mistakes:");
    for (const [pair, count] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`  ${count} ${pair}`);
  }
  console.log(`\n(${((performance.now() - started) / 1000).toFixed(0)} s)`);
}

main();
