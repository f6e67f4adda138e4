import { describe, expect, test } from "vitest";
import { verifyBody } from "@/lib/bank131/signature";
import type { SandboxProcess } from "@/tests/helpers/sandbox-process";
import { sessionWebhook, withSandboxSuite } from "@/tests/helpers/sandbox-suite";
import type { WebhookReceiver } from "@/tests/helpers/webhook-receiver";

/**
 * The seed documents' JSON bodies (docs/bank131/seeds), sent as written (API v1), against the real
 * sandbox process. Literal hashes/tokens of the seeds are registered aliases of sandbox test instruments.
 */

let sandbox: SandboxProcess;
let receiver: WebhookReceiver;
withSandboxSuite((suite) => ({ sandbox, receiver } = suite));

const webhook = (type: string, sessionId: string) => sessionWebhook(receiver, type, sessionId);

describe("seed 001 / api-reference §10: widget hash payout (v1)", () => {
  test("token → create → start with the hash → ready_to_confirm → confirm → payment_finished", async () => {
    const token = await sandbox.api("token", undefined, { rawBody: '{\n"tokenize_widget": {\n"access": true\n}\n}' });
    expect(token.status).toBe(200);
    expect(token.body).toEqual({ status: "ok", public_token: expect.stringMatching(/^[0-9a-f]{64}$/) });

    const created = await sandbox.api("session/create", undefined, { version: 1, rawBody: '{\n"metadata": "good"\n}' });
    expect(created.status).toBe(200);
    expect(created.body.session).toEqual({
      id: expect.stringMatching(/^ps_\d+$/),
      status: "created",
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
      updated_at: expect.any(String),
    });
    const id: string = created.body.session.id;

    const start = `{
"session_id": "${id}",
"payment_method": {
"type": "card",
"card": {
"type": "encrypted_card",
"encrypted_card": {
"number_hash": "63191fa17cc7edf818ee5d6611a2c2169ab30b705111cffd710af39880deef09"
}
}
},
"participant_details": {
"recipient": {
"full_name": "Ivanov Ivan Ivanovich"
}
},
"amount_details": {
"amount": 10000,
"currency": "rub"
},
"metadata": "good"
}`;
    const started = await sandbox.api("session/start/payout", undefined, { version: 1, rawBody: start });
    expect(started.status).toBe(200);
    expect(started.body.session.status).toBe("in_progress");
    expect(started.body.session.payments[0]).toMatchObject({
      id: expect.stringMatching(/^po_\d+$/),
      status: "in_progress",
      payment_method: { type: "card", card: { last4: "4940", brand: "mir", bin: "220024", country_iso3: "RUS" } },
    });

    const ready = await webhook("ready_to_confirm", id);
    expect(verifyBody(ready.raw, ready.signature, sandbox.keys.bankPublicKey)).toBe(true);
    expect(ready.headers["content-type"]).toBe("application/json");
    expect(ready.json).toEqual({
      type: "ready_to_confirm",
      session: {
        id,
        status: "in_progress",
        created_at: expect.any(String),
        updated_at: expect.any(String),
        next_action: "confirm",
        payments: [
          {
            id: started.body.session.payments[0].id,
            status: "pending",
            created_at: expect.any(String),
            payment_method: { type: "card", card: { last4: "4940", brand: "mir", bin: "220024", country_iso3: "RUS" } },
            participant_details: { recipient: { full_name: "Ivanov Ivan Ivanovich" } },
            amount_details: { amount: 10000, currency: "rub" },
            metadata: "good",
          },
        ],
      },
    });
    // The hash never leaves the sandbox in a session or webhook.
    expect(ready.text).not.toContain("63191fa17cc7edf818ee5d6611a2c2169ab30b705111cffd710af39880deef09");

    const confirmed = await sandbox.api("session/confirm", undefined, { version: 1, rawBody: `{\n"session_id": "${id}"\n}` });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.session).toMatchObject({ status: "in_progress", payments: [{ status: "pending" }] });
    expect(confirmed.body.session.next_action).toBeUndefined();

    const finished = await webhook("payment_finished", id);
    expect(verifyBody(finished.raw, finished.signature, sandbox.keys.bankPublicKey)).toBe(true);
    expect(finished.json.session).toMatchObject({ id, status: "accepted", payments: [{ status: "succeeded", finished_at: expect.any(String) }] });
  });
});

describe("seed 000: payouts with a card token, a hash and a recurrent token", () => {
  const variants = {
    token: '"payment_method": {\n"type": "card",\n"card": {\n"type": "tokenized_card",\n"tokenized_card": {\n"token": "759c9852dde2211d7531b3d905c1d513fbfb914bee87fb567d99c7b2f2c2ad44"\n}\n}\n}',
    hash: '"payment_method": {\n"type": "card",\n"card": {\n"type": "encrypted_card",\n"encrypted_card": {\n"number_hash": "064e7045a239e2d5d0448c2f72be84beb8d6dc47020f5b1174bccb6f3b9b2f1b"\n}\n}\n}',
    recurrent: '"payment_method": {\n"type": "recurrent",\n"recurrent": {\n"token": "9a8a650c49de69eb98549027c5bc366f5bda51efe59bb8c0e02eb8a8a4e359da"\n}\n}',
  };
  const startBody = (id: string, instrument: string) =>
    `{\n"session_id": "${id}",\n${instrument},\n"participant_details": {\n"recipient": {\n"full_name": "Ivanov Ivan"\n}\n},\n"metadata": "good"\n}`;

  test("the seed's start body omits amount_details (§6): rejected when create did not set it", async () => {
    const created = await sandbox.api("session/create", undefined, { version: 1, rawBody: "{\n}" });
    const res = await sandbox.api("session/start/payout", undefined, { version: 1, rawBody: startBody(created.body.session.id, variants.token) });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_request");
    expect(res.body.error.description).toMatch(/^amount_details: /);
  });

  test.each(Object.entries(variants))("%s: amount from session/create, the seed's start body verbatim", async (name, instrument) => {
    const created = await sandbox.api("session/create", { amount_details: { amount: 10000, currency: "rub" } }, { version: 1 });
    const id = created.body.session.id;
    const res = await sandbox.api("session/start/payout", undefined, { version: 1, rawBody: startBody(id, instrument) });
    expect(res.status).toBe(200);
    const payout = res.body.session.payments[0];
    expect(payout.amount_details).toEqual({ amount: 10000, currency: "rub" });
    if (name === "recurrent") {
      expect(payout.payment_method).toEqual({ type: "recurrent", recurrent: { token: "9a8a650c49de69eb98549027c5bc366f5bda51efe59bb8c0e02eb8a8a4e359da" } });
    } else {
      expect(payout.payment_method).toEqual({ type: "card", card: expect.objectContaining({ last4: expect.stringMatching(/^\d{4}$/), brand: expect.any(String) }) });
      expect(res.text).not.toMatch(/number_hash|tokenized_card/);
    }
    await webhook("ready_to_confirm", id);
    await sandbox.api("session/confirm", { session_id: id }, { version: 1 });
    const finished = await webhook("payment_finished", id);
    expect(finished.json.session.payments[0].status).toBe("succeeded");
  });
});

describe("seed 002 / 003: bank account with tokenize, single-request payout", () => {
  test("tokenize → init/payout with the token → poll session/status for next_action → confirm", async () => {
    const tokenized = await sandbox.api("tokenize", undefined, {
      rawBody: '{\n"type": "bank_account_ru",\n"bank_account_ru": {\n"bik": "049205131",\n"account": "40702810200000000025"\n}\n}',
    });
    expect(tokenized.status).toBe(200);
    expect(tokenized.body).toEqual({ status: "ok", token: expect.stringMatching(/^[0-9a-f]{64}$/), data: { masked_account: "40702***0025" } });

    for (const token of [tokenized.body.token as string, "3f03ee2580046153bb0aa859558e7ada10d3835270fdb4c4b70961239d37f31d"]) {
      const init = `{
"payment_method": {
"type": "bank_account",
"bank_account": {
"system_type": "ru",
"ru": {
"token": "${token}",
"full_name": "Ivanov Ivan Ivanovich",
"description": "Payout"
}
}
},
"amount_details": {
"amount": 10000,
"currency": "rub"
},
"metadata": "good"
}`;
      const res = await sandbox.api("session/init/payout", undefined, { version: 1, rawBody: init });
      expect(res.status).toBe(200);
      const id = res.body.session.id;
      expect(res.body.session).toMatchObject({
        status: "in_progress",
        payments: [
          {
            status: "in_progress",
            payment_method: { type: "bank_account", bank_account: { system_type: "ru", ru: { token, full_name: "Ivanov Ivan Ivanovich", description: "Payout" } } },
            metadata: "good",
            amount_details: { amount: 10000, currency: "rub" },
          },
        ],
      });

      // Seed 003: instead of waiting for the webhook, poll session/status until next_action is confirm.
      let status = await sandbox.api("session/status", { session_id: id }, { version: 1 });
      for (let i = 0; i < 200 && status.body.session.next_action !== "confirm"; i++) {
        await new Promise((r) => setTimeout(r, 20));
        status = await sandbox.api("session/status", { session_id: id }, { version: 1 });
      }
      expect(status.body.session).toMatchObject({ status: "in_progress", next_action: "confirm", payments: [{ status: "pending" }] });

      await sandbox.api("session/confirm", { session_id: id }, { version: 1 });
      const finished = await webhook("payment_finished", id);
      expect(finished.json.session.payments[0]).toMatchObject({ status: "succeeded", transaction_info: { bank_account_ru_token: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    }
  });
});

describe("seed 004: escrow (nominal) payout with confirm_information", () => {
  const seedConfirmInformation = `"confirm_information": {
"transfer_details": {
"payment_method": {
"type": "card",
"card": {
"brand": "mastercard",
"last4": "8371",
"country_iso3": "RUS"
}
},
"customer": {
"account_number": "40702810700200000000",
"name": "Vector LLC",
"bank_name": "Bank 131",
"bik": "049205131",
"correspondent_account_number": "30101810822000000000"
},
"recipient": {
"account_number": "30233810000000000000",
"name": "Ivanov Ivan Ivanovich",
"bank_name": "Bank 131",
"bik": "049205123",
"correspondent_account_number": "30101810822000000974"
},
"purpose": "Transfer under the offer agreement",
"amount": {
"amount": 10000,
"currency": "rub"
}
}
}`;

  async function startEscrow(): Promise<{ id: string }> {
    // The seed's card is Mastercard 553691******8371: the sandbox's Mastercard success card.
    const { number_hash } = await sandbox.control.card("5536910000068371");
    const created = await sandbox.api("session/multi/create/nominal", undefined, { version: 1, rawBody: '{\n"metadata": "good"\n}' });
    expect(created.status).toBe(200);
    const id = created.body.session.id as string;
    const start = `{
"session_id": "${id}",
"payment_details": {
"type": "internal_transfer",
"internal_transfer": {
"type": "transfer_from_nominal_account",
"transfer_from_nominal_account": {
"description": "Transfer under the offer agreement"
}
}
},
"payment_method": {
"type": "card",
"card": {
"type": "encrypted_card",
"encrypted_card": {
"number_hash": "${number_hash}"
}
}
},
"participant_details": {
"sender": {
"full_name": "Vector LLC",
"beneficiary_id": "1234567890"
},
"recipient": {
"full_name": "Ivanov Ivan Ivanovich"
}
},
"amount_details": {
"amount": 10000,
"currency": "rub"
},
"customer": {
"reference": "123456789012"
}
}`;
    const res = await sandbox.api("session/multi/start/payment/nominal", undefined, { version: 1, rawBody: start });
    expect(res.status).toBe(200);
    return { id };
  }

  test("ready_to_confirm has the seed's shape; the seed's confirm body is accepted verbatim", async () => {
    const { id } = await startEscrow();
    const ready = await webhook("ready_to_confirm", id);
    expect(verifyBody(ready.raw, ready.signature, sandbox.keys.bankPublicKey)).toBe(true);
    const participants = { sender: { full_name: "Vector LLC", beneficiary_id: "1234567890" }, recipient: { full_name: "Ivanov Ivan Ivanovich" } };
    expect(ready.json.session).toEqual({
      id,
      status: "in_progress",
      created_at: expect.any(String),
      updated_at: expect.any(String),
      next_action: "confirm",
      payments: [
        {
          id: expect.stringMatching(/^po_/),
          status: "pending",
          created_at: expect.any(String),
          customer: { reference: "123456789012" },
          payment_method: { type: "card", card: { last4: "8371", brand: "mastercard", country_iso3: "RUS" } },
          participant_details: participants,
        },
      ],
      acquiring_payments: [
        {
          id: expect.stringMatching(/^pm_/),
          status: "pending",
          created_at: expect.any(String),
          customer: { reference: "123456789012" },
          payment_details: {
            type: "internal_transfer",
            internal_transfer: {
              type: "transfer_from_nominal_account",
              transfer_from_nominal_account: { description: "Transfer under the offer agreement", card_mask: "553691******8371" },
            },
          },
          amount_details: { amount: 10000, currency: "rub" },
          participant_details: participants,
        },
      ],
    });
    expect(ready.json.confirm_information).toEqual(JSON.parse(`{${seedConfirmInformation}}`).confirm_information);

    const confirmed = await sandbox.api("session/confirm", undefined, { version: 1, rawBody: `{\n"session_id": "${id}",\n${seedConfirmInformation}\n}` });
    expect(confirmed.status).toBe(200);
    const finished = await webhook("payment_finished", id);
    expect(finished.json.session).toMatchObject({ status: "accepted", payments: [{ status: "succeeded" }], acquiring_payments: [{ status: "succeeded" }] });
  });

  test("the seed's cancel body (with confirm_information) cancels", async () => {
    const { id } = await startEscrow();
    await webhook("ready_to_confirm", id);
    const cancelled = await sandbox.api("session/cancel", undefined, { version: 1, rawBody: `{\n"session_id": "${id}",\n${seedConfirmInformation}\n}` });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.session).toMatchObject({
      status: "cancelled",
      payments: [{ status: "failed", error: { code: "session_cancelled_by_partner" } }],
      acquiring_payments: [{ status: "failed" }],
    });
    const finished = await webhook("payment_finished", id);
    expect(finished.json.session.payments[0].error.code).toBe("session_cancelled_by_partner");
  });

  test("confirm/cancel without or with a changed confirm_information → invalid_request", async () => {
    const { id } = await startEscrow();
    await webhook("ready_to_confirm", id);
    const missing = await sandbox.api("session/confirm", { session_id: id }, { version: 1 });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toEqual({ code: "invalid_request", description: expect.stringMatching(/^confirm_information: /) });
    const changed = await sandbox.api("session/cancel", undefined, {
      version: 1,
      rawBody: `{"session_id":"${id}",${seedConfirmInformation.replace('"amount": 10000', '"amount": 10001')}}`,
    });
    expect(changed.status).toBe(400);
    expect(changed.body.error.description).toMatch(/^confirm_information: does not match/);
    // Still waiting for a decision.
    const status = await sandbox.api("session/status", { session_id: id }, { version: 1 });
    expect(status.body.session.next_action).toBe("confirm");
  });
});
