/** Liveness: the process answers HTTP. It touches nothing else, so it never fails for a slow database. */
export const dynamic = "force-dynamic";

export function GET(): Response {
  return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
}
