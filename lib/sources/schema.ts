import { z } from "zod";
import { sourceKinds } from "@/lib/requirements/schema";

export const MAX_SOURCE_CHARS = 200_000;
export const MAX_UPLOAD_BYTES = 1_000_000;
export const uploadExtensions = [".md", ".txt"] as const;

export const createSourceSchema = z.object({
  title: z.string().trim().min(1, "enter a title").max(200, "use at most 200 characters"),
  kind: z.enum(sourceKinds).default("other"),
  text: z
    .string()
    .max(MAX_SOURCE_CHARS, `a source can hold at most ${MAX_SOURCE_CHARS.toLocaleString("en")} characters`)
    .refine((text) => text.trim().length > 0, "the text is empty"),
});
export type CreateSourceInput = z.input<typeof createSourceSchema>;

export const sourceKindLabels: Record<(typeof sourceKinds)[number], string> = {
  interview: "Interview",
  email: "Email",
  meeting_notes: "Meeting notes",
  ticket_digest: "Ticket digest",
  document: "Document",
  other: "Other",
};
