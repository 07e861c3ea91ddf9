import type { UserActor } from "@/lib/actors";
import { assertCan } from "@/lib/access";
import { recordAudit } from "@/lib/audit/service";
import { db } from "@/lib/db";
import { invalid } from "@/lib/errors";
import { transact } from "@/lib/transaction";
import { createSourceSchema, MAX_UPLOAD_BYTES, uploadExtensions, type CreateSourceInput } from "./schema";

export async function addSource(actor: UserActor, projectId: string, input: CreateSourceInput) {
  const data = createSourceSchema.parse(input);
  await assertCan(actor, "sources:write", { projectId });
  return transact(async (tx) => {
    const source = await tx.source.create({
      data: { projectId, title: data.title, kind: data.kind, text: data.text.replace(/\r\n?/g, "\n"), createdById: actor.userId },
    });
    await recordAudit(tx, {
      actor,
      action: "source.added",
      subjectType: "source",
      subjectId: source.id,
      projectId,
      after: { title: source.title, kind: source.kind, characters: source.text.length },
    });
    return source;
  });
}

/** Reads an uploaded .md or .txt file as UTF-8 text, refusing anything else with a clear message. */
export async function textFromUpload(file: File): Promise<{ title: string; text: string }> {
  const name = file.name || "upload";
  const extension = name.slice(name.lastIndexOf(".")).toLowerCase();
  if (!(uploadExtensions as readonly string[]).includes(extension)) {
    throw invalid(`Only ${uploadExtensions.join(" and ")} files can be uploaded; ${name} is not one.`);
  }
  if (file.size > MAX_UPLOAD_BYTES) throw invalid(`${name} is larger than ${MAX_UPLOAD_BYTES / 1_000_000} MB.`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer());
  } catch {
    throw invalid(`${name} is not UTF-8 text.`);
  }
  if (text.includes("\u0000")) throw invalid(`${name} looks like a binary file, not text.`);
  return { title: name.replace(/\.(md|txt)$/i, ""), text };
}

export async function listSources(actor: UserActor, projectId: string) {
  await assertCan(actor, "projects:read", { projectId });
  return db().source.findMany({ where: { projectId }, orderBy: { createdAt: "asc" } });
}
