import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { authenticate, MAX_FAILED_SIGN_INS } from "@/lib/users/service";
import { makeUser } from "./helpers";

describe("signing in", () => {
  it("accepts the right password and records the sign-in", async () => {
    const user = await makeUser("ok@sign-in.test");
    const result = await authenticate({ email: "  OK@sign-in.test ", password: "correct horse battery" });
    expect(result).toMatchObject({ ok: true, actor: { userId: user.userId, email: "ok@sign-in.test" } });
    expect(await db().auditEvent.count({ where: { action: "auth.signed_in", subjectId: user.userId } })).toBe(1);
  });

  it("refuses wrong passwords, unknown emails and malformed input alike", async () => {
    await makeUser("wrong@sign-in.test");
    expect(await authenticate({ email: "wrong@sign-in.test", password: "nope" })).toEqual({ ok: false, reason: "invalid" });
    expect(await authenticate({ email: "nobody@sign-in.test", password: "nope" })).toEqual({ ok: false, reason: "invalid" });
    expect(await authenticate({ email: ["x"], password: 42 })).toEqual({ ok: false, reason: "invalid" });
    expect(await authenticate(null)).toEqual({ ok: false, reason: "invalid" });
  });

  it("locks an email after repeated failures, even for the right password", async () => {
    await makeUser("guessed@sign-in.test");
    for (let attempt = 0; attempt < MAX_FAILED_SIGN_INS; attempt++) {
      expect(await authenticate({ email: "guessed@sign-in.test", password: `guess ${attempt}` })).toMatchObject({ reason: "invalid" });
    }
    expect(await authenticate({ email: "guessed@sign-in.test", password: "correct horse battery" })).toEqual({ ok: false, reason: "throttled" });
    // Other accounts are not affected.
    await makeUser("other@sign-in.test");
    expect(await authenticate({ email: "other@sign-in.test", password: "correct horse battery" })).toMatchObject({ ok: true });
  });
});
