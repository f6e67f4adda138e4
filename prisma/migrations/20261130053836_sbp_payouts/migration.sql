-- AlterEnum
ALTER TYPE "PayoutMethod" ADD VALUE 'sbp';

-- AlterTable
ALTER TABLE "payout_requests" ADD COLUMN     "sbp_bank_id" VARCHAR(32),
ADD COLUMN     "sbp_bank_name" TEXT,
ADD COLUMN     "sbp_phone" VARCHAR(11),
ADD COLUMN     "sbp_verified_name" TEXT;

-- CreateTable
CREATE TABLE "sbp_verifications" (
    "id" UUID NOT NULL,
    "payout_request_id" UUID NOT NULL,
    "phone" VARCHAR(11) NOT NULL,
    "bank_id" VARCHAR(32) NOT NULL,
    "name_key" TEXT NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "failure_code" TEXT,
    "masked_name" TEXT,
    "bank_session_id" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(6),

    CONSTRAINT "sbp_verifications_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "sbp_verifications_bank_session_id_key" ON "sbp_verifications"("bank_session_id");

-- CreateIndex
CREATE INDEX "sbp_verifications_phone_bank_id_name_key_status_finished_at_idx" ON "sbp_verifications"("phone", "bank_id", "name_key", "status", "finished_at" DESC);

-- CreateIndex
CREATE INDEX "sbp_verifications_payout_request_id_created_at_idx" ON "sbp_verifications"("payout_request_id", "created_at" DESC);

-- AddForeignKey
ALTER TABLE "sbp_verifications" ADD CONSTRAINT "sbp_verifications_payout_request_id_fkey" FOREIGN KEY ("payout_request_id") REFERENCES "payout_requests"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
