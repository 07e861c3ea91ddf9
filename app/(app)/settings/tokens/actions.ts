"use server";

import { z } from "zod";
import { action } from "@/lib/actions";
import { createToken, createTokenSchema, revokeToken } from "@/lib/tokens/service";

/** Returns the secret this once; only its hash is kept. */
export const createTokenAction = action(createTokenSchema, async (actor, input) => {
  const token = await createToken(actor, input);
  return { id: token.id, name: token.name, prefix: token.prefix, secret: token.secret };
});

export const revokeTokenAction = action(z.object({ tokenId: z.string().min(1) }), (actor, { tokenId }) => revokeToken(actor, tokenId), {
  revalidate: ["/settings/tokens"],
});
