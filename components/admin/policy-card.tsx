"use client";

import { useId, useState } from "react";
import { formatUsd } from "@/components/format";
import { FormError } from "@/components/forms/form-error";
import { fieldError, useServerAction } from "@/components/forms/use-server-action";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Checkbox, Field, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Time } from "@/components/ui/time";
import type { ActionResult } from "@/lib/errors";

export type PolicyValues = { modelId: string; minConfidence: number; maxCostUsd: number; auditSampleRate: number; alwaysReview: boolean };
export type CatalogModel = {
  id: string;
  price: { inputPerMTokUsd: number; outputPerMTokUsd: number };
  unavailableReason: string | null;
};

const percent = (value: number) => (Number.isFinite(value) ? `${Math.round(value * 1000) / 10}%` : "—");

/** One model step's policy: which model drafts, and when its drafts go to people. */
export function PolicyCard({
  step,
  values,
  updatedAt,
  updatedBy,
  models,
  updatePolicy,
}: {
  step: { key: string; title: string; description: string };
  values: PolicyValues;
  updatedAt: string | null;
  updatedBy: string | null;
  models: CatalogModel[];
  updatePolicy: (input: { stepKey: string; values: PolicyValues }) => Promise<ActionResult<PolicyValues>>;
}) {
  const id = useId();
  const [form, setForm] = useState({
    modelId: values.modelId,
    minConfidence: String(values.minConfidence),
    maxCostUsd: String(values.maxCostUsd),
    auditSampleRate: String(values.auditSampleRate),
    alwaysReview: values.alwaysReview,
  });
  const [saved, setSaved] = useState(false);
  const { run, pending, error } = useServerAction(updatePolicy);
  const options = models.some((m) => m.id === values.modelId)
    ? models
    : [{ id: values.modelId, price: { inputPerMTokUsd: 0, outputPerMTokUsd: 0 }, unavailableReason: null }, ...models];
  const selected = options.find((m) => m.id === form.modelId);
  const set = <K extends keyof typeof form>(key: K, value: (typeof form)[K]) => {
    setSaved(false);
    setForm((current) => ({ ...current, [key]: value }));
  };
  const issue = (path: string) => fieldError(error, `values.${path}`);

  return (
    <Card data-testid={`policy-${step.key}`}>
      <CardHeader title={step.title} description={step.description} actions={<Badge tone="accent">model step</Badge>} />
      <CardBody>
        <form
          aria-label={`Policy for ${step.title}`}
          className="space-y-3"
          onSubmit={async (event) => {
            event.preventDefault();
            const result = await run({
              stepKey: step.key,
              values: {
                modelId: form.modelId,
                minConfidence: Number(form.minConfidence),
                maxCostUsd: Number(form.maxCostUsd),
                auditSampleRate: Number(form.auditSampleRate),
                alwaysReview: form.alwaysReview,
              },
            });
            setSaved(result.ok);
          }}
        >
          <Field
            label="Model"
            htmlFor={`${id}-model`}
            error={issue("modelId")}
            hint={
              selected?.unavailableReason
                ? `Not available here: ${selected.unavailableReason}.`
                : selected
                  ? `${formatUsd(selected.price.inputPerMTokUsd)} in / ${formatUsd(selected.price.outputPerMTokUsd)} out per million tokens.`
                  : undefined
            }
          >
            <Select id={`${id}-model`} value={form.modelId} onChange={(event) => set("modelId", event.target.value)}>
              {options.map((model) => (
                <option key={model.id} value={model.id} disabled={Boolean(model.unavailableReason) && model.id !== values.modelId}>
                  {model.id}
                  {model.unavailableReason
                    ? ` (unavailable: ${model.unavailableReason})`
                    : ` · $${model.price.inputPerMTokUsd}/$${model.price.outputPerMTokUsd} per MTok`}
                </option>
              ))}
            </Select>
          </Field>
          <div className="grid gap-3 sm:grid-cols-3">
            <Field label="Min confidence" htmlFor={`${id}-confidence`} hint={`Below ${percent(Number(form.minConfidence))} goes to review.`} error={issue("minConfidence")}>
              <Input
                id={`${id}-confidence`}
                type="number"
                inputMode="decimal"
                min={0}
                max={1}
                step={0.05}
                value={form.minConfidence}
                onChange={(event) => set("minConfidence", event.target.value)}
              />
            </Field>
            <Field label="Max cost (USD)" htmlFor={`${id}-cost`} hint="A costlier drafting step sends its items to review." error={issue("maxCostUsd")}>
              <Input
                id={`${id}-cost`}
                type="number"
                inputMode="decimal"
                min={0}
                step={0.01}
                value={form.maxCostUsd}
                onChange={(event) => set("maxCostUsd", event.target.value)}
              />
            </Field>
            <Field
              label="Audit sample rate"
              htmlFor={`${id}-sample`}
              hint={`${percent(Number(form.auditSampleRate))} of clean items still go to review, at random.`}
              error={issue("auditSampleRate")}
            >
              <Input
                id={`${id}-sample`}
                type="number"
                inputMode="decimal"
                min={0}
                max={1}
                step={0.01}
                value={form.auditSampleRate}
                onChange={(event) => set("auditSampleRate", event.target.value)}
              />
            </Field>
          </div>
          <Checkbox
            label="Always review: send every item of this step to people"
            checked={form.alwaysReview}
            onChange={(event) => set("alwaysReview", event.target.checked)}
          />
          <FormError
            error={error}
            inline={["values.modelId", "values.minConfidence", "values.maxCostUsd", "values.auditSampleRate"]}
            labels={{ "values.alwaysReview": "Always review" }}
          />
          {saved ? (
            <Alert tone="success" role="status">
              Saved. The next run of this step uses it.
            </Alert>
          ) : null}
          <div className="flex items-center justify-between gap-3">
            <Button type="submit" variant="primary" size="sm" pending={pending} data-testid="save-policy">
              Save policy
            </Button>
            <p className="text-xs text-zinc-500">
              {updatedAt ? (
                <>
                  Last changed by {updatedBy ?? "someone"}, <Time iso={updatedAt} />
                </>
              ) : (
                "Using the defaults."
              )}
            </p>
          </div>
        </form>
      </CardBody>
    </Card>
  );
}
