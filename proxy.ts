import { NextResponse, type NextRequest } from "next/server";

/**
 * Sends signed-out visitors of a product page to sign-in with the page to come back to. It only
 * looks for the session cookie; whether the session is valid is decided by requireActor().
 */
const SESSION_COOKIES = ["authjs.session-token", "__Secure-authjs.session-token"];

export function proxy(request: NextRequest) {
  if (SESSION_COOKIES.some((name) => request.cookies.has(name))) return NextResponse.next();
  const login = new URL("/login", request.url);
  const { pathname, search } = request.nextUrl;
  if (pathname !== "/") login.searchParams.set("from", pathname + search);
  return NextResponse.redirect(login);
}

export const config = {
  matcher: ["/((?!api/|_next/|login|favicon.ico|icon|.*\\.(?:svg|png|ico|txt)$).*)"],
};
