import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { demoProjectId, signInAs } from "./pages";

/**
 * Every page people work on passes axe (WCAG 2.1 A and AA) with no serious or critical
 * violation, for each role that sees it. A failure lists each rule with the elements it hit.
 */
async function expectAccessible(page: Page, path: string) {
  await page.goto(path);
  await page.waitForLoadState("networkidle");
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id} (${violation.impact}) on ${path}: ${violation.nodes.map((node) => node.target.join(" ")).slice(0, 5).join(", ")}`);
  expect.soft(serious, serious.join("\n")).toEqual([]);
}

test("the sign-in page", async ({ page }) => {
  await page.context().clearCookies();
  await expectAccessible(page, "/login");
});

test("the admin's pages", async ({ page }) => {
  await signInAs(page, "admin@demo.local");
  const projectId = await demoProjectId(page);
  for (const path of ["/", "/admin", "/admin/users", "/admin/policies", "/admin/calibration", "/admin/webhooks", "/admin/emails", "/audit", `/projects/${projectId}`, `/audit?projectId=${projectId}`]) {
    await expectAccessible(page, path);
  }
});

test("the owner's and the reviewer's pages", async ({ page }) => {
  await signInAs(page, "owner@demo.local");
  const projectId = await demoProjectId(page);
  for (const path of [`/projects/${projectId}`, `/projects/${projectId}/stages/requirements`, `/projects/${projectId}/stages/planning`, "/settings/tokens", "/notifications", "/settings/notifications"]) {
    await expectAccessible(page, path);
  }
  await signInAs(page, "reviewer@demo.local");
  await expectAccessible(page, `/review?projectId=${projectId}`);
  await expectAccessible(page, "/review");
  await expectAccessible(page, "/review/history");
});
