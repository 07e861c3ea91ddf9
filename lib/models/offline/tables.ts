/**
 * Requirements kept in a table: a Markdown table, or rows pasted from a spreadsheet or a tracker's
 * export as CSV, TSV or semicolon-separated values, one requirement a row, beside its id, type or
 * priority. What is read of each row is its requirement cell, as a span of the source, so quotes
 * stay verbatim; the other cells and the header are nobody's words.
 *
 * Fields are split here rather than by a CSV library because the libraries give a field's value,
 * and the drafter needs where it stands in the source.
 */

/** One line of a table: the span of its requirement cell, or null for its header, rule or a row without one. */
export type TableLine = { start: number; end: number } | null;

type Field = { start: number; end: number };

// A header names the requirement column: the first of these that a header cell names wins.
const REQUIREMENT_HEADERS = [/requirement|statement|user story|^story$/i, /description|details?|text|need|criteria/i, /summary|title|name/i];
const MARKDOWN_RULE = /^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$/;
const DELIMITERS = [",", "\t", ";"] as const;
// A header cell is a short name: "ID", "Requirement", "Priority (MoSCoW)", "Story points".
const HEADER_CELL = /^[\p{L}\p{N}][\p{L}\p{N} ()#/&_-]{0,29}$/u;
const MAX_HEADER_WORDS = 4;
// Beside the requirement, a table has a column of short cells: an id, a type, a priority, a who.
const MAX_SHORT_CELL_WORDS = 3;
const MIN_DATA_ROWS = 2;

/** The tables of a source, by line index: each table line's requirement cell (or null), absolute offsets. */
export function tableLines(lines: readonly string[]): Map<number, TableLine> {
  const offsets: number[] = [];
  let offset = 0;
  for (const line of lines) {
    offsets.push(offset);
    offset += line.length + 1;
  }
  const found = new Map<number, TableLine>();
  for (let index = 0; index < lines.length; ) {
    const table = markdownTable(lines, index) ?? delimitedTable(lines, index);
    if (!table) {
      index++;
      continue;
    }
    const column = requirementColumn(table.header, table.rows);
    table.skipped.forEach((line) => found.set(line, null));
    table.rows.forEach(({ line, fields }) => {
      const cell = fields[column];
      found.set(line, cell && cell.end > cell.start ? { start: offsets[line] + cell.start, end: offsets[line] + cell.end } : null);
    });
    index = table.next;
  }
  return found;
}

type Table = { header: string[]; rows: { line: number; fields: Field[] }[]; skipped: number[]; next: number };

/** "| ID | Requirement |" over "| --- | --- |", then its rows. */
function markdownTable(lines: readonly string[], first: number): Table | null {
  if (!lines[first].trim().startsWith("|") || !MARKDOWN_RULE.test(lines[first + 1]?.trim() ?? "")) return null;
  const headerFields = pipeFields(lines[first]);
  const rows: Table["rows"] = [];
  let line = first + 2;
  for (; line < lines.length && lines[line].trim().startsWith("|"); line++) rows.push({ line, fields: pipeFields(lines[line]) });
  if (headerFields.length < 2 || rows.length === 0) return null;
  return { header: headerFields.map((field) => lines[first].slice(field.start, field.end)), rows, skipped: [first, first + 1], next: line };
}

function pipeFields(line: string): Field[] {
  const fields: Field[] = [];
  const open = line.indexOf("|");
  let start = open + 1;
  for (let index = start; index <= line.length; index++) {
    if (index < line.length && (line[index] !== "|" || line[index - 1] === "\\")) continue;
    if (index < line.length || line.slice(start).trim() !== "") fields.push(trimmed(line, start, index));
    start = index + 1;
  }
  return fields;
}

/** A header of short names, then rows of as many fields, split by one delimiter (quotes respected). */
function delimitedTable(lines: readonly string[], first: number): Table | null {
  for (const delimiter of DELIMITERS) {
    const header = splitDelimited(lines[first], delimiter);
    if (!header || header.length < 2) continue;
    const names = header.map((field) => lines[first].slice(field.start, field.end));
    if (!names.every((name) => HEADER_CELL.test(name) && name.split(" ").length <= MAX_HEADER_WORDS)) continue;
    // Two columns are a table when the header names the requirement: prose has sentences with one comma.
    if (names.length === 2 && namedColumn(names) === null) continue;
    const rows: Table["rows"] = [];
    let line = first + 1;
    for (; line < lines.length; line++) {
      const fields = lines[line].trim() === "" ? null : splitDelimited(lines[line], delimiter);
      if (!fields || fields.length !== header.length) break;
      rows.push({ line, fields });
    }
    const shortColumn = names.some((_, column) => rows.every(({ line, fields }) => wordsIn(lines[line].slice(fields[column].start, fields[column].end)) <= MAX_SHORT_CELL_WORDS));
    if (rows.length >= MIN_DATA_ROWS && shortColumn) return { header: names, rows, skipped: [first], next: line };
  }
  return null;
}

/** The fields of one delimited line, each without its quotes and padding; null when a quote is left open. */
function splitDelimited(line: string, delimiter: string): Field[] | null {
  if (!line.includes(delimiter)) return null;
  const fields: Field[] = [];
  let index = 0;
  while (index <= line.length) {
    while (line[index] === " ") index++;
    if (line[index] === '"') {
      const start = index + 1;
      let end = start;
      for (;;) {
        end = line.indexOf('"', end);
        if (end < 0) return null;
        if (line[end + 1] !== '"') break;
        end += 2;
      }
      fields.push(trimmed(line, start, end));
      index = line.indexOf(delimiter, end + 1);
      // Nothing but spaces may stand between a closing quote and the next delimiter or the end.
      if (line.slice(end + 1, index < 0 ? line.length : index).trim() !== "") return null;
      if (index < 0) break;
    } else {
      const next = line.indexOf(delimiter, index);
      const end = next < 0 ? line.length : next;
      fields.push(trimmed(line, index, end));
      if (next < 0) break;
      index = next;
    }
    index += delimiter.length;
  }
  return fields;
}

/** The column a header names as the requirement, or else the one with the longest cells. */
function requirementColumn(header: readonly string[], rows: Table["rows"]): number {
  const named = namedColumn(header);
  if (named !== null) return named;
  const lengths = header.map((_, column) => rows.reduce((total, row) => total + (row.fields[column] ? row.fields[column].end - row.fields[column].start : 0), 0));
  return lengths.indexOf(Math.max(...lengths));
}

function namedColumn(header: readonly string[]): number | null {
  for (const pattern of REQUIREMENT_HEADERS) {
    const named = header.findIndex((name) => pattern.test(name.trim()));
    if (named >= 0) return named;
  }
  return null;
}

const wordsIn = (text: string) => text.split(/\s+/).filter(Boolean).length;

function trimmed(line: string, start: number, end: number): Field {
  while (start < end && /\s/.test(line[start])) start++;
  while (end > start && /\s/.test(line[end - 1])) end--;
  return { start, end };
}
