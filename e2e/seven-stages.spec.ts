import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { apiGet, apiPost, signInAs } from "./pages";

/**
 * A project through all seven stages in the browser: the owner runs each stage and signs it
 * off, the reviewer works its queue, each later stage drafts from the work approved before it;
 * then a revised requirement makes its descendants stale and reopens the stages that hold them,
 * and the traceability matrix and the export show the whole chain.
 */
const stages = ["requirements", "planning", "design", "coding", "testing", "deployment", "operations"] as const;
const notes = readFileSync(path.join(import.meta.dirname, "..", "fixtures", "stakeholder-notes", "bike-share", "01-interview-rider-support.md"), "utf8");

type ReviewList = { items: { id: string; kind: string; version: number; canDecide: boolean; sides: { artifactId: string | null }[] }[] };
type Artifact = { id: string; ref: string; kind: string; status: string; stale: boolean; derivedFrom: string[] };

test.describe.configure({ mode: "serial" });

test.describe("all seven stages, from notes to runbooks", () => {
  let projectId = "";

  test("the admin creates the project and names the same owner and reviewers for every stage", async ({ page }) => {
    await signInAs(page, "admin@demo.local");
    const form = page.getByRole("form", { name: "New project" });
    await form.getByLabel("Name").fill(`Cycle hire ${Date.now()}`);
    await form.getByLabel("Brief").fill("Riders hire bikes from docks; operations keeps the fleet working.");
    await form.getByTestId("same-people").check();
    await form.getByLabel("Owner of every stage").selectOption("owner@demo.local");
    await form.getByRole("group", { name: "Reviewers of every stage" }).getByRole("checkbox", { name: /^Rita Reviewer/ }).check();
    await page.getByTestId("create-project").click();
    await expect(page).toHaveURL(/\/projects\/[^/]+$/);
    projectId = new URL(page.url()).pathname.split("/").pop()!;
    const assigned = await apiGet<{ key: string; owner: { email: string } | null; reviewers: { email: string }[] }[]>(page, `/api/v1/projects/${projectId}/stages`);
    for (const stage of assigned) expect({ owner: stage.owner?.email, reviewers: stage.reviewers.map((r) => r.email) }, stage.key).toEqual({ owner: "owner@demo.local", reviewers: ["reviewer@demo.local"] });
  });

  test("the owner adds notes; each stage is run, reviewed and signed off in turn", async ({ page, browser }) => {
    // Seven runs, seven queues and seven sign-offs: 85 s on a quiet machine, more beside other tests.
    test.setTimeout(300_000);
    await signInAs(page, "owner@demo.local");
    await page.goto(`/projects/${projectId}`);
    const form = page.getByRole("form", { name: "Add source" });
    await form.getByLabel("Title").fill("Operations interview");
    await form.getByLabel("Kind").selectOption("interview");
    await form.getByLabel("Text").fill(notes);
    await page.getByTestId("add-source").click();
    await expect(page.getByTestId("source-row")).toHaveCount(1);

    const reviewer = await browser.newPage();
    await signInAs(reviewer, "reviewer@demo.local");
    for (const stage of stages) {
      await page.goto(`/projects/${projectId}/stages/${stage}`);
      await page.getByTestId("start-run").click();
      await expect(page.getByTestId("run").first()).toHaveAttribute("data-status", /waiting_review|completed/, { timeout: 90_000 });
      await decideEverything(reviewer, page, projectId);
      await page.getByTestId("sign-off").click();
      await expect(page.getByTestId("sign-off-record")).toBeVisible();
    }
    await reviewer.close();

    const artifacts = await apiGet<{ items: Artifact[] }>(page, `/api/v1/projects/${projectId}/artifacts?limit=500`);
    const approved = artifacts.items.filter((a) => a.status === "approved" || a.status === "auto_approved");
    const kinds = new Set(approved.map((a) => a.kind));
    for (const kind of ["requirement", "user_story", "milestone", "adr", "interface", "task", "test_case", "release_note", "deployment_risk", "runbook"]) {
      expect(kinds, `an approved ${kind}`).toContain(kind);
    }
    // Every artifact after the requirements is traced to its parents.
    for (const artifact of approved.filter((a) => a.kind !== "requirement")) expect(artifact.derivedFrom.length, artifact.ref).toBeGreaterThan(0);
  });

  test("the traceability page shows the chain, and the export carries it", async ({ page }) => {
    await signInAs(page, "owner@demo.local");
    await page.goto(`/projects/${projectId}/traceability`);
    const matrix = page.getByRole("table", { name: /traceability/i });
    await expect(matrix).toContainText("REQ-");
    await expect(matrix).toContainText("TC-");
    await expect(matrix).toContainText("RB-");

    const exported = await page.request.get(`/api/v1/projects/${projectId}/export?format=json`);
    expect(exported.ok()).toBeTruthy();
    const text = await exported.text();
    for (const ref of ["REQ-1", "US-1", "RB-1"]) expect(text).toContain(ref);
  });

  test("a revised requirement makes its descendants stale and reopens their stages", async ({ page }) => {
    await signInAs(page, "owner@demo.local");
    const { items } = await apiGet<{ items: Artifact[] }>(page, `/api/v1/projects/${projectId}/artifacts?kind=requirement&limit=500`);
    const requirement = items.find((a) => a.status === "approved" || a.status === "auto_approved")!;
    const full = await apiGet<{ items: (Artifact & { content: Record<string, unknown> })[] }>(page, `/api/v1/projects/${projectId}/artifacts?kind=requirement&limit=500`);
    const content = full.items.find((a) => a.id === requirement.id)!.content;
    await apiPost(page, `/api/v1/artifacts/${requirement.id}/revisions`, {
      content: { ...content, statement: `${String(content.statement).replace(/\.$/, "")}, within two minutes.` },
      comment: "Operations tightened the time limit.",
    });
    const after = await apiGet<{ items: Artifact[] }>(page, `/api/v1/projects/${projectId}/artifacts?limit=500`);
    expect(after.items.filter((a) => a.stale).length).toBeGreaterThan(0);
    const stageList = await apiGet<{ key: string; status: string }[]>(page, `/api/v1/projects/${projectId}/stages`);
    expect(stageList.find((s) => s.key === "requirements")?.status).not.toBe("signed_off");
    await page.goto(`/projects/${projectId}`);
    await expect(page.getByTestId("stage-testing")).toContainText(/stale/i);
  });
});

/**
 * The reviewer approves every item they may decide, resolving conflicts by keeping the first
 * side, until the queue is empty and the owner's stage page shows the run completed (a stage
 * may draft a second kind from what was just approved).
 */
async function decideEverything(reviewer: Page, owner: Page, projectId: string) {
  await reviewer.goto(`/review?projectId=${projectId}`);
  await expect
    .poll(
      async () => {
        const queue = await apiGet<ReviewList>(reviewer, `/api/v1/review-items?projectId=${projectId}&status=pending&limit=100`);
        const conflict = queue.items.find((item) => item.kind === "conflict" && item.canDecide);
        if (conflict) {
          const keep = conflict.sides.flatMap((side) => (side.artifactId ? [side.artifactId] : [])).slice(0, 1);
          await apiPost(reviewer, `/api/v1/review-items/${conflict.id}/decision`, { action: "resolve", version: conflict.version, keep, comment: "Keep the first." });
          return "deciding";
        }
        const next = queue.items.find((item) => item.canDecide);
        if (next) {
          await apiPost(reviewer, `/api/v1/review-items/${next.id}/decision`, { action: "approve", version: next.version });
          return "deciding";
        }
        if (queue.items.length > 0) return "waiting";
        await owner.reload();
        return (await owner.getByTestId("run").first().getAttribute("data-status")) === "completed" ? "done" : "drafting";
      },
      { timeout: 120_000, intervals: [200] },
    )
    .toBe("done");
}
