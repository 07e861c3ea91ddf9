import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { databaseProvider, resetEnvForTests } from "@/lib/env";
import { PG_BOSS_SCHEMA } from "@/lib/jobs/pg-boss";
import { emailDelivery } from "@/lib/notifications/email";
import { notificationDigest } from "@/lib/notifications/digest";
import { notify } from "@/lib/notifications/notify";
import { transact } from "@/lib/transaction";
import { makeUser } from "./helpers";

/**
 * Email over real SMTP: an in-process SMTP server (smtp-server) that checks the credentials in
 * SMTP_URL, records what it receives and can be told to refuse, so delivery, retries after a
 * refusal and the final failure are exercised end to end through the jobs module.
 */
type Received = { from: string; to: string[]; raw: string };

/** The message as its reader sees it: quoted-printable soft line breaks and escapes undone. */
function decoded(message: Received): string {
  return message.raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
const received: Received[] = [];
let refusals = 0;

const server = new SMTPServer({
  authOptional: false,
  allowInsecureAuth: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  onAuth(auth, _session, callback) {
    if (auth.username === "mailer" && auth.password === "s3cret") callback(null, { user: auth.username });
    else callback(new Error("Invalid username or password"));
  },
  onRcptTo(_address, _session, callback) {
    if (refusals > 0) {
      refusals -= 1;
      callback(Object.assign(new Error("Mailbox busy, try again later"), { responseCode: 451 }));
      return;
    }
    callback();
  },
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => {
      received.push({
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
        to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
        raw: Buffer.concat(chunks).toString("utf8"),
      });
      callback();
    });
  },
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  process.env.SMTP_URL = `smtp://mailer:s3cret@127.0.0.1:${port}`;
  process.env.MAIL_FROM = "Countersign <review@countersign.test>";
  process.env.PUBLIC_URL = "https://countersign.example.com";
  resetEnvForTests();
});

afterAll(async () => {
  delete process.env.SMTP_URL;
  delete process.env.MAIL_FROM;
  delete process.env.PUBLIC_URL;
  resetEnvForTests();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  received.length = 0;
  refusals = 0;
});

/** Lets the retry delay of every waiting email job pass. */
async function makeRetriesDue(): Promise<void> {
  if (databaseProvider() === "sqlite") {
    await db().$executeRawUnsafe(`UPDATE "job" SET "startAfter" = 0 WHERE "queue" = ? AND "state" = 'retry'`, emailDelivery.options.name);
  } else {
    await db().$executeRawUnsafe(
      `UPDATE ${PG_BOSS_SCHEMA}.job SET start_after = now() - interval '1 second' WHERE name = $1 AND state = 'retry'`,
      emailDelivery.options.name,
    );
  }
}

async function emailOf(to: string) {
  return db().outboundEmail.findFirstOrThrow({ where: { to }, orderBy: { createdAt: "desc" } });
}

describe("email over SMTP", () => {
  it("queues the email with the notice and delivers it through the job, signed in with SMTP_URL's credentials", async () => {
    const user = await makeUser("ada@smtp.test");
    await transact((tx) => notify(tx, { userIds: [user.userId], kind: "stage.reopened", message: "Design reopened: REQ-2 changed.", link: "/projects/p/stages/design" }));
    const queued = await emailOf("ada@smtp.test");
    expect(queued).toMatchObject({ status: "queued", attempts: 0, sentAt: null });
    expect(received).toHaveLength(0);

    expect(await emailDelivery.drain()).toBe(1);

    expect(received).toHaveLength(1);
    expect(received[0].from).toBe("review@countersign.test");
    expect(received[0].to).toEqual(["ada@smtp.test"]);
    expect(received[0].raw).toContain("Subject: Countersign: Design reopened: REQ-2 changed.");
    // A mail client has no page to resolve an app path against: the link is absolute on PUBLIC_URL.
    expect(decoded(received[0])).toContain("Open in Countersign: https://countersign.example.com/projects/p/stages/design");
    const sent = await emailOf("ada@smtp.test");
    expect(sent).toMatchObject({ status: "sent", attempts: 1, error: null });
    expect(sent.sentAt).not.toBeNull();
    expect((await db().notification.findFirstOrThrow({ where: { userId: user.userId } })).emailedAt).not.toBeNull();
    expect(await emailDelivery.drain()).toBe(0);
  });

  it("sends no job when the change rolls back", async () => {
    const user = await makeUser("rollback@smtp.test");
    await expect(
      transact(async (tx) => {
        await notify(tx, { userIds: [user.userId], kind: "test.notice", message: "Never happened." });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await db().outboundEmail.count({ where: { to: "rollback@smtp.test" } })).toBe(0);
    expect(await emailDelivery.drain()).toBe(0);
    expect(received).toHaveLength(0);
  });

  it("retries after the server refuses, and records the refusal until it goes through", async () => {
    const user = await makeUser("grace@smtp.test");
    refusals = 1;
    await transact((tx) => notify(tx, { userIds: [user.userId], kind: "test.notice", message: "Refused once." }));

    expect(await emailDelivery.drain()).toBe(1);
    const refused = await emailOf("grace@smtp.test");
    expect(refused).toMatchObject({ status: "queued", attempts: 1 });
    expect(refused.error).toContain("451");
    expect(received).toHaveLength(0);
    // The retry waits its backoff: nothing is due yet.
    expect(await emailDelivery.drain()).toBe(0);

    await makeRetriesDue();
    expect(await emailDelivery.drain()).toBe(1);
    expect(received.map((message) => message.to)).toEqual([["grace@smtp.test"]]);
    expect(await emailOf("grace@smtp.test")).toMatchObject({ status: "sent", attempts: 2, error: null });
  });

  it("fails the email for good once its retries are spent, with the last error", async () => {
    const user = await makeUser("linus@smtp.test");
    refusals = 1000;
    await transact((tx) => notify(tx, { userIds: [user.userId], kind: "test.notice", message: "Always refused." }));
    const attempts = emailDelivery.options.retryLimit + 1;
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      expect(await emailDelivery.drain()).toBe(1);
      expect(await emailOf("linus@smtp.test")).toMatchObject({ status: attempt < attempts ? "queued" : "failed", attempts: attempt });
      await makeRetriesDue();
    }
    expect(await emailDelivery.drain()).toBe(0);
    const failed = await emailOf("linus@smtp.test");
    expect(failed.error).toContain("Mailbox busy");
    expect(failed.sentAt).toBeNull();
    expect(received).toHaveLength(0);
  });

  it("sends one daily digest per reader over SMTP", async () => {
    const reader = await makeUser("digest@smtp.test");
    await db().notificationPreference.create({ data: { userId: reader.userId, email: "daily" } });
    for (const n of [1, 2]) await transact((tx) => notify(tx, { userIds: [reader.userId], kind: "test.notice", message: `Digest item ${n}.` }));
    // Nothing goes out at once for a daily reader.
    expect(await emailDelivery.drain()).toBe(0);

    await notificationDigest.send({});
    expect(await notificationDigest.drain()).toBe(1);
    expect(await emailDelivery.drain()).toBe(1);

    expect(received).toHaveLength(1);
    expect(received[0].to).toEqual(["digest@smtp.test"]);
    expect(received[0].raw).toContain("Subject: Countersign: 2 notifications since your last digest");
    expect(decoded(received[0])).toContain("Digest item 1.");
    expect(decoded(received[0])).toContain("Digest item 2.");
    expect(await emailOf("digest@smtp.test")).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("keeps a queued email for admins when SMTP is switched off before it is sent", async () => {
    const user = await makeUser("late@smtp.test");
    await transact((tx) => notify(tx, { userIds: [user.userId], kind: "test.notice", message: "Queued, then SMTP went away." }));
    const url = process.env.SMTP_URL;
    delete process.env.SMTP_URL;
    resetEnvForTests();
    try {
      expect(await emailDelivery.drain()).toBe(1);
    } finally {
      process.env.SMTP_URL = url;
      resetEnvForTests();
    }
    expect(await emailOf("late@smtp.test")).toMatchObject({ status: "kept", attempts: 0 });
    expect(received).toHaveLength(0);
  });
});
