import { describe, expect, test } from "vitest";
import { createBank131Client, type Bank131Client } from "@/lib/bank131/client";
import { Bank131ApiError, Bank131NetworkError } from "@/lib/bank131/errors";
import { parseWebhook } from "@/lib/bank131/webhook";
import type { SandboxProcess } from "@/tests/helpers/sandbox-process";
import { withSandboxSuite } from "@/tests/helpers/sandbox-suite";
import type { WebhookReceiver } from "@/tests/helpers/webhook-receiver";

/** The portal's own lib/bank131 client and webhook parser against the real sandbox, in v1 and v2. */

let sandbox: SandboxProcess;
let receiver: WebhookReceiver;

withSandboxSuite((suite) => ({ sandbox, receiver } = suite));

const client = (apiVersion: 1 | 2, timeoutMs?: number): Bank131Client =>
  createBank131Client({ baseUrl: sandbox.url, project: sandbox.project, privateKey: sandbox.keys.partnerPrivateKey, apiVersion, ...(timeoutMs ? { timeoutMs } : {}) });

async function parsed(type: string, sessionId: string) {
  const w = await receiver.waitForMatch((x) => x.json?.type === type && x.json?.session?.id === sessionId);
  return parseWebhook(w.raw, w.signature, sandbox.keys.bankPublicKey);
}

describe.each([1, 2] as const)("client with apiVersion %i", (apiVersion) => {
  test("widget hash payout: token → create → start → ready_to_confirm → confirm → payment_finished", async () => {
    const c = client(apiVersion);
    const token = await c.token({ tokenize_widget: { access: true } });
    expect(token.public_token).toMatch(/^[0-9a-f]{64}$/);
    const tokenized = await fetch(`${sandbox.url}/widget/v1/tokenize`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ public_token: token.public_token, number: "2200240000014940" }),
    });
    const { number_hash } = (await tokenized.json()) as { number_hash: string };
    const info = await c.tokenInfo({ type: "card", card: { type: "encrypted_card", encrypted_card: { number_hash } } });
    expect(info.info).toMatchObject({ last4: "4940", brand: "mir" });

    const created = await c.sessionCreate({ metadata: "client" }, { idempotencyKey: `create-${apiVersion}` });
    const id = created.session.id;
    const started = await c.startPayout(
      {
        session_id: id,
        payout_details: { type: "card", card: { type: "encrypted_card", encrypted_card: { number_hash } } },
        participant_details: { recipient: { full_name: "Иванов Иван Иванович" } },
        amount_details: { amount: 10_000, currency: "rub" },
      },
      { idempotencyKey: `start-${apiVersion}` },
    );
    expect(started.session.payout_list?.[0]?.status).toBe("in_progress");
    const ready = await parsed("ready_to_confirm", id);
    expect(ready.known && ready.session.next_action).toBe("confirm");
    await c.confirm(id, undefined, { idempotencyKey: `confirm-${apiVersion}` });
    const finished = await parsed("payment_finished", id);
    expect(finished.known && finished.session.payout_list?.[0]?.status).toBe("succeeded");
    const status = await c.status(id);
    expect(status.session.status).toBe("accepted");
  });

  test("escrow: confirm_information from the parsed webhook goes back through the client unchanged", async () => {
    const c = client(apiVersion);
    const { number_hash } = await sandbox.control.card("5536910000068371");
    const init = await c.multiInitPaymentNominal({
      payment_details: { type: "internal_transfer", internal_transfer: { type: "transfer_from_nominal_account", transfer_from_nominal_account: { description: "Offer" } } },
      payout_details: { type: "card", card: { type: "encrypted_card", encrypted_card: { number_hash } } },
      participant_details: { sender: { full_name: "Vector LLC", beneficiary_id: "1234567890" }, recipient: { full_name: "Ivanov Ivan" } },
      amount_details: { amount: 10_000, currency: "rub" },
      customer: { reference: "123456789012" },
    });
    const id = init.session.id;
    const ready = await parsed("ready_to_confirm", id);
    if (!ready.known) throw new Error("expected a known webhook");
    expect(ready.confirm_information).toBeDefined();
    const confirmed = await c.confirm(id, ready.confirm_information);
    expect(confirmed.session.status).toBe("in_progress");
    const finished = await parsed("payment_finished", id);
    expect(finished.known && finished.session.status).toBe("accepted");
  });
});

describe("client error mapping", () => {
  test("sandbox errors surface as Bank131ApiError with code and HTTP status", async () => {
    const c = client(2);
    const error = await c.status("ps_999999").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Bank131ApiError);
    expect(error).toMatchObject({ code: "invalid_request", httpStatus: 400 });

    await sandbox.control.addFault({ type: "api_error", method: "session/create" });
    const fault = await c.sessionCreate({}).catch((e: unknown) => e);
    expect(fault).toMatchObject({ code: "internal_error", httpStatus: 503 });
  });

  test("a hanging call becomes a Bank131NetworkError (timed out, outcome unknown)", async () => {
    await sandbox.control.addFault({ type: "api_hang", method: "session/create", hang_ms: 1000 });
    const error = await client(2, 200).sessionCreate({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Bank131NetworkError);
    expect((error as Bank131NetworkError).timedOut).toBe(true);
  });
});
