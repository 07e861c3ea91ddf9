import { createHash } from "node:crypto";
import type { ActorType } from "@/lib/generated/sqlite/enums";
import { canonicalJson } from "./canonical-json";

/**
 * The audit chain's rules, pure. Each sealed event stores the hash of the event sealed before
 * it (prevHash) and its own hash over that and its contents, at consecutive chain positions
 * from 1. The sealer builds the chain with sealBatch(); verification walks it with walkChain().
 */
export const GENESIS_HASH = "genesis";

/** What an event's hash covers: its contents, not its id or seal columns. */
export type HashedFields = {
  at: Date;
  actorType: ActorType;
  actorId: string | null;
  actorLabel: string;
  action: string;
  subjectType: string;
  subjectId: string;
  projectId: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
};

export type StoredEvent = HashedFields & { id: number; chainPosition: number | null; prevHash: string | null; hash: string | null };

/** The end of the chain so far: position 0 and the genesis hash before the first event. */
export type ChainHead = { position: number; hash: string };
export const chainStart: ChainHead = { position: 0, hash: GENESIS_HASH };

export function eventHash(prevHash: string, fields: HashedFields): string {
  return createHash("sha256")
    .update(prevHash)
    .update(canonicalJson({ ...fields, at: fields.at.toISOString() }))
    .digest("hex");
}

export function hashedFieldsOf(event: StoredEvent): HashedFields {
  return {
    at: event.at,
    actorType: event.actorType,
    actorId: event.actorId,
    actorLabel: event.actorLabel,
    action: event.action,
    subjectType: event.subjectType,
    subjectId: event.subjectId,
    projectId: event.projectId,
    before: event.before ?? null,
    after: event.after ?? null,
    reason: event.reason,
  };
}

/**
 * Plain JSON (dates as ISO strings), so what is hashed is exactly what is stored. Fractions are
 * cut to 12 significant digits: SQLite's JSON prints doubles its own way (0.02500000000000002
 * comes back as 0.025000000000000022), and a number must read back to the one that was hashed.
 */
export function toStoredJson(value: unknown): unknown {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value, (_key, item: unknown) => (typeof item === "number" && !Number.isInteger(item) ? Number(item.toPrecision(12)) : item)));
}

export type Seal = { id: number; chainPosition: number; prevHash: string; hash: string };

/** Chains unsealed events, in the order given, after the head; returns their seals and the new head. */
export function sealBatch(head: ChainHead, events: readonly StoredEvent[]): { seals: Seal[]; head: ChainHead } {
  const seals: Seal[] = [];
  let current = head;
  for (const event of events) {
    const hash = eventHash(current.hash, hashedFieldsOf(event));
    seals.push({ id: event.id, chainPosition: current.position + 1, prevHash: current.hash, hash });
    current = { position: current.position + 1, hash };
  }
  return { seals, head: current };
}

export type ChainBreak = { id: number | null; position: number; problem: string };

/**
 * Checks sealed events, in chain order, against the head before them. Stops at the first event
 * that is out of place (a position missing before it), does not follow the event before it
 * (one removed, reordered or rewritten), or whose contents no longer match its hash.
 */
export function walkChain(head: ChainHead, events: readonly StoredEvent[]): { head: ChainHead; checked: number; broken: ChainBreak | null } {
  let current = head;
  let checked = 0;
  for (const event of events) {
    const position = event.chainPosition ?? 0;
    if (position !== current.position + 1) {
      return { head: current, checked, broken: { id: event.id, position, problem: `position ${current.position + 1} is missing before it: an event was removed or moved` } };
    }
    if (event.prevHash !== current.hash) {
      return { head: current, checked, broken: { id: event.id, position, problem: "it does not follow the event before it: an event was removed, reordered or rewritten" } };
    }
    if (event.hash !== eventHash(current.hash, hashedFieldsOf(event))) {
      return { head: current, checked, broken: { id: event.id, position, problem: "its contents do not match its hash: it was altered" } };
    }
    current = { position, hash: event.hash };
    checked += 1;
  }
  return { head: current, checked, broken: null };
}
