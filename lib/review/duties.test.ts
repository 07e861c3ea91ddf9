import { describe, expect, it } from "vitest";
import { decisionRefusal, signOffRefusal } from "./duties";

const base = { actorId: "rita", runStartedById: "omar", versionEditedById: null, ref: "REQ-3" } as const;

describe("decisionRefusal", () => {
  it("lets a reviewer decide a draft someone else's run made", () => {
    for (const action of ["approve", "edit", "reject", "resolve"] as const) expect(decisionRefusal({ ...base, action })).toBeNull();
  });

  it("refuses every decision on drafts of a run the actor started", () => {
    for (const action of ["approve", "edit", "reject", "resolve"] as const) {
      expect(decisionRefusal({ ...base, runStartedById: "rita", action })).toMatch(/You started the run that drafted REQ-3/);
    }
  });

  it("refuses approving a version the actor wrote, but not editing or rejecting it", () => {
    expect(decisionRefusal({ ...base, versionEditedById: "rita", action: "approve" })).toMatch(/You wrote this version of REQ-3/);
    expect(decisionRefusal({ ...base, versionEditedById: "rita", action: "edit" })).toBeNull();
    expect(decisionRefusal({ ...base, versionEditedById: "rita", action: "reject" })).toBeNull();
    expect(decisionRefusal({ ...base, versionEditedById: "ravi", action: "approve" })).toBeNull();
  });

  it("treats system-started runs as nobody's", () => {
    expect(decisionRefusal({ ...base, runStartedById: null, action: "approve" })).toBeNull();
  });
});

describe("signOffRefusal", () => {
  it("refuses an owner whose own decisions were the only ones", () => {
    expect(signOffRefusal({ ownerId: "omar", deciderIds: ["omar", "omar"] })).toMatch(/Every decision in this stage was yours/);
  });

  it("accepts when someone else decided too, or when nothing went to people", () => {
    expect(signOffRefusal({ ownerId: "omar", deciderIds: ["omar", "rita"] })).toBeNull();
    expect(signOffRefusal({ ownerId: "omar", deciderIds: [] })).toBeNull();
  });
});
