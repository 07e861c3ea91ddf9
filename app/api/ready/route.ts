import { jsonResponse } from "@/lib/api/json-response";
import { checkReadiness } from "@/lib/ops/readiness";

/** Readiness: 200 when the server can do its work, else 503 naming each failing check. */
export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const readiness = await checkReadiness();
  return jsonResponse(readiness, { status: readiness.status === "ready" ? 200 : 503 });
}
