-- CreateTable
CREATE TABLE "recipient_account_tokens" (
    "id" UUID NOT NULL,
    "payout_request_id" UUID NOT NULL,
    "token" TEXT NOT NULL,
    "masked_account" TEXT NOT NULL,
    "bik" VARCHAR(9) NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "recipient_account_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "recipient_account_tokens_payout_request_id_token_key" ON "recipient_account_tokens"("payout_request_id", "token");

-- AddForeignKey
ALTER TABLE "recipient_account_tokens" ADD CONSTRAINT "recipient_account_tokens_payout_request_id_fkey" FOREIGN KEY ("payout_request_id") REFERENCES "payout_requests"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
