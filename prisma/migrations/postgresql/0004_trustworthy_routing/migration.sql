-- CreateEnum
CREATE TYPE "ReviewItemKind" AS ENUM ('draft', 'conflict');

-- CreateEnum
CREATE TYPE "ConflictStatus" AS ENUM ('open', 'resolved', 'superseded');

-- AlterEnum
ALTER TYPE "DecisionAction" ADD VALUE 'resolve';

-- DropForeignKey
ALTER TABLE "Policy" DROP CONSTRAINT "Policy_updatedById_fkey";

-- AlterTable
ALTER TABLE "RoutingDecision" ADD COLUMN     "calibratedProbability" DOUBLE PRECISION,
ADD COLUMN     "calibrationVersion" INTEGER,
ADD COLUMN     "category" TEXT,
ADD COLUMN     "eligible" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "features" JSONB,
ADD COLUMN     "policyVersion" INTEGER,
ADD COLUMN     "stepKey" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "threshold" DOUBLE PRECISION;

-- AlterTable
ALTER TABLE "ReviewItem" ADD COLUMN     "conflictId" TEXT,
ADD COLUMN     "kind" "ReviewItemKind" NOT NULL DEFAULT 'draft',
ADD COLUMN     "runId" TEXT,
ALTER COLUMN "artifactId" DROP NOT NULL;

-- AlterTable
ALTER TABLE "ReviewDecision" ADD COLUMN     "changedFields" JSONB,
ADD COLUMN     "durationMs" INTEGER,
ADD COLUMN     "editDistance" DOUBLE PRECISION,
ADD COLUMN     "label" TEXT,
ALTER COLUMN "artifactId" DROP NOT NULL;

-- DropTable

-- CreateTable
CREATE TABLE "Conflict" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "stageId" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "ref" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "sides" JSONB NOT NULL,
    "status" "ConflictStatus" NOT NULL DEFAULT 'open',
    "resolution" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMP(3),

    CONSTRAINT "Conflict_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DraftLabel" (
    "id" TEXT NOT NULL,
    "artifactId" TEXT NOT NULL,
    "stepKey" TEXT NOT NULL,
    "category" TEXT,
    "features" JSONB NOT NULL,
    "calibratedProbability" DOUBLE PRECISION,
    "routedTo" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "correct" BOOLEAN NOT NULL,
    "correctedCategory" TEXT,
    "statement" TEXT,
    "editDistance" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "durationMs" INTEGER,
    "decidedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DraftLabel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PolicyVersion" (
    "id" TEXT NOT NULL,
    "stepKey" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "values" JSONB NOT NULL,
    "reason" TEXT,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PolicyVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LearnedModel" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "data" JSONB NOT NULL,
    "summary" JSONB NOT NULL,
    "labelCount" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LearnedModel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "projectId" TEXT,
    "kind" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "link" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "readAt" TIMESTAMP(3),

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

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

-- Each policy saved before versioning becomes its version 1; new fields take their defaults when read.
INSERT INTO "PolicyVersion" ("id", "stepKey", "version", "values", "reason", "createdById", "createdAt")
SELECT 'policy-' || "stepKey" || '-1', "stepKey", 1,
       jsonb_build_object('modelId', "modelId", 'minConfidence', "minConfidence", 'maxCostUsd', "maxCostUsd",
                          'auditSampleRate', "auditSampleRate", 'alwaysReview', "alwaysReview"),
       'saved before policies were versioned', "updatedById", "updatedAt"
FROM "Policy";
DROP TABLE "Policy";

-- Review items name their run, so resuming a run counts only its own items.
UPDATE "ReviewItem" SET "runId" = "Artifact"."runId" FROM "Artifact" WHERE "Artifact"."id" = "ReviewItem"."artifactId";

-- CreateIndex
CREATE UNIQUE INDEX "LearnedModel_name_version_key" ON "LearnedModel"("name", "version");

-- CreateIndex
CREATE INDEX "Notification_userId_readAt_idx" ON "Notification"("userId", "readAt");

-- CreateIndex
CREATE INDEX "Artifact_runId_idx" ON "Artifact"("runId");

-- CreateIndex
CREATE INDEX "Artifact_projectId_kind_idx" ON "Artifact"("projectId", "kind");

-- CreateIndex
CREATE INDEX "RoutingDecision_stepKey_category_eligible_idx" ON "RoutingDecision"("stepKey", "category", "eligible");

-- CreateIndex
CREATE INDEX "ReviewItem_runId_status_idx" ON "ReviewItem"("runId", "status");

-- CreateIndex
CREATE INDEX "ReviewItem_artifactId_idx" ON "ReviewItem"("artifactId");

-- CreateIndex
CREATE INDEX "ReviewItem_conflictId_idx" ON "ReviewItem"("conflictId");

-- CreateIndex
CREATE INDEX "ReviewItem_status_createdAt_id_idx" ON "ReviewItem"("status", "createdAt", "id");

-- CreateIndex
CREATE INDEX "ReviewDecision_reviewItemId_idx" ON "ReviewDecision"("reviewItemId");

-- CreateIndex
CREATE INDEX "ReviewDecision_decidedById_createdAt_idx" ON "ReviewDecision"("decidedById", "createdAt");

-- AddForeignKey
ALTER TABLE "ReviewItem" ADD CONSTRAINT "ReviewItem_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewItem" ADD CONSTRAINT "ReviewItem_conflictId_fkey" FOREIGN KEY ("conflictId") REFERENCES "Conflict"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Conflict" ADD CONSTRAINT "Conflict_stageId_fkey" FOREIGN KEY ("stageId") REFERENCES "Stage"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Conflict" ADD CONSTRAINT "Conflict_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DraftLabel" ADD CONSTRAINT "DraftLabel_artifactId_fkey" FOREIGN KEY ("artifactId") REFERENCES "Artifact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DraftLabel" ADD CONSTRAINT "DraftLabel_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PolicyVersion" ADD CONSTRAINT "PolicyVersion_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

