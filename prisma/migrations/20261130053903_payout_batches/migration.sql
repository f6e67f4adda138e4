/*
  Warnings:

  - A unique constraint covering the columns `[batch_row_id]` on the table `payout_requests` will be added. If there are existing duplicate values, this will fail.

*/
-- CreateEnum
CREATE TYPE "PayoutBatchStatus" AS ENUM ('processing', 'completed');

-- CreateEnum
CREATE TYPE "PayoutBatchRowStatus" AS ENUM ('pending', 'created', 'failed');

-- AlterTable
ALTER TABLE "payout_requests" ADD COLUMN     "batch_row_id" UUID;

-- CreateTable
CREATE TABLE "payout_batches" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "status" "PayoutBatchStatus" NOT NULL DEFAULT 'processing',
    "file_name" TEXT,
    "row_count" INTEGER NOT NULL,
    "total_kopecks" BIGINT NOT NULL,
    "skipped_rows" INTEGER NOT NULL DEFAULT 0,
    "created_by_id" UUID,
    "api_key_id" UUID,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(6),

    CONSTRAINT "payout_batches_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payout_batch_rows" (
    "id" UUID NOT NULL,
    "batch_id" UUID NOT NULL,
    "line" INTEGER NOT NULL,
    "status" "PayoutBatchRowStatus" NOT NULL DEFAULT 'pending',
    "input" JSONB NOT NULL,
    "amount_kopecks" BIGINT NOT NULL,
    "error_code" TEXT,
    "error_params" JSONB,
    "sealed_link" TEXT,
    "link_expires_at" TIMESTAMPTZ(6),

    CONSTRAINT "payout_batch_rows_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "payout_batches_number_key" ON "payout_batches"("number");

-- CreateIndex
CREATE INDEX "payout_batches_status_idx" ON "payout_batches"("status");

-- CreateIndex
CREATE INDEX "payout_batches_created_at_idx" ON "payout_batches"("created_at");

-- CreateIndex
CREATE INDEX "payout_batch_rows_batch_id_status_idx" ON "payout_batch_rows"("batch_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "payout_batch_rows_batch_id_line_key" ON "payout_batch_rows"("batch_id", "line");

-- CreateIndex
CREATE UNIQUE INDEX "payout_requests_batch_row_id_key" ON "payout_requests"("batch_row_id");

-- AddForeignKey
ALTER TABLE "payout_requests" ADD CONSTRAINT "payout_requests_batch_row_id_fkey" FOREIGN KEY ("batch_row_id") REFERENCES "payout_batch_rows"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payout_batches" ADD CONSTRAINT "payout_batches_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "operators"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payout_batches" ADD CONSTRAINT "payout_batches_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_keys"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payout_batch_rows" ADD CONSTRAINT "payout_batch_rows_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "payout_batches"("id") ON DELETE CASCADE ON UPDATE CASCADE;
