import { ORGANISATION_NOUNS, PERSON_NOUNS } from "./lexicon";

/**
 * What the project's name and brief say about who is involved: the organisation ("we" in the
 * notes means its staff) and the people it serves (the default role of a user story).
 */
export type Project = { name: string; brief: string };

const wordsOf = (project: Project) => `${project.name} ${project.brief}`.toLowerCase().split(/[^a-z-]+/);

/** "clinic" for "Online booking for Riverside Family Clinic"; "organisation" when none is named. */
export function organisationOf(project: Project): string {
  return wordsOf(project).find((word) => ORGANISATION_NOUNS.includes(word)) ?? "organisation";
}

/** "rider" for "A rider app for the city bike-share"; null when the brief names nobody. */
export function servedRoleOf(project: Project): string | null {
  const person = wordsOf(project).find((word) => PERSON_NOUNS.has(word.replace(/s$/, "")) && !["staff", "user"].includes(word));
  return person?.replace(/s$/, "") ?? null;
}
