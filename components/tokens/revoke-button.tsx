"use client";

import { useState } from "react";
import { useServerAction } from "@/components/forms/use-server-action";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/errors";

/** Two clicks: revoking cuts off every script that uses the token, at once. */
export function RevokeButton({
  tokenId,
  name,
  revokeToken,
}: {
  tokenId: string;
  name: string;
  revokeToken: (input: { tokenId: string }) => Promise<ActionResult<void>>;
}) {
  const [confirming, setConfirming] = useState(false);
  const { run, pending, error } = useServerAction(revokeToken);
  if (!confirming) {
    return (
      <Button size="sm" variant="danger" onClick={() => setConfirming(true)} data-testid="revoke-token">
        Revoke<span className="sr-only"> {name}</span>
      </Button>
    );
  }
  return (
    <span className="inline-flex flex-wrap items-center justify-end gap-2">
      {error ? <span className="text-xs text-red-700">{error.message}</span> : null}
      <Button size="sm" variant="danger" pending={pending} onClick={() => run({ tokenId })} data-testid="confirm-revoke">
        Revoke “{name}” now
      </Button>
      <Button size="sm" variant="ghost" onClick={() => setConfirming(false)}>
        Keep
      </Button>
    </span>
  );
}
