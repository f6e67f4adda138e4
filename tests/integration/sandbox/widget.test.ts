import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startSandbox, type SandboxProcess } from "@/tests/helpers/sandbox-process";

/** The card widget: loader script, iframe page, and the tokenization endpoint the iframe posts to. */

let sandbox: SandboxProcess;

beforeAll(async () => {
  sandbox = await startSandbox();
});

afterAll(async () => {
  await sandbox?.stop();
});

async function publicToken(): Promise<string> {
  return (await sandbox.api("token", { tokenize_widget: { access: true } })).body.public_token;
}

async function tokenize(body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${sandbox.url}/widget/v1/tokenize`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.status, body: (await res.json()) as any };
}

describe("assets", () => {
  test("the loader script defines window.Bank131CardWidget and checks origin and source", async () => {
    const res = await fetch(`${sandbox.url}/widget/v1/bank131-card-widget.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/javascript");
    const js = await res.text();
    expect(js).toContain("window.Bank131CardWidget = Bank131CardWidget");
    expect(js).toContain("event.origin !== SANDBOX_ORIGIN || event.source !== this.iframe.contentWindow");
    expect(js).toContain("/widget/v1/frame");
    expect(js).toContain("parent_origin: window.location.origin");
  });

  test("/widget/v1/integrity is the sha384 of the script exactly as served from that origin", async () => {
    const script = Buffer.from(await (await fetch(`${sandbox.url}/widget/v1/bank131-card-widget.js`)).arrayBuffer());
    const answer = (await (await fetch(`${sandbox.url}/widget/v1/integrity`)).json()) as { script: string; integrity: string };
    expect(answer).toEqual({ script: `${sandbox.url}/widget/v1/bank131-card-widget.js`, integrity: `sha384-${createHash("sha384").update(script).digest("base64")}` });
  });

  test("the frame may be embedded only by parent_origin (CSP frame-ancestors) and is localised", async () => {
    const token = await publicToken();
    const ru = await fetch(`${sandbox.url}/widget/v1/frame?public_token=${token}&locale=ru&parent_origin=${encodeURIComponent("https://portal.example:8443")}&widget_id=w1`);
    expect(ru.status).toBe(200);
    expect(ru.headers.get("content-security-policy")).toContain("frame-ancestors https://portal.example:8443");
    const html = await ru.text();
    expect(html).toContain('<html lang="ru">');
    expect(html).toContain('<label for="card-number">Номер карты</label>');
    expect(html).toContain('aria-describedby="card-hint card-error"');
    expect(html).toContain('inputmode="numeric"');
    expect(html).toContain("window.parent.postMessage(msg, cfg.parentOrigin)");

    const en = await (await fetch(`${sandbox.url}/widget/v1/frame?public_token=${token}&locale=en&parent_origin=${encodeURIComponent("http://localhost:3000")}&widget_id=w2`)).text();
    expect(en).toContain('<label for="card-number">Card number</label>');

    for (const bad of ["*", "javascript:alert(1)", "https://a.example/path", "https://a.example; script-src *"]) {
      const res = await fetch(`${sandbox.url}/widget/v1/frame?public_token=${token}&parent_origin=${encodeURIComponent(bad)}`);
      expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      expect(await res.text()).toContain("parent_origin_invalid");
    }
  });

  test("a spent, unknown or expired token is reported inside the frame at load", async () => {
    const html = await (await fetch(`${sandbox.url}/widget/v1/frame?public_token=${"0".repeat(64)}&locale=en&parent_origin=${encodeURIComponent("http://localhost:3000")}`)).text();
    expect(html).toContain("This form link is not valid");
    expect(html).toContain('"initialError":"public_token_invalid"');
  });

  test("the demo page renders the widget with a fresh token", async () => {
    const html = await (await fetch(`${sandbox.url}/widget/demo?locale=en`)).text();
    expect(html).toContain('<script src="/widget/v1/bank131-card-widget.js"></script>');
    expect(html).toMatch(/publicToken: "[0-9a-f]{64}"/);
  });
});

describe("tokenization endpoint", () => {
  test("returns the hash and masked data; the same card always yields the same hash", async () => {
    const a = await tokenize({ public_token: await publicToken(), number: "2200 2400 0001 4940" });
    expect(a.status).toBe(200);
    expect(a.body).toEqual({ status: "ok", number_hash: expect.stringMatching(/^[0-9a-f]{64}$/), last4: "4940", brand: "mir", bin: "220024" });
    const b = await tokenize({ public_token: await publicToken(), number: "2200240000014940" });
    expect(b.body.number_hash).toBe(a.body.number_hash);
    const info = await sandbox.api("token/info", { type: "card", card: { type: "encrypted_card", encrypted_card: { number_hash: a.body.number_hash } } });
    expect(info.body.info).toMatchObject({ brand: "mir", last4: "4940" });
  });

  test("the public token is single-use: spent after a successful tokenization", async () => {
    const token = await publicToken();
    expect((await tokenize({ public_token: token, number: "4276000000000017" })).status).toBe(200);
    const again = await tokenize({ public_token: token, number: "4276000000000017" });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("public_token_spent");
    const info = await sandbox.api("token/info", { type: "public_token", public_token: { token } });
    expect(info.body.info.is_active).toBe(false);
    const frame = await (await fetch(`${sandbox.url}/widget/v1/frame?public_token=${token}&parent_origin=${encodeURIComponent("http://localhost:3000")}`)).text();
    expect(frame).toContain('"initialError":"public_token_spent"');
  });

  test("unknown, expired and non-widget tokens are refused", async () => {
    const unknown = await tokenize({ public_token: "f".repeat(64), number: "4276000000000017" });
    expect([unknown.status, unknown.body.error.code]).toEqual([400, "public_token_invalid"]);

    const expiring = await publicToken();
    await sandbox.control.post(`/sandbox/public-tokens/${expiring}/expire`);
    const expired = await tokenize({ public_token: expiring, number: "4276000000000017" });
    expect([expired.status, expired.body.error.code]).toEqual([410, "public_token_expired"]);
    expect((await sandbox.api("token/info", { type: "public_token", public_token: { token: expiring } })).body.info.is_active).toBe(false);

    const selfEmployed = (await sandbox.api("token", { self_employed_widget: { tax_reference: "123456789012" } })).body.public_token;
    const wrongKind = await tokenize({ public_token: selfEmployed, number: "4276000000000017" });
    expect(wrongKind.body.error.code).toBe("public_token_not_for_widget");
  });

  test("Luhn failures and unsupported brands are refused without spending the token", async () => {
    const token = await publicToken();
    const luhn = await tokenize({ public_token: token, number: "2200240000014941" });
    expect([luhn.status, luhn.body.error.code]).toEqual([400, "card_number_invalid"]);
    const short = await tokenize({ public_token: token, number: "22002400" });
    expect(short.body.error.code).toBe("card_number_invalid");
    const amex = await tokenize({ public_token: token, number: "378282246310005" });
    expect(amex.body.error.code).toBe("card_brand_unsupported");
    // Still usable.
    expect((await tokenize({ public_token: token, number: "5536910000068371" })).status).toBe(200);
  });

  test("cross-origin posts are refused (only the sandbox's own iframe may post card numbers)", async () => {
    const res = await tokenize({ public_token: await publicToken(), number: "4276000000000017" }, { Origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("origin_not_allowed");
  });

  test("card numbers are neither logged nor stored", async () => {
    const number = "5100000000060051";
    expect((await tokenize({ public_token: await publicToken(), number })).status).toBe(200);
    const requests = JSON.stringify(await sandbox.control.get("/sandbox/requests?limit=10000"));
    expect(requests).not.toContain(number);
    expect(sandbox.output()).not.toContain(number);
    for (const file of readdirSync(sandbox.dataDir)) {
      expect(readFileSync(path.join(sandbox.dataDir, file), "utf8")).not.toContain(number);
    }
  });
});
