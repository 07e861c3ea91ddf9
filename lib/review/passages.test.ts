import { describe, expect, it } from "vitest";
import { findPassage } from "./passages";

describe("findPassage", () => {
  it("finds a quote across reflowed whitespace, with context on either side", () => {
    const text = "Intro. Riders must be able\n  to unlock a bike (fast) in under five seconds. Outro.";
    expect(findPassage(text, "to unlock a bike (fast)", 7)).toEqual({ before: "…able\n  ", match: "to unlock a bike (fast)", after: " in und…" });
    expect(findPassage(text, "  Riders   must be able to  ", 200)).toEqual({ before: "Intro. ", match: "Riders must be able\n  to", after: " unlock a bike (fast) in under five seconds. Outro." });
  });

  it("answers the same for a quote seen before, in whichever source it is asked about", () => {
    const quote = "unlock a bike [now]?";
    expect(findPassage("Please unlock a bike [now]? Thanks", quote, 3)).toEqual({ before: "…se ", match: "unlock a bike [now]?", after: " Th…" });
    expect(findPassage("nothing here", quote)).toBeNull();
    expect(findPassage("unlock a\tbike [now]?", quote)).toEqual({ before: "", match: "unlock a\tbike [now]?", after: "" });
    expect(findPassage("Please unlock a bike [now]? Thanks", quote, 3)).toEqual({ before: "…se ", match: "unlock a bike [now]?", after: " Th…" });
  });

  it("finds nothing for a blank quote", () => {
    expect(findPassage("some text", "   ")).toBeNull();
    expect(findPassage("some text", "")).toBeNull();
  });
});
