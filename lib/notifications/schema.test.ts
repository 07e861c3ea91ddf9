import { describe, expect, it } from "vitest";
import { markReadInputSchema, notificationKindLabel, notificationListQuerySchema, notifyInputSchema } from "./schema";

describe("notification contracts", () => {
  it("names known kinds in words and spells out unknown ones", () => {
    expect(notificationKindLabel("stage.reopened")).toBe("Stage reopened");
    expect(notificationKindLabel("sla.escalated")).toBe("Sla escalated");
    expect(notificationKindLabel("review_item.needs_adjudication")).toBe("Review item needs adjudication");
  });

  it("marks either named notices or all of them, never both or neither", () => {
    expect(markReadInputSchema.safeParse({ ids: ["a"] }).success).toBe(true);
    expect(markReadInputSchema.safeParse({ all: true }).success).toBe(true);
    expect(markReadInputSchema.safeParse({}).success).toBe(false);
    expect(markReadInputSchema.safeParse({ ids: ["a"], all: true }).success).toBe(false);
    expect(markReadInputSchema.safeParse({ all: false }).success).toBe(false);
    expect(markReadInputSchema.safeParse({ ids: ["a"], extra: 1 }).success).toBe(false);
  });

  it("reads the inbox query from URL text", () => {
    expect(notificationListQuerySchema.parse({})).toEqual({ unread: false, limit: 50 });
    expect(notificationListQuerySchema.parse({ unread: "true", limit: "5", cursor: "c1" })).toEqual({ unread: true, limit: 5, cursor: "c1" });
    expect(notificationListQuerySchema.safeParse({ limit: "101" }).success).toBe(false);
  });

  it("shortens a long message to 4,000 characters instead of refusing it", () => {
    const parsed = notifyInputSchema.parse({ userIds: ["u"], kind: "k", message: "x".repeat(5000) });
    expect(parsed.message).toHaveLength(4000);
    expect(parsed.message.endsWith("...")).toBe(true);
    expect(notifyInputSchema.parse({ userIds: ["u"], kind: "k", message: "short" }).message).toBe("short");
  });
});
