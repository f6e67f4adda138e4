import { expect, test } from "@playwright/test";
import { signInThroughForm } from "./helpers/sign-in";

// Against the production server: forged webhooks and guessed partner keys end in a clear 4xx and
// store nothing beyond the bounded sample. Each test claims its own client address (the e2e server
// trusts one X-Forwarded-For hop), so other specs' limits are not used up.

test("50 forged 60 KB webhooks: 401s, then 429 with Retry-After; operators see capped samples without bodies", async ({ page, request }) => {
  const address = "203.0.113.50";
  const body = JSON.stringify({ type: "payment_finished", session: { id: "ps_e2e_forged", status: "accepted" }, padding: "x".repeat(60 * 1024) });
  const answers: Array<{ status: number; code: string; retryAfter: string | undefined }> = [];
  for (let i = 0; i < 50; i++) {
    const response = await request.post("/api/webhooks/bank131", {
      headers: { "content-type": "application/json", "x-forwarded-for": address, ...(i % 2 ? { "x-partner-sign": "Zm9yZ2Vk" } : {}) },
      data: body,
    });
    answers.push({ status: response.status(), code: ((await response.json()) as { error: { code: string } }).error.code, retryAfter: response.headers()["retry-after"] });
  }
  expect(answers.slice(0, 30).every((answer) => answer.status === 401 && answer.code === "invalid_signature")).toBe(true);
  for (const answer of answers.slice(30)) {
    expect(answer).toMatchObject({ status: 429, code: "rate_limited" });
    expect(Number(answer.retryAfter)).toBeGreaterThan(0);
  }

  await signInThroughForm(page, "viewer");
  const inbox = (await (await page.request.get("/api/webhooks?verdict=rejected&limit=100")).json()) as {
    items: Array<{ rawBody: string | null; rejectedSample: { bytes: number; clientAddress: string; namedSessionId: string } | null }>;
  };
  const mine = inbox.items.filter((item) => item.rejectedSample?.clientAddress === address);
  expect(mine.length).toBeGreaterThan(0);
  expect(mine.length).toBeLessThanOrEqual(20);
  for (const item of mine) {
    expect(item.rawBody).toBeNull();
    expect(item.rejectedSample).toMatchObject({ bytes: Buffer.byteLength(body), namedSessionId: "ps_e2e_forged" });
  }
});

test("guessing partner API keys: 401 until the address's limit, then 429 with Retry-After", async ({ request }) => {
  const headers = { authorization: `Bearer pk_live_${"0".repeat(12)}_${"1".repeat(48)}`, "x-forwarded-for": "203.0.113.51" };
  for (let i = 0; i < 20; i++) expect((await request.get("/api/v1/payout-requests/0190f0f0-0000-7000-8000-000000000000", { headers })).status()).toBe(401);
  const limited = await request.get("/api/v1/payout-requests/0190f0f0-0000-7000-8000-000000000000", { headers });
  expect(limited.status()).toBe(429);
  expect(Number(limited.headers()["retry-after"])).toBeGreaterThan(3000);
  expect(await limited.json()).toMatchObject({ error: { code: "rate_limited", params: { retryAfterSeconds: expect.any(Number) } } });
});
