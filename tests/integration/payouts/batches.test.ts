import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/payouts/audit";
import { batchLinkKey } from "@/lib/payouts/batch-links";
import { approveBatch, batchLinks, batchLinksCsv, createBatchFromFile, getBatch, listBatches, previewBatchFile, processBatches, type BatchDeps } from "@/lib/payouts/batches";
import { hashLinkToken } from "@/lib/payouts/links";
import { createPayoutRequest } from "@/lib/payouts/requests";
import { CreatePayoutRequestSchema } from "@/lib/payouts/schemas";
import { createPayoutBatchForPartner, getPayoutBatchForPartner } from "@/lib/partner-api/batches";
import { createApiKey, verifyApiKey } from "@/lib/partner-api/keys";
import { TEST_CARDS } from "@/sandbox/test-instruments";
import { testDatabaseKinds } from "../../helpers/database";
import { confirmsAtBank } from "../../helpers/payouts";
import { addApprover, createTestPortal, type TestPortal } from "../../helpers/portal";

/**
 * Bulk payouts on a real database and the sandbox bank: preview errors, the typed-total gate,
 * background creation (a bad row does not stop the rest; two runners make each row's request
 * once), links, and batch approval through the single-payout governance.
 */

const HEADER = "amount;recipient_name;email;purpose;reference;method;saved_instrument";
const file = (lines: string[]) => new TextEncoder().encode([HEADER, ...lines].join("\r\n"));
const widgetRow = (index: number, prefix: string) => `${100 + index},50;Иванов Иван;;Оплата услуг;${prefix}-${index};card_widget;`;

describe.each(testDatabaseKinds())("bulk payouts (%s)", (kind) => {
  let portal: TestPortal;
  let deps: BatchDeps;
  let maker: Actor & { id: string };
  let checker: Actor & { id: string };
  let cardHash: string;

  beforeAll(async () => {
    portal = await createTestPortal(kind, { bankTimeoutMs: 5_000 });
    deps = { ...portal.deps, batchLinkKey: batchLinkKey("integration-test-secret-of-32-characters") };
    maker = await addApprover(portal.deps.prisma, "Пётр Пакетов");
    checker = await addApprover(portal.deps.prisma, "Ольга Проверкина", { payoutApprovalLimitKopecks: 500_000n });
    cardHash = (await portal.sandbox.control.card(TEST_CARDS.find((card) => card.id === "mir_success")!.number)).number_hash;
  }, 180_000);
  afterAll(async () => {
    await portal?.close();
  });

  it("preview lists each bad row and references already used; a wrong typed total creates nothing", async () => {
    await createPayoutRequest(
      portal.deps,
      CreatePayoutRequestSchema.parse({ amountKopecks: 1_000, recipientName: "Сидоров Сидор", purpose: "Оплата услуг", method: "card_widget", reference: "TAKEN-1" }),
      maker,
    );
    const bytes = file([widgetRow(1, "P"), "abc;Иванов Иван;;Оплата услуг;P-2;card_widget;", widgetRow(3, "P"), widgetRow(3, "P"), "10;Иванов Иван;;Оплата услуг;TAKEN-1;card_widget;"]);
    const { preview } = await previewBatchFile(deps, { bytes, fileName: "p.csv" });
    expect(preview).toMatchObject({ rowCount: 5, validCount: 2, totalKopecks: 10_150 + 10_350 });
    expect(preview.errors.map((error) => [error.line, error.column, error.params.rule])).toEqual([
      [2, "amount", "amount_format"],
      [4, "reference", "duplicate_reference_in_file"],
      [5, "reference", "duplicate_reference_existing"],
    ]);
    await expect(createBatchFromFile(deps, { bytes, fileName: "p.csv", typedTotal: "205,01" }, maker)).rejects.toMatchObject({
      code: "batch_total_mismatch",
      details: { params: { totalKopecks: 20_500, typedKopecks: 20_501 } },
    });
    expect(await portal.deps.prisma.payoutBatch.count()).toBe(0);
  });

  it("creates the requests in the background: saved cards start at once, a bad row fails alone, the batch completes", async () => {
    const unknownSaved = "0190f0a0-0000-7000-8000-000000000000";
    const bytes = file([
      `1000;Иванов Иван;;Оплата услуг;S-1;card_saved;${cardHash}`,
      `2000;Иванов Иван;;Оплата услуг;S-2;card_saved;${unknownSaved}`,
      `3000;Иванов Иван;;Оплата услуг;S-3;card_saved;${cardHash}`,
      `6000;Иванов Иван;;Оплата услуг;S-4;card_saved;${cardHash}`,
    ]);
    const batch = await createBatchFromFile(deps, { bytes, fileName: "s.csv", typedTotal: "12 000,00" }, maker);
    expect(await portal.deps.prisma.payoutRequest.count({ where: { batchRow: { batchId: batch.id } } })).toBe(0);
    const report = await processBatches(deps);
    expect(report).toMatchObject({ rows: 4, completed: [batch.id], started: 3 });
    const view = await getBatch(deps, batch.id);
    expect(view).toMatchObject({ status: "completed", rows: { pending: 0, created: 3, failed: 1 } });
    expect(view.list.find((row) => row.line === 2)).toMatchObject({ status: "failed", error: { code: "instrument_unknown" }, payout: null });
    const ids = view.list.flatMap((row) => (row.payout ? [row.payout.id] : []));
    for (const id of ids) await portal.waitForStatus(id, "awaiting_approval");
    // Each request has its own creation audit event, by the batch's creator.
    expect(await portal.deps.prisma.auditEvent.count({ where: { payoutRequestId: { in: ids }, action: "payout.created", actorId: maker.id } })).toBe(3);
    expect(await portal.deps.prisma.auditEvent.count({ where: { action: "batch.completed" } })).toBe(1);

    // The batch's creator is refused per payout (maker ≠ checker); a wrong total is refused as a whole.
    const own = await approveBatch(deps, { batchId: batch.id, typedTotal: "10 000,00", actor: maker });
    expect(own.approved).toEqual([]);
    expect(own.refused.map((refusal) => refusal.code)).toEqual(["four_eyes", "four_eyes", "four_eyes"]);
    await expect(approveBatch(deps, { batchId: batch.id, typedTotal: "1,00", actor: checker })).rejects.toMatchObject({ code: "batch_total_mismatch" });

    // The checker's per-payout limit (5 000 ₽) refuses the 6 000 ₽ payout; the others go to the bank once each.
    const result = await approveBatch(deps, { batchId: batch.id, typedTotal: "10000", actor: checker });
    expect(result.approved.map((entry) => entry.number).sort()).toHaveLength(2);
    expect(result.refused).toEqual([expect.objectContaining({ code: "approval_limit_payout", params: expect.objectContaining({ limit: 500_000, amount: 600_000 }) })]);
    for (const entry of result.approved) {
      await portal.waitForStatus(entry.id, "paid");
      const session = await portal.deps.prisma.bankSession.findUniqueOrThrow({ where: { payoutRequestId: entry.id } });
      expect(await confirmsAtBank(portal, session.bankSessionId!)).toBe(1);
    }
  }, 90_000);

  it("two runners at once make each row's request exactly once", async () => {
    const rows = Array.from({ length: 450 }, (_, index) => widgetRow(index, "C"));
    const bytes = file(rows);
    const { preview } = await previewBatchFile(deps, { bytes, fileName: "c.csv" });
    const batch = await createBatchFromFile(deps, { bytes, fileName: "c.csv", typedTotal: String(preview.totalKopecks / 100) }, maker);
    // Chunks smaller than the batch, so the two runners' chunks interleave (SKIP LOCKED hands each other rows).
    const [a, b] = await Promise.all([processBatches(deps, { rowsPerChunk: 50 }), processBatches(deps, { rowsPerChunk: 50 })]);
    expect(a.rows + b.rows).toBe(450);
    if (kind === "postgres") expect(Math.min(a.rows, b.rows)).toBeGreaterThan(0);
    expect(await portal.deps.prisma.payoutRequest.count({ where: { batchRow: { batchId: batch.id } } })).toBe(450);
    const view = await getBatch(deps, batch.id);
    expect(view).toMatchObject({ status: "completed", rows: { created: 450, pending: 0, failed: 0 }, payouts: { awaiting_recipient: 450 } });
    // A later pass finds nothing to do.
    expect((await processBatches(deps)).rows).toBe(0);
    // The operators' list shows it first, with its rows' outcome; a page before its number does not.
    const listed = await listBatches(deps, { limit: 1 });
    expect(listed.batches[0]).toMatchObject({ id: batch.id, status: "completed", rowCount: 450, rows: { created: 450, failed: 0, pending: 0 }, fileName: "c.csv" });
    expect((await listBatches(deps, { beforeNumber: listed.batches[0]!.number })).batches.map((entry) => entry.id)).not.toContain(batch.id);

    // The links open the requests they were made for; downloading them is audited without the links.
    const links = await batchLinks(deps, batch.id);
    expect(links).toHaveLength(450);
    const token = links[0]!.url.split("/p/")[1]!;
    const request = await portal.deps.prisma.payoutRequest.findUniqueOrThrow({ where: { linkTokenHash: hashLinkToken(token) } });
    expect(request.number).toBe(links[0]!.number);
    const csv = await batchLinksCsv(deps, batch.id, maker);
    expect(csv.split("\r\n").filter(Boolean)).toHaveLength(451);
    const downloaded = await portal.deps.prisma.auditEvent.findFirstOrThrow({ where: { action: "batch.links_downloaded" } });
    expect(JSON.stringify(downloaded.data)).not.toContain(token);
    // Once the links expire, the sealed tokens are gone.
    await processBatches({ ...deps, now: () => new Date(Date.now() + 200 * 3_600_000) });
    expect(await portal.deps.prisma.payoutBatchRow.count({ where: { batchId: batch.id, sealedLink: { not: null } } })).toBe(0);
  }, 90_000);

  it("partner API: a bad row refuses the batch naming rows[i].field; an Idempotency-Key makes a retry the same batch", async () => {
    const principal = (await verifyApiKey(portal.deps.prisma, (await createApiKey(portal.deps.prisma, { name: "batches", actor: maker })).key))!;
    const row = (index: number) => ({ amount_kopecks: 10_000 + index, recipient_name: "Иванов Иван", purpose: "Оплата услуг", method: "card_widget", reference: `API-${index}` });
    const bad = JSON.stringify({ rows: [row(1), { ...row(2), amount_kopecks: "12" }] });
    await expect(createPayoutBatchForPartner(deps, principal, { rawBody: bad, idempotencyKey: "k-bad" })).rejects.toMatchObject({ status: 400, field: "rows[1].amount_kopecks" });
    const duplicate = JSON.stringify({ rows: [row(1), row(1)] });
    expect(await createPayoutBatchForPartner(deps, principal, { rawBody: duplicate, idempotencyKey: null })).toMatchObject({ status: 400, body: { error: { field: "rows[1].reference" } } });

    const body = JSON.stringify({ rows: [row(1), row(2), row(3)] });
    const first = await createPayoutBatchForPartner(deps, principal, { rawBody: body, idempotencyKey: "k-1" });
    expect(first).toMatchObject({ status: 202, replayed: false, body: { status: "processing", row_count: 3, total_kopecks: 30_006, counts: { pending: 3 } } });
    const again = await createPayoutBatchForPartner(deps, principal, { rawBody: body, idempotencyKey: "k-1" });
    expect(again).toMatchObject({ status: 202, replayed: true, body: { id: (first.body as { id: string }).id } });
    expect(await portal.deps.prisma.payoutBatch.count({ where: { apiKeyId: principal.apiKeyId } })).toBe(1);

    await processBatches(deps);
    const batch = await getPayoutBatchForPartner(deps, principal, (first.body as { id: string }).id);
    expect(batch).toMatchObject({ status: "completed", counts: { created: 3, pending: 0, failed: 0 } });
    expect(batch.rows.map((entry) => entry.payout_status)).toEqual(["awaiting_recipient", "awaiting_recipient", "awaiting_recipient"]);
    expect(batch.rows.every((entry) => entry.recipient_link?.startsWith("http://portal.test/p/"))).toBe(true);
    const created = await portal.deps.prisma.payoutRequest.findMany({ where: { batchRow: { batchId: batch.id } } });
    expect(created.every((request) => request.apiKeyId === principal.apiKeyId && request.createdById === null)).toBe(true);
  }, 60_000);
});
