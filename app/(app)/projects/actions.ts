"use server";

import { z } from "zod";
import { action, granted } from "@/lib/actions";
import type { Grant } from "@/lib/authz";
import { startRun } from "@/lib/pipeline/service";
import { createProjectSchema } from "@/lib/projects/schema";
import { createProject } from "@/lib/projects/service";
import { sourceKinds } from "@/lib/requirements/schema";
import { updateSourceSchema } from "@/lib/sources/schema";
import { addSource, removeSource, sourceText, textFromUpload, updateSource } from "@/lib/sources/service";
import { assignmentPermissions, everyStageSchema, signOffSchema, stageKeySchema, updateStageSchema } from "@/lib/stages/schema";
import { assertNewProjectPeople, assignEveryStage, signOffStage, updateStageAssignments } from "@/lib/stages/service";
import { stageKeys } from "@/lib/stages/stages";

const projectId = z.string().min(1, "the project is missing");

/**
 * A new project, optionally with the same owner and reviewers for all its stages. The people are
 * checked before the project is created, so a refusal leaves nothing half made.
 */
export const createProjectAction = action(z.intersection(createProjectSchema, everyStageSchema), granted("projects:create"), async (actor, { ownerEmail, reviewerEmails, ...input }) => {
  const people = { ...(ownerEmail ? { ownerEmail } : {}), ...(reviewerEmails ? { reviewerEmails } : {}) };
  const assigning = Object.keys(people).length > 0;
  if (assigning) await assertNewProjectPeople(actor, people);
  const project = await createProject(actor, input);
  if (assigning) await assignEveryStage(actor, project.id, people);
  return { id: project.id };
});

/** Pasted text, or an uploaded file (its name is the title unless one is given). */
export const addSourceAction = action(
  z.object({
    projectId,
    title: z.string().trim().optional(),
    kind: z.enum(sourceKinds).default("other"),
    text: z.string().optional(),
    file: z.instanceof(File).optional(),
  }),
  ({ projectId: id }) => ({ permissions: ["sources:write"], scope: { projectId: id } }),
  async (actor, input) => {
    const upload = input.file ? await textFromUpload(input.file) : null;
    const source = await addSource(actor, input.projectId, {
      title: input.title || upload?.title || "",
      kind: input.kind,
      text: upload?.text ?? input.text ?? "",
    });
    return { id: source.id, title: source.title };
  },
);

const sourceScope = z.object({ projectId, sourceId: z.string().min(1, "the source is missing") });
const writeSources = ({ projectId: id }: { projectId: string }): Grant => ({ permissions: ["sources:write"], scope: { projectId: id } });

export const updateSourceAction = action(z.intersection(sourceScope, updateSourceSchema), writeSources, async (actor, { projectId: id, sourceId, ...edit }) => {
  const changed = await updateSource(actor, id, sourceId, edit);
  return { title: changed.source.title, quotedBy: changed.quotedBy.map((draft) => draft.ref), stale: changed.stale.length, reopenedStages: changed.reopenedStages };
});

/** A source's whole text, when someone opens the source or edits it: the page lists sources without their texts. */
export const sourceTextAction = action(
  sourceScope,
  ({ projectId: id }): Grant => ({ permissions: ["projects:read"], scope: { projectId: id } }),
  async (actor, { projectId: id, sourceId }) => ({ text: await sourceText(actor, id, sourceId) }),
  { revalidate: false },
);

export const removeSourceAction = action(sourceScope, writeSources, async (actor, { projectId: id, sourceId }) => {
  const removed = await removeSource(actor, id, sourceId);
  return { quotedBy: removed.quotedBy.map((draft) => draft.ref) };
});

const stageScope = z.object({ projectId, stage: stageKeySchema });

const inStage =
  (...permissions: Grant["permissions"]) =>
  ({ projectId: id, stage }: z.output<typeof stageScope>): Grant => ({ permissions, scope: { projectId: id, stage } });

export const updateStageAssignmentsAction = action(
  z.intersection(stageScope, updateStageSchema),
  (input) => inStage(...assignmentPermissions(input))(input),
  async (actor, { projectId: id, stage, ...assignments }) => {
    const updated = await updateStageAssignments(actor, id, stage, assignments);
    return { owner: updated.owner?.email ?? null, reviewers: updated.reviewers.map((r) => r.email) };
  },
);

/** The same owner and reviewers for every stage of the project; checked here in the first stage, by the service in each. */
export const assignEveryStageAction = action(
  z.intersection(z.object({ projectId }), updateStageSchema),
  (input) =>
    inStage(...assignmentPermissions(input))({
      projectId: input.projectId,
      stage: stageKeys[0],
    }),
  async (actor, { projectId: id, ...assignments }) => {
    const stages = await assignEveryStage(actor, id, assignments);
    return { stages: stages.length };
  },
);

export const startRunAction = action(stageScope, inStage("runs:start"), (actor, { projectId: id, stage }) => startRun(actor, id, { stage }));

export const signOffStageAction = action(z.intersection(stageScope, signOffSchema), inStage("stages:signOff"), (actor, { projectId: id, stage, comment }) =>
  signOffStage(actor, id, stage, { comment }),
);
