import { definition as adr } from "@/lib/kinds/adr";
import { definition as deploymentRisk } from "@/lib/kinds/deployment-risk";
import { definition as interfaceKind } from "@/lib/kinds/interface";
import { definition as milestone } from "@/lib/kinds/milestone";
import { definition as releaseNote } from "@/lib/kinds/release-note";
import { definition as runbook } from "@/lib/kinds/runbook";
import { definition as task } from "@/lib/kinds/task";
import { definition as testCase } from "@/lib/kinds/test-case";
import { draftTasks, tasksInputSchema } from "./coding";
import { adrsInputSchema, draftAdrs, draftInterfaces, interfacesInputSchema } from "./design";
import { deploymentRisksInputSchema, draftDeploymentRisks, draftReleaseNotes, releaseNotesInputSchema } from "./deployment";
import { draftRunbooks, runbooksInputSchema } from "./operations";
import { draftMilestones, milestonesInputSchema } from "./planning";
import { draftTestCases, testCasesInputSchema } from "./testing";

/**
 * The offline drafter's tasks for the later stages, by the output name each kind's draft step asks
 * for: the input is parsed against the step's contract before any drafting, so bad input is
 * refused with the contract's message and nothing is drafted.
 */
export const stageDrafters: Record<string, (input: unknown) => unknown> = {
  [milestone.draftStep.outputName]: (input) => draftMilestones(milestonesInputSchema.parse(input)),
  [adr.draftStep.outputName]: (input) => draftAdrs(adrsInputSchema.parse(input)),
  [interfaceKind.draftStep.outputName]: (input) => draftInterfaces(interfacesInputSchema.parse(input)),
  [task.draftStep.outputName]: (input) => draftTasks(tasksInputSchema.parse(input)),
  [testCase.draftStep.outputName]: (input) => draftTestCases(testCasesInputSchema.parse(input)),
  [releaseNote.draftStep.outputName]: (input) => draftReleaseNotes(releaseNotesInputSchema.parse(input)),
  [deploymentRisk.draftStep.outputName]: (input) => draftDeploymentRisks(deploymentRisksInputSchema.parse(input)),
  [runbook.draftStep.outputName]: (input) => draftRunbooks(runbooksInputSchema.parse(input)),
};
