/**
 * Replaces next-auth's NextAuth() under vitest: outside a Next request there are no headers to
 * read a session from, so there is never a browser session, and lib/auth.ts resolves every
 * actor from its Bearer token, for real. The rest of next-auth (its error classes) stays real.
 */
export default function NextAuth() {
  return {
    handlers: {},
    auth: async () => null,
    signIn: async () => undefined,
    signOut: async () => undefined,
  };
}
