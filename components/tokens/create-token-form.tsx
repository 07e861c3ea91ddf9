"use client";

import { useState } from "react";
import { FormError } from "@/components/forms/form-error";
import { fieldError, useActionForm } from "@/components/forms/use-server-action";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Time } from "@/components/ui/time";
import type { ActionResult } from "@/lib/errors";
import { TOKEN_EXPIRY_DAYS } from "@/lib/tokens/schema";

type Created = { id: string; name: string; prefix: string; secret: string; expiresAt: string | null };

const expiryLabel = (days: number) => (days === 365 ? "1 year" : `${days} days`);

export function CreateTokenForm({ createToken }: { createToken: (form: FormData) => Promise<ActionResult<Created>> }) {
  const [created, setCreated] = useState<Created | null>(null);
  const { onSubmit, pending, error } = useActionForm(createToken, { onSuccess: setCreated });
  return (
    <div className="space-y-4">
      <form aria-label="Create API token" className="flex flex-wrap items-end gap-3" onSubmit={onSubmit}>
        <Field label="Token name" htmlFor="token-name" hint="Say where it is used, e.g. “CI pipeline”." error={fieldError(error, "name")} className="w-72">
          <Input id="token-name" name="name" required maxLength={80} />
        </Field>
        <Field label="Expires after" htmlFor="token-expiry" hint="A token for a short job should not outlive it." error={fieldError(error, "expiresInDays")} className="w-44">
          <Select id="token-expiry" name="expiresInDays" defaultValue="90">
            {TOKEN_EXPIRY_DAYS.map((days) => (
              <option key={days} value={String(days)}>
                {expiryLabel(days)}
              </option>
            ))}
            <option value="">Never</option>
          </Select>
        </Field>
        <Button type="submit" variant="primary" pending={pending} data-testid="create-token" className="mb-5">
          Create token
        </Button>
      </form>
      <FormError error={error} inline={["name", "expiresInDays"]} />
      {created ? <NewSecret token={created} onDone={() => setCreated(null)} /> : null}
    </div>
  );
}

function NewSecret({ token, onDone }: { token: Created; onDone: () => void }) {
  const [copied, setCopied] = useState<string | null>(null);
  const origin = typeof window === "undefined" ? "http://localhost:3000" : window.location.origin;
  const curl = `curl -H "Authorization: Bearer ${token.secret}" "${origin}/api/v1/review-items?status=pending"`;
  const copy = async (label: string, text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(label);
    } catch {
      setCopied("blocked");
    }
  };
  return (
    <section aria-label="New token secret" className="rounded-lg border border-emerald-300 bg-emerald-50 p-4" data-testid="token-secret">
      <p className="text-sm font-semibold text-emerald-900">Token “{token.name}” created. Copy its secret now: it is shown only this once.</p>
      <p className="mt-1 text-xs text-emerald-900">
        {token.expiresAt ? (
          <>
            It stops working on <Time iso={token.expiresAt} />.
          </>
        ) : (
          "It does not expire; revoke it when it is no longer needed."
        )}
      </p>
      <div className="mt-2 flex items-center gap-2">
        <code className="block min-w-0 flex-1 truncate rounded-md border border-emerald-200 bg-white px-2.5 py-1.5 font-mono text-[13px] text-zinc-900" aria-label="Token secret">
          {token.secret}
        </code>
        <Button size="sm" onClick={() => copy("secret", token.secret)}>
          {copied === "secret" ? "Copied" : "Copy"}
        </Button>
      </div>
      <p className="mt-3 text-xs text-emerald-900">Try it: list the review items waiting for you.</p>
      <div className="mt-1 flex items-start gap-2">
        <pre className="min-w-0 flex-1 overflow-x-auto rounded-md bg-zinc-900 px-3 py-2 font-mono text-xs text-zinc-100">{curl}</pre>
        <Button size="sm" onClick={() => copy("curl", curl)}>
          {copied === "curl" ? "Copied" : "Copy command"}
        </Button>
      </div>
      {copied === "blocked" ? <p className="mt-2 text-xs text-red-700">The browser blocked the clipboard; select the text and copy it by hand.</p> : null}
      <Button size="sm" variant="ghost" className="mt-3" onClick={onDone}>
        I have copied it
      </Button>
    </section>
  );
}
