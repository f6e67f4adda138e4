import { createHash, randomUUID } from "node:crypto";
import type { Prisma } from "../../lib/generated/prisma/client";

/**
 * Payout request rows for dashboard tests, written straight to the table: a unique link hash, a
 * name and a creation time one minute further back per row (so rows sort in insertion order).
 */
let seq = 0;

export function payoutRowData(now: Date, data: Partial<Prisma.PayoutRequestUncheckedCreateInput> = {}): Prisma.PayoutRequestUncheckedCreateInput {
  seq += 1;
  return {
    amountKopecks: 100_000n,
    recipientName: `Получатель ${seq}`,
    purpose: "Тест",
    method: "card_widget",
    linkTokenHash: createHash("sha256").update(`${seq}-${randomUUID()}`).digest("hex"),
    linkExpiresAt: new Date(now.getTime() + 7 * 86_400_000),
    createdAt: new Date(now.getTime() - seq * 60_000),
    ...data,
  };
}
