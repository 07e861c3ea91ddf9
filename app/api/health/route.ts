import { jsonResponse } from "@/lib/api/json-response";

/** Liveness: the process answers HTTP. It touches nothing else, so it never fails for a slow database. */
export const dynamic = "force-dynamic";

export function GET(): Response {
  return jsonResponse({ status: "ok" }, { status: 200 });
}
