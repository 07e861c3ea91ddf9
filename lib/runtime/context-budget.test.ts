import { describe, expect, it } from "vitest";
import { choosePassages, estimateMessageTokens, estimateTokens, fitPassages, keptText, passagesOf, relevance, wholePassage } from "./context-budget";

const focus = ["must", "should", "at least", "within"];

// Three paragraphs of 11 tokens each; only the second speaks of requirements.
const chat = "We talked about the weather and lunch ok."; // 41 bytes -> 11 tokens
const rule = "Members must renew within 3 days, at least."; // 43 bytes -> 11 tokens
const other = "The team met on Tuesday in the big room.."; // 41 bytes -> 11 tokens

describe("estimateTokens", () => {
  it("counts one token per 4 bytes of UTF-8, rounded up", () => {
    expect(estimateTokens("")).toBe(0);
    expect(estimateTokens("abcd")).toBe(1);
    expect(estimateTokens("abcde")).toBe(2);
    // é is 2 bytes, 漢 is 3: other scripts count more than their characters.
    expect(estimateTokens("éé")).toBe(1);
    expect(estimateTokens("漢字漢字")).toBe(3);
  });

  it("adds 4 tokens per chat message", () => {
    expect(estimateMessageTokens([{ content: "abcd" }, { content: "" }])).toBe(1 + 4 + 0 + 4);
  });
});

describe("passagesOf", () => {
  it("splits a document into its paragraphs, each a verbatim slice with its place", () => {
    const text = `${chat}\n\n${rule}\n  \n${other}`;
    const passages = passagesOf({ id: "s1", text }, 1000);
    expect(passages.map((p) => p.id)).toEqual(["s1#1", "s1#2", "s1#3"]);
    expect(passages.map((p) => p.text)).toEqual([chat, rule, other]);
    for (const passage of passages) expect(text.slice(passage.start, passage.end)).toBe(passage.text);
    expect(passages.map((p) => p.tokens)).toEqual([11, 11, 11]);
  });

  it("splits only a paragraph larger than the budget, at sentence ends, never inside a sentence", () => {
    const long = "First sentence is here. Second one asks: why? Third one must end!\nA fourth on its own line";
    const passages = passagesOf({ id: "s1", text: `${chat}\n\n${long}` }, 15);
    expect(passages.map((p) => p.text)).toEqual([chat, "First sentence is here.", "Second one asks: why?", "Third one must end!", "A fourth on its own line"]);
  });

  it("has no passages for blank text", () => {
    expect(passagesOf({ id: "s1", text: "  \n\n \n" }, 100)).toEqual([]);
  });
});

describe("relevance", () => {
  it("counts whole words and phrases only, per 100 tokens", () => {
    const score = relevance(focus);
    expect(score("We must")).toBe(100 / 2);
    expect(score("mustard and shoulder")).toBe(0);
    expect(score("At  least twice")).toBeGreaterThan(0);
    expect(relevance([])("must")).toBe(0);
  });
});

describe("fitPassages", () => {
  const documents = [
    { id: "a", text: `${chat}\n\n${rule}` },
    { id: "b", text: other },
  ];

  it("keeps everything, leaving nothing out, when it fits", () => {
    const fit = fitPassages(documents, { maxTokens: 33, focusTerms: focus });
    expect(fit.kept.map((p) => p.id)).toEqual(["a#1", "a#2", "b#1"]);
    expect(fit.leftOut).toEqual([]);
    expect(fit).toMatchObject({ totalTokens: 33, keptTokens: 33, budgetTokens: 33 });
  });

  it("keeps the passages most relevant to the step and lists the rest with their sizes", () => {
    const fit = fitPassages(documents, { maxTokens: 20, focusTerms: focus });
    expect(fit.kept.map((p) => p.id)).toEqual(["a#2"]);
    expect(fit.leftOut).toEqual([
      { id: "a#1", documentId: "a", tokens: 11 },
      { id: "b#1", documentId: "b", tokens: 11 },
    ]);
    expect(fit.keptTokens).toBeLessThanOrEqual(20);
  });

  it("passes the kept passages on in their original order, not in order of relevance", () => {
    const ruleLater = [
      { id: "a", text: chat },
      { id: "b", text: `${other}\n\n${rule}` },
    ];
    const fit = fitPassages(ruleLater, { maxTokens: 22, focusTerms: focus });
    // The rule ranks first; of the equally irrelevant rest the earlier one fills the room left.
    expect(fit.kept.map((p) => p.id)).toEqual(["a#1", "b#2"]);
  });

  it("skips a relevant passage too big for the room left and takes a smaller one after it", () => {
    const big = wholePassage("big", "must must must must ".repeat(10).trim()); // dense but 50 tokens
    const small = wholePassage("small", "should be fine"); // 4 tokens
    const fit = choosePassages([big, wholePassage("mid", "must do it within reason ok")], { maxTokens: 10, focusTerms: focus });
    expect(fit.kept.map((p) => p.id)).toEqual(["mid"]);
    expect(choosePassages([big, small], { maxTokens: 10, focusTerms: focus }).kept.map((p) => p.id)).toEqual(["small"]);
  });

  it("leaves out a single sentence larger than the budget instead of cutting it", () => {
    const sentence = `The system must ${"really ".repeat(30)}work.`;
    const fit = fitPassages([{ id: "s", text: `${sentence} Short one must stay.` }], { maxTokens: 10, focusTerms: focus });
    expect(fit.kept.map((p) => p.text)).toEqual(["Short one must stay."]);
    expect(fit.leftOut).toEqual([{ id: "s#1", documentId: "s", tokens: estimateTokens(sentence) }]);
  });

  it("keeps nothing with a budget of zero", () => {
    const fit = fitPassages(documents, { maxTokens: 0, focusTerms: focus });
    expect(fit.kept).toEqual([]);
    expect(fit.leftOut).toHaveLength(3);
  });
});

describe("keptText", () => {
  it("keeps the original text between neighbouring passages and a blank line where passages were left out", () => {
    const text = `${rule}\n\n${chat}\n\n${rule}\n${"x"}\n\n${other}`;
    const document = { id: "d", text };
    const passages = passagesOf(document, 1000);
    const [first, , third, fourth] = passages;
    expect(keptText(document, [third, first, fourth])).toBe(`${rule}\n\n${rule}\nx\n\n${other}`);
    for (const passage of [first, third, fourth]) expect(text.includes(passage.text)).toBe(true);
  });

  it("is empty when none of the document's passages were kept", () => {
    const document = { id: "d", text: chat };
    expect(keptText(document, passagesOf({ id: "other", text: chat }, 100))).toBe("");
  });
});
