type Json = unknown;

function render(value: Json): string {
  if (value === undefined) return "—";
  if (typeof value === "string") return value;
  return JSON.stringify(value, null, 2);
}

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Nested objects become dotted keys (content.statement), so an edit shows the one field it changed. */
function flatten(value: Record<string, Json>, prefix = ""): Record<string, Json> {
  const flat: Record<string, Json> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (isObject(inner) && Object.keys(inner).length > 0) Object.assign(flat, flatten(inner, `${prefix}${key}.`));
    else flat[`${prefix}${key}`] = inner;
  }
  return flat;
}

/**
 * Before and after, key by key: changed keys show the old value struck through and the new one;
 * unchanged keys are listed quietly so the whole record can still be read.
 */
export function JsonDiff({ before, after }: { before: Json; after: Json }) {
  if (!isObject(before) && !isObject(after)) {
    return (
      <div className="grid gap-2 md:grid-cols-2">
        <Pane title="Before" value={before} />
        <Pane title="After" value={after} />
      </div>
    );
  }
  const from = isObject(before) ? flatten(before) : {};
  const to = isObject(after) ? flatten(after) : {};
  const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])];
  return (
    <table className="w-full text-xs" aria-label="Changes">
      <thead>
        <tr className="text-left text-zinc-500">
          <th className="w-40 py-1 pr-3 font-medium">Field</th>
          <th className="py-1 pr-3 font-medium">Before</th>
          <th className="py-1 font-medium">After</th>
        </tr>
      </thead>
      <tbody className="font-mono">
        {keys.map((key) => {
          const old = render(from[key]);
          const now = render(to[key]);
          const changed = old !== now;
          return (
            <tr key={key} className="border-t border-zinc-100 align-top">
              <td className="py-1 pr-3 font-sans font-medium text-zinc-700">{key}</td>
              <td className={changed ? "py-1 pr-3 whitespace-pre-wrap text-red-700 line-through decoration-red-300" : "py-1 pr-3 whitespace-pre-wrap text-zinc-500"}>
                {key in from ? old : "—"}
              </td>
              <td className={changed ? "py-1 whitespace-pre-wrap text-emerald-800" : "py-1 whitespace-pre-wrap text-zinc-500"}>{key in to ? now : "—"}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Pane({ title, value }: { title: string; value: Json }) {
  return (
    <div>
      <p className="mb-1 text-xs font-medium text-zinc-500">{title}</p>
      <pre className="overflow-auto rounded bg-white p-2 font-mono text-xs whitespace-pre-wrap text-zinc-700">{value == null ? "—" : render(value)}</pre>
    </div>
  );
}
