import { expect, test } from "@playwright/test";
import { E2E_PASSWORD } from "../playwright.config";

test("a signed-out visitor signs in and lands on the page they asked for", async ({ page }) => {
  await page.goto("/review");
  await expect(page).toHaveURL(/\/login\?from=%2Freview/);
  await page.getByLabel("Email").fill("reviewer@demo.local");
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: /sign in/i }).click();
  await expect(page.getByText("Wrong email or password.")).toBeVisible();
  await page.getByLabel("Password").fill(E2E_PASSWORD);
  await page.getByRole("button", { name: /sign in/i }).click();
  await expect(page).toHaveURL(/\/review$/);
  await expect(page.getByRole("heading", { name: "Review queue" })).toBeVisible();
});
