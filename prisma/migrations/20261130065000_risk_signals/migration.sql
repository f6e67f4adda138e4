-- Risk signals (lib/payouts/risk-signals.ts). The instrument a payout went to, as one comparable key:
-- the card's number_hash, a card or recurrent token, BIK + the bank's account mask, or SBP bank + phone (each tokenize
-- of one account issues a new token, so the token alone would never repeat).
ALTER TABLE "payout_requests" ADD COLUMN "instrument_key" TEXT GENERATED ALWAYS AS (
  CASE
    WHEN "card_number_hash" IS NOT NULL THEN 'card:' || lower("card_number_hash")
    WHEN "card_token" IS NOT NULL THEN 'card_token:' || "card_token"
    WHEN "recurrent_token" IS NOT NULL THEN 'recurrent:' || "recurrent_token"
    WHEN "masked_account" IS NOT NULL AND "bik" IS NOT NULL THEN 'account:' || "bik" || ':' || "masked_account"
    WHEN "bank_account_token" IS NOT NULL THEN 'account_token:' || "bank_account_token"
    WHEN "sbp_phone" IS NOT NULL AND "sbp_bank_id" IS NOT NULL THEN 'sbp:' || "sbp_bank_id" || ':' || "sbp_phone"
  END
) STORED;

-- The recipient's name as an identity: lower case, ё→е (Cyrillic capitals by translate(), as in
-- recipient_search, so it does not depend on the database's ctype), whitespace removed.
ALTER TABLE "payout_requests" ADD COLUMN "recipient_key" TEXT GENERATED ALWAYS AS (
  regexp_replace(
    translate(lower("recipient_name"), 'АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯё', 'абвгдеежзийклмнопрстуфхцчшщъыьэюяе'),
    '\s+', '', 'g')
) STORED;

-- What the approver was shown: the payout's risk signals at the approval.
ALTER TABLE "payout_approvals" ADD COLUMN "risk_signals" JSONB NOT NULL DEFAULT '[]';

-- CreateTable
CREATE TABLE "payout_link_opens" (
    "payout_request_id" UUID NOT NULL,
    "address_hash" VARCHAR(32) NOT NULL,
    "opens" INTEGER NOT NULL DEFAULT 1,
    "first_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payout_link_opens_pkey" PRIMARY KEY ("payout_request_id","address_hash")
);

-- CreateIndex
CREATE INDEX "payout_requests_instrument_key_created_at_idx" ON "payout_requests"("instrument_key", "created_at");

-- CreateIndex
CREATE INDEX "payout_requests_recipient_key_status_created_at_amount_kope_idx" ON "payout_requests"("recipient_key", "status", "created_at", "amount_kopecks");

-- AddForeignKey
ALTER TABLE "payout_link_opens" ADD CONSTRAINT "payout_link_opens_payout_request_id_fkey" FOREIGN KEY ("payout_request_id") REFERENCES "payout_requests"("id") ON DELETE CASCADE ON UPDATE CASCADE;
