import type { UpstreamRequirement } from "@/lib/kinds/draft-parts";
import { runbooksInputSchema, type Alert, type DraftedRunbook, type RunbooksDraft, type RunbooksInput } from "@/lib/kinds/runbook/schema";
import { lowerFirst } from "../phrase";
import { confidenceOf, durationSeconds, figuresOf, isPercent, requirementsOf, uniqueIds } from "./reading";

export { runbooksInputSchema };

/** With no figure to watch, an error rate is the one alert every service needs; its threshold is a guess and says so. */
const DEFAULT_ERROR_RATE = "2%";
const WATCHED_CATEGORIES = new Set(["availability", "performance", "scalability", "fault_tolerance", "legal", "operational"]);

/**
 * draft-runbooks: one runbook per release note. Its alerts come from the figures of the
 * requirements behind what was released (a 99.5% target pages on the error budget, "within 5
 * seconds" on p95 latency, 5,000 concurrent users at 80% of that), its checks from the changes,
 * its diagnosis from the design decisions involved and its recovery from their rollback plans.
 */
export function draftRunbooks(input: RunbooksInput): RunbooksDraft {
  const runbooks = input.releaseNotes.map((note, index): DraftedRunbook => {
    const storyIds = new Set(note.changes.flatMap((change) => change.storyIds));
    const stories = input.stories.filter((story) => storyIds.has(story.id));
    const adrs = input.adrs.filter((adr) => adr.derivedFrom.some((id) => storyIds.has(id)));
    const risks = input.deploymentRisks.filter((risk) => adrs.some((adr) => risk.derivedFrom.includes(adr.id)));
    const requirementIds = new Set(adrs.flatMap((adr) => adr.derivedFrom));
    const requirements = uniqueRequirements([
      ...stories.flatMap((story) => requirementsOf(story, input.requirements)),
      ...input.requirements.filter((requirement) => requirementIds.has(requirement.id)),
    ]);
    const watched = requirements.filter((requirement) => WATCHED_CATEGORIES.has(requirement.category));
    const service = note.title.replace(/^Release \d+:\s*/, "");
    const figureAlerts = watched.flatMap((requirement) => alertsFor(requirement, service));
    const alerts: Alert[] = [
      ...figureAlerts,
      { name: `${service}: failing requests`, condition: `more than ${DEFAULT_ERROR_RATE} of requests to its operations fail for 5 minutes`, severity: "page" },
    ];
    return {
      id: `RB${index + 1}`,
      title: `Runbook: ${service}`,
      service,
      alerts,
      checks: note.changes.map((change) => `Every 15 minutes a synthetic check with a test account confirms: ${lowerFirst(change.description)}`),
      diagnosis: [
        "Find when the alert condition started on the service dashboard and compare it with the last deployment time",
        ...adrs.map((adr) => `Check the part ${adr.ref} introduced: ${lowerFirst(adr.decision.split(/;|\.\s/)[0])}`),
        "Read the error log of the failing operation for the first error after the start time",
      ],
      recovery: [
        ...risks.map((risk) => `If the cause is the latest release (${risk.ref}: ${lowerFirst(risk.title)}): ${risk.rollback.steps.map(lowerFirst).join("; then ")}`),
        "If one instance is failing, take it out of the load balancer and replace it; the others keep serving",
        "When the alert clears, note the cause and the time to recover in the incident log",
      ],
      derivedFrom: uniqueIds([note.id, ...adrs.map((adr) => adr.id), ...risks.map((risk) => risk.id), ...requirements.map((requirement) => requirement.id)]),
      ...confidenceOf(figureAlerts.length === 0 ? [`no requirement sets a figure for ${service}: the ${DEFAULT_ERROR_RATE} error-rate threshold is a guess`] : []),
    };
  });
  const covered = new Set(runbooks.flatMap((runbook) => runbook.derivedFrom));
  const openQuestions = input.requirements
    .filter((requirement) => ["availability", "performance"].includes(requirement.category) && figuresOf(requirement.statement).length > 0 && !covered.has(requirement.id))
    .map((requirement) => ({ question: `${requirement.ref} sets a figure no runbook watches ('${requirement.statement}'): which released feature does it apply to?`, derivedFrom: [requirement.id] }));
  return { runbooks, openQuestions };
}

function alertsFor(requirement: UpstreamRequirement, service: string): Alert[] {
  return figuresOf(requirement.statement).flatMap((figure): Alert[] => {
    const seconds = durationSeconds(figure);
    if (isPercent(figure) && figure.value > 90 && figure.value < 100) {
      const hours = (((100 - figure.value) / 100) * 30 * 24).toFixed(1);
      return [{ name: `${service}: error budget of ${requirement.ref} burning`, condition: `health-probe success below ${figure.value}% over the last 24 hours (the month's budget is ${hours} hours down)`, severity: "page" }];
    }
    if (figure.bound === "at_least" && figure.value > 1) {
      return [{ name: `${service}: nearing the load of ${requirement.ref}`, condition: `more than ${Math.round(figure.value * 0.8).toLocaleString("en")} concurrent users (80% of ${figure.value.toLocaleString("en")}) for 5 minutes`, severity: "ticket" }];
    }
    if (seconds !== null && seconds <= 600) {
      return [{ name: `${service}: slower than ${requirement.ref} allows`, condition: `p95 above ${figure.value} ${figure.unit} for 10 minutes`, severity: "page" }];
    }
    if (seconds !== null && requirement.category === "legal") {
      return [{ name: `${service}: retention of ${requirement.ref} not applied`, condition: "no successful run of the retention job in the last 26 hours", severity: "ticket" }];
    }
    return [];
  });
}

const uniqueRequirements = (requirements: UpstreamRequirement[]) => [...new Map(requirements.map((requirement) => [requirement.id, requirement])).values()];
