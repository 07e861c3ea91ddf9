import type { endpoints } from "@/lib/api/schemas";

/**
 * The shape of /api/v1 as the proxy needs it: which methods each path answers, to give a JSON
 * 405 with `Allow` instead of Next's empty one. The proxy cannot import lib/api/schemas.ts (it
 * pulls in the database and the model providers), so this list mirrors the endpoint table and
 * the compiler keeps the two equal: an endpoint added there fails the build until it is listed
 * here, and a line here that the table lacks fails too.
 */
export const API_PREFIX = "/api/v1";

type Table = typeof endpoints;
type RouteOf<Name extends keyof Table> = `${Uppercase<Table[Name]["method"]>} ${Table[Name]["path"]}`;
type Route = { [Name in keyof Table]: RouteOf<Name> }[keyof Table];

export const apiRoutes = [
  "GET /projects",
  "POST /projects",
  "GET /projects/{id}/sources",
  "POST /projects/{id}/sources",
  "PATCH /projects/{id}/sources/{sourceId}",
  "DELETE /projects/{id}/sources/{sourceId}",
  "POST /projects/{id}/runs",
  "GET /runs/{id}",
  "GET /runs/{id}/events",
  "GET /step-runs/{id}",
  "GET /events",
  "GET /projects/{id}/artifacts",
  "POST /artifacts/{id}/revisions",
  "GET /artifacts/{id}/versions",
  "GET /projects/{id}/traceability",
  "GET /projects/{id}/export",
  "GET /review-items",
  "POST /review-items/{id}/decision",
  "POST /review-items/{id}/claim",
  "DELETE /review-items/{id}/claim",
  "POST /review-items/{id}/undo",
  "POST /review-items/{id}/adjudication",
  "POST /review-items/bulk-decision",
  "GET /projects/{id}/stages",
  "PUT /projects/{id}/stages/{key}",
  "POST /projects/{id}/stages/{key}/sign-off",
  "GET /audit",
  "GET /policies",
  "GET /policies/{stepKey}",
  "PATCH /policies/{stepKey}",
  "POST /policies/{stepKey}/what-if",
  "GET /steps/{stepKey}/calibration",
  "POST /steps/{stepKey}/calibration",
  "GET /insights",
  "GET /models",
  "GET /models/{modelId}",
  "PUT /models/{modelId}",
  "PATCH /projects/{id}",
  "PUT /runs/{id}/budget",
  "POST /runs/{id}/approve-overspend",
  "GET /delegations",
  "POST /delegations",
  "DELETE /delegations/{id}",
  "GET /notifications",
  "POST /notifications/read",
  "GET /me/notification-preferences",
  "PUT /me/notification-preferences",
  "GET /admin/emails",
  "GET /webhooks",
  "POST /webhooks",
  "PATCH /webhooks/{id}",
  "DELETE /webhooks/{id}",
  "GET /webhooks/{id}/deliveries",
  "POST /webhooks/{id}/deliveries/{deliveryId}/redeliver",
  "GET /openapi.json",
] as const satisfies readonly Route[];

type Unlisted = Exclude<Route, (typeof apiRoutes)[number]>;
// Reads as "Type 'true' is not assignable to { addToApiRoutes: '<METHOD> <path>' }" when one is missing.
const everyEndpointListed: [Unlisted] extends [never] ? true : { addToApiRoutes: Unlisted } = true;
void everyEndpointListed;

/** Each route split once: its method, and its segments (null for a template segment such as {id}, which matches any one). */
const compiledRoutes = apiRoutes.map((route) => {
  const [method, template] = route.split(" ");
  return { method, parts: template.split("/").filter(Boolean).map((part) => (/^\{\w+\}$/.test(part) ? null : part)) };
});

function matches(parts: readonly (string | null)[], segments: readonly string[]): boolean {
  return parts.length === segments.length && parts.every((part, i) => part === null || part === segments[i]);
}

/**
 * The methods a path under /api/v1 answers, as an `Allow` list (with the HEAD and OPTIONS Next
 * adds), or null when no endpoint has this path. The proxy asks this for every API request.
 */
export function allowedMethods(pathname: string): string[] | null {
  if (!pathname.startsWith(`${API_PREFIX}/`)) return null;
  const segments = pathname.slice(API_PREFIX.length).split("/").filter(Boolean);
  const methods = new Set<string>();
  for (const route of compiledRoutes) if (matches(route.parts, segments)) methods.add(route.method);
  if (methods.size === 0) return null;
  if (methods.has("GET")) methods.add("HEAD");
  methods.add("OPTIONS");
  return [...methods].sort();
}

/** A path with a segment that is not valid percent-encoded UTF-8 names nothing and cannot be routed. */
export function undecodablePath(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return false;
  } catch {
    return true;
  }
}
