-- Traceability: which upstream artifacts each artifact was drafted from, whether a change
-- upstream has made it stale, and sign-offs that a reopened stage supersedes (kept, not deleted).

-- AlterTable
ALTER TABLE "Artifact" ADD COLUMN     "stale" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "staleReason" TEXT;

-- AlterTable
ALTER TABLE "SignOff" ADD COLUMN     "supersededAt" TIMESTAMP(3),
ADD COLUMN     "supersededReason" TEXT;

-- CreateTable
CREATE TABLE "ArtifactLink" (
    "artifactId" TEXT NOT NULL,
    "parentId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ArtifactLink_pkey" PRIMARY KEY ("artifactId","parentId")
);

-- CreateIndex
CREATE INDEX "ArtifactLink_parentId_idx" ON "ArtifactLink"("parentId");

-- AddForeignKey
ALTER TABLE "ArtifactLink" ADD CONSTRAINT "ArtifactLink_artifactId_fkey" FOREIGN KEY ("artifactId") REFERENCES "Artifact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ArtifactLink" ADD CONSTRAINT "ArtifactLink_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Artifact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Stories drafted before this migration name their requirements by ref in their content: link them.
INSERT INTO "ArtifactLink" ("artifactId", "parentId")
SELECT DISTINCT story."id", requirement."id"
FROM "Artifact" story
JOIN "ArtifactVersion" version ON version."artifactId" = story."id" AND version."version" = story."currentVersion"
CROSS JOIN LATERAL jsonb_array_elements_text(version."content" -> 'requirementRefs') AS reference(value)
JOIN "Artifact" requirement ON requirement."projectId" = story."projectId" AND requirement."kind" = 'requirement' AND requirement."ref" = reference.value
WHERE story."kind" = 'user_story'
ON CONFLICT DO NOTHING;
