import { Field } from "@/components/ui/input";
import { Select } from "@/components/ui/select";

/** A "Project" picker for filters; `everything` is the label of the no-filter option, if there is one. */
export function ProjectSelect({
  id,
  value,
  projects,
  everything,
  onChange,
  className,
}: {
  id: string;
  value: string;
  projects: { id: string; name: string }[];
  everything?: { value: string; label: string };
  onChange: (projectId: string) => void;
  className?: string;
}) {
  return (
    <Field label="Project" htmlFor={id} className={className}>
      <Select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        {everything ? <option value={everything.value}>{everything.label}</option> : null}
        {projects.map((project) => (
          <option key={project.id} value={project.id}>
            {project.name}
          </option>
        ))}
      </Select>
    </Field>
  );
}
