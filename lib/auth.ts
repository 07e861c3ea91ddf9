import NextAuth, { CredentialsSignin, type DefaultSession } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { redirect } from "next/navigation";
import type { UserActor } from "@/lib/actors";
import { env } from "@/lib/env";
import { unauthorized } from "@/lib/errors";
import { actorFromToken } from "@/lib/tokens/service";
import { authenticate, userActorById } from "@/lib/users/service";

declare module "next-auth" {
  interface Session {
    user: { id: string } & DefaultSession["user"];
  }
}

/** Refused because this email failed to sign in too often lately (see authenticate). */
export class TooManySignIns extends CredentialsSignin {
  code = "too_many_attempts";
}

/** Email + password sign-in with JWT sessions; the session carries only the user id. */
export const { handlers, auth, signIn, signOut } = NextAuth({
  secret: env().AUTH_SECRET,
  trustHost: true,
  session: { strategy: "jwt", maxAge: 60 * 60 * 12 },
  pages: { signIn: "/login" },
  // Refused credentials are expected and already in the audit trail; log only real failures.
  logger: { error: (error) => (error instanceof CredentialsSignin ? undefined : console.error(error)) },
  providers: [
    Credentials({
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      authorize: async (credentials) => {
        const result = await authenticate(credentials);
        if (result.ok) return { id: result.actor.userId, email: result.actor.email, name: result.actor.name };
        if (result.reason === "throttled") throw new TooManySignIns();
        return null;
      },
    }),
  ],
  callbacks: {
    jwt: ({ token, user }) => {
      if (user?.id) token.sub = user.id;
      return token;
    },
    session: ({ session, token }) => {
      if (token.sub) session.user.id = token.sub;
      return session;
    },
  },
});

/** The signed-in user as they are now in the database (roles may have changed since sign-in). */
export async function currentActor(): Promise<UserActor | null> {
  const session = await auth();
  return session?.user?.id ? userActorById(session.user.id) : null;
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
    const actor = await actorFromToken(secret);
    if (!actor) throw unauthorized("The API token is unknown or revoked.");
    return actor;
  }
  const actor = await currentActor();
  if (!actor) throw unauthorized();
  return actor;
}
