import { describe, expect, it } from "vitest";
import { AppError } from "./errors";
import { assertRoles, can, permissions, type Permission, type Role } from "./authz";

const cases: [Role[], Permission, boolean][] = [
  [["admin"], "users:manage", true],
  [["member"], "users:manage", false],
  [["admin"], "policies:manage", true],
  [["member", "project_member", "stage_owner"], "policies:manage", false],
  [["admin"], "stages:assignOwner", true],
  [["member", "stage_owner"], "stages:assignOwner", false],
  [["member", "stage_owner"], "stages:assignReviewers", true],
  [["admin"], "stages:assignReviewers", true],
  [["member", "stage_reviewer"], "stages:assignReviewers", false],
  [["member", "stage_owner"], "stages:signOff", true],
  // Sign-off is personal: not even an admin signs off a stage they do not own.
  [["admin", "project_member"], "stages:signOff", false],
  [["member", "stage_reviewer"], "review:decide", true],
  [["member", "stage_owner"], "review:decide", false],
  [["admin"], "review:decide", false],
  [["member", "project_member"], "projects:read", true],
  [["member"], "projects:read", false],
  [["admin"], "projects:read", true],
  [["member"], "projects:create", true],
  [["member", "project_member"], "sources:write", true],
  [["member"], "sources:write", false],
  [["member", "stage_owner"], "runs:start", true],
  [["member", "stage_reviewer", "project_member"], "runs:start", false],
  [["member", "project_member"], "audit:read", true],
  [["member", "project_member"], "audit:readAll", false],
  [["member"], "tokens:manageOwn", true],
];

describe("the permission table", () => {
  it.each(cases)("%j may %s: %s", (roles, permission, expected) => {
    expect(can(roles, permission)).toBe(expected);
    expect(can(new Set(roles), permission)).toBe(expected);
  });

  it("grants every permission to at least one role", () => {
    for (const roles of Object.values(permissions)) expect(roles.length).toBeGreaterThan(0);
  });

  it("refuses with a 403 that says who may", () => {
    const error = (() => {
      try {
        assertRoles(["member", "stage_reviewer"], "stages:signOff");
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(403);
    expect((error as AppError).message).toMatch(/owner of this stage/);
  });
});
