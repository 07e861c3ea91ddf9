"use client";

import { Checkbox, Field } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { KindPresentation } from "@/lib/kinds/types";
import type { QueueCounts } from "@/lib/review/counts";
import { ageOptions, sortOptions, type QueueFilter } from "@/lib/review/queue-filter";
import { reasonFilterOptions } from "@/lib/review/reason-text";
import { stageKeys, stageLabels } from "@/lib/stages/stages";

export type StepOption = { key: string; title: string; kind: string; stage: string };

type Props = {
  filter: QueueFilter;
  counts: QueueCounts;
  projects: { id: string; name: string }[];
  steps: StepOption[];
  kinds: Record<string, KindPresentation>;
  onChange: (next: Partial<QueueFilter>) => void;
};

const withCount = (label: string, count: number | undefined) => `${label} (${count ?? 0})`;

/** The queue's filters and sort, each option with the exact number of items it would leave. */
export function QueueFilters({ filter, counts, projects, steps, kinds, onChange }: Props) {
  const stepsShown = steps.filter((step) => !filter.stage || step.stage === filter.stage);
  const kindsShown = [...new Set([...stepsShown.map((step) => step.kind), "conflict"])];
  return (
    <form role="search" aria-label="Filter the queue" className="flex flex-wrap items-end gap-2" onSubmit={(event) => event.preventDefault()}>
      <Field label="Project" htmlFor="queue-project" className="w-44">
        <Select id="queue-project" value={filter.projectId ?? ""} onChange={(event) => onChange({ projectId: event.target.value || undefined })}>
          <option value="">All projects</option>
          {projects.map((project) => (
            <option key={project.id} value={project.id}>
              {project.name}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Stage" htmlFor="queue-stage" className="w-36">
        <Select id="queue-stage" value={filter.stage ?? ""} onChange={(event) => onChange({ stage: (event.target.value || undefined) as QueueFilter["stage"], step: undefined })}>
          <option value="">All stages</option>
          {stageKeys.map((key) => (
            <option key={key} value={key}>
              {stageLabels[key]}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Step" htmlFor="queue-step" className="w-44">
        <Select id="queue-step" value={filter.step ?? ""} onChange={(event) => onChange({ step: event.target.value || undefined })}>
          <option value="">All steps</option>
          {stepsShown.map((step) => (
            <option key={step.key} value={step.key}>
              {withCount(step.title, counts.byKind[step.kind])}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Kind" htmlFor="queue-kind" className="w-40">
        <Select id="queue-kind" value={filter.kind ?? ""} onChange={(event) => onChange({ kind: event.target.value || undefined })}>
          <option value="">All kinds</option>
          {kindsShown.map((kind) => (
            <option key={kind} value={kind}>
              {withCount(kind === "conflict" ? "Conflict" : (kinds[kind]?.label ?? kind), counts.byKind[kind])}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Reason" htmlFor="queue-reason" className="w-48">
        <Select id="queue-reason" value={filter.reason ?? ""} onChange={(event) => onChange({ reason: (event.target.value || undefined) as QueueFilter["reason"] })}>
          <option value="">Any reason</option>
          {reasonFilterOptions.map((option) => (
            <option key={option.value} value={option.value}>
              {withCount(option.label, counts.byReason[option.value])}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Waiting" htmlFor="queue-age" className="w-40">
        <Select id="queue-age" value={filter.age ?? ""} onChange={(event) => onChange({ age: (event.target.value || undefined) as QueueFilter["age"] })}>
          <option value="">Any time</option>
          {ageOptions.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Sort" htmlFor="queue-sort" className="w-40">
        <Select id="queue-sort" value={filter.sort} onChange={(event) => onChange({ sort: event.target.value as QueueFilter["sort"] })}>
          {sortOptions.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </Select>
      </Field>
      <Checkbox
        className="h-8 text-xs"
        label={`Only items I hold (${counts.mine})`}
        checked={filter.mine === "1"}
        onChange={(event) => onChange({ mine: event.target.checked ? "1" : undefined })}
      />
    </form>
  );
}
