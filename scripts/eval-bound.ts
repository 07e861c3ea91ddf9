/**
 * How the auto-approval bound behaves, measured by simulation: for labelled records whose true
 * error rates are known, how often auto-approval opens, how much it automates, and how often what
 * it auto-approves is in truth wrong more often than the target (which the confidence level must
 * keep rare). The procedure of lib/calibration/threshold.ts against a plain fixed-sequence test
 * (the whole error budget on the first segment from the top, stopping at its first failure).
 * Deterministic (seeded). `npm run eval:bound`.
 */
import { autoApprovalThreshold } from "@/lib/calibration/threshold";
import { seededRandom } from "@/lib/routing/rules";

const TARGET = 0.03;
const LEVEL = 0.95;

/** True error rate by rank, most confident first: runs of [share of the labels, error rate]. */
type Profile = { name: string; runs: [number, number][] };
const profiles: Profile[] = [
  { name: "top half 0.5% wrong, rest 30%", runs: [[0.5, 0.005], [0.5, 0.3]] },
  { name: "top half 1% wrong, rest 30%", runs: [[0.5, 0.01], [0.5, 0.3]] },
  { name: "top half 2% wrong, rest 30%", runs: [[0.5, 0.02], [0.5, 0.3]] },
  { name: "top tenth 8% wrong, then 0.5%, rest 30%", runs: [[0.1, 0.08], [0.5, 0.005], [0.4, 0.3]] },
  { name: "everything 3.5% wrong (above the target)", runs: [[1, 0.035]] },
];

function ratesOf(profile: Profile, labels: number): number[] {
  const rates: number[] = [];
  for (const [share, rate] of profile.runs) for (let i = 0; i < Math.round(share * labels); i++) rates.push(rate);
  while (rates.length < labels) rates.push(profile.runs.at(-1)![1]);
  return rates.slice(0, labels);
}

type Tally = { opened: number; automation: number; aboveTarget: number };

function simulate(profile: Profile, labels: number, runs: number): { fixedSequence: Tally; fallback: Tally } {
  const random = seededRandom(`${profile.name}:${labels}`);
  const rates = ratesOf(profile, labels);
  const tally = () => ({ opened: 0, automation: 0, aboveTarget: 0 });
  const result = { fixedSequence: tally(), fallback: tally() };
  for (let run = 0; run < runs; run++) {
    const labelled = rates.map((rate, rank) => ({ p: 1 - rank / labels, correct: random() >= rate }));
    for (const [name, share] of [["fixedSequence", 1], ["fallback", undefined]] as const) {
      const { threshold, support } = autoApprovalThreshold(labelled, TARGET, LEVEL, share);
      if (threshold === null) continue;
      const t = result[name];
      t.opened += 1;
      t.automation += support / labels;
      const trueRate = rates.slice(0, support).reduce((sum, rate) => sum + rate, 0) / support;
      if (trueRate > TARGET) t.aboveTarget += 1;
    }
  }
  return result;
}

const pct = (value: number) => `${(100 * value).toFixed(0)}%`;
console.log(`Target ${pct(TARGET)} wrong among auto-approved drafts at ${pct(LEVEL)} confidence; labels ranked by calibrated probability.\n`);
console.log("| True error rates by rank | Labels | Opens (fixed-sequence / this) | Automation of the labelled region | Auto-approved region in truth above target |");
console.log("| --- | ---: | ---: | ---: | ---: |");
for (const profile of profiles) {
  for (const labels of [300, 1000, 3000]) {
    const runs = labels >= 3000 ? 100 : 200;
    const { fixedSequence: a, fallback: b } = simulate(profile, labels, runs);
    const share = (t: Tally) => pct(t.opened / runs);
    console.log(`| ${profile.name} | ${labels} | ${share(a)} / ${share(b)} | ${pct(a.automation / runs)} / ${pct(b.automation / runs)} | ${pct(a.aboveTarget / runs)} / ${pct(b.aboveTarget / runs)} |`);
  }
}
