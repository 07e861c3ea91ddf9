import clsx from "clsx";
import type { ReactNode } from "react";
import type { KindField, KindPresentation } from "@/lib/kinds/types";

/**
 * An artifact's content rendered from its kind's fields (lib/kinds/registry.ts), read
 * defensively, and shown the same way in the queue and on the stage page.
 */
export type Criterion = { given: string; when: string; then: string };

const text = (value: unknown) => (typeof value === "string" ? value : typeof value === "number" ? String(value) : "");
const strings = (value: unknown) => (Array.isArray(value) ? value.map(text).filter((item) => item !== "") : []);
const records = (value: unknown) => (Array.isArray(value) ? value.filter((item): item is Record<string, unknown> => typeof item === "object" && item !== null) : []);

export function asCriteria(value: unknown): Criterion[] {
  return records(value).map((criterion) => ({ given: text(criterion.given), when: text(criterion.when), then: text(criterion.then) }));
}

/** "fault_tolerance" -> "Fault tolerance" */
export function categoryLabel(category: string): string {
  const words = category.replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The value of the kind's category field, labelled; null when the kind has none. */
export function categoryOf(presentation: KindPresentation, content: unknown): string | null {
  const field = presentation.fields.find((candidate) => candidate.category);
  if (!field) return null;
  const value = text((content as Record<string, unknown> | null)?.[field.key]);
  return value ? categoryLabel(value) : null;
}

type Size = "sm" | "md";

/** Consecutive fields with a lead read as one sentence ("As a clerk, I want ..., so that ..."). */
function groupFields(fields: readonly KindField[]): (KindField | KindField[])[] {
  const groups: (KindField | KindField[])[] = [];
  for (const field of fields) {
    const last = groups.at(-1);
    if (field.lead !== undefined && Array.isArray(last)) last.push(field);
    else groups.push(field.lead !== undefined ? [field] : field);
  }
  return groups;
}

/** `refs` names the artifacts a reference field holds by id (a milestone's stories), when known. */
export function ArtifactContent({ presentation, content, size = "md", refs = {} }: { presentation: KindPresentation; content: unknown; size?: Size; refs?: Record<string, string> }) {
  const values = (content ?? {}) as Record<string, unknown>;
  const unsure = typeof values.unsure === "string" ? values.unsure : null;
  return (
    <div>
      {groupFields(presentation.fields).map((group, index) =>
        Array.isArray(group) ? (
          <Sentence key={index} fields={group} values={values} size={size} />
        ) : (
          <FieldValue key={group.key} field={group} value={values[group.key]} size={size} first={index === 0} refs={refs} />
        ),
      )}
      {unsure ? <UnsureNote text={unsure} /> : null}
    </div>
  );
}

const mainText = (size: Size) => clsx("text-zinc-900", size === "md" ? "text-[15px] leading-6" : "text-sm");

function Sentence({ fields, values, size }: { fields: KindField[]; values: Record<string, unknown>; size: Size }) {
  return (
    <p className={mainText(size)}>
      {fields.map((field) => (
        <span key={field.key}>
          <span className="text-zinc-500">{field.lead}</span>
          {text(values[field.key])}
        </span>
      ))}
      .
    </p>
  );
}

function FieldValue({ field, value, size, first, refs }: { field: KindField; value: unknown; size: Size; first: boolean; refs: Record<string, string> }) {
  switch (field.type) {
    case "text":
    case "longText":
      return first ? <p className={mainText(size)}>{text(value)}</p> : <Labelled label={field.label}>{text(value)}</Labelled>;
    case "choice":
    case "number":
      // The category has its own column in the stage table.
      return size === "sm" && field.category ? null : (
        <p className="mt-1 text-xs text-zinc-500">
          {field.label}: <span className="font-medium text-zinc-700">{field.type === "choice" ? categoryLabel(text(value)) : text(value)}</span>
        </p>
      );
    case "numbers":
      return strings(value).length > 0 ? <Labelled label={field.label}>{strings(value).join(", ")}</Labelled> : null;
    case "criteria":
      return <CriteriaList criteria={asCriteria(value)} />;
    case "reference":
    case "references":
      return <References label={field.label} refs={(field.type === "reference" ? strings([value]) : strings(value)).map((id) => refs[id] ?? id)} />;
    case "list":
      return strings(value).length > 0 ? (
        <Labelled label={field.label}>
          <ul className="list-disc pl-4">
            {strings(value).map((item, index) => (
              <li key={index}>{item}</li>
            ))}
          </ul>
        </Labelled>
      ) : null;
    case "record":
    case "pairs":
    case "records": {
      const rows = field.type === "record" ? records([value]) : records(value);
      return rows.length > 0 ? (
        <Labelled label={field.label}>
          <ul className="space-y-1">
            {rows.map((row, index) => (
              <li key={index} className="rounded-md border border-zinc-200 bg-zinc-50 px-2 py-1">
                {(field.keys ?? Object.keys(row)).map((key) => (
                  <span key={key} className="mr-2">
                    <span className="font-semibold text-zinc-500">{categoryLabel(key)}</span> {Array.isArray(row[key]) ? strings(row[key]).join(", ") : text(row[key])}
                  </span>
                ))}
              </li>
            ))}
          </ul>
        </Labelled>
      ) : null;
    }
    case "quotes":
      // Quotes are shown beside the card, highlighted in their sources (./citations.tsx).
      return null;
  }
}

function Labelled({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="mt-1.5 text-[13px] leading-5 text-zinc-800">
      <span className="text-xs font-medium text-zinc-500">{label}: </span>
      {children}
    </div>
  );
}

function CriteriaList({ criteria }: { criteria: Criterion[] }) {
  if (criteria.length === 0) return null;
  return (
    <ol className="mt-2 space-y-1.5" aria-label="Acceptance criteria">
      {criteria.map((criterion, index) => (
        <li key={index} className="rounded-md border border-zinc-200 bg-zinc-50 px-2.5 py-1.5 text-[13px] leading-5">
          <span className="font-semibold text-zinc-500">Given</span> {criterion.given} <span className="font-semibold text-zinc-500">when</span> {criterion.when}{" "}
          <span className="font-semibold text-zinc-500">then</span> {criterion.then}
        </li>
      ))}
    </ol>
  );
}

function References({ label, refs }: { label: string; refs: string[] }) {
  if (refs.length === 0) return null;
  return (
    <p className="mt-1.5 text-xs text-zinc-500">
      {label}:{" "}
      {refs.map((ref) => (
        <span key={ref} className="mr-1 rounded bg-zinc-100 px-1 font-mono text-[11px] text-zinc-700">
          {ref}
        </span>
      ))}
    </p>
  );
}

function UnsureNote({ text: note }: { text: string }) {
  return (
    <p className="mt-1.5 rounded-md bg-amber-50 px-2 py-1 text-xs text-amber-900">
      <span className="font-semibold">The drafter was unsure:</span> {note}
    </p>
  );
}

export function ConfidenceMeter({ value }: { value: number | null }) {
  if (value === null || value === undefined) return <span className="text-xs text-zinc-500">n/a</span>;
  const percent = Math.round(value * 100);
  const tone = value >= 0.8 ? "bg-emerald-500" : value >= 0.6 ? "bg-amber-500" : "bg-red-500";
  return (
    <span className="inline-flex items-center gap-1.5" title={`Model confidence ${percent}%`}>
      <span className="h-1.5 w-10 overflow-hidden rounded-full bg-zinc-200" aria-hidden>
        <span className={clsx("block h-full", tone)} style={{ width: `${percent}%` }} />
      </span>
      <span className="text-xs text-zinc-700 tabular-nums">{percent}%</span>
    </span>
  );
}

/**
 * What the measured evidence says about a draft: the calibrated chance that reviewers approve it
 * unchanged, learned from past decisions. Unlike the drafter's own confidence, this is checked.
 */
export function CalibratedChance({ value, measured }: { value: number | null; measured: boolean }) {
  if (value === null || value === undefined || !measured) {
    return (
      <span className="text-xs text-zinc-500" data-testid="calibrated">
        Measured: <span className="text-zinc-700">not enough decisions yet</span>
      </span>
    );
  }
  return (
    <span
      className="text-xs text-zinc-500"
      data-testid="calibrated"
      title="From past review decisions on drafts like this one: how often such drafts were approved without changes."
    >
      Measured: <span className="font-semibold text-zinc-800 tabular-nums">{value.toFixed(2)}</span> likely approved unchanged
    </span>
  );
}
