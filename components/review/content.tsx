import clsx from "clsx";

/**
 * Artifact contents as stored (lib/requirements/schema.ts), read defensively, and shown the
 * same way in the queue and on the stage page.
 */
export type RequirementView = { statement: string; category: string; unsure: string | null };
export type Criterion = { given: string; when: string; then: string };
export type StoryView = {
  role: string;
  goal: string;
  benefit: string;
  acceptanceCriteria: Criterion[];
  requirementRefs: string[];
  unsure: string | null;
};

const text = (value: unknown) => (typeof value === "string" ? value : "");

export function asRequirement(content: unknown): RequirementView {
  const c = (content ?? {}) as Record<string, unknown>;
  return { statement: text(c.statement), category: text(c.category) || "functional", unsure: typeof c.unsure === "string" ? c.unsure : null };
}

export function asStory(content: unknown): StoryView {
  const c = (content ?? {}) as Record<string, unknown>;
  const criteria = Array.isArray(c.acceptanceCriteria) ? (c.acceptanceCriteria as Record<string, unknown>[]) : [];
  return {
    role: text(c.role),
    goal: text(c.goal),
    benefit: text(c.benefit),
    acceptanceCriteria: criteria.map((ac) => ({ given: text(ac?.given), when: text(ac?.when), then: text(ac?.then) })),
    requirementRefs: Array.isArray(c.requirementRefs) ? c.requirementRefs.filter((r): r is string => typeof r === "string") : [],
    unsure: typeof c.unsure === "string" ? c.unsure : null,
  };
}

export function categoryLabel(category: string): string {
  const words = category.replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function RequirementContent({ content, size = "md" }: { content: unknown; size?: "sm" | "md" }) {
  const requirement = asRequirement(content);
  return (
    <div>
      <p className={clsx("text-zinc-900", size === "md" ? "text-[15px] leading-6" : "text-sm")}>{requirement.statement}</p>
      {size === "md" ? (
        <p className="mt-1 text-xs text-zinc-500">
          Category: <span className="font-medium text-zinc-700">{categoryLabel(requirement.category)}</span>
        </p>
      ) : null}
      {requirement.unsure ? <UnsureNote text={requirement.unsure} /> : null}
    </div>
  );
}

export function StoryContent({ content, size = "md" }: { content: unknown; size?: "sm" | "md" }) {
  const story = asStory(content);
  return (
    <div>
      <p className={clsx("text-zinc-900", size === "md" ? "text-[15px] leading-6" : "text-sm")}>
        <span className="text-zinc-500">As a </span>
        {story.role}
        <span className="text-zinc-500">, I want </span>
        {story.goal}
        <span className="text-zinc-500">, so that </span>
        {story.benefit}.
      </p>
      {story.acceptanceCriteria.length > 0 ? (
        <ol className="mt-2 space-y-1.5" aria-label="Acceptance criteria">
          {story.acceptanceCriteria.map((criterion, index) => (
            <li key={index} className="rounded-md border border-zinc-200 bg-zinc-50 px-2.5 py-1.5 text-[13px] leading-5">
              <span className="font-semibold text-zinc-500">Given</span> {criterion.given}{" "}
              <span className="font-semibold text-zinc-500">when</span> {criterion.when}{" "}
              <span className="font-semibold text-zinc-500">then</span> {criterion.then}
            </li>
          ))}
        </ol>
      ) : null}
      {story.requirementRefs.length > 0 ? (
        <p className="mt-1.5 text-xs text-zinc-500">
          From requirements:{" "}
          {story.requirementRefs.map((ref) => (
            <span key={ref} className="mr-1 rounded bg-zinc-100 px-1 font-mono text-[11px] text-zinc-700">
              {ref}
            </span>
          ))}
        </p>
      ) : null}
      {story.unsure ? <UnsureNote text={story.unsure} /> : null}
    </div>
  );
}

export function ArtifactContent({ kind, content, size }: { kind: string; content: unknown; size?: "sm" | "md" }) {
  return kind === "user_story" ? <StoryContent content={content} size={size} /> : <RequirementContent content={content} size={size} />;
}

function UnsureNote({ text: note }: { text: string }) {
  return (
    <p className="mt-1.5 rounded-md bg-amber-50 px-2 py-1 text-xs text-amber-900">
      <span className="font-semibold">The drafter was unsure:</span> {note}
    </p>
  );
}

export function kindLabel(kind: string): string {
  return kind === "user_story" ? "User story" : "Requirement";
}

export function ConfidenceMeter({ value }: { value: number | null }) {
  if (value === null || value === undefined) return <span className="text-xs text-zinc-400">n/a</span>;
  const percent = Math.round(value * 100);
  const tone = value >= 0.8 ? "bg-emerald-500" : value >= 0.6 ? "bg-amber-500" : "bg-red-500";
  return (
    <span className="inline-flex items-center gap-1.5" title={`Model confidence ${percent}%`}>
      <span className="h-1.5 w-10 overflow-hidden rounded-full bg-zinc-200" aria-hidden>
        <span className={clsx("block h-full", tone)} style={{ width: `${percent}%` }} />
      </span>
      <span className="text-xs text-zinc-700 tabular-nums">{percent}%</span>
    </span>
  );
}

/**
 * What the measured evidence says about a draft: the calibrated chance that reviewers approve it
 * unchanged, learned from past decisions. Unlike the drafter's own confidence, this is checked.
 */
export function CalibratedChance({ value, measured }: { value: number | null; measured: boolean }) {
  if (value === null || value === undefined || !measured) {
    return (
      <span className="text-xs text-zinc-500" data-testid="calibrated">
        Measured: <span className="text-zinc-700">not enough decisions yet</span>
      </span>
    );
  }
  return (
    <span
      className="text-xs text-zinc-500"
      data-testid="calibrated"
      title="From past review decisions on drafts like this one: how often such drafts were approved without changes."
    >
      Measured: <span className="font-semibold text-zinc-800 tabular-nums">{value.toFixed(2)}</span> likely approved unchanged
    </span>
  );
}
