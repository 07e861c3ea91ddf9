import { beforeAll, describe, expect, it } from "vitest";
import type { UserActor } from "@/lib/actors";
import { drainRuns } from "@/lib/pipeline/worker";
import { startRun } from "@/lib/pipeline/service";
import { createProject } from "@/lib/projects/service";
import { editDiffOf } from "@/lib/review/edit-diff";
import { myDecisions } from "@/lib/review/history";
import { decideReviewItem, listReviewItems } from "@/lib/review/service";
import { undoDecision } from "@/lib/review/undo";
import { addSource } from "@/lib/sources/service";
import { updateStageAssignments } from "@/lib/stages/service";
import { makeUser, sampleNotes } from "./helpers";

/**
 * A reviewer's history lists their own decisions, newest first, with what they can still take
 * back (their undo for ten seconds; the owner's reopen until sign-off); and an edited version
 * shows what the person changed, word by word.
 */
let reviewer: UserActor;
let second: UserActor;
let owner: UserActor;
let projectId: string;

beforeAll(async () => {
  const admin = await makeUser("admin@history.test", "admin");
  owner = await makeUser("owner@history.test");
  reviewer = await makeUser("reviewer@history.test");
  second = await makeUser("second@history.test");
  projectId = (await createProject(admin, { name: "History" })).id;
  await updateStageAssignments(admin, projectId, "requirements", { ownerEmail: owner.email, reviewerEmails: [reviewer.email, second.email, owner.email] });
  for (const note of sampleNotes) await addSource(owner, projectId, note);
  // Started by the admin, so the owner (who also reviews) may decide its drafts.
  await startRun(admin, projectId, { stage: "requirements" });
  await drainRuns();
});

async function standaloneDrafts(actor: UserActor) {
  const { items } = await listReviewItems(actor, { projectId, status: "pending", kind: "draft", limit: 100 });
  return items.filter((item) => item.canDecide && !item.reasons.some((reason) => reason.code === "conflict"));
}

describe("a reviewer's history", () => {
  it("lists my decisions newest first, undoable for ten seconds, and not other people's", async () => {
    const [first, next] = await standaloneDrafts(reviewer);
    await decideReviewItem(reviewer, first.id, { action: "approve", version: first.version });
    await decideReviewItem(second, next.id, { action: "reject", version: next.version, comment: "Not needed." });

    const now = new Date();
    const { entries } = await myDecisions(reviewer, undefined, now);
    expect(entries.map((entry) => entry.ref)).toEqual([first.ref]);
    expect(entries[0]).toMatchObject({ action: "approve", canTakeBack: "undo", undoneAt: null, projectId });

    const later = await myDecisions(reviewer, undefined, new Date(now.getTime() + 11_000));
    expect(later.entries[0].canTakeBack).toBeNull();
  });

  it("marks an undone decision as taken back, and offers nothing more for it", async () => {
    const [item] = await standaloneDrafts(reviewer);
    await decideReviewItem(reviewer, item.id, { action: "approve", version: item.version });
    await undoDecision(reviewer, item.id);
    const { entries } = await myDecisions(reviewer);
    const entry = entries.find((candidate) => candidate.itemId === item.id)!;
    expect(entry.undoneAt).not.toBeNull();
    expect(entry.canTakeBack).toBeNull();
  });

  it("offers the stage owner a reopen of their own settled decision after the undo window", async () => {
    const [item] = await standaloneDrafts(owner);
    await decideReviewItem(owner, item.id, { action: "reject", version: item.version, comment: "Out of scope." });
    const { entries } = await myDecisions(owner, undefined, new Date(Date.now() + 60_000));
    expect(entries.find((entry) => entry.itemId === item.id)?.canTakeBack).toBe("reopen");
  });

  it("shows what an edit changed, word by word; nothing for the model's own draft", async () => {
    const [item] = await standaloneDrafts(reviewer);
    expect(await editDiffOf(item.id)).toBeNull();
    const statement = "Members must be able to renew a loan online at most three times per item.";
    await decideReviewItem(reviewer, item.id, { action: "edit", version: item.version, content: { statement } });
    const { items } = await listReviewItems(second, { projectId, status: "pending", kind: "draft", limit: 100 });
    const edited = items.find((candidate) => candidate.ref === item.ref && candidate.version === item.version + 1)!;
    const diff = await editDiffOf(edited.id);
    expect(diff).toMatchObject({ fromVersion: item.version, toVersion: item.version + 1, editedBy: reviewer.name });
    const statementDiff = diff!.changes.find((change) => change.field === "statement")!;
    expect(statementDiff.parts.filter((part) => part.change === "added").map((part) => part.value).join("")).toContain("three times");
    expect(statementDiff.parts.filter((part) => part.change !== "added").map((part) => part.value).join("")).toBe((item.content as { statement: string }).statement);
  });
});
