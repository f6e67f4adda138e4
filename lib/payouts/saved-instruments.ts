import type { PrismaClient } from "../generated/prisma/client";

export interface SavedInstrumentOption {
  kind: "card_hash" | "card_token" | "recurrent";
  /** The hash or token to pay to again (never a card number). */
  value: string;
  brand: string | null;
  last4: string | null;
  lastPaidAt: string;
  lastRequestNumber: number;
}

/**
 * Cards a recipient was paid to before (same passport name), newest first, one entry per
 * instrument: what an operator can pay to again without the widget.
 */
export async function listSavedInstruments(prisma: PrismaClient, recipientName: string): Promise<SavedInstrumentOption[]> {
  const paid = await prisma.payoutRequest.findMany({
    where: { recipientName, status: { in: ["paid", "refunded"] } },
    orderBy: { updatedAt: "desc" },
    take: 50,
    select: { number: true, updatedAt: true, cardNumberHash: true, cardToken: true, recurrentToken: true, cardBrand: true, cardLast4: true },
  });
  const seen = new Set<string>();
  const options: SavedInstrumentOption[] = [];
  for (const row of paid) {
    const candidates: Array<[SavedInstrumentOption["kind"], string | null]> = [
      ["card_hash", row.cardNumberHash],
      ["card_token", row.cardToken],
      ["recurrent", row.recurrentToken],
    ];
    for (const [kind, value] of candidates) {
      if (!value || seen.has(`${kind}:${value}`)) continue;
      seen.add(`${kind}:${value}`);
      options.push({ kind, value, brand: row.cardBrand, last4: row.cardLast4, lastPaidAt: row.updatedAt.toISOString(), lastRequestNumber: row.number });
    }
  }
  return options;
}
