-- The queue's "riskiest first" order, read from an index instead of sorting in the browser.
ALTER TABLE "ReviewItem" ADD COLUMN "approvalChance" REAL NOT NULL DEFAULT 0;

-- Items already waiting: the calibrated probability of the version under review, else the drafter's confidence in it (0 for a version people wrote).
UPDATE "ReviewItem" SET "approvalChance" = COALESCE(
  (SELECT NULLIF(rt."calibratedProbability", 0) FROM "RoutingDecision" rt WHERE rt."artifactId" = "ReviewItem"."artifactId" AND rt."version" = "ReviewItem"."version" ORDER BY rt."createdAt" DESC LIMIT 1),
  (SELECT v."confidence" FROM "ArtifactVersion" v WHERE v."artifactId" = "ReviewItem"."artifactId" AND v."version" = "ReviewItem"."version"),
  0)
WHERE "kind" = 'draft' AND "status" IN ('pending', 'needs_adjudication');

CREATE INDEX "ReviewItem_stageId_status_kind_approvalChance_createdAt_id_idx" ON "ReviewItem"("stageId", "status", "kind", "approvalChance", "createdAt", "id");
CREATE INDEX "ReviewItem_status_kind_approvalChance_createdAt_id_idx" ON "ReviewItem"("status", "kind", "approvalChance", "createdAt", "id");
