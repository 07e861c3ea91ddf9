import Link from "next/link";
import { buttonClasses, Button } from "@/components/ui/button";
import { Checkbox, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { TraceFilter } from "@/lib/artifacts/traceability";

/**
 * The matrix's filters as a plain GET form: the page reads them from the address, so a
 * filtered view can be shared as a link and exported as the same CSV.
 */
export function TraceFilters({
  basePath,
  filter,
  kinds,
  gapOptions,
}: {
  basePath: string;
  filter: TraceFilter;
  kinds: { kind: string; label: string }[];
  /** The gaps there are to filter by, with their counts (lib/artifacts/traceability.ts gapChoices). */
  gapOptions: { value: string; label: string; count: number }[];
}) {
  const later = kinds.slice(1);
  // A filter chosen earlier stays selectable even when no gap of it is left.
  const options = filter.gap && filter.gap !== "any" && !gapOptions.some((option) => option.value === filter.gap) ? [...gapOptions, { value: filter.gap, label: filter.gap.replaceAll("_", " "), count: 0 }] : gapOptions;
  return (
    <form method="get" action={basePath} className="flex flex-wrap items-end gap-3" aria-label="Filter the matrix">
      <label className="space-y-1">
        <span className="block text-xs font-medium text-zinc-700">Text</span>
        <Input name="q" type="search" defaultValue={filter.q ?? ""} placeholder="REQ-3, renew, …" className="w-48" />
      </label>
      <label className="space-y-1">
        <span className="block text-xs font-medium text-zinc-700">Gap</span>
        <Select name="gap" defaultValue={filter.gap ?? ""} className="w-56">
          <option value="">Any row</option>
          <option value="any">Rows with any gap</option>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label} ({option.count})
            </option>
          ))}
        </Select>
      </label>
      <label className="space-y-1">
        <span className="block text-xs font-medium text-zinc-700">Column</span>
        <Select name="kind" defaultValue={filter.kind ?? ""} className="w-48">
          <option value="">Every kind</option>
          {later.map((info) => (
            <option key={info.kind} value={info.kind}>
              {info.label}
            </option>
          ))}
        </Select>
      </label>
      <Checkbox name="stale" value="true" defaultChecked={filter.stale === true} label="Only stale work" className="h-8" />
      <div className="flex items-center gap-2">
        <Button type="submit" size="md" variant="primary">
          Filter
        </Button>
        <Link href={basePath} className={buttonClasses("ghost", "md")}>
          Clear
        </Link>
      </div>
    </form>
  );
}
