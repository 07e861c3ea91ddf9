import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import nextConfig from "@/next.config";
import { proxy } from "@/proxy";

/**
 * Every page and API answer carries the security headers, set by proxy.ts; build assets, public
 * files and the API requests the proxy skips get them from next.config.ts. The browser side
 * (no CSP violations while signed in, the headers a real server sends) is e2e/security.spec.ts.
 */
const session = { cookie: "authjs.session-token=opaque" };

function through(url: string, headers: Record<string, string> = {}, method = "GET") {
  return proxy(new NextRequest(url, { method, headers }));
}

function directives(csp: string | null): Map<string, string> {
  return new Map((csp ?? "").split(";").map((part) => {
    const [name, ...values] = part.trim().split(/\s+/);
    return [name, values.join(" ")];
  }));
}

function expectSecurityHeaders(response: Response) {
  expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  expect(response.headers.get("x-frame-options")).toBe("DENY");
  expect(response.headers.get("permissions-policy")).toBe("camera=(), microphone=(), geolocation=()");
  const csp = directives(response.headers.get("content-security-policy"));
  expect(csp.get("default-src")).toBe("'self'");
  expect(csp.get("script-src")).toMatch(/^'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'$/);
  expect(csp.get("object-src")).toBe("'none'");
  expect(csp.get("base-uri")).toBe("'self'");
  expect(csp.get("form-action")).toBe("'self'");
  expect(csp.get("frame-ancestors")).toBe("'none'");
  expect(csp.get("style-src")).toBeDefined();
}

describe("security headers", () => {
  it("are on signed-in pages, the sign-in page, the sign-in redirect and API routes", () => {
    for (const [url, headers] of [
      ["http://localhost/review", session],
      ["http://localhost/projects/p1/stages/requirements", session],
      ["http://localhost/login", {}],
      ["http://localhost/review", {}],
      ["http://localhost/api/v1/projects", {}],
      ["http://localhost/api/v1/no-such-thing", {}],
      ["http://localhost/api/auth/session", {}],
    ] as const) {
      expectSecurityHeaders(through(url, headers));
    }
  });

  it("hand pages a fresh nonce, through the CSP request header Next.js reads", () => {
    const first = through("http://localhost/review", session);
    const second = through("http://localhost/review", session);
    const nonceOf = (response: Response) => /'nonce-([^']+)'/.exec(response.headers.get("content-security-policy") ?? "")?.[1];
    expect(nonceOf(first)).toBeDefined();
    expect(nonceOf(first)).not.toBe(nonceOf(second));
    expect(first.headers.get("x-middleware-request-content-security-policy")).toBe(first.headers.get("content-security-policy"));
  });

  it("send HSTS only over HTTPS", () => {
    const hsts = (url: string, headers: Record<string, string> = {}) => through(url, { ...session, ...headers }).headers.get("strict-transport-security");
    expect(hsts("http://localhost/review")).toBeNull();
    expect(hsts("http://localhost/api/v1/projects")).toBeNull();
    expect(hsts("http://localhost/review", { "x-forwarded-proto": "http" })).toBeNull();
    expect(hsts("http://localhost/review", { "x-forwarded-proto": "https" })).toMatch(/^max-age=\d{7,}/);
    expect(hsts("http://localhost/api/v1/projects", { "x-forwarded-proto": "https,http" })).toMatch(/^max-age=/);
    expect(hsts("https://countersign.example/review")).toMatch(/^max-age=/);
    expect(directives(through("https://countersign.example/review", session).headers.get("content-security-policy")).has("upgrade-insecure-requests")).toBe(true);
    expect(directives(through("http://localhost/review", session).headers.get("content-security-policy")).has("upgrade-insecure-requests")).toBe(false);
  });

  it("cover what the proxy skips through next.config.ts", async () => {
    const rules = (await nextConfig.headers?.()) ?? [];
    const everywhere = rules.filter((rule) => rule.source === "/:path*" && !rule.has);
    const keys = everywhere.flatMap((rule) => rule.headers.map((header) => header.key.toLowerCase()));
    expect(keys).toEqual(expect.arrayContaining(["referrer-policy", "x-content-type-options", "x-frame-options", "permissions-policy"]));
    expect(keys).not.toContain("strict-transport-security");
    const https = rules.find((rule) => rule.has?.some((condition) => condition.type === "header" && condition.key === "x-forwarded-proto"));
    expect(https?.headers.map((header) => header.key)).toEqual(["Strict-Transport-Security"]);
    // Next.js anchors a `has` value as a regular expression; the first hop decides, as in the proxy.
    const forwarded = new RegExp(`^${https?.has?.[0].value}$`);
    for (const value of ["https", "https,http", "https, http"]) expect(forwarded.test(value), value).toBe(true);
    for (const value of ["http", "http,https", "httpsx"]) expect(forwarded.test(value), value).toBe(false);
    // Most API requests skip the proxy: JSON gets a policy that allows nothing.
    const api = rules.filter((rule) => rule.source === "/api/v1/:path*");
    const csp = directives(api.flatMap((rule) => rule.headers).find((header) => header.key === "Content-Security-Policy")?.value ?? null);
    expect(csp.get("default-src")).toBe("'none'");
    expect(csp.get("frame-ancestors")).toBe("'none'");
  });
});
