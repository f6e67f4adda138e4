import { createHash } from "node:crypto";
import type { Store } from "./store";

/** Bank 131 timestamps carry microseconds: 2025-05-27T02:03:00.340663Z. */
export function isoMicro(ms: number = Date.now()): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Structural equality ignoring object key order (confirm_information must come back "unchanged"). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/**
 * Monotonic ids per prefix (ps_, po_, pm_, rf_, wh_). Counters live in the "meta" collection and survive
 * /sandbox/reset, so ids never repeat within one data dir and a portal database never sees a reused id.
 */
export function nextId(store: Store, prefix: string): string {
  const key = `counter:${prefix}`;
  const current = store.get<number>("meta", key) ?? 1000;
  const next = current + 1;
  store.put("meta", key, next);
  return `${prefix}_${next}`;
}

const SECRET_KEYS = new Set(["number", "card_number", "security_code", "cvv", "cvc", "expiration_month", "expiration_year"]);

/**
 * Copy of a request body safe to keep in the request log: card numbers (PCI bank_card payouts) are reduced
 * to bin + last4, CVCs and expiry dropped. Applied before anything is written to the journal.
 */
export function redactBody(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactBody);
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (SECRET_KEYS.has(key) && (typeof inner === "string" || typeof inner === "number")) {
      const text = String(inner).replace(/\D/g, "");
      out[key] = key === "number" || key === "card_number" ? maskPan(text) : "***";
    } else {
      out[key] = redactBody(inner);
    }
  }
  return out;
}

/** 553691******8371 style mask (first 6, last 4). Short strings are fully starred. */
export function maskPan(digits: string): string {
  if (digits.length < 12) return "*".repeat(digits.length);
  return digits.slice(0, 6) + "*".repeat(digits.length - 10) + digits.slice(-4);
}

export function formatRub(kopecks: number): string {
  // Integer kopecks → display only; Intl needs a number of roubles, exact for any realistic amount.
  return new Intl.NumberFormat("ru-RU", { style: "currency", currency: "RUB", minimumFractionDigits: 2 }).format(kopecks / 100);
}

export function escapeHtml(value: unknown): string {
  return String(value ?? "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
