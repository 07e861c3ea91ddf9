import { ArtifactContent, ConfidenceMeter, categoryOf } from "@/components/review/content";
import { ReasonChips, asReasons } from "@/components/review/reasons";
import { StatusBadge } from "@/components/status/status-badge";
import { Badge } from "@/components/ui/badge";
import { Table, TD, TH, THead, TR } from "@/components/ui/table";
import type { ArtifactView } from "@/lib/artifacts/service";
import { artifactKinds, kindDefinition, presentationOf } from "@/lib/kinds/registry";

/** The stage's drafts as they stand, kind by kind in lifecycle order (requirements before their user stories). */
export function ArtifactTable({ artifacts }: { artifacts: ArtifactView[] }) {
  const ordered = artifactKinds.flatMap((kind) => artifacts.filter((artifact) => artifact.kind === kind));
  return (
    <Table aria-label="Artifacts">
      <THead>
        <tr>
          <TH>Ref</TH>
          <TH>Status</TH>
          <TH className="w-[40%]">Content</TH>
          <TH>Category</TH>
          <TH>Confidence</TH>
          <TH>Routing</TH>
          <TH>Provenance</TH>
        </tr>
      </THead>
      <tbody>
        {ordered.map((artifact) => {
          const routing = artifact.routing;
          const reasons = asReasons(routing?.reasons);
          const presentation = presentationOf(kindDefinition(artifact.kind));
          const category = categoryOf(presentation, artifact.content);
          return (
            <TR key={artifact.id} data-testid="artifact-row" data-ref={artifact.ref}>
              <TD className="font-mono text-xs font-medium whitespace-nowrap">
                {artifact.ref}
                {artifact.version > 1 ? <span className="ml-1 text-zinc-500">v{artifact.version}</span> : null}
              </TD>
              <TD>
                <StatusBadge kind="artifact" status={artifact.status} />
              </TD>
              <TD>
                <ArtifactContent presentation={presentation} content={artifact.content} size="sm" refs={Object.fromEntries(artifact.parents.map((parent) => [parent.id, parent.ref]))} />
                {artifact.parents.length > 0 ? (
                  <p className="mt-1 text-xs text-zinc-500" data-testid="artifact-parents">
                    Drafted from {artifact.parents.map((parent) => parent.ref).join(", ")}
                  </p>
                ) : null}
                {artifact.stale ? (
                  <p className="mt-1 rounded-md bg-amber-50 px-2 py-1 text-xs text-amber-900" data-testid="artifact-stale">
                    <span className="font-semibold">Stale:</span> {artifact.staleReason}
                  </p>
                ) : null}
              </TD>
              <TD className="text-xs whitespace-nowrap">{category ?? <span className="text-zinc-500">{presentation.label}</span>}</TD>
              <TD>
                <ConfidenceMeter value={artifact.confidence} />
              </TD>
              <TD className="min-w-40">
                {routing ? (
                  <div className="space-y-1">
                    <Badge tone={routing.decision === "review" ? "amber" : "teal"}>
                      {routing.decision === "review" ? "Sent to review" : "Auto-approved"}
                    </Badge>
                    <ReasonChips reasons={reasons} className="block" />
                  </div>
                ) : (
                  <span className="text-xs text-zinc-500">—</span>
                )}
              </TD>
              <TD className="text-xs text-zinc-600">
                <p>
                  Drafted by <span className="font-mono">{artifact.provenance.draftedBy.model ?? "unknown model"}</span>
                </p>
                {artifact.provenance.editedBy ? <p className="mt-0.5 text-violet-800">Edited by {artifact.provenance.editedBy.name}</p> : null}
              </TD>
            </TR>
          );
        })}
      </tbody>
    </Table>
  );
}
