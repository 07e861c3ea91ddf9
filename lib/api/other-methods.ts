import { allowedMethods } from "@/lib/security/api-paths";
import { unknownRoute } from "./handler";

/**
 * The methods a route file does not implement, answered as the API answers every error: every
 * route file under app/api/v1 re-exports this module (`export * from`), and a method the file
 * exports itself takes precedence over the one here. Without it Next.js answers an empty 405
 * (and an OPTIONS listing every method), and API requests are too many to send each through
 * proxy.ts first: Next.js's middleware cost ~1.8 ms of CPU a request, a decision 6.3 ms instead of
 * 4.5 (`npm run bench:scale`).
 */
export { unknownRoute as GET, unknownRoute as POST, unknownRoute as PUT, unknownRoute as PATCH, unknownRoute as DELETE };

/** The methods the path answers; 404 for a path no endpoint has. */
export function OPTIONS(request: Request): Response {
  const allowed = allowedMethods(new URL(request.url).pathname);
  return allowed ? new Response(null, { status: 204, headers: { Allow: allowed.join(", ") } }) : unknownRoute(request);
}
