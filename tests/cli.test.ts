import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { actorFromToken } from "@/lib/tokens/service";
import { makeUser } from "./helpers";

const run = promisify(execFile);

/** The CLI as automation calls it: a child process on the same database (DATABASE_URL is inherited). */
function cli(...args: string[]) {
  return run(process.execPath, ["--import", "tsx", "scripts/cli.ts", ...args], { env: process.env });
}

describe("the operator CLI", () => {
  it("creates a token and prints it alone on the last line", async () => {
    const user = await makeUser("automation@cli.test");
    const { stdout } = await cli("tokens", "create", "--email", "automation@cli.test", "--name", "deploys");
    const token = stdout.trim().split("\n").at(-1)!;
    expect(token).toMatch(/^cs_[A-Za-z0-9_-]{40,}$/);
    expect(await actorFromToken(token)).toMatchObject({ type: "token", userId: user.userId });
  });

  it("fails with a clear message and a non-zero exit for an unknown email", async () => {
    const failure = await cli("tokens", "create", "--email", "nobody@cli.test").catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toContain("nobody@cli.test was not found");
  });

  it("creates the first admin of a deployment without a demo", async () => {
    const { stdout } = await cli("users", "create", "--email", "first@cli.test", "--name", "First Admin", "--admin");
    expect(stdout).toContain("Created admin first@cli.test.");
    expect(stdout).toMatch(/Password \(shown only this once\): \S{12,}/);
  });
});
