import { z } from "zod";
import { id, listOf, timestamp } from "@/lib/api/common";
import { anywhere } from "@/lib/api/authorization";
import type { Endpoint } from "@/lib/api/schemas";
import { createDelegationSchema, delegationStates } from "@/lib/delegations/schema";
import { stageKeySchema } from "@/lib/stages/schema";

/** The /api/v1 routes of delegations (out of office), merged into the one endpoint table in lib/api/schemas.ts. */
const party = z.strictObject({ id: z.string(), email: z.string(), name: z.string() });

const delegationSchema = z
  .strictObject({
    id: z.string(),
    from: party.meta({ description: "Who handed their stage roles over" }),
    to: party.meta({ description: "Who holds them during the window; their decisions say 'on behalf of'" }),
    projectId: z.string().nullable().meta({ description: "The one project it covers; null for every stage role the delegator holds" }),
    stageKey: stageKeySchema.nullable().meta({ description: "The one stage it covers; null for the whole project (or everywhere)" }),
    startsAt: timestamp,
    endsAt: timestamp,
    reason: z.string().nullable(),
    state: z.enum(delegationStates),
    createdAt: timestamp,
    revokedAt: timestamp.nullable(),
  })
  .meta({ id: "Delegation" });

export const delegationsEndpoints = {
  listDelegations: {
    method: "get",
    path: "/delegations",
    summary: "The caller's delegations, given and held (admins see everyone's), newest first",
    status: 200,
    response: listOf(delegationSchema),
  },
  createDelegation: {
    method: "post",
    authorize: anywhere("delegations:manageOwn"),
    path: "/delegations",
    summary: "Hand your stage roles (owner, reviewer) to someone for a time window, e.g. while out of office",
    body: createDelegationSchema,
    status: 201,
    response: delegationSchema,
    errors: {
      403: "You own or review no stage in the scope you named, so you have no role to delegate.",
      404: "The project or stage does not exist.",
      422: "No active user has the email, it is your own, or the window is wrong (endsAt after startsAt and in the future, at most 90 days).",
    },
  },
  revokeDelegation: {
    method: "delete",
    authorize: anywhere("delegations:manageOwn"),
    path: "/delegations/{id}",
    summary: "End a delegation now (its delegator, its delegate or an admin)",
    params: z.object({ id: id("Delegation id") }),
    status: 200,
    response: delegationSchema,
    errors: { 404: "No delegation with this id that the caller gave, holds or (admins) can see.", 422: "The delegation was already revoked." },
  },
} satisfies Record<string, Endpoint>;
