-- CreateEnum
CREATE TYPE "ModelCallStatus" AS ENUM ('ok', 'provider_error', 'contract_violation', 'timeout', 'skipped_budget');

-- AlterEnum
ALTER TYPE "RunStatus" ADD VALUE 'blocked';

-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "budgetUsd" DOUBLE PRECISION;

-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "blockedDetail" JSONB,
ADD COLUMN     "blockedReason" TEXT,
ADD COLUMN     "budgetUsd" DOUBLE PRECISION;

-- AlterTable
ALTER TABLE "ArtifactVersion" ADD COLUMN     "tier" INTEGER;

-- CreateTable
CREATE TABLE "ModelCall" (
    "id" TEXT NOT NULL,
    "stepRunId" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "model" TEXT NOT NULL,
    "tier" INTEGER NOT NULL DEFAULT 0,
    "attempt" INTEGER NOT NULL,
    "status" "ModelCallStatus" NOT NULL,
    "error" TEXT,
    "messages" JSONB NOT NULL,
    "rawResponse" TEXT,
    "parsedOutput" JSONB,
    "validationErrors" JSONB,
    "inputTokens" INTEGER NOT NULL DEFAULT 0,
    "outputTokens" INTEGER NOT NULL DEFAULT 0,
    "costUsd" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "estimatedCostUsd" DOUBLE PRECISION,
    "latencyMs" INTEGER NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "ModelCall_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModelPriceVersion" (
    "id" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "inputUsdPerMTok" DOUBLE PRECISION NOT NULL,
    "outputUsdPerMTok" DOUBLE PRECISION NOT NULL,
    "note" TEXT,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ModelPriceVersion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ModelCall_stepRunId_position_idx" ON "ModelCall"("stepRunId", "position");

-- CreateIndex
CREATE INDEX "ModelCall_projectId_startedAt_idx" ON "ModelCall"("projectId", "startedAt");

-- CreateIndex
CREATE INDEX "ModelCall_model_startedAt_idx" ON "ModelCall"("model", "startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ModelPriceVersion_modelId_version_key" ON "ModelPriceVersion"("modelId", "version");

-- AddForeignKey
ALTER TABLE "ModelCall" ADD CONSTRAINT "ModelCall_stepRunId_fkey" FOREIGN KEY ("stepRunId") REFERENCES "StepRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelCall" ADD CONSTRAINT "ModelCall_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelPriceVersion" ADD CONSTRAINT "ModelPriceVersion_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

