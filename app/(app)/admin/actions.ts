"use server";

import { z } from "zod";
import { action, granted } from "@/lib/actions";
import { refitStepCalibration } from "@/lib/learning/service";
import { whatIfPolicy } from "@/lib/learning/what-if";
import { policyUpdateSchema } from "@/lib/policies/schema";
import { updatePolicy } from "@/lib/policies/service";
import { createUserSchema } from "@/lib/users/schema";
import { createUser } from "@/lib/users/service";

export const createUserAction = action(createUserSchema, granted("users:manage"), async (actor, input) => {
  const user = await createUser(actor, input);
  return { id: user.id, email: user.email, name: user.name };
});

const stepKeySchema = z.string().min(1, "name the step");

// A policy change is only saved with its why: the history is read by people who were not there.
export const updatePolicyAction = action(
  z.object({ stepKey: stepKeySchema, update: policyUpdateSchema, reason: z.string().trim().min(1, "say why you change the policy").max(500, "use at most 500 characters") }),
  granted("policies:manage"),
  (actor, { stepKey, update, reason }) => updatePolicy(actor, stepKey, { ...update, reason }),
);

/** Replays the step's past drafts under the proposed values; nothing is saved. */
export const whatIfPolicyAction = action(
  z.object({ stepKey: stepKeySchema, update: policyUpdateSchema }),
  granted("policies:manage"),
  (actor, { stepKey, update }) => whatIfPolicy(actor, stepKey, update),
  { revalidate: false },
);

export const refitCalibrationAction = action(z.object({ stepKey: stepKeySchema }), granted("policies:manage"), (actor, { stepKey }) => refitStepCalibration(actor, stepKey), {
  revalidate: ["/admin/calibration"],
});
