import type { Store } from "./store";
import { nextId } from "./util";

/**
 * Received partner-API requests for GET /sandbox/requests. Bodies are stored already redacted (no card
 * numbers, CVCs or signatures) and the log is trimmed to SANDBOX_REQUEST_LOG_LIMIT entries.
 */

export interface RequestLogEntry {
  id: string;
  at: string;
  duration_ms: number;
  method: string;
  http_method: string;
  path: string;
  api_version: number | null;
  headers: Record<string, string>;
  body: unknown;
  response: { status: number; body: unknown } | { status: "hang"; closed_after_ms: number };
  fault?: string;
  idempotent_replay?: boolean;
}

/** Headers worth showing; X-PARTNER-SIGN is reduced to its length, cookies/authorization are dropped. */
export function safeHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    const key = name.toLowerCase();
    if (key === "authorization" || key === "cookie" || key === "proxy-authorization") return;
    out[key] = key === "x-partner-sign" ? `<${value.length} chars>` : value;
  });
  return out;
}

export class RequestLog {
  constructor(
    private readonly store: Store,
    private readonly limit: number,
  ) {}

  add(entry: Omit<RequestLogEntry, "id">): RequestLogEntry {
    const full: RequestLogEntry = { id: nextId(this.store, "rq"), ...entry };
    this.store.put("requests", full.id, full);
    const ids = this.store.ids("requests");
    for (let i = 0; i < ids.length - this.limit; i++) this.store.del("requests", ids[i] ?? "");
    return full;
  }

  list(options: { limit?: number; method?: string } = {}): RequestLogEntry[] {
    let all = this.store.all<RequestLogEntry>("requests");
    if (options.method) all = all.filter((e) => e.method === options.method);
    const limit = options.limit ?? 100;
    return all.slice(Math.max(0, all.length - limit));
  }
}
