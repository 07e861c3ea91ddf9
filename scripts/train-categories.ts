/**
 * Writes the category classifier's base (lib/models/offline/category-base.json): a classifier
 * learned on top of the keywords from every labelled requirement line of Countersign's own
 * evaluation set (fixtures/eval, our writing). Run it after changing the set or the keywords;
 * a unit test fails while the shipped base is not what the set trains.
 *
 *   npm run train:categories [-- --split train|test|all] [--out <file>]
 *
 * `--split` and `--out` write a base that learned from half the set only, for a measurement on
 * the other half (CATEGORY_BASE=<file>).
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

// The base learns on top of the keywords alone, whatever this shell's CATEGORY_BASE says.
process.env.CATEGORY_BASE = "keywords";

const SHIPPED = fileURLToPath(new URL("../lib/models/offline/category-base.json", import.meta.url));

async function main() {
  const { labelledRequirementLines } = await import("@/fixtures/eval");
  const { serializeCategoryBase, trainCategoryBase } = await import("@/lib/models/offline/category-model");
  const option = (name: string) => {
    const at = process.argv.indexOf(name);
    return at > 0 ? process.argv[at + 1] : undefined;
  };
  const split = option("--split") ?? "all";
  if (split !== "train" && split !== "test" && split !== "all") throw new Error(`--split must be train, test or all, not ${split}`);
  const out = option("--out") ?? SHIPPED;
  const started = performance.now();
  const lines = labelledRequirementLines(split);
  const base = trainCategoryBase(lines);
  writeFileSync(out, serializeCategoryBase(base));
  const features = Object.keys(base.learned?.weights ?? {}).length;
  console.log(`${out}: learned from ${lines.length} labelled lines (${split}), ${features} features, in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
