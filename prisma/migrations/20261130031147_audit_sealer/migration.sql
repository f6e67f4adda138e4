-- AlterTable
ALTER TABLE "audit_events" ALTER COLUMN "sequence" DROP NOT NULL;

-- Events are appended unsealed (no sequence, no hash) and linked into the chain by the sealer after
-- their transaction commits (lib/payouts/audit.ts sealAuditChain). The append-only rule keeps its one
-- exception, widened to sealing: sequence (when still null), prev_hash and hash may be set once, on a
-- row without a hash, with every other column unchanged.
CREATE OR REPLACE FUNCTION "audit_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD."hash" IS NULL AND NEW."hash" IS NOT NULL AND NEW."sequence" IS NOT NULL
     AND (OLD."sequence" IS NULL OR OLD."sequence" = NEW."sequence")
     AND (NEW."id", NEW."at", NEW."actor_type", NEW."actor_id", NEW."action", NEW."payout_request_id", NEW."from_status", NEW."to_status", NEW."data"::text)
         IS NOT DISTINCT FROM
         (OLD."id", OLD."at", OLD."actor_type", OLD."actor_id", OLD."action", OLD."payout_request_id", OLD."from_status", OLD."to_status", OLD."data"::text) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
