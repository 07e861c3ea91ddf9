import { describe, expect, it } from "vitest";
import { checkDeploymentRisk } from "./checks";
import { deploymentRiskContentSchema, type DeploymentRiskContent } from "./schema";

const risk: DeploymentRiskContent = {
  title: "Response time target missed after release",
  description: "A new code path makes unlocking slower than REQ-2 allows.",
  likelihood: "medium",
  impact: "medium",
  mitigation: "Compare p95 unlock latency in staging with the previous release before deploying.",
  rollback: { trigger: "p95 of unlocking above 5 seconds for 10 minutes", steps: ["Deploy the previous version", "Compare traces of the slow requests with the previous version's"] },
  derivedFrom: ["adr-4", "req-2"],
  unsure: null,
};
const context = { upstreamIds: new Set(["adr-4", "req-2"]) };
const codes = (content: DeploymentRiskContent) => checkDeploymentRisk(content, context).map((flag) => flag.code);

describe("deployment risk", () => {
  it("accepts a risk and refuses one without rollback steps or with an unknown level", () => {
    expect(deploymentRiskContentSchema.safeParse(risk).success).toBe(true);
    expect(deploymentRiskContentSchema.safeParse({ ...risk, rollback: { ...risk.rollback, steps: [] } }).error?.issues[0].message).toBe("a rollback plan needs steps");
    expect(deploymentRiskContentSchema.safeParse({ ...risk, impact: "catastrophic" }).success).toBe(false);
  });

  it("raises nothing on a concrete rollback", () => {
    expect(checkDeploymentRisk(risk, context)).toEqual([]);
  });

  it("flags a rollback that says what, not how", () => {
    const [flag] = checkDeploymentRisk({ ...risk, rollback: { ...risk.rollback, steps: ["Roll back", "Fix the issue as needed"] } }, context);
    expect(flag).toMatchObject({ code: "vague_rollback", words: ["Roll back", "Fix the issue as needed"] });
    expect(flag.message).toMatch(/has no concrete step/);
  });

  it("flags a trigger nobody can see", () => {
    expect(codes({ ...risk, rollback: { ...risk.rollback, trigger: "when it seems wise" } })).toEqual(["no_rollback_trigger"]);
  });

  it("flags a high-impact risk with a vague mitigation", () => {
    expect(codes({ ...risk, impact: "high", mitigation: "Test appropriately." })).toEqual(["unmitigated"]);
  });
});
