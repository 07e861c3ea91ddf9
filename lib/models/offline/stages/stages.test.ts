import { describe, expect, it } from "vitest";
import { loadDemoNotes } from "@/fixtures/stakeholder-notes";
import { checkAdr } from "@/lib/kinds/adr/checks";
import { adrsDraftSchema } from "@/lib/kinds/adr/schema";
import { checkDeploymentRisk } from "@/lib/kinds/deployment-risk/checks";
import { deploymentRisksDraftSchema } from "@/lib/kinds/deployment-risk/schema";
import type { KindFlag } from "@/lib/kinds/draft-parts";
import { checkInterface } from "@/lib/kinds/interface/checks";
import { interfacesDraftSchema } from "@/lib/kinds/interface/schema";
import { checkMilestone } from "@/lib/kinds/milestone/checks";
import { milestonesDraftSchema } from "@/lib/kinds/milestone/schema";
import { checkReleaseNote } from "@/lib/kinds/release-note/checks";
import { releaseNotesDraftSchema } from "@/lib/kinds/release-note/schema";
import { checkRunbook } from "@/lib/kinds/runbook/checks";
import { runbooksDraftSchema } from "@/lib/kinds/runbook/schema";
import { checkTask } from "@/lib/kinds/task/checks";
import { tasksDraftSchema } from "@/lib/kinds/task/schema";
import { checkTestCase } from "@/lib/kinds/test-case/checks";
import { testCasesDraftSchema } from "@/lib/kinds/test-case/schema";
import type { SynthesizeInput } from "@/lib/requirements/schema";
import { inputOf, TEST_NOTES } from "../test-notes";
import { draftChain } from "./chain";
import { draftTasks, tasksInputSchema } from "./coding";
import { stageDrafters } from "./index";
import { milestonesInputSchema } from "./planning";

/**
 * The offline drafters of the six later stages, run on realistic upstream work: each domain's notes
 * go through the requirements and story drafters, and every stage drafts from the one before
 * (taken as approved). Assertions look artifacts up by what they say, not by position.
 */
const bikeShare: SynthesizeInput = {
  project: { name: "Bike-share rider app", brief: "A rider app for the city bike-share: find, unlock and return bikes, pay, and report problems." },
  sources: loadDemoNotes().map((note, index) => ({ id: `source-${index + 1}`, ...note })),
};
const operations = { name: "Operations tools", brief: "Tools for our staff and customers." };
const domains: [string, SynthesizeInput][] = [
  ["bike share", bikeShare],
  ["school lunch", inputOf(TEST_NOTES.schoolLunch, operations)],
  ["library loans", inputOf(TEST_NOTES.requirementsDocument, operations)],
  ["warehouse returns", inputOf(TEST_NOTES.warehouseReturns, operations)],
];
const chains = new Map(domains.map(([name, input]) => [name, draftChain(input)]));
const demo = chains.get("bike share")!;

/** Flags that a drafter's own output must never raise: a broken trace, an order that cannot work, a hollow plan. */
const STRUCTURAL = new Set([
  "untraced", "story_not_traced", "operation_not_traced", "change_not_traced", "depends_on_later", "no_real_alternative",
  "restates_criterion", "uncheckable_done", "vague_rollback", "no_rollback_trigger", "unmeasurable_alert", "duplicate_operation",
]);
const structural = (flags: KindFlag[]) => flags.filter((flag) => STRUCTURAL.has(flag.code)).map((flag) => `${flag.code}: ${flag.message}`);

describe.each(domains.map(([name]) => [name]))("the drafted chain of %s", (name) => {
  const chain = chains.get(name)!;
  const { drafts, approved, requirements, stories } = chain;
  const ids = (...lists: { id: string }[][]) => new Set(lists.flat().map((item) => item.id));

  it("satisfies every step's output contract", () => {
    expect(milestonesDraftSchema.safeParse(drafts.milestoneDraft).success).toBe(true);
    expect(adrsDraftSchema.safeParse(drafts.adrDraft).success).toBe(true);
    expect(interfacesDraftSchema.safeParse(drafts.interfaceDraft).success).toBe(true);
    expect(tasksDraftSchema.safeParse(drafts.taskDraft).success).toBe(true);
    expect(testCasesDraftSchema.safeParse(drafts.testCaseDraft).success).toBe(true);
    expect(releaseNotesDraftSchema.safeParse(drafts.releaseNoteDraft).success).toBe(true);
    expect(deploymentRisksDraftSchema.safeParse(drafts.deploymentRiskDraft).success).toBe(true);
    expect(runbooksDraftSchema.safeParse(drafts.runbookDraft).success).toBe(true);
  });

  it("passes its own kinds' structural checks, every draft traced to upstream work that exists", () => {
    const planning = { upstreamIds: ids(requirements, stories) };
    const design = { upstreamIds: ids(requirements, stories, approved.milestones) };
    const coding = { upstreamIds: ids(requirements, stories, approved.milestones, approved.adrs, approved.interfaces) };
    const release = { upstreamIds: ids(requirements, stories, approved.milestones, approved.tasks, approved.testCases) };
    const risks = { upstreamIds: ids(requirements, approved.adrs, approved.tasks) };
    const operating = { upstreamIds: ids(requirements, stories, approved.adrs, approved.releaseNotes, approved.deploymentRisks) };
    const flags = [
      ...drafts.milestoneDraft.milestones.flatMap((item) => checkMilestone(item, planning)),
      ...drafts.adrDraft.adrs.flatMap((item) => checkAdr(item, design)),
      ...drafts.interfaceDraft.interfaces.flatMap((item) => checkInterface(item, design)),
      ...drafts.taskDraft.tasks.flatMap((item) => checkTask(item, coding)),
      ...drafts.testCaseDraft.testCases.flatMap((item) => checkTestCase(item, { upstreamIds: ids(requirements, stories) })),
      ...drafts.releaseNoteDraft.releaseNotes.flatMap((item) => checkReleaseNote(item, release)),
      ...drafts.deploymentRiskDraft.deploymentRisks.flatMap((item) => checkDeploymentRisk(item, risks)),
      ...drafts.runbookDraft.runbooks.flatMap((item) => checkRunbook(item, operating)),
    ];
    expect(structural(flags)).toEqual([]);
  });

  it("plans every story exactly once, each milestone after the ones it needs", () => {
    const planned = drafts.milestoneDraft.milestones.flatMap((milestone) => milestone.storyIds);
    expect([...planned].sort()).toEqual(stories.map((story) => story.id).sort());
    for (const milestone of drafts.milestoneDraft.milestones) expect(milestone.dependsOn.every((position) => position < milestone.position)).toBe(true);
  });

  it("drafts one task per story and one test case per acceptance criterion", () => {
    expect(drafts.taskDraft.tasks.map((task) => task.storyId)).toEqual(stories.map((story) => story.id));
    const criteria = stories.flatMap((story) => story.acceptanceCriteria.map((_, index) => `${story.id}#${index}`));
    expect(drafts.testCaseDraft.testCases.map((test) => `${test.storyId}#${test.criterionIndex}`)).toEqual(criteria);
  });

  it("never copies a criterion into its test case, and shows the criterion it tests", () => {
    for (const test of drafts.testCaseDraft.testCases) {
      const criterion = stories.find((story) => story.id === test.storyId)!.acceptanceCriteria[test.criterionIndex];
      expect(test.criterion).toEqual(criterion);
      expect(test.then).not.toBe(criterion.then);
      expect(test.given).not.toBe(criterion.given);
    }
  });

  it("is deterministic", () => {
    const input = domains.find(([domain]) => domain === name)![1];
    expect(JSON.stringify(draftChain(structuredClone(input)).drafts)).toBe(JSON.stringify(drafts));
  });
});

describe("the bike share's drafts", () => {
  const { drafts, stories, requirements } = demo;
  const storyAbout = (pattern: RegExp) => stories.find((story) => pattern.test(story.goal))!;
  const requirementAbout = (pattern: RegExp) => requirements.find((requirement) => pattern.test(requirement.statement))!;

  it("puts the quality targets after the features they constrain, naming the figures as risks", () => {
    const last = drafts.milestoneDraft.milestones.at(-1)!;
    expect(last.storyIds).toContain(storyAbout(/lock to open within 5 seconds/).id);
    expect(last.dependsOn.length).toBeGreaterThan(0);
    expect(last.risks.join(" ")).toMatch(/within 5 seconds/);
  });

  it("decides availability from its figure, with the downtime it allows, and real alternatives", () => {
    const adr = drafts.adrDraft.adrs.find((item) => item.derivedFrom.includes(requirementAbout(/99\.5%/).id))!;
    expect(adr.context).toMatch(/99\.5% availability allows about 3\.6 hours of downtime/);
    expect(adr.alternatives.length).toBeGreaterThanOrEqual(2);
  });

  it("asks instead of deciding when a quality requirement gives no figure", () => {
    const fast = requirements.filter((requirement) => /\bfast\b/.test(requirement.statement) && requirement.category === "performance");
    for (const requirement of fast) expect(drafts.adrDraft.openQuestions.some((question) => question.derivedFrom.includes(requirement.id))).toBe(true);
  });

  it("designs operations from the stories' actions, each traced to the story it serves", () => {
    const operations = drafts.interfaceDraft.interfaces.flatMap((item) => item.operations);
    const unlock = operations.find((operation) => operation.name === "unlockBike")!;
    expect(unlock).toMatchObject({ actor: "rider", input: ["bikeId", "qrCode"] });
    expect(unlock.storyIds).toEqual([storyAbout(/unlock a bike/).id]);
    expect(operations.find((operation) => operation.name === "requestRefund")?.actor).toBe("rider");
  });

  it("tests a limit on both sides of it with concrete values", () => {
    const story = storyAbout(/refund above 20 euros/);
    const test = drafts.testCaseDraft.testCases.find((item) => item.storyId === story.id)!;
    expect(test.given).toMatch(/20\.01 euros.*20 euros/);
    expect(test.priority).toBe("high");
  });

  it("rolls back on the requirement's own figure", () => {
    const risk = drafts.deploymentRiskDraft.deploymentRisks.find((item) => item.derivedFrom.includes(requirementAbout(/within 5 seconds/).id))!;
    expect(risk.rollback.trigger).toBe("p95 of the action above 5 seconds for 10 minutes");
    expect(risk.rollback.steps[0]).toBe("Deploy the previous version");
  });

  it("alerts on the released features' figures and recovers with the risks' rollbacks", () => {
    const alerts = drafts.runbookDraft.runbooks.flatMap((runbook) => runbook.alerts.map((alert) => alert.condition));
    expect(alerts).toContain("p95 above 5 seconds for 10 minutes");
    expect(alerts.some((condition) => /below 99\.5% over the last 24 hours/.test(condition))).toBe(true);
    expect(drafts.runbookDraft.runbooks.some((runbook) => runbook.recovery.some((step) => /^If the cause is the latest release \(RISK-\d+/.test(step)))).toBe(true);
  });

  it("announces in the readers' words what was built, and says what has no agreed figure", () => {
    const changes = drafts.releaseNoteDraft.releaseNotes.flatMap((note) => note.changes.map((change) => change.description));
    expect(changes).toContain("Riders can now unlock a bike by scanning the QR code.");
    expect(changes).toContain("Riders can no longer end a ride outside a dock.");
    expect(drafts.releaseNoteDraft.releaseNotes.flatMap((note) => note.knownLimitations).some((limit) => /'fast' has no agreed figure/.test(limit))).toBe(true);
  });
});

describe("step inputs", () => {
  it("reach every kind's offline drafter by the output name its step asks for, parsed first", () => {
    expect(Object.keys(stageDrafters)).toEqual([
      "milestones_draft", "adrs_draft", "interfaces_draft", "tasks_draft", "test_cases_draft", "release_notes_draft", "deployment_risks_draft", "runbooks_draft",
    ]);
    const { project, requirements, stories } = demo;
    expect(stageDrafters.milestones_draft({ project, requirements, stories })).toEqual(demo.drafts.milestoneDraft);
    expect(() => stageDrafters.runbooks_draft({ project, requirements, stories, adrs: [], releaseNotes: [], deploymentRisks: [] })).toThrow(/no approved release notes/);
  });

  it("refuse a stage with nothing approved upstream, saying what is missing", () => {
    const parsed = milestonesInputSchema.safeParse({ project: demo.project, requirements: [], stories: [] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0].message).toBe("no approved user stories to plan");
  });

  it("refuse malformed upstream artifacts instead of drafting from them", () => {
    const [story] = demo.stories;
    expect(tasksInputSchema.safeParse({ project: demo.project, requirements: [], stories: [{ ...story, acceptanceCriteria: [] }], milestones: [], adrs: [], interfaces: [] }).success).toBe(false);
  });

  it("draft without the optional upstream work, saying what is missing", () => {
    const { project, requirements, stories } = demo;
    const { tasks, openQuestions } = draftTasks({ project, requirements, stories: stories.slice(0, 1), milestones: [], adrs: [], interfaces: [] });
    expect(tasks).toHaveLength(1);
    expect(openQuestions[0].question).toMatch(/is in no milestone/);
  });
});
