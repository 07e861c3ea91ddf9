import { z } from "zod";
import { sourceKinds } from "@/lib/requirements/schema";

export const MAX_SOURCE_CHARS = 200_000;
export const MAX_UPLOAD_BYTES = 1_000_000;
/** What can be uploaded as a source: notes as text or Markdown, and requirements kept in a spreadsheet, exported as CSV or TSV. */
export const uploadExtensions = [".md", ".txt", ".csv", ".tsv"] as const;
/** The same, as people read it: ".md, .txt, .csv or .tsv". */
export const uploadExtensionsText = `${uploadExtensions.slice(0, -1).join(", ")} or ${uploadExtensions.at(-1)}`;
/** The file input's accept attribute: the extensions and their media types. */
export const uploadAccept = [...uploadExtensions, "text/markdown", "text/plain", "text/csv", "text/tab-separated-values"].join(",");

export const createSourceSchema = z.object({
  title: z.string().trim().min(1, "enter a title").max(200, "use at most 200 characters"),
  kind: z.enum(sourceKinds).default("other"),
  text: z
    .string()
    .max(MAX_SOURCE_CHARS, `a source can hold at most ${MAX_SOURCE_CHARS.toLocaleString("en")} characters`)
    .refine((text) => text.trim().length > 0, "the text is empty"),
});
export type CreateSourceInput = z.input<typeof createSourceSchema>;

/** An edit of a source: any of its title, kind and text, and why (the owners of work quoting it are told). */
export const updateSourceSchema = z
  .object({
    title: createSourceSchema.shape.title.optional(),
    kind: z.enum(sourceKinds).optional(),
    text: createSourceSchema.shape.text.optional(),
    comment: z.string().trim().max(2000, "use at most 2000 characters").optional(),
  })
  .refine((value) => value.title !== undefined || value.kind !== undefined || value.text !== undefined, { message: "send title, kind or text" });
export type UpdateSourceInput = z.input<typeof updateSourceSchema>;

export const sourceKindLabels: Record<(typeof sourceKinds)[number], string> = {
  interview: "Interview",
  email: "Email",
  meeting_notes: "Meeting notes",
  ticket_digest: "Ticket digest",
  document: "Document",
  other: "Other",
};
