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
import { Textarea } from "@/components/ui/textarea";
import { Time } from "@/components/ui/time";
import type { ActionResult } from "@/lib/errors";
import type { whatIfPolicy } from "@/lib/learning/what-if";
import type { PolicyUpdate } from "@/lib/policies/schema";
import type { PolicyView } from "@/lib/policies/service";
import {
  approvalChoices,
  changesBetween,
  formOf,
  percentKeys,
  percentSpecs,
  updateOf,
  type CategoryRow,
  type OverrideChoice,
  type PercentKey,
  type PolicyForm,
} from "./policy-values";
import { WhatIfTable } from "./what-if-table";

type WhatIfResult = Awaited<ReturnType<typeof whatIfPolicy>>;

export type CatalogModel = {
  id: string;
  price: { inputPerMTokUsd: number; outputPerMTokUsd: number };
  unavailableReason: string | null;
};

type Props = {
  policy: PolicyView;
  /** The built-in values version 1 changed, so its history entry can say what changed too. */
  defaults: PolicyView["values"];
  description: string;
  models: CatalogModel[];
  updatePolicy: (input: { stepKey: string; update: PolicyUpdate; reason: string }) => Promise<ActionResult<{ version: number }>>;
  previewPolicy: (input: { stepKey: string; update: PolicyUpdate }) => Promise<ActionResult<WhatIfResult>>;
};

/**
 * One model step's versioned policy. A change is previewed first (the step's past drafts replayed
 * under it), and only the exact values previewed can be saved, with the reason for the change.
 */
export function PolicyCard({ policy, defaults, description, models, updatePolicy, previewPolicy }: Props) {
  const id = useId();
  const [form, setForm] = useState<PolicyForm>(() => formOf(policy.values));
  const [reason, setReason] = useState("");
  const [reasonMissing, setReasonMissing] = useState(false);
  const [shownErrors, setShownErrors] = useState(false);
  const [previewed, setPreviewed] = useState<{ key: string; result: WhatIfResult } | null>(null);
  const preview = useServerAction(previewPolicy);
  const save = useServerAction(updatePolicy);

  const savedCategories = Object.keys(policy.values.categories);
  const { update, errors } = updateOf(form, savedCategories);
  const key = update ? JSON.stringify(update) : null;
  const previewIsCurrent = previewed !== null && previewed.key === key;
  const unchanged = update !== null && JSON.stringify(updateOf(formOf(policy.values), savedCategories).update) === key;
  // Errors show once the admin tries to preview or save, then follow every keystroke.
  const errorOf = (path: string) => (shownErrors ? errors[path] : undefined) ?? fieldError(preview.error ?? save.error, `update.${path}`);

  const options = models.some((m) => m.id === policy.values.modelId)
    ? models
    : [{ id: policy.values.modelId, price: { inputPerMTokUsd: 0, outputPerMTokUsd: 0 }, unavailableReason: null }, ...models];
  const selected = options.find((m) => m.id === form.modelId);
  const set = <K extends keyof PolicyForm>(field: K, value: PolicyForm[K]) => setForm((current) => ({ ...current, [field]: value }));
  const setRow = (category: string, field: PercentKey | "alwaysReview" | "requiredApprovals", value: string) =>
    setForm((current) => ({ ...current, categories: current.categories.map((row) => (row.category === category ? { ...row, [field]: value } : row)) }));
  const free = policy.categories.filter((category) => !form.categories.some((row) => row.category === category));
  const [adding, setAdding] = useState(free[0] ?? "");

  const runPreview = async () => {
    setShownErrors(true);
    save.reset();
    preview.reset();
    if (!update || !key) return;
    const result = await preview.run({ stepKey: policy.stepKey, update });
    setPreviewed(result.ok ? { key, result: result.data } : null);
  };

  const runSave = async () => {
    setShownErrors(true);
    if (!update || !previewIsCurrent) return;
    if (!reason.trim()) {
      setReasonMissing(true);
      return;
    }
    const result = await save.run({ stepKey: policy.stepKey, update, reason: reason.trim() });
    // The page re-renders with the new version as the values in force; this preview compared against the old one.
    if (result.ok) {
      setReason("");
      setPreviewed(null);
    }
  };

  return (
    <Card data-testid={`policy-${policy.stepKey}`}>
      <CardHeader
        title={policy.title}
        description={description}
        actions={<Badge tone="accent">{policy.version === 0 ? "defaults (never changed)" : `version ${policy.version}`}</Badge>}
      />
      <CardBody className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
        <form
          aria-label={`Policy for ${policy.title}`}
          className="space-y-4"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void runSave();
          }}
        >
          <Field
            label="Model"
            htmlFor={`${id}-model`}
            error={errorOf("modelId")}
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
                <option key={model.id} value={model.id} disabled={Boolean(model.unavailableReason) && model.id !== policy.values.modelId}>
                  {model.id}
                  {model.unavailableReason ? ` (unavailable: ${model.unavailableReason})` : ` · $${model.price.inputPerMTokUsd}/$${model.price.outputPerMTokUsd} per MTok`}
                </option>
              ))}
            </Select>
          </Field>

          <fieldset className="grid gap-3 sm:grid-cols-2">
            <legend className="mb-2 text-xs font-semibold text-zinc-700">When drafts are auto-approved</legend>
            {percentKeys.map((field) => (
              <PercentInput
                key={field}
                id={`${id}-${field}`}
                label={percentSpecs[field].label}
                hint={percentSpecs[field].hint}
                value={form[field]}
                error={errorOf(field)}
                onChange={(value) => set(field, value)}
              />
            ))}
            <Field label="Maximum cost per run (USD)" htmlFor={`${id}-cost`} hint="A costlier drafting step sends its drafts to people." error={errorOf("maxCostUsd")}>
              <Input
                id={`${id}-cost`}
                inputMode="decimal"
                value={form.maxCostUsd}
                aria-invalid={Boolean(errorOf("maxCostUsd")) || undefined}
                onChange={(event) => set("maxCostUsd", event.target.value)}
              />
            </Field>
            <Field label="Approvals needed" htmlFor={`${id}-approvals`} hint="Different reviewers who must approve a draft that goes to people (the two-person rule).">
              <Select id={`${id}-approvals`} value={form.requiredApprovals} onChange={(event) => set("requiredApprovals", event.target.value)}>
                {approvalChoices.map((count) => (
                  <option key={count} value={count}>
                    {count === "1" ? "1 reviewer" : `${count} different reviewers`}
                  </option>
                ))}
              </Select>
            </Field>
            <div className="flex items-end pb-1.5">
              <Checkbox label="Always review: send every draft to people" checked={form.alwaysReview} onChange={(event) => set("alwaysReview", event.target.checked)} />
            </div>
          </fieldset>

          <fieldset className="space-y-2">
            <legend className="text-xs font-semibold text-zinc-700">Category overrides</legend>
            <p className="text-xs text-zinc-500">
              A category can be held to its own values, e.g. a lower error rate for security requirements. Leave a field empty to use the step&apos;s value.
            </p>
            {policy.categories.length === 0 ? <p className="text-xs text-zinc-500">This step&apos;s drafts have no categories.</p> : null}
            {form.categories.map((row) => (
              <CategoryOverride
                key={row.category}
                id={`${id}-${row.category}`}
                row={row}
                errorOf={(field) => errorOf(`categories.${row.category}${field ? `.${field}` : ""}`)}
                onChange={(field, value) => setRow(row.category, field, value)}
                onRemove={() => {
                  setForm((current) => ({ ...current, categories: current.categories.filter((other) => other.category !== row.category) }));
                  setAdding(row.category);
                }}
              />
            ))}
            {free.length > 0 ? (
              <div className="flex items-end gap-2">
                <Field label="Category" htmlFor={`${id}-add-category`}>
                  <Select id={`${id}-add-category`} value={free.includes(adding) ? adding : free[0]} onChange={(event) => setAdding(event.target.value)}>
                    {free.map((category) => (
                      <option key={category} value={category}>
                        {category.replaceAll("_", " ")}
                      </option>
                    ))}
                  </Select>
                </Field>
                <Button
                  size="sm"
                  onClick={() => {
                    const category = free.includes(adding) ? adding : free[0];
                    const empty = Object.fromEntries(percentKeys.map((field) => [field, ""])) as Record<PercentKey, string>;
                    setForm((current) => ({ ...current, categories: [...current.categories, { category, alwaysReview: "", requiredApprovals: "", ...empty }] }));
                  }}
                >
                  Add override
                </Button>
              </div>
            ) : null}
          </fieldset>

          <div className="space-y-2 rounded-md border border-zinc-200 bg-zinc-50 p-3">
            <div className="flex flex-wrap items-center gap-2">
              <Button size="sm" variant="secondary" pending={preview.pending} onClick={() => void runPreview()} data-testid="preview-policy">
                Preview the effect
              </Button>
              <span className="text-xs text-zinc-600" aria-live="polite">
                {unchanged
                  ? "These are the values in force."
                  : previewIsCurrent
                    ? "Preview is up to date with these values."
                    : previewed
                      ? "The values changed since the preview: preview again before saving."
                      : "Preview before saving: it replays this step's past drafts under the new values."}
              </span>
            </div>
            <Field
              label="Why this change? (required)"
              htmlFor={`${id}-reason`}
              hint="Kept in the version history and the audit trail."
              error={reasonMissing ? "Say why you change the policy; the history is read by people who were not here." : fieldError(save.error, "reason")}
            >
              <Textarea
                id={`${id}-reason`}
                rows={2}
                maxLength={500}
                value={reason}
                aria-invalid={reasonMissing || undefined}
                onChange={(event) => {
                  setReason(event.target.value);
                  if (event.target.value.trim()) setReasonMissing(false);
                }}
              />
            </Field>
            <FormError error={preview.error ?? save.error} inline={[
                ...["modelId", "maxCostUsd", ...percentKeys].map((path) => `update.${path}`),
                ...form.categories.flatMap((row) => percentKeys.map((field) => `update.categories.${row.category}.${field}`)),
                "reason",
              ]} />
            {save.result?.ok ? (
              <Alert tone="success" role="status">
                Saved as version {save.result.data.version}. The next run of this step uses it.
              </Alert>
            ) : null}
            <div className="flex flex-wrap items-center gap-2">
              <Button type="submit" variant="primary" size="sm" pending={save.pending} disabled={!previewIsCurrent || unchanged} data-testid="save-policy">
                Save as version {policy.version + 1}
              </Button>
              {!previewIsCurrent && !unchanged ? <span className="text-xs text-zinc-500">Saving is enabled after a preview of exactly these values.</span> : null}
            </div>
          </div>
        </form>

        <div className="min-w-0 space-y-4">
          <section aria-label={`Effect of the change to ${policy.title}`} data-testid="what-if">
            <h3 className="mb-2 text-xs font-semibold text-zinc-700">Effect of the change</h3>
            {previewed ? (
              <WhatIfTable result={previewed.result} stale={!previewIsCurrent} />
            ) : (
              <p className="rounded-md border border-dashed border-zinc-300 px-3 py-4 text-sm text-zinc-500">
                Change a value and press “Preview the effect” to compare the current and the proposed policy on this step&apos;s past drafts.
              </p>
            )}
          </section>
          <PolicyHistory history={policy.history} defaults={defaults} />
        </div>
      </CardBody>
    </Card>
  );
}

function PercentInput({ id, label, hint, value, error, onChange }: { id: string; label: string; hint?: string; value: string; error?: string | null; onChange: (value: string) => void }) {
  return (
    <Field label={label} htmlFor={id} hint={hint} error={error}>
      <div className="relative">
        <Input id={id} inputMode="decimal" value={value} aria-invalid={Boolean(error) || undefined} className="pr-7" onChange={(event) => onChange(event.target.value)} />
        <span aria-hidden className="pointer-events-none absolute inset-y-0 right-2.5 flex items-center text-sm text-zinc-500">
          %
        </span>
      </div>
    </Field>
  );
}

function CategoryOverride({
  id,
  row,
  errorOf,
  onChange,
  onRemove,
}: {
  id: string;
  row: CategoryRow;
  errorOf: (field?: string) => string | null | undefined;
  onChange: (field: PercentKey | "alwaysReview" | "requiredApprovals", value: string) => void;
  onRemove: () => void;
}) {
  const label = row.category.replaceAll("_", " ");
  return (
    <div className="space-y-2 rounded-md border border-zinc-200 p-3" data-testid={`override-${row.category}`} role="group" aria-label={`Override for ${label}`}>
      <div className="flex items-center justify-between">
        <p className="text-sm font-medium text-zinc-900 capitalize">{label}</p>
        <Button size="sm" variant="ghost" onClick={onRemove} aria-label={`Remove the ${label} override`}>
          Remove
        </Button>
      </div>
      <div className="grid gap-2 sm:grid-cols-2">
        {percentKeys.map((field) => (
          <PercentInput
            key={field}
            id={`${id}-${field}`}
            label={`${percentSpecs[field].label} (${label})`}
            value={row[field]}
            error={errorOf(field)}
            onChange={(value) => onChange(field, value)}
          />
        ))}
        <Field label={`Always review (${label})`} htmlFor={`${id}-always`}>
          <Select id={`${id}-always`} value={row.alwaysReview} onChange={(event) => onChange("alwaysReview", event.target.value as OverrideChoice)}>
            <option value="">As the step</option>
            <option value="yes">Always send to people</option>
            <option value="no">Not forced</option>
          </Select>
        </Field>
        <Field label={`Approvals needed (${label})`} htmlFor={`${id}-approvals`}>
          <Select id={`${id}-approvals`} value={row.requiredApprovals} onChange={(event) => onChange("requiredApprovals", event.target.value)}>
            <option value="">As the step</option>
            {approvalChoices.map((count) => (
              <option key={count} value={count}>
                {count === "1" ? "1 reviewer" : `${count} different reviewers`}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      {errorOf() ? (
        <p className="text-xs text-red-700" role="alert">
          {errorOf()}
        </p>
      ) : null}
    </div>
  );
}

function PolicyHistory({ history, defaults }: { history: PolicyView["history"]; defaults: PolicyView["values"] }) {
  return (
    <section aria-label="Version history">
      <h3 className="mb-2 text-xs font-semibold text-zinc-700">Version history</h3>
      {history.length === 0 ? (
        <p className="text-sm text-zinc-500">Never changed: the built-in defaults apply.</p>
      ) : (
        <ol className="space-y-2" data-testid="policy-history">
          {history.map((entry, index) => (
            <li key={entry.version} className="rounded-md border border-zinc-200 px-3 py-2 text-sm" data-testid="policy-version">
              <p className="flex flex-wrap items-baseline gap-x-2 text-xs text-zinc-500">
                <span className="font-semibold text-zinc-900">Version {entry.version}</span>
                <span>by {entry.by ?? "the system"}</span>
                <Time iso={entry.at} />
              </p>
              <p className="mt-1 text-zinc-800">{entry.reason ? `“${entry.reason}”` : <span className="text-zinc-500">No reason given</span>}</p>
              {history[index + 1] || entry.version === 1 ? (
                <p className="mt-0.5 text-xs text-zinc-600">
                  {entry.version === 1 ? "From the defaults: " : ""}
                  {changesBetween(history[index + 1]?.values ?? defaults, entry.values).join(" · ")}
                </p>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
