import type { PortalEventInput } from "../events/bus";
import type { Prisma } from "../generated/prisma/client";
import { sqlOf, type Sql, type SqlDatabase } from "../db/sql";
import type { PayoutDeps } from "./deps";

/**
 * The one way the domain changes state: a transaction that collects the events of its changes
 * (transition() records each status change) and publishes them once, after the commit. A rollback
 * publishes nothing, so a dashboard never hears of a change that did not happen.
 */

declare const collectsEvents: unique symbol;
/** A transaction made by inTransaction(); transition() accepts no other. */
export type PayoutTx = Prisma.TransactionClient & { readonly [collectsEvents]: true };
/** A transaction made by inSqlTransaction(): plain SQL on the database's own connection. */
export type SqlPayoutTx = Sql & { readonly [collectsEvents]: true };
/** Either kind: what the functions shared by both paths (transition(), apply) take. */
export type AnyPayoutTx = PayoutTx | SqlPayoutTx;
export type Emit = (event: PortalEventInput) => void;

const collectors = new WeakMap<object, PortalEventInput[]>();

async function publishAll(deps: { events: Pick<PayoutDeps["events"], "publish"> }, events: PortalEventInput[]): Promise<void> {
  // Published together (one round trip on PostgreSQL, in order).
  await Promise.all(events.map((event) => deps.events.publish(event)));
}

export async function inTransaction<T>(
  deps: Pick<PayoutDeps, "prisma"> & { events: Pick<PayoutDeps["events"], "publish"> },
  work: (tx: PayoutTx, emit: Emit) => Promise<T>,
): Promise<T> {
  const events: PortalEventInput[] = [];
  const result = await deps.prisma.$transaction(async (tx) => {
    collectors.set(tx, events);
    return work(tx as PayoutTx, (event) => events.push(event));
  });
  await publishAll(deps, events);
  return result;
}

/**
 * inTransaction() in plain SQL: on `deps.sql` (the database's own connection, no ORM) when the
 * wiring provides it, else through the Prisma client's raw queries — the same statements either way.
 */
export async function inSqlTransaction<T>(
  deps: Pick<PayoutDeps, "prisma" | "sql"> & { events: Pick<PayoutDeps["events"], "publish"> },
  work: (tx: SqlPayoutTx, emit: Emit) => Promise<T>,
): Promise<T> {
  const events: PortalEventInput[] = [];
  const database: SqlDatabase = deps.sql ?? { transaction: (fn) => deps.prisma.$transaction((tx) => fn(sqlOf(tx))) };
  const result = await database.transaction((sql) => {
    // A fresh object per transaction: its events are collected under it.
    const tx = { rows: sql.rows, execute: sql.execute } as SqlPayoutTx;
    collectors.set(tx, events);
    return work(tx, (event) => events.push(event));
  });
  await publishAll(deps, events);
  return result;
}

/** Records an event on the transaction's collector (published after its commit). */
export function emitAfterCommit(tx: AnyPayoutTx, event: PortalEventInput): void {
  const events = collectors.get(tx);
  if (!events) throw new Error("emitAfterCommit: not a transaction started by inTransaction()");
  events.push(event);
}
