import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { apiGet, apiPost, signInAs } from "./pages";

/**
 * The product loop in a real browser, as the people who do it: the admin names the stage's
 * owner and two reviewers, the owner adds stakeholder notes and runs the requirements stage, a
 * reviewer approves, edits and rejects drafts from the queue (the edit waits for the second
 * reviewer), conflicts are resolved, the owner signs off, planning unlocks, and the audit trail
 * shows each of those decisions.
 */
const notesDir = path.join(import.meta.dirname, "..", "fixtures", "stakeholder-notes");
const noteFiles = readdirSync(notesDir, { recursive: true, encoding: "utf8" })
  .filter((file) => file.endsWith(".md"))
  .sort()
  .map((file) => path.join(notesDir, file));

type ReviewList = { items: { id: string; ref: string; kind: string; version: number; canDecide: boolean; sides: { artifactId: string | null }[]; reasons: { code: string }[] }[] };
type Stage = { key: string; status: string };

test.describe.configure({ mode: "serial" });

test.describe("requirements, from stakeholder notes to sign-off", () => {
  let projectUrl = "";
  const projectName = `Library lending ${Date.now()}`;

  test("the admin creates a project and names its requirements owner and reviewer", async ({ page }) => {
    await signInAs(page, "admin@demo.local");
    const form = page.getByRole("form", { name: "New project" });
    await form.getByLabel("Name").fill(projectName);
    await form.getByLabel("Brief").fill("Members borrow, renew and reserve books online.");
    await page.getByTestId("create-project").click();
    await expect(page.getByRole("heading", { name: projectName })).toBeVisible();
    projectUrl = new URL(page.url()).pathname;

    await page.goto(`${projectUrl}/stages/requirements`);
    await page.getByLabel("Stage owner").selectOption("owner@demo.local");
    const reviewers = page.getByRole("group", { name: "Reviewers" });
    await reviewers.getByRole("checkbox", { name: /^Rita Reviewer/ }).check();
    await reviewers.getByRole("checkbox", { name: /^Ravi Reviewer/ }).check();
    await page.getByTestId("save-assignments").click();
    await expect(page.getByText("Saved.")).toBeVisible();
  });

  test("the owner adds the sample notes and runs the requirements stage", async ({ page }) => {
    await signInAs(page, "owner@demo.local");
    await page.goto(projectUrl);
    const form = page.getByRole("form", { name: "Add source" });
    const [first, ...rest] = noteFiles;
    // One note pasted, the others uploaded, as people do.
    await form.getByLabel("Title").fill(path.basename(first, ".md"));
    await form.getByLabel("Kind").selectOption("interview");
    await form.getByLabel("Text").fill(readFileSync(first, "utf8"));
    await page.getByTestId("add-source").click();
    await expect(page.getByTestId("source-row")).toHaveCount(1);
    // Editing loads the whole text into the form (the page carries only a preview); a new title saves alone.
    const row = page.getByTestId("source-row").first();
    await row.locator("summary").click();
    // The list carries no texts; opening a source loads its text.
    await expect(row.getByTestId("source-text")).toContainText(readFileSync(first, "utf8").trim().split("\n")[0]);
    await row.getByTestId("edit-source").click();
    const edit = row.getByRole("form", { name: /^Edit / });
    const lastLine = readFileSync(first, "utf8").trim().split("\n").at(-1)!;
    await expect(edit.getByLabel("Text")).toHaveValue(new RegExp(`${lastLine.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*$`));
    await edit.getByLabel("Title").fill(`${path.basename(first, ".md")} (interview)`);
    await edit.getByTestId("save-source").click();
    await expect(row.getByRole("status")).toContainText("Saved.");
    await expect(row.locator("summary")).toContainText("(interview)");
    for (const [index, file] of rest.entries()) {
      await form.getByRole("tab", { name: "Upload a file" }).click();
      await form.getByLabel("File").setInputFiles(file);
      await page.getByTestId("add-source").click();
      await expect(page.getByTestId("source-row")).toHaveCount(index + 2);
    }

    await page.goto(`${projectUrl}/stages/requirements`);
    await page.getByTestId("start-run").click();
    await expect(page.getByTestId("run").first()).toHaveAttribute("data-status", "waiting_review", { timeout: 60_000 });
    await expect(page.getByRole("table", { name: "Artifacts" })).toContainText("REQ-");
  });

  test("the reviewer approves one item, edits one and rejects one from the queue", async ({ page }) => {
    await signInAs(page, "reviewer@demo.local");
    const projectId = projectUrl.split("/").pop()!;
    await page.goto(`/review?projectId=${projectId}`);
    // Drafts that stand alone: the sides of a conflict wait until the conflict is resolved.
    const rows = page.getByTestId("queue-row").filter({ hasNotText: /Sources disagree|Conflict|You cannot decide/ });
    await expect(rows.first()).toBeVisible();
    expect(await rows.count()).toBeGreaterThanOrEqual(3);
    // The list is beside one card: the selected item's.
    const card = page.getByTestId("review-item");
    const openFirst = async () => {
      const ref = (await rows.first().getAttribute("data-ref"))!;
      await rows.first().getByRole("button").click();
      await expect(card).toHaveAttribute("data-ref", ref);
      return ref;
    };
    const gone = (ref: string) => page.locator(`[data-testid=queue-row][data-ref="${ref}"]`);

    const approveRef = await openFirst();
    // Every item shows why it was routed and the passages it cites.
    await expect(card.getByRole("region", { name: "Why this needs review" })).toBeVisible();
    await card.getByTestId("approve").click();
    await expect(gone(approveRef)).toHaveCount(0);

    const editRef = await openFirst();
    await card.getByTestId("edit").click();
    const edited = "Members must be able to renew a loan online at most three times per item.";
    const form = page.getByRole("form", { name: /Edit (requirement|user story)/ });
    await form.getByLabel("Statement").fill(edited);
    await form.getByTestId("save-edit").click();
    // The edited version comes back, at the end of the queue, for someone else: its editor may not approve it.
    await expect(page.getByRole("status").filter({ hasText: /another reviewer/i })).toBeVisible();
    const queue = await apiGet<ReviewList & { items: { refusal: string | null }[] }>(page, `/api/v1/review-items?projectId=${projectId}&status=pending&limit=100`);
    const revised = queue.items.find((item) => item.ref === editRef)!;
    expect(revised).toMatchObject({ version: 2, canDecide: false, refusal: expect.stringMatching(/you wrote this version/i) });

    const rejectRef = await openFirst();
    await card.getByTestId("reject").click();
    await page.getByLabel("Reason for rejecting").fill("Not a requirement: a remark about the old tool.");
    await page.getByTestId("confirm-reject").click();
    await expect(gone(rejectRef)).toHaveCount(0);

    const artifacts = await apiGet<{ items: { ref: string; status: string; version: number }[] }>(
      page,
      `/api/v1/projects/${projectId}/artifacts?stage=requirements&kind=requirement`,
    );
    const byRef = new Map(artifacts.items.map((a) => [a.ref, a]));
    expect(byRef.get(approveRef!)?.status).toBe("approved");
    expect(byRef.get(editRef!)).toMatchObject({ status: "pending_review", version: 2 });
    expect(byRef.get(rejectRef!)?.status).toBe("rejected");
  });

  test("the second reviewer approves the edited version", async ({ page }) => {
    await signInAs(page, "reviewer2@demo.local");
    const projectId = projectUrl.split("/").pop()!;
    const queue = await apiGet<ReviewList>(page, `/api/v1/review-items?projectId=${projectId}&status=pending&limit=100`);
    const revised = queue.items.find((item) => item.reasons.some((reason) => reason.code === "edited"))!;
    expect(revised.canDecide).toBe(true);
    await page.goto(`/review?projectId=${projectId}`);
    await apiPost(page, `/api/v1/review-items/${revised.id}/decision`, { action: "approve", version: revised.version });
    const artifacts = await apiGet<{ items: { ref: string; status: string; version: number }[] }>(page, `/api/v1/projects/${projectId}/artifacts?kind=requirement`);
    expect(artifacts.items.find((a) => a.ref === revised.ref)).toMatchObject({ status: "approved", version: 2 });
  });

  test("the reviewer works through the rest of the queue, conflicts and user stories included", async ({ page }) => {
    await signInAs(page, "reviewer@demo.local");
    const projectId = projectUrl.split("/").pop()!;
    const pending = () => apiGet<ReviewList>(page, `/api/v1/review-items?projectId=${projectId}&status=pending&limit=100`);
    const stories = () => apiGet<{ items: unknown[] }>(page, `/api/v1/projects/${projectId}/artifacts?stage=requirements&kind=user_story`);
    await page.goto(`/review?projectId=${projectId}`);

    await expect
      .poll(
        async () => {
          const queue = await pending();
          const conflict = queue.items.find((item) => item.kind === "conflict");
          if (conflict) {
            const keep = conflict.sides.flatMap((side) => (side.artifactId ? [side.artifactId] : [])).slice(0, 1);
            await apiPost(page, `/api/v1/review-items/${conflict.id}/decision`, { action: "resolve", version: conflict.version, keep, comment: "Operations decides." });
            return "resolving";
          }
          const next = queue.items.find((item) => item.canDecide);
          if (next) {
            await apiPost(page, `/api/v1/review-items/${next.id}/decision`, { action: "approve", version: next.version });
            return "deciding";
          }
          return (await stories()).items.length > 0 && queue.items.length === 0 ? "done" : "waiting for stories";
        },
        { timeout: 90_000, intervals: [250] },
      )
      .toBe("done");
    expect((await pending()).items).toHaveLength(0);
  });

  test("the owner signs off and planning unlocks", async ({ page }) => {
    await signInAs(page, "owner@demo.local");
    await page.goto(`${projectUrl}/stages/requirements`);
    await expect(page.getByTestId("run").first()).toHaveAttribute("data-status", "completed", { timeout: 60_000 });
    await page.getByLabel("Sign-off comment (optional)").fill("Requirements agreed with the library.");
    await page.getByTestId("sign-off").click();
    await expect(page.getByTestId("sign-off-record")).toContainText("Requirements agreed with the library.");

    const projectId = projectUrl.split("/").pop()!;
    const stages = await apiGet<Stage[]>(page, `/api/v1/projects/${projectId}/stages`);
    expect(stages.find((s) => s.key === "requirements")?.status).toBe("signed_off");
    expect(stages.find((s) => s.key === "planning")?.status).toBe("open");
    await page.goto(projectUrl);
    await expect(page.getByTestId("stage-planning")).toContainText(/open/i);
  });

  test("the audit page shows who decided what", async ({ page }) => {
    await signInAs(page, "owner@demo.local");
    const projectId = projectUrl.split("/").pop()!;
    await page.goto(`/audit?projectId=${projectId}`);
    const events = page.getByTestId("audit-event");
    await expect(events.first()).toBeVisible();
    // The trail is newest first, 50 a page: load it back to the project's creation.
    const loadMore = page.getByRole("button", { name: "Load more" });
    while (await loadMore.isVisible()) {
      const shown = await events.count();
      await loadMore.click();
      await expect.poll(() => events.count()).toBeGreaterThan(shown);
    }
    await expect(events.filter({ hasText: "project.created" })).toHaveCount(1);
    for (const action of ["stage.signed_off", "stage.unlocked", "review.approved", "review.edited", "review.rejected", "run.queued", "source.added", "stage.assigned"]) {
      await expect(events.filter({ hasText: action }).first()).toBeVisible();
    }
    await expect(events.filter({ hasText: "review.edited" }).first()).toContainText("reviewer@demo.local");
  });
});
