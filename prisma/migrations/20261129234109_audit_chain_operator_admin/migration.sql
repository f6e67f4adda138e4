-- AlterTable: existing events get their chain position in id order; their hashes are filled once
-- by the first append after this migration (lib/payouts/audit.ts backfillAuditChain), which the
-- trigger below allows for rows whose hash is still null.
ALTER TABLE "audit_events" ADD COLUMN     "hash" CHAR(64),
ADD COLUMN     "prev_hash" CHAR(64),
ADD COLUMN     "sequence" BIGINT;
UPDATE "audit_events" SET "sequence" = ordered.position
  FROM (SELECT "id", row_number() OVER (ORDER BY "id") AS position FROM "audit_events") AS ordered
  WHERE "audit_events"."id" = ordered."id";
ALTER TABLE "audit_events" ALTER COLUMN "sequence" SET NOT NULL;

-- AlterTable
ALTER TABLE "operators" ALTER COLUMN "password_hash" DROP NOT NULL;

-- CreateTable
CREATE TABLE "operator_invites" (
    "id" UUID NOT NULL,
    "operator_id" UUID NOT NULL,
    "token_hash" CHAR(64) NOT NULL,
    "expires_at" TIMESTAMPTZ(6) NOT NULL,
    "used_at" TIMESTAMPTZ(6),
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "operator_invites_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sign_in_limits" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" TIMESTAMPTZ(6),

    CONSTRAINT "sign_in_limits_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "operator_invites_token_hash_key" ON "operator_invites"("token_hash");

-- CreateIndex
CREATE INDEX "operator_invites_operator_id_idx" ON "operator_invites"("operator_id");

-- CreateIndex
CREATE UNIQUE INDEX "audit_events_sequence_key" ON "audit_events"("sequence");

-- CreateIndex
CREATE INDEX "audit_events_actor_id_sequence_idx" ON "audit_events"("actor_id", "sequence");

-- CreateIndex
CREATE INDEX "audit_events_action_sequence_idx" ON "audit_events"("action", "sequence");

-- AddForeignKey
ALTER TABLE "operator_invites" ADD CONSTRAINT "operator_invites_operator_id_fkey" FOREIGN KEY ("operator_id") REFERENCES "operators"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Append-only audit log: UPDATE, DELETE and TRUNCATE are refused. The one exception is the one-time
-- backfill of rows written before the chain existed: their hash (and prev_hash) may be set once,
-- with every other column unchanged.
CREATE FUNCTION "audit_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD."hash" IS NULL AND NEW."hash" IS NOT NULL
     AND (NEW."id", NEW."sequence", NEW."at", NEW."actor_type", NEW."actor_id", NEW."action", NEW."payout_request_id", NEW."from_status", NEW."to_status", NEW."data"::text)
         IS NOT DISTINCT FROM
         (OLD."id", OLD."sequence", OLD."at", OLD."actor_type", OLD."actor_id", OLD."action", OLD."payout_request_id", OLD."from_status", OLD."to_status", OLD."data"::text) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "audit_events_append_only_rows" BEFORE UPDATE OR DELETE ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION "audit_events_append_only"();
CREATE TRIGGER "audit_events_append_only_truncate" BEFORE TRUNCATE ON "audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_events_append_only"();
