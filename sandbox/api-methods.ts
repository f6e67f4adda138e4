import { z } from "zod";
import { describeZodError, validateRequest, type Bank131Method, type ParsedRequestOf } from "@/lib/bank131/schemas";
import type { ApiVersion } from "@/lib/bank131/wire";
import { invalid } from "./api-error";
import type { SandboxContext } from "./context";
import { maskedCard } from "./instruments";
import { renderSession, type SessionDraft, type SessionRec } from "./session-model";
import type { ProfessionalIncomeTaxpayer } from "./npd";
import { FPS_BANKS, ruAccountValid, maskAccount } from "./test-instruments";
import { isoMicro } from "./util";

/**
 * One function per partner-API method. Bodies arrive validated by lib/bank131's request schemas (canonical
 * v2 names); the sandbox adds the semantic checks (known ids, tokens, states) and answers in the caller's
 * API-version spelling.
 */

/**
 * Local adapter: lib/bank131's token/info schema knows card, public_token and recurrent_token only. The
 * sandbox also answers for bank-account tokens under the type name `bank_account_ru` (UNCONFIRMED name,
 * chosen to match `tokenize`).
 */
const BankAccountTokenInfoSchema = z.object({
  type: z.literal("bank_account_ru"),
  bank_account_ru: z.object({ token: z.string().min(1, "must not be empty") }),
});

type Parsed =
  | { method: "token/info"; bankAccount: true; data: z.output<typeof BankAccountTokenInfoSchema> }
  | { method: Bank131Method; bankAccount: false; data: unknown };

export function validateBody(method: Bank131Method, version: ApiVersion, body: unknown): Parsed {
  if (method === "token/info" && typeof body === "object" && body !== null && (body as { type?: unknown }).type === "bank_account_ru") {
    const parsed = BankAccountTokenInfoSchema.safeParse(body);
    if (!parsed.success) throw invalid(describeZodError(parsed.error));
    return { method, bankAccount: true, data: parsed.data };
  }
  const result = validateRequest(method, version, body);
  if (!result.ok) throw invalid(result.description);
  return { method, bankAccount: false, data: result.data };
}

export interface MethodResult {
  status: number;
  body: unknown;
}

const ok = (fields: Record<string, unknown>): MethodResult => ({ status: 200, body: { status: "ok", ...fields } });

export function runMethod(ctx: SandboxContext, parsed: Parsed, version: ApiVersion, rawBody: unknown, project: string): MethodResult {
  const { engine } = ctx;
  const session = (s: SessionRec) => ok({ session: renderSession(s, version) });
  if (parsed.bankAccount) return tokenInfoBankAccount(ctx, parsed.data.bank_account_ru.token);
  const data = parsed.data;
  switch (parsed.method) {
    case "token": {
      const body = data as ParsedRequestOf<"token">;
      const widgets = Object.keys(body).filter((k) => body[k as keyof typeof body] !== undefined);
      const record = ctx.registry.issuePublicToken(project, widgets, ctx.config.timing.publicTokenTtlMs, body.self_employed_widget?.tax_reference);
      return ok({ public_token: record.token });
    }
    case "tokenize": {
      const { bik, account } = (data as ParsedRequestOf<"tokenize">).bank_account_ru;
      if (!ruAccountValid(bik, account)) throw invalid("bank_account_ru.account: control key does not match the BIK");
      const record = ctx.registry.bankAccountToken(bik, account);
      return ok({ token: record.token, data: { masked_account: maskAccount(account) } });
    }
    case "token/info":
      return tokenInfo(ctx, data as ParsedRequestOf<"token/info">);
    case "session/create":
      return session(engine.create("payout", data as SessionDraft, version, project));
    case "session/multi/create/nominal":
      return session(engine.create("nominal", data as SessionDraft, version, project));
    case "session/start/payout": {
      const body = data as ParsedRequestOf<"session/start/payout">;
      return session(engine.start("payout", body.session_id, body as SessionDraft, version, parsed.method));
    }
    case "session/multi/start/payment/nominal": {
      const body = data as ParsedRequestOf<"session/multi/start/payment/nominal">;
      return session(engine.start("nominal", body.session_id, body as SessionDraft, version, parsed.method));
    }
    case "session/init/payout":
      return session(engine.init("payout", data as SessionDraft, version, project));
    case "session/init/payout/nominal":
    case "session/multi/init/payment/nominal":
      return session(engine.init("nominal", data as SessionDraft, version, project));
    case "session/init/payout/rko":
      return session(engine.init("rko", data as SessionDraft, version, project));
    case "session/confirm":
      return session(engine.confirm((data as ParsedRequestOf<"session/confirm">).session_id, rawBody, version));
    case "session/cancel":
      return session(engine.cancel((data as ParsedRequestOf<"session/cancel">).session_id, rawBody, version));
    case "session/status":
      return session(engine.status((data as ParsedRequestOf<"session/status">).session_id));
    case "session/init/payout/fiscalization":
      return session(engine.init("payout", data as SessionDraft, version, project, true));
    case "session/start/payout/fiscalization": {
      const body = data as ParsedRequestOf<"session/start/payout/fiscalization">;
      return session(engine.start("payout", body.session_id, body as SessionDraft, version, parsed.method, true));
    }
    case "fiscalization": {
      const body = data as ParsedRequestOf<"fiscalization">;
      const details = body.fiscalization_details.professional_income_taxpayer as ProfessionalIncomeTaxpayer;
      return ok({ fiscalization_details: engine.fiscalize(body.session_id, details, project) });
    }
    case "npd/check": {
      const rec = ctx.npd.check(project, (data as ParsedRequestOf<"npd/check">).tax_reference);
      // The tax service has not answered yet: the result comes from npd/request/status (UNCONFIRMED: "pending").
      return { status: 200, body: { status: "pending", request_id: rec.id } };
    }
    case "npd/request/status": {
      const requestId = (data as ParsedRequestOf<"npd/request/status">).request_id;
      const answer = ctx.npd.requestStatus(project, requestId);
      if (!answer) throw invalid("request_id: unknown request (send npd/check first)");
      return { status: 200, body: answer };
    }
    case "fps/banks":
      return ok({ banks: FPS_BANKS });
    case "fps/customer_verification":
      return session(engine.verify(data as ParsedRequestOf<"fps/customer_verification">, project, version));
  }
}

function tokenInfo(ctx: SandboxContext, body: ParsedRequestOf<"token/info">): MethodResult {
  const { registry } = ctx;
  switch (body.type) {
    case "card": {
      const card = body.card;
      if (card.type === "encrypted_card") {
        const record = registry.card(card.encrypted_card.number_hash);
        if (!record) throw invalid("card.encrypted_card.number_hash: unknown card hash");
        return ok({ info: { type: "card", ...maskedCard(record), number_hash: record.number_hash } });
      }
      if (card.type === "tokenized_card") {
        const token = registry.token(card.tokenized_card.token);
        const record = token?.type === "card" && token.number_hash ? registry.card(token.number_hash) : undefined;
        if (!token || !record) throw invalid("card.tokenized_card.token: unknown card token");
        return ok({ info: { type: "card", ...maskedCard(record), token: token.token } });
      }
      throw invalid("card.type: token/info accepts encrypted_card or tokenized_card");
    }
    case "public_token": {
      const record = registry.publicToken(body.public_token.token);
      if (!record) throw invalid("public_token.token: unknown public token");
      const expired = Date.now() >= record.expires_at_ms;
      return ok({
        info: {
          token: record.token,
          created_at: record.created_at,
          finished_at: record.spent_at ?? isoMicro(record.expires_at_ms),
          is_active: !record.spent_at && !expired,
        },
      });
    }
    case "recurrent_token": {
      const token = registry.token(body.recurrent_token.token);
      if (!token || token.type !== "recurrent") throw invalid("recurrent_token.token: unknown recurrent token");
      const active = token.is_active && (!token.finished_at || Date.parse(token.finished_at) > Date.now());
      return ok({ info: { token: token.token, created_at: token.created_at, finished_at: token.finished_at, is_active: active, initiator: "merchant" } });
    }
  }
}

function tokenInfoBankAccount(ctx: SandboxContext, value: string): MethodResult {
  const token = ctx.registry.token(value);
  if (!token || token.type !== "bank_account_ru" || !token.account) throw invalid("bank_account_ru.token: unknown bank account token");
  return ok({ info: { type: "bank_account_ru", token: token.token, bik: token.bik, masked_account: maskAccount(token.account), created_at: token.created_at, is_active: token.is_active } });
}
