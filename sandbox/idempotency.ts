import type { Store } from "./store";

/**
 * X-PARTNER-IDEMPOTENCY-KEY handling. Scope: (project, key). The fingerprint is API version + method +
 * SHA-256 of the raw body.
 * - `replay` (default): the same fingerprint replays the stored answer byte for byte, a different one is
 *   idempotency_key_already_exists. Only successful (2xx) answers are remembered, so a request rejected for
 *   a wrong state may be retried with the same key. Concurrent duplicates wait for the first one's answer.
 * - `conflict`: a key is single-use. Once the bank has answered a request carrying it (whatever the answer),
 *   every later request with it — same body or not, also a concurrent duplicate — is
 *   idempotency_key_already_exists (the SDK's error name; api-reference §5). UNCONFIRMED either way.
 */

export interface StoredAnswer {
  status: number;
  body: string;
}

interface IdempotencyRecord {
  scope: string;
  fingerprint: string;
  answer: StoredAnswer;
  created_at_ms: number;
}

export type IdempotencyOutcome =
  | { kind: "new"; finish: (answer: StoredAnswer) => void }
  | { kind: "replay"; answer: StoredAnswer }
  | { kind: "conflict"; reason: string };

const DIFFERENT_REQUEST = "this idempotency key was already used with a different request";

export class Idempotency {
  private readonly inflight = new Map<string, { fingerprint: string; done: Promise<StoredAnswer | null> }>();

  constructor(
    private readonly store: Store,
    private readonly ttlMs: number,
    private readonly reuse: "replay" | "conflict" = "replay",
  ) {}

  async begin(project: string, key: string, fingerprint: string): Promise<IdempotencyOutcome> {
    const scope = `${project}\u0000${key}`;
    for (;;) {
      const stored = this.store.get<IdempotencyRecord>("idempotency", scope);
      if (stored && Date.now() - stored.created_at_ms > this.ttlMs) this.store.del("idempotency", scope);
      else if (stored) {
        if (this.reuse === "conflict") return { kind: "conflict", reason: "this idempotency key was already used" };
        return stored.fingerprint === fingerprint ? { kind: "replay", answer: stored.answer } : { kind: "conflict", reason: DIFFERENT_REQUEST };
      }

      const running = this.inflight.get(scope);
      if (!running) break;
      if (this.reuse === "conflict") return { kind: "conflict", reason: "this idempotency key is being used by a request in progress" };
      if (running.fingerprint !== fingerprint) return { kind: "conflict", reason: DIFFERENT_REQUEST };
      // Same request already being processed: wait for it, then re-check the store.
      const answer = await running.done;
      if (answer) return { kind: "replay", answer };
    }

    let resolve!: (answer: StoredAnswer | null) => void;
    const done = new Promise<StoredAnswer | null>((r) => (resolve = r));
    this.inflight.set(scope, { fingerprint, done });
    return {
      kind: "new",
      finish: (answer) => {
        this.inflight.delete(scope);
        if (this.reuse === "conflict" || (answer.status >= 200 && answer.status < 300)) {
          this.store.put<IdempotencyRecord>("idempotency", scope, { scope, fingerprint, answer, created_at_ms: Date.now() });
          resolve(answer);
        } else {
          resolve(null);
        }
      },
    };
  }
}
