import { z } from "zod";
import type { Prisma, PrismaClient } from "../generated/prisma/client";
import { ActorType } from "../generated/prisma/enums";
import { addCalendarDays, formatMoscowTimestamp, moscowCalendarDay, moscowMidnight } from "../format/time";
import { csvStream, text } from "./export-csv";

/**
 * The admin's view of the audit log: filters, newest first, keyset pages by id (an event the sealer
 * has not linked yet has no sequence for a moment, and is listed all the same).
 */

const empty = (value: unknown) => (value === "" ? undefined : value);

export const AuditFilterSchema = z.object({
  actorType: z.preprocess(empty, z.enum(Object.values(ActorType) as [ActorType, ...ActorType[]]).optional()),
  actorId: z.preprocess(empty, z.string().trim().max(200).optional()),
  /** Exact action, or a prefix ending in "." (e.g. `operator.`). */
  action: z.preprocess(empty, z.string().trim().max(100).optional()),
  payoutRequestId: z.preprocess(empty, z.uuid({ error: "must be a payout request id" }).optional()),
  /** Inclusive dates (YYYY-MM-DD, Moscow). */
  from: z.preprocess(empty, z.iso.date().optional()),
  to: z.preprocess(empty, z.iso.date().optional()),
});
export type AuditFilter = z.infer<typeof AuditFilterSchema>;

export const AuditPageQuerySchema = AuditFilterSchema.extend({
  /** The id of the last event of the previous page. */
  before: z.preprocess(empty, z.coerce.bigint().positive().optional()),
});

function whereOf(filter: AuditFilter): Prisma.AuditEventWhereInput {
  const at: Prisma.DateTimeFilter = {};
  const from = filter.from ? moscowMidnight(filter.from) : null;
  const to = filter.to ? moscowMidnight(addCalendarDays(filter.to, 1)) : null;
  if (from) at.gte = from;
  if (to) at.lt = to;
  return {
    ...(filter.actorType ? { actorType: filter.actorType } : {}),
    ...(filter.actorId ? { actorId: filter.actorId } : {}),
    ...(filter.action ? (filter.action.endsWith(".") ? { action: { startsWith: filter.action } } : { action: filter.action }) : {}),
    ...(filter.payoutRequestId ? { payoutRequestId: filter.payoutRequestId } : {}),
    ...(filter.from || filter.to ? { at } : {}),
  };
}

export interface AuditRow {
  id: string;
  /** The event's place in the hash chain; null while it waits for the sealer. */
  sequence: string | null;
  at: string;
  actorType: ActorType;
  actorId: string | null;
  /** The operator's email when the actor is an operator. */
  actorEmail: string | null;
  action: string;
  payoutRequestId: string | null;
  fromStatus: string | null;
  toStatus: string | null;
  data: unknown;
  hash: string | null;
}

async function toRows(prisma: PrismaClient, events: Awaited<ReturnType<PrismaClient["auditEvent"]["findMany"]>>): Promise<AuditRow[]> {
  const ids = [...new Set(events.filter((event) => event.actorType === "operator" && event.actorId).map((event) => event.actorId!))].filter((id) => z.uuid().safeParse(id).success);
  const operators = ids.length ? await prisma.operator.findMany({ where: { id: { in: ids } }, select: { id: true, email: true } }) : [];
  const emails = new Map(operators.map((operator) => [operator.id, operator.email]));
  return events.map((event) => ({
    id: event.id.toString(),
    sequence: event.sequence?.toString() ?? null,
    at: event.at.toISOString(),
    actorType: event.actorType,
    actorId: event.actorId,
    actorEmail: event.actorId ? (emails.get(event.actorId) ?? null) : null,
    action: event.action,
    payoutRequestId: event.payoutRequestId,
    fromStatus: event.fromStatus,
    toStatus: event.toStatus,
    data: event.data,
    hash: event.hash,
  }));
}

export async function listAuditEvents(prisma: PrismaClient, filter: AuditFilter, page: { before?: bigint; limit?: number } = {}): Promise<{ rows: AuditRow[]; nextBefore: string | null }> {
  const limit = page.limit ?? 50;
  const events = await prisma.auditEvent.findMany({
    where: { ...whereOf(filter), ...(page.before ? { id: { lt: page.before } } : {}) },
    orderBy: { id: "desc" },
    take: limit + 1,
  });
  const rows = await toRows(prisma, events.slice(0, limit));
  return { rows, nextBefore: events.length > limit ? rows.at(-1)!.id : null };
}

/** Every matching event, newest first, in batches (for the CSV export). */
export async function* iterateAuditEvents(prisma: PrismaClient, filter: AuditFilter, batchSize = 1_000): AsyncGenerator<AuditRow[], void, void> {
  let before: bigint | undefined;
  for (;;) {
    const page = await listAuditEvents(prisma, filter, { before, limit: batchSize });
    if (page.rows.length > 0) yield page.rows;
    if (!page.nextBefore) return;
    before = BigInt(page.nextBefore);
  }
}

const AUDIT_CSV_COLUMNS = ["№", "Время (МСК)", "Кто", "ID", "Email", "Действие", "Заявка", "Из статуса", "В статус", "Данные", "Хеш"] as const;

const auditCsvRecord = (row: AuditRow): string[] => [
  row.sequence ?? "",
  formatMoscowTimestamp(row.at),
  row.actorType,
  text(row.actorId),
  text(row.actorEmail),
  text(row.action),
  row.payoutRequestId ?? "",
  row.fromStatus ?? "",
  row.toStatus ?? "",
  text(row.data === null ? null : JSON.stringify(row.data)),
  row.hash ?? "",
];

/** The filtered audit log (every page, newest first) as a streamed CSV for Russian Excel. */
export const auditCsvStream = (prisma: PrismaClient, filter: AuditFilter): ReadableStream<Uint8Array> =>
  csvStream(AUDIT_CSV_COLUMNS, () => iterateAuditEvents(prisma, filter), auditCsvRecord);

export const auditCsvFileName = (now: Date = new Date()): string => `audit-${moscowCalendarDay(now)}.csv`;
