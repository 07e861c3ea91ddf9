import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { apiGet, apiPost, signInAs } from "./pages";

/**
 * A reviewer works through twelve items of a fresh project's queue with the keyboard only:
 * approves, edits, rejects with feedback (after the empty form sends focus to its error),
 * undoes an approval, approves three items in one bulk action and rejects two in another. Focus stays on the
 * selected row after every decision, and another reviewer sees who holds the open item.
 */
const notesDir = path.join(import.meta.dirname, "..", "fixtures", "stakeholder-notes", "bike-share");
const notes = readdirSync(notesDir)
  .filter((file) => file.endsWith(".md"))
  .sort()
  .map((file) => ({ title: file.replace(/^\d+-|\.md$/g, "").replaceAll("-", " "), kind: kindOf(file), text: readFileSync(path.join(notesDir, file), "utf8") }));

function kindOf(file: string): string {
  if (file.includes("interview")) return "interview";
  if (file.includes("email")) return "email";
  if (file.includes("meeting")) return "meeting_notes";
  return "ticket_digest";
}

type Pending = { items: { id: string; ref: string; kind: string; canDecide: boolean; reasons: { code: string }[] }[] };

async function apiPut(page: Page, url: string, body: unknown) {
  const origin = new URL(page.url()).origin;
  const response = await page.request.put(url, { data: body, headers: { origin, "content-type": "application/json" } });
  expect(response.ok(), `${url} answered ${response.status()}: ${await response.text()}`).toBeTruthy();
}

const selectedRow = (page: Page) => page.locator('[data-testid="queue-row"][data-selected]');

/** Presses j or k until the row of `ref` is selected: the keyboard is the only way the reviewer moves. */
async function moveTo(page: Page, ref: string) {
  const refs = await page.getByTestId("queue-row").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-ref")));
  const target = refs.indexOf(ref);
  expect(target, `${ref} is in the list`).toBeGreaterThanOrEqual(0);
  for (let step = 0; step < refs.length; step++) {
    const current = await selectedRow(page).getAttribute("data-ref");
    if (current === ref) break;
    await page.keyboard.press(refs.indexOf(current) < target ? "j" : "k");
    await expect(selectedRow(page)).not.toHaveAttribute("data-ref", current ?? "");
  }
  await expect(selectedRow(page)).toHaveAttribute("data-ref", ref);
  await expect(page.getByTestId("review-item")).toHaveAttribute("data-ref", ref);
}

/** After a decision, keyboard focus is on the selected row: the next shortcut works without a click. */
async function expectFocusKept(page: Page) {
  await expect(selectedRow(page).getByRole("button")).toBeFocused();
}

test.describe.configure({ mode: "serial" });

test("a reviewer works through twelve items by keyboard only", async ({ page, browser }) => {
  test.setTimeout(240_000);
  await signInAs(page, "admin@demo.local");
  const projectName = `Keyboard review ${Date.now()}`;
  const project = await apiPost<{ id: string }>(page, "/api/v1/projects", { name: projectName });
  await apiPut(page, `/api/v1/projects/${project.id}/stages/requirements`, {
    ownerEmail: "owner@demo.local",
    reviewerEmails: ["reviewer@demo.local", "reviewer2@demo.local"],
  });
  await signInAs(page, "owner@demo.local");
  for (const note of notes) await apiPost(page, `/api/v1/projects/${project.id}/sources`, note);
  await apiPost(page, `/api/v1/projects/${project.id}/runs`, { stage: "requirements" });

  await signInAs(page, "reviewer@demo.local");
  const standalone = async () => {
    const { items } = await apiGet<Pending>(page, `/api/v1/review-items?projectId=${project.id}&status=pending&limit=100`);
    return items.filter((item) => item.kind !== "conflict" && item.canDecide && !item.reasons.some((reason) => reason.code === "conflict"));
  };
  await expect.poll(async () => (await standalone()).length, { timeout: 90_000 }).toBeGreaterThanOrEqual(12);

  await page.goto(`/review?projectId=${project.id}`);
  await expect(page.getByTestId("queue-count")).not.toHaveText("Loading…");
  const listed = await page.getByTestId("queue-row").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-ref") ?? ""));
  const decidable = new Set((await standalone()).map((item) => item.ref));
  const refs = listed.filter((ref) => decidable.has(ref)).slice(0, 12);
  expect(refs).toHaveLength(12);
  const [approve1, approve2, edit, reject, undo, bulk1, bulk2, bulk3, approve3, approve4, bulkReject1, bulkReject2] = refs;
  await page.screenshot({ path: "test-results/review-queue.png", fullPage: true });

  // ? shows the shortcuts; Esc closes them.
  await page.keyboard.press("?");
  const legend = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(legend).toBeVisible();
  await expect(legend).toContainText("Undo your last decision");
  await page.keyboard.press("Escape");
  await expect(legend).toBeHidden();

  const toast = page.getByTestId("decision-toast");
  const row = (ref: string) => page.locator(`[data-testid="queue-row"][data-ref="${ref}"]`);

  for (const ref of [approve1, approve2]) {
    await moveTo(page, ref);
    await page.keyboard.press("a");
    await expect(toast).toContainText(`${ref} approved`);
    await expect(row(ref)).toHaveCount(0);
    await expectFocusKept(page);
  }

  // Edit: the first field has focus; Ctrl+Enter saves. The new version waits for another reviewer.
  await moveTo(page, edit);
  await page.keyboard.press("e");
  const form = page.getByRole("form", { name: /Edit requirement/ });
  await expect(form).toBeVisible();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("Riders must be able to end a ride at any dock within 30 seconds of docking the bike.");
  await page.screenshot({ path: "test-results/review-edit.png", fullPage: true });
  await page.keyboard.press("Control+Enter");
  await expect(toast).toContainText(`${edit} edited`);
  await expectFocusKept(page);

  // Reject: sending it empty puts focus on the comment, with the error; then the feedback goes.
  await moveTo(page, reject);
  await page.keyboard.press("r");
  const comment = page.getByLabel("Reason for rejecting");
  await expect(comment).toBeFocused();
  await page.keyboard.press("Control+Enter");
  await expect(page.getByRole("alert").filter({ hasText: /say why you reject it/i })).toBeVisible();
  await expect(comment).toBeFocused();
  await page.keyboard.type("Not a requirement: it describes today's workaround, not what riders need.");
  await page.keyboard.press("Control+Enter");
  await expect(toast).toContainText(`${reject} rejected`);
  await expect(row(reject)).toHaveCount(0);
  await expectFocusKept(page);

  // Undo: z within ten seconds brings the item back, selected, and it can be decided again.
  await moveTo(page, undo);
  await page.keyboard.press("a");
  await expect(toast).toContainText(`${undo} approved`);
  await expect(toast.getByTestId("undo")).toBeVisible();
  await page.keyboard.press("z");
  await expect(toast).toContainText(`Undone: ${undo} is back in the queue`);
  await expect(row(undo)).toHaveCount(1);
  await expect(selectedRow(page)).toHaveAttribute("data-ref", undo);
  await page.keyboard.press("a");
  await expect(toast).toContainText(`${undo} approved`);
  await expect(row(undo)).toHaveCount(0);

  // Bulk: x marks three items, Shift+A approves them in one action, with a result per item.
  for (const ref of [bulk1, bulk2, bulk3]) {
    await moveTo(page, ref);
    await page.keyboard.press("x");
  }
  await expect(page.getByTestId("bulk-bar")).toContainText("3 selected");
  await page.screenshot({ path: "test-results/review-bulk.png", fullPage: true });
  await page.keyboard.press("Shift+A");
  const results = page.getByTestId("bulk-results").getByRole("listitem");
  await expect(results).toHaveCount(3);
  for (const ref of [bulk1, bulk2, bulk3]) {
    await expect(results.filter({ hasText: ref })).toHaveAttribute("data-ok", "true");
    await expect(row(ref)).toHaveCount(0);
  }

  // Bulk rejection: Shift+R asks why once, with focus on the reason; Ctrl+Enter rejects each item.
  for (const ref of [bulkReject1, bulkReject2]) {
    await moveTo(page, ref);
    await page.keyboard.press("x");
  }
  await expect(page.getByTestId("bulk-bar")).toContainText("2 selected");
  await page.keyboard.press("Shift+R");
  const bulkReason = page.getByRole("form", { name: "Reject 2 selected items" }).getByLabel("Reason for rejecting");
  await expect(bulkReason).toBeFocused();
  await page.screenshot({ path: "test-results/review-bulk-reject.png", fullPage: true });
  await page.keyboard.type("Both restate requirements that are already in the queue.");
  await page.keyboard.press("Control+Enter");
  const rejected = page.getByTestId("bulk-results").getByRole("listitem");
  await expect(rejected).toHaveCount(2);
  for (const ref of [bulkReject1, bulkReject2]) {
    await expect(rejected.filter({ hasText: ref })).toHaveAttribute("data-ok", "true");
    await expect(row(ref)).toHaveCount(0);
  }

  // Opening an item claims it: a second reviewer sees who holds it, and their "next" passes it by.
  await moveTo(page, approve3);
  const other = await browser.newPage();
  await signInAs(other, "reviewer2@demo.local");
  await other.goto(`/review?projectId=${project.id}`);
  await expect(other.locator(`[data-testid="queue-row"][data-ref="${approve3}"]`).getByTestId("claimed-by")).toContainText("Rita Reviewer is on it", { timeout: 20_000 });
  await other.close();

  for (const ref of [approve3, approve4]) {
    await moveTo(page, ref);
    await page.keyboard.press("a");
    await expect(toast).toContainText(`${ref} approved`);
    await expect(row(ref)).toHaveCount(0);
    await expectFocusKept(page);
  }

  const artifacts = await apiGet<{ items: { ref: string; status: string; version: number }[] }>(page, `/api/v1/projects/${project.id}/artifacts?stage=requirements&kind=requirement`);
  const byRef = new Map(artifacts.items.map((artifact) => [artifact.ref, artifact]));
  for (const ref of [approve1, approve2, undo, bulk1, bulk2, bulk3, approve3, approve4]) expect(byRef.get(ref)?.status, ref).toBe("approved");
  expect(byRef.get(edit)).toMatchObject({ status: "pending_review", version: 2 });
  // A rejection goes back to its drafter with the comment (a re-draft may already be waiting), never approved.
  for (const ref of [reject, bulkReject1, bulkReject2]) expect(byRef.get(ref)?.status, ref).not.toBe("approved");

  // The history lists each decision, the undone approval marked as taken back.
  await page.goto("/review/history");
  // This project's rows: the same references exist in other projects.
  const history = page.getByTestId("history-row").filter({ hasText: projectName });
  for (const ref of refs) await expect(history.filter({ hasText: ref }).first()).toBeVisible();
  await expect(history.filter({ hasText: undo }).filter({ hasText: "taken back" })).toHaveCount(1);
  await expect(history.filter({ hasText: reject })).toContainText("Rejected");
  await expect(history.filter({ hasText: reject })).toContainText("describes today's workaround");
  await expect(history.filter({ hasText: bulkReject1 })).toContainText("already in the queue");
  await page.screenshot({ path: "test-results/review-history.png", fullPage: true });
});
