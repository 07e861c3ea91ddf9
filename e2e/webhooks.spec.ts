import { createHmac } from "node:crypto";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { apiGet, apiPost, demoProjectId, signInAs } from "./pages";

type Received = { body: string; event?: string; delivery?: string; signature?: string };

/**
 * An admin registers a webhook in the browser and copies its secret (shown once); a reviewer's
 * decision reaches a real receiver as a signed POST; the admin sees the delivery with its attempt,
 * redelivers it, and the page passes axe.
 */
test("an admin registers a webhook, a decision is delivered signed, and it can be redelivered", async ({ page }) => {
  const received: Received[] = [];
  const receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const header = (name: string) => [request.headers[name]].flat()[0];
      received.push({
        body: Buffer.concat(chunks).toString("utf8"),
        event: header("x-countersign-event"),
        delivery: header("x-countersign-delivery"),
        signature: header("x-countersign-signature"),
      });
      response.writeHead(204).end();
    });
  });
  receiver.listen(0, "127.0.0.1");
  await once(receiver, "listening");
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/e2e-hook`;

  try {
    await signInAs(page, "admin@demo.local");
    await page.goto("/admin/webhooks");
    await page.getByLabel("Endpoint URL").fill(url);
    await page.getByLabel("review_item.decided").check();
    await page.getByTestId("create-webhook").click();
    const secret = (await page.getByTestId("webhook-secret").getByLabel("Webhook secret", { exact: true }).textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
    await page.reload();
    await expect(page.getByRole("region", { name: `Webhook to ${url}` })).toBeVisible();
    await expect(page.locator("body")).not.toContainText(secret);

    await signInAs(page, "reviewer@demo.local");
    const projectId = await demoProjectId(page);
    const { items } = await apiGet<{ items: { id: string; kind: string; version: number }[] }>(page, `/api/v1/review-items?projectId=${projectId}&status=pending`);
    const draft = items.find((item) => item.kind !== "conflict");
    expect(draft, "a pending draft to decide").toBeTruthy();
    await apiPost(page, `/api/v1/review-items/${draft!.id}/decision`, { action: "reject", version: draft!.version, comment: "Too vague to test." });

    await expect.poll(() => received.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
    const first = received[0];
    expect(first.event).toBe("review_item.decided");
    expect(first.signature).toBe(`sha256=${createHmac("sha256", secret).update(first.body).digest("hex")}`);
    expect(JSON.parse(first.body)).toMatchObject({ event: "review_item.decided", data: { reviewItemId: draft!.id, action: "reject" } });

    await signInAs(page, "admin@demo.local");
    await page.goto("/admin/webhooks");
    const card = page.getByRole("region", { name: `Webhook to ${url}` });
    await expect(card.getByTestId("webhook-delivery")).toContainText("delivered");
    await card.getByText("1 · last 204").click();
    await expect(card.getByRole("list", { name: `Attempts of delivery ${first.delivery}` })).toContainText("#1: 204");
    const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    const serious = results.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
    expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`)).toEqual([]);

    await card.getByTestId("redeliver").click();
    await expect.poll(() => received.length, { timeout: 30_000 }).toBe(2);
    expect(received[1]).toEqual(first);

    // Later tests' decisions should not go to a receiver that is gone.
    await card.getByRole("button", { name: `Delete the webhook to ${url}` }).click();
    await card.getByRole("button", { name: "Delete it and its deliveries" }).click();
    await expect(card).toHaveCount(0);
  } finally {
    receiver.closeAllConnections();
    receiver.close();
  }
});
