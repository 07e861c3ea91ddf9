/**
 * The traceability graph: each link says an artifact was drafted from a parent (a story from its
 * requirements, a test case from its story). Pure functions over it; the database holds the links
 * (ArtifactLink).
 */
export type ArtifactLinkEdge = { artifactId: string; parentId: string };

/** A descendant made stale by a change, with the changed artifacts it derives from (its reason). */
export type StaleDescendant = { id: string; changedAncestors: string[] };

/**
 * Every artifact derived, directly or transitively, from the changed ones, nearest first. A
 * changed artifact that derives from another changed one is stale too: its parent moved under it.
 * Cycles (which drafting never makes, but a hand-edited link could) end the walk, not the process.
 */
export function staleDescendants(links: readonly ArtifactLinkEdge[], changedIds: Iterable<string>): StaleDescendant[] {
  const children = new Map<string, string[]>();
  for (const { artifactId, parentId } of links) {
    const list = children.get(parentId);
    if (list) list.push(artifactId);
    else children.set(parentId, [artifactId]);
  }
  const ancestors = new Map<string, Set<string>>();
  const distance = new Map<string, number>();
  for (const changed of new Set(changedIds)) {
    const seen = new Set<string>([changed]);
    let level = [changed];
    for (let steps = 1; level.length > 0; steps++) {
      const next: string[] = [];
      for (const child of level.flatMap((parent) => children.get(parent) ?? [])) {
        if (seen.has(child)) continue;
        seen.add(child);
        next.push(child);
        ancestors.set(child, (ancestors.get(child) ?? new Set()).add(changed));
        distance.set(child, Math.min(distance.get(child) ?? steps, steps));
      }
      level = next;
    }
  }
  return [...ancestors.entries()]
    .sort(([a], [b]) => distance.get(a)! - distance.get(b)!)
    .map(([id, reasons]) => ({ id, changedAncestors: [...reasons].sort() }));
}

export type TraceNode = { id: string; ref: string; kind: string; stale: boolean };
/** One root (a requirement) and everything drafted from it, by kind; `missingKinds` names the kinds the project has but none of which trace to it. */
export type TraceRow = { root: TraceNode; descendants: Record<string, TraceNode[]>; missingKinds: string[] };

/**
 * The traceability matrix: for each artifact of the root kind, its descendants of every later
 * kind, in `kinds` order, and the gaps: a kind the project drafted of which nothing derives from
 * this root (a requirement no story serves, a story no test case checks).
 */
export function traceabilityMatrix(nodes: readonly TraceNode[], links: readonly ArtifactLinkEdge[], rootKind: string, kinds: readonly string[]): TraceRow[] {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const later = kinds.slice(kinds.indexOf(rootKind) + 1);
  const drafted = new Set(nodes.map((node) => node.kind));
  return nodes
    .filter((node) => node.kind === rootKind)
    .map((root) => {
      const reached = staleDescendants(links, [root.id]).flatMap(({ id }) => byId.get(id) ?? []);
      const descendants = Object.fromEntries(later.map((kind) => [kind, reached.filter((node) => node.kind === kind).sort((a, b) => a.ref.localeCompare(b.ref, "en", { numeric: true }))]));
      return { root, descendants, missingKinds: later.filter((kind) => drafted.has(kind) && descendants[kind].length === 0) };
    });
}
