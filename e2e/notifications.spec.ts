import { execFileSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { signInAs } from "./pages";

/**
 * The inbox and its nav badge: a notice that arrives while a page is open raises the badge
 * without a reload, marking read in another tab lowers it, and the email preference sticks.
 */
const database = process.env.E2E_DATABASE_URL ?? "file:./data/e2e.db";

function notifyUser(email: string, message: string): void {
  execFileSync("npx", ["tsx", "e2e/notify.ts", email, message], { env: { ...process.env, DATABASE_URL: database }, stdio: "inherit" });
}

test("the nav badge follows notices live, and the inbox marks them read", async ({ page, context }) => {
  await signInAs(page, "owner@demo.local");
  await page.goto("/settings/tokens");
  const badge = page.getByTestId("notification-count");
  const before = Number((await badge.count()) > 0 ? ((await badge.textContent()) ?? "0").replace(/\D/g, "") : 0);

  notifyUser("owner@demo.local", "Design reopened: REQ-2 changed.");
  notifyUser("owner@demo.local", "Testing reopened: REQ-5 changed.");
  await expect(badge).toHaveText(`${before + 2} unread`);

  const inbox = await context.newPage();
  await inbox.goto("/notifications");
  await expect(inbox.getByRole("heading", { name: `Unread (${before + 2})` })).toBeVisible();
  await inbox.getByRole("button", { name: "Mark read: Testing reopened: REQ-5 changed." }).click();
  await expect(inbox.getByRole("heading", { name: `Unread (${before + 1})` })).toBeVisible();
  await expect(inbox.getByRole("list", { name: "Read notifications", exact: true })).toContainText("Testing reopened: REQ-5 changed.");
  // Back on the first tab, as a person switching tabs would see it: its badge followed the read elsewhere.
  await page.bringToFront();
  await expect(badge).toHaveText(`${before + 1} unread`);

  await inbox.bringToFront();
  await inbox.getByRole("button", { name: "Mark all read" }).click();
  await expect(inbox.getByRole("heading", { name: "Unread (0)" })).toBeVisible();
  await page.bringToFront();
  await expect(badge).toHaveCount(0);
});

test("a live feed the server turned away comes back by itself, and the badge catches up", async ({ page }) => {
  await signInAs(page, "owner@demo.local");
  // The page's first connection is answered with an error, which browsers do not retry on their own.
  let requests = 0;
  await page.route("**/api/v1/events**", (route) => (requests++ === 0 ? route.fulfill({ status: 503, body: "" }) : route.continue()));
  await page.goto("/settings/tokens");
  const badge = page.getByTestId("notification-count");
  const before = Number((await badge.count()) > 0 ? ((await badge.textContent()) ?? "0").replace(/\D/g, "") : 0);

  notifyUser("owner@demo.local", "Coding reopened: TASK-2 changed.");
  await expect(badge).toHaveText(`${before + 1} unread`);
  expect(requests).toBeGreaterThan(1);
});

test("the email preference is chosen in settings, and kept emails are shown to admins", async ({ page }) => {
  await signInAs(page, "reviewer@demo.local");
  await page.goto("/settings/notifications");
  await expect(page.getByLabel(/Immediately/)).toBeChecked();
  notifyUser("reviewer@demo.local", "REQ-9 waits for your review.");

  await page.getByLabel(/Daily digest/).check();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toContainText("Saved: Daily digest");
  await page.reload();
  await expect(page.getByLabel(/Daily digest/)).toBeChecked();

  await signInAs(page, "admin@demo.local");
  await page.goto("/admin/emails");
  const email = page.getByTestId("outbound-email").filter({ hasText: "reviewer@demo.local" });
  await expect(email).toContainText("Countersign: REQ-9 waits for your review.");
  await expect(email).toContainText("kept");
  await email.getByText("Countersign: REQ-9 waits for your review.").click();
  await expect(email).toContainText("Open in Countersign: /review");
});
