-- CreateTable
CREATE TABLE "partner_webhook_endpoints" (
    "id" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "event_types" TEXT[],
    "secret_encrypted" TEXT NOT NULL,
    "previous_secret_encrypted" TEXT,
    "previous_secret_until" TIMESTAMPTZ(6),
    "paused_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "partner_webhook_endpoints_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "partner_events" (
    "id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "payout_request_id" UUID,
    "batch_id" TEXT,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "partner_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "partner_webhook_deliveries" (
    "id" UUID NOT NULL,
    "sequence" BIGSERIAL NOT NULL,
    "endpoint_id" UUID NOT NULL,
    "event_id" UUID NOT NULL,
    "order_key" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lease_until" TIMESTAMPTZ(6),
    "leased_by" TEXT,
    "last_status_code" INTEGER,
    "last_error" TEXT,
    "delivered_at" TIMESTAMPTZ(6),
    "retry_window_start" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    -- status: pending | delivered | failed (lib/payouts/partner-webhooks/delivery.ts). No CHECK constraint:
    -- Prisma's WASM schema engine panics reading one back from PostgreSQL, which breaks db:migration:create.
    CONSTRAINT "partner_webhook_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "partner_webhook_attempts" (
    "id" UUID NOT NULL,
    "delivery_id" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "started_at" TIMESTAMPTZ(6) NOT NULL,
    "duration_ms" INTEGER NOT NULL,
    "status_code" INTEGER,
    "error" TEXT,
    "response_excerpt" TEXT,
    "runner" TEXT NOT NULL,

    CONSTRAINT "partner_webhook_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "partner_events_payout_request_id_idx" ON "partner_events"("payout_request_id");

-- CreateIndex
CREATE INDEX "partner_webhook_deliveries_status_next_attempt_at_idx" ON "partner_webhook_deliveries"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "partner_webhook_deliveries_endpoint_id_order_key_sequence_idx" ON "partner_webhook_deliveries"("endpoint_id", "order_key", "sequence");

-- CreateIndex
CREATE INDEX "partner_webhook_deliveries_endpoint_id_created_at_idx" ON "partner_webhook_deliveries"("endpoint_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "partner_webhook_deliveries_endpoint_id_event_id_key" ON "partner_webhook_deliveries"("endpoint_id", "event_id");

-- CreateIndex
CREATE INDEX "partner_webhook_attempts_delivery_id_attempt_idx" ON "partner_webhook_attempts"("delivery_id", "attempt");

-- AddForeignKey
ALTER TABLE "partner_webhook_deliveries" ADD CONSTRAINT "partner_webhook_deliveries_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "partner_webhook_endpoints"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "partner_webhook_deliveries" ADD CONSTRAINT "partner_webhook_deliveries_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "partner_events"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "partner_webhook_attempts" ADD CONSTRAINT "partner_webhook_attempts_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "partner_webhook_deliveries"("id") ON DELETE CASCADE ON UPDATE CASCADE;
