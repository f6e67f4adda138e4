import { beforeAll, describe, expect, test } from "vitest";
import type { SandboxProcess } from "@/tests/helpers/sandbox-process";
import { sessionWebhook, withSandboxSuite } from "@/tests/helpers/sandbox-suite";
import type { WebhookReceiver } from "@/tests/helpers/webhook-receiver";

/**
 * SANDBOX_IDEMPOTENCY_REUSE=conflict (single-use keys) and the strict echo of escrow confirm_information.
 * The default `replay` behaviour is covered in errors.test.ts.
 */

let sandbox: SandboxProcess;
let receiver: WebhookReceiver;
let hash: string;

withSandboxSuite((suite) => ({ sandbox, receiver } = suite), { env: { SANDBOX_IDEMPOTENCY_REUSE: "conflict" } });

beforeAll(async () => {
  hash = (await sandbox.control.card("2200240000014940")).number_hash;
});

const initBody = () => ({ payout_details: { type: "card", card: { type: "encrypted_card", encrypted_card: { number_hash: hash } } }, amount_details: { amount: 10_000, currency: "rub" } });

describe("SANDBOX_IDEMPOTENCY_REUSE=conflict", () => {
  test("the same key with the same body is refused with idempotency_key_already_exists and opens no second session", async () => {
    const first = await sandbox.api("session/init/payout", initBody(), { idempotencyKey: "reuse-1" });
    expect(first.status).toBe(200);
    const again = await sandbox.api("session/init/payout", initBody(), { idempotencyKey: "reuse-1" });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("idempotency_key_already_exists");
    const { sessions } = await sandbox.control.get("/sandbox/sessions");
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    expect((sessions as any[]).filter((session) => session.session?.id === first.body.session.id)).toHaveLength(1);
  });

  test("a key whose request was refused is used up too", async () => {
    const refused = await sandbox.api("session/confirm", { session_id: "ps_999999999" }, { idempotencyKey: "reuse-2" });
    expect(refused.body.error.code).toBe("invalid_request");
    const again = await sandbox.api("session/confirm", { session_id: "ps_999999999" }, { idempotencyKey: "reuse-2" });
    expect(again.body.error.code).toBe("idempotency_key_already_exists");
  });
});

describe("escrow confirm_information is compared strictly", () => {
  test("a stripped, an extended or an edited copy is refused; the exact one is accepted", async () => {
    const { number_hash } = await sandbox.control.card("5536910000068371");
    const created = await sandbox.api("session/multi/create/nominal", { metadata: "strict" });
    const id = created.body.session.id as string;
    const started = await sandbox.api("session/multi/start/payment/nominal", {
      session_id: id,
      payment_details: { type: "internal_transfer", internal_transfer: { type: "transfer_from_nominal_account", transfer_from_nominal_account: { description: "Выплата" } } },
      payout_details: { type: "card", card: { type: "encrypted_card", encrypted_card: { number_hash } } },
      participant_details: { sender: { full_name: "ООО Вектор", beneficiary_id: "7707083893" }, recipient: { full_name: "Иванов Иван" } },
      amount_details: { amount: 10_000, currency: "rub" },
    });
    expect(started.status).toBe(200);
    const ready = await sessionWebhook(receiver, "ready_to_confirm", id);
    const info = ready.json.confirm_information;
    const { card } = info.transfer_details.payout_details;
    const variants = {
      stripped: { ...info, transfer_details: { ...info.transfer_details, payout_details: { type: "card", card: { brand: card.brand, last4: card.last4 } } } },
      extended: { ...info, transfer_details: { ...info.transfer_details, note: "x" } },
      edited: { ...info, transfer_details: { ...info.transfer_details, amount: { ...info.transfer_details.amount, amount: 10_001 } } },
    };
    for (const [name, variant] of Object.entries(variants)) {
      const answer = await sandbox.api("session/confirm", { session_id: id, confirm_information: variant }, { idempotencyKey: `strict-${name}` });
      expect(answer.body.error?.code, name).toBe("invalid_request");
    }
    const exact = await sandbox.api("session/confirm", { session_id: id, confirm_information: info }, { idempotencyKey: "strict-exact" });
    expect(exact.status).toBe(200);
  });
});
