import { describe, expect, it } from "vitest";
import { checkInterface } from "./checks";
import { interfaceContentSchema, type InterfaceContent } from "./schema";

const item: InterfaceContent = {
  name: "Refunds API",
  entities: [{ name: "Refund", attributes: ["id", "amount (euros)"] }],
  operations: [
    { name: "requestRefund", actor: "rider", input: ["rideId"], output: "the refund is requested and the rider gets a confirmation", storyIds: ["us-6"] },
    { name: "approveRefund", actor: "supervisor", input: ["refundId"], output: "the refund is approved", storyIds: ["us-12"] },
  ],
  derivedFrom: ["us-6", "us-12"],
  unsure: null,
};
const context = { upstreamIds: new Set(["us-6", "us-12"]) };
const codes = (content: InterfaceContent) => checkInterface(content, context).map((flag) => flag.code);

describe("interface", () => {
  it("accepts an interface whose operations serve stories, and refuses an operation serving none", () => {
    expect(interfaceContentSchema.safeParse(item).success).toBe(true);
    const orphan = { ...item, operations: [{ ...item.operations[0], storyIds: [] }] };
    expect(interfaceContentSchema.safeParse(orphan).error?.issues[0].message).toBe("an operation serves at least one story");
  });

  it("raises nothing on a clean interface", () => {
    expect(checkInterface(item, context)).toEqual([]);
  });

  it("flags an operation serving a story the interface does not trace to", () => {
    const [flag] = checkInterface({ ...item, derivedFrom: ["us-6"] }, context);
    expect(flag).toMatchObject({ code: "operation_not_traced", words: ["us-12"] });
  });

  it("flags operations that name no behaviour, and duplicates", () => {
    expect(codes({ ...item, operations: [{ ...item.operations[0], name: "handleRefund" }, item.operations[1]] })).toEqual(["vague_operation"]);
    expect(codes({ ...item, operations: [item.operations[0], item.operations[0]] })).toEqual(["duplicate_operation"]);
  });
});
