/**
 * CSV as RFC 4180 writes it, for files people open in a spreadsheet: fields separated by commas,
 * records by CRLF, a field quoted when it holds a comma, a quote or a line break, and quotes
 * inside it doubled.
 */
export type CsvValue = string | number | boolean | null;

/**
 * A spreadsheet runs a cell that starts with = + - or @ as a formula (and some also after a
 * leading tab or carriage return), so an artifact text like `=HYPERLINK("http://evil", "x")`
 * would become a live link or command when the export is opened ("CSV injection"). Such text
 * cells get a leading apostrophe, which spreadsheets read as "this is text" and do not show.
 * Numbers are written as numbers: a negative figure is data, not a formula.
 */
const formulaStart = /^[=+\-@\t\r]/;

export function csvField(value: CsvValue): string {
  if (value === null) return "";
  if (typeof value !== "string") return String(value);
  const text = formulaStart.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The header row and the records, each record ended by CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((row) => `${row.map(csvField).join(",")}\r\n`).join("");
}
