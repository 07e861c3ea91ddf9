"use client";

import { useState } from "react";
import { useServerAction } from "@/components/forms/use-server-action";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/errors";
import { emailPreferenceLabels, type EmailPreference, type NotificationPreferences } from "@/lib/notifications/schema";

const explanations: Record<EmailPreference, string> = {
  immediate: "One email for each notification, as it happens.",
  daily: "One email a day (07:00 UTC) listing the notifications you have not read yet.",
  off: "No email; notifications stay in the app's inbox.",
};

/** The email preference as three radio buttons and a save button. */
export function PreferenceForm({ current, save }: { current: EmailPreference; save: (input: NotificationPreferences) => Promise<ActionResult<NotificationPreferences>> }) {
  const [choice, setChoice] = useState<EmailPreference>(current);
  const { run, pending, error, result } = useServerAction(save);
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void run({ email: choice });
      }}
    >
      <fieldset>
        <legend className="text-sm font-medium text-zinc-900">Email me about notifications</legend>
        <div className="mt-2 space-y-2">
          {(Object.keys(emailPreferenceLabels) as EmailPreference[]).map((value) => (
            <label key={value} className="flex cursor-pointer items-start gap-2.5">
              <input type="radio" name="email" value={value} checked={choice === value} onChange={() => setChoice(value)} className="mt-1 accent-accent-600" />
              <span>
                <span className="block text-sm text-zinc-900">{emailPreferenceLabels[value]}</span>
                <span className="block text-xs text-zinc-600">{explanations[value]}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="mt-4 flex items-center gap-3">
        <Button type="submit" variant="primary" pending={pending}>
          Save
        </Button>
        <span className="text-xs" role="status">
          {error ? <span className="text-red-700">{error.message}</span> : result?.ok ? <span className="text-zinc-600">Saved: {emailPreferenceLabels[result.data.email]}.</span> : null}
        </span>
      </div>
    </form>
  );
}
