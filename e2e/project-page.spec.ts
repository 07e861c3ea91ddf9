import { expect, test } from "@playwright/test";
import { apiPost, signInAs } from "./pages";

/** A project with many sources lists the newest few, and shows them all on request. */
test("the project page lists the newest 25 sources and shows all on request", async ({ page }) => {
  await signInAs(page, "admin@demo.local");
  const project = await apiPost<{ id: string }>(page, "/api/v1/projects", { name: `Many sources ${Date.now()}` });
  for (let n = 1; n <= 27; n++) {
    await apiPost(page, `/api/v1/projects/${project.id}/sources`, { title: `Workshop note ${n}`, kind: "meeting_notes", text: `Note ${n}: the clerk must be able to print the day's list.` });
  }
  await page.goto(`/projects/${project.id}`);
  await expect(page.getByRole("heading", { name: "Sources (27)" })).toBeVisible();
  await expect(page.getByTestId("source-row")).toHaveCount(25);
  // The newest are the ones shown.
  await expect(page.getByTestId("source-row").last()).toContainText("Workshop note 27");
  await expect(page.getByText("Workshop note 2", { exact: true })).toHaveCount(0);
  await page.getByTestId("show-all-sources").click();
  await expect(page).toHaveURL(/sources=all/);
  await expect(page.getByTestId("source-row")).toHaveCount(27);
  await expect(page.getByText("Show the newest 25 only")).toBeVisible();
});
