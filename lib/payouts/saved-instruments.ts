import type { PrismaClient } from "../generated/prisma/client";
import type { PayoutDeps } from "./deps";
import { PayoutError } from "./errors";
import { redactSecret } from "./redact";
import type { PayoutMethod } from "../generated/prisma/enums";

type SavedKind = "card_hash" | "card_token" | "recurrent";

export interface SavedInstrumentOption {
  /** Opaque: the payout request last paid with it. The server turns it back into the hash or token. */
  id: string;
  kind: SavedKind;
  /** The hash or token as prefix…suffix, to tell options apart; never usable to pay. */
  redacted: string;
  brand: string | null;
  last4: string | null;
  lastPaidAt: string;
  lastRequestNumber: number;
}

const PAID = ["paid", "refunded"] as const;

type InstrumentColumns = { cardNumberHash: string | null; cardToken: string | null; recurrentToken: string | null };

function instrumentOf(row: InstrumentColumns): { kind: SavedKind; value: string } | null {
  if (row.cardNumberHash) return { kind: "card_hash", value: row.cardNumberHash };
  if (row.cardToken) return { kind: "card_token", value: row.cardToken };
  if (row.recurrentToken) return { kind: "recurrent", value: row.recurrentToken };
  return null;
}

/**
 * Cards a recipient was paid to before (same passport name), newest first, one entry per
 * instrument: what an operator can pay to again without the widget.
 */
export async function listSavedInstruments(prisma: PrismaClient, recipientName: string): Promise<SavedInstrumentOption[]> {
  const paid = await prisma.payoutRequest.findMany({
    where: { recipientName, status: { in: [...PAID] } },
    orderBy: { updatedAt: "desc" },
    take: 50,
    select: { id: true, number: true, updatedAt: true, cardNumberHash: true, cardToken: true, recurrentToken: true, cardBrand: true, cardLast4: true },
  });
  const seen = new Set<string>();
  const options: SavedInstrumentOption[] = [];
  for (const row of paid) {
    const instrument = instrumentOf(row);
    if (!instrument || seen.has(`${instrument.kind}:${instrument.value}`)) continue;
    seen.add(`${instrument.kind}:${instrument.value}`);
    options.push({
      id: row.id,
      kind: instrument.kind,
      redacted: redactSecret(instrument.value),
      brand: row.cardBrand,
      last4: row.cardLast4,
      lastPaidAt: row.updatedAt.toISOString(),
      lastRequestNumber: row.number,
    });
  }
  return options;
}

const METHOD_KINDS: Partial<Record<PayoutMethod, SavedKind[]>> = { card_saved: ["card_hash", "card_token"], recurrent: ["recurrent"] };

/**
 * The hash or token behind a saved-instrument id, for a new payout to the same recipient by `method`.
 * Anything else (unknown id, unpaid request, another recipient, a kind the method cannot use) is
 * `instrument_unknown`, without saying which.
 */
export async function resolveSavedInstrument(
  deps: Pick<PayoutDeps, "prisma">,
  id: string,
  payout: { recipientName: string; method: PayoutMethod },
): Promise<{ kind: "card_hash"; numberHash: string } | { kind: "card_token" | "recurrent"; token: string }> {
  const row = await deps.prisma.payoutRequest.findFirst({
    where: { id, recipientName: payout.recipientName, status: { in: [...PAID] } },
    select: { cardNumberHash: true, cardToken: true, recurrentToken: true },
  });
  const instrument = row ? instrumentOf(row) : null;
  if (!instrument || !METHOD_KINDS[payout.method]?.includes(instrument.kind)) {
    throw new PayoutError("instrument_unknown", "savedInstrument.id: no saved instrument of this recipient for this method has this id", { field: "savedInstrument.id" });
  }
  return instrument.kind === "card_hash" ? { kind: "card_hash", numberHash: instrument.value } : { kind: instrument.kind, token: instrument.value };
}
