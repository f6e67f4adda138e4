-- AlterTable
ALTER TABLE "bank_calls" ALTER COLUMN "request_body" DROP NOT NULL;

-- AlterTable
ALTER TABLE "webhook_inbox" ADD COLUMN     "body_bytes" INTEGER,
ADD COLUMN     "body_sha256" CHAR(64),
ADD COLUMN     "named_session_id" VARCHAR(64),
ADD COLUMN     "client_address" VARCHAR(64),
ADD COLUMN     "signature_present" BOOLEAN,
ALTER COLUMN "raw_body" DROP NOT NULL;

-- CreateTable
CREATE TABLE "rate_limits" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" TIMESTAMPTZ(6),

    CONSTRAINT "rate_limits_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "rate_limits_expire_idx" ON "rate_limits"("expire");

-- CreateIndex
CREATE INDEX "bank_calls_created_at_idx" ON "bank_calls"("created_at");

-- CreateIndex
CREATE INDEX "idempotency_records_created_at_idx" ON "idempotency_records"("created_at");

-- CreateIndex
CREATE INDEX "webhook_inbox_named_session_id_received_at_idx" ON "webhook_inbox"("named_session_id", "received_at");

-- CreateIndex
CREATE INDEX "webhook_inbox_verdict_received_at_idx" ON "webhook_inbox"("verdict", "received_at");

-- Rejected deliveries stored before this migration kept up to 64 KiB of untrusted body: keep only
-- the bounded sample (hash, size, whether a signature came, the session id the body claimed).
UPDATE "webhook_inbox"
SET "body_sha256" = encode(sha256(convert_to("raw_body", 'UTF8')), 'hex'),
    "body_bytes" = octet_length("raw_body"),
    "signature_present" = ("signature" IS NOT NULL AND "signature" <> ''),
    "named_session_id" = left(substring("raw_body" from '"session"\s*:\s*\{[^{}]*?"id"\s*:\s*"([A-Za-z0-9_.:-]{1,64})"'), 64),
    "raw_body" = NULL,
    "signature" = NULL
WHERE "verdict" = 'rejected';
