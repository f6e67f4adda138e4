-- CreateTable
CREATE TABLE "payout_claims" (
    "payout_request_id" UUID NOT NULL,
    "holder_id" UUID NOT NULL,
    "claimed_at" TIMESTAMPTZ(6) NOT NULL,
    "expires_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "payout_claims_pkey" PRIMARY KEY ("payout_request_id")
);

-- CreateIndex
CREATE INDEX "payout_claims_holder_id_idx" ON "payout_claims"("holder_id");

-- AddForeignKey
ALTER TABLE "payout_claims" ADD CONSTRAINT "payout_claims_payout_request_id_fkey" FOREIGN KEY ("payout_request_id") REFERENCES "payout_requests"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payout_claims" ADD CONSTRAINT "payout_claims_holder_id_fkey" FOREIGN KEY ("holder_id") REFERENCES "operators"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
