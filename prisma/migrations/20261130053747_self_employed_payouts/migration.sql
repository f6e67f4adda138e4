-- AlterTable
ALTER TABLE "payout_requests" ADD COLUMN     "npd_checked_at" TIMESTAMPTZ(6),
ADD COLUMN     "npd_income_year" INTEGER,
ADD COLUMN     "npd_request_id" TEXT,
ADD COLUMN     "npd_status" VARCHAR(24),
ADD COLUMN     "receipt_id" TEXT,
ADD COLUMN     "receipt_link" TEXT,
ADD COLUMN     "self_employed_inn" VARCHAR(12),
ADD COLUMN     "self_employed_services" JSONB;

-- CreateIndex
CREATE INDEX "payout_requests_self_employed_inn_npd_income_year_idx" ON "payout_requests"("self_employed_inn", "npd_income_year");
