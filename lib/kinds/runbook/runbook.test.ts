import { describe, expect, it } from "vitest";
import { checkRunbook } from "./checks";
import { runbookContentSchema, type RunbookContent } from "./schema";

const runbook: RunbookContent = {
  title: "Runbook: Bikes",
  service: "Bikes",
  alerts: [{ name: "Unlock slower than REQ-2 allows", condition: "p95 above 5 seconds for 10 minutes", severity: "page" }],
  checks: ["Every 15 minutes a synthetic check with a test account confirms: riders can now unlock a bike by scanning the QR code."],
  diagnosis: ["Find when the alert condition started on the service dashboard and compare it with the last deployment time"],
  recovery: ["Deploy the previous version", "Take the failing instance out of the load balancer and replace it"],
  derivedFrom: ["rn-1", "req-2"],
  unsure: null,
};
const context = { upstreamIds: new Set(["rn-1", "req-2"]) };

describe("runbook", () => {
  it("accepts a runbook and refuses one without an alert or a recovery step", () => {
    expect(runbookContentSchema.safeParse(runbook).success).toBe(true);
    expect(runbookContentSchema.safeParse({ ...runbook, alerts: [] }).error?.issues[0].message).toBe("a runbook starts from at least one alert");
    expect(runbookContentSchema.safeParse({ ...runbook, recovery: [] }).success).toBe(false);
    expect(runbookContentSchema.safeParse({ ...runbook, alerts: [{ ...runbook.alerts[0], severity: "email" }] }).success).toBe(false);
  });

  it("raises nothing on measurable alerts and concrete steps", () => {
    expect(checkRunbook(runbook, context)).toEqual([]);
  });

  it("flags an alert without a threshold", () => {
    const [flag] = checkRunbook({ ...runbook, alerts: [{ ...runbook.alerts[0], condition: "unlocking is slow" }] }, context);
    expect(flag).toMatchObject({ code: "unmeasurable_alert", words: ["unlocking is slow"] });
  });

  it("flags steps that leave the person on call to work it out", () => {
    expect(checkRunbook({ ...runbook, recovery: ["Fix the issue", "Restart services as needed"] }, context).map((flag) => [flag.code, flag.words])).toEqual([
      ["vague_step", ["Fix the issue", "Restart services as needed"]],
    ]);
  });

  it("flags a runbook resting on unapproved work", () => {
    expect(checkRunbook({ ...runbook, derivedFrom: [] }, context).map((flag) => flag.code)).toEqual(["untraced"]);
  });
});
