"use client";

import { useState } from "react";
import { FormError } from "@/components/forms/form-error";
import { fieldError, useActionForm } from "@/components/forms/use-server-action";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/input";
import type { ActionResult } from "@/lib/errors";

type SavePrice = (form: FormData) => Promise<ActionResult<{ id: string; version: number }>>;

/**
 * Sets a model's price per million tokens: for a listed model (modelId given) or for a model not
 * listed yet, such as a self-hosted one (the admin types its id). Saved as a new version.
 */
export function ModelPriceForm({ modelId, current, savePrice }: { modelId?: string; current?: { input: number; output: number }; savePrice: SavePrice }) {
  const [saved, setSaved] = useState<string | null>(null);
  const { onSubmit, pending, error } = useActionForm(savePrice, {
    beforeSubmit: () => setSaved(null),
    onSuccess: (result) => setSaved(`Saved ${result.id} as version ${result.version}; later calls are charged at it.`),
  });
  const key = modelId ?? "new";
  return (
    <form aria-label={modelId ? `Price of ${modelId}` : "Price of another model"} className="space-y-3" onSubmit={onSubmit}>
      {modelId ? (
        <input type="hidden" name="modelId" value={modelId} />
      ) : (
        <Field label="Model id" htmlFor={`model-${key}`} hint="provider:model, e.g. compat:llama3.1 for a self-hosted model" error={fieldError(error, "modelId")}>
          <Input id={`model-${key}`} name="modelId" required autoComplete="off" />
        </Field>
      )}
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label="Input, US$ per million tokens" htmlFor={`input-${key}`} error={fieldError(error, "inputUsdPerMTok")}>
          <Input id={`input-${key}`} name="inputUsdPerMTok" type="number" min={0} step="any" required defaultValue={current?.input} />
        </Field>
        <Field label="Output, US$ per million tokens" htmlFor={`output-${key}`} error={fieldError(error, "outputUsdPerMTok")}>
          <Input id={`output-${key}`} name="outputUsdPerMTok" type="number" min={0} step="any" required defaultValue={current?.output} />
        </Field>
      </div>
      <Field label="Why (kept with the version)" htmlFor={`reason-${key}`} hint="e.g. the provider's pricing page on the day you checked it" error={fieldError(error, "reason")}>
        <Input id={`reason-${key}`} name="reason" required maxLength={500} autoComplete="off" />
      </Field>
      <FormError error={error} inline={["modelId", "inputUsdPerMTok", "outputUsdPerMTok", "reason"]} />
      {saved ? (
        <Alert tone="success" role="status">
          {saved}
        </Alert>
      ) : null}
      <Button type="submit" variant="primary" size="sm" pending={pending}>
        Save price
      </Button>
    </form>
  );
}
