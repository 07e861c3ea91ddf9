import { deploymentRisksInputSchema, type DeploymentRisksDraft, type DeploymentRisksInput, type DraftedDeploymentRisk } from "@/lib/kinds/deployment-risk/schema";
import { releaseNotesInputSchema, type DraftedReleaseNote, type ReleaseNotesDraft, type ReleaseNotesInput } from "@/lib/kinds/release-note/schema";
import { vagueWordsIn, type StageOpenQuestion, type UpstreamStory } from "@/lib/kinds/draft-parts";
import { tokenizeSentences } from "../nlp";
import { isPersonWord, lowerFirst, upperFirst } from "../phrase";
import { fillFigure, figureFor, TACTICS } from "./design";
import { confidenceOf, figuresOf, plural, readGoal, requirementsOf, uniqueIds } from "./reading";

export { deploymentRisksInputSchema, releaseNotesInputSchema };

/**
 * draft-release-notes: one note per milestone that has built work, listing what its stories let
 * people do (in their words, from the story's goal and role), with what is not covered by an
 * approved test as a known limitation.
 */
export function draftReleaseNotes(input: ReleaseNotesInput): ReleaseNotesDraft {
  const built = new Map(input.tasks.map((task) => [task.storyId, task]));
  const tested = new Set(input.testCases.map((test) => test.storyId));
  const openQuestions: StageOpenQuestion[] = [];
  const storiesById = new Map(input.stories.map((story) => [story.id, story]));
  const planned = input.milestones.length > 0 ? input.milestones : [{ id: "", ref: "", position: 1, title: input.project.name, storyIds: input.stories.map((story) => story.id) }];
  const releaseNotes = [...planned]
    .sort((a, b) => a.position - b.position)
    .flatMap((milestone, index): DraftedReleaseNote[] => {
      const stories = milestone.storyIds.flatMap((id) => (built.has(id) && storiesById.has(id) ? [storiesById.get(id)!] : []));
      const unbuilt = milestone.storyIds.filter((id) => !built.has(id));
      if (unbuilt.length > 0 && milestone.id) openQuestions.push({ question: `${milestone.ref} holds stories without an approved task (${unbuilt.join(", ")}): do they ship in this release?`, derivedFrom: [milestone.id, ...unbuilt] });
      if (stories.length === 0) return [];
      const changes = stories.map((story) => ({ description: changeOf(story), storyIds: [story.id] }));
      const untested = stories.filter((story) => !tested.has(story.id));
      const knownLimitations = [
        ...untested.map((story) => `Checked by hand only, no approved test yet: ${lowerFirst(changeOf(story))}`),
        ...stories.flatMap((story) => {
          const vague = requirementsOf(story, input.requirements).flatMap((requirement) => (figuresOf(requirement.statement).length > 0 ? [] : vagueWordsIn(requirement.statement)));
          return vague.length > 0 ? [`'${uniqueIds(vague).join("', '")}' has no agreed figure yet: ${lowerFirst(changeOf(story))}`] : [];
        }),
      ];
      const roles = uniqueIds(stories.filter((story) => readGoal(story.goal).subject === null).map((story) => plural(story.role.split(" ")[0])));
      return [
        {
          id: `RN${index + 1}`,
          title: `Release ${index + 1}: ${milestone.title}`,
          summary: `${changes.length} change${changes.length === 1 ? "" : "s"}${roles.length > 0 ? ` for ${roles.join(" and ")}` : ""}${untested.length > 0 ? `; ${untested.length} without an approved test` : ""}.`,
          changes,
          knownLimitations,
          derivedFrom: uniqueIds([...(milestone.id ? [milestone.id] : []), ...stories.flatMap((story) => [story.id, built.get(story.id)!.id])]),
          ...confidenceOf(untested.length > 0 ? [`${untested.length} of its stories have no approved test case`] : []),
        },
      ];
    })
    .map((note, index) => ({ ...note, id: `RN${index + 1}` }));
  return { releaseNotes, openQuestions };
}

const IDLE_WHEN = /\b(?:is in use|are checked|is checked|uses|starts)\b/;

/** A change as its readers say it: who can now do what, what can no longer happen, or what the product now guarantees. */
function changeOf(story: UpstreamStory): string {
  const action = readGoal(story.goal);
  const [criterion] = story.acceptanceCriteria;
  const people = story.role.includes(" ") ? upperFirst(withArticle(story.role)) : upperFirst(plural(story.role));
  if (action.subject === null) return `${people} can now ${action.phrase}.`;
  if (/\bnot to\b/.test(story.goal) && tokenizeSentences(action.subject).flat().some(isPersonWord)) return `${upperFirst(action.subject)} can no longer ${action.phrase}.`;
  return `${upperFirst(criterion.then)}${IDLE_WHEN.test(criterion.when) ? "" : ` when ${criterion.when}`}.`;
}

const withArticle = (role: string) => `${/^[aeiou]/i.test(role) ? "an" : "a"} ${role}`;

/**
 * draft-deployment-risks: what each design decision risks on release day, with a rollback whose
 * trigger carries the figure of the requirement behind it. Sensitive requirements no decision
 * covers become open questions rather than invented risks.
 */
export function draftDeploymentRisks(input: DeploymentRisksInput): DeploymentRisksDraft {
  const requirementsById = new Map(input.requirements.map((requirement) => [requirement.id, requirement]));
  const deploymentRisks = input.adrs.flatMap((adr): DraftedDeploymentRisk[] => {
    const tactic = TACTICS.find((item) => item.title === adr.title);
    const requirements = adr.derivedFrom.flatMap((id) => (requirementsById.has(id) ? [requirementsById.get(id)!] : []));
    const tasks = input.tasks.filter((task) => task.derivedFrom.includes(adr.id));
    if (!tactic) return [];
    const figure = figureFor(requirements);
    const { risk } = tactic;
    return [
      {
        id: "",
        title: risk.title,
        description: `${risk.description} (from ${adr.ref}${requirements.length > 0 ? `, serving ${requirements.map((requirement) => requirement.ref).join(", ")}` : ""}${tasks.length > 0 ? `; built in ${tasks.map((task) => task.ref).join(", ")}` : ""})`,
        likelihood: risk.likelihood as DraftedDeploymentRisk["likelihood"],
        impact: risk.impact as DraftedDeploymentRisk["impact"],
        mitigation: risk.mitigation,
        rollback: { trigger: fillFigure(risk.trigger, figure), steps: risk.steps },
        derivedFrom: uniqueIds([adr.id, ...requirements.map((requirement) => requirement.id), ...tasks.map((task) => task.id)]),
        ...confidenceOf(/\{(?:figure|value)\}/.test(risk.trigger) && !figure ? ["the rollback trigger needs a figure no requirement states"] : []),
      },
    ];
  }).map((risk, index) => ({ ...risk, id: `DR${index + 1}` }));
  const covered = new Set(deploymentRisks.flatMap((risk) => risk.derivedFrom));
  const openQuestions = input.requirements
    .filter((requirement) => ["security", "legal", "performance"].includes(requirement.category) && !covered.has(requirement.id))
    .map((requirement) => ({ question: `No deployment risk covers ${requirement.ref} ('${requirement.statement}'): what would a release that breaks it look like, and how is it undone?`, derivedFrom: [requirement.id] }));
  return { deploymentRisks, openQuestions };
}
