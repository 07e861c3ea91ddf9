import { beforeAll, describe, expect, it } from "vitest";
import type { UserActor } from "@/lib/actors";
import { db } from "@/lib/db";
import { loadCalibration, refitCalibration, refitStaleCalibrations } from "@/lib/learning/calibration";
import { startRun } from "@/lib/pipeline/service";
import { drainRuns } from "@/lib/pipeline/worker";
import { createProject } from "@/lib/projects/service";
import { decideReviewItem, listReviewItems } from "@/lib/review/service";
import { addSource } from "@/lib/sources/service";
import { updateStageAssignments } from "@/lib/stages/service";
import { makeUser } from "./helpers";

/**
 * Calibration judges labelled drafts as the category classifier of today would draft them: a
 * draft whose category people corrected counts as right once the classifier, trained without it,
 * picks the category people chose; a changed statement or a rejection stays wrong.
 */
const verbs = ["renew", "reserve", "return", "search for", "rate", "share", "export", "print", "cancel", "review"];
const objects = ["a loan", "a journal", "an audiobook", "a map", "a film", "a thesis"];
const phrase = (index: number) => `${verbs[index % verbs.length]} ${objects[Math.floor(index / verbs.length) % objects.length]}`;
/** Lines the keywords call functional and this library's reviewers file under operational: they are about the night desk. */
const NIGHT_DESK = (index: number) => `- Members must be able to ${phrase(index)} at the night-desk terminal after closing.`;
const PORTAL = (index: number) => `- Members must be able to ${phrase(index)} from the member portal.`;

describe("labels rescored by the classifier of today", () => {
  let owner: UserActor;
  let reviewer: UserActor;

  beforeAll(async () => {
    const admin = await makeUser("admin@rescore.test", "admin");
    owner = await makeUser("owner@rescore.test");
    reviewer = await makeUser("reviewer@rescore.test");
    const projectId = (await createProject(admin, { name: "Night desk", brief: "Loans for a city library" })).id;
    await updateStageAssignments(admin, projectId, "requirements", { ownerEmail: owner.email, reviewerEmails: [reviewer.email] });
    const lines = [...Array.from({ length: 30 }, (_, index) => NIGHT_DESK(index)), ...Array.from({ length: 30 }, (_, index) => PORTAL(index + 30))];
    await addSource(owner, projectId, { title: "Desk and portal", kind: "document", text: `# Requirements\n\n${lines.join("\n")}\n` });
    await startRun(owner, projectId, { stage: "requirements" });
    await drainRuns();
  });

  it("counts a draft right when people only corrected a category the classifier now gets right", async () => {
    const { items } = await listReviewItems(reviewer, { status: "pending", limit: 100 });
    const drafts = items.filter((item) => item.kind === "requirement");
    expect(drafts.length).toBe(60);
    const statementOf = (item: (typeof drafts)[number]) => String((item.content as { statement: string }).statement);
    const nightDesk = drafts.filter((item) => statementOf(item).includes("night-desk"));
    const portal = drafts.filter((item) => !statementOf(item).includes("night-desk"));
    expect(nightDesk.every((item) => (item.content as { category: string }).category !== "operational")).toBe(true);

    for (const item of nightDesk) await decideReviewItem(reviewer, item.id, { action: "edit", version: item.version, content: { category: "operational" } });
    const [rewritten, rejected, ...approved] = portal;
    await decideReviewItem(reviewer, rewritten.id, { action: "edit", version: 1, content: { statement: `${statementOf(rewritten).slice(0, -1)} on a phone.` } });
    await decideReviewItem(reviewer, rejected.id, { action: "reject", version: 1, comment: "Not something the library wants." });
    for (const item of approved) await decideReviewItem(reviewer, item.id, { action: "approve", version: item.version });

    const labels = await db().draftLabel.findMany({ select: { artifactId: true, correct: true } });
    expect(labels.filter((label) => label.correct)).toHaveLength(approved.length);

    await refitCalibration("synthesize-requirements", "test");
    const { scored } = (await loadCalibration("synthesize-requirements"))!;
    expect(scored).toHaveLength(60);
    // Every night-desk draft is now drafted as operational and right, out of fold; the rewritten and the rejected drafts stay wrong.
    expect(scored.filter((label) => label.category === "operational" && label.correct)).toHaveLength(nightDesk.length);
    expect(scored.filter((label) => !label.correct)).toHaveLength(2);
  });

  it("fits on the latest labels only, and the background refit waits for new decisions", async () => {
    const fitted = await refitCalibration("synthesize-requirements", "test", 50);
    expect(fitted.labelCount).toBe(50);
    expect(fitted.scored).toHaveLength(50);
    // Nothing was decided since that fit: the background refit leaves the step alone.
    expect(await refitStaleCalibrations(["synthesize-requirements"])).toBe(0);
    expect((await loadCalibration("synthesize-requirements"))!.version).toBe(fitted.version);
    // The ten oldest labels are the ones left out: the first ten night-desk corrections, decided before the rest.
    expect(fitted.scored.filter((label) => label.category === "operational" && label.correct)).toHaveLength(20);
    expect(fitted.scored.filter((label) => !label.correct)).toHaveLength(2);
  });

  it("gives each routed requirement the classifier's opinion of its category", async () => {
    const routed = await db().routingDecision.findMany({ where: { stepKey: "synthesize-requirements" }, select: { features: true } });
    expect(routed.length).toBe(60);
    for (const { features } of routed) expect((features as { categoryOpinion: number }).categoryOpinion).toBeGreaterThan(0);
  });

  it("keeps each item's chance of approval for the queue's risk order: calibrated, else the drafter's confidence", async () => {
    const items = await db().reviewItem.findMany({ where: { version: 1 }, select: { approvalChance: true, artifact: { select: { versions: { select: { confidence: true } }, routings: { select: { calibratedProbability: true } } } } } });
    expect(items.length).toBe(60);
    for (const item of items) expect(item.approvalChance).toBe(item.artifact!.routings[0].calibratedProbability || item.artifact!.versions[0].confidence);
  });
});
