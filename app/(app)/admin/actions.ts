"use server";

import { z } from "zod";
import { action } from "@/lib/actions";
import { policyValuesSchema } from "@/lib/policies/schema";
import { updatePolicy } from "@/lib/policies/service";
import { createUserSchema } from "@/lib/users/schema";
import { createUser } from "@/lib/users/service";

export const createUserAction = action(createUserSchema, async (actor, input) => {
  const user = await createUser(actor, input);
  return { id: user.id, email: user.email, name: user.name };
});

export const updatePolicyAction = action(
  z.object({ stepKey: z.string().min(1), values: policyValuesSchema }),
  (actor, { stepKey, values }) => updatePolicy(actor, stepKey, values),
);
