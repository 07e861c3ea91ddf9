import type { KindField } from "@/lib/kinds/types";

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
export type TraceRow<Node extends TraceNode = TraceNode> = { root: Node; descendants: Record<string, Node[]>; missingKinds: string[] };

/**
 * The traceability matrix: for each artifact of the root kind, its descendants of every later
 * kind, in `kinds` order, and the gaps: a kind the project drafted of which nothing derives from
 * this root (a requirement no story serves, a story no test case checks).
 */
export function traceabilityMatrix<Node extends TraceNode>(nodes: readonly Node[], links: readonly ArtifactLinkEdge[], rootKind: string, kinds: readonly string[]): TraceRow<Node>[] {
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

/** A node with its content, for the gaps its kind's fields reveal. */
export type ContentNode = TraceNode & { content: Record<string, unknown> };
/** What the gap rules read of a kind: its label and fields (lib/kinds/registry.ts), nothing branches on its name. */
export type KindInfo = { kind: string; label: string; fields: readonly KindField[] };

/**
 * A hole in the trace. no_trace: nothing of `kind` derives from the artifact (a requirement no
 * story serves); not_named: no artifact of `kind` names it in a reference field, though others
 * of its kind are named (a story no task is for); untested_criterion: no test names the story
 * and that criterion.
 */
export type TraceGap = { code: "no_trace" | "not_named" | "untested_criterion"; artifactId: string; ref: string; kind: string; criterionIndex: number | null; message: string };

const lower = (label: string) => label.charAt(0).toLowerCase() + label.slice(1);
const textOf = (value: unknown) => (typeof value === "string" ? value : "");

/** The ids (or refs, as a story names its requirements) a node's reference fields hold. */
function namedBy(node: ContentNode, fields: readonly KindField[]): string[] {
  return fields.flatMap((field) => {
    const value = node.content[field.key];
    if (field.type === "reference") return typeof value === "string" ? [value] : [];
    if (field.type === "references") return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
    return [];
  });
}

/**
 * Gaps a kind's reference fields reveal: when any task names a story, every story should be
 * named by some task. The kinds a field points to are read from what it actually names, so
 * a new kind with a reference field brings its own gap rule. Pure.
 */
export function namedGaps(nodes: readonly ContentNode[], kinds: readonly KindInfo[]): TraceGap[] {
  const byKey = new Map<string, ContentNode>();
  for (const node of nodes) byKey.set(node.id, node).set(node.ref, node);
  const gaps: TraceGap[] = [];
  for (const info of kinds) {
    const naming = nodes.filter((node) => node.kind === info.kind);
    const named = new Set(naming.flatMap((node) => namedBy(node, info.fields)).flatMap((key) => byKey.get(key)?.id ?? []));
    const targetKinds = new Set(nodes.filter((node) => named.has(node.id)).map((node) => node.kind));
    for (const node of nodes) {
      if (!targetKinds.has(node.kind) || named.has(node.id)) continue;
      gaps.push({ code: "not_named", artifactId: node.id, ref: node.ref, kind: info.kind, criterionIndex: null, message: `No ${lower(info.label)} names ${node.ref}` });
    }
  }
  return gaps;
}

export type Criterion = { given: string; when: string; then: string };
export type CriterionCoverage<Node extends TraceNode = TraceNode> = { artifact: Node; index: number; criterion: Criterion; tests: Node[] };

/**
 * Every acceptance criterion (any field of type "criteria") with the tests that check it: the
 * artifacts of the testing kinds that name its artifact and carry its 0-based `criterionIndex`
 * (the test kind's contract). Pure.
 */
export function criterionCoverage<Node extends ContentNode>(nodes: readonly Node[], kinds: readonly KindInfo[], testKinds: readonly string[]): CriterionCoverage<Node>[] {
  const fieldsOf = new Map(kinds.map((info) => [info.kind, info.fields]));
  const tests = nodes.filter((node) => testKinds.includes(node.kind));
  return nodes.flatMap((node) =>
    (fieldsOf.get(node.kind) ?? [])
      .filter((field) => field.type === "criteria")
      .flatMap((field) => {
        const criteria = Array.isArray(node.content[field.key]) ? (node.content[field.key] as unknown[]) : [];
        return criteria.map((raw, index) => {
          const criterion = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
          return {
            artifact: node,
            index,
            criterion: { given: textOf(criterion.given), when: textOf(criterion.when), then: textOf(criterion.then) },
            tests: tests.filter((test) => test.content.criterionIndex === index && namedBy(test, fieldsOf.get(test.kind) ?? []).some((key) => key === node.id || key === node.ref)),
          };
        });
      }),
  );
}

/**
 * Every gap in the project, artifact by artifact: a root no test traces to (through its stories),
 * the references nobody makes (a requirement no story names, a story no task or test case names,
 * a story in no milestone), and the criteria no test checks. Kinds that serve many artifacts at
 * once without naming them (an ADR, a runbook) leave no gap where they are absent: nothing says
 * each requirement needs one. A hole named both ways is listed once. Pure.
 */
export function traceGaps<Node extends ContentNode>(rows: readonly TraceRow<Node>[], nodes: readonly Node[], kinds: readonly KindInfo[], testKinds: readonly string[]): TraceGap[] {
  const label = new Map(kinds.map((info) => [info.kind, info.label]));
  const traced: TraceGap[] = rows.flatMap((row) =>
    row.missingKinds
      .filter((kind) => testKinds.includes(kind))
      .map((kind) => ({
        code: "no_trace" as const,
        artifactId: row.root.id,
        ref: row.root.ref,
        kind,
        criterionIndex: null,
        message: `No ${lower(label.get(kind) ?? kind)} traces to ${row.root.ref}`,
      })),
  );
  const seen = new Set(traced.map((gap) => `${gap.artifactId}:${gap.kind}`));
  const named = namedGaps(nodes, kinds).filter((gap) => !seen.has(`${gap.artifactId}:${gap.kind}`));
  const testLabel = testKinds.map((kind) => lower(label.get(kind) ?? kind)).join(" or ");
  const untested: TraceGap[] = criterionCoverage(nodes, kinds, testKinds)
    .filter((entry) => entry.tests.length === 0 && testKinds.length > 0)
    .map((entry) => ({
      code: "untested_criterion",
      artifactId: entry.artifact.id,
      ref: entry.artifact.ref,
      kind: testKinds[0],
      criterionIndex: entry.index,
      message: `Criterion ${entry.index + 1} of ${entry.artifact.ref} has no ${testLabel}`,
    }));
  const order = new Map(nodes.map((node, index) => [node.id, index]));
  return [...traced, ...named, ...untested].sort((a, b) => order.get(a.artifactId)! - order.get(b.artifactId)! || (a.criterionIndex ?? -1) - (b.criterionIndex ?? -1));
}

/** Whether a gap is the one a filter asks for: "any", a code (untested_criterion), or a missing kind (not counting untested criteria). */
export function gapMatches(gap: TraceGap, wanted: string): boolean {
  return wanted === "any" || gap.code === wanted || (gap.kind === wanted && gap.code !== "untested_criterion");
}

/** The gap filters worth offering: each kind some artifact is missing, and untested criteria, with how many gaps each finds. Pure. */
export function gapChoices(gaps: readonly TraceGap[], kinds: readonly { kind: string; label: string }[]): { value: string; label: string; count: number }[] {
  const count = (wanted: string) => gaps.filter((gap) => gapMatches(gap, wanted)).length;
  const missing = kinds.filter((info) => count(info.kind) > 0).map((info) => ({ value: info.kind, label: `Missing ${lower(info.label)}`, count: count(info.kind) }));
  const untested = count("untested_criterion");
  return [...missing, ...(untested > 0 ? [{ value: "untested_criterion", label: "Criterion without a test", count: untested }] : [])];
}

/**
 * What the matrix is narrowed to. gap: "any", a missing kind ("user_story": a requirement no
 * story names; "task": a story under it no task names), or "untested_criterion"; kind: keep only that kind's column;
 * stale: only chains holding stale work; q: text in a ref or summary.
 */
export type TraceFilter = { q?: string; kind?: string; gap?: string; stale?: boolean };

/** The rows a filter keeps, each narrowed to the filtered kind's column when one is given. Pure. */
export function filterTraceRows<Node extends TraceNode & { summary: string }>(rows: readonly TraceRow<Node>[], gaps: readonly TraceGap[], filter: TraceFilter): TraceRow<Node>[] {
  const query = filter.q?.trim().toLowerCase() ?? "";
  const wanted = filter.gap;
  const gapsOf = new Map<string, TraceGap[]>();
  for (const gap of gaps) gapsOf.set(gap.artifactId, [...(gapsOf.get(gap.artifactId) ?? []), gap]);
  return rows
    .map((row) => (filter.kind ? { ...row, descendants: { [filter.kind]: row.descendants[filter.kind] ?? [] }, missingKinds: row.missingKinds.filter((kind) => kind === filter.kind) } : row))
    .filter((row) => {
      const chain = [row.root, ...Object.values(row.descendants).flat()];
      if (filter.stale && !chain.some((node) => node.stale)) return false;
      if (query && !chain.some((node) => node.ref.toLowerCase().includes(query) || node.summary.toLowerCase().includes(query))) return false;
      if (wanted && !chain.some((node) => (gapsOf.get(node.id) ?? []).some((gap) => gapMatches(gap, wanted)))) return false;
      return true;
    });
}
