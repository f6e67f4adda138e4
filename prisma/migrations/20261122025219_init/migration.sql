-- CreateEnum
CREATE TYPE "OperatorRole" AS ENUM ('admin', 'approver', 'viewer');

-- CreateEnum
CREATE TYPE "PayoutMethod" AS ENUM ('card_widget', 'card_saved', 'recurrent', 'bank_account');

-- CreateEnum
CREATE TYPE "SourceAccount" AS ENUM ('regular', 'escrow', 'settlement');

-- CreateEnum
CREATE TYPE "PayoutRequestStatus" AS ENUM ('awaiting_recipient', 'submitted', 'awaiting_approval', 'confirming', 'cancelling', 'paid', 'failed', 'cancelled', 'refunded', 'expired', 'bank_error');

-- CreateEnum
CREATE TYPE "BankSessionStatus" AS ENUM ('starting', 'created', 'in_progress', 'accepted', 'cancelled', 'error');

-- CreateEnum
CREATE TYPE "BankPayoutStatus" AS ENUM ('in_progress', 'pending', 'succeeded', 'failed');

-- CreateEnum
CREATE TYPE "WebhookVerdict" AS ENUM ('verified', 'rejected');

-- CreateEnum
CREATE TYPE "ActorType" AS ENUM ('operator', 'recipient', 'bank', 'system', 'partner_api');

-- CreateTable
CREATE TABLE "operators" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" "OperatorRole" NOT NULL,
    "password_hash" TEXT NOT NULL,
    "disabled_at" TIMESTAMPTZ(6),
    "last_login_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "operators_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payout_requests" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "status" "PayoutRequestStatus" NOT NULL DEFAULT 'awaiting_recipient',
    "amount_kopecks" BIGINT NOT NULL,
    "currency" VARCHAR(3) NOT NULL DEFAULT 'rub',
    "recipient_name" TEXT NOT NULL,
    "recipient_email" TEXT,
    "reference" TEXT,
    "purpose" TEXT NOT NULL,
    "method" "PayoutMethod" NOT NULL,
    "source_account" "SourceAccount" NOT NULL DEFAULT 'regular',
    "beneficiary_inn" VARCHAR(12),
    "beneficiary_name" TEXT,
    "link_token_hash" CHAR(64) NOT NULL,
    "link_expires_at" TIMESTAMPTZ(6) NOT NULL,
    "link_used_at" TIMESTAMPTZ(6),
    "link_revoked_at" TIMESTAMPTZ(6),
    "card_number_hash" TEXT,
    "card_token" TEXT,
    "recurrent_token" TEXT,
    "bank_account_token" TEXT,
    "card_brand" TEXT,
    "card_bin" VARCHAR(8),
    "card_last4" VARCHAR(4),
    "masked_account" TEXT,
    "bik" VARCHAR(9),
    "failure_code" TEXT,
    "failure_message" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "created_by_id" UUID,
    "api_key_id" UUID,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "payout_requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bank_sessions" (
    "id" UUID NOT NULL,
    "payout_request_id" UUID NOT NULL,
    "bank_session_id" TEXT,
    "idempotency_key" TEXT NOT NULL,
    "status" "BankSessionStatus" NOT NULL DEFAULT 'starting',
    "next_action" TEXT,
    "confirm_information" JSONB,
    "api_version" INTEGER NOT NULL DEFAULT 2,
    "confirm_deadline_at" TIMESTAMPTZ(6),
    "flow" TEXT NOT NULL,
    "start_plan" JSONB NOT NULL,
    "start_attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "last_synced_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "bank_sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bank_payouts" (
    "id" UUID NOT NULL,
    "bank_session_row_id" UUID NOT NULL,
    "bank_payout_id" TEXT NOT NULL,
    "status" "BankPayoutStatus" NOT NULL,
    "amount_kopecks" BIGINT,
    "currency" VARCHAR(3),
    "error_code" TEXT,
    "error_description" TEXT,
    "finished_at" TIMESTAMPTZ(6),
    "refunded_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "bank_payouts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_inbox" (
    "id" UUID NOT NULL,
    "verdict" "WebhookVerdict" NOT NULL,
    "reject_reason" TEXT,
    "dedupe_key" CHAR(64),
    "raw_body" TEXT NOT NULL,
    "signature" TEXT,
    "event_type" TEXT,
    "bank_session_id" TEXT,
    "effect" TEXT,
    "received_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMPTZ(6),
    "deliveries" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "webhook_inbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bank_calls" (
    "id" UUID NOT NULL,
    "payout_request_id" UUID,
    "method" TEXT NOT NULL,
    "idempotency_key" TEXT,
    "request_body" JSONB NOT NULL,
    "http_status" INTEGER,
    "response_body" JSONB,
    "error_code" TEXT,
    "outcome" TEXT NOT NULL,
    "duration_ms" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "bank_calls_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_type" "ActorType" NOT NULL,
    "actor_id" TEXT,
    "action" TEXT NOT NULL,
    "payout_request_id" UUID,
    "from_status" TEXT,
    "to_status" TEXT,
    "data" JSONB,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" VARCHAR(16) NOT NULL,
    "key_hash" CHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(6),
    "last_used_at" TIMESTAMPTZ(6),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "idempotency_records" (
    "id" UUID NOT NULL,
    "api_key_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "request_hash" CHAR(64) NOT NULL,
    "response_code" INTEGER,
    "response_body" JSONB,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_records_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reconciliation_runs" (
    "id" UUID NOT NULL,
    "runner" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(6),
    "checked" INTEGER NOT NULL DEFAULT 0,
    "changed" INTEGER NOT NULL DEFAULT 0,
    "errors" INTEGER NOT NULL DEFAULT 0,
    "findings" JSONB,

    CONSTRAINT "reconciliation_runs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "operators_email_key" ON "operators"("email");

-- CreateIndex
CREATE UNIQUE INDEX "payout_requests_number_key" ON "payout_requests"("number");

-- CreateIndex
CREATE UNIQUE INDEX "payout_requests_link_token_hash_key" ON "payout_requests"("link_token_hash");

-- CreateIndex
CREATE INDEX "payout_requests_status_created_at_id_idx" ON "payout_requests"("status", "created_at" DESC, "id");

-- CreateIndex
CREATE INDEX "payout_requests_created_at_id_idx" ON "payout_requests"("created_at" DESC, "id");

-- CreateIndex
CREATE UNIQUE INDEX "bank_sessions_payout_request_id_key" ON "bank_sessions"("payout_request_id");

-- CreateIndex
CREATE UNIQUE INDEX "bank_sessions_bank_session_id_key" ON "bank_sessions"("bank_session_id");

-- CreateIndex
CREATE UNIQUE INDEX "bank_sessions_idempotency_key_key" ON "bank_sessions"("idempotency_key");

-- CreateIndex
CREATE INDEX "bank_sessions_status_updated_at_idx" ON "bank_sessions"("status", "updated_at");

-- CreateIndex
CREATE UNIQUE INDEX "bank_payouts_bank_payout_id_key" ON "bank_payouts"("bank_payout_id");

-- CreateIndex
CREATE INDEX "bank_payouts_bank_session_row_id_idx" ON "bank_payouts"("bank_session_row_id");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_inbox_dedupe_key_key" ON "webhook_inbox"("dedupe_key");

-- CreateIndex
CREATE INDEX "webhook_inbox_bank_session_id_received_at_idx" ON "webhook_inbox"("bank_session_id", "received_at");

-- CreateIndex
CREATE INDEX "webhook_inbox_received_at_idx" ON "webhook_inbox"("received_at");

-- CreateIndex
CREATE INDEX "bank_calls_payout_request_id_created_at_idx" ON "bank_calls"("payout_request_id", "created_at");

-- CreateIndex
CREATE INDEX "audit_events_payout_request_id_at_idx" ON "audit_events"("payout_request_id", "at");

-- CreateIndex
CREATE INDEX "audit_events_at_idx" ON "audit_events"("at");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_prefix_key" ON "api_keys"("prefix");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "api_keys"("key_hash");

-- CreateIndex
CREATE UNIQUE INDEX "idempotency_records_api_key_id_key_key" ON "idempotency_records"("api_key_id", "key");

-- CreateIndex
CREATE INDEX "reconciliation_runs_started_at_idx" ON "reconciliation_runs"("started_at" DESC);

-- AddForeignKey
ALTER TABLE "payout_requests" ADD CONSTRAINT "payout_requests_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "operators"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payout_requests" ADD CONSTRAINT "payout_requests_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_keys"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bank_sessions" ADD CONSTRAINT "bank_sessions_payout_request_id_fkey" FOREIGN KEY ("payout_request_id") REFERENCES "payout_requests"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bank_payouts" ADD CONSTRAINT "bank_payouts_bank_session_row_id_fkey" FOREIGN KEY ("bank_session_row_id") REFERENCES "bank_sessions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bank_calls" ADD CONSTRAINT "bank_calls_payout_request_id_fkey" FOREIGN KEY ("payout_request_id") REFERENCES "payout_requests"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_payout_request_id_fkey" FOREIGN KEY ("payout_request_id") REFERENCES "payout_requests"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "idempotency_records" ADD CONSTRAINT "idempotency_records_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_keys"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
