import { createHash, generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Bank131ProtocolError, Bank131WebhookSignatureError } from "@/lib/bank131/errors";
import { parseWebhook, signWebhook, webhookDeliveryKey, webhookEffect, webhookEffectKey } from "@/lib/bank131/webhook";
import { webhookToWire } from "@/lib/bank131/wire";
import { loadExamples, sdkPrivateKey, sdkPublicKey, vectors } from "./helpers";

// In these tests the SDK key pair plays the Bank's webhook key.
const bankPrivate = sdkPrivateKey;
const bankPublic = sdkPublicKey;
const hooks = loadExamples().filter((e) => e.kind === "webhook");
const signed = (body: string) => ({ body, sign: signWebhook(body, bankPrivate) });

describe("parseWebhook accepts valid deliveries", () => {
  it("the derived ready_to_confirm vector verifies with its published signature", () => {
    const v = vectors.B.find((x) => x.body.startsWith('{"type":"ready_to_confirm"'))!;
    const hook = parseWebhook(Buffer.from(v.body), v.signature, bankPublic);
    expect(hook).toMatchObject({ known: true, type: "ready_to_confirm", session: { id: "ps_3230", next_action: "confirm" } });
  });

  for (const ex of hooks) {
    it(`${ex.file} in v1 and v2 spelling → same canonical webhook`, () => {
      const v1 = signed(JSON.stringify(ex.body));
      const fromV1 = parseWebhook(Buffer.from(v1.body), v1.sign, bankPublic);
      const v2 = signed(JSON.stringify(webhookToWire(fromV1, 2)));
      const fromV2 = parseWebhook(v2.body, v2.sign, bankPublic);
      expect(fromV2).toEqual(fromV1);
      expect(fromV1.known).toBe(true);
      if (fromV1.known) expect(fromV1.session.payout_list?.[0]?.id).toMatch(/^po_/);
    });
  }

  it("accepts the header as a one-element array (node IncomingHttpHeaders)", () => {
    const { body, sign } = signed('{"type":"payment_finished","session":{"id":"ps_1","status":"accepted","created_at":"t","updated_at":"t"}}');
    expect(parseWebhook(body, [sign], bankPublic).type).toBe("payment_finished");
    expect(() => parseWebhook(body, [sign, sign], bankPublic)).toThrow(Bank131WebhookSignatureError);
  });

  it("returns unknown types as {known:false, type, raw}", () => {
    const { body, sign } = signed('{"type":"transaction_registration","transfer":{"id":"t1"}}');
    expect(parseWebhook(body, sign, bankPublic)).toEqual({
      known: false,
      type: "transaction_registration",
      raw: { type: "transaction_registration", transfer: { id: "t1" } },
    });
  });
});

describe("parseWebhook rejects forged, altered and unsigned deliveries", () => {
  const ex = hooks.find((e) => e.file === "ref10-payment-finished.webhook.json")!;
  const { body, sign } = signed(JSON.stringify(ex.body));

  it("unsigned", () => {
    expect(() => parseWebhook(body, undefined, bankPublic)).toThrow(Bank131WebhookSignatureError);
    expect(() => parseWebhook(body, null, bankPublic)).toThrow(Bank131WebhookSignatureError);
    expect(() => parseWebhook(body, "", bankPublic)).toThrow(Bank131WebhookSignatureError);
    expect(() => parseWebhook(body, [], bankPublic)).toThrow(Bank131WebhookSignatureError);
  });

  it("garbage signature", () => {
    expect(() => parseWebhook(body, "broken_signature", bankPublic)).toThrow(Bank131WebhookSignatureError);
  });

  it("altered body (status flipped to succeeded→failed)", () => {
    const altered = body.replace('"status":"succeeded"', '"status":"failed"');
    expect(altered).not.toBe(body);
    expect(() => parseWebhook(altered, sign, bankPublic)).toThrow(Bank131WebhookSignatureError);
  });

  it("re-serialised body (whitespace, trailing newline)", () => {
    expect(() => parseWebhook(JSON.stringify(ex.body, null, 2), sign, bankPublic)).toThrow(Bank131WebhookSignatureError);
    expect(() => parseWebhook(`${body}\n`, sign, bankPublic)).toThrow(Bank131WebhookSignatureError);
  });

  it("forged with another key (e.g. the partner's own key)", () => {
    const attacker = generateKeyPairSync("rsa", { modulusLength: 2048 });
    expect(() => parseWebhook(body, signWebhook(body, attacker.privateKey), bankPublic)).toThrow(Bank131WebhookSignatureError);
  });

  it("signature checked before parsing: unsigned garbage is a signature error, signed garbage a protocol error", () => {
    expect(() => parseWebhook("not json", "AAAA", bankPublic)).toThrow(Bank131WebhookSignatureError);
    const g = signed("not json");
    expect(() => parseWebhook(g.body, g.sign, bankPublic)).toThrow(Bank131ProtocolError);
    const bad = signed('{"type":"ready_to_confirm","session":{"id":"ps_1"}}');
    expect(() => parseWebhook(bad.body, bad.sign, bankPublic)).toThrow(/session\.status: is required/);
  });
});

describe("dedupe keys", () => {
  const finished = hooks.find((e) => e.file === "ref10-payment-finished.webhook.json")!;

  it("delivery key is sha256 hex of the raw body", () => {
    const raw = JSON.stringify(finished.body);
    expect(webhookDeliveryKey(raw)).toBe(createHash("sha256").update(raw).digest("hex"));
    expect(webhookDeliveryKey(Buffer.from(raw))).toBe(webhookDeliveryKey(raw));
    expect(webhookDeliveryKey(`${raw} `)).not.toBe(webhookDeliveryKey(raw));
  });

  it("effect key is spelling- and formatting-independent but status-dependent", () => {
    const v1 = signed(JSON.stringify(finished.body));
    const hook = parseWebhook(v1.body, v1.sign, bankPublic);
    const v2 = signed(JSON.stringify(webhookToWire(hook, 2), null, 1));
    const hook2 = parseWebhook(v2.body, v2.sign, bankPublic);
    expect(webhookDeliveryKey(v1.body)).not.toBe(webhookDeliveryKey(v2.body));
    expect(webhookEffectKey(hook)).toBe("payment_finished|ps_3230|po_2025=succeeded");
    expect(webhookEffectKey(hook2)).toBe(webhookEffectKey(hook));
    expect(webhookEffect(hook)).toEqual({ type: "payment_finished", sessionId: "ps_3230", payoutId: "po_2025", payoutStatus: "succeeded" });

    const failed = JSON.parse(v1.body);
    failed.session.payments[0].status = "failed";
    failed.session.payments[0].error = { code: "declined_by_issuer_bank", description: "x" };
    const f = signed(JSON.stringify(failed));
    expect(webhookEffectKey(parseWebhook(f.body, f.sign, bankPublic))).toBe("payment_finished|ps_3230|po_2025=failed");
  });

  it("payment_refunded includes refunds; unknown types have no effect key", () => {
    const refunded = signed(
      JSON.stringify({
        type: "payment_refunded",
        session: {
          id: "ps_9",
          status: "accepted",
          created_at: "t",
          updated_at: "t",
          payout_list: [{ id: "po_9", status: "succeeded", created_at: "t", refunds: [{ id: "rf_1", status: "accepted" }] }],
        },
      }),
    );
    const hook = parseWebhook(refunded.body, refunded.sign, bankPublic);
    expect(webhookEffectKey(hook)).toBe("payment_refunded|ps_9|po_9=succeeded[rf_1=accepted]");
    const unknown = signed('{"type":"ready_to_capture","session":{"id":"ps_2"}}');
    const u = parseWebhook(unknown.body, unknown.sign, bankPublic);
    expect(webhookEffectKey(u)).toBeNull();
    expect(webhookEffect(u)).toEqual({ type: "ready_to_capture", sessionId: "ps_2", payoutId: null, payoutStatus: null });
  });
});
