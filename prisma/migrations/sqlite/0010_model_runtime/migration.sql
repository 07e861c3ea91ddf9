-- AlterTable
ALTER TABLE "Project" ADD COLUMN "budgetUsd" REAL;

-- AlterTable
ALTER TABLE "Run" ADD COLUMN "blockedDetail" JSONB;
ALTER TABLE "Run" ADD COLUMN "blockedReason" TEXT;
ALTER TABLE "Run" ADD COLUMN "budgetUsd" REAL;

-- AlterTable
ALTER TABLE "ArtifactVersion" ADD COLUMN "tier" INTEGER;

-- CreateTable
CREATE TABLE "ModelCall" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "stepRunId" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "model" TEXT NOT NULL,
    "tier" INTEGER NOT NULL DEFAULT 0,
    "attempt" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "error" TEXT,
    "messages" JSONB NOT NULL,
    "rawResponse" TEXT,
    "parsedOutput" JSONB,
    "validationErrors" JSONB,
    "inputTokens" INTEGER NOT NULL DEFAULT 0,
    "outputTokens" INTEGER NOT NULL DEFAULT 0,
    "costUsd" REAL NOT NULL DEFAULT 0,
    "estimatedCostUsd" REAL,
    "latencyMs" INTEGER NOT NULL DEFAULT 0,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    CONSTRAINT "ModelCall_stepRunId_fkey" FOREIGN KEY ("stepRunId") REFERENCES "StepRun" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ModelCall_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ModelPriceVersion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "modelId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "inputUsdPerMTok" REAL NOT NULL,
    "outputUsdPerMTok" REAL NOT NULL,
    "note" TEXT,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ModelPriceVersion_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "ModelCall_stepRunId_position_idx" ON "ModelCall"("stepRunId", "position");

-- CreateIndex
CREATE INDEX "ModelCall_projectId_startedAt_idx" ON "ModelCall"("projectId", "startedAt");

-- CreateIndex
CREATE INDEX "ModelCall_model_startedAt_idx" ON "ModelCall"("model", "startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ModelPriceVersion_modelId_version_key" ON "ModelPriceVersion"("modelId", "version");

