-- Background jobs of lib/jobs on SQLite (on PostgreSQL, pg-boss keeps its own "pgboss" schema).
-- Times are epoch milliseconds; "state" follows pg-boss: created, retry, active, completed, failed.
CREATE TABLE "job" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "queue" TEXT NOT NULL,
    "data" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'created',
    "singletonKey" TEXT,
    "retryLimit" INTEGER NOT NULL,
    "retryCount" INTEGER NOT NULL DEFAULT 0,
    "retryDelaySeconds" INTEGER NOT NULL,
    "retryBackoff" BOOLEAN NOT NULL,
    "expireInSeconds" INTEGER NOT NULL,
    "deadLetter" TEXT,
    "startAfter" INTEGER NOT NULL,
    "startedAt" INTEGER,
    "lockedBy" TEXT,
    "expiresAt" INTEGER,
    "completedAt" INTEGER,
    "createdAt" INTEGER NOT NULL,
    "output" TEXT
);

-- A singleton queue holds at most one waiting job per key (pg-boss's "short" policy).
CREATE UNIQUE INDEX "job_waiting_singleton_key" ON "job" ("queue", "singletonKey") WHERE "state" = 'created' AND "singletonKey" IS NOT NULL;
CREATE INDEX "job_due" ON "job" ("queue", "startAfter") WHERE "state" IN ('created', 'retry');
CREATE INDEX "job_active" ON "job" ("state", "expiresAt") WHERE "state" = 'active';

CREATE TABLE "job_schedule" (
    "queue" TEXT NOT NULL PRIMARY KEY,
    "cron" TEXT NOT NULL,
    "data" TEXT NOT NULL,
    "lastSlot" INTEGER
);
