-- CreateTable
CREATE TABLE "BudgetHold" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "estimatedCostUsd" DOUBLE PRECISION NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BudgetHold_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "BudgetHold_projectId_expiresAt_idx" ON "BudgetHold"("projectId", "expiresAt");

-- CreateIndex
CREATE INDEX "BudgetHold_runId_expiresAt_idx" ON "BudgetHold"("runId", "expiresAt");

-- AddForeignKey
ALTER TABLE "BudgetHold" ADD CONSTRAINT "BudgetHold_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

