import type { Tx } from "@/lib/db";
import { policyValuesSchema } from "./schema";

/** Approvals a reviewed draft needs while no policy says otherwise. */
export const DEFAULT_REQUIRED_APPROVALS = 1;

/**
 * Approvals a draft routed to people needs: the policy version it was routed under, with its
 * category's override. Kept apart from service.ts, which reads the step catalogue: writing a
 * draft must not import the stage definitions that write drafts.
 */
export async function requiredApprovalsFor(client: Tx, basis: { stepKey: string; policyVersion: number; category: string | null }): Promise<number> {
  if (!basis.stepKey || basis.policyVersion === 0) return DEFAULT_REQUIRED_APPROVALS;
  const stored = await client.policyVersion.findUnique({ where: { stepKey_version: { stepKey: basis.stepKey, version: basis.policyVersion } }, select: { values: true } });
  // Versions saved before the two-person rule have no requiredApprovals: the default applies.
  const values = policyValuesSchema.partial().safeParse(stored?.values ?? {});
  if (!values.success) return DEFAULT_REQUIRED_APPROVALS;
  const override = basis.category ? values.data.categories?.[basis.category]?.requiredApprovals : undefined;
  return override ?? values.data.requiredApprovals ?? DEFAULT_REQUIRED_APPROVALS;
}
