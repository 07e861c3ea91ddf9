-- Writers only insert audit events (the id sequence orders them, no lock); a sealer chains them
-- afterwards by setting chainPosition, prevHash and hash once. Existing events keep their hashes
-- and get positions in id order, the order they were chained in.
DROP TRIGGER "AuditEvent_append_only" ON "AuditEvent";

ALTER TABLE "AuditEvent" ADD COLUMN "chainPosition" INTEGER,
    ALTER COLUMN "prevHash" DROP NOT NULL,
    ALTER COLUMN "hash" DROP NOT NULL;

UPDATE "AuditEvent" AS event SET "chainPosition" = numbered.position
FROM (SELECT "id", ROW_NUMBER() OVER (ORDER BY "id") AS position FROM "AuditEvent") AS numbered
WHERE event."id" = numbered."id";

CREATE UNIQUE INDEX "AuditEvent_chainPosition_key" ON "AuditEvent"("chainPosition");
-- The sealer's work list: only events not yet chained (not in the Prisma schema, which has no partial indexes).
CREATE INDEX "AuditEvent_unsealed_idx" ON "AuditEvent"("id") WHERE "hash" IS NULL;

CREATE TABLE "AuditCheckpoint" (
    "id" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "eventId" INTEGER,
    "hash" TEXT NOT NULL,
    "verifiedAt" TIMESTAMP(3) NOT NULL,
    "fullyVerifiedAt" TIMESTAMP(3),
    "brokenAtId" INTEGER,
    "brokenAtPosition" INTEGER,
    "problem" TEXT,

    CONSTRAINT "AuditCheckpoint_pkey" PRIMARY KEY ("id")
);

-- Append-only: an event is inserted unsealed, sealed once (only the seal columns change, from
-- NULL to values), and never changed or removed after.
CREATE OR REPLACE FUNCTION countersign_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW."chainPosition" IS NOT NULL OR NEW."prevHash" IS NOT NULL OR NEW."hash" IS NOT NULL THEN
      RAISE EXCEPTION 'audit events are inserted unsealed: only the sealer sets their chain position and hashes';
    END IF;
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE'
    AND OLD."chainPosition" IS NULL AND OLD."prevHash" IS NULL AND OLD."hash" IS NULL
    AND NEW."chainPosition" IS NOT NULL AND NEW."prevHash" IS NOT NULL AND NEW."hash" IS NOT NULL
    AND (NEW."id", NEW."at", NEW."actorType", NEW."actorId", NEW."actorLabel", NEW."action", NEW."subjectType", NEW."subjectId", NEW."projectId", NEW."before", NEW."after", NEW."reason")
      IS NOT DISTINCT FROM (OLD."id", OLD."at", OLD."actorType", OLD."actorId", OLD."actorLabel", OLD."action", OLD."subjectType", OLD."subjectId", OLD."projectId", OLD."before", OLD."after", OLD."reason")
  THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit events are append-only: only sealing an unsealed event may change it, once';
END;
$$;

CREATE TRIGGER "AuditEvent_append_only" BEFORE INSERT OR UPDATE OR DELETE ON "AuditEvent"
FOR EACH ROW EXECUTE FUNCTION countersign_audit_append_only();
