import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { connectDatabase } from "../../lib/db/client";
import { applyMigrations } from "../../lib/db/migrate";
import { openPglite } from "../../lib/db/pglite";
import { seedDevOperators } from "../../lib/auth/seed";
import { startStack, type RunningStack } from "../../scripts/lib/stack";
import { freePort } from "../helpers/sandbox-process";
import { signInThroughForm } from "./helpers/sign-in";
import { expectNoSeriousA11yViolations } from "./helpers/axe";
import { sameOrigin } from "./helpers/same-origin";

/**
 * An expired link, end to end: an operator creates the request, its lifetime passes (simulated by
 * moving the stored expiry into the past while the stack is stopped: a PGlite directory has one
 * owner), and the recipient then sees the expired page, rendered by the server.
 */

test.describe.configure({ timeout: 150_000 });

test("a recipient opening an expired link is told so and cannot start a payout", async ({ browser }) => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "portal-expired-"));
  const pgliteDir = path.join(dataDir, "pglite");
  const db = await connectDatabase({ kind: "pglite", dataDir: pgliteDir });
  await applyMigrations(db);
  await seedDevOperators(db.prisma);
  await db.close();

  const portalUrl = `http://127.0.0.1:${await freePort()}`;
  const sandboxUrl = `http://127.0.0.1:${await freePort()}`;
  const start = () => startStack({ portalUrl, sandboxUrl, dataDir, databaseUrl: `pglite:${pgliteDir}`, env: { LOG_LEVEL: "warn" }, log: () => {} });
  let stack: RunningStack | undefined = await start();
  try {
    const operator = await browser.newContext({ baseURL: portalUrl });
    const page = await operator.newPage();
    await signInThroughForm(page, "approver");
    const created = await page.request.post("/api/payouts", sameOrigin({ amountKopecks: 50_000, recipientName: "Зайцев Кирилл", purpose: "Компенсация расходов", method: "card_widget" }, portalUrl));
    expect(created.status()).toBe(201);
    const { id, link } = (await created.json()) as { id: string; link: { url: string } };
    await operator.close();

    await stack.stop();
    stack = undefined;
    const { pglite, close } = await openPglite(pgliteDir);
    await pglite.query("UPDATE payout_requests SET link_expires_at = now() - interval '1 minute' WHERE id = $1", [id]);
    await close();
    stack = await start();

    const recipient = await browser.newContext({ locale: "ru-RU" });
    const recipientPage = await recipient.newPage();
    const response = await recipientPage.goto(link.url);
    expect(response?.status()).toBe(200);
    await expect(recipientPage.getByText("Срок действия ссылки истёк")).toBeVisible();
    await expect(recipientPage.locator("iframe")).toHaveCount(0);
    await expectNoSeriousA11yViolations(recipientPage);
    const token = new URL(link.url).pathname.split("/").pop()!;
    const refused = await recipientPage.request.post(`${portalUrl}/api/p/${token}/start`, sameOrigin({ instrument: { kind: "card_hash", numberHash: "a".repeat(64) } }, portalUrl));
    expect(refused.status()).toBe(410);
    expect(await refused.json()).toMatchObject({ error: { code: "link_expired" } });
    await recipient.close();
  } finally {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
