import { describe, expect, it, vi } from "vitest";
import { signInAction } from "@/app/(auth)/login/actions";
import { currentActor, signIn, signOut } from "@/lib/auth";
import { db } from "@/lib/db";
import { createTokenForEmail } from "@/lib/tokens/service";
import { changeOwnPassword, deactivateUser, resetPassword } from "@/lib/users/service";
import { makeUser } from "./helpers";

/**
 * Drives the real Auth.js sign-in and sign-out as a server action would, with next/headers
 * played by a cookie jar: what a browser holding the session cookie would see.
 */
const browser = vi.hoisted(() => ({ jar: new Map<string, string>(), address: "203.0.113.50" }));
vi.mock("next/headers", () => ({
  headers: async () =>
    new Headers({
      host: "localhost:3000",
      "x-forwarded-proto": "http",
      "x-forwarded-for": browser.address,
      cookie: [...browser.jar].map(([name, value]) => `${name}=${value}`).join("; "),
    }),
  cookies: async () => ({
    get: (name: string) => (browser.jar.has(name) ? { name, value: browser.jar.get(name) } : undefined),
    set: (name: string, value: string) => (value ? browser.jar.set(name, value) : browser.jar.delete(name)),
  }),
}));

async function signInAs(email: string, password = "correct horse battery"): Promise<Map<string, string>> {
  browser.jar.clear();
  await signIn("credentials", { email, password, redirect: false });
  return new Map(browser.jar);
}

/** Auth.js throws when the credentials are refused. */
async function expectRefused(email: string, password = "correct horse battery") {
  browser.jar.clear();
  await expect(signIn("credentials", { email, password, redirect: false })).rejects.toMatchObject({ type: "CredentialsSignin" });
  expect(browser.jar.size).toBe(0);
}

/** Who the server sees for a copy of a cookie jar, e.g. one saved before signing out. */
async function actorWith(cookies: Map<string, string>) {
  browser.jar = new Map(cookies);
  return currentActor();
}

describe("sessions", () => {
  it("signs in through Auth.js and records the client address from the request", async () => {
    const user = await makeUser("browser@sessions.test");
    browser.address = "198.51.100.5";
    const cookies = await signInAs("browser@sessions.test");
    expect(await actorWith(cookies)).toMatchObject({ userId: user.userId, type: "user" });
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "auth.signed_in", subjectId: user.userId } });
    expect(event.after).toEqual({ address: "198.51.100.5" });
    browser.address = "203.0.113.50";
  });

  it("tells a throttled visitor on the sign-in page how long to wait", async () => {
    await makeUser("hammered@sessions.test");
    browser.address = "198.51.100.23";
    const attempt = (password: string) => {
      const form = new FormData();
      form.set("email", "hammered@sessions.test");
      form.set("password", password);
      return signInAction({ error: null, email: "" }, form);
    };
    expect(await attempt("wrong 1")).toEqual({ error: "Wrong email or password.", email: "hammered@sessions.test" });
    let last = await attempt("wrong 2");
    for (let n = 3; n < 10 && last.error === "Wrong email or password."; n++) last = await attempt(`wrong ${n}`);
    expect(last.error).toMatch(/^Too many failed sign-ins from here\. Wait (a minute|\d+ minutes)/);
    browser.address = "203.0.113.50";
  });

  it("refuses the session cookie after sign-out, and records the sign-out", async () => {
    const user = await makeUser("leaver@sessions.test");
    const cookies = await signInAs("leaver@sessions.test");
    const otherBrowser = await signInAs("leaver@sessions.test");
    expect(await actorWith(cookies)).toMatchObject({ userId: user.userId });

    browser.jar = new Map(cookies);
    await signOut({ redirect: false });
    // A copy of the cookie taken before signing out no longer works.
    expect(await actorWith(cookies)).toBeNull();
    // Signing out ends this browser's session only.
    expect(await actorWith(otherBrowser)).toMatchObject({ userId: user.userId });
    expect(await db().auditEvent.count({ where: { action: "auth.signed_out", subjectId: user.userId } })).toBe(1);
  });

  it("ends every session, refuses sign-in and API tokens when an admin deactivates the user", async () => {
    const admin = await makeUser("admin@sessions.test", "admin");
    const user = await makeUser("gone@sessions.test");
    const { secret } = await createTokenForEmail(admin, "gone@sessions.test");
    const cookies = await signInAs("gone@sessions.test");
    expect(await actorWith(cookies)).toMatchObject({ userId: user.userId });

    await deactivateUser(admin, user.userId);
    expect(await actorWith(cookies)).toBeNull();
    await expectRefused("gone@sessions.test");
    const { actorFromRequest } = await import("@/lib/auth");
    await expect(actorFromRequest(new Request("http://localhost/api/v1/x", { headers: { authorization: `Bearer ${secret}` } }))).rejects.toMatchObject({
      code: "unauthorized",
      message: expect.stringContaining("deactivated"),
    });
    expect(await db().auditEvent.count({ where: { action: "user.deactivated", subjectId: user.userId } })).toBe(1);
  });

  it("lets only admins deactivate, and not themselves", async () => {
    const admin = await makeUser("admin2@sessions.test", "admin");
    const member = await makeUser("member@sessions.test");
    await expect(deactivateUser(member, admin.userId)).rejects.toMatchObject({ code: "forbidden" });
    await expect(deactivateUser(admin, admin.userId)).rejects.toMatchObject({ code: "conflict" });
  });

  it("ends every session when an admin resets the password or the user changes it", async () => {
    const admin = await makeUser("admin3@sessions.test", "admin");
    const user = await makeUser("reset@sessions.test");
    const first = await signInAs("reset@sessions.test");
    await expect(resetPassword(user, user.userId, { password: "a brand new secret" })).rejects.toMatchObject({ code: "forbidden" });
    await resetPassword(admin, user.userId, { password: "a brand new secret" });
    expect(await actorWith(first)).toBeNull();
    await expectRefused("reset@sessions.test");

    const second = await signInAs("reset@sessions.test", "a brand new secret");
    expect(await actorWith(second)).toMatchObject({ userId: user.userId });
    await expect(changeOwnPassword(user, { currentPassword: "not it", newPassword: "another secret!" })).rejects.toMatchObject({ code: "invalid" });
    await changeOwnPassword(user, { currentPassword: "a brand new secret", newPassword: "another secret!" });
    expect(await actorWith(second)).toBeNull();
    expect(await db().auditEvent.count({ where: { subjectId: user.userId, action: { in: ["user.password_reset", "user.password_changed"] } } })).toBe(2);
    await expect(changeOwnPassword({ ...user, type: "token", tokenId: "t" }, { currentPassword: "another secret!", newPassword: "x".repeat(9) })).rejects.toMatchObject({
      code: "forbidden",
    });
    // Guessing the current password from a stolen session is throttled too.
    const guesses = await Promise.allSettled(
      Array.from({ length: 8 }, (_, n) => changeOwnPassword(user, { currentPassword: `guess ${n}`, newPassword: "whatever it is" })),
    );
    expect(guesses.some((guess) => guess.status === "rejected" && (guess.reason as { code?: string }).code === "too_many_requests")).toBe(true);
    const events = await db().auditEvent.findMany({ where: { subjectId: user.userId, action: { startsWith: "user.password" } } });
    expect(JSON.stringify(events)).not.toContain("argon2");
  });
});
