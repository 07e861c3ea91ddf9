import type { RequirementsDraft } from "@/lib/requirements/schema";

/**
 * How well a draft of a transcript matches its labels: the share of requirement-bearing lines
 * some requirement quotes (recall), and the requirements quoting only lines that carry none (chatter).
 */
export type TranscriptFigures = {
  labelledLines: number;
  foundLines: number;
  recall: number;
  requirements: number;
  chatterRequirements: number;
  missed: string[];
  chatter: string[];
};

export function measureTranscript(text: string, draft: RequirementsDraft, labels: readonly string[]): TranscriptFigures {
  const lines = text.split("\n");
  const lineOf = (label: string) => lines.findIndex((line) => line.includes(label));
  const labelled = new Set(labels.map(lineOf));
  if (labelled.has(-1)) throw new Error(`a label matches no line: ${labels.filter((label) => lineOf(label) < 0).join(", ")}`);
  // Every line a quote overlaps: a quote may run over a line break.
  const linesOfQuote = (quote: string) => {
    const start = text.indexOf(quote);
    const first = text.slice(0, start).split("\n").length - 1;
    const last = first + quote.split("\n").length - 1;
    return Array.from({ length: last - first + 1 }, (_, offset) => first + offset);
  };
  const found = new Set<number>();
  const chatter: string[] = [];
  for (const requirement of draft.requirements) {
    const quoted = requirement.sources.flatMap((source) => linesOfQuote(source.quote));
    for (const line of quoted) if (labelled.has(line)) found.add(line);
    if (!quoted.some((line) => labelled.has(line))) chatter.push(`${requirement.statement}  <-  ${requirement.sources[0]?.quote}`);
  }
  const missed = [...labelled].filter((line) => !found.has(line)).map((line) => lines[line]);
  return {
    labelledLines: labelled.size,
    foundLines: found.size,
    recall: found.size / labelled.size,
    requirements: draft.requirements.length,
    chatterRequirements: chatter.length,
    missed,
    chatter,
  };
}
