import { compactFlags, hasFigure, untraced, VAGUE_INSTRUCTION, vagueWordsIn, type KindFlag, type KindCheckContext } from "../draft-parts";
import { isPlaceholder } from "../placeholders";
import type { DeploymentRiskContent } from "./schema";

export const deploymentRiskFlagCodes = ["untraced", "vague_rollback", "no_rollback_trigger", "unmitigated"] as const;
export type DeploymentRiskFlag = KindFlag<(typeof deploymentRiskFlagCodes)[number]>;

const OBSERVABLE_TRIGGER = /\b(?:error|errors|fail|fails|failed|failing|above|below|more than|less than|over|under|any|p\d{2}|alert|health check|complaint|report(?:ed|s)?|crash|duplicate)\b/i;

/** Checks of one deployment risk: a rollback someone can start on a clear signal and carry out step by step. */
export function checkDeploymentRisk(risk: DeploymentRiskContent, context: KindCheckContext): DeploymentRiskFlag[] {
  const hollow = risk.rollback.steps.filter((step) => isPlaceholder("rollbackStep", step) || VAGUE_INSTRUCTION.test(step));
  const concrete = risk.rollback.steps.length - hollow.length;
  const mitigationVague = vagueWordsIn(risk.mitigation);
  return compactFlags<DeploymentRiskFlag>([
    untraced(risk.derivedFrom, context.upstreamIds),
    concrete === 0 || hollow.length > 0
      ? {
          code: "vague_rollback",
          words: hollow.length > 0 ? hollow : risk.rollback.steps,
          message: `The rollback ${concrete === 0 ? "has no concrete step" : `has steps that say what, not how (${hollow.map((step) => `'${step}'`).join(", ")})`}: at 2 a.m. the person on call needs the exact action, e.g. 'deploy the previous version' or 'turn off the feature flag'.`,
        }
      : null,
    !hasFigure(risk.rollback.trigger) && !OBSERVABLE_TRIGGER.test(risk.rollback.trigger)
      ? { code: "no_rollback_trigger", words: [risk.rollback.trigger], message: `'${risk.rollback.trigger}' is not a signal anyone can see: say which measurement, above or below what, starts the rollback.` }
      : null,
    risk.impact === "high" && mitigationVague.length > 0
      ? { code: "unmitigated", words: mitigationVague, message: `A high-impact risk with a mitigation that says ${mitigationVague.map((word) => `'${word}'`).join(", ")}: say what is done before the release.` }
      : null,
  ]);
}
