import { z } from "zod";
import { sourceKinds } from "@/lib/requirements/schema";
import { stageKeySchema } from "@/lib/stages/schema";

/** Building blocks the endpoint tables share (lib/api/schemas.ts and lib/api/endpoints/*). */
export const timestamp = z.iso.datetime().meta({ description: "ISO 8601, UTC" });
export const id = (description: string) => z.string().min(1).max(200).meta({ description });
export const projectPath = z.object({ id: id("Project id") });
export const runPath = z.object({ id: id("Run id") });
export const reviewItemPath = z.object({ id: id("Review item id") });
export const stepPath = z.object({ stepKey: z.string().min(1).max(100).meta({ description: "A model step's key, e.g. synthesize-requirements" }) });
export const stagePath = z.object({ id: id("Project id"), key: stageKeySchema.meta({ description: "Stage key" }) });
export const listOf = <T extends z.ZodType>(item: T) => z.strictObject({ items: z.array(item) });
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.strictObject({
    items: z.array(item),
    nextCursor: z.string().nullable().meta({ description: "Pass as cursor for the next page; null on the last page" }),
  });
export const notAMember = "The caller is not a member of the project.";

export const sourcePath = z.object({ id: id("Project id"), sourceId: id("Source id") });

export const sourceSchema = z
  .strictObject({
    id: z.string(),
    projectId: z.string(),
    title: z.string(),
    kind: z.enum(sourceKinds),
    text: z.string(),
    createdById: z.string(),
    createdAt: timestamp,
  })
  .meta({ id: "Source" });
