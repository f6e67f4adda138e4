import { z } from "zod";

/**
 * Fault injection switches. All are off by default, bounded (counts ≤ 100, durations ≤ 10 min) and kept in
 * memory only: a restart or DELETE /sandbox/faults clears them. Pausing webhooks is a switch too.
 */

const MAX_COUNT = 100;
const MAX_MS = 10 * 60 * 1000;

const countField = z.number().int().min(1).max(MAX_COUNT).default(1);
const methodField = z
  .string()
  .trim()
  .regex(/^[a-z0-9_]+(\/[a-z0-9_]+)*$/, "expected a method path such as session/init/payout")
  .transform((m) => m.replace(/^\/+/, ""));
const versionField = z.enum(["v1", "v2"]).optional();

export const faultRequestSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("api_error"),
    method: methodField,
    version: versionField,
    count: countField,
    status: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504)]).default(503),
    /** "before": nothing happens; "after": the call takes effect, then the answer is lost as a 5xx. */
    when: z.enum(["before", "after"]).default("before"),
    /** json: internal_error body; html: a proxy-style page; empty: no body. */
    body: z.enum(["json", "html", "empty"]).default("json"),
  }),
  z.object({
    type: z.literal("api_hang"),
    method: methodField,
    version: versionField,
    count: countField,
    hang_ms: z.number().int().min(0).max(MAX_MS).optional(),
    when: z.enum(["before", "after"]).default("before"),
  }),
  /** The method handler throws an unexpected exception: exercises the internal_error path. */
  z.object({ type: z.literal("api_exception"), method: methodField, version: versionField, count: countField }),
  z.object({ type: z.literal("webhook_duplicate"), count: countField }),
  z.object({ type: z.literal("webhook_reorder"), count: countField, hold_max_ms: z.number().int().min(0).max(MAX_MS).default(30_000) }),
  z.object({ type: z.literal("webhook_delay"), count: countField, delay_ms: z.number().int().min(0).max(MAX_MS) }),
  z.object({ type: z.literal("webhook_wrong_key"), count: countField }),
  z.object({ type: z.literal("webhook_pause") }),
]);

export type FaultRequest = z.infer<typeof faultRequestSchema>;

export interface ApiFault {
  id: number;
  mode: "error" | "hang" | "exception";
  method: string;
  version?: "v1" | "v2";
  remaining: number;
  status: number;
  when: "before" | "after";
  body: "json" | "html" | "empty";
  hang_ms: number;
}

export class Faults {
  private nextId = 1;
  api: ApiFault[] = [];
  webhookDuplicate = 0;
  webhookReorder = 0;
  reorderHoldMaxMs = 30_000;
  webhookDelay: { remaining: number; delay_ms: number } | null = null;
  webhookWrongKey = 0;
  webhooksPaused = false;

  constructor(private readonly defaultHangMs: number) {}

  add(request: FaultRequest): void {
    switch (request.type) {
      case "api_error":
        this.api.push({
          id: this.nextId++,
          mode: "error",
          method: request.method,
          ...(request.version ? { version: request.version } : {}),
          remaining: request.count,
          status: request.status,
          when: request.when,
          body: request.body,
          hang_ms: 0,
        });
        break;
      case "api_hang":
        this.api.push({
          id: this.nextId++,
          mode: "hang",
          method: request.method,
          ...(request.version ? { version: request.version } : {}),
          remaining: request.count,
          status: 0,
          when: request.when,
          body: "empty",
          hang_ms: request.hang_ms ?? this.defaultHangMs,
        });
        break;
      case "api_exception":
        this.api.push({
          id: this.nextId++,
          mode: "exception",
          method: request.method,
          ...(request.version ? { version: request.version } : {}),
          remaining: request.count,
          status: 500,
          when: "before",
          body: "json",
          hang_ms: 0,
        });
        break;
      case "webhook_duplicate":
        this.webhookDuplicate = Math.min(MAX_COUNT, this.webhookDuplicate + request.count);
        break;
      case "webhook_reorder":
        this.webhookReorder = Math.min(MAX_COUNT, this.webhookReorder + request.count);
        this.reorderHoldMaxMs = request.hold_max_ms;
        break;
      case "webhook_delay":
        this.webhookDelay = { remaining: request.count, delay_ms: request.delay_ms };
        break;
      case "webhook_wrong_key":
        this.webhookWrongKey = Math.min(MAX_COUNT, this.webhookWrongKey + request.count);
        break;
      case "webhook_pause":
        this.webhooksPaused = true;
        break;
    }
  }

  /** Consumes one matching API fault for this call, if any. */
  takeApi(method: string, version: "v1" | "v2"): ApiFault | null {
    const fault = this.api.find((f) => f.remaining > 0 && f.method === method && (!f.version || f.version === version));
    if (!fault) return null;
    fault.remaining -= 1;
    this.api = this.api.filter((f) => f.remaining > 0);
    return { ...fault };
  }

  takeDuplicate(): boolean {
    if (this.webhookDuplicate <= 0) return false;
    this.webhookDuplicate -= 1;
    return true;
  }

  takeReorder(): boolean {
    if (this.webhookReorder <= 0) return false;
    this.webhookReorder -= 1;
    return true;
  }

  takeDelay(): number {
    if (!this.webhookDelay || this.webhookDelay.remaining <= 0) return 0;
    this.webhookDelay.remaining -= 1;
    const ms = this.webhookDelay.delay_ms;
    if (this.webhookDelay.remaining <= 0) this.webhookDelay = null;
    return ms;
  }

  takeWrongKey(): boolean {
    if (this.webhookWrongKey <= 0) return false;
    this.webhookWrongKey -= 1;
    return true;
  }

  clear(): void {
    this.api = [];
    this.webhookDuplicate = 0;
    this.webhookReorder = 0;
    this.webhookDelay = null;
    this.webhookWrongKey = 0;
    this.webhooksPaused = false;
  }

  snapshot() {
    return {
      api: this.api.map((f) => ({ ...f })),
      webhooks: {
        duplicate: this.webhookDuplicate,
        reorder: this.webhookReorder,
        reorder_hold_max_ms: this.reorderHoldMaxMs,
        delay: this.webhookDelay ? { ...this.webhookDelay } : null,
        wrong_key: this.webhookWrongKey,
        paused: this.webhooksPaused,
      },
    };
  }
}
