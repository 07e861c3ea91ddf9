import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { databaseProvider, resetEnvForTests } from "@/lib/env";
import { PG_BOSS_SCHEMA } from "@/lib/jobs/pg-boss";
import { emailDelivery } from "@/lib/notifications/email";
import { DIGEST_CRON, notificationDigest, scheduleDailyDigest } from "@/lib/notifications/digest";
import { notify } from "@/lib/notifications/notify";
import { countsVersion, liveCounts } from "@/lib/runs/events";
import { transact } from "@/lib/transaction";
import { makeUser } from "./helpers";
import { api, makeCaller, type Caller } from "./api/api-client";

/**
 * The in-app inbox, email preferences and the daily digest, with no SMTP server configured: every
 * email is kept for admins to read instead of being sent.
 */
beforeAll(() => {
  delete process.env.SMTP_URL;
  resetEnvForTests();
});

async function userId(email: string): Promise<string> {
  return (await db().user.findUniqueOrThrow({ where: { email }, select: { id: true } })).id;
}

async function notice(userIds: string[], message: string, kind = "test.notice") {
  await transact((tx) => notify(tx, { userIds, kind, message, link: "/review" }));
}

describe("notify", () => {
  it("writes one notification per distinct person and an email only for those who want it at once", async () => {
    const [immediate, daily, off] = await Promise.all([
      makeUser("immediate@notify.test"),
      makeUser("daily@notify.test"),
      makeUser("off@notify.test"),
    ]);
    await db().notificationPreference.create({ data: { userId: daily.userId, email: "daily" } });
    await db().notificationPreference.create({ data: { userId: off.userId, email: "off" } });

    await notice([immediate.userId, daily.userId, off.userId, immediate.userId], "Design reopened: REQ-3 changed.");

    for (const user of [immediate, daily, off]) {
      const rows = await db().notification.findMany({ where: { userId: user.userId } });
      expect(rows.map((row) => [row.message, row.link, row.readAt])).toEqual([["Design reopened: REQ-3 changed.", "/review", null]]);
    }
    const emails = await db().outboundEmail.findMany({ where: { to: { endsWith: "@notify.test" } } });
    expect(emails.map((email) => [email.to, email.status, email.userId])).toEqual([["immediate@notify.test", "kept", immediate.userId]]);
    expect(emails[0].subject).toBe("Countersign: Design reopened: REQ-3 changed.");
    expect(emails[0].text).toContain("/review");
    // Kept is as far as email goes without SMTP: nothing waits to be sent, and the digest will not repeat it.
    expect(await emailDelivery.drain()).toBe(0);
    expect((await db().notification.findFirstOrThrow({ where: { userId: immediate.userId } })).emailedAt).not.toBeNull();
    expect((await db().notification.findFirstOrThrow({ where: { userId: daily.userId } })).emailedAt).toBeNull();
  });

  it("writes nothing when the change it belongs to rolls back", async () => {
    const user = await makeUser("rollback@notify.test");
    await expect(
      transact(async (tx) => {
        await notify(tx, { userIds: [user.userId], kind: "test.notice", message: "Never happened." });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await db().notification.count({ where: { userId: user.userId } })).toBe(0);
    expect(await db().outboundEmail.count({ where: { userId: user.userId } })).toBe(0);
  });

  it("shortens a very long message rather than refusing the change it reports", async () => {
    const user = await makeUser("long@notify.test");
    await notice([user.userId], `${"REQ-1, ".repeat(1000)}changed.`);
    const stored = await db().notification.findFirstOrThrow({ where: { userId: user.userId } });
    expect(stored.message).toHaveLength(4000);
    expect(stored.message.endsWith("...")).toBe(true);
  });

  it("moves the live counts behind the nav badge", async () => {
    const user = await makeUser("badge@notify.test");
    const before = await liveCounts(user);
    await notice([user.userId], "Something for the badge.");
    const after = await liveCounts(user);
    expect(after.unreadNotifications).toBe(before.unreadNotifications + 1);
    expect(countsVersion(after)).not.toBe(countsVersion(before));
  });
});

describe("the daily digest", () => {
  it("gathers each daily reader's unread, un-emailed notices into one email, once", async () => {
    const reader = await makeUser("reader@digest.test");
    const immediate = await makeUser("immediate@digest.test");
    const off = await makeUser("off@digest.test");
    await db().notificationPreference.create({ data: { userId: reader.userId, email: "daily" } });
    await db().notificationPreference.create({ data: { userId: off.userId, email: "off" } });
    await notice([reader.userId, immediate.userId, off.userId], "First: REQ-1 needs a decision.");
    await notice([reader.userId], "Second: Design was reopened.");
    await notice([reader.userId], "Already read in the app.");
    await db().notification.updateMany({ where: { userId: reader.userId, message: "Already read in the app." }, data: { readAt: new Date() } });
    const digestTest = { to: { endsWith: "@digest.test" } };
    const keptBefore = await db().outboundEmail.count({ where: digestTest });

    await notificationDigest.send({});
    expect(await notificationDigest.drain()).toBe(1);

    const digests = await db().outboundEmail.findMany({ where: { to: "reader@digest.test" } });
    expect(digests).toHaveLength(1);
    expect(digests[0]).toMatchObject({ status: "kept", subject: "Countersign: 2 notifications since your last digest" });
    expect(digests[0].text.indexOf("First: REQ-1")).toBeLessThan(digests[0].text.indexOf("Second: Design"));
    expect(digests[0].text).not.toContain("Already read");
    // The immediate reader's email was made at once; the digest adds one email in all, and none for "off".
    expect(await db().outboundEmail.count({ where: digestTest })).toBe(keptBefore + 1);
    expect(await db().notification.count({ where: { userId: reader.userId, readAt: null, emailedAt: null } })).toBe(0);

    await notificationDigest.send({});
    await notificationDigest.drain();
    expect(await db().outboundEmail.count({ where: { to: "reader@digest.test" } })).toBe(1);

    await notice([reader.userId], "Third: a new day.");
    await notificationDigest.send({});
    await notificationDigest.drain();
    const latest = await db().outboundEmail.findFirstOrThrow({ where: { to: "reader@digest.test" }, orderBy: { createdAt: "desc" } });
    expect(latest.subject).toBe("Countersign: 1 notification since your last digest");
    expect(latest.text).toContain("Third: a new day.");
    expect(latest.text).not.toContain("First");
  });
});

describe("the digest's schedule", () => {
  it("is put on the jobs module's schedule once a day", async () => {
    await scheduleDailyDigest();
    await scheduleDailyDigest();
    const rows =
      databaseProvider() === "sqlite"
        ? await db().$queryRawUnsafe<{ cron: string }[]>(`SELECT "cron" FROM "job_schedule" WHERE "queue" = ?`, notificationDigest.options.name)
        : await db().$queryRawUnsafe<{ cron: string }[]>(`SELECT cron FROM ${PG_BOSS_SCHEMA}.schedule WHERE name = $1`, notificationDigest.options.name);
    expect(rows.map((row) => row.cron)).toEqual([DIGEST_CRON]);
  });
});

describe("the notifications API", () => {
  let admin: Caller;
  let alice: Caller;
  let bob: Caller;

  beforeAll(async () => {
    admin = await makeCaller("admin@inbox.test", "admin");
    alice = await makeCaller("alice@inbox.test");
    bob = await makeCaller("bob@inbox.test");
    for (const n of [1, 2, 3]) await notice([await userId(alice.email)], `Alice notice ${n}.`);
    await notice([await userId(bob.email)], "Bob's own notice.");
  });

  it("lists only the caller's notifications, newest first, with read state, unread count and pages", async () => {
    const all = await api(alice.token).ok("listNotifications");
    expect(all.items.map((item) => item.message)).toEqual(["Alice notice 3.", "Alice notice 2.", "Alice notice 1."]);
    expect(all.items.every((item) => item.read === false && item.link === "/review" && item.kind === "test.notice")).toBe(true);
    expect(all.unreadCount).toBe(3);
    expect(all.nextCursor).toBeNull();

    const first = await api(alice.token).ok("listNotifications", { query: { limit: 2 } });
    expect(first.items.map((item) => item.message)).toEqual(["Alice notice 3.", "Alice notice 2."]);
    const second = await api(alice.token).ok("listNotifications", { query: { limit: 2, cursor: first.nextCursor! } });
    expect(second.items.map((item) => item.message)).toEqual(["Alice notice 1."]);
    expect(second.nextCursor).toBeNull();

    const bobs = await api(bob.token).ok("listNotifications");
    expect(bobs.items.map((item) => item.message)).toEqual(["Bob's own notice."]);
    // Another person's notice as a cursor reveals nothing of theirs.
    const sneaky = await api(bob.token).ok("listNotifications", { query: { cursor: all.items[0].id } });
    expect(sneaky.items.map((item) => item.message)).toEqual(["Bob's own notice."]);
  });

  it("marks named notifications read, ignores other people's, and marks all", async () => {
    const before = await api(alice.token).ok("listNotifications");
    const [newest, middle] = before.items;
    const bobsId = (await api(bob.token).ok("listNotifications")).items[0].id;

    expect(await api(bob.token).ok("markNotificationsRead", { json: { ids: [newest.id] } })).toEqual({ marked: 0, unreadCount: 1 });
    expect(await api(alice.token).ok("markNotificationsRead", { json: { ids: [newest.id, bobsId] } })).toEqual({ marked: 1, unreadCount: 2 });
    expect(await api(alice.token).ok("markNotificationsRead", { json: { ids: [newest.id] } })).toEqual({ marked: 0, unreadCount: 2 });

    const unread = await api(alice.token).ok("listNotifications", { query: { unread: "true" } });
    expect(unread.items.map((item) => item.id)).toEqual([middle.id, before.items[2].id]);
    const listed = await api(alice.token).ok("listNotifications");
    expect(listed.items.find((item) => item.id === newest.id)?.read).toBe(true);

    expect(await api(alice.token).ok("markNotificationsRead", { json: { all: true } })).toEqual({ marked: 2, unreadCount: 0 });
    expect((await api(bob.token).ok("listNotifications")).unreadCount).toBe(1);
    expect((await db().notification.findUniqueOrThrow({ where: { id: bobsId } })).readAt).toBeNull();
  });

  it("refuses a mark-read request that names neither ids nor all, or a bad query, with 422", async () => {
    await api(alice.token).fails("markNotificationsRead", { json: {} }, 422);
    await api(alice.token).fails("markNotificationsRead", { json: { ids: ["x"], all: true } }, 422);
    await api(alice.token).fails("markNotificationsRead", { json: { ids: "x" } }, 422);
    await api(alice.token).fails("listNotifications", { query: { limit: 0 } }, 422);
    await api(alice.token).fails("listNotifications", { query: { unread: "maybe" } }, 422);
  });

  it("keeps each person's email preference: immediate by default, off means no email", async () => {
    expect(await api(bob.token).ok("getNotificationPreferences")).toEqual({ email: "immediate" });
    expect(await api(bob.token).ok("updateNotificationPreferences", { json: { email: "off" } })).toEqual({ email: "off" });
    expect(await api(bob.token).ok("getNotificationPreferences")).toEqual({ email: "off" });
    expect(await api(alice.token).ok("getNotificationPreferences")).toEqual({ email: "immediate" });
    await api(bob.token).fails("updateNotificationPreferences", { json: { email: "weekly" } }, 422);
    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: "notifications.preferences_changed", subjectId: await userId(bob.email) } });
    expect(audit.after).toMatchObject({ email: "off" });

    const emailsBefore = await db().outboundEmail.count({ where: { to: bob.email } });
    await notice([await userId(bob.email)], "Bob hears this only in the app.");
    expect(await db().outboundEmail.count({ where: { to: bob.email } })).toBe(emailsBefore);
    expect((await api(bob.token).ok("listNotifications")).unreadCount).toBe(2);
  });

  it("shows kept emails to admins only", async () => {
    const kept = await api(admin.token).ok("listOutboundEmails", { query: { status: "kept" } });
    expect(kept.items.length).toBeGreaterThan(0);
    expect(kept.items.every((email) => email.status === "kept")).toBe(true);
    expect(kept.items.map((email) => email.to)).toContain(alice.email);
    await api(alice.token).fails("listOutboundEmails", {}, 403);
    await api(admin.token).fails("listOutboundEmails", { query: { status: "lost" } }, 422);
  });
});
