import { stringify } from "csv-stringify/sync";
import { formatRequestNumber } from "../format/numbers";
import { METHOD_LABEL, SOURCE_ACCOUNT_LABEL, STATUS_LABEL } from "../format/status";
import { formatMoscowTimestamp, moscowCalendarDay } from "../format/time";
import type { PrismaClient } from "../generated/prisma/client";
import { kopecksToRublesInput } from "../money";
import { iteratePayouts, type PayoutListFilters, type PayoutListRow } from "./list";
import type { PayoutSortKey, SortDirection } from "./list-query";

/**
 * The filtered sessions list as CSV for Russian Excel: UTF-8 with a BOM (or Excel guesses cp1251),
 * `;` between fields (a comma is the decimal separator there), amounts in rubles with a decimal
 * comma and no grouping (`1500,50` — a number Excel can sum), times as `YYYY-MM-DD HH:MM:SS`
 * Moscow time (ISO 8601 order; Excel reads it as a date). Rows are read in keyset batches and
 * written as the client reads, so a million rows never sit in memory.
 */

export const CSV_COLUMNS = [
  "Номер",
  "Создана (МСК)",
  "Обновлена (МСК)",
  "Статус",
  "Код статуса",
  "Получатель",
  "Сумма, ₽",
  "Валюта",
  "Способ",
  "Инструмент",
  "Счёт списания",
  "Референс",
  "ID сессии банка",
  "ID выплаты банка",
  "Согласовать до (МСК)",
  "Код ошибки",
  "ID заявки",
] as const;

const CSV_OPTIONS = { delimiter: ";", record_delimiter: "\r\n" } as const;

/** A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) gets a leading apostrophe. */
export function text(value: string | null): string {
  if (!value) return "";
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function csvRecord(row: PayoutListRow): string[] {
  return [
    formatRequestNumber(row.number),
    formatMoscowTimestamp(row.createdAt),
    formatMoscowTimestamp(row.updatedAt),
    STATUS_LABEL[row.status],
    row.status,
    text(row.recipientName),
    kopecksToRublesInput(row.amountKopecks),
    row.currency.toUpperCase(),
    METHOD_LABEL[row.method],
    text(row.instrumentLabel),
    SOURCE_ACCOUNT_LABEL[row.sourceAccount],
    text(row.reference),
    text(row.bankSessionId),
    text(row.bankPayoutId),
    row.status === "awaiting_approval" ? formatMoscowTimestamp(row.confirmDeadlineAt) : "",
    text(row.failureCode),
    row.id,
  ];
}

export function payoutsCsvStream(
  prisma: Pick<PrismaClient, "$queryRaw">,
  filters: PayoutListFilters,
  options: { sort?: PayoutSortKey; dir?: SortDirection; batchSize?: number } = {},
): ReadableStream<Uint8Array> {
  return csvStream(CSV_COLUMNS, () => iteratePayouts(prisma, filters, options), csvRecord);
}

/** A CSV download (BOM, header, then one batch per read) from keyset batches of rows. */
export function csvStream<Row>(header: readonly string[], batches: () => AsyncGenerator<Row[], void, void>, record: (row: Row) => string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let iterator: AsyncGenerator<Row[], void, void> | null = null;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode("\uFEFF" + stringify([[...header]], CSV_OPTIONS)));
    },
    async pull(controller) {
      iterator ??= batches();
      const next = await iterator.next();
      if (next.done) {
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(stringify(next.value.map(record), CSV_OPTIONS)));
    },
    async cancel() {
      await iterator?.return();
    },
  });
}

/** The download's name: the Moscow day it was made, `payouts-2026-11-22.csv`. */
export function csvFileName(now: Date = new Date()): string {
  return `payouts-${moscowCalendarDay(now)}.csv`;
}
