import { describe, expect, it } from "vitest";
import { csvField, toCsv } from "./csv";

describe("csvField", () => {
  it("leaves plain text and numbers as they are, and writes null as an empty field", () => {
    expect(csvField("REQ-3")).toBe("REQ-3");
    expect(csvField(42)).toBe("42");
    expect(csvField(-1.5)).toBe("-1.5");
    expect(csvField(true)).toBe("true");
    expect(csvField(null)).toBe("");
    expect(csvField("")).toBe("");
  });

  it("quotes a field holding a comma, a quote or a line break, doubling the quotes (RFC 4180)", () => {
    expect(csvField("a, b")).toBe('"a, b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("line one\nline two")).toBe('"line one\nline two"');
    expect(csvField("cr\rhere")).toBe('"cr\rhere"');
  });

  it("keeps text a spreadsheet would run as a formula as text, with a leading apostrophe", () => {
    expect(csvField("=1+1")).toBe("'=1+1");
    expect(csvField("+31 6 1234")).toBe("'+31 6 1234");
    expect(csvField("-2 days")).toBe("'-2 days");
    expect(csvField("@SUM(A1:A2)")).toBe("'@SUM(A1:A2)");
    expect(csvField("\tindented")).toBe("'\tindented");
    // Quoted as well when it also holds a quote or comma; the apostrophe sits inside the quotes.
    expect(csvField('=HYPERLINK("http://evil.example", "click")')).toBe('"\'=HYPERLINK(""http://evil.example"", ""click"")"');
    expect(csvField("a = b")).toBe("a = b");
  });
});

describe("toCsv", () => {
  it("ends every record, the header too, with CRLF", () => {
    expect(toCsv(["Ref", "Text"], [["REQ-1", "Renew, online"], ["REQ-2", null]])).toBe('Ref,Text\r\nREQ-1,"Renew, online"\r\nREQ-2,\r\n');
  });

  it("reads back field by field with an RFC 4180 parser", () => {
    const rows = [["a\"b", "c,d", "e\r\nf", "=g"]];
    const parsed = parseCsv(toCsv(["1", "2", "3", "4"], rows));
    expect(parsed).toEqual([["1", "2", "3", "4"], ['a"b', "c,d", "e\r\nf", "'=g"]]);
  });
});

/** A minimal RFC 4180 reader, to show the writer's output parses back to the same fields. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      record.push(field);
      field = "";
    } else if (char === "\r" && text[i + 1] === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i++;
    } else field += char;
  }
  return records;
}
