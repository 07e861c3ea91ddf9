import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { unstable_doesMiddlewareMatch } from "next/experimental/testing/server";
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { unknownRoute } from "@/lib/api/handler";
import { endpoints, errorSchema } from "@/lib/api/schemas";
import { db } from "@/lib/db";
import nextConfig from "@/next.config";
import { config as proxyConfig, proxy } from "@/proxy";
import { api, makeCaller, type Caller } from "./api-client";

vi.mock("next-auth", async (importOriginal) => ({ ...(await importOriginal<object>()), ...(await import("./next-auth-without-session")) }));

/**
 * Requests that reach no endpoint get the documented JSON error, not Next.js's plain-text 500,
 * empty 405 or redirect: proxy.ts answers them in production, the catch-all route otherwise.
 * The methods each path answers are derived here from the endpoint table itself.
 */
const methods = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

function allowFromTable(): Map<string, string> {
  const byPath = new Map<string, Set<string>>();
  for (const endpoint of Object.values(endpoints)) {
    const path = `/api/v1${endpoint.path.replace(/\{\w+\}/g, "x1")}`;
    byPath.set(path, (byPath.get(path) ?? new Set()).add(endpoint.method.toUpperCase()));
  }
  return new Map(
    [...byPath].map(([path, set]) => [path, [...set, ...(set.has("GET") ? ["HEAD"] : []), "OPTIONS"].sort().join(", ")]),
  );
}

type RouteModule = Record<(typeof methods)[number], (request: Request) => Response> & { OPTIONS: (request: Request) => Response };

/** The route file that serves a concrete API path (x1 stands for every {param}). */
async function routeModule(apiPath: string): Promise<RouteModule> {
  let dir = resolve("app/api/v1");
  for (const segment of apiPath.replace(/^\/api\/v1\//, "").split("/")) {
    if (existsSync(join(dir, segment))) {
      dir = join(dir, segment);
      continue;
    }
    const param = ["[id]", "[key]", "[sourceId]", "[stepKey]", "[modelId]", "[deliveryId]"].find((name) => existsSync(join(dir, name)));
    expect(param, `a route folder for ${apiPath}`).toBeDefined();
    dir = join(dir, param!);
  }
  return (await import(join(dir, "route.ts"))) as RouteModule;
}

async function jsonError(response: Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  return errorSchema.parse(await response.json()).error;
}

const through = (url: string, method = "GET") => proxy(new NextRequest(url, { method, headers: { cookie: "authjs.session-token=opaque" } }));

describe("answers that reach no endpoint", () => {
  it("answers 400 for a path that is not valid percent-encoded UTF-8", async () => {
    for (const path of ["/api/v1/runs/%FF", "/api/v1/projects/%E0%A4%A/stages", "/api/v1/%C3%28"]) {
      const error = await jsonError(through(`http://localhost${path}`), 400);
      expect(error).toMatchObject({ code: "bad_request", message: expect.stringContaining("percent-encoded UTF-8") });
    }
    const page = through("http://localhost/projects/%FF");
    expect(page.status).toBe(400);
    expect(await page.text()).toMatch(/percent-encoded UTF-8/);
  });

  it("answers 405 with Allow for a known path and another method, from its route file, the proxy and the catch-all route", async () => {
    const table = allowFromTable();
    expect(table.size).toBeGreaterThan(5);
    for (const [path, allow] of table) {
      const route = await routeModule(path);
      for (const method of methods) {
        const passed = through(`http://localhost${path}`, method);
        if (allow.split(", ").includes(method)) {
          expect(passed.headers.get("x-middleware-next"), `${method} ${path}`).toBe("1");
          expect(route[method], `${method} ${path}`).not.toBe(unknownRoute);
          continue;
        }
        const request = () => new Request(`http://localhost${path}`, { method });
        for (const response of [route[method](request()), passed, unknownRoute(request())]) {
          const error = await jsonError(response, 405);
          expect(response.headers.get("allow"), `${method} ${path}`).toBe(allow);
          expect(error.message).toContain(allow);
        }
      }
      const options = route.OPTIONS(new Request(`http://localhost${path}`, { method: "OPTIONS" }));
      expect(options.status).toBe(204);
      expect(options.headers.get("allow"), `OPTIONS ${path}`).toBe(allow);
    }
  });

  it("sends API requests through the proxy only when their path needs it (a trailing slash, percent-encoding, the bare prefix)", () => {
    const proxied = (url: string) => unstable_doesMiddlewareMatch({ config: proxyConfig, nextConfig, url });
    for (const url of ["/api/v1/review-items/x1/decision", "/api/v1/projects", "/api/v1/review-items?status=pending"]) expect(proxied(url), url).toBe(false);
    for (const url of ["/api/v1", "/api/v1/", "/api/v1/projects/", "/api/v1/runs/%FF", "/api/v1/projects/a%20b/stages", "/review", "/projects/p1", "/api/health", "/api/ready"]) {
      expect(proxied(url), url).toBe(true);
    }
    for (const url of ["/_next/static/chunks/a.js", "/favicon.svg"]) expect(proxied(url), url).toBe(false);
  });

  it("answers 404 JSON for unknown API paths, the bare prefix included", async () => {
    await jsonError(unknownRoute(new Request("http://localhost/api/v1/nothing-here", { method: "DELETE" })), 404);
    await jsonError(unknownRoute(new Request("http://localhost/api/v1/projects/x/unknown", { method: "POST" })), 404);
    for (const path of ["/api/v1", "/api/v1/"]) {
      expect((await jsonError(through(`http://localhost${path}`), 404)).code).toBe("not_found");
    }
  });

  it("serves an API path with a trailing slash as if without it; pages still redirect", () => {
    const api = through("http://localhost/api/v1/projects/?limit=2");
    expect(api.status).toBe(200);
    expect(api.headers.get("location")).toBeNull();
    expect(api.headers.get("x-middleware-rewrite")).toBe("http://localhost/api/v1/projects?limit=2");
    const post = through("http://localhost/api/v1/projects/p1/stages/requirements/sign-off/", "POST");
    expect(post.headers.get("x-middleware-rewrite")).toBe("http://localhost/api/v1/projects/p1/stages/requirements/sign-off");
    const wrong = through("http://localhost/api/v1/projects/", "DELETE");
    expect(wrong.status).toBe(405);

    const page = through("http://localhost/review/?status=pending");
    expect(page.status).toBe(308);
    expect(page.headers.get("location")).toBe("http://localhost/review?status=pending");
  });
});

describe("bodies in a charset other than UTF-8", () => {
  let admin: Caller;

  beforeAll(async () => {
    admin = await makeCaller("admin@error-shapes.test", "admin");
  });

  it("are refused with 400, and nothing is stored", async () => {
    const before = await db().project.count();
    for (const contentType of ["application/json; charset=utf-16", "application/json;charset=UTF-16LE", 'application/json; charset="iso-8859-1"', "application/json; charset=windows-1252"]) {
      const response = await api(admin.token).raw("POST", "/projects", { body: '{"name":"Clinic"}', headers: { "content-type": contentType } });
      expect(response.status, contentType).toBe(400);
      expect(response.body, contentType).toMatchObject({ error: { code: "bad_request", message: expect.stringMatching(/UTF-8/) } });
    }
    expect(await db().project.count()).toBe(before);
  });

  it("are accepted when declared UTF-8 in any spelling, or not declared", async () => {
    for (const contentType of ["application/json", "application/json; charset=utf-8", "application/json;charset=UTF-8", 'application/json; charset="utf-8"', "application/vnd.api+json"]) {
      const response = await api(admin.token).raw("POST", "/projects", { body: '{"name":"Clinic"}', headers: { "content-type": contentType } });
      expect(response.status, `${contentType}: ${JSON.stringify(response.body)}`).toBe(201);
    }
  });
});
