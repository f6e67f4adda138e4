import "server-only";
import { getPortal } from "@/lib/server/portal";
import { createEventAwareCache } from "./list-query";

type Cache = ReturnType<typeof createEventAwareCache>;
const globalForCache = globalThis as unknown as { __payoutAggregatesCache?: Promise<Cache> };

/** One cache per server process (Next evaluates route modules several times), cleared by every portal event. */
export function aggregatesCache(): Promise<Cache> {
  globalForCache.__payoutAggregatesCache ??= getPortal()
    .then((portal) => createEventAwareCache((onEvent) => portal.events.subscribe(onEvent)))
    .catch((error: unknown) => {
      globalForCache.__payoutAggregatesCache = undefined;
      throw error;
    });
  return globalForCache.__payoutAggregatesCache;
}
