import NextAuth, { CredentialsSignin, type DefaultSession } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { redirect } from "next/navigation";
import type { UserActor } from "@/lib/actors";
import { env } from "@/lib/env";
import { unauthorized } from "@/lib/errors";
import { log } from "@/lib/log";
import { clientAddress } from "@/lib/throttle/client-address";
import { checkToken } from "@/lib/tokens/service";
import { authenticate } from "@/lib/users/service";
import { endSession, SESSION_MAX_AGE_S, sessionActor } from "@/lib/users/sessions";

declare module "next-auth" {
  interface Session {
    user: { id: string } & DefaultSession["user"];
    sessionId?: string;
  }
  interface User {
    sessionId?: string;
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    sid?: string;
  }
}

/** Refused because this address, or this address for this email, failed too often lately. */
export class TooManySignIns extends CredentialsSignin {
  code = "too_many_attempts";
  constructor(readonly retryAfterMs: number) {
    super();
  }
}

/**
 * Email + password sign-in with JWT sessions. The JWT carries the user id and the id of a
 * server-side session row (lib/users/sessions.ts), which currentActor() checks on every request,
 * so signing out, deactivation and a password change end a session even though the cookie lives on.
 */
export const { handlers, auth, signIn, signOut } = NextAuth({
  secret: env().AUTH_SECRET,
  trustHost: true,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
  pages: { signIn: "/login" },
  // Refused credentials are expected and already in the audit trail; log only real failures.
  logger: { error: (error) => (error instanceof CredentialsSignin ? undefined : log().error({ err: error }, "sign-in error")) },
  providers: [
    Credentials({
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      // Auth.js rebuilds the request from the incoming headers, so the client address is there.
      authorize: async (credentials, request) => {
        const result = await authenticate(credentials, { address: clientAddress(request.headers, env().TRUSTED_PROXY_HOPS) });
        if (result.ok) return { id: result.actor.userId, email: result.actor.email, name: result.actor.name, sessionId: result.sessionId };
        if (result.reason === "throttled") throw new TooManySignIns(result.retryAfterMs);
        return null;
      },
    }),
  ],
  callbacks: {
    jwt: ({ token, user }) => {
      if (user?.id) {
        token.sub = user.id;
        token.sid = user.sessionId;
      }
      return token;
    },
    session: ({ session, token }) => {
      if (token.sub) session.user.id = token.sub;
      session.sessionId = token.sid;
      return session;
    },
  },
  events: {
    signOut: async (message) => {
      if ("token" in message && message.token?.sid) await endSession(message.token.sid);
    },
  },
});

/** The signed-in user as they are now in the database, if their session is still live. */
export async function currentActor(): Promise<UserActor | null> {
  const session = await auth();
  if (!session?.user?.id || !session.sessionId) return null;
  return sessionActor(session.sessionId, session.user.id);
}

/** For pages: the signed-in user, or a redirect to the sign-in page. */
export async function requireActor(): Promise<UserActor> {
  const actor = await currentActor();
  if (!actor) redirect("/login");
  return actor;
}

/** For API routes: a Bearer token, or else the browser session. */
export async function actorFromRequest(request: Request): Promise<UserActor> {
  const header = request.headers.get("authorization");
  if (header) {
    const [scheme, secret] = header.split(/\s+/, 2);
    if (scheme?.toLowerCase() !== "bearer" || !secret) throw unauthorized("Send the token as 'Authorization: Bearer <token>'.");
    const checked = await checkToken(secret);
    if (!checked.ok) throw unauthorized(checked.message);
    return checked.actor;
  }
  const actor = await currentActor();
  if (!actor) throw unauthorized();
  return actor;
}
