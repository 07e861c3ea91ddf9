import { AppError, badRequest, errorBody, errorResponse } from "@/lib/errors";
import { jsonResponse } from "@/lib/api/json-response";
import { allowedMethods } from "./api-paths";

/**
 * The JSON errors for requests that reach no endpoint, in the one error shape: answered by the
 * proxy in production (where Next.js would give a plain-text 500, an empty 405 or an HTML 404)
 * and by the catch-all route.
 */
export function undecodablePathResponse(pathname: string): Response {
  return errorResponse(badRequest(`The path ${pathname} is not valid percent-encoded UTF-8.`));
}

/** 405 naming the methods the path answers, or null when the method is one of them or no endpoint has the path. */
export function methodNotAllowedResponse(method: string, pathname: string): Response | null {
  const allowed = allowedMethods(pathname);
  if (!allowed || allowed.includes(method.toUpperCase())) return null;
  const message = `${pathname} does not answer ${method}; it answers ${allowed.join(", ")}.`;
  return jsonResponse(errorBody(new AppError("method_not_allowed", message)), { status: 405, headers: { Allow: allowed.join(", ") } });
}

/** For a path no endpoint has: 405 when another method would do, else 404. */
export function noEndpointResponse(method: string, pathname: string): Response {
  return (
    methodNotAllowedResponse(method, pathname) ??
    errorResponse(new AppError("not_found", `No API route matches ${method} ${pathname}. The routes are listed at /api/v1/openapi.json.`))
  );
}
