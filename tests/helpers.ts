import { systemActor, type UserActor } from "@/lib/actors";
import { drainRuns } from "@/lib/pipeline/worker";
import { decideReviewItem, listReviewItems } from "@/lib/review/service";
import { insertUser } from "@/lib/users/service";

/** Creates a user and returns them as an acting user, as a signed-in session would. */
export async function makeUser(email: string, role: "admin" | "member" = "member"): Promise<UserActor> {
  const user = await insertUser(systemActor("test"), { email, name: email.split("@")[0], password: "correct horse battery", role });
  return { type: "user", userId: user.id, email: user.email, name: user.name, role: user.role, tokenId: null };
}

export const sampleNotes = [
  {
    title: "Interview with the head of circulation",
    kind: "interview" as const,
    text: [
      "Q: What slows you down?",
      "A: Members must be able to renew a loan online without coming to the desk. Renewals should be limited to three per item.",
      "The catalogue search is slow and it should be fast and user-friendly.",
      "Overdue notices must be sent by email one day before the due date.",
    ].join("\n"),
  },
  {
    title: "Email from the library director",
    kind: "email" as const,
    text: [
      "Subject: Priorities",
      "Member data must stay on servers in our country, and every access to a member record must be logged.",
      "I do not want members to renew loans online at all; renewals go through the desk so we can check holds.",
      "The system must be available from 7:00 to 22:00 every day.",
    ].join("\n"),
  },
];

/** Approves (or, for a conflict, keeps the first side of) everything pending for the reviewer, letting runs resume, until nothing is left. */
export async function approveEverything(reviewer: UserActor, projectId: string) {
  for (;;) {
    const { items } = await listReviewItems(reviewer, { status: "pending", projectId, limit: 100 });
    if (items.length === 0) return;
    const conflicts = items.filter((item) => item.kind === "conflict");
    for (const item of conflicts) await decideReviewItem(reviewer, item.id, { action: "resolve", version: 1, keep: [item.sides[0].artifactId!] });
    if (conflicts.length > 0) continue;
    for (const item of items) await decideReviewItem(reviewer, item.id, { action: "approve", version: item.version });
    await drainRuns();
  }
}
