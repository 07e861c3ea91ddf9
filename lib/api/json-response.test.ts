import { describe, expect, it } from "vitest";
import { jsonResponse } from "./json-response";

describe("a JSON answer", () => {
  it("declares its length and is never cached", async () => {
    const response = jsonResponse({ id: "r1", status: "approved", note: "é" }, { status: 201 });
    const text = await response.text();
    expect(response.status).toBe(201);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("content-length")).toBe(String(Buffer.byteLength(text)));
    expect(JSON.parse(text)).toEqual({ id: "r1", status: "approved", note: "é" });
  });

  it("keeps a small body from being compressed, and lets a large one be", () => {
    expect(jsonResponse({ ok: true }, { status: 200 }).headers.get("cache-control")).toBe("no-store, no-transform");
    const page = { items: Array.from({ length: 50 }, (_, index) => ({ id: `item-${index}`, statement: "The system must keep every decision." })) };
    expect(jsonResponse(page, { status: 200 }).headers.get("cache-control")).toBe("no-store");
  });

  it("adds the headers it is given", () => {
    expect(jsonResponse({ error: {} }, { status: 405, headers: { Allow: "GET, POST" } }).headers.get("allow")).toBe("GET, POST");
  });
});
