import { describe, expect, it } from "vitest";
import { chainStart, GENESIS_HASH, sealBatch, toStoredJson, walkChain, type StoredEvent } from "./chain";

const event = (id: number, after: unknown = { id }): StoredEvent => ({
  id,
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, id)),
  actorType: "system",
  actorId: null,
  actorLabel: "system",
  action: "test.event",
  subjectType: "test",
  subjectId: String(id),
  projectId: null,
  before: null,
  after,
  reason: null,
  chainPosition: null,
  prevHash: null,
  hash: null,
});

/** Events as the sealer leaves them: each sealed onto the one before. */
function sealed(count: number): StoredEvent[] {
  const events = Array.from({ length: count }, (_, index) => event(index + 1));
  const { seals } = sealBatch(chainStart, events);
  return events.map((e, index) => ({ ...e, ...seals[index] }));
}

describe("the audit chain", () => {
  it("seals events at consecutive positions, each onto the hash before it, continuing from any head", () => {
    const chain = sealed(3);
    expect(chain.map((e) => e.chainPosition)).toEqual([1, 2, 3]);
    expect(chain[0].prevHash).toBe(GENESIS_HASH);
    expect(chain[1].prevHash).toBe(chain[0].hash);
    const { seals, head } = sealBatch({ position: 3, hash: chain[2].hash! }, [event(9)]);
    expect(seals).toEqual([{ id: 9, chainPosition: 4, prevHash: chain[2].hash, hash: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    expect(head).toEqual({ position: 4, hash: seals[0].hash });
    expect(walkChain(chainStart, chain)).toMatchObject({ checked: 3, broken: null, head: { position: 3, hash: chain[2].hash } });
  });

  it("names the first event altered, out of place or not following the one before", () => {
    const altered = sealed(4);
    altered[2] = { ...altered[2], reason: "changed" };
    expect(walkChain(chainStart, altered).broken).toMatchObject({ id: 3, position: 3, problem: expect.stringMatching(/altered/) });

    const missing = sealed(4).filter((e) => e.id !== 2);
    expect(walkChain(chainStart, missing).broken).toMatchObject({ id: 3, position: 3, problem: expect.stringMatching(/position 2 is missing/) });

    const [a, b, c] = sealed(3);
    const swapped = [a, { ...c, chainPosition: 2 }, { ...b, chainPosition: 3 }];
    expect(walkChain(chainStart, swapped)).toMatchObject({ checked: 1, broken: { id: 3, position: 2, problem: expect.stringMatching(/does not follow/) } });
  });

  it("stores fractions to 12 significant digits, so they read back as hashed", () => {
    expect(toStoredJson({ ece: 0.1 + 0.2, p: 0.02500000000000002, n: 3, at: new Date(0) })).toEqual({ ece: 0.3, p: 0.025, n: 3, at: "1970-01-01T00:00:00.000Z" });
    expect(toStoredJson(undefined)).toBeNull();
  });
});
