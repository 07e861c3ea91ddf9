import { describe, expect, it } from "vitest";
import { checkAdr } from "./checks";
import { adrContentSchema, type AdrContent } from "./schema";

const adr: AdrContent = {
  title: "Delegate card payments to a PCI-compliant payment provider",
  context: 'REQ-11: "Payment data must never be stored on our servers."',
  decision: "Card details are entered in the payment provider's hosted fields; our servers keep only the provider's token.",
  alternatives: [{ option: "Store encrypted card numbers in our own database", whyNot: "puts every server and backup in PCI DSS scope" }],
  consequences: ["Refunds go through the provider's API"],
  derivedFrom: ["req-11"],
  unsure: null,
};
const context = { upstreamIds: new Set(["req-11"]) };
const codes = (content: AdrContent) => checkAdr(content, context).map((flag) => flag.code);

describe("adr", () => {
  it("accepts a traced decision and refuses one without consequences", () => {
    expect(adrContentSchema.safeParse(adr).success).toBe(true);
    expect(adrContentSchema.safeParse({ ...adr, consequences: [] }).error?.issues[0].message).toBe("name at least one consequence");
  });

  it("raises nothing on a decision with a real alternative", () => {
    expect(checkAdr(adr, context)).toEqual([]);
  });

  it("flags a decision without a real rival: none listed, 'do nothing', no reason, or the decision again", () => {
    expect(codes({ ...adr, alternatives: [] })).toEqual(["no_real_alternative"]);
    expect(codes({ ...adr, alternatives: [{ option: "Do nothing", whyNot: "does not meet REQ-11" }] })).toEqual(["no_real_alternative"]);
    expect(codes({ ...adr, alternatives: [{ option: "A card vault at a bank", whyNot: "rejected" }] })).toEqual(["no_real_alternative"]);
    const [flag] = checkAdr({ ...adr, alternatives: [{ option: "The payment provider's hosted fields", whyNot: "costs more" }] }, context);
    expect(flag.message).toMatch(/is the decision itself again/);
  });

  it("flags a vague decision and an untraced one", () => {
    expect(codes({ ...adr, decision: "Store payment data appropriately." })).toEqual(["vague_decision"]);
    expect(codes({ ...adr, derivedFrom: ["req-404"] })).toEqual(["untraced"]);
  });
});
