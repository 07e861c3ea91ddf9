import { db } from "@/lib/db";
import { demoAccounts } from "@/lib/demo/accounts";

/**
 * For the sign-in page, before anyone is signed in: the demo accounts to suggest, only on a
 * demo install (its admin account exists). Reveals nothing beyond the documented demo emails.
 */
export async function demoAccountsForHint(): Promise<{ email: string; name: string; role: string }[]> {
  const admin = await db().user.findUnique({ where: { email: demoAccounts.admin.email }, select: { id: true } });
  if (!admin) return [];
  return [
    { email: demoAccounts.admin.email, name: demoAccounts.admin.name, role: "Admin: users, step policies, every project" },
    { email: demoAccounts.owner.email, name: demoAccounts.owner.name, role: "Stage owner: runs stages, signs them off" },
    { email: demoAccounts.reviewer.email, name: demoAccounts.reviewer.name, role: "Reviewer: approves, edits or rejects drafts" },
    { email: demoAccounts.reviewer2.email, name: demoAccounts.reviewer2.name, role: "Second reviewer: approves what the first one edited" },
  ];
}
