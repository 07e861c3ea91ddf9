-- Writers only insert audit events (the id orders them); a sealer chains them afterwards by
-- setting chainPosition, prevHash and hash once. Existing events keep their hashes and get
-- positions in id order, the order they were chained in. SQLite cannot relax NOT NULL in place,
-- so the table is rebuilt (its triggers go with it and are recreated below).
DROP TRIGGER "AuditEvent_no_update";
DROP TRIGGER "AuditEvent_no_delete";

CREATE TABLE "new_AuditEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorType" TEXT NOT NULL,
    "actorId" TEXT,
    "actorLabel" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "subjectType" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "projectId" TEXT,
    "before" JSONB,
    "after" JSONB,
    "reason" TEXT,
    "chainPosition" INTEGER,
    "prevHash" TEXT,
    "hash" TEXT
);
INSERT INTO "new_AuditEvent" ("id", "at", "actorType", "actorId", "actorLabel", "action", "subjectType", "subjectId", "projectId", "before", "after", "reason", "chainPosition", "prevHash", "hash")
SELECT "id", "at", "actorType", "actorId", "actorLabel", "action", "subjectType", "subjectId", "projectId", "before", "after", "reason", ROW_NUMBER() OVER (ORDER BY "id"), "prevHash", "hash"
FROM "AuditEvent" ORDER BY "id";
DROP TABLE "AuditEvent";
ALTER TABLE "new_AuditEvent" RENAME TO "AuditEvent";

CREATE UNIQUE INDEX "AuditEvent_chainPosition_key" ON "AuditEvent"("chainPosition");
CREATE UNIQUE INDEX "AuditEvent_prevHash_key" ON "AuditEvent"("prevHash");
CREATE UNIQUE INDEX "AuditEvent_hash_key" ON "AuditEvent"("hash");
CREATE INDEX "AuditEvent_projectId_id_idx" ON "AuditEvent"("projectId", "id");
CREATE INDEX "AuditEvent_subjectType_subjectId_at_idx" ON "AuditEvent"("subjectType", "subjectId", "at");
-- The sealer's work list: only events not yet chained (not in the Prisma schema, which has no partial indexes).
CREATE INDEX "AuditEvent_unsealed_idx" ON "AuditEvent"("id") WHERE "hash" IS NULL;

CREATE TABLE "AuditCheckpoint" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "position" INTEGER NOT NULL,
    "eventId" INTEGER,
    "hash" TEXT NOT NULL,
    "verifiedAt" DATETIME NOT NULL,
    "fullyVerifiedAt" DATETIME,
    "brokenAtId" INTEGER,
    "brokenAtPosition" INTEGER,
    "problem" TEXT
);

-- Append-only: an event is inserted unsealed, sealed once (only the seal columns change, from
-- NULL to values), and never changed or removed after.
CREATE TRIGGER "AuditEvent_insert_unsealed" BEFORE INSERT ON "AuditEvent"
WHEN NEW."chainPosition" IS NOT NULL OR NEW."prevHash" IS NOT NULL OR NEW."hash" IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'audit events are inserted unsealed: only the sealer sets their chain position and hashes');
END;

CREATE TRIGGER "AuditEvent_no_update" BEFORE UPDATE ON "AuditEvent"
WHEN NOT (
  OLD."chainPosition" IS NULL AND OLD."prevHash" IS NULL AND OLD."hash" IS NULL
  AND NEW."chainPosition" IS NOT NULL AND NEW."prevHash" IS NOT NULL AND NEW."hash" IS NOT NULL
  AND NEW."id" IS OLD."id" AND NEW."at" IS OLD."at" AND NEW."actorType" IS OLD."actorType"
  AND NEW."actorId" IS OLD."actorId" AND NEW."actorLabel" IS OLD."actorLabel" AND NEW."action" IS OLD."action"
  AND NEW."subjectType" IS OLD."subjectType" AND NEW."subjectId" IS OLD."subjectId" AND NEW."projectId" IS OLD."projectId"
  AND NEW."before" IS OLD."before" AND NEW."after" IS OLD."after" AND NEW."reason" IS OLD."reason"
)
BEGIN
  SELECT RAISE(ABORT, 'audit events are append-only: only sealing an unsealed event may change it, once');
END;

CREATE TRIGGER "AuditEvent_no_delete" BEFORE DELETE ON "AuditEvent"
BEGIN
  SELECT RAISE(ABORT, 'audit events are append-only');
END;
