import { describe, expect, it } from "vitest";
import { createDelegationSchema, delegationFormSchema, delegationState } from "./schema";

describe("delegation contracts", () => {
  const window = { toEmail: "Stand.In@Example.test", startsAt: "2026-12-07T09:00:00Z", endsAt: "2026-12-11T17:00:00Z" };

  it("accepts a window of up to 90 days and refuses an inverted or longer one, or a stage without its project", () => {
    expect(createDelegationSchema.parse(window).toEmail).toBe("stand.in@example.test");
    expect(createDelegationSchema.safeParse({ ...window, endsAt: "2026-12-07T09:00:00Z" }).success).toBe(false);
    expect(createDelegationSchema.safeParse({ ...window, endsAt: "2027-03-07T09:00:01Z" }).success).toBe(false);
    expect(createDelegationSchema.safeParse({ ...window, endsAt: "2027-03-07T09:00:00Z" }).success).toBe(true);
    expect(createDelegationSchema.safeParse({ ...window, stageKey: "design" }).success).toBe(false);
  });

  it("reads the form's datetime-local fields as UTC and its empty selects as every project and stage", () => {
    const parsed = delegationFormSchema.parse({ toEmail: "a@b.test", startsAt: "2026-12-07T09:00", endsAt: "2026-12-08T09:00", projectId: "", stageKey: "", reason: "" });
    expect(parsed).toEqual({ toEmail: "a@b.test", startsAt: "2026-12-07T09:00:00Z", endsAt: "2026-12-08T09:00:00Z", projectId: undefined, stageKey: undefined, reason: undefined });
    expect(delegationFormSchema.safeParse({ toEmail: "a@b.test", startsAt: "soon", endsAt: "2026-12-08T09:00" }).success).toBe(false);
  });

  it("tells scheduled, active, ended and revoked apart", () => {
    const delegation = { startsAt: new Date("2026-12-07T09:00:00Z"), endsAt: new Date("2026-12-08T09:00:00Z"), revokedAt: null };
    expect(delegationState(delegation, new Date("2026-12-07T08:59:59Z"))).toBe("scheduled");
    expect(delegationState(delegation, new Date("2026-12-07T09:00:00Z"))).toBe("active");
    expect(delegationState(delegation, new Date("2026-12-08T09:00:00Z"))).toBe("ended");
    expect(delegationState({ ...delegation, revokedAt: new Date("2026-12-07T10:00:00Z") }, new Date("2026-12-07T11:00:00Z"))).toBe("revoked");
  });
});
