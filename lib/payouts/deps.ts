import type { Bank131Client } from "../bank131/client";
import type { EventBus } from "../events/bus";
import type { SqlDatabase } from "../db/sql";
import type { PrismaClient } from "../generated/prisma/client";
import type { RiskThresholds } from "./risk-signals";

/** Everything the payout domain needs, passed in: the app wires real ones, tests wire real ones too. */
export interface PayoutDeps {
  prisma: PrismaClient;
  /**
   * The same database without the ORM (lib/db/sql.ts), for the webhook path's transaction; without
   * it that path runs the same SQL through `prisma`.
   */
  sql?: SqlDatabase;
  bank: Bank131Client;
  events: EventBus;
  settings: {
    maxKopecks: number;
    linkTtlHours: number;
    publicBaseUrl: string;
    /** How long a claim lasts (lib/payouts/claims.ts); DEFAULT_CLAIM_TTL_MINUTES when absent. */
    claimTtlMinutes?: number;
    /** Payouts of at least this many kopecks need two distinct approvers. */
    twoApproversFromKopecks: number;
    /** SBP (lib/payouts/sbp.ts); DEFAULT_SBP_SETTINGS when absent. */
    sbp?: { verificationTtlDays: number; banksCacheSeconds: number };
    /** Risk signal thresholds (lib/payouts/risk-signals.ts); DEFAULT_RISK_THRESHOLDS when absent. */
    risk?: RiskThresholds;
    /** The payer on self-employed receipts (PARTNER_INN, PARTNER_NAME); required to start such a payout. */
    npdPayer?: { inn: string; name: string };
  };
  now?: () => Date;
}

export const nowOf = (deps: Pick<PayoutDeps, "now">): Date => (deps.now ? deps.now() : new Date());
