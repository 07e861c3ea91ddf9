-- CreateTable
CREATE TABLE "BudgetHold" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "estimatedCostUsd" REAL NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    CONSTRAINT "BudgetHold_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "BudgetHold_projectId_expiresAt_idx" ON "BudgetHold"("projectId", "expiresAt");

-- CreateIndex
CREATE INDEX "BudgetHold_runId_expiresAt_idx" ON "BudgetHold"("runId", "expiresAt");

