/**
 * Compressing a few hundred bytes costs more CPU than answering a decision, so the compression
 * middleware skips bodies under 1 KB; but Next.js streams every body to it without its length,
 * so it compressed them all. A small body says `no-transform` instead, which the middleware
 * (and proxies) honour.
 */
const COMPRESS_FROM_BYTES = 1024;

/** A JSON answer with its length declared; API answers are never cached. */
export function jsonResponse(body: unknown, init: { status: number; headers?: Record<string, string> }): Response {
  const text = JSON.stringify(body);
  const length = Buffer.byteLength(text);
  return new Response(text, {
    status: init.status,
    headers: {
      "content-type": "application/json",
      "content-length": String(length),
      "cache-control": length < COMPRESS_FROM_BYTES ? "no-store, no-transform" : "no-store",
      ...init.headers,
    },
  });
}
