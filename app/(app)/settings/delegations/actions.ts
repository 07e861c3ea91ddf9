"use server";

import { z } from "zod";
import { action, granted } from "@/lib/actions";
import { delegationFormSchema } from "@/lib/delegations/schema";
import { createDelegation, revokeDelegation } from "@/lib/delegations/service";

// The service checks that the caller holds the roles delegated.
export const createDelegationAction = action(delegationFormSchema, granted("delegations:manageOwn"), async (actor, input) => {
  const delegation = await createDelegation(actor, input);
  return { id: delegation.id };
});

// The service refuses a delegation the caller neither gave nor holds (admins may end any).
export const revokeDelegationAction = action(
  z.object({ delegationId: z.string().min(1).max(200) }),
  granted("delegations:manageOwn"),
  async (actor, { delegationId }) => void (await revokeDelegation(actor, delegationId)),
  { revalidate: ["/settings/delegations"] },
);
