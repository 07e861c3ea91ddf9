-- The review queue reads one (stage, status, kind) lane at a time in (createdAt, id) order,
-- or one (status, kind) lane across stages; the latest decision of an item is read by item.

-- DropIndex
DROP INDEX "ReviewItem_stageId_status_createdAt_idx";

-- DropIndex
DROP INDEX "ReviewItem_status_createdAt_id_idx";

-- DropIndex
DROP INDEX "ReviewDecision_reviewItemId_idx";

-- CreateIndex
CREATE INDEX "ReviewItem_stageId_status_kind_createdAt_id_idx" ON "ReviewItem"("stageId", "status", "kind", "createdAt", "id");

-- CreateIndex
CREATE INDEX "ReviewItem_status_kind_createdAt_id_idx" ON "ReviewItem"("status", "kind", "createdAt", "id");

-- CreateIndex
CREATE INDEX "ReviewDecision_reviewItemId_createdAt_idx" ON "ReviewDecision"("reviewItemId", "createdAt");

-- The planner needs statistics to prefer these indexes over the older ones.
ANALYZE "ReviewItem";
ANALYZE "ReviewDecision";
