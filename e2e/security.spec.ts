import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { apiGet, signInAs } from "./pages";

/**
 * The production server under a strict CSP: the app still signs in and hydrates, every answer
 * carries the security headers, another page on the same host cannot use the session to sign a
 * stage off, and requests that reach no endpoint or page get the right status.
 */
type ProjectList = { items: { id: string; name: string }[] };
type Stage = { key: string; status: string; signOff: unknown };

/** Every CSP violation the page reports, through the console and the DOM event. */
function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to (execute|load|apply)/i.test(message.text())) violations.push(message.text());
  });
  page.on("pageerror", (error) => {
    if (/Content Security Policy/i.test(error.message)) violations.push(error.message);
  });
  return violations;
}

function expectSecurityHeaders(headers: Record<string, string>, label: string) {
  if (label.startsWith("/api/v1/")) {
    // JSON loads nothing: the API's policy allows nothing.
    expect(headers["content-security-policy"], label).toBe("default-src 'none'; frame-ancestors 'none'");
  } else {
    expect(headers["content-security-policy"], label).toMatch(/default-src 'self'/);
    expect(headers["content-security-policy"], label).toMatch(/frame-ancestors 'none'/);
    expect(headers["content-security-policy"], label).toMatch(/object-src 'none'/);
  }
  expect(headers["referrer-policy"], label).toBe("strict-origin-when-cross-origin");
  expect(headers["x-content-type-options"], label).toBe("nosniff");
  expect(headers["x-frame-options"], label).toBe("DENY");
  expect(headers["permissions-policy"], label).toMatch(/camera=\(\)/);
  expect(headers["strict-transport-security"], label).toBeUndefined();
}

async function demoProjectId(page: Page): Promise<string> {
  const projects = await apiGet<ProjectList>(page, "/api/v1/projects");
  expect(projects.items.length).toBeGreaterThan(0);
  return projects.items[0].id;
}

test.describe("security", () => {
  test("signing in and reviewing work under the CSP, with the headers on pages and the API", async ({ page }) => {
    const violations = watchCsp(page);
    const login = await page.goto("/login");
    const loginHeaders = login!.headers();
    expectSecurityHeaders(loginHeaders, "/login");
    expect(loginHeaders["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);

    await signInAs(page, "reviewer@demo.local");
    const review = await page.goto("/review");
    expectSecurityHeaders(review!.headers(), "/review");
    // The queue is a client component: its filter only changes the address once hydrated.
    await expect(page.getByTestId("queue-count")).toContainText("pending");
    await page.getByLabel("Stage").selectOption("requirements");
    await expect(page).toHaveURL(/\/review\?stage=requirements$/);
    // The selected item's card: a draft, or a conflict (listed first).
    await expect(page.locator('[data-testid="review-item"], [data-testid="conflict-item"]').first()).toBeVisible();

    const api = await page.request.get("/api/v1/review-items");
    expect(api.status()).toBe(200);
    expectSecurityHeaders(api.headers(), "/api/v1/review-items");
    const overHttps = await page.request.get("/api/v1/review-items", { headers: { "x-forwarded-proto": "https" } });
    expect(overHttps.headers()["strict-transport-security"]).toMatch(/^max-age=/);

    const projectId = await demoProjectId(page);
    for (const path of ["/", `/projects/${projectId}`, `/projects/${projectId}/stages/requirements`, "/audit"]) {
      const response = await page.goto(path);
      expect(response!.status(), path).toBe(200);
      expectSecurityHeaders(response!.headers(), path);
    }

    const script = await page.evaluate(() => document.querySelector<HTMLScriptElement>("script[src*='/_next/static/']")?.src);
    expect(script).toBeTruthy();
    expect((await page.request.get(script!)).headers()["x-content-type-options"]).toBe("nosniff");

    expect(violations).toEqual([]);
  });

  test.describe("another page on the same host", () => {
    let attacker: Server;
    let attackerOrigin = "";
    let target = "";

    test.beforeAll(async () => {
      // Another port of the same host is the same site: the browser sends the SameSite=Lax session cookie.
      attacker = createServer((request, response) => {
        response.setHeader("content-type", "text/html");
        if (request.url === "/form") {
          response.end(`<form method="post" action="${target}"></form><script>document.forms[0].submit()</script>`);
        } else {
          response.end(`<script>fetch(${JSON.stringify(target)}, { method: "POST", mode: "no-cors", credentials: "include" }).then(() => { document.title = "sent"; })</script>`);
        }
      });
      await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
      attackerOrigin = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
    });

    test.afterAll(() => new Promise<void>((resolve) => attacker.close(() => resolve())));

    test("cannot sign a stage off with the owner's session", async ({ page, baseURL }) => {
      await signInAs(page, "owner@demo.local");
      const projectId = await demoProjectId(page);
      target = `${baseURL}/api/v1/projects/${projectId}/stages/requirements/sign-off`;
      const signOffOf = async () => (await apiGet<Stage[]>(page, `/api/v1/projects/${projectId}/stages`)).find((stage) => stage.key === "requirements")?.signOff;
      const before = await signOffOf();

      await page.goto(`${attackerOrigin}/form`);
      await expect(page).toHaveURL(target);
      const answer = JSON.parse((await page.locator("body").innerText()).trim()) as { error: { code: string; message: string } };
      expect(answer.error.code).toBe("forbidden");
      expect(answer.error.message).toMatch(/another origin.*Authorization: Bearer/);

      await page.goto(`${attackerOrigin}/fetch`);
      await expect(page).toHaveTitle("sent");

      // Whatever other specs did to the demo stage before, the forged requests changed nothing.
      expect(await signOffOf()).toEqual(before);
    });
  });

  test("requests that reach no endpoint or page get the right status", async ({ page, baseURL }) => {
    await signInAs(page, "admin@demo.local");
    const projectId = await demoProjectId(page);
    const json = async (path: string, init: Parameters<Page["request"]["fetch"]>[1] = {}) => {
      const response = await page.request.fetch(path, { maxRedirects: 0, ...init });
      expect(response.headers()["content-type"], path).toMatch(/^application\/json/);
      return { status: response.status(), headers: response.headers(), body: (await response.json()) as { error?: { code: string } } };
    };

    expect(await json("/api/v1/runs/%FF")).toMatchObject({ status: 400, body: { error: { code: "bad_request" } } });
    expect((await page.request.get("/projects/%FF")).status()).toBe(400);
    const wrongMethod = await json("/api/v1/projects", { method: "DELETE" });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.allow).toBe("GET, HEAD, OPTIONS, POST");
    expect(await json("/api/v1/nothing-here")).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    expect((await json("/api/v1/projects/")).status).toBe(200);
    const utf16 = await json("/api/v1/projects", {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-16", origin: baseURL! },
      data: '{"name":"Declared UTF-16"}',
    });
    expect(utf16).toMatchObject({ status: 400, body: { error: { code: "bad_request" } } });

    for (const path of ["/nothing-here", "/projects/no-such-project", `/projects/${projectId}/stages/no-such-stage`, "/projects/no-such-project/stages/requirements"]) {
      const response = await page.goto(path);
      expect(response!.status(), path).toBe(404);
    }
    await expect(page.getByText("There is nothing at this address")).toBeVisible();
    const trailing = await page.request.get("/review/", { maxRedirects: 0 });
    expect(trailing.status()).toBe(308);
    expect(trailing.headers().location).toMatch(/^(http:\/\/[^/]+)?\/review$/);
  });
});
