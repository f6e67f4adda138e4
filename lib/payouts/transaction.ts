import type { PortalEventInput } from "../events/bus";
import type { Prisma } from "../generated/prisma/client";
import type { PayoutDeps } from "./deps";

/**
 * The one way the domain changes state: a transaction that collects the events of its changes
 * (transition() records each status change) and publishes them once, after the commit. A rollback
 * publishes nothing, so a dashboard never hears of a change that did not happen.
 */

declare const collectsEvents: unique symbol;
/** A transaction made by inTransaction(); transition() accepts no other. */
export type PayoutTx = Prisma.TransactionClient & { readonly [collectsEvents]: true };
export type Emit = (event: PortalEventInput) => void;

const collectors = new WeakMap<Prisma.TransactionClient, PortalEventInput[]>();

export async function inTransaction<T>(
  deps: Pick<PayoutDeps, "prisma"> & { events: Pick<PayoutDeps["events"], "publish"> },
  work: (tx: PayoutTx, emit: Emit) => Promise<T>,
): Promise<T> {
  const events: PortalEventInput[] = [];
  const result = await deps.prisma.$transaction(async (tx) => {
    collectors.set(tx, events);
    return work(tx as PayoutTx, (event) => events.push(event));
  });
  // Published together (one round trip on PostgreSQL, in order).
  await Promise.all(events.map((event) => deps.events.publish(event)));
  return result;
}

/** Records an event on the transaction's collector (published after its commit). */
export function emitAfterCommit(tx: PayoutTx, event: PortalEventInput): void {
  const events = collectors.get(tx);
  if (!events) throw new Error("emitAfterCommit: not a transaction started by inTransaction()");
  events.push(event);
}
