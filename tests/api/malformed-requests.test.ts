import { beforeAll, describe, expect, it, vi } from "vitest";
import { MAX_BODY_BYTES } from "@/lib/api/schemas";
import { db } from "@/lib/db";
import { revokeToken } from "@/lib/tokens/service";
import { userActorById } from "@/lib/users/service";
import { api, makeCaller, type Caller, type RawResponse } from "./api-client";

vi.mock("next-auth", async (importOriginal) => ({ ...(await importOriginal<object>()), ...(await import("./next-auth-without-session")) }));

/** How much is stored, so a refused request can be shown to have written nothing. */
async function storedCounts() {
  const [auditEvents, projects, sources, runs, stageReviewers] = await Promise.all([
    db().auditEvent.count(),
    db().project.count(),
    db().source.count(),
    db().run.count(),
    db().stageReviewer.count(),
  ]);
  return { auditEvents, projects, sources, runs, stageReviewers };
}

const json = { "content-type": "application/json" };

describe("requests the API refuses", () => {
  let admin: Caller;
  let member: Caller;
  let projectId: string;

  beforeAll(async () => {
    admin = await makeCaller("admin@malformed.test", "admin");
    member = await makeCaller("member@malformed.test");
    projectId = (await api(admin.token).ok("createProject", { json: { name: "Clinic booking" } })).id;
  });

  describe("authentication", () => {
    it("answers 401 without a token, with an unknown token, another scheme, or a revoked token", async () => {
      const cases: [string, Record<string, string>, RegExp][] = [
        ["no header", {}, /Sign in or send a valid API token/],
        ["unknown token", { authorization: "Bearer cs_not-a-real-token" }, /unknown or revoked/],
        ["foreign token", { authorization: "Bearer eyJhbGciOiJIUzI1NiJ9.e30.x" }, /unknown or revoked/],
        ["basic auth", { authorization: "Basic YWRtaW46YWRtaW4=" }, /Authorization: Bearer <token>/],
        ["scheme only", { authorization: "Bearer" }, /Authorization: Bearer <token>/],
      ];
      for (const [label, headers, message] of cases) {
        const response = await api().raw("GET", "/projects", { headers });
        expect(response.status, label).toBe(401);
        expect(response.body, label).toMatchObject({ error: { code: "unauthorized", message: expect.stringMatching(message) } });
      }

      const revoked = await makeCaller("revoked@malformed.test");
      const actor = (await userActorById((await db().user.findUniqueOrThrow({ where: { email: revoked.email } })).id))!;
      const [token] = await db().apiToken.findMany({ where: { userId: actor.userId } });
      await revokeToken(actor, token.id);
      expect((await api(revoked.token).call("listProjects")).status).toBe(401);
    });

    it("checks the token before reading the body", async () => {
      const response = await api().raw("POST", "/projects", { body: "{not json", headers: json });
      expect(response.status).toBe(401);
    });
  });

  describe("bodies", () => {
    it("answers 400 for malformed JSON, naming the problem", async () => {
      const response = await api(admin.token).raw("POST", "/projects", { body: '{"name": "Clinic",', headers: json });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: { code: "bad_request", message: expect.stringMatching(/^The body is not valid JSON: /) } });
    });

    it("answers 400 for a body that is not sent as JSON", async () => {
      for (const contentType of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonp"]) {
        const response = await api(admin.token).raw("POST", "/projects", { body: '{"name":"Clinic"}', headers: { "content-type": contentType } });
        expect(response.status, contentType).toBe(400);
        expect(response.body, contentType).toMatchObject({ error: { message: expect.stringMatching(/Content-Type: application\/json/) } });
      }
      const withCharset = await api(admin.token).raw("POST", "/projects", {
        body: '{"name":"Clinic"}',
        headers: { "content-type": "application/json; charset=utf-8" },
      });
      expect(withCharset.status).toBe(201);
    });

    it("answers 400 for a body over the size limit, declared or not", async () => {
      const huge = JSON.stringify({ name: "Clinic", brief: "x".repeat(MAX_BODY_BYTES) });
      const streamed = await api(admin.token).raw("POST", "/projects", { body: huge, headers: json });
      expect(streamed.status).toBe(400);
      expect(streamed.body).toMatchObject({ error: { message: "The body is larger than 1 MB." } });
      const declared = await api(admin.token).raw("POST", "/projects", {
        body: '{"name":"Clinic"}',
        headers: { ...json, "content-length": String(MAX_BODY_BYTES + 1) },
      });
      expect(declared.status).toBe(400);
    });

    it("answers 422 with a path per invalid field", async () => {
      const project = await api(admin.token).fails("createProject", { json: { name: "   ", brief: 7 } }, 422);
      expect(project.code).toBe("invalid");
      expect(project.details).toEqual([
        { path: "name", message: "enter a project name" },
        { path: "brief", message: expect.stringMatching(/expected string/) },
      ]);

      const source = await api(admin.token).fails("addSource", { params: { id: projectId }, json: { title: "", kind: "poem", text: " " } }, 422);
      expect((source.details as { path: string }[]).map((d) => d.path)).toEqual(["title", "kind", "text"]);

      const assignment = await api(admin.token).fails("updateStage", { params: { id: projectId, key: "requirements" }, json: {} }, 422);
      expect(assignment.details).toEqual([{ path: "(root)", message: "send ownerEmail, reviewerEmails or an SLA setting (slaMinutes, slaBusinessHours, fallbackOwnerEmail)" }]);

      const decision = await api(admin.token).fails("decideReviewItem", { params: { id: "anything" }, json: { action: "reject", version: 1 } }, 422);
      expect(decision.details).toEqual([{ path: "comment", message: expect.stringMatching(/say why you reject it/) }]);
    });

    it("accepts unusual but valid Unicode and stores it exactly", async () => {
      const name = "Klinik 😀 ‮עברית‬ e\u0301 \u200b 漢字";
      const created = await api(admin.token).ok("createProject", { json: { name } });
      expect(created.name).toBe(name);
    });
  });

  describe("paths", () => {
    it("answers JSON 404 for unknown paths, with any method", async () => {
      for (const [method, path] of [
        ["GET", "/nothing-here"],
        ["POST", "/projects/x/unknown"],
        ["PATCH", "/runs/x/steps"],
      ] as const) {
        const response = await api(admin.token).raw(method, path);
        expect(response.status, `${method} ${path}`).toBe(404);
        expect(response.body).toMatchObject({ error: { code: "not_found", message: expect.stringContaining(path) } });
      }
    });

    it("answers JSON 405 with Allow for a known path and the wrong method", async () => {
      const response = await api(admin.token).raw("DELETE", "/projects");
      expect(response.status).toBe(405);
      expect(response.body).toMatchObject({ error: { code: "method_not_allowed", message: expect.stringMatching(/answers GET.*POST/) } });
    });

    it("answers 404 for an unknown stage key, naming the stages there are", async () => {
      const response = await api(admin.token).call("updateStage", { params: { id: projectId, key: "qa" }, json: { reviewerEmails: [] } });
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ error: { message: expect.stringMatching(/key: .*"requirements"/) } });
    });

    it("answers 404 for unknown ids", async () => {
      const asAdmin = api(admin.token);
      await asAdmin.fails("getRun", { params: { id: "no-such-run" } }, 404);
      await asAdmin.fails("decideReviewItem", { params: { id: "no-such-item" }, json: { action: "approve", version: 1 } }, 404);
      await asAdmin.fails("listStages", { params: { id: "no-such-project" } }, 404);
      await asAdmin.fails("updateStage", { params: { id: "no-such-project", key: "requirements" }, json: { reviewerEmails: [] } }, 404);
      await asAdmin.fails("startRun", { params: { id: "no-such-project" }, json: { stage: "requirements" } }, 404);
    });

    it("answers 403, not 404, to a member asking about a project they are not on", async () => {
      const error = await api(member.token).fails("listStages", { params: { id: projectId } }, 403);
      expect(error.message).toBe("You are not a member of this project.");
    });
  });

  describe("a table of malformed requests", () => {
    const longString = "x".repeat(300_000);
    type Case = { label: string; send: () => Promise<RawResponse> };
    const asAdmin = () => api(admin.token);
    const asMember = () => api(member.token);
    const post = (path: string, body: string) => asAdmin().raw("POST", path, { body, headers: json });
    const put = (path: string, body: string) => asAdmin().raw("PUT", path, { body, headers: json });
    const get = (path: string) => asAdmin().raw("GET", path);
    const project = () => `/projects/${projectId}`;

    const cases: Case[] = [
      { label: "project: null body", send: () => post("/projects", "null") },
      { label: "project: array body", send: () => post("/projects", '[{"name":"a"}]') },
      { label: "project: string body", send: () => post("/projects", '"Clinic"') },
      { label: "project: number body", send: () => post("/projects", "42") },
      { label: "project: empty body", send: () => post("/projects", "") },
      { label: "project: name is a number", send: () => post("/projects", '{"name":123}') },
      { label: "project: name is an array", send: () => post("/projects", '{"name":["a"]}') },
      { label: "project: name is null", send: () => post("/projects", '{"name":null}') },
      { label: "project: name is an object", send: () => post("/projects", '{"name":{"toString":"x"}}') },
      { label: "project: very long name", send: () => post("/projects", JSON.stringify({ name: longString })) },
      { label: "project: __proto__ smuggling", send: () => post("/projects", '{"__proto__":{"name":"x"}}') },
      { label: "project: NUL in name", send: () => post("/projects", '{"name":"Clinic\\u0000"}') },
      { label: "project: unpaired surrogate", send: () => post("/projects", '{"name":"Clinic \\ud800"}') },
      { label: "project: invalid UTF-8", send: () => asAdmin().raw("POST", "/projects", { body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), headers: json }) },
      { label: "project: deeply nested", send: () => post("/projects", `{"name":${"[".repeat(50_000)}${"]".repeat(50_000)}}`) },
      { label: "source: text over the limit", send: () => post(`${project()}/sources`, JSON.stringify({ title: "t", text: "x".repeat(200_001) })) },
      { label: "source: text is a number", send: () => post(`${project()}/sources`, '{"title":"t","text":5}') },
      { label: "source: unknown kind", send: () => post(`${project()}/sources`, '{"title":"t","kind":"poem","text":"x"}') },
      { label: "source: unknown project", send: () => post("/projects/nope/sources", '{"title":"t","text":"Members must renew online."}') },
      { label: "source: member not on the project", send: () => asMember().raw("POST", `${project()}/sources`, { body: '{"title":"t","text":"x"}', headers: json }) },
      { label: "run: unknown stage", send: () => post(`${project()}/runs`, '{"stage":"qa"}') },
      { label: "run: stage is an array", send: () => post(`${project()}/runs`, '{"stage":["requirements"]}') },
      { label: "run: no sources yet", send: () => post(`${project()}/runs`, '{"stage":"requirements"}') },
      { label: "run: locked stage", send: () => post(`${project()}/runs`, '{"stage":"design"}') },
      { label: "run: null body", send: () => post(`${project()}/runs`, "null") },
      { label: "decision: unknown action", send: () => post("/review-items/x/decision", '{"action":"maybe","version":1}') },
      { label: "decision: version is a string", send: () => post("/review-items/x/decision", '{"action":"approve","version":"1"}') },
      { label: "decision: version is huge", send: () => post("/review-items/x/decision", '{"action":"approve","version":1e300}') },
      { label: "decision: content is an array", send: () => post("/review-items/x/decision", '{"action":"edit","version":1,"content":[1]}') },
      { label: "decision: unknown item", send: () => post("/review-items/x/decision", '{"action":"approve","version":1}') },
      { label: "claim: assignTo is a number", send: () => post("/review-items/x/claim", '{"assignTo":7}') },
      { label: "claim: unknown item", send: () => post("/review-items/x/claim", "{}") },
      { label: "adjudication: unknown action", send: () => post("/review-items/x/adjudication", '{"action":"maybe","comment":"why"}') },
      { label: "undo: unknown item", send: () => post("/review-items/x/undo", "") },
      { label: "bulk: items is a string", send: () => post("/review-items/bulk-decision", '{"action":"approve","items":"x"}') },
      { label: "bulk: version is a string", send: () => post("/review-items/bulk-decision", '{"action":"approve","items":[{"id":"x","version":"1"}]}') },
      { label: "stage: owner is not an email", send: () => put(`${project()}/stages/requirements`, '{"ownerEmail":"not-an-email"}') },
      { label: "stage: reviewers is a string", send: () => put(`${project()}/stages/requirements`, '{"reviewerEmails":"a@b.test"}') },
      { label: "stage: too many reviewers", send: () => put(`${project()}/stages/requirements`, JSON.stringify({ reviewerEmails: Array.from({ length: 51 }, (_, i) => `r${i}@b.test`) })) },
      { label: "stage: unknown user", send: () => put(`${project()}/stages/requirements`, '{"ownerEmail":"nobody@malformed.test"}') },
      { label: "stage: member assigns owner", send: () => asMember().raw("PUT", `${project()}/stages/requirements`, { body: `{"ownerEmail":"${member.email}"}`, headers: json }) },
      { label: "sign-off: comment is a number", send: () => post(`${project()}/stages/requirements/sign-off`, '{"comment":5}') },
      { label: "sign-off: comment too long", send: () => post(`${project()}/stages/requirements/sign-off`, JSON.stringify({ comment: "x".repeat(3000) })) },
      { label: "sign-off: admin who is not the owner", send: () => post(`${project()}/stages/requirements/sign-off`, "") },
      { label: "sign-off: unknown stage", send: () => post(`${project()}/stages/qa/sign-off`, "{}") },
      { label: "queue: limit 0", send: () => get("/review-items?limit=0") },
      { label: "queue: limit 101", send: () => get("/review-items?limit=101") },
      { label: "queue: limit not a number", send: () => get("/review-items?limit=ten") },
      { label: "queue: limit fractional", send: () => get("/review-items?limit=1.5") },
      { label: "queue: limit repeated", send: () => get("/review-items?limit=1&limit=2") },
      { label: "queue: unknown status", send: () => get("/review-items?status=open") },
      { label: "queue: unknown stage", send: () => get("/review-items?stage=qa") },
      { label: "queue: NUL in projectId", send: () => get("/review-items?projectId=%00") },
      { label: "queue: member asks for another project", send: () => asMember().raw("GET", `/review-items?projectId=${projectId}`) },
      { label: "audit: cursor not a number", send: () => get(`/audit?projectId=${projectId}&cursor=abc`) },
      { label: "audit: negative cursor", send: () => get(`/audit?projectId=${projectId}&cursor=-1`) },
      { label: "audit: cursor beyond integers", send: () => get(`/audit?projectId=${projectId}&cursor=99999999999999999999`) },
      { label: "audit: limit 201", send: () => get(`/audit?projectId=${projectId}&limit=201`) },
      { label: "audit: member reads every project", send: () => asMember().raw("GET", "/audit") },
      { label: "artifacts: unknown kind", send: () => get(`${project()}/artifacts?kind=poem`) },
      { label: "artifacts: unknown status", send: () => get(`${project()}/artifacts?status=done`) },
      { label: "path: NUL in project id", send: () => get("/projects/%00/stages") },
      { label: "path: very long run id", send: () => get(`/runs/${"r".repeat(5000)}`) },
      { label: "path: unicode garbage", send: () => get(`/projects/${encodeURIComponent("\u202e😀\ufffd")}/stages`) },
    ];

    it.each(cases)("$label: 4xx, never 500, and nothing written", async ({ send }) => {
      const before = await storedCounts();
      const { status, body } = await send();
      expect(status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(status, JSON.stringify(body)).toBeLessThan(500);
      expect(await storedCounts()).toEqual(before);
    });
  });

  it("refuses a review cursor it never gave out", async () => {
    const error = await api(admin.token).fails("listReviewItems", { query: { cursor: "no-such-item" } }, 422);
    expect(error.message).toMatch(/cursor/);
  });
});
