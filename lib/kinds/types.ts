import type { z } from "zod";
import type { StageKey } from "@/lib/generated/sqlite/enums";
import type { StepPrompt } from "@/lib/requirements/prompts";

/**
 * What an artifact kind declares so that nothing outside the kind registry branches on its name:
 * its content contract, reference prefix, how it renders and is edited (as data the generic
 * components read), and how its quality is checked. A new kind is a new `definition` module.
 */

/** How one content field renders and is edited. */
export type KindFieldType =
  /** one line of text */
  | "text"
  /** a paragraph */
  | "longText"
  | "number"
  /** a list of numbers, e.g. the positions of earlier milestones */
  | "numbers"
  /** one of `options` */
  | "choice"
  /** a list of lines */
  | "list"
  /** the id of another artifact, shown as its reference (US-3) */
  | "reference"
  /** ids of other artifacts */
  | "references"
  /** a list of objects with the two `keys`, e.g. an option and why it was not chosen */
  | "pairs"
  /** one object with the `keys` */
  | "record"
  /** a list of objects with the `keys` */
  | "records"
  /** Given/When/Then acceptance criteria */
  | "criteria"
  /** verbatim quotes from sources */
  | "quotes";

export type KindField = {
  readonly key: string;
  readonly label: string;
  readonly type: KindFieldType;
  /** the allowed values of a "choice" field (or of a record's choice part) */
  readonly options?: readonly string[];
  /** the keys of each object of a "pairs", "record" or "records" field */
  readonly keys?: readonly string[];
  /** words shown before the value when consecutive fields read as one sentence ("As a ", ", I want ") */
  readonly lead?: string;
  /** the kind's category: shown in its own column of the stage table */
  readonly category?: boolean;
  /** shown, but kept as drafted when a reviewer edits (traces, quotes) */
  readonly readOnly?: boolean;
};

/** One finding of a kind's check: the words that triggered it and why it matters (the requirements' QualityFlag has this shape). */
export type KindFlag<Code extends string = string> = { code: Code; words: string[]; message: string };

/** What a check knows beyond the content: the ids of the approved upstream artifacts the draft may rest on. */
export type KindCheckContext = { upstreamIds: ReadonlySet<string> };

/** How a later stage drafts this kind: one model step from the approved upstream kinds to a list of drafts. */
export type KindDraftStep = {
  /** the step's key, e.g. "draft-milestones" */
  readonly key: string;
  /** the name of the structured output the model is asked for */
  readonly outputName: string;
  /** the key of the drafts' list in the step's output */
  readonly listKey: string;
  /** the kinds of approved upstream artifacts the step reads */
  readonly reads: readonly string[];
  readonly inputSchema: z.ZodType;
  readonly outputSchema: z.ZodType;
  /** the hosted-model prompt for a parsed input (a method, so each kind's prompt takes its own input type) */
  prompt(input: unknown): StepPrompt;
};

/**
 * An artifact kind. `summary` and `check` are methods (not function-valued properties) so that a
 * definition of a particular content type is a `KindDefinition` in the registry's list of all kinds.
 */
export type KindDefinition<Content extends object = Record<string, unknown>> = {
  /** as stored and as the API reports it, e.g. "user_story" */
  readonly kind: string;
  /** the stage whose work this kind is */
  readonly stage: StageKey;
  /** the reference prefix without the dash: "REQ" gives REQ-1 */
  readonly prefix: string;
  /** for people: "User story" */
  readonly label: string;
  readonly contentSchema: z.ZodType<Content>;
  readonly fields: readonly KindField[];
  /** the categories of the kind when it has any (the requirements' quality categories) */
  readonly categories?: readonly string[];
  /** one line that names the artifact in lists and titles */
  summary(content: Content): string;
  /** quality checks of a (drafted or edited) content; empty when nothing needs a reviewer's eye */
  check(content: Content, context: KindCheckContext): readonly KindFlag[];
  readonly draftStep?: KindDraftStep;
  /** the key under which a later step's input lists this kind's approved artifacts; the camelCase plural of the kind when not given */
  readonly readAs?: string;
  /** the badge colour of the kind in lists; "violet" when not given */
  readonly tone?: KindTone;
};

export type KindTone = "accent" | "violet" | "blue" | "teal";

/** What the browser needs to render and edit a kind: plain data, passed from the server (the checks stay there). */
export type KindPresentation = { kind: string; prefix: string; label: string; tone: KindTone; fields: readonly KindField[] };
