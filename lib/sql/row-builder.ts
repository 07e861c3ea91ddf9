/**
 * Turns a result's value arrays into row objects, one function per list of column names. A row
 * filled column by column (`row[name] = value`, the name varying) costs V8 a lookup per column:
 * 0.08 ms for a queue page of 50 rows by 43 columns, a tenth of the page. An object literal with
 * the names written in is built in one step, so each column list gets such a literal, compiled
 * once. The names are written as JSON string literals, so no name can be read as code.
 */
export type RowBuilder = (values: readonly unknown[], convert: (value: unknown, column: number) => unknown) => Record<string, unknown>;

/** Distinct column lists kept: one per statement shape, a few hundred in the app. */
const MAX_BUILDERS = 1000;
const builders = new Map<string, RowBuilder>();

/** The row builder for these column names: each value passes through `convert` with its column's index. */
export function rowBuilder(columnNames: readonly string[]): RowBuilder {
  const key = columnNames.join("\u0000");
  let builder = builders.get(key);
  if (!builder) {
    builder = compile(columnNames);
    if (builders.size >= MAX_BUILDERS) builders.delete(builders.keys().next().value!);
    builders.set(key, builder);
  }
  return builder;
}

function compile(columnNames: readonly string[]): RowBuilder {
  // "__proto__" written in a literal sets the object's prototype instead of a property.
  if (columnNames.includes("__proto__")) return byAssignment(columnNames);
  const fields = columnNames.map((name, column) => `${JSON.stringify(name)}: convert(values[${column}], ${column})`);
  return new Function("values", "convert", `return { ${fields.join(", ")} };`) as RowBuilder;
}

/** The same row, filled column by column: a later column of the same name wins, in the first one's place. */
function byAssignment(columnNames: readonly string[]): RowBuilder {
  return (values, convert) => {
    const row: Record<string, unknown> = {};
    columnNames.forEach((name, column) => Object.defineProperty(row, name, { value: convert(values[column], column), enumerable: true, writable: true, configurable: true }));
    return row;
  };
}
