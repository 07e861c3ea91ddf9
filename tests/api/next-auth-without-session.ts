/**
 * Stands in for next-auth under vitest, where its import of next/server does not resolve. There
 * is never a browser session, so lib/auth.ts resolves every actor from its Bearer token, for real.
 */
export default function NextAuth() {
  return {
    handlers: {},
    auth: async () => null,
    signIn: async () => undefined,
    signOut: async () => undefined,
  };
}
