import { describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { signInLimits } from "@/lib/throttle/sign-in";
import { authenticate } from "@/lib/users/service";
import { makeUser } from "./helpers";

// Counts real argon2 checks, to see which attempts reached the password check at all.
const argon = vi.hoisted(() => ({ verifyCalls: 0 }));
vi.mock("@node-rs/argon2", async (importOriginal) => {
  const original = await importOriginal<typeof import("@node-rs/argon2")>();
  return {
    ...original,
    verify: (...args: Parameters<typeof original.verify>) => {
      argon.verifyCalls++;
      return original.verify(...args);
    },
  };
});

const from = (address: string) => ({ address });

async function checksDuring(work: () => Promise<unknown>): Promise<number> {
  const before = argon.verifyCalls;
  await work();
  return argon.verifyCalls - before;
}

describe("signing in", () => {
  it("accepts the right password and records the sign-in with the client address", async () => {
    const user = await makeUser("ok@sign-in.test");
    const result = await authenticate({ email: "  OK@sign-in.test ", password: "correct horse battery" }, from("192.0.2.1"));
    expect(result).toMatchObject({ ok: true, actor: { userId: user.userId, email: "ok@sign-in.test" } });
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "auth.signed_in", subjectId: user.userId } });
    expect(event.after).toEqual({ address: "192.0.2.1" });
  });

  it("refuses wrong passwords, unknown emails and malformed input alike", async () => {
    await makeUser("wrong@sign-in.test");
    const client = from("192.0.2.2");
    expect(await authenticate({ email: "wrong@sign-in.test", password: "nope" }, client)).toEqual({ ok: false, reason: "invalid" });
    expect(await authenticate({ email: "nobody@sign-in.test", password: "nope" }, client)).toEqual({ ok: false, reason: "invalid" });
    expect(await authenticate({ email: ["x"], password: 42 }, client)).toEqual({ ok: false, reason: "invalid" });
    expect(await authenticate(null, client)).toEqual({ ok: false, reason: "invalid" });
    expect(await db().auditEvent.count({ where: { action: "auth.sign_in_failed", subjectId: "nobody@sign-in.test" } })).toBe(1);
  });

  it("checks an unknown email against a dummy hash, so it costs what a wrong password costs", async () => {
    await makeUser("known@sign-in.test");
    const client = from("192.0.2.3");
    expect(await checksDuring(() => authenticate({ email: "known@sign-in.test", password: "wrong one" }, client))).toBe(1);
    expect(await checksDuring(() => authenticate({ email: "unknown@sign-in.test", password: "wrong one" }, client))).toBe(1);
  });

  it("backs off one address guessing one account, but a stranger cannot lock out its owner", async () => {
    await makeUser("admin@sign-in.test", "admin");
    const stranger = from("198.51.100.66");
    const results = [];
    for (let attempt = 0; attempt < 12; attempt++) {
      results.push(await authenticate({ email: "admin@sign-in.test", password: `guess ${attempt}` }, stranger));
    }
    const free = signInLimits.pair.freeFailures;
    expect(results.slice(0, free).every((result) => !result.ok && result.reason === "invalid")).toBe(true);
    // After the free failures the pair waits: the very next attempt comes too soon.
    expect(results[free]).toMatchObject({ ok: false, reason: "throttled" });
    expect(results.slice(free).every((result) => !result.ok && result.reason === "throttled")).toBe(true);
    // Even the right password from the stranger's address waits out the back-off.
    expect(await authenticate({ email: "admin@sign-in.test", password: "correct horse battery" }, stranger)).toMatchObject({ reason: "throttled" });
    // The owner, elsewhere, signs in as usual.
    expect(await authenticate({ email: "admin@sign-in.test", password: "correct horse battery" }, from("203.0.113.10"))).toMatchObject({ ok: true });
  });

  it("lets a typo-prone owner in after a few failures, and forgets them on success", async () => {
    await makeUser("typo@sign-in.test");
    const home = from("203.0.113.20");
    for (let attempt = 0; attempt < signInLimits.pair.freeFailures - 1; attempt++) {
      expect(await authenticate({ email: "typo@sign-in.test", password: `typo ${attempt}` }, home)).toMatchObject({ reason: "invalid" });
    }
    expect(await authenticate({ email: "typo@sign-in.test", password: "correct horse battery" }, home)).toMatchObject({ ok: true });
    expect(await authenticate({ email: "typo@sign-in.test", password: "typo again" }, home)).toMatchObject({ reason: "invalid" });
    expect(await db().throttleCounter.findUnique({ where: { key: "sign-in:pair:203.0.113.20|typo@sign-in.test" } })).toMatchObject({ count: 1 });
  });

  it("caps the attempts one address makes across many emails", async () => {
    const sprayer = from("198.51.100.77");
    const attempts = 30;
    const checks = await checksDuring(async () => {
      for (let n = 0; n < attempts; n++) await authenticate({ email: `victim${n}@sign-in.test`, password: "Summer2026!" }, sprayer);
    });
    expect(checks).toBe(signInLimits.maxAttemptsPerAddress);
    expect(await authenticate({ email: "victim99@sign-in.test", password: "Summer2026!" }, sprayer)).toMatchObject({ reason: "throttled" });
    // Other addresses are not affected.
    await makeUser("elsewhere@sign-in.test");
    expect(await authenticate({ email: "elsewhere@sign-in.test", password: "correct horse battery" }, from("203.0.113.30"))).toMatchObject({ ok: true });
  });

  it("counts parallel attempts atomically: a burst of wrong passwords gets no more checks than the free failures", async () => {
    await makeUser("burst@sign-in.test");
    const burst = from("198.51.100.88");
    const checks = await checksDuring(() =>
      Promise.all(Array.from({ length: 30 }, (_, n) => authenticate({ email: "burst@sign-in.test", password: `parallel ${n}` }, burst))),
    );
    expect(checks).toBeGreaterThanOrEqual(1);
    expect(checks).toBeLessThanOrEqual(signInLimits.pair.freeFailures);
  });

  it("gives successful sign-ins back to the address, so a shared office is not capped by its own users", async () => {
    const office = from("203.0.113.40");
    for (let n = 0; n < signInLimits.maxAttemptsPerAddress + 5; n++) {
      await makeUser(`staff${n}@sign-in.test`);
      expect(await authenticate({ email: `staff${n}@sign-in.test`, password: "correct horse battery" }, office)).toMatchObject({ ok: true });
    }
  });
});
