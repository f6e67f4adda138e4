import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createBank131Client, interpretResponse } from "@/lib/bank131/client";
import {
  Bank131ApiError,
  Bank131Error,
  Bank131NetworkError,
  Bank131ProtocolError,
  Bank131ValidationError,
} from "@/lib/bank131/errors";
import { Bank131KeyError, verifyBody } from "@/lib/bank131/signature";
import { SDK_PRIVATE_PEM, loadExamples, sdkPrivateKey, sdkPublicKey, vectors } from "./helpers";

/** A real local HTTP server: records exactly what arrives and answers with the current handler. */
interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
}
type Handler = (req: Received, res: ServerResponse) => void;

let server: Server;
let baseUrl: string;
let received: Received[] = [];
let handler: Handler;
const openResponses = new Set<ServerResponse>();

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
};

const SESSION_V2 = {
  status: "ok",
  session: {
    id: "ps_3230",
    status: "in_progress",
    created_at: "2025-05-27T02:03:00.340663Z",
    updated_at: "2025-05-27T02:03:00.512004Z",
    payout_list: [
      {
        id: "po_2025",
        status: "in_progress",
        created_at: "2025-05-27T02:03:00.503301Z",
        payout_details: { type: "card", card: { last4: "4940", brand: "mir", bin: "220024", country_iso3: "RUS" } },
        amount_details: { amount: 10000, currency: "rub" },
      },
    ],
  },
};

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const rec = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, raw: Buffer.concat(chunks) };
      received.push(rec);
      openResponses.add(res);
      res.on("close", () => openResponses.delete(res));
      handler(rec, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const res of openResponses) res.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  received = [];
  handler = (_req, res) => json(res, 200, SESSION_V2);
});

const client = (extra: Partial<Parameters<typeof createBank131Client>[0]> = {}) =>
  createBank131Client({ baseUrl, project: "demo-partner", privateKey: sdkPrivateKey, ...extra });

const onlyRequest = (): Received => {
  expect(received).toHaveLength(1);
  return received[0]!;
};

describe("request signing and headers", () => {
  it("signs exactly the bytes it sends (verified by the server with the public key)", async () => {
    const body = { metadata: "order-42", participant_details: { recipient: { full_name: "Иванов Иван / ИП" } } };
    await client().sessionCreate(body, { idempotencyKey: "order-42-create" });
    const req = onlyRequest();
    expect(req.method).toBe("POST");
    expect(req.url).toBe("/api/v2/session/create");
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.headers["x-partner-project"]).toBe("demo-partner");
    expect(req.headers["x-partner-idempotency-key"]).toBe("order-42-create");
    expect(req.headers["x-partner-sign"]).toHaveLength(344);
    expect(verifyBody(req.raw, String(req.headers["x-partner-sign"]), sdkPublicKey)).toBe(true);
    expect(req.raw.toString("utf8")).toBe(JSON.stringify(body));
  });

  it("omits the idempotency header when no key is given; sends submerchant and user agent when configured", async () => {
    await client({ submerchant: "sub-1", userAgent: "portal-test/1" }).status("ps_3230");
    const req = onlyRequest();
    expect(req.headers["x-partner-idempotency-key"]).toBeUndefined();
    expect(req.headers["x-partner-submerchant"]).toBe("sub-1");
    expect(req.headers["user-agent"]).toBe("portal-test/1");
    expect(req.raw.toString()).toBe('{"session_id":"ps_3230"}');
  });

  it("v1 start/payout sends the documented bytes and signature (vector B.1)", async () => {
    handler = (_req, res) => json(res, 200, loadExamples().find((e) => e.file === "ref10-start-payout.response.json")!.body);
    const vector = vectors.B1.find((v) => v.name === "session_start_payout_request")!;
    const response = await client({ apiVersion: 1 }).startPayout({
      session_id: "ps_3230",
      payout_details: {
        type: "card",
        card: {
          type: "encrypted_card",
          encrypted_card: { number_hash: "63191fa17cc7edf818ee5d6611a2c2169ab30b705111cffd710af39880deef09" },
        },
      },
      participant_details: { recipient: { full_name: "Ivanov Ivan Ivanovich" } },
      amount_details: { amount: 10000, currency: "rub" },
      metadata: "order-42",
    });
    const req = onlyRequest();
    expect(req.url).toBe("/api/v1/session/start/payout");
    expect(req.raw.toString("utf8")).toBe(vector.body);
    expect(req.headers["x-partner-sign"]).toBe(vector.signature);
    // The v1 answer (payments / payment_method) comes back canonical.
    expect(response.session.payout_list?.[0]?.payout_details).toEqual({
      type: "card",
      card: { last4: "4940", brand: "mir", bin: "220024", country_iso3: "RUS" },
    });
    expect("payments" in response.session).toBe(false);
  });

  it("v2 sends payout_details and parses payout_list", async () => {
    const response = await client().initPayout(
      {
        payout_details: { type: "card", card: { type: "tokenized_card", tokenized_card: { token: "tok" } } },
        amount_details: { amount: 10000, currency: "rub" },
      },
      { idempotencyKey: "k1" },
    );
    const req = onlyRequest();
    expect(req.url).toBe("/api/v2/session/init/payout");
    expect(JSON.parse(req.raw.toString())).toHaveProperty("payout_details");
    expect(response.session.payout_list?.[0]?.id).toBe("po_2025");
  });

  it("per-call apiVersion override", async () => {
    await client({ apiVersion: 2 }).status("ps_1", { apiVersion: 1 });
    expect(onlyRequest().url).toBe("/api/v1/session/status");
  });

  it("token, tokenize and token/info always go to v1", async () => {
    const c = client({ apiVersion: 2 });
    handler = (_req, res) => json(res, 200, { status: "ok", public_token: "0eb43bd1" });
    const token = await c.token({ tokenize_widget: { access: true } });
    expect(token.public_token).toBe("0eb43bd1");
    handler = (_req, res) => json(res, 200, { status: "ok", token: "19f6", data: { masked_account: "40702***0025" } });
    const tokenized = await c.tokenize({ type: "bank_account_ru", bank_account_ru: { bik: "049205131", account: "40702810200000000025" } });
    expect(tokenized.data?.masked_account).toBe("40702***0025");
    handler = (_req, res) => json(res, 200, { status: "ok", info: { type: "card", brand: "mir", last4: "4940" } });
    const info = await c.tokenInfo({ type: "card", card: { type: "encrypted_card", encrypted_card: { number_hash: "h" } } });
    expect(info.info.last4).toBe("4940");
    expect(received.map((r) => r.url)).toEqual(["/api/v1/token", "/api/v1/tokenize", "/api/v1/token/info"]);
    expect(received[0]!.raw.toString()).toBe('{"tokenize_widget":{"access":true}}');
    expect(received[0]!.headers["x-partner-sign"]).toBe(vectors.B1.find((v) => v.name === "token_request")!.signature);
  });

  it("confirm/cancel echo confirm_information in the version's spelling", async () => {
    const ci = {
      transfer_details: {
        payout_details: { type: "card" as const, card: { brand: "mastercard", last4: "8371", country_iso3: "RUS" } },
        purpose: "Transfer under the offer agreement",
        amount: { amount: 10000, currency: "rub" },
      },
    };
    await client({ apiVersion: 1 }).confirm("ps_3230", ci);
    await client({ apiVersion: 2 }).cancel("ps_3230", ci);
    await client({ apiVersion: 1 }).cancel("ps_3230");
    const [v1, v2, plain] = received.map((r) => JSON.parse(r.raw.toString()));
    expect(received.map((r) => r.url)).toEqual(["/api/v1/session/confirm", "/api/v2/session/cancel", "/api/v1/session/cancel"]);
    expect(v1.confirm_information.transfer_details.payment_method.card.last4).toBe("8371");
    expect(v1.confirm_information.transfer_details.payout_details).toBeUndefined();
    expect(v2.confirm_information.transfer_details.payout_details.card.last4).toBe("8371");
    expect(plain).toEqual({ session_id: "ps_3230" });
  });

  it("escrow helpers hit their paths", async () => {
    const c = client();
    const escrow = {
      payout_details: { type: "card" as const, card: { type: "encrypted_card" as const, encrypted_card: { number_hash: "h" } } },
      amount_details: { amount: 10000, currency: "rub" },
      payment_details: {
        type: "internal_transfer" as const,
        internal_transfer: { type: "transfer_from_nominal_account" as const, transfer_from_nominal_account: { description: "offer" } },
      },
      participant_details: { sender: { full_name: "Vector LLC", beneficiary_id: "1234567890" }, recipient: { full_name: "Ivanov Ivan" } },
      customer: { reference: "123456789012" },
    };
    await c.multiCreateNominal();
    await c.multiStartPaymentNominal({ session_id: "ps_1", ...escrow });
    await c.multiInitPaymentNominal(escrow);
    await c.initPayoutNominal(escrow);
    await c.initPayoutRko({
      ...escrow,
      payment_details: {
        type: "internal_transfer",
        internal_transfer: { type: "transfer_from_bank_account", transfer_from_bank_account: { description: "x" } },
      },
    });
    expect(received.map((r) => r.url)).toEqual([
      "/api/v2/session/multi/create/nominal",
      "/api/v2/session/multi/start/payment/nominal",
      "/api/v2/session/multi/init/payment/nominal",
      "/api/v2/session/init/payout/nominal",
      "/api/v2/session/init/payout/rko",
    ]);
    expect(received[0]!.raw.toString()).toBe("{}");
  });
});

describe("error mapping", () => {
  it("error envelope → Bank131ApiError with code, description and status", async () => {
    handler = (_req, res) =>
      json(res, 400, { status: "error", error: { code: "invalid_request", description: "amount_details.amount: must be a positive integer" } });
    const error = await client().status("ps_1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Bank131ApiError);
    expect(error).toBeInstanceOf(Bank131Error);
    const api = error as Bank131ApiError;
    expect(api.code).toBe("invalid_request");
    expect(api.description).toBe("amount_details.amount: must be a positive integer");
    expect(api.httpStatus).toBe(400);
    expect(api.isRetriable).toBe(false);
    expect(api.method).toBe("session/status");
  });

  it("error envelope on HTTP 200 is still an error", async () => {
    handler = (_req, res) => json(res, 200, { status: "error", error: { code: "session_wrong_state", description: "x" } });
    await expect(client().confirm("ps_1")).rejects.toMatchObject({ name: "Bank131ApiError", code: "session_wrong_state", httpStatus: 200 });
  });

  it("SDK-style {error} with ≥ 400 → Bank131ApiError; reject reasons are kept", async () => {
    handler = (_req, res) =>
      json(res, 403, { error: { code: "operation_rejected", description: "x", reject_reasons: [{ rule_alias: "r1", list_alias: "l1" }] } });
    await expect(client().status("ps_1")).rejects.toMatchObject({
      code: "operation_rejected",
      httpStatus: 403,
      rejectReasons: [{ rule_alias: "r1", list_alias: "l1" }],
    });
  });

  it("internal_error is the only retriable API error", async () => {
    handler = (_req, res) => json(res, 500, { status: "error", error: { code: "internal_error", description: "x" } });
    const error = (await client().status("ps_1").catch((e: unknown) => e)) as Bank131ApiError;
    expect(error.code).toBe("internal_error");
    expect(error.isRetriable).toBe(true);
    expect(error.outcomeUnknown).toBe(true);
  });

  it("timeout → Bank131NetworkError{timedOut:true}", async () => {
    handler = () => {
      /* never answer */
    };
    const started = Date.now();
    const error = (await client({ timeoutMs: 150 }).status("ps_1").catch((e: unknown) => e)) as Bank131NetworkError;
    expect(error).toBeInstanceOf(Bank131NetworkError);
    expect(error.timedOut).toBe(true);
    expect(error.isRetriable).toBe(true);
    expect(error.outcomeUnknown).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("timeout while the body is still streaming → Bank131NetworkError{timedOut:true}", async () => {
    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"status":"ok","session":');
    };
    const error = await client().status("ps_1", { timeoutMs: 150 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "Bank131NetworkError", timedOut: true });
  });

  it("caller abort → Bank131NetworkError{timedOut:false}", async () => {
    handler = () => {};
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await client().status("ps_1", { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "Bank131NetworkError", timedOut: false });
  });

  it("connection refused → Bank131NetworkError", async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const c = createBank131Client({ baseUrl: `http://127.0.0.1:${port}`, project: "p", privateKey: SDK_PRIVATE_PEM });
    const error = (await c.status("ps_1").catch((e: unknown) => e)) as Bank131NetworkError;
    expect(error).toBeInstanceOf(Bank131NetworkError);
    expect(error.timedOut).toBe(false);
    expect(error.code).toBe("ECONNREFUSED");
    expect(error.certainlyNotSent).toBe(true);
    expect(error.message).toContain(`127.0.0.1:${port}`);
  });

  it("a server that drops the connection → Bank131NetworkError (outcome unknown)", async () => {
    handler = (_req, res) => res.socket?.destroy();
    const error = (await client().status("ps_1").catch((e: unknown) => e)) as Bank131NetworkError;
    expect(error).toBeInstanceOf(Bank131NetworkError);
    expect(error.certainlyNotSent).toBe(false);
  });

  it("garbage → Bank131ProtocolError", async () => {
    const cases: [number, string, boolean][] = [
      [502, "<html>Bad Gateway</html>", true],
      [200, "not json", false],
      [200, "[1,2]", false],
      [200, '{"status":"ok"}', false], // no session
      [200, '{"foo":1}', false],
      [404, '{"message":"not found"}', false],
      [500, "", true],
      [200, JSON.stringify({ status: "ok", session: { id: "ps_1", status: "weird", created_at: "t", updated_at: "t" } }), false],
      [201, JSON.stringify({ status: "ok", session: { id: "ps_1", status: "created", created_at: "t", updated_at: "t" } }), false],
      [302, "", false],
    ];
    const c = client();
    for (const [status, body, retriable] of cases) {
      handler = (_req, res) => {
        res.writeHead(status, status === 302 ? { location: "/elsewhere" } : { "content-type": "application/json" });
        res.end(body);
      };
      const error = await c.status("ps_1").catch((e: unknown) => e);
      if (status === 201) {
        // 2xx with a valid body is fine.
        expect(error).toMatchObject({ status: "ok" });
        continue;
      }
      expect(error, `${status} ${body}`).toBeInstanceOf(Bank131ProtocolError);
      expect((error as Bank131ProtocolError).httpStatus).toBe(status);
      expect((error as Bank131ProtocolError).isRetriable).toBe(retriable);
    }
    // The redirect was not followed.
    expect(received.every((r) => r.url === "/api/v2/session/status")).toBe(true);
  });

  it("invalid bodies fail locally (nothing sent) without echoing card data", async () => {
    const pan = "4111111111111"; // 13 digits
    const error = (await client()
      .initPayout({
        payout_details: { type: "card", card: { type: "bank_card", bank_card: { number: pan } } },
        amount_details: { amount: 100.5, currency: "rub" },
      })
      .catch((e: unknown) => e)) as Bank131ValidationError;
    expect(error).toBeInstanceOf(Bank131ValidationError);
    expect(error.message).not.toContain(pan);
    expect(received).toHaveLength(0);
  });

  it("validate:false sends the body as given (CLI probing)", async () => {
    handler = (_req, res) => json(res, 400, { status: "error", error: { code: "invalid_request", description: "x" } });
    await expect(client().call("session/status", {} as never, { validate: false })).rejects.toBeInstanceOf(Bank131ApiError);
    expect(onlyRequest().raw.toString()).toBe("{}");
  });

  it("rejects header-breaking idempotency keys before sending", async () => {
    await expect(client().status("ps_1", { idempotencyKey: "a\r\nx-evil: 1" })).rejects.toBeInstanceOf(Bank131ValidationError);
    await expect(client().status("ps_1", { idempotencyKey: "" })).rejects.toBeInstanceOf(Bank131ValidationError);
    expect(received).toHaveLength(0);
  });
});

describe("client construction", () => {
  it("accepts a PEM string and parses it once", () => {
    const c = createBank131Client({ baseUrl: "http://127.0.0.1:1/", project: "p", privateKey: SDK_PRIVATE_PEM });
    expect(c.baseUrl).toBe("http://127.0.0.1:1");
    expect(c.apiVersion).toBe(2);
    expect(c.versionFor("token")).toBe(1);
    expect(c.versionFor("session/create")).toBe(2);
    const prepared = c.prepare("session/status", { session_id: "ps_3230" });
    expect(prepared.headers["x-partner-sign"]).toBe(vectors.B1.find((v) => v.name === "session_confirm_request")!.signature);
  });

  it("rejects bad keys, URLs and projects", () => {
    expect(() => createBank131Client({ baseUrl, project: "p", privateKey: "wrong_private_key_format" })).toThrow(Bank131KeyError);
    expect(() => createBank131Client({ baseUrl, project: "p", privateKey: sdkPublicKey })).toThrow(TypeError);
    expect(() => createBank131Client({ baseUrl: "not a url", project: "p", privateKey: sdkPrivateKey })).toThrow(TypeError);
    expect(() => createBank131Client({ baseUrl, project: "", privateKey: sdkPrivateKey })).toThrow(TypeError);
  });

  it("uses an injected fetch", async () => {
    const calls: string[] = [];
    const fakeFetch: typeof fetch = async (input) => {
      calls.push(String(input));
      return new Response(JSON.stringify(SESSION_V2), { status: 200 });
    };
    const res = await createBank131Client({ baseUrl: "https://demo.bank131.ru", project: "p", privateKey: sdkPrivateKey, fetch: fakeFetch }).status("ps_3230");
    expect(calls).toEqual(["https://demo.bank131.ru/api/v2/session/status"]);
    expect(res.session.id).toBe("ps_3230");
  });
});

describe("interpretResponse", () => {
  it("maps a malformed error envelope to a protocol error", () => {
    expect(() => interpretResponse("session/status", 400, '{"status":"error","error":{"description":"no code"}}')).toThrow(Bank131ProtocolError);
  });
});
