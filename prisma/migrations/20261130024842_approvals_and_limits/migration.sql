-- AlterTable
ALTER TABLE "operators" ADD COLUMN     "daily_approval_limit_kopecks" BIGINT,
ADD COLUMN     "payout_approval_limit_kopecks" BIGINT;

-- CreateTable
CREATE TABLE "payout_approvals" (
    "id" UUID NOT NULL,
    "payout_request_id" UUID NOT NULL,
    "operator_id" UUID NOT NULL,
    "decision_attempt" INTEGER NOT NULL,
    "fingerprint" CHAR(64) NOT NULL,
    "fields" JSONB NOT NULL,
    "amount_kopecks" BIGINT NOT NULL,
    "voided_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payout_approvals_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "payout_approvals_payout_request_id_decision_attempt_idx" ON "payout_approvals"("payout_request_id", "decision_attempt");

-- CreateIndex
CREATE INDEX "payout_approvals_operator_id_created_at_idx" ON "payout_approvals"("operator_id", "created_at");

-- AddForeignKey
ALTER TABLE "payout_approvals" ADD CONSTRAINT "payout_approvals_payout_request_id_fkey" FOREIGN KEY ("payout_request_id") REFERENCES "payout_requests"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payout_approvals" ADD CONSTRAINT "payout_approvals_operator_id_fkey" FOREIGN KEY ("operator_id") REFERENCES "operators"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
