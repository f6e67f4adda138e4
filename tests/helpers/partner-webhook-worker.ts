/**
 * A portal process's partner webhook delivery, alone, in its own process (for kill -9 and
 * two-process tests): `node --import tsx tests/helpers/partner-webhook-worker.ts` with
 * WORKER_DATABASE_URL, WORKER_SECRETS_KEY (hex), WORKER_RUNNER and WORKER_TIMEOUT_MS. Prints "ready".
 */
import { connectDatabase } from "../../lib/db/client";
import { startPartnerWebhookDelivery } from "../../lib/jobs/partner-webhooks";

const db = await connectDatabase({ kind: "postgres", url: process.env.WORKER_DATABASE_URL! }, { poolSize: 3 });
const loop = startPartnerWebhookDelivery(db.prisma, {
  secretsKey: Buffer.from(process.env.WORKER_SECRETS_KEY!, "hex"),
  runner: process.env.WORKER_RUNNER!,
  timeoutMs: Number(process.env.WORKER_TIMEOUT_MS ?? 5000),
  leaseMarginMs: 300,
  retryBaseMs: 50,
  retryMaxDelayMs: 200,
  giveUpAfterMs: 60_000,
  pollIntervalMs: 30,
  onError: (error) => console.error("delivery pass failed", error),
});
// The loop's timer does not hold the process open (a portal's server does); this process lives until killed.
const keepAlive = setInterval(() => undefined, 60_000);
process.stdout.write("ready\n");
process.on("SIGTERM", () => {
  clearInterval(keepAlive);
  void loop.stop().then(() => db.close()).then(() => process.exit(0));
});
