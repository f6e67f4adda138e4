import { describe, expect, it } from "vitest";
import {
  pathToV1,
  renameKey,
  requestFromWire,
  requestToWire,
  responseFromWire,
  responseToWire,
  sessionFromWire,
  sessionToWire,
  webhookFromWire,
  webhookToWire,
} from "@/lib/bank131/wire";
import { loadExamples } from "./helpers";

const examples = loadExamples();
const from = { request: requestFromWire, response: responseFromWire, webhook: webhookFromWire } as const;
const to = { request: requestToWire, response: responseToWire, webhook: webhookToWire } as const;

describe("v1 ↔ v2 wire conversion", () => {
  for (const ex of examples) {
    it(`round trip ${ex.file}`, () => {
      const canonical = from[ex.kind](ex.body, 1);
      const text = JSON.stringify(canonical);
      expect(text).not.toMatch(/"payments"|"acquiring_payments"/);
      // Byte-identical JSON after v1 → canonical → v1 (key order preserved).
      expect(JSON.stringify(to[ex.kind](canonical, 1))).toBe(JSON.stringify(ex.body));
      // v2 is the canonical spelling: identity.
      expect(to[ex.kind](canonical, 2)).toEqual(canonical);
      expect(from[ex.kind](canonical, 2)).toEqual(canonical);
    });
  }

  it("renames the request instrument and the escrow transfer details", () => {
    const ex = examples.find((e) => e.file === "seed4-confirm-escrow.request.json")!;
    const canonical = requestFromWire(ex.body, 1) as { confirm_information: { transfer_details: Record<string, unknown> } };
    expect(Object.keys(canonical.confirm_information.transfer_details)[0]).toBe("payout_details");
    const start = requestFromWire({ session_id: "ps_1", payment_method: { type: "card" }, amount_details: {} }, 1);
    expect(Object.keys(start)).toEqual(["session_id", "payout_details", "amount_details"]);
  });

  it("renames session lists and payout instruments but not the payer instrument of acquiring payments", () => {
    const v1 = {
      id: "ps_1",
      payments: [{ id: "po_1", payment_method: { type: "card" } }],
      acquiring_payments: [{ id: "pm_1", payment_method: { type: "card" } }],
    };
    const canonical = sessionFromWire(v1, 1);
    expect(canonical).toEqual({
      id: "ps_1",
      payout_list: [{ id: "po_1", payout_details: { type: "card" } }],
      payment_list: [{ id: "pm_1", payment_method: { type: "card" } }],
    });
    expect(sessionToWire(canonical, 1)).toEqual(v1);
  });

  it("leaves version-neutral responses alone", () => {
    const token = { status: "ok", public_token: "abc" };
    expect(responseToWire(token, 1)).toEqual(token);
    const error = { status: "error", error: { code: "invalid_request", description: "x" } };
    expect(responseToWire(error, 1)).toEqual(error);
  });

  it("webhookToWire drops the parser's marker and returns unknown webhooks raw", () => {
    const known = { known: true, type: "payment_finished", session: { id: "ps_1", payout_list: [] } };
    expect(webhookToWire(known, 1)).toEqual({ type: "payment_finished", session: { id: "ps_1", payments: [] } });
    const raw = { type: "action_required", whatever: 1 };
    expect(webhookToWire({ known: false, type: "action_required", raw }, 1)).toEqual(raw);
  });

  it("does not mutate its input and passes non-objects through", () => {
    const body = { payment_method: { type: "card" } };
    requestFromWire(body, 1);
    expect(body).toEqual({ payment_method: { type: "card" } });
    expect(requestToWire(null, 1)).toBeNull();
    expect(requestToWire("x", 1)).toBe("x");
  });

  it("renameKey keeps the target when both spellings are present", () => {
    expect(renameKey({ a: 1, b: 2, c: 3 }, "a", "b")).toEqual({ b: 2, c: 3 });
    expect(Object.keys(renameKey({ x: 0, a: 1, c: 3 }, "a", "b"))).toEqual(["x", "b", "c"]);
  });

  it("maps validation paths to the v1 spelling", () => {
    expect(pathToV1(["payout_details", "card"])).toEqual(["payment_method", "card"]);
    expect(pathToV1(["confirm_information", "transfer_details", "payout_details"])).toEqual([
      "confirm_information",
      "transfer_details",
      "payment_method",
    ]);
    expect(pathToV1(["amount_details", "amount"])).toEqual(["amount_details", "amount"]);
  });
});
