import { expect } from "vitest";
import { systemActor, type UserActor } from "@/lib/actors";
import { db } from "@/lib/db";
import type { StageKey } from "@/lib/generated/sqlite/enums";
import { startRun } from "@/lib/pipeline/service";
import { drainRuns } from "@/lib/pipeline/worker";
import { createProject } from "@/lib/projects/service";
import { addSource } from "@/lib/sources/service";
import { signOffStage, updateStageAssignments } from "@/lib/stages/service";
import { stageKeys } from "@/lib/stages/stages";
import { createTokenForEmail } from "@/lib/tokens/service";
import { approveEverything, makeUser, sampleNotes } from "./helpers";

/**
 * A project taken through all seven stages with the offline drafter, every draft approved and
 * every stage signed off by its owner: the starting point of the traceability, revision and
 * export tests. People are users with API tokens, so tests can act through the API and the
 * services alike.
 */
export type Person = UserActor & { token: string };

export async function person(email: string, role: "admin" | "member" = "member"): Promise<Person> {
  const actor = await makeUser(email, role);
  const { secret } = await createTokenForEmail(systemActor("test"), email, "API test");
  return { ...actor, token: secret };
}

/** A new project whose stages are owned as `ownerOf` says and reviewed by `reviewer`, run and signed off stage by stage. */
export async function signedOffProject(name: string, people: { admin: UserActor; reviewer: UserActor; ownerOf: (stage: StageKey) => UserActor }): Promise<string> {
  const projectId = (await createProject(people.admin, { name })).id;
  for (const stage of stageKeys) {
    await updateStageAssignments(people.admin, projectId, stage, { ownerEmail: people.ownerOf(stage).email, reviewerEmails: [people.reviewer.email] });
  }
  for (const note of sampleNotes) await addSource(people.admin, projectId, note);
  for (const stage of stageKeys) {
    const owner = people.ownerOf(stage);
    await startRun(owner, projectId, { stage });
    await drainRuns();
    await approveEverything(people.reviewer, projectId);
    await signOffStage(owner, projectId, stage, {});
  }
  const stages = await db().stage.findMany({ where: { projectId }, select: { status: true } });
  expect(stages.every((stage) => stage.status === "signed_off")).toBe(true);
  return projectId;
}

/** A GET through a route handler that may answer with a file: the status, the headers and the text. */
export async function getFile(handler: (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>, url: string, token: string, params: Record<string, string>) {
  const response = await handler(new Request(`http://localhost/api/v1${url}`, { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve(params) });
  return { status: response.status, contentType: response.headers.get("content-type") ?? "", disposition: response.headers.get("content-disposition") ?? "", text: await response.text() };
}
