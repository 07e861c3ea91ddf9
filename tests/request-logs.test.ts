import { Writable } from "node:stream";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import * as projectsRoute from "@/app/api/v1/projects/route";
import { createLogger, log } from "@/lib/log";
import { makeCaller, type Caller } from "./api/api-client";
import { linesPrintedBy } from "./support/printed-lines";

vi.mock("next-auth", async (importOriginal) => ({ ...(await importOriginal<object>()), ...(await import("./api/next-auth-without-session")) }));

describe("structured request logs", () => {
  let caller: Caller;
  const level = log().level;

  beforeAll(async () => {
    caller = await makeCaller("logs@logs.test");
  });
  beforeEach(() => void (log().level = "info"));
  afterEach(() => void (log().level = level));

  const listProjects = (headers: Record<string, string>) => projectsRoute.GET(new Request("http://localhost/api/v1/projects", { headers }), { params: Promise.resolve({}) });

  it("logs one JSON line per request with its id, echoed to the caller, and never the token", async () => {
    let response: Response | undefined;
    const { lines } = await linesPrintedBy(async () => {
      response = await listProjects({ authorization: `Bearer ${caller.token}`, cookie: "authjs.session-token=secret-cookie", "x-request-id": "trace-1234abcd" });
    });
    expect(response!.status).toBe(200);
    expect(response!.headers.get("x-request-id")).toBe("trace-1234abcd");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: "info", msg: "request", requestId: "trace-1234abcd", method: "GET", path: "/api/v1/projects", status: 200 });
    expect(lines[0].userId).toEqual(expect.any(String));
    expect(lines[0].durationMs).toEqual(expect.any(Number));
    const printed = JSON.stringify(lines);
    expect(printed).not.toContain(caller.token);
    expect(printed).not.toContain("secret-cookie");
  });

  it("gives a request without a usable id a new one", async () => {
    for (const given of [undefined, "short", "has spaces in it", "x".repeat(200)]) {
      let response: Response | undefined;
      const {
        lines: [line],
      } = await linesPrintedBy(async () => {
        response = await listProjects({ authorization: "Bearer cs_wrong-token-wrong-token", ...(given ? { "x-request-id": given } : {}) });
      });
      const id = response!.headers.get("x-request-id");
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(line).toMatchObject({ requestId: id, status: 401 });
      expect(JSON.stringify(line)).not.toContain("cs_wrong-token");
    }
  });

  it("masks secrets under sensitive keys and in free text", () => {
    const printed: string[] = [];
    const logger = createLogger({
      level: "info",
      destination: new Writable({
        write(chunk: Buffer, _encoding, done) {
          printed.push(chunk.toString());
          done();
        },
      }),
    });
    logger.info(
      { headers: { authorization: "Bearer cs_abcdefghijkl", cookie: "a=b", "set-cookie": "c=d" }, user: { password: "hunter22" }, apiKey: "sk-live-123456789", runId: "run_1" },
      "called the provider with Bearer sk-proj-abcdefghijk",
    );
    logger.error({ err: new Error("401 from provider: invalid key sk-ant-abcdefghijklmnop") }, "model call failed");
    const [first, second] = printed.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(first).toMatchObject({
      headers: { authorization: "[redacted]", cookie: "[redacted]", "set-cookie": "[redacted]" },
      user: { password: "[redacted]" },
      apiKey: "[redacted]",
      runId: "run_1",
      msg: "called the provider with Bearer [redacted]",
    });
    expect((second.err as { message: string }).message).toBe("401 from provider: invalid key [redacted]");
    expect(printed.join("")).not.toMatch(/abcdefghijk|hunter22|123456789|a=b/);
  });
});
