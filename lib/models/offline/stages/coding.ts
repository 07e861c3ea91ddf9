import type { StageOpenQuestion } from "@/lib/kinds/draft-parts";
import { tasksInputSchema, type DraftedTask, type TasksDraft, type TasksInput } from "@/lib/kinds/task/schema";
import { findPhrases } from "../cues";
import { VAGUE_WORDS } from "../lexicon";
import { upperFirst } from "../phrase";
import { confidenceOf, durationSeconds, figuresOf, readGoal, requirementsOf, uniqueIds } from "./reading";

export { tasksInputSchema };

const SENSITIVE_CATEGORIES = new Set(["security", "legal"]);
const SENSITIVE_WORDS = ["payment", "card", "personal", "password", "address", "health", "account", "data"];

/**
 * draft-tasks: one task per approved story. What to build comes from the interfaces' operations
 * that serve the story and the ADRs over its requirements; the definition of done is one check per
 * acceptance criterion plus a measurement for every figure; the review checklist follows from what
 * the story touches (permissions, prohibitions, sensitive data, limits, failure).
 */
export function draftTasks(input: TasksInput): TasksDraft {
  const openQuestions: StageOpenQuestion[] = [];
  const tasks = input.stories.map((story, index): DraftedTask => {
    const requirements = requirementsOf(story, input.requirements);
    const requirementIds = new Set(requirements.map((requirement) => requirement.id));
    const action = readGoal(story.goal);
    const interfaces = input.interfaces.filter((item) => item.operations.some((operation) => operation.storyIds.includes(story.id)));
    const adrs = input.adrs.filter((adr) => adr.derivedFrom.includes(story.id) || adr.derivedFrom.some((id) => requirementIds.has(id)));
    const milestone = input.milestones.find((item) => item.storyIds.includes(story.id));
    if (!milestone) openQuestions.push({ question: `${story.ref} is in no milestone of the release plan: when is it built?`, derivedFrom: [story.id] });
    const statements = requirements.map((requirement) => requirement.statement).join(" ");
    const figures = figuresOf(statements);
    const vague = figures.length > 0 ? [] : findPhrases(statements, VAGUE_WORDS);
    const build = [
      ...interfaces.flatMap((item) =>
        item.operations
          .filter((operation) => operation.storyIds.includes(story.id))
          .map((operation) => `Implement ${operation.name}(${operation.input.join(", ")}) in ${item.name}, called by the ${operation.actor}`),
      ),
      ...(action.subject === null ? [`Add the step where the ${story.role} can ${action.phrase}`] : []),
      ...adrs.map((adr) => `Follow ${adr.ref} (${adr.title.charAt(0).toLowerCase()}${adr.title.slice(1)})`),
    ];
    const definitionOfDone = [
      ...story.acceptanceCriteria.map((criterion, at) => {
        const unmeasured = findPhrases(criterion.then, VAGUE_WORDS);
        return unmeasured.length > 0
          ? `The figure replacing '${unmeasured.join("', '")}' in criterion ${at + 1} is approved by the owner of the requirement, and an automated test against it passes`
          : `An automated test of criterion ${at + 1} passes: when ${criterion.when}, ${criterion.then}`;
      }),
      ...figures.map((figure) =>
        durationSeconds(figure) !== null && durationSeconds(figure)! <= 600
          ? `Measured on staging: the p95 over 100 tries is ${figure.text}`
          : `A test at the boundary of '${figure.text}' passes on both sides of it`,
      ),
      `${story.ref} is shown working on staging to the coding stage's owner`,
    ];
    const reviewChecklist = [
      ...(action.subject === null ? [`Only people allowed to act as ${story.role} can ${action.verb}: the server checks the permission`] : []),
      ...(story.acceptanceCriteria.some((criterion) => /\b(?:cannot|never|not)\b/.test(criterion.then))
        ? ["The prohibition is enforced on the server, not only hidden in the interface"]
        : []),
      ...(requirements.some((requirement) => SENSITIVE_CATEGORIES.has(requirement.category)) || findPhrases(story.goal, SENSITIVE_WORDS).length > 0
        ? ["No personal or payment data in logs, URLs or error messages"]
        : []),
      ...figures.map((figure) => `'${figure.text}' is a named setting, not a literal scattered through the code`),
      ...(requirements.some((requirement) => requirement.category === "fault_tolerance") ? ["Timeouts and lost connections have their own tests"] : []),
      "Every acceptance criterion has its test in the same change",
    ];
    const reasons = [
      ...(vague.length > 0 ? [`the requirement says '${vague.join("', '")}' without a figure: the definition of done cannot be measured yet`] : []),
      ...(interfaces.length === 0 && action.subject === null ? ["no approved interface serves this story: the operation is left to the developer"] : []),
    ];
    return {
      id: `T${index + 1}`,
      storyId: story.id,
      title: action.subject === null ? upperFirst(action.phrase) : `Ensure ${story.acceptanceCriteria[0].then}`,
      build: build.length > 0 ? build : [`Implement the behaviour the criteria describe: ${story.acceptanceCriteria[0].then}`],
      definitionOfDone,
      reviewChecklist,
      derivedFrom: uniqueIds([story.id, ...requirementIds, ...interfaces.map((item) => item.id), ...adrs.map((adr) => adr.id), ...(milestone ? [milestone.id] : [])]),
      ...confidenceOf(reasons),
    };
  });
  return { tasks, openQuestions };
}
