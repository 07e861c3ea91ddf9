import { NextRequest } from "next/server";
import { afterEach, describe, expect, it } from "vitest";
import * as health from "@/app/api/health/route";
import * as ready from "@/app/api/ready/route";
import { register } from "@/instrumentation";
import { db } from "@/lib/db";
import { resetEnvForTests } from "@/lib/env";
import { recordStartup, type Readiness } from "@/lib/ops/readiness";
import { startWorker } from "@/lib/pipeline/worker";
import { proxy } from "@/proxy";

/**
 * /api/health answers as long as the process does; /api/ready only once the server can work:
 * start-up done, database answering, every migration applied, the worker running if it should.
 */
async function readiness(): Promise<{ status: number; body: Readiness }> {
  const response = await ready.GET();
  return { status: response.status, body: (await response.json()) as Readiness };
}

function setWorker(value: "0" | "1"): void {
  process.env.WORKER = value;
  resetEnvForTests();
}

afterEach(async () => {
  await startWorker().stop();
  setWorker("0");
});

describe("liveness and readiness", () => {
  it("reports live at once, and ready only once start-up has finished", async () => {
    setWorker("0");
    const live = health.GET();
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: "ok" });

    recordStartup({ state: "pending" });
    const before = await readiness();
    expect(before.status).toBe(503);
    expect(before.body).toMatchObject({ status: "not_ready", checks: { startup: { ok: false }, database: { ok: true }, migrations: { ok: true } } });

    recordStartup({ state: "done" });
    expect(await readiness()).toMatchObject({ status: 200, body: { status: "ready" } });
  });

  it("is not ready while a committed migration is not applied", async () => {
    setWorker("0");
    recordStartup({ state: "done" });
    const [last] = await db().$queryRawUnsafe<{ name: string; checksum: string }[]>(
      `SELECT name, checksum FROM "_countersign_migrations" ORDER BY name DESC LIMIT 1`,
    );
    await db().$executeRawUnsafe(`DELETE FROM "_countersign_migrations" WHERE name = '${last.name}'`);
    try {
      const { status, body } = await readiness();
      expect(status).toBe(503);
      expect(body.checks.migrations).toEqual({ ok: false, detail: `not applied: ${last.name}` });
    } finally {
      await db().$executeRawUnsafe(
        `INSERT INTO "_countersign_migrations" (name, checksum, applied_at) VALUES ('${last.name}', '${last.checksum}', '${new Date().toISOString()}')`,
      );
    }
    expect((await readiness()).status).toBe(200);
  });

  it("is not ready with WORKER=1 until the run worker runs", async () => {
    setWorker("1");
    recordStartup({ state: "done" });
    const without = await readiness();
    expect(without.status).toBe(503);
    expect(without.body.checks.worker).toMatchObject({ ok: false });
    await startWorker({ pollMs: 50 }).ready;
    expect((await readiness()).status).toBe(200);
  });

  it("becomes ready through the server's own start-up hook", async () => {
    setWorker("1");
    recordStartup({ state: "pending" });
    process.env.NEXT_RUNTIME = "nodejs";
    await register();
    expect(await readiness()).toMatchObject({ status: 200, body: { status: "ready", checks: { worker: { ok: true, detail: "running" } } } });
  });

  it("needs no session: the proxy lets both probes through", () => {
    for (const path of ["/api/health", "/api/ready"]) {
      const response = proxy(new NextRequest(`http://localhost${path}`));
      expect(response.headers.get("location")).toBeNull();
      expect(response.headers.get("x-middleware-next")).toBe("1");
    }
  });
});
