/**
 * How well the offline drafter names a requirement's category, on every labelled requirement line of
 * the evaluation set (documents' statements and conversations' lines), in seconds rather than the
 * minutes of `npm run eval`:
 * - the keyword classifier alone;
 * - a base learned on top of the keywords from every other domain's lines, scored on this one's: the
 *   shipped base (npm run train:categories learns it from every domain) as a deployment on a domain
 *   it never saw drafts with, before its reviewers decide anything;
 * - how right that base is among its most confident predictions, where auto-approval would open first.
 *
 *   npm run eval:categories [-- --confusions]
 */
import type { LabelledLine } from "@/fixtures/eval";

// Each domain's base learns on top of the keywords, not on top of the shipped base (which learned this very set).
process.env.CATEGORY_BASE = "keywords";

const percent = (part: number, whole: number) => (whole === 0 ? "n/a" : `${((100 * part) / whole).toFixed(1)}% (${part}/${whole})`);

async function main() {
  const { labelledRequirementLines } = await import("@/fixtures/eval");
  const { predictCategory, trainCategoryBase } = await import("@/lib/models/offline/category-model");
  const showConfusions = process.argv.includes("--confusions");
  const lines: LabelledLine[] = labelledRequirementLines("all");
  const domains = [...new Set(lines.map((line) => line.domain))].sort();
  const started = performance.now();

  const scored = domains.flatMap((domain) => {
    const model = trainCategoryBase(lines.filter((line) => line.domain !== domain));
    return lines
      .filter((line) => line.domain === domain)
      .map((line) => {
        const learned = predictCategory(model, line.text);
        const keyword = predictCategory(undefined, line.text);
        return { ...line, keyword: keyword.category, keywordProbability: keyword.probability, learned: learned.category, probability: learned.probability };
      });
  });

  const row = (label: string, subset: typeof scored) =>
    `| ${label} | ${subset.length} | ${percent(subset.filter((l) => l.keyword === l.category).length, subset.length)} | ${percent(subset.filter((l) => l.learned === l.category).length, subset.length)} |`;
  console.log("| Domain | Lines | Keywords | Base learned without the domain |\n| --- | ---: | ---: | ---: |");
  console.log(
    [
      ...domains.map((domain) => row(domain, scored.filter((line) => line.domain === domain))),
      row("**documents**", scored.filter((l) => !l.conversation)),
      row("**conversations**", scored.filter((l) => l.conversation)),
      row("**all**", scored),
    ].join("\n"),
  );

  const mostConfidentFirst = (heading: string, probability: (line: (typeof scored)[number]) => number, category: (line: (typeof scored)[number]) => string) => {
    const byConfidence = [...scored].sort((a, b) => probability(b) - probability(a));
    console.log(`\n${heading}, most confident first:`);
    for (const share of [0.1, 0.2, 0.3, 0.5]) {
      const top = byConfidence.slice(0, Math.round(share * byConfidence.length));
      console.log(`  top ${share * 100}%: ${percent(top.filter((l) => category(l) === l.category).length, top.length)} right, probability >= ${probability(top.at(-1)!).toFixed(2)}`);
    }
  };
  mostConfidentFirst("The keywords", (line) => line.keywordProbability, (line) => line.keyword);
  mostConfidentFirst("The base learned without the domain", (line) => line.probability, (line) => line.learned);

  if (showConfusions) {
    const counts = new Map<string, number>();
    for (const line of scored) if (line.learned !== line.category) counts.set(`${line.category} -> ${line.learned}`, (counts.get(`${line.category} -> ${line.learned}`) ?? 0) + 1);
    console.log("\nLabelled -> learned, most frequent mistakes:");
    for (const [pair, count] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`  ${count} ${pair}`);
  }
  console.log(`\n(${((performance.now() - started) / 1000).toFixed(0)} s)`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
