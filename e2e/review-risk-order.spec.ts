import { expect, test } from "@playwright/test";
import { apiGet, demoProjectId, signInAs } from "./pages";

/**
 * "Riskiest first" orders the whole queue on the server (lowest measured chance of approval
 * first), not the items the browser happens to have loaded: the list shows the API's order, and
 * the choice stays in the URL.
 */
type Page = { items: { ref: string; calibratedProbability: number | null; confidence: number | null }[] };

test("the reviewer sorts the queue by risk and sees the riskiest drafts of the whole queue first", async ({ page }) => {
  await signInAs(page, "reviewer@demo.local");
  // The demo project's queue: other specs' projects may still be drafting.
  const projectId = await demoProjectId(page);
  await page.goto(`/review?projectId=${projectId}`);
  await page.getByLabel("Sort").selectOption("risk");
  await expect(page).toHaveURL(/sort=risk/);

  const riskiest = await apiGet<Page>(page, `/api/v1/review-items?projectId=${projectId}&status=pending&kind=draft&sort=risk&limit=100`);
  expect(riskiest.items.length).toBeGreaterThan(1);
  const chances = riskiest.items.map((item) => item.calibratedProbability || item.confidence || 0);
  expect(chances).toEqual([...chances].sort((a, b) => a - b));

  const rows = page.getByTestId("queue-row");
  await expect(rows.filter({ hasNotText: "CONF-" }).first()).toHaveAttribute("data-ref", riskiest.items[0].ref);
  const shown = (await rows.evaluateAll((elements) => elements.map((row) => row.getAttribute("data-ref")))).filter((ref) => ref && !ref.startsWith("CONF-"));
  expect(shown).toEqual(riskiest.items.slice(0, shown.length).map((item) => item.ref));
  await page.screenshot({ path: "test-results/review-risk-order.png", fullPage: true });
});
