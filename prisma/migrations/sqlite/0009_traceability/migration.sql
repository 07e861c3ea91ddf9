-- Traceability: which upstream artifacts each artifact was drafted from, whether a change
-- upstream has made it stale, and sign-offs that a reopened stage supersedes (kept, not deleted).

-- AlterTable
ALTER TABLE "Artifact" ADD COLUMN "stale" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Artifact" ADD COLUMN "staleReason" TEXT;

-- AlterTable
ALTER TABLE "SignOff" ADD COLUMN "supersededAt" DATETIME;
ALTER TABLE "SignOff" ADD COLUMN "supersededReason" TEXT;

-- CreateTable
CREATE TABLE "ArtifactLink" (
    "artifactId" TEXT NOT NULL,
    "parentId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("artifactId", "parentId"),
    CONSTRAINT "ArtifactLink_artifactId_fkey" FOREIGN KEY ("artifactId") REFERENCES "Artifact" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ArtifactLink_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Artifact" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "ArtifactLink_parentId_idx" ON "ArtifactLink"("parentId");

-- Stories drafted before this migration name their requirements by ref in their content: link them.
INSERT OR IGNORE INTO "ArtifactLink" ("artifactId", "parentId")
SELECT story."id", requirement."id"
FROM "Artifact" story
JOIN "ArtifactVersion" version ON version."artifactId" = story."id" AND version."version" = story."currentVersion"
JOIN json_each(json_extract(version."content", '$.requirementRefs')) reference
JOIN "Artifact" requirement ON requirement."projectId" = story."projectId" AND requirement."kind" = 'requirement' AND requirement."ref" = reference."value"
WHERE story."kind" = 'user_story';
