import type { SynthesizeInput } from "@/lib/requirements/schema";
import type { UpstreamRequirement, UpstreamStory } from "@/lib/kinds/draft-parts";
import { draftRequirements } from "../requirements";
import { draftUserStories } from "../stories";
import { draftTasks } from "./coding";
import { draftAdrs, draftInterfaces } from "./design";
import { draftDeploymentRisks, draftReleaseNotes } from "./deployment";
import { draftRunbooks } from "./operations";
import { draftMilestones } from "./planning";
import { draftTestCases } from "./testing";

/**
 * The whole offline chain on one set of sources, every draft taken as approved: what the tests and
 * the benchmark feed each stage, so they run on realistic upstream work rather than hand-made
 * fixtures. Ids and refs are assigned the way the product assigns them (REQ-1, US-1, ...).
 */
function approve<Draft extends { id: string }>(drafts: readonly Draft[], prefix: string) {
  return drafts.map(({ id: _draftId, ...content }, index) => ({ ...content, id: `${prefix.toLowerCase()}-${index + 1}`, ref: `${prefix}-${index + 1}` }));
}

export function draftChain(sources: SynthesizeInput) {
  const { project } = sources;
  const requirements: UpstreamRequirement[] = draftRequirements(sources).requirements.map(({ statement, category }, index) => ({
    id: `req-${index + 1}`,
    ref: `REQ-${index + 1}`,
    statement,
    category,
  }));
  const stories: UpstreamStory[] = approve(draftUserStories({ project, requirements }).stories, "US").map(({ confidence: _confidence, ...story }) => story);
  const milestoneDraft = draftMilestones({ project, requirements, stories });
  const milestones = approve(milestoneDraft.milestones, "MS");
  const adrDraft = draftAdrs({ project, requirements, stories, milestones });
  const adrs = approve(adrDraft.adrs, "ADR");
  const interfaceDraft = draftInterfaces({ project, requirements, stories });
  const interfaces = approve(interfaceDraft.interfaces, "IF");
  const taskDraft = draftTasks({ project, requirements, stories, milestones, adrs, interfaces });
  const tasks = approve(taskDraft.tasks, "TASK");
  const testCaseDraft = draftTestCases({ project, requirements, stories });
  const testCases = approve(testCaseDraft.testCases, "TC");
  const releaseNoteDraft = draftReleaseNotes({ project, requirements, stories, milestones, tasks, testCases });
  const releaseNotes = approve(releaseNoteDraft.releaseNotes, "RN");
  const deploymentRiskDraft = draftDeploymentRisks({ project, requirements, adrs, tasks });
  const deploymentRisks = approve(deploymentRiskDraft.deploymentRisks, "RISK");
  const runbookDraft = draftRunbooks({ project, requirements, stories, adrs, releaseNotes, deploymentRisks });
  return {
    project,
    requirements,
    stories,
    drafts: { milestoneDraft, adrDraft, interfaceDraft, taskDraft, testCaseDraft, releaseNoteDraft, deploymentRiskDraft, runbookDraft },
    approved: { milestones, adrs, interfaces, tasks, testCases, releaseNotes, deploymentRisks },
  };
}
