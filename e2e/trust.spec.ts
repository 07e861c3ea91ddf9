import { expect, test } from "@playwright/test";
import { PolicyPage, ReviewQueuePage, demoProjectId, signInAs } from "./pages";

/**
 * Trustworthy routing in the browser: a reviewer settles a conflict between sources by choosing
 * the side to keep (the other is rejected), and an admin previews the effect of a policy change
 * on past drafts before saving it with a reason. The demo seed has run the requirements stage,
 * started by the owner, so the reviewer (who did not start it) is the one who may decide.
 */
test.describe.configure({ mode: "serial" });

test("a reviewer resolves a conflict between sources from the queue", async ({ page }) => {
  await signInAs(page, "reviewer@demo.local");
  const projectId = await demoProjectId(page);
  const queue = new ReviewQueuePage(page);
  await queue.open(projectId);

  // The demo sources disagree (ending a ride outside a dock; refunds within 7 or 14 days); each conflict shows its sides with their passages.
  const conflict = queue.firstConflict();
  await expect(conflict).toBeVisible();
  const ref = (await conflict.getAttribute("data-ref"))!;
  expect(ref).toMatch(/^CONF-\d+$/);
  const sides = conflict.getByTestId("conflict-side");
  expect(await sides.count()).toBeGreaterThanOrEqual(2);
  await expect(conflict.getByTestId("citation").first().locator("mark")).toBeVisible();
  await conflict.screenshot({ path: "test-results/trust-conflict-card.png" });
  await page.getByRole("list", { name: "Items waiting for review" }).screenshot({ path: "test-results/trust-queue-list.png" });

  // Conflicts come first in the queue, so the first card has focus: "c" opens the resolve form.
  await expect(conflict).toHaveAttribute("data-focused", "true");
  await page.keyboard.press("c");
  const form = page.getByRole("form", { name: `Resolve ${ref}` });
  // Drafted sides can be kept or rejected; a passage nobody drafted is only context.
  const formSides = form.getByTestId("conflict-side");
  const drafted = await formSides.count();
  expect(drafted).toBeGreaterThanOrEqual(1);
  const droppedRef = (await formSides.nth(drafted - 1).getAttribute("data-ref"))!;

  // Keeping every side says there is no conflict: that needs a reason.
  for (const side of await formSides.all()) await side.getByRole("checkbox").check();
  await form.getByTestId("confirm-resolve").click();
  await expect(form.getByRole("alert")).toContainText("Say why every side can stand");

  await form.getByRole("checkbox", { name: new RegExp(`Keep ${droppedRef}\\b`) }).uncheck();
  await expect(form.getByTestId("resolve-summary")).toContainText(`rejected: ${droppedRef}`);
  await form.getByLabel(/^Reason/).fill("Operations set the refund window; support agreed in the workshop.");
  await form.screenshot({ path: "test-results/trust-resolve-form.png" });
  await form.getByTestId("confirm-resolve").click();

  await expect(queue.toast()).toContainText(`${ref} resolved`);
  await expect(queue.toast()).toContainText(`rejected ${droppedRef}`);
  await expect(queue.conflictByRef(ref)).toHaveCount(0);

  // The stage page no longer lists it among the open conflicts.
  await page.goto(`/projects/${projectId}/stages/requirements`);
  await expect(page.getByRole("heading", { name: /Requirements/ }).first()).toBeVisible();
  await expect(page.locator(`[data-testid="open-conflict"][data-ref="${ref}"]`)).toHaveCount(0);
  await page.screenshot({ path: "test-results/trust-stage-page.png" });
});

test("an admin previews a stricter target error rate, then saves it with a reason", async ({ page }) => {
  await signInAs(page, "admin@demo.local");
  const policies = new PolicyPage(page, "synthesize-requirements");
  await policies.open();
  const target = policies.field("Target error rate");
  await expect(target).toHaveValue("3");
  await expect(policies.save).toBeDisabled();

  // Empty or out of range is refused next to the field, never read as 0.
  await target.fill("");
  await policies.preview();
  await expect(policies.card.getByText("Enter the target error rate as a percentage.")).toBeVisible();
  await target.fill("150");
  await expect(policies.card.getByText("Must be between 0% and 100%.")).toBeVisible();

  await target.fill("2");
  await expect(policies.save).toBeDisabled();
  await policies.preview();
  const table = policies.whatIf.getByTestId("what-if-table");
  await expect(table).toBeVisible();
  for (const row of ["autoApproved", "toPeople", "escapedDefects", "reviewerHours", "modelCostUsd", "threshold"]) {
    await expect(table.getByTestId(`what-if-${row}`)).toBeVisible();
  }
  await expect(policies.whatIf.getByTestId("what-if-moved")).toContainText("would move to people");
  await policies.card.screenshot({ path: "test-results/trust-policy-preview.png" });

  // A change after the preview needs a new preview before it can be saved.
  await target.fill("2.5");
  await expect(policies.save).toBeDisabled();
  await target.fill("2");
  await expect(policies.save).toBeEnabled();

  const versionsBefore = await policies.history.count();
  await policies.save.click();
  await expect(policies.card.getByText("Say why you change the policy")).toBeVisible();
  const reason = `Security review asked for fewer wrong auto-approvals (${Date.now()})`;
  await policies.card.getByLabel("Why this change? (required)").fill(reason);
  await policies.save.click();

  await expect(policies.card.getByRole("status").filter({ hasText: /Saved as version \d+/ })).toBeVisible();
  await expect(policies.history).toHaveCount(versionsBefore + 1);
  const newest = policies.history.first();
  await expect(newest).toContainText(reason);
  await expect(newest).toContainText("admin@demo.local");
  await expect(newest).toContainText("target error rate 3% → 2%");
  await expect(policies.save).toBeDisabled();
  await policies.card.screenshot({ path: "test-results/trust-policy-saved.png" });

  // The calibration page shows what the evidence supports under the policy now in force.
  await page.getByRole("link", { name: "Calibration" }).click();
  await expect(page.getByTestId("calibration-synthesize-requirements").getByTestId("auto-approval-status").first()).toBeVisible();
  await page.screenshot({ path: "test-results/trust-calibration.png" });
});
