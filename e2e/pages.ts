import { expect, type Page } from "@playwright/test";
import { E2E_PASSWORD } from "../playwright.config";

/** Small page helpers shared by the specs: sign-in and the API calls the browser session may make. */
export async function signInAs(page: Page, email: string): Promise<void> {
  await page.context().clearCookies();
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(E2E_PASSWORD);
  await page.getByRole("button", { name: /sign in/i }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

export async function apiGet<T>(page: Page, path: string): Promise<T> {
  const response = await page.request.get(path);
  expect(response.ok(), `${path} answered ${response.status()}`).toBeTruthy();
  return (await response.json()) as T;
}

/** A mutation with the browser session, sent as the app's own pages send it (same origin, JSON). */
export async function apiPost<T>(page: Page, path: string, body: unknown): Promise<T> {
  const origin = new URL(page.url()).origin;
  const response = await page.request.post(path, { data: body, headers: { origin, "content-type": "application/json" } });
  expect(response.ok(), `${path} answered ${response.status()}: ${await response.text()}`).toBeTruthy();
  return (await response.json()) as T;
}

/** The id of the project the demo seed creates (its requirements stage has already run). */
export async function demoProjectId(page: Page): Promise<string> {
  const { items } = await apiGet<{ items: { id: string; name: string }[] }>(page, "/api/v1/projects");
  const demo = items.find((project) => project.name === "Bike-share rider app");
  expect(demo, "the demo project exists").toBeTruthy();
  return demo!.id;
}

/** The review queue of one project's stage, and its conflict cards. */
export class ReviewQueuePage {
  constructor(readonly page: Page) {}

  async open(projectId: string, stage = "requirements") {
    await this.page.goto(`/review?projectId=${projectId}&stage=${stage}`);
    await expect(this.page.getByTestId("queue-count")).not.toHaveText("Loading…");
  }

  firstConflict() {
    return this.page.getByTestId("conflict-item").first();
  }

  conflictByRef(ref: string) {
    return this.page.locator(`[data-testid="conflict-item"][data-ref="${ref}"]`);
  }

  toast() {
    return this.page.getByTestId("decision-toast");
  }
}

/** Admin -> Step policies: one step's policy form, its what-if preview and its history. */
export class PolicyPage {
  constructor(
    readonly page: Page,
    readonly stepKey: string,
  ) {}

  async open() {
    await this.page.goto("/admin/policies");
    await expect(this.card).toBeVisible();
  }

  get card() {
    return this.page.getByTestId(`policy-${this.stepKey}`);
  }

  field(label: string) {
    return this.card.getByLabel(label, { exact: true });
  }

  async preview() {
    await this.card.getByTestId("preview-policy").click();
  }

  get whatIf() {
    return this.card.getByTestId("what-if");
  }

  get save() {
    return this.card.getByTestId("save-policy");
  }

  get history() {
    return this.card.getByTestId("policy-version");
  }
}
