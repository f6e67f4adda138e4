import type { Database } from "../db/client";
import { deliverDue, type DeliverySettings } from "../payouts/partner-webhooks/delivery";

/**
 * Sends the partner webhook outbox: every `pollIntervalMs`, passes until nothing is due. Every portal
 * process runs it; claims and leases (lib/payouts/partner-webhooks/delivery.ts) keep them apart.
 */
export interface PartnerWebhookLoop {
  /** Passes until nothing is due; returns how many attempts were made. */
  runNow(): Promise<number>;
  /** Stops polling and waits for the attempts in flight to be recorded. */
  stop(): Promise<void>;
}

export function startPartnerWebhookDelivery(
  prisma: Database["prisma"],
  settings: DeliverySettings & { pollIntervalMs: number; onError?: (error: unknown) => void },
): PartnerWebhookLoop {
  let stopped = false;
  let running: Promise<number> | null = null;
  const drain = async () => {
    let total = 0;
    for (;;) {
      const sent = await deliverDue(prisma, settings);
      total += sent;
      if (sent === 0 || stopped) return total;
    }
  };
  const runNow = () =>
    (running ??= drain().finally(() => {
      running = null;
    }));
  const timer = setInterval(() => {
    if (!stopped) runNow().catch((error: unknown) => settings.onError?.(error));
  }, settings.pollIntervalMs);
  timer.unref();
  return {
    runNow,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
