/**
 * Whether a request that carries the browser session may act with it. Browsers attach the
 * session cookie (SameSite=Lax) to requests from other ports of the same host and to top-level
 * form posts, so the cookie alone does not show the user meant the request.
 */
const SESSION_COOKIES = ["authjs.session-token", "__Secure-authjs.session-token"];

/** Auth.js splits a large session into `<name>.0`, `<name>.1`, ...; any part counts. */
export function hasSessionCookie(cookieHeader: string | null): boolean {
  if (!cookieHeader) return false;
  return cookieHeader.split(";").some((pair) => {
    const name = pair.split("=", 1)[0].trim();
    return SESSION_COOKIES.some((session) => name === session || name.startsWith(`${session}.`));
  });
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Why a request with the session cookie may not use it, or null when it may. Sec-Fetch-Site
 * decides when the browser sends it (same-origin, or none for a typed address); otherwise the
 * Origin must be the app's own. Without either, only reads are allowed: every browser that
 * posts sends at least one of them, so their absence on a mutation is not a page of ours.
 */
export function sessionRefusal(request: Request): string | null {
  const reason = refusalReason(request);
  return reason && `${reason} The session cookie only works for pages of this app; scripts and other sites send 'Authorization: Bearer <token>'.`;
}

function refusalReason(request: Request): string | null {
  const site = request.headers.get("sec-fetch-site")?.toLowerCase();
  if (site) return site === "same-origin" || site === "none" ? null : `The request came from another origin (Sec-Fetch-Site: ${site}).`;
  const origin = request.headers.get("origin");
  if (origin) return origin.toLowerCase() === ownOrigin(request) ? null : `The request came from another origin (${origin}).`;
  return SAFE_METHODS.has(request.method.toUpperCase()) ? null : "The request does not say where it came from (no Origin or Sec-Fetch-Site).";
}

/**
 * The origin the browser saw. Behind a proxy that terminates TLS the request URL says http:
 * and the forwarded headers say what the browser used; a cross-site page cannot set them.
 */
function ownOrigin(request: Request): string {
  const url = new URL(request.url);
  const first = (name: string) => request.headers.get(name)?.split(",")[0]?.trim();
  const protocol = first("x-forwarded-proto") ?? url.protocol.replace(/:$/, "");
  const host = first("x-forwarded-host") ?? request.headers.get("host") ?? url.host;
  return `${protocol}://${host}`.toLowerCase();
}
