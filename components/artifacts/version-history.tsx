import { Time } from "@/components/ui/time";
import type { ArtifactDetail } from "@/lib/artifacts/detail";
import type { FieldDiff } from "@/lib/artifacts/content-diff";

/** Every version of an artifact, newest first: who wrote it (a model in a step, or a person) and, from the second on, what it changed. */
export function VersionHistory({ versions, current }: { versions: ArtifactDetail["versions"]; current: number }) {
  return (
    <ol className="divide-y divide-zinc-100" aria-label="Versions">
      {versions.map((version) => (
        <li key={version.version} className="px-4 py-3" data-testid="artifact-version" data-version={version.version}>
          <p className="text-sm text-zinc-900">
            <span className="font-medium">Version {version.version}</span>
            {version.version === current ? <span className="ml-1.5 text-xs text-zinc-500">(current)</span> : null}
            <span className="text-zinc-600">
              {" "}
              · {version.editedBy ? `written by ${version.editedBy.name}` : `drafted by ${version.model ?? "an unknown model"}${version.step ? ` in ${version.step}` : ""}`} ·{" "}
              <Time iso={version.at} />
            </span>
          </p>
          {version.changes.length > 0 ? (
            <dl className="mt-2 space-y-2">
              {version.changes.map((change) => (
                <WordDiff key={change.field} diff={change} />
              ))}
            </dl>
          ) : version.version > 1 ? (
            <p className="mt-1 text-xs text-zinc-500">No field changed.</p>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

/** Removed words struck through, added ones underlined, as <del> and <ins> so assistive technology says which is which. */
function WordDiff({ diff }: { diff: FieldDiff }) {
  return (
    <div className="text-[13px] leading-5">
      <dt className="text-xs font-medium text-zinc-500">{diff.label}</dt>
      <dd className="whitespace-pre-wrap text-zinc-800">
        {diff.parts.map((part, index) =>
          part.change === "removed" ? (
            <del key={index} className="bg-red-50 text-red-800 decoration-red-400">
              {part.value}
            </del>
          ) : part.change === "added" ? (
            <ins key={index} className="bg-emerald-50 text-emerald-900 decoration-emerald-500">
              {part.value}
            </ins>
          ) : (
            <span key={index}>{part.value}</span>
          ),
        )}
      </dd>
    </div>
  );
}
