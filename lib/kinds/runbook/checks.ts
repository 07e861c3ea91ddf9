import { compactFlags, hasFigure, untraced, VAGUE_INSTRUCTION, type KindFlag, type KindCheckContext } from "../draft-parts";
import { isPlaceholder } from "../placeholders";
import type { RunbookContent } from "./schema";

export const runbookFlagCodes = ["untraced", "unmeasurable_alert", "vague_step"] as const;
export type RunbookFlag = KindFlag<(typeof runbookFlagCodes)[number]>;

/** Checks of one runbook: alerts fire on a measurable condition, and every step is something the person on call can do. */
export function checkRunbook(runbook: RunbookContent, context: KindCheckContext): RunbookFlag[] {
  const unmeasurable = runbook.alerts.filter((alert) => !hasFigure(alert.condition)).map((alert) => alert.condition);
  const steps = [...runbook.diagnosis, ...runbook.recovery];
  const vague = steps.filter((step) => isPlaceholder("runbookStep", step) || VAGUE_INSTRUCTION.test(step));
  return compactFlags<RunbookFlag>([
    untraced(runbook.derivedFrom, context.upstreamIds),
    unmeasurable.length > 0
      ? { code: "unmeasurable_alert", words: unmeasurable, message: `${unmeasurable.map((condition) => `'${condition}'`).join(", ")} has no threshold: an alert fires on a number over a period, e.g. 'p95 above 5 s for 10 minutes'.` }
      : null,
    vague.length > 0
      ? { code: "vague_step", words: vague, message: `${vague.map((step) => `'${step}'`).join(", ")} leaves the person on call to work out what to do: write the action, what to look at and what result to expect.` }
      : null,
  ]);
}
