-- Recipient-name search: a folded copy of the name (lower case, ё→е) with a trigram GIN index, so
-- `%иванов%` is an index lookup instead of a scan. Cyrillic capitals are folded by translate() as
-- well as lower(), so the fold does not depend on the database's ctype/collation.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

ALTER TABLE "payout_requests" ADD COLUMN "recipient_search" TEXT GENERATED ALWAYS AS (
  translate(lower("recipient_name"), 'АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯё', 'абвгдеежзийклмнопрстуфхцчшщъыьэюяе')
) STORED;

-- Method, source account and status ride in the same GIN (btree_gin's enum_ops): a name together with
-- filters that leave few of its rows is intersected inside the index instead of on the table's rows.
CREATE EXTENSION IF NOT EXISTS btree_gin;
CREATE INDEX "payout_requests_recipient_search_dims_idx" ON "payout_requests" USING GIN ("recipient_search" gin_trgm_ops, "method" enum_ops, "source_account" enum_ops, "status" enum_ops);

-- Tab counts and the chart: totals per (Moscow day, status, method, source account). A trigger on
-- payout_requests only INSERTS signed deltas (no row is updated on the webhook path, so no two
-- transactions ever wait on the same totals row); compact_payout_daily_deltas() folds them into
-- the totals under an advisory lock. Readers add totals and pending deltas in one snapshot.
CREATE TABLE "payout_daily_totals" (
  "day" DATE NOT NULL,
  "status" "PayoutRequestStatus" NOT NULL,
  "method" "PayoutMethod" NOT NULL,
  "source_account" "SourceAccount" NOT NULL,
  "count" BIGINT NOT NULL,
  "amount_kopecks" BIGINT NOT NULL,
  CONSTRAINT "payout_daily_totals_pkey" PRIMARY KEY ("day", "status", "method", "source_account")
);

CREATE TABLE "payout_daily_deltas" (
  "id" BIGSERIAL NOT NULL,
  "day" DATE NOT NULL,
  "status" "PayoutRequestStatus" NOT NULL,
  "method" "PayoutMethod" NOT NULL,
  "source_account" "SourceAccount" NOT NULL,
  "count" INTEGER NOT NULL,
  "amount_kopecks" BIGINT NOT NULL,
  CONSTRAINT "payout_daily_deltas_pkey" PRIMARY KEY ("id")
);

CREATE FUNCTION payout_daily_delta() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.status = OLD.status AND NEW.method = OLD.method AND NEW.source_account = OLD.source_account
     AND NEW.amount_kopecks = OLD.amount_kopecks AND NEW.created_at = OLD.created_at THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO payout_daily_deltas (day, status, method, source_account, count, amount_kopecks)
    VALUES ((OLD.created_at AT TIME ZONE 'Europe/Moscow')::date, OLD.status, OLD.method, OLD.source_account, -1, -OLD.amount_kopecks);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO payout_daily_deltas (day, status, method, source_account, count, amount_kopecks)
    VALUES ((NEW.created_at AT TIME ZONE 'Europe/Moscow')::date, NEW.status, NEW.method, NEW.source_account, 1, NEW.amount_kopecks);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER payout_daily_delta
AFTER INSERT OR DELETE OR UPDATE OF status, method, source_account, amount_kopecks, created_at ON "payout_requests"
FOR EACH ROW EXECUTE FUNCTION payout_daily_delta();

-- Folds every delta this transaction sees into the totals, atomically (a reader sees a delta either
-- pending or folded, never both). Returns the number of deltas folded, or -1 when another
-- compaction holds the lock (it will fold them).
CREATE FUNCTION compact_payout_daily_deltas() RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE folded BIGINT;
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext('payout_daily_totals')) THEN
    RETURN -1;
  END IF;
  WITH gone AS (
    DELETE FROM payout_daily_deltas RETURNING day, status, method, source_account, count, amount_kopecks
  ), summed AS (
    SELECT day, status, method, source_account, sum(count) AS count, sum(amount_kopecks) AS amount_kopecks, count(*) AS n
    FROM gone GROUP BY day, status, method, source_account
  ), upserted AS (
    -- A data-modifying CTE runs once whether or not it is read.
    INSERT INTO payout_daily_totals AS t (day, status, method, source_account, count, amount_kopecks)
    SELECT day, status, method, source_account, count, amount_kopecks FROM summed
    ON CONFLICT (day, status, method, source_account)
    DO UPDATE SET count = t.count + excluded.count, amount_kopecks = t.amount_kopecks + excluded.amount_kopecks
    RETURNING 1
  )
  SELECT coalesce(sum(n), 0) INTO folded FROM summed;
  DELETE FROM payout_daily_totals WHERE count = 0 AND amount_kopecks = 0;
  RETURN folded;
END $$;

-- Rows that exist before this migration.
INSERT INTO payout_daily_totals (day, status, method, source_account, count, amount_kopecks)
SELECT (created_at AT TIME ZONE 'Europe/Moscow')::date, status, method, source_account, count(*), sum(amount_kopecks)
FROM payout_requests
GROUP BY 1, 2, 3, 4;
