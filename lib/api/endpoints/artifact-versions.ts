import { z } from "zod";
import { id, notAMember, timestamp } from "@/lib/api/common";
import type { Endpoint } from "@/lib/api/schemas";
import { artifactStatuses } from "@/lib/artifacts/schema";
import { DecisionAction } from "@/lib/generated/sqlite/enums";

/** GET /artifacts/{id}/versions, merged into the one endpoint table in lib/api/schemas.ts. */
const artifactPath = z.object({ id: id("Artifact id") });

const artifactVersionsSchema = z
  .strictObject({
    artifactId: z.string(),
    ref: z.string(),
    currentVersion: z.number().int(),
    versions: z.array(
      z.strictObject({
        version: z.number().int(),
        content: z.record(z.string(), z.unknown()).meta({ description: "The version's content, in its kind's shape" }),
        origin: z.enum(["drafted", "edited", "revised", "redrafted"]).meta({
          description: "drafted: version 1; edited: a reviewer's edit in review; revised: the stage owner's revision of approved work; redrafted: the drafting step again, after a rejection with a comment",
        }),
        status: z.enum(artifactStatuses).meta({ description: "The current version: the artifact's status; an earlier one: rejected, or superseded by a later version" }),
        createdAt: timestamp,
        by: z.strictObject({
          type: z.enum(["model", "person"]),
          name: z.string().meta({ description: "The model id, or the person's name" }),
          email: z.string().nullable(),
        }),
        decisions: z.array(
          z.strictObject({
            action: z.enum(DecisionAction),
            by: z.strictObject({ name: z.string(), email: z.string() }),
            at: timestamp,
            comment: z.string().nullable(),
            undone: z.boolean().meta({ description: "Taken back (undo or reopen); kept on record" }),
          }),
        ),
      }),
    ),
  })
  .meta({ id: "ArtifactVersions" });

export const artifactVersionsEndpoints = {
  listArtifactVersions: {
    method: "get",
    path: "/artifacts/{id}/versions",
    summary: "The artifact's history: every version (drafted, edited, revised or re-drafted after a rejection) with the decisions and comments on it",
    params: artifactPath,
    status: 200,
    response: artifactVersionsSchema,
    errors: { 403: notAMember, 404: "The artifact does not exist." },
  },
} satisfies Record<string, Endpoint>;
