import { describe, expect, it } from "vitest";
import { textFromUpload } from "./service";

const file = (name: string, content: string | Uint8Array<ArrayBuffer>) => new File([content], name);

describe("an uploaded source", () => {
  it("is read from a .md, .txt, .csv or .tsv file, titled by its name without the extension", async () => {
    const csv = "id,requirement\n1,The system shall print receipts.\n";
    expect(await textFromUpload(file("Backlog export.csv", csv))).toEqual({ title: "Backlog export", text: csv });
    expect(await textFromUpload(file("needs.TSV", "a\tb\n"))).toEqual({ title: "needs", text: "a\tb\n" });
    expect((await textFromUpload(file("notes.md", "# Notes\n"))).title).toBe("notes");
  });

  it("loses the byte-order mark a spreadsheet writes at the start of its CSV", async () => {
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode("id,requirement\n")]);
    expect((await textFromUpload(file("export.csv", withBom))).text).toBe("id,requirement\n");
  });

  it("refuses another kind of file, naming the kinds it takes", async () => {
    await expect(textFromUpload(file("backlog.xlsx", "PK"))).rejects.toThrow("Only .md, .txt, .csv or .tsv files can be uploaded; backlog.xlsx is not one.");
  });
});
