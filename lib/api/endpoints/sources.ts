import { z } from "zod";
import { notAMember, sourcePath, sourceSchema } from "@/lib/api/common";
import { inProject } from "@/lib/api/authorization";
import type { Endpoint } from "@/lib/api/schemas";
import { stageKeySchema } from "@/lib/stages/schema";
import { updateSourceSchema } from "@/lib/sources/schema";

/** The /api/v1 routes of one source, merged into the one endpoint table in lib/api/schemas.ts. */
const refs = z.array(z.strictObject({ id: z.string(), ref: z.string() }));

const sourceChangeSchema = z
  .strictObject({
    source: sourceSchema,
    quotedBy: refs.meta({ description: "The current drafts quoting the source (before sign-off: run the stage again to re-draft them)" }),
    stale: refs.meta({ description: "Work that turned stale because the stage that read the source was signed off: the drafts quoting it and everything built on them" }),
    reopenedStages: z.array(stageKeySchema).meta({ description: "Signed-off stages that reopened because they hold stale work" }),
  })
  .meta({ id: "SourceChange" });

const changeErrors = {
  403: notAMember,
  404: "The project or the source does not exist.",
  409: "A run of the stage that reads the sources is drafting; or (removal) signed-off work quotes the source: edit it instead.",
};

export const sourcesEndpoints = {
  updateSource: {
    method: "patch",
    authorize: inProject("sources:write"),
    path: "/projects/{id}/sources/{sourceId}",
    summary: "Edit a source's title, kind or text; after the stage that read it was signed off, the drafts quoting it and their descendants turn stale",
    params: sourcePath,
    body: updateSourceSchema,
    status: 200,
    response: sourceChangeSchema,
    errors: { ...changeErrors, 422: "Nothing would change, the text is empty, or a field is too long." },
  },
  removeSource: {
    method: "delete",
    authorize: inProject("sources:write"),
    path: "/projects/{id}/sources/{sourceId}",
    summary: "Remove a source the signed-off work does not quote",
    params: sourcePath,
    status: 200,
    response: z
      .strictObject({ id: z.string(), quotedBy: refs.meta({ description: "Drafts that quoted it (none signed off): run the stage again to re-draft them" }) })
      .meta({ id: "SourceRemoved" }),
    errors: changeErrors,
  },
} satisfies Record<string, Endpoint>;
