type Quote = { sourceId: string; quote: string };
type Conflict = { description: string; sources: Quote[] };
/** A question quotes the sources (requirements) or names the upstream artifacts it is about (later stages). */
type Question = { question: string; sources: Quote[]; about: string[] };

function quotesOf(value: unknown): Quote[] {
  if (!Array.isArray(value)) return [];
  return value.filter((q): q is Quote => typeof q?.sourceId === "string" && typeof q?.quote === "string");
}

function asConflicts(value: unknown[]): Conflict[] {
  return value
    .map((c) => c as Record<string, unknown>)
    .filter((c) => typeof c?.description === "string")
    .map((c) => ({ description: c.description as string, sources: quotesOf(c.sources) }));
}

function asQuestions(value: unknown[]): Question[] {
  return value
    .map((q) => q as Record<string, unknown>)
    .filter((q) => typeof q?.question === "string")
    .map((q) => ({
      question: q.question as string,
      sources: quotesOf(q.sources),
      about: Array.isArray(q.derivedFrom) ? q.derivedFrom.filter((id): id is string => typeof id === "string") : [],
    }));
}

/**
 * What the latest run's steps found that no single draft can hold, for any stage: open questions
 * (about the sources, or about upstream artifacts, named by reference) and conflicts between sources.
 */
export function Findings({
  conflicts,
  openQuestions,
  sourceTitles,
  refs,
}: {
  conflicts: unknown[];
  openQuestions: unknown[];
  sourceTitles: Record<string, string>;
  /** references of the project's artifacts by id */
  refs: Record<string, string>;
}) {
  const conflictList = asConflicts(conflicts);
  const questionList = asQuestions(openQuestions);
  if (conflictList.length === 0 && questionList.length === 0) {
    return <p className="px-4 py-3 text-sm text-zinc-500">The latest run found no conflicts and raised no open questions.</p>;
  }
  return (
    <div className={conflictList.length > 0 ? "grid gap-4 px-4 py-3 md:grid-cols-2" : "px-4 py-3"}>
      {conflictList.length > 0 ? (
        <section aria-label="Conflicts">
          <h3 className="mb-2 text-xs font-semibold tracking-wide text-red-800 uppercase">Conflicts ({conflictList.length})</h3>
          <ul className="space-y-2">
            {conflictList.map((conflict, index) => (
              <li key={index} className="rounded-md border border-red-200 bg-red-50/50 p-2.5">
                <p className="text-sm text-zinc-900">{conflict.description}</p>
                <QuoteList quotes={conflict.sources} sourceTitles={sourceTitles} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-label="Open questions">
        <h3 className="mb-2 text-xs font-semibold tracking-wide text-sky-800 uppercase">Open questions ({questionList.length})</h3>
        {questionList.length === 0 ? <p className="text-sm text-zinc-500">None found.</p> : null}
        <ul className="space-y-2">
          {questionList.map((question, index) => (
            <li key={index} className="rounded-md border border-sky-200 bg-sky-50/50 p-2.5">
              <p className="text-sm text-zinc-900">{question.question}</p>
              <QuoteList quotes={question.sources} sourceTitles={sourceTitles} />
              {question.about.length > 0 ? (
                <p className="mt-1 text-xs text-zinc-600">
                  About{" "}
                  {question.about.map((id) => (
                    <span key={id} className="mr-1 rounded bg-white px-1 font-mono text-[11px] text-zinc-700">
                      {refs[id] ?? "a withdrawn draft"}
                    </span>
                  ))}
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

function QuoteList({ quotes, sourceTitles }: { quotes: Quote[]; sourceTitles: Record<string, string> }) {
  if (quotes.length === 0) return null;
  return (
    <ul className="mt-1.5 space-y-1">
      {quotes.map((quote, index) => (
        <li key={index} className="border-l-2 border-zinc-300 pl-2 text-xs text-zinc-600">
          “{quote.quote}” <span className="text-zinc-500">— {sourceTitles[quote.sourceId] ?? "unknown source"}</span>
        </li>
      ))}
    </ul>
  );
}
