import { buttonClasses, ButtonLink } from "@/components/ui/button";

const formats = [
  { format: "markdown", label: "Markdown", hint: "one section per stage, to read or commit" },
  { format: "json", label: "JSON", hint: "the whole record, for other tools" },
  { format: "csv", label: "CSV", hint: "one row per artifact, for a spreadsheet" },
] as const;

/**
 * The project's way out: its traceability matrix, and the signed-off work of every stage (with
 * sign-offs, links and provenance) as a file. The menu is a native <details>, so it works
 * without JavaScript and with the keyboard.
 */
export function ProjectTools({ projectId }: { projectId: string }) {
  return (
    <>
      <ButtonLink href={`/projects/${projectId}/traceability`} size="sm" data-testid="traceability-link">
        Traceability
      </ButtonLink>
      <details className="group relative" data-testid="export-menu">
        <summary className={buttonClasses("secondary", "sm", "cursor-pointer list-none [&::-webkit-details-marker]:hidden")}>
          Export
          <span aria-hidden className="text-zinc-500 transition-transform group-open:rotate-180">
            ▾
          </span>
        </summary>
        <div className="absolute right-0 z-20 mt-1 w-72 rounded-md border border-zinc-200 bg-white py-1 shadow-lg">
          <p className="px-3 py-1.5 text-xs text-zinc-500">The signed-off work of every stage, with its sign-offs, links and provenance.</p>
          <ul>
            {formats.map(({ format, label, hint }) => (
              <li key={format}>
                <a href={`/api/v1/projects/${projectId}/export?format=${format}`} download className="block px-3 py-1.5 text-sm text-zinc-800 hover:bg-zinc-50" data-format={format}>
                  {label} <span className="text-xs text-zinc-500">· {hint}</span>
                </a>
              </li>
            ))}
          </ul>
        </div>
      </details>
    </>
  );
}
