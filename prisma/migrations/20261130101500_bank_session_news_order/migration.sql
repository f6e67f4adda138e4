-- The bank's updated_at of the news last applied to a session's status and next action (apply.ts orders news of equal rank by it).
ALTER TABLE "bank_sessions" ADD COLUMN "bank_updated_at" TIMESTAMPTZ(6);
