-- DropIndex
DROP INDEX "payout_requests_created_at_id_idx";

-- CreateIndex
CREATE INDEX "payout_requests_created_at_id_status_amount_kopecks_idx" ON "payout_requests"("created_at" DESC, "id", "status", "amount_kopecks");

-- CreateIndex
CREATE INDEX "payout_requests_status_amount_kopecks_id_idx" ON "payout_requests"("status", "amount_kopecks" DESC, "id");

-- CreateIndex
CREATE INDEX "payout_requests_amount_kopecks_id_idx" ON "payout_requests"("amount_kopecks" DESC, "id");

-- CreateIndex
CREATE INDEX "payout_requests_status_updated_at_id_idx" ON "payout_requests"("status", "updated_at" DESC, "id");

-- CreateIndex
CREATE INDEX "payout_requests_updated_at_id_idx" ON "payout_requests"("updated_at" DESC, "id");

-- CreateIndex
CREATE INDEX "payout_requests_status_idx" ON "payout_requests"("status");

-- CreateIndex
CREATE INDEX "payout_requests_reference_idx" ON "payout_requests"("reference");

