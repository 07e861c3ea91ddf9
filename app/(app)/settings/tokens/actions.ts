"use server";

import { z } from "zod";
import { action, granted } from "@/lib/actions";
import { createTokenSchema } from "@/lib/tokens/schema";
import { createToken, revokeToken } from "@/lib/tokens/service";

/** Returns the secret this once; only its hash is kept. */
export const createTokenAction = action(createTokenSchema, granted("tokens:manageOwn"), async (actor, input) => {
  const token = await createToken(actor, input);
  return { id: token.id, name: token.name, prefix: token.prefix, secret: token.secret, expiresAt: token.expiresAt?.toISOString() ?? null };
});

// The service refuses a token that is not the actor's own.
export const revokeTokenAction = action(z.object({ tokenId: z.string().min(1) }), granted("tokens:manageOwn"), (actor, { tokenId }) => revokeToken(actor, tokenId), {
  revalidate: ["/settings/tokens"],
});
