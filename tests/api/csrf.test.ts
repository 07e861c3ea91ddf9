import { beforeAll, describe, expect, it, vi } from "vitest";
import { endpoints, type EndpointName } from "@/lib/api/schemas";
import { db } from "@/lib/db";
import { transact } from "@/lib/transaction";
import { startSession } from "@/lib/users/sessions";
import { api, makeCaller, type Caller } from "./api-client";

/**
 * A browser sends the session cookie with requests other pages make it send (a form on another
 * port of the same host, a no-cors fetch), so the API must act on the cookie only for requests
 * from its own pages. Every mutation in the endpoint table is tried, so new ones are covered.
 */
const browser = vi.hoisted(() => ({ userId: null as string | null, sessionId: null as string | null }));

// The browser's session: auth() finds the user the test signed in, as it would from the cookie.
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  default: () => ({
    handlers: {},
    auth: async () => (browser.userId ? { user: { id: browser.userId }, sessionId: browser.sessionId } : null),
    signIn: async () => undefined,
    signOut: async () => undefined,
  }),
}));

const sessionCookie = { cookie: "theme=light; authjs.session-token=eyJhbGciOiJkaXIifQ.opaque" };

async function storedCounts() {
  const client = db();
  const [auditEvents, projects, sources, runs, signOffs, stageReviewers, policyVersions] = await Promise.all([
    client.auditEvent.count(),
    client.project.count(),
    client.source.count(),
    client.run.count(),
    client.signOff.count(),
    client.stageReviewer.count(),
    client.policyVersion.count(),
  ]);
  return { auditEvents, projects, sources, runs, signOffs, stageReviewers, policyVersions };
}

type Forgery = { label: string; headers: Record<string, string>; body: string };

const forgeries: Forgery[] = [
  {
    label: "an auto-submitted form on another port of the same host",
    headers: { "sec-fetch-site": "same-site", origin: "http://localhost:4000", "content-type": "application/x-www-form-urlencoded" },
    body: "",
  },
  {
    label: "a no-cors fetch from another site",
    headers: { "sec-fetch-site": "cross-site", origin: "https://attacker.example", "content-type": "text/plain;charset=UTF-8" },
    body: "{}",
  },
  {
    label: "JSON from another origin, from a browser without Sec-Fetch-Site",
    headers: { origin: "http://localhost:4000", "content-type": "application/json" },
    body: "{}",
  },
  { label: "a sandboxed frame (Origin: null)", headers: { origin: "null" }, body: "" },
  { label: "neither Origin nor Sec-Fetch-Site", headers: {}, body: "" },
];

const mutations = (Object.keys(endpoints) as EndpointName[]).filter((name) => endpoints[name].method !== "get");

describe("the API and the browser session", () => {
  let admin: Caller;
  let projectId: string;

  beforeAll(async () => {
    admin = await makeCaller("admin@csrf.test", "admin");
    projectId = (await api(admin.token).ok("createProject", { json: { name: "Clinic booking" } })).id;
    browser.userId = (await db().user.findUniqueOrThrow({ where: { email: admin.email } })).id;
    // A signed-in browser has a live server-side session (lib/users/sessions.ts).
    browser.sessionId = await transact((tx) => startSession(tx, browser.userId!));
  });

  const pathOf = (name: EndpointName) =>
    endpoints[name].path.replace(/\{(\w+)\}/g, (_, param: string) =>
      param === "id" ? projectId : param === "key" ? "requirements" : param === "stepKey" ? "synthesize-requirements" : "x",
    );

  it("covers at least the mutations known today", () => {
    expect(mutations).toEqual(expect.arrayContaining(["createProject", "addSource", "startRun", "decideReviewItem", "updateStage", "signOffStage"]));
  });

  const cases = mutations.flatMap((name) => forgeries.map((forgery) => ({ name, ...forgery })));

  it.each(cases)("$name, from $label: 403 and nothing changes", async ({ name, headers, body }) => {
    const before = await storedCounts();
    const method = endpoints[name].method.toUpperCase() as "POST" | "PUT" | "PATCH";
    const response = await api().raw(method, pathOf(name), { body, headers: { ...sessionCookie, ...headers } });
    expect(response.status, JSON.stringify(response.body)).toBe(403);
    expect(response.body).toMatchObject({ error: { code: "forbidden", message: expect.stringMatching(/Authorization: Bearer/) } });
    expect(await storedCounts()).toEqual(before);
  });

  it("acts on the session for the app's own pages", async () => {
    const json = { "content-type": "application/json" };
    const sameOrigin = await api().raw("POST", "/projects", {
      body: '{"name":"From our page"}',
      headers: { ...sessionCookie, ...json, "sec-fetch-site": "same-origin", origin: "http://localhost" },
    });
    expect(sameOrigin.status, JSON.stringify(sameOrigin.body)).toBe(201);

    const olderBrowser = await api().raw("POST", "/projects", { body: '{"name":"Origin only"}', headers: { ...sessionCookie, ...json, origin: "http://localhost" } });
    expect(olderBrowser.status, JSON.stringify(olderBrowser.body)).toBe(201);

    // Behind a proxy that terminates TLS the request URL says http: and the forwarded headers say what the browser used.
    const behindProxy = await api().raw("POST", "/projects", {
      body: '{"name":"Behind TLS"}',
      headers: { ...sessionCookie, ...json, origin: "https://countersign.example", "x-forwarded-proto": "https", "x-forwarded-host": "countersign.example" },
    });
    expect(behindProxy.status, JSON.stringify(behindProxy.body)).toBe(201);

    const typedAddress = await api().raw("GET", "/projects", { headers: { ...sessionCookie, "sec-fetch-site": "none" } });
    expect(typedAddress.status).toBe(200);
    const scriptRead = await api().raw("GET", "/projects", { headers: sessionCookie });
    expect(scriptRead.status).toBe(200);
  });

  it("refuses reads another site makes with the session", async () => {
    const response = await api().raw("GET", `/projects/${projectId}/stages`, { headers: { ...sessionCookie, "sec-fetch-site": "cross-site" } });
    expect(response.status).toBe(403);
  });

  it("leaves Bearer tokens and requests without a session as they were", async () => {
    const forged = forgeries[0].headers;
    const withToken = await api(admin.token).raw("POST", "/projects", {
      body: '{"name":"Scripted"}',
      headers: { ...sessionCookie, ...forged, "content-type": "application/json" },
    });
    expect(withToken.status, JSON.stringify(withToken.body)).toBe(201);

    const signedIn = browser.userId;
    browser.userId = null;
    try {
      const anonymous = await api().raw("POST", `/projects/${projectId}/stages/requirements/sign-off`, { body: "", headers: forged });
      expect(anonymous.status).toBe(401);
    } finally {
      browser.userId = signedIn;
    }
  });
});
