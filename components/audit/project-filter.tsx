"use client";

import { useRouter } from "next/navigation";
import { ProjectSelect } from "@/components/projects/project-select";

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
    <ProjectSelect
      id="audit-project"
      className="w-64"
      value={value}
      projects={projects}
      everything={allowAll ? { value: "all", label: "Everything (all projects)" } : undefined}
      onChange={(projectId) => router.push(`${basePath}?projectId=${encodeURIComponent(projectId)}`)}
    />
  );
}
