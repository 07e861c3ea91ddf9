import { describe, expect, it } from "vitest";
import { clientAddress } from "./client-address";
import { backoffMs, fixedWindow } from "./rules";

describe("throttle rules", () => {
  const policy = { freeFailures: 5, firstDelayMs: 1_000, maxDelayMs: 15 * 60_000 };

  it("waits nothing for the first failures, then doubles up to the cap", () => {
    expect([1, 4, 5, 6, 7, 10].map((failures) => backoffMs(failures, policy))).toEqual([0, 0, 1_000, 2_000, 4_000, 32_000]);
    expect(backoffMs(30, policy)).toBe(15 * 60_000);
    expect(backoffMs(10_000, policy)).toBe(15 * 60_000);
  });

  it("puts every moment of a window in the same bucket", () => {
    expect(fixedWindow(0, 1000)).toEqual({ index: 0, end: 1000 });
    expect(fixedWindow(999, 1000)).toEqual({ index: 0, end: 1000 });
    expect(fixedWindow(1000, 1000)).toEqual({ index: 1, end: 2000 });
  });
});

describe("client address", () => {
  const headers = (values: Record<string, string>) => new Headers(values);

  it("without a trusted proxy takes the address Next.js recorded from the socket", () => {
    expect(clientAddress(headers({ "x-forwarded-for": "::ffff:10.0.0.5" }), 0)).toBe("10.0.0.5");
    expect(clientAddress(headers({ "x-real-ip": "10.0.0.6" }), 0)).toBe("10.0.0.6");
    expect(clientAddress(headers({}), 0)).toBe("unknown");
  });

  it("behind trusted proxies ignores what the client wrote to the left of them", () => {
    const forged = headers({ "x-forwarded-for": "1.2.3.4, 203.0.113.9, 10.0.0.2" });
    expect(clientAddress(forged, 1)).toBe("10.0.0.2");
    expect(clientAddress(forged, 2)).toBe("203.0.113.9");
    expect(clientAddress(headers({ "x-forwarded-for": "203.0.113.9" }), 3)).toBe("203.0.113.9");
  });
});
