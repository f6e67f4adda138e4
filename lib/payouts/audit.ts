import type { Prisma } from "../generated/prisma/client";
import type { ActorType } from "../generated/prisma/enums";

export interface Actor {
  type: ActorType;
  id?: string | null;
}

/** The portal itself (reconciliation, audits of finished payouts). */
export const SYSTEM: Actor = { type: "system" };
export const BANK: Actor = { type: "bank" };
export const RECIPIENT: Actor = { type: "recipient" };

type Tx = Prisma.TransactionClient;

/** Appends one audit event; call inside the transaction that made the change it describes. */
export async function audit(
  tx: Tx,
  event: { actor: Actor; action: string; payoutRequestId?: string | null; fromStatus?: string | null; toStatus?: string | null; data?: Prisma.InputJsonValue },
): Promise<void> {
  await tx.auditEvent.create({
    data: {
      actorType: event.actor.type,
      actorId: event.actor.id ?? null,
      action: event.action,
      payoutRequestId: event.payoutRequestId ?? null,
      fromStatus: event.fromStatus ?? null,
      toStatus: event.toStatus ?? null,
      data: event.data,
    },
  });
}
