import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { log } from "@/lib/log";

/**
 * Server-Sent Events of a state that lives in the database. The stream reads the state every
 * `pollMs` and sends it when it differs from the last one sent, so it sees changes whichever
 * process made them (a worker elsewhere, a reviewer on another instance) with no message bus.
 * Each event's id is the state's version: a client that reconnects with Last-Event-ID (or
 * passes `since`) hears nothing until something changed. Comments keep idle connections open
 * through proxies; after `maxMs` the stream closes without `end` and the client reconnects,
 * which checks its access again.
 */
export type Feed<T> = {
  /** The SSE event name of a state, e.g. `run`. */
  event: string;
  /** The current state; null when its subject is gone, which ends the stream. */
  read: () => Promise<T | null>;
  /** True when the state can no longer change: the stream sends it, then `end`, and closes. */
  isFinal?: (state: T) => boolean;
};

export type StreamOptions = {
  /** The version the client already has. */
  since?: string | null;
  /** The request's signal: the stream stops when the client goes away. */
  signal?: AbortSignal;
  pollMs?: number;
  heartbeatMs?: number;
  maxMs?: number;
};

const RECONNECT_MS = 2_000;

/** A short, stable digest of a state: equal states have equal versions. */
export function versionOf(state: unknown): string {
  return createHash("sha256").update(JSON.stringify(state)).digest("base64url").slice(0, 22);
}

export function feedStream<T>(feed: Feed<T>, { since = null, signal, pollMs = 1_000, heartbeatMs = 15_000, maxMs = 5 * 60_000 }: StreamOptions = {}): ReadableStream<Uint8Array> {
  const stopped = new AbortController();
  const stop = () => stopped.abort();
  if (signal?.aborted) stop();
  signal?.addEventListener("abort", stop, { once: true });
  const encoder = new TextEncoder();

  async function pump(controller: ReadableStreamDefaultController<Uint8Array>) {
    const send = (text: string) => controller.enqueue(encoder.encode(text));
    const deadline = Date.now() + maxMs;
    let sent = since;
    let lastWrite = Date.now();
    try {
      send(`retry: ${RECONNECT_MS}\n\n`);
      while (!stopped.signal.aborted) {
        const state = await feed.read();
        if (stopped.signal.aborted) break;
        if (state === null) {
          send("event: end\ndata: {}\n\n");
          break;
        }
        const version = versionOf(state);
        if (version !== sent) {
          send(`id: ${version}\nevent: ${feed.event}\ndata: ${JSON.stringify(state)}\n\n`);
          sent = version;
          lastWrite = Date.now();
        }
        if (feed.isFinal?.(state)) {
          send("event: end\ndata: {}\n\n");
          break;
        }
        if (Date.now() - lastWrite >= heartbeatMs) {
          send(": heartbeat\n\n");
          lastWrite = Date.now();
        }
        if (Date.now() >= deadline) break;
        await sleep(pollMs, undefined, { signal: stopped.signal }).catch(() => undefined);
      }
    } catch (error) {
      // A client that left makes enqueue throw; only a failure while someone listens is news.
      if (!stopped.signal.aborted) log().error({ err: error, event: feed.event }, "event stream failed");
    } finally {
      signal?.removeEventListener("abort", stop);
      stop();
      try {
        controller.close();
      } catch {
        // Already closed by the client's cancel.
      }
    }
  }

  return new ReadableStream<Uint8Array>({
    start(controller) {
      void pump(controller);
    },
    cancel: stop,
  });
}
