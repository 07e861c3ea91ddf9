import { contentDiff, type FieldDiff } from "@/lib/artifacts/content-diff";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { kindDefinition } from "@/lib/kinds/registry";

export type EditDiff = { fromVersion: number; toVersion: number; editedBy: string | null; changes: FieldDiff[] };

/**
 * For an item whose version a person wrote (an edit or a revision), what they changed from the
 * version before it, word by word: the reviewer approves the human version knowing what moved.
 * Null when the version under review is the model's own draft.
 */
export async function editDiffOf(itemId: string): Promise<EditDiff | null> {
  const item = await db().reviewItem.findUnique({ where: { id: itemId }, select: { artifactId: true, version: true, artifact: { select: { kind: true } } } });
  if (!item) throw notFound("The review item");
  if (!item.artifactId || !item.artifact || item.version < 2) return null;
  const versions = await db().artifactVersion.findMany({
    where: { artifactId: item.artifactId, version: { in: [item.version - 1, item.version] } },
    select: { version: true, content: true, editedById: true },
  });
  const before = versions.find((version) => version.version === item.version - 1);
  const after = versions.find((version) => version.version === item.version);
  if (!before || !after || !after.editedById) return null;
  const editor = await db().user.findUnique({ where: { id: after.editedById }, select: { name: true } });
  return {
    fromVersion: before.version,
    toVersion: after.version,
    editedBy: editor?.name ?? null,
    changes: contentDiff(kindDefinition(item.artifact.kind).fields, before.content, after.content),
  };
}
