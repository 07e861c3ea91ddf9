import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { methodNotAllowedResponse, noEndpointResponse, undecodablePathResponse } from "@/lib/security/api-errors";
import { API_PREFIX, undecodablePath } from "@/lib/security/api-paths";
import { applySecurityHeaders, contentSecurityPolicy, newNonce, servedOverHttps } from "@/lib/security/headers";
import { hasSessionCookie } from "@/lib/security/same-origin";

/**
 * In front of every page and API request: gives each response the security headers (a fresh
 * CSP nonce that Next.js puts on its scripts), refuses undecodable paths with 400 (JSON on the
 * API), answers API requests with a wrong method with a JSON 405, serves /api/v1 paths with a
 * trailing slash as if without it (next.config skips Next's redirect so clients that do not
 * follow redirects on POST still reach the endpoint), and sends signed-out visitors of a product
 * page to sign-in with the page to come back to. It only looks for the session cookie; whether
 * the session is valid is decided by requireActor().
 */
export function proxy(request: NextRequest) {
  const nonce = newNonce();
  const csp = contentSecurityPolicy({ nonce, dev: env().NODE_ENV === "development", https: servedOverHttps(request) });
  const response = route(request, csp);
  applySecurityHeaders(response.headers, request, csp);
  return response;
}

function route(request: NextRequest, csp: string): Response {
  const { pathname, search } = request.nextUrl;
  const stripped = pathname.length > 1 && pathname.endsWith("/") ? pathname.replace(/\/+$/, "") || "/" : pathname;

  const isApi = pathname === API_PREFIX || pathname.startsWith(`${API_PREFIX}/`);
  // Next.js would fail decoding the route's params with a plain-text 500.
  if (undecodablePath(pathname)) {
    return isApi ? undecodablePathResponse(pathname) : new Response("This address is not valid percent-encoded UTF-8.", { status: 400 });
  }
  if (isApi) {
    // No route file serves the bare prefix; Next.js would answer with its HTML 404.
    if (stripped === API_PREFIX) return noEndpointResponse(request.method, stripped);
    const wrongMethod = methodNotAllowedResponse(request.method, stripped);
    if (wrongMethod) return wrongMethod;
    return stripped === pathname ? NextResponse.next() : NextResponse.rewrite(new URL(stripped + search, request.url));
  }
  if (stripped !== pathname) return NextResponse.redirect(new URL(stripped + search, request.url), 308);
  if (pathname.startsWith("/api/")) return NextResponse.next();

  // Next.js reads the nonce from the request's CSP header while rendering and puts it on its scripts.
  const headers = new Headers(request.headers);
  headers.set("Content-Security-Policy", csp);
  if (pathname === "/login" || hasSessionCookie(request.headers.get("cookie"))) return NextResponse.next({ request: { headers } });

  const login = new URL("/login", request.url);
  if (pathname !== "/") login.searchParams.set("from", pathname + search);
  return NextResponse.redirect(login);
}

export const config = {
  matcher: [
    // Every page and the API's bare prefix; not build assets and public files, which carry next.config.ts's headers.
    "/((?!_next/|api/v1/.|favicon.ico|icon|.*\\.(?:svg|png|ico|txt)$).*)",
    // Of the API, only the paths Next.js cannot route: a trailing slash, or percent-encoding that may not decode.
    // The rest go straight to their route (their headers from next.config.ts, a wrong method from
    // lib/api/other-methods.ts): passing through here cost ~1.8 ms of CPU a request.
    "/api/v1/(.*/)",
    "/api/v1/(.*%.*)",
  ],
};
