"use client";

import { useState } from "react";
import { FormError } from "@/components/forms/form-error";
import { useServerAction } from "@/components/forms/use-server-action";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Checkbox, Field, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { ActionResult } from "@/lib/errors";
import type { StageKey } from "@/lib/generated/sqlite/enums";
import { slaAmount, slaMinutesFrom, slaUnits, type SlaUnit } from "@/lib/sla/rules";

type Person = { id: string; email: string; name: string };
type SlaInput = { projectId: string; stage: StageKey; slaMinutes: number | null; slaBusinessHours: boolean; fallbackOwnerEmail?: string | null };
type Sla = { minutes: number | null; businessHours: boolean; fallbackOwner: Person | null };

/**
 * A stage's SLA ladder: how long an item may wait before its reviewers are reminded, then the
 * owner, then the fallback owner (each one period later). The owner sets the time; only admins
 * name the fallback owner. Nothing is ever approved because time ran out.
 */
export function StageSlaForm({
  projectId,
  stage,
  sla,
  users,
  mayAssignFallbackOwner,
  updateSla,
}: {
  projectId: string;
  stage: StageKey;
  sla: Sla;
  users: Person[];
  mayAssignFallbackOwner: boolean;
  updateSla: (input: SlaInput) => Promise<ActionResult<unknown>>;
}) {
  const initial = sla.minutes === null ? null : slaAmount(sla.minutes, sla.businessHours);
  const [amount, setAmount] = useState(initial ? String(initial.amount) : "");
  const [unit, setUnit] = useState<SlaUnit>(initial?.unit ?? "hours");
  const [businessHours, setBusinessHours] = useState(sla.businessHours);
  const [fallback, setFallback] = useState(sla.fallbackOwner?.email ?? "");
  const [saved, setSaved] = useState(false);
  const { run, pending, error } = useServerAction(updateSla);
  const parsed = amount.trim() === "" ? null : Number(amount);
  const invalidAmount = parsed !== null && !(parsed > 0);

  return (
    <form
      aria-label="Stage SLA"
      className="space-y-3"
      onSubmit={async (event) => {
        event.preventDefault();
        setSaved(false);
        const result = await run({
          projectId,
          stage,
          slaMinutes: parsed === null ? null : slaMinutesFrom(parsed, unit, businessHours),
          slaBusinessHours: businessHours,
          ...(mayAssignFallbackOwner ? { fallbackOwnerEmail: fallback || null } : {}),
        });
        setSaved(result.ok);
      }}
      onChange={() => setSaved(false)}
    >
      <p className="text-xs text-zinc-600">
        When an item waits this long, its reviewers are reminded (or whoever holds it); one period later the stage owner is told, then the fallback owner. Nothing is decided automatically.
      </p>
      <div className="flex flex-wrap items-end gap-3">
        <Field label="Due after" htmlFor="stage-sla-amount" hint="Empty for no SLA." error={invalidAmount ? "enter a positive number" : null} className="w-32">
          <Input id="stage-sla-amount" inputMode="decimal" value={amount} onChange={(event) => setAmount(event.target.value)} />
        </Field>
        <Field label="Unit" htmlFor="stage-sla-unit" className="w-32">
          <Select id="stage-sla-unit" value={unit} onChange={(event) => setUnit(event.target.value as SlaUnit)}>
            {slaUnits.map((candidate) => (
              <option key={candidate} value={candidate}>
                {candidate}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <Checkbox
        label="Count business hours only (Monday to Friday, 09:00-17:00 UTC; a day is 8 hours)"
        checked={businessHours}
        onChange={(event) => setBusinessHours(event.target.checked)}
      />
      {mayAssignFallbackOwner ? (
        <Field label="Fallback owner" htmlFor="stage-sla-fallback" hint="Told last, after the stage owner.">
          <Select id="stage-sla-fallback" value={fallback} onChange={(event) => setFallback(event.target.value)}>
            <option value="">Nobody (the ladder ends with the owner)</option>
            {users.map((user) => (
              <option key={user.id} value={user.email}>
                {user.name} ({user.email})
              </option>
            ))}
          </Select>
        </Field>
      ) : (
        <p className="text-xs text-zinc-600">Fallback owner: {sla.fallbackOwner ? `${sla.fallbackOwner.name} (${sla.fallbackOwner.email})` : "nobody; an admin can name one"}.</p>
      )}
      <FormError error={error} />
      {saved ? (
        <Alert tone="success" role="status">
          Saved.
        </Alert>
      ) : null}
      <Button type="submit" size="sm" pending={pending} disabled={invalidAmount} data-testid="save-sla">
        Save SLA
      </Button>
    </form>
  );
}
