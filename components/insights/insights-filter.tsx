import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";

export type InsightsFilterValues = { projectId: string; from: string; to: string; interval: string };

/** The project and range of the insights page: a plain GET form, so every view has its own address. */
export function InsightsFilter({
  values,
  projects,
  allProjectsLabel,
  today,
}: {
  values: InsightsFilterValues;
  projects: { id: string; name: string }[];
  allProjectsLabel: string;
  /** Today as a UTC day, for the quick ranges. */
  today: string;
}) {
  const quick = (days: number) => {
    const from = new Date(Date.parse(`${today}T00:00:00.000Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
    const params = new URLSearchParams({ ...(values.projectId ? { projectId: values.projectId } : {}), from, to: today });
    return { href: `/insights?${params}`, active: values.from === from && values.to === today };
  };
  return (
    <form method="get" action="/insights" className="mb-4 flex flex-wrap items-end gap-3" aria-label="Project and range">
      <Field label="Project" htmlFor="insights-project" className="w-64">
        <Select id="insights-project" name="projectId" defaultValue={values.projectId}>
          <option value="">{allProjectsLabel}</option>
          {projects.map((project) => (
            <option key={project.id} value={project.id}>
              {project.name}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="From" htmlFor="insights-from">
        <Input id="insights-from" name="from" type="date" defaultValue={values.from} className="w-36" />
      </Field>
      <Field label="To" htmlFor="insights-to">
        <Input id="insights-to" name="to" type="date" defaultValue={values.to} className="w-36" />
      </Field>
      <Field label="Per" htmlFor="insights-interval">
        <Select id="insights-interval" name="interval" defaultValue={values.interval} className="w-28">
          <option value="">Auto</option>
          <option value="day">Day</option>
          <option value="week">Week</option>
        </Select>
      </Field>
      <Button type="submit" variant="primary">
        Show
      </Button>
      <nav aria-label="Quick ranges" className="flex items-center gap-1 pb-1 text-xs">
        {[7, 30, 90].map((days) => {
          const link = quick(days);
          return (
            <Link
              key={days}
              href={link.href}
              aria-current={link.active ? "true" : undefined}
              className={link.active ? "rounded px-1.5 py-0.5 font-medium text-zinc-900 bg-zinc-100" : "rounded px-1.5 py-0.5 text-zinc-600 hover:bg-zinc-50 hover:text-zinc-900"}
            >
              Last {days} days
            </Link>
          );
        })}
      </nav>
    </form>
  );
}
