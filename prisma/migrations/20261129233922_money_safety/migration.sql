-- AlterEnum
ALTER TYPE "PayoutRequestStatus" ADD VALUE 'needs_attention';

-- AlterTable
ALTER TABLE "bank_sessions" ADD COLUMN     "audited_at" TIMESTAMPTZ(6),
ADD COLUMN     "check_failures" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "decision_attempt" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "next_check_at" TIMESTAMPTZ(6);

-- AlterTable
ALTER TABLE "payout_requests" ADD COLUMN     "attention_reason" TEXT,
ADD COLUMN     "bank_mismatch" JSONB,
ADD COLUMN     "bank_mismatch_at" TIMESTAMPTZ(6);

-- CreateIndex
CREATE INDEX "bank_sessions_next_check_at_idx" ON "bank_sessions"("next_check_at");
