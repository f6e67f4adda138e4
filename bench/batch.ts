/**
 * Bulk payouts at 10 000 rows (lib/payouts/batches.ts): how long a file takes to preview, and to be
 * created (confirm + the background pass that makes every payout request with its audit event).
 *
 *   npm run bench:batch [-- --rows 10000]                  on PGlite (in memory)
 *   TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run bench:batch   also on PostgreSQL
 *
 * The targets are a preview under 5 s and creation under 60 s; numbers only, nothing is asserted.
 */
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import type { Bank131Client } from "../lib/bank131/client";
import { createEventBus } from "../lib/events/bus";
import { batchLinkKey } from "../lib/payouts/batch-links";
import { createBatchFromFile, getBatch, previewBatchFile, processBatches, type BatchDeps } from "../lib/payouts/batches";
import { formatKopecks } from "../lib/money";
import { createTestDatabase, testDatabaseKinds } from "../tests/helpers/database";

const { values } = parseArgs({ options: { rows: { type: "string", default: "10000" } } });
const ROWS = Number(values.rows);

const SURNAMES = ["Иванов", "Петров", "Сидоров", "Смирнов", "Кузнецов", "Попов", "Васильев", "Соколов", "Михайлов", "Новиков"];
const FIRST = ["Александр", "Дмитрий", "Максим", "Сергей", "Андрей", "Алексей", "Артём", "Илья", "Кирилл", "Михаил"];

/** A Windows-1251-sized file as Excel would save it: `;`, CRLF, NBSP-grouped amounts with a comma. */
function file(rows: number): { bytes: Uint8Array; totalKopecks: number } {
  const lines = ["Сумма;ФИО получателя;Email;Назначение;Референс;Способ выплаты"];
  let totalKopecks = 0;
  for (let index = 0; index < rows; index++) {
    const kopecks = 100_000 + ((index * 7919) % 900_000);
    totalKopecks += kopecks;
    const amount = formatKopecks(kopecks).replace(/\s?₽$/, "");
    lines.push(`${amount};${SURNAMES[index % 10]} ${FIRST[(index >> 3) % 10]};courier${index}@example.ru;Оплата доставки за неделю;BENCH-${Date.now()}-${index};card_widget`);
  }
  return { bytes: new TextEncoder().encode(lines.join("\r\n")), totalKopecks };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

for (const kind of testDatabaseKinds()) {
  const db = await createTestDatabase({ kind });
  const events = createEventBus(db);
  const deps: BatchDeps = {
    prisma: db.prisma,
    events,
    // card_widget rows never call the bank during creation.
    bank: {} as Bank131Client,
    settings: { maxKopecks: 60_000_000, linkTtlHours: 168, publicBaseUrl: "http://portal.test", twoApproversFromKopecks: 10_000_000 },
    batchLinkKey: batchLinkKey("bench-secret-bench-secret-bench-secret"),
  };
  try {
    const { bytes, totalKopecks } = file(ROWS);
    console.log(`${kind}: ${ROWS.toLocaleString("en")} rows, ${(bytes.length / 1024).toFixed(0)} KiB`);
    let started = performance.now();
    const { preview } = await previewBatchFile(deps, { bytes, fileName: "bench.csv" });
    const previewMs = performance.now() - started;
    if (preview.validCount !== ROWS) throw new Error(`preview found ${preview.errors.length} errors, e.g. ${JSON.stringify(preview.errors[0])}`);
    console.log(`  preview  ${seconds(previewMs)}  (target < 5 s)`);

    started = performance.now();
    const batch = await createBatchFromFile(deps, { bytes, fileName: "bench.csv", typedTotal: String(totalKopecks / 100) }, { type: "system" });
    const confirmMs = performance.now() - started;
    const report = await processBatches(deps);
    const createMs = performance.now() - started;
    const view = await getBatch(deps, batch.id);
    const audited = await db.prisma.auditEvent.count({ where: { action: "payout.created" } });
    console.log(`  confirm  ${seconds(confirmMs)}  (batch + ${ROWS} rows written)`);
    console.log(`  created  ${seconds(createMs)}  (target < 60 s): ${view.rows.created} requests, ${audited} payout.created audit events, batch ${view.status}, ${report.rows} rows in the pass`);
  } finally {
    await events.close();
    await db.drop();
  }
}
