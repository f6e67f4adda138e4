import "server-only";
import { createEventAwareCache, type AggregatesCache } from "../payouts/aggregates-cache";
import { getPortal } from "./portal";

const globalForCache = globalThis as unknown as { __payoutAggregatesCache?: Promise<AggregatesCache> };

/** One cache per server process (Next evaluates route modules several times), cleared by every portal event. */
export function aggregatesCache(): Promise<AggregatesCache> {
  globalForCache.__payoutAggregatesCache ??= getPortal()
    .then((portal) => createEventAwareCache((onEvent) => portal.events.subscribe(onEvent)))
    .catch((error: unknown) => {
      globalForCache.__payoutAggregatesCache = undefined;
      throw error;
    });
  return globalForCache.__payoutAggregatesCache;
}
