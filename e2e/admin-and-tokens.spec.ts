import { expect, request, test } from "@playwright/test";
import { signInAs } from "./pages";

test("an admin creates a user, who signs in and works through the API with a personal token", async ({ page, baseURL }) => {
  const email = `dana.${Date.now()}@demo.local`;
  await signInAs(page, "admin@demo.local");
  await page.goto("/admin/users");
  const form = page.getByRole("form", { name: "Create user" });
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Name").fill("Dana Developer");
  await form.getByLabel("Password").fill("dana-password-1");
  await page.getByTestId("create-user").click();
  await expect(page.getByRole("table")).toContainText(email);

  // The new user signs in and creates a token for a script.
  await page.context().clearCookies();
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("dana-password-1");
  await page.getByRole("button", { name: /sign in/i }).click();
  await expect(page.getByRole("heading", { name: "Your work" })).toBeVisible();
  await page.goto("/settings/tokens");
  await page.getByLabel("Token name").fill("release script");
  await page.getByTestId("create-token").click();
  const secret = (await page.getByTestId("token-secret").getByLabel("Token secret", { exact: true }).textContent())!.trim();
  expect(secret).toMatch(/^cs_/);

  // A client with no browser session acts as the user through the token...
  const api = await request.newContext({ baseURL });
  const created = await api.post("/api/v1/projects", { headers: { authorization: `Bearer ${secret}` }, data: { name: "Dana's project" } });
  expect(created.status()).toBe(201);

  // ...until the user revokes it.
  await page.reload();
  await page.getByTestId("revoke-token").first().click();
  await page.getByTestId("confirm-revoke").click();
  await expect
    .poll(async () => (await api.get("/api/v1/projects", { headers: { authorization: `Bearer ${secret}` } })).status())
    .toBe(401);
  await api.dispose();
});
