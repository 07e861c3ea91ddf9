import { describe, expect, it } from "vitest";
import { systemActor } from "@/lib/actors";
import { actorFromRequest } from "@/lib/auth";
import { db } from "@/lib/db";
import { createToken, createTokenForEmail, listTokens, MAX_ACTIVE_TOKENS, TOKEN_CREATION_LIMIT } from "@/lib/tokens/service";
import { makeUser } from "./helpers";

const withBearer = (secret: string) => new Request("http://localhost/api/v1/review-items", { headers: { authorization: `Bearer ${secret}` } });

describe("API tokens", () => {
  it("may expire: accepted before, refused after with a 401 that says so", async () => {
    const user = await makeUser("expiring@tokens.test");
    const token = await createToken(user, { name: "CI", expiresInDays: "30" });
    expect(token.expiresAt?.getTime()).toBeGreaterThan(Date.now() + 29 * 24 * 60 * 60_000);
    expect(await actorFromRequest(withBearer(token.secret))).toMatchObject({ type: "token", userId: user.userId });

    await db().apiToken.update({ where: { id: token.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expect(actorFromRequest(withBearer(token.secret))).rejects.toMatchObject({ status: 401, message: expect.stringMatching(/expired/) });
    expect((await listTokens(user)).find((listed) => listed.id === token.id)?.expiresAt).toBeInstanceOf(Date);
  });

  it("does not expire unless asked to, and refuses nonsense lifetimes", async () => {
    const user = await makeUser("forever@tokens.test");
    expect((await createToken(user, { name: "forever", expiresInDays: "" })).expiresAt).toBeNull();
    await expect(createToken(user, { name: "too long", expiresInDays: 5000 })).rejects.toMatchObject({ name: "ZodError" });
  });

  it("limits the active tokens of one user, even when created in parallel", async () => {
    const user = await makeUser("hoarder@tokens.test");
    const results = await Promise.allSettled(
      Array.from({ length: MAX_ACTIVE_TOKENS + 5 }, (_, n) => createTokenForEmail(systemActor("test"), user.email, `token ${n}`)),
    );
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(MAX_ACTIVE_TOKENS);
    await expect(createToken(user, { name: "one more" })).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/Revoke one/) });

    // Revoked and expired tokens do not count.
    const [first, second] = await db().apiToken.findMany({ where: { userId: user.userId }, take: 2 });
    await db().apiToken.update({ where: { id: first.id }, data: { revokedAt: new Date() } });
    await db().apiToken.update({ where: { id: second.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await createToken(user, { name: "replacement" });
    await createToken(user, { name: "another replacement" });
  });

  it("throttles creation per user, also in parallel", async () => {
    const user = await makeUser("minter@tokens.test");
    const results = await Promise.allSettled(Array.from({ length: 30 }, (_, n) => createToken(user, { name: `burst ${n}` })));
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(TOKEN_CREATION_LIMIT.max);
    const refused = results.find((result) => result.status === "rejected");
    expect(refused?.status === "rejected" && refused.reason).toMatchObject({ status: 429, code: "too_many_requests" });
    expect(await db().apiToken.count({ where: { userId: user.userId } })).toBe(TOKEN_CREATION_LIMIT.max);

    // Someone else is not affected.
    const other = await makeUser("other-minter@tokens.test");
    await expect(createToken(other, { name: "mine" })).resolves.toMatchObject({ name: "mine" });
  });
});
