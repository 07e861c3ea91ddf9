import { describe, expect, it } from "vitest";
import { rowBuilder } from "./row-builder";

const asIs = (value: unknown) => value;

describe("rowBuilder", () => {
  it("builds a row of the columns' names and values, in column order, each value converted", () => {
    const build = rowBuilder(["id", "count", "note"]);
    const row = build(["a1", 2, null], (value, column) => (column === 1 ? Number(value) * 10 : value));
    expect(row).toEqual({ id: "a1", count: 20, note: null });
    expect(Object.keys(row)).toEqual(["id", "count", "note"]);
  });

  it("keeps one builder per list of names", () => {
    expect(rowBuilder(["id", "count"])).toBe(rowBuilder(["id", "count"]));
    expect(rowBuilder(["id", "count"])).not.toBe(rowBuilder(["count", "id"]));
    // Names are told apart even when they would join into the same text.
    expect(rowBuilder(["a,b"])).not.toBe(rowBuilder(["a", "b"]));
  });

  it("takes any name as a name, never as code", () => {
    const names = ['a"b', "c\\", "d\n}; throw new Error('no');//", "e\u2028f", "constructor", "1"];
    const row = rowBuilder(names)(["1", "2", "3", "4", "5", "6"], asIs);
    expect(row).toEqual(Object.fromEntries(names.map((name, i) => [name, String(i + 1)])));
  });

  it("keeps a later column of the same name, in the first one's place", () => {
    const row = rowBuilder(["id", "x", "id"])([1, 2, 3], asIs);
    expect(row).toEqual({ id: 3, x: 2 });
    expect(Object.keys(row)).toEqual(["id", "x"]);
  });

  it("makes __proto__ an ordinary property, not the row's prototype", () => {
    const row = rowBuilder(["id", "__proto__"])([1, { polluted: true }], asIs);
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(Object.keys(row)).toEqual(["id", "__proto__"]);
    expect((row as { polluted?: boolean }).polluted).toBeUndefined();
  });
});
