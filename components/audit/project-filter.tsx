"use client";

import { useRouter } from "next/navigation";
import { Field } from "@/components/ui/input";
import { Select } from "@/components/ui/select";

/** Switches the page to another project's trail (or every project's, for admins). */
export function ProjectFilter({
  value,
  projects,
  allowAll,
  basePath,
}: {
  value: string;
  projects: { id: string; name: string }[];
  allowAll: boolean;
  basePath: string;
}) {
  const router = useRouter();
  return (
    <Field label="Project" htmlFor="audit-project" className="w-64">
      <Select id="audit-project" value={value} onChange={(event) => router.push(`${basePath}?projectId=${encodeURIComponent(event.target.value)}`)}>
        {allowAll ? <option value="all">Everything (all projects)</option> : null}
        {projects.map((project) => (
          <option key={project.id} value={project.id}>
            {project.name}
          </option>
        ))}
      </Select>
    </Field>
  );
}
