import type { StepCalibrationView } from "@/lib/learning/service";
import { filledBins } from "./reliability-bins";
import { ReliabilityChart } from "./reliability-chart";

type AutoApproval = StepCalibrationView["autoApproval"];
type Slice = { labels: number; correct: number; ece: number | null; bins: StepCalibrationView["bins"]; autoApproval: AutoApproval };

const pct = (fraction: number) => `${Math.round(fraction * 1000) / 10}%`;

/** Auto-approval in one sentence: the bar, what it rests on and the bound, or what is missing. */
export function autoApprovalSentence(auto: AutoApproval, targetErrorRate: number, confidenceLevel: number): string {
  const alone = auto.testedAlone ? " Tested on this category's own labels, as well as the step's." : "";
  return `${bareSentence(auto, targetErrorRate, confidenceLevel)}${alone}`;
}

function bareSentence(auto: AutoApproval, targetErrorRate: number, confidenceLevel: number): string {
  if (auto.threshold !== null) {
    return `Auto-approves at ≥ ${auto.threshold.toFixed(2)}, resting on ${auto.labels} label${auto.labels === 1 ? "" : "s"}; error bound ${pct(auto.upperBound)} ≤ ${pct(targetErrorRate)} at ${pct(confidenceLevel)} confidence.`;
  }
  if (auto.decisionsNeeded !== null && auto.decisionsNeeded > 0) {
    return `Nothing is auto-approved yet: it needs about ${auto.decisionsNeeded} more error-free decision${auto.decisionsNeeded === 1 ? "" : "s"} before anything is auto-approved (target ${pct(targetErrorRate)} at ${pct(confidenceLevel)} confidence).`;
  }
  return `Nothing is auto-approved: with ${auto.labels} label${auto.labels === 1 ? "" : "s"} and ${auto.errors} error${auto.errors === 1 ? "" : "s"}, no bar keeps the error bound under ${pct(targetErrorRate)}. Every draft goes to people.`;
}

/** One slice of the evidence (a whole step or one category): status, figures, chart and table. */
export function CalibrationSlice({ name, slice, targetErrorRate, confidenceLevel }: { name: string; slice: Slice; targetErrorRate: number; confidenceLevel: number }) {
  const bins = filledBins(slice.bins);
  const approving = slice.autoApproval.threshold !== null;
  return (
    <div className="space-y-3" data-testid="calibration-slice">
      <p className={approving ? "rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900" : "rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900"} data-testid="auto-approval-status">
        {autoApprovalSentence(slice.autoApproval, targetErrorRate, confidenceLevel)}
      </p>
      <dl className="grid grid-cols-3 gap-2 text-sm">
        <div>
          <dt className="text-xs text-zinc-500">Labels</dt>
          <dd className="font-semibold tabular-nums text-zinc-900">{slice.labels}</dd>
        </div>
        <div>
          <dt className="text-xs text-zinc-500">Approved unchanged</dt>
          <dd className="font-semibold tabular-nums text-zinc-900">{slice.labels > 0 ? `${slice.correct} (${pct(slice.correct / slice.labels)})` : "—"}</dd>
        </div>
        <div>
          <dt className="text-xs text-zinc-500" title="Expected calibration error: how far, on average, predictions are from what reviewers did">
            Calibration error (ECE)
          </dt>
          <dd className="font-semibold tabular-nums text-zinc-900">{slice.ece === null ? "—" : slice.ece.toFixed(3)}</dd>
        </div>
      </dl>
      {bins.length === 0 ? (
        <p className="text-sm text-zinc-500">No labelled drafts yet: reviewers&apos; decisions become the labels this chart is drawn from.</p>
      ) : (
        <div className="grid gap-3 md:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
          <ReliabilityChart
            bins={bins}
            label={`Reliability of ${name}: predicted against observed approval per bin. The figures are in the table that follows.`}
          />
          <table className="w-full self-start text-left text-xs">
            <caption className="sr-only">Reliability bins of {name}</caption>
            <thead className="border-b border-zinc-200 text-zinc-500">
              <tr>
                <th scope="col" className="py-1 font-medium">Bin</th>
                <th scope="col" className="py-1 text-right font-medium">Predicted</th>
                <th scope="col" className="py-1 text-right font-medium">Observed</th>
                <th scope="col" className="py-1 text-right font-medium">Drafts</th>
              </tr>
            </thead>
            <tbody>
              {bins.map((bin) => (
                <tr key={bin.from} className="border-b border-zinc-100 last:border-b-0">
                  <th scope="row" className="py-1 font-normal text-zinc-700">
                    {bin.from.toFixed(1)}–{bin.to.toFixed(1)}
                  </th>
                  <td className="py-1 text-right tabular-nums">{bin.meanPredicted.toFixed(2)}</td>
                  <td className="py-1 text-right tabular-nums">{bin.observed.toFixed(2)}</td>
                  <td className="py-1 text-right tabular-nums">{bin.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
