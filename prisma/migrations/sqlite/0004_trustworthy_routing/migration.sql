-- CreateTable
CREATE TABLE "Conflict" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "stageId" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "ref" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "sides" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "resolution" JSONB,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" DATETIME,
    CONSTRAINT "Conflict_stageId_fkey" FOREIGN KEY ("stageId") REFERENCES "Stage" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Conflict_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DraftLabel" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "artifactId" TEXT NOT NULL,
    "stepKey" TEXT NOT NULL,
    "category" TEXT,
    "features" JSONB NOT NULL,
    "calibratedProbability" REAL,
    "routedTo" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "correct" BOOLEAN NOT NULL,
    "correctedCategory" TEXT,
    "statement" TEXT,
    "editDistance" REAL NOT NULL DEFAULT 0,
    "durationMs" INTEGER,
    "decidedById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "DraftLabel_artifactId_fkey" FOREIGN KEY ("artifactId") REFERENCES "Artifact" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "DraftLabel_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PolicyVersion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "stepKey" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "values" JSONB NOT NULL,
    "reason" TEXT,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PolicyVersion_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- Each policy saved before versioning becomes its version 1; new fields take their defaults when read.
INSERT INTO "PolicyVersion" ("id", "stepKey", "version", "values", "reason", "createdById", "createdAt")
SELECT 'policy-' || "stepKey" || '-1', "stepKey", 1,
       json_object('modelId', "modelId", 'minConfidence', "minConfidence", 'maxCostUsd', "maxCostUsd",
                   'auditSampleRate', "auditSampleRate", 'alwaysReview', json(CASE WHEN "alwaysReview" THEN 'true' ELSE 'false' END)),
       'saved before policies were versioned', "updatedById", "updatedAt"
FROM "Policy";

PRAGMA foreign_keys=off;
DROP TABLE "Policy";
PRAGMA foreign_keys=on;

-- CreateTable
CREATE TABLE "LearnedModel" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "data" JSONB NOT NULL,
    "summary" JSONB NOT NULL,
    "labelCount" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "projectId" TEXT,
    "kind" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "link" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "readAt" DATETIME,
    CONSTRAINT "Notification_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_RoutingDecision" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "artifactId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "outcome" TEXT NOT NULL,
    "reasons" JSONB NOT NULL,
    "policy" JSONB NOT NULL,
    "stepKey" TEXT NOT NULL DEFAULT '',
    "category" TEXT,
    "features" JSONB,
    "calibratedProbability" REAL,
    "threshold" REAL,
    "calibrationVersion" INTEGER,
    "policyVersion" INTEGER,
    "eligible" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "RoutingDecision_artifactId_fkey" FOREIGN KEY ("artifactId") REFERENCES "Artifact" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_RoutingDecision" ("artifactId", "createdAt", "id", "outcome", "policy", "reasons", "version") SELECT "artifactId", "createdAt", "id", "outcome", "policy", "reasons", "version" FROM "RoutingDecision";
DROP TABLE "RoutingDecision";
ALTER TABLE "new_RoutingDecision" RENAME TO "RoutingDecision";
CREATE INDEX "RoutingDecision_artifactId_idx" ON "RoutingDecision"("artifactId");
CREATE INDEX "RoutingDecision_stepKey_category_eligible_idx" ON "RoutingDecision"("stepKey", "category", "eligible");
CREATE TABLE "new_ReviewItem" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL DEFAULT 'draft',
    "projectId" TEXT NOT NULL,
    "stageId" TEXT NOT NULL,
    "runId" TEXT,
    "artifactId" TEXT,
    "conflictId" TEXT,
    "version" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "reasons" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedAt" DATETIME,
    CONSTRAINT "ReviewItem_stageId_fkey" FOREIGN KEY ("stageId") REFERENCES "Stage" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ReviewItem_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ReviewItem_artifactId_fkey" FOREIGN KEY ("artifactId") REFERENCES "Artifact" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ReviewItem_conflictId_fkey" FOREIGN KEY ("conflictId") REFERENCES "Conflict" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ReviewItem" ("artifactId", "createdAt", "decidedAt", "id", "projectId", "reasons", "stageId", "status", "version", "runId") SELECT "artifactId", "createdAt", "decidedAt", "id", "projectId", "reasons", "stageId", "status", "version", (SELECT "runId" FROM "Artifact" WHERE "Artifact"."id" = "ReviewItem"."artifactId") FROM "ReviewItem";
DROP TABLE "ReviewItem";
ALTER TABLE "new_ReviewItem" RENAME TO "ReviewItem";
CREATE INDEX "ReviewItem_stageId_status_createdAt_idx" ON "ReviewItem"("stageId", "status", "createdAt");
CREATE INDEX "ReviewItem_projectId_status_idx" ON "ReviewItem"("projectId", "status");
CREATE INDEX "ReviewItem_runId_status_idx" ON "ReviewItem"("runId", "status");
CREATE INDEX "ReviewItem_artifactId_idx" ON "ReviewItem"("artifactId");
CREATE INDEX "ReviewItem_conflictId_idx" ON "ReviewItem"("conflictId");
CREATE INDEX "ReviewItem_status_createdAt_id_idx" ON "ReviewItem"("status", "createdAt", "id");
CREATE TABLE "new_ReviewDecision" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "reviewItemId" TEXT NOT NULL,
    "artifactId" TEXT,
    "version" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "comment" TEXT,
    "content" JSONB,
    "newVersion" INTEGER,
    "label" TEXT,
    "changedFields" JSONB,
    "editDistance" REAL,
    "durationMs" INTEGER,
    "decidedById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ReviewDecision_reviewItemId_fkey" FOREIGN KEY ("reviewItemId") REFERENCES "ReviewItem" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ReviewDecision_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_ReviewDecision" ("action", "artifactId", "comment", "content", "createdAt", "decidedById", "id", "newVersion", "reviewItemId", "version") SELECT "action", "artifactId", "comment", "content", "createdAt", "decidedById", "id", "newVersion", "reviewItemId", "version" FROM "ReviewDecision";
DROP TABLE "ReviewDecision";
ALTER TABLE "new_ReviewDecision" RENAME TO "ReviewDecision";
CREATE INDEX "ReviewDecision_reviewItemId_idx" ON "ReviewDecision"("reviewItemId");
CREATE INDEX "ReviewDecision_decidedById_createdAt_idx" ON "ReviewDecision"("decidedById", "createdAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Conflict_stageId_status_idx" ON "Conflict"("stageId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Conflict_projectId_ref_key" ON "Conflict"("projectId", "ref");

-- CreateIndex
CREATE UNIQUE INDEX "DraftLabel_artifactId_key" ON "DraftLabel"("artifactId");

-- CreateIndex
CREATE INDEX "DraftLabel_stepKey_createdAt_idx" ON "DraftLabel"("stepKey", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "PolicyVersion_stepKey_version_key" ON "PolicyVersion"("stepKey", "version");

-- CreateIndex
CREATE UNIQUE INDEX "LearnedModel_name_version_key" ON "LearnedModel"("name", "version");

-- CreateIndex
CREATE INDEX "Notification_userId_readAt_idx" ON "Notification"("userId", "readAt");

-- CreateIndex
CREATE INDEX "Artifact_runId_idx" ON "Artifact"("runId");

-- CreateIndex
CREATE INDEX "Artifact_projectId_kind_idx" ON "Artifact"("projectId", "kind");

