"use server";

import { z } from "zod";
import { action, granted } from "@/lib/actions";
import type { Grant } from "@/lib/authz";
import { startRun } from "@/lib/pipeline/service";
import { createProjectSchema } from "@/lib/projects/schema";
import { createProject } from "@/lib/projects/service";
import { sourceKinds } from "@/lib/requirements/schema";
import { addSource, textFromUpload } from "@/lib/sources/service";
import { signOffSchema, stageKeySchema, updateStageSchema } from "@/lib/stages/schema";
import { signOffStage, updateStageAssignments } from "@/lib/stages/service";

const projectId = z.string().min(1, "the project is missing");

export const createProjectAction = action(createProjectSchema, granted("projects:create"), async (actor, input) => {
  const project = await createProject(actor, input);
  return { id: project.id };
});

/** Pasted text, or an uploaded .md/.txt file (its name is the title unless one is given). */
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

const stageScope = z.object({ projectId, stage: stageKeySchema });

const inStage =
  (...permissions: Grant["permissions"]) =>
  ({ projectId: id, stage }: z.output<typeof stageScope>): Grant => ({ permissions, scope: { projectId: id, stage } });

export const updateStageAssignmentsAction = action(
  z.intersection(stageScope, updateStageSchema),
  (input) => inStage(...(input.ownerEmail !== undefined ? ["stages:assignOwner" as const] : []), ...(input.reviewerEmails !== undefined ? ["stages:assignReviewers" as const] : []))(input),
  async (actor, { projectId: id, stage, ...assignments }) => {
    const updated = await updateStageAssignments(actor, id, stage, assignments);
    return { owner: updated.owner?.email ?? null, reviewers: updated.reviewers.map((r) => r.email) };
  },
);

export const startRunAction = action(stageScope, inStage("runs:start"), (actor, { projectId: id, stage }) => startRun(actor, id, { stage }));

export const signOffStageAction = action(z.intersection(stageScope, signOffSchema), inStage("stages:signOff"), (actor, { projectId: id, stage, comment }) =>
  signOffStage(actor, id, stage, { comment }),
);
