import { randomInt } from "node:crypto";
import type { ParsedRequestOf } from "@/lib/bank131/schemas";
import { requestFromWire, type ApiVersion } from "@/lib/bank131/wire";
import { ApiFailure, invalid } from "./api-error";
import type { SandboxConfig } from "./config";
import { maskedCard, type CardRecord, type Registry } from "./instruments";
import { servicesTotal, type ProfessionalIncomeTaxpayer, type SelfEmployed } from "./npd";
import type { Scheduler } from "./scheduler";
import { renderWebhookBody, type AmountDetails, type PaymentRec, type PayoutRec, type SessionDraft, type SessionKind, type SessionRec } from "./session-model";
import type { Store } from "./store";
import { ERROR_DESCRIPTIONS, FPS_BANKS, fpsPhoneBehaviour, maskPhone, ruAccountValid, type Behaviour } from "./test-instruments";
import { deepEqual, isObject, isoMicro, nextId } from "./util";
import type { WebhookSender } from "./webhooks";

/**
 * The session / payout state machine (api-reference §4.2):
 *   create → created; start → in_progress (payout in_progress); after the checks delay → ready_to_confirm
 *   (payout pending, next_action confirm); confirm → executed after a delay → accepted + succeeded, or
 *   cancelled + failed; cancel → cancelled + failed(session_cancelled_by_partner); no confirm in time →
 *   cancelled + failed(confirm_timeout). Every change is stored before the caller is answered.
 */

type StartBody = ParsedRequestOf<"session/start/payout">;
type InstrumentRequest = NonNullable<StartBody["payout_details"]>;

interface ResolvedInstrument {
  output: Record<string, unknown>;
  behaviour: Behaviour;
  label: string;
  card?: CardRecord;
  accountToken?: string;
}

/** Bank requisites shown in escrow confirm_information (values from seed 004). */
const ESCROW_REQUISITES = {
  customer: { account_number: "40702810700200000000", bank_name: "Bank 131", bik: "049205131", correspondent_account_number: "30101810822000000000" },
  recipient: { account_number: "30233810000000000000", bank_name: "Bank 131", bik: "049205123", correspondent_account_number: "30101810822000000974" },
};

export class Engine {
  constructor(
    private readonly store: Store,
    private readonly registry: Registry,
    private readonly scheduler: Scheduler,
    private readonly webhooks: WebhookSender,
    private readonly config: SandboxConfig,
    private readonly npd: SelfEmployed,
  ) {
    scheduler.on("checks", (job) => this.onChecks(job.ref));
    scheduler.on("execute", (job) => this.onExecute(job.ref));
    scheduler.on("confirm_deadline", (job) => this.onConfirmDeadline(job.ref));
    scheduler.on("resolve_error", (job) => this.onResolveError(job.ref));
    scheduler.on("refund", (job) => this.onRefund(job.ref));
  }

  // ---- queries -------------------------------------------------------------------------------------

  get(id: string): SessionRec | undefined {
    return this.store.get<SessionRec>("sessions", id);
  }

  list(): SessionRec[] {
    return this.store.all<SessionRec>("sessions");
  }

  private load(id: string): SessionRec {
    const s = this.get(id);
    if (!s) throw invalid(`session_id: session ${id} not found`);
    return s;
  }

  private save(s: SessionRec, event: string): void {
    const now = isoMicro();
    s.updated_at = now;
    s.history.push({ at: now, event });
    this.store.put("sessions", s.id, s);
  }

  private emit(type: string, s: SessionRec): void {
    this.webhooks.enqueue(type, s.id, renderWebhookBody(type, s));
  }

  /** POST /sandbox/webhooks/trigger: any webhook type for the session's current state, now. */
  trigger(type: string, sessionId: string): ReturnType<WebhookSender["enqueue"]> {
    const s = this.load(sessionId);
    return this.webhooks.enqueue(type, s.id, renderWebhookBody(type, s), "trigger");
  }

  // ---- API methods ---------------------------------------------------------------------------------

  create(kind: SessionKind, body: SessionDraft, version: ApiVersion, project: string): SessionRec {
    const now = isoMicro();
    const s: SessionRec = {
      id: nextId(this.store, "ps"),
      kind,
      api_version: version,
      project,
      status: "created",
      created_at: now,
      updated_at: now,
      draft: pickDraft(body),
      history: [],
    };
    this.save(s, "created");
    return s;
  }

  start(kind: SessionKind, sessionId: string, body: SessionDraft, version: ApiVersion, method: string, fiscalized = false): SessionRec {
    const s = this.load(sessionId);
    if (s.status === "cancelled") throw new ApiFailure("session_cancelled", `session ${s.id} is cancelled`);
    if (s.status !== "created") throw new ApiFailure("session_wrong_state", `session ${s.id} is ${s.status}; ${method} needs a created session`);
    if (s.kind !== kind) {
      const expected = s.kind === "nominal" ? "session/multi/start/payment/nominal" : "session/start/payout";
      throw invalid(`session_id: session ${s.id} is a ${s.kind} session; start it with ${expected}`);
    }
    // Seed 004: metadata given to session/create does not show up on the payout; start's metadata does.
    const { metadata: _createMetadata, ...fromCreate } = s.draft;
    const draft = { ...fromCreate, ...pickDraft(body) };
    if (fiscalized) checkFiscalization(draft);
    else if (draft.fiscalization_details !== undefined) throw invalid(`fiscalization_details: send it with session/start/payout/fiscalization`);
    const prepared = this.prepare(s.kind, draft, version);
    s.fiscalized = fiscalized || undefined;
    this.apply(s, draft, prepared);
    return s;
  }

  init(kind: SessionKind, body: SessionDraft, version: ApiVersion, project: string, fiscalized = false): SessionRec {
    // Validate everything before the session exists, so a rejected init leaves nothing behind.
    const draft = pickDraft(body);
    if (fiscalized) checkFiscalization(draft);
    else if (draft.fiscalization_details !== undefined) throw invalid(`fiscalization_details: send it with session/init/payout/fiscalization`);
    const prepared = this.prepare(kind, draft, version);
    const s = this.create(kind, {}, version, project);
    if (fiscalized) s.fiscalized = true;
    this.apply(s, draft, prepared);
    return s;
  }

  /** fps/customer_verification: a session whose payout succeeds when the phone belongs to the named person. */
  verify(body: { payout_details: unknown; participant_details: unknown; metadata?: unknown }, project: string, version: ApiVersion): SessionRec {
    const details = body.payout_details as { bank_account: { faster_payment_system_verification: { phone: string; bank_id: string } } };
    const { phone, bank_id } = details.bank_account.faster_payment_system_verification;
    const field = version === 1 ? "payment_method" : "payout_details";
    assertFpsBank(bank_id, `${field}.bank_account.faster_payment_system_verification.bank_id`);
    const s = this.create("verification", {}, version, project);
    const now = isoMicro();
    s.payout = stripUndefined<PayoutRec>({
      id: nextId(this.store, "po"),
      status: "in_progress",
      created_at: now,
      payout_details: body.payout_details as Record<string, unknown>,
      participant_details: body.participant_details,
      metadata: body.metadata,
    });
    s.status = "in_progress";
    const outcome = fpsPhoneBehaviour(phone);
    s.behaviour = outcome === "verified" ? { kind: "success" } : { kind: "fail", code: outcome === "unknown" ? "account_not_found" : "recipient_data_mismatch", stage: "checks" };
    s.instrument_label = `SBP check ${maskPhone(phone)}`;
    this.scheduler.schedule("checks", s.id, this.config.timing.readyDelayMs);
    this.save(s, "verification started");
    return s;
  }

  /**
   * Standalone `fiscalization`: registers the income of a finished payout that went without fiscalization
   * and answers the details with their receipt (no webhook; UNCONFIRMED).
   */
  fiscalize(sessionId: string, details: ProfessionalIncomeTaxpayer, project: string): Record<string, unknown> {
    const s = this.load(sessionId);
    if (s.project !== project) throw invalid(`session_id: session ${sessionId} not found`);
    const payout = s.payout;
    if (s.kind === "verification" || s.status !== "accepted" || payout?.status !== "succeeded" || !payout.amount_details) {
      throw new ApiFailure("session_wrong_state", `session ${s.id} is ${s.status}; fiscalization needs a session whose payout succeeded`);
    }
    if (s.fiscalized) throw new ApiFailure("session_wrong_state", `session ${s.id} already has a receipt`);
    assertServicesMatch(details, payout.amount_details, "fiscalization_details.professional_income_taxpayer.services");
    const result = this.npd.registerIncome(details, payout.amount_details.amount, { session_id: s.id, payout_id: payout.id });
    if ("error" in result) throw new ApiFailure(result.error, ERROR_DESCRIPTIONS[result.error] ?? result.error);
    const fiscalization = { professional_income_taxpayer: { ...details, receipt: { id: result.id, link: result.link } } };
    payout.fiscalization_details = fiscalization;
    s.fiscalized = true;
    this.save(s, `fiscalized: receipt ${result.id}`);
    return fiscalization;
  }

  confirm(sessionId: string, rawBody: unknown, version: ApiVersion): SessionRec {
    const s = this.load(sessionId);
    this.assertAwaitingDecision(s, "confirm");
    this.checkConfirmInformation(s, rawBody, version);
    delete s.next_action;
    this.scheduler.cancel("confirm_deadline", s.id);
    this.scheduler.schedule("execute", s.id, this.config.timing.executeDelayMs);
    this.save(s, "confirmed");
    return s;
  }

  cancel(sessionId: string, rawBody: unknown, version: ApiVersion): SessionRec {
    const s = this.load(sessionId);
    // Reference §3.1: "created waits for start/cancel". Nothing has started, so there is no payout to
    // fail and no webhook to send (UNCONFIRMED: the real bank may notify).
    if (s.status === "created") {
      s.status = "cancelled";
      s.finished_at = isoMicro();
      this.save(s, "cancelled before start");
      return s;
    }
    this.assertAwaitingDecision(s, "cancel");
    this.checkConfirmInformation(s, rawBody, version);
    this.scheduler.cancel("confirm_deadline", s.id);
    this.finishFailed(s, "session_cancelled_by_partner", "cancelled by partner");
    return s;
  }

  status(sessionId: string): SessionRec {
    return this.load(sessionId);
  }

  // ---- start helpers -------------------------------------------------------------------------------

  private prepare(kind: SessionKind, draft: SessionDraft, version: ApiVersion): { instrument: ResolvedInstrument; amount: AmountDetails } {
    const field = version === 1 ? "payment_method" : "payout_details";
    if (draft.payout_details === undefined) throw invalid(`${field}: is required (it was not given in session/create)`);
    if (draft.amount_details === undefined) throw invalid("amount_details: is required (it was not given in session/create)");
    if (kind !== "payout" && draft.payment_details === undefined) throw invalid("payment_details: is required");
    const instrument = this.resolveInstrument(draft.payout_details as InstrumentRequest, field);
    if (draft.fiscalization_details !== undefined) {
      assertServicesMatch(fiscalDetails(draft), draft.amount_details, "fiscalization_details.professional_income_taxpayer.services");
    }
    return { instrument, amount: draft.amount_details };
  }

  private apply(s: SessionRec, draft: SessionDraft, prepared: { instrument: ResolvedInstrument; amount: AmountDetails }): void {
    const now = isoMicro();
    const { instrument, amount } = prepared;
    const payout: PayoutRec = {
      id: nextId(this.store, "po"),
      status: "in_progress",
      created_at: now,
      customer: draft.customer,
      // Seed 004 shows escrow cards without bin (in the payout and in confirm_information).
      payout_details: s.kind === "nominal" ? withoutBin(instrument.output) : instrument.output,
      participant_details: draft.participant_details,
      amount_details: amount,
      fiscalization_details: draft.fiscalization_details,
      metadata: draft.metadata,
    };
    s.payout = stripUndefined(payout);
    if (s.kind !== "payout") {
      const payment: PaymentRec = {
        id: nextId(this.store, "pm"),
        status: "in_progress",
        created_at: now,
        customer: draft.customer,
        payment_details: withCardMask(draft.payment_details, instrument.card),
        amount_details: amount,
        participant_details: draft.participant_details,
      };
      s.payment = stripUndefined(payment);
    }
    s.status = "in_progress";
    s.behaviour = instrument.behaviour;
    s.instrument_label = instrument.label;
    const delay = instrument.behaviour.kind === "slow" ? this.config.timing.slowReadyDelayMs : this.config.timing.readyDelayMs;
    this.scheduler.schedule("checks", s.id, delay);
    this.save(s, "started");
  }

  private resolveInstrument(req: InstrumentRequest, field: string): ResolvedInstrument {
    switch (req.type) {
      case "card": {
        const card = req.card;
        let record: CardRecord | undefined;
        if (card.type === "encrypted_card") {
          record = this.registry.card(card.encrypted_card.number_hash);
          if (!record) throw invalid(`${field}.card.encrypted_card.number_hash: unknown card hash (tokenize the card with the widget or POST /sandbox/cards)`);
        } else if (card.type === "tokenized_card") {
          const token = this.registry.token(card.tokenized_card.token);
          if (!token || token.type !== "card" || !token.number_hash) throw invalid(`${field}.card.tokenized_card.token: unknown card token`);
          record = this.registry.card(token.number_hash);
          if (!record) throw invalid(`${field}.card.tokenized_card.token: unknown card token`);
        } else {
          record = this.registry.registerCard(card.bank_card.number) ?? undefined;
          if (!record) throw invalid(`${field}.card.bank_card.number: is not a valid card number`);
        }
        return { output: { type: "card", card: maskedCard(record) }, behaviour: record.behaviour, label: cardLabel(record), card: record };
      }
      case "recurrent": {
        const token = this.registry.token(req.recurrent.token);
        if (!token || token.type !== "recurrent" || !token.number_hash) throw invalid(`${field}.recurrent.token: unknown recurrent token`);
        if (!token.is_active || (token.finished_at && Date.parse(token.finished_at) < Date.now())) {
          throw invalid(`${field}.recurrent.token: the recurrent token is not active`);
        }
        const record = this.registry.card(token.number_hash);
        if (!record) throw invalid(`${field}.recurrent.token: unknown recurrent token`);
        // Seed 000 echoes the recurrent token itself, not a masked card.
        return { output: { type: "recurrent", recurrent: { token: token.token } }, behaviour: record.behaviour, label: `recurrent ${cardLabel(record)}`, card: record };
      }
      case "bank_account": {
        const ba = req.bank_account;
        if (ba.system_type === "faster_payment_system") {
          const { phone, bank_id } = ba.faster_payment_system;
          assertFpsBank(bank_id, `${field}.bank_account.faster_payment_system.bank_id`);
          // SBP payouts are never returned (docs: they cannot be refunded), so no behaviour here refunds.
          const behaviour: Behaviour = fpsPhoneBehaviour(phone) === "unknown" ? { kind: "fail", code: "account_not_found", stage: "execution" } : { kind: "success" };
          return { output: { type: "bank_account", bank_account: structuredClone(ba) as unknown as Record<string, unknown> }, behaviour, label: `SBP ${maskPhone(phone)}` };
        }
        const ru = ba.ru;
        let bik: string;
        let account: string;
        let accountToken: string;
        if (ru.token !== undefined) {
          const token = this.registry.token(ru.token);
          if (!token || token.type !== "bank_account_ru" || !token.bik || !token.account) throw invalid(`${field}.bank_account.ru.token: unknown bank account token`);
          bik = token.bik;
          account = token.account;
          accountToken = token.token;
        } else {
          bik = ru.bik ?? "";
          account = ru.account ?? "";
          if (!ruAccountValid(bik, account)) throw invalid(`${field}.bank_account.ru.account: control key does not match the BIK`);
          accountToken = this.registry.bankAccountToken(bik, account).token;
        }
        return {
          output: { type: "bank_account", bank_account: { system_type: "ru", ru: { ...ru } } },
          behaviour: this.registry.accountBehaviour(bik, account),
          label: `account ${this.registry.maskedAccount(account)}`,
          accountToken,
        };
      }
      case "wallet":
        return { output: { type: "wallet", wallet: req.wallet as Record<string, unknown> }, behaviour: { kind: "success" }, label: `wallet ${req.wallet.type}` };
    }
  }

  // ---- decision helpers ----------------------------------------------------------------------------

  private assertAwaitingDecision(s: SessionRec, action: string): void {
    if (s.status === "cancelled") throw new ApiFailure("session_cancelled", `session ${s.id} is cancelled`);
    if (s.status !== "in_progress" || s.next_action !== "confirm") {
      const state = s.next_action ? `${s.status}/${s.next_action}` : s.status;
      throw new ApiFailure("session_wrong_state", `session ${s.id} is ${state}; ${action} is possible only after ready_to_confirm`);
    }
  }

  /** Escrow: confirm_information from ready_to_confirm must come back unchanged on confirm and cancel. */
  private checkConfirmInformation(s: SessionRec, rawBody: unknown, version: ApiVersion): void {
    if (!s.confirm_information) return;
    const canonical = requestFromWire(rawBody, version);
    const sent = isObject(canonical) ? canonical.confirm_information : undefined;
    if (sent === undefined) throw invalid("confirm_information: is required for escrow sessions (copy it from ready_to_confirm)");
    if (!deepEqual(sent, s.confirm_information)) throw invalid("confirm_information: does not match the one sent in ready_to_confirm");
  }

  // ---- timed steps ---------------------------------------------------------------------------------

  private onChecks(id: string): void {
    const s = this.get(id);
    if (!s || s.status !== "in_progress" || s.payout?.status !== "in_progress") return;
    const behaviour = s.behaviour ?? { kind: "success" };
    if (behaviour.kind === "fail" && behaviour.stage === "checks") {
      this.finishFailed(s, behaviour.code);
      return;
    }
    // A verification moves no money: its outcome is final here, without ready_to_confirm.
    if (s.kind === "verification") {
      this.finishSucceeded(s);
      return;
    }
    // The bank asks the tax service before it offers the payout for confirmation.
    const problem = s.fiscalized && s.payout.amount_details ? this.npd.payoutProblem(fiscalDetails(s.payout).tax_reference, s.payout.amount_details.amount) : null;
    if (problem) {
      this.finishFailed(s, problem);
      return;
    }
    s.payout.status = "pending";
    if (s.payment) s.payment.status = "pending";
    s.next_action = "confirm";
    if (s.kind === "nominal") s.confirm_information = this.buildConfirmInformation(s);
    this.scheduler.schedule("confirm_deadline", s.id, this.config.timing.confirmTimeoutMs);
    this.save(s, "ready_to_confirm");
    this.emit("ready_to_confirm", s);
  }

  private onExecute(id: string): void {
    const s = this.get(id);
    if (!s || s.status !== "in_progress" || s.next_action || s.payout?.status !== "pending") return;
    const behaviour = s.behaviour ?? { kind: "success" };
    if (behaviour.kind === "fail") {
      this.finishFailed(s, behaviour.code);
    } else if (behaviour.kind === "error") {
      // Outcome unknown on the Bank's side: status error is not final; no webhook until it resolves.
      s.status = "error";
      s.error = { code: "provider_internal_error", description: ERROR_DESCRIPTIONS.provider_internal_error ?? "unexpected error" };
      this.scheduler.schedule("resolve_error", s.id, this.config.timing.errorResolveDelayMs);
      this.save(s, "error");
    } else {
      if (s.fiscalized && !this.attachReceipt(s)) return;
      this.finishSucceeded(s);
      if (behaviour.kind === "refund") this.scheduler.schedule("refund", s.id, this.config.timing.refundDelayMs);
    }
  }

  /** Registers the income in «Мой налог» as the money goes out; false if that failed the payout. */
  private attachReceipt(s: SessionRec): boolean {
    if (!s.payout?.amount_details) return true;
    const details = fiscalDetails(s.payout);
    const result = this.npd.registerIncome(details, s.payout.amount_details.amount, { session_id: s.id, payout_id: s.payout.id });
    if ("error" in result) {
      this.finishFailed(s, result.error);
      return false;
    }
    s.payout.fiscalization_details = { professional_income_taxpayer: { ...details, receipt: { id: result.id, link: result.link } } };
    return true;
  }

  private onResolveError(id: string): void {
    const s = this.get(id);
    if (!s || s.status !== "error") return;
    delete s.error;
    if (s.fiscalized && !this.attachReceipt(s)) return;
    this.finishSucceeded(s);
  }

  private onConfirmDeadline(id: string): void {
    const s = this.get(id);
    if (!s || s.status !== "in_progress" || s.next_action !== "confirm") return;
    this.finishFailed(s, "confirm_timeout");
  }

  private onRefund(id: string): void {
    const s = this.get(id);
    if (!s || s.status !== "accepted" || !s.payout?.amount_details || s.payout.status !== "succeeded" || (s.payout.refunds?.length ?? 0) > 0) return;
    const now = isoMicro();
    s.payout.refunds = [
      { id: nextId(this.store, "rf"), status: "accepted", created_at: now, finished_at: now, amount_details: { ...s.payout.amount_details }, is_chargeback: false },
    ];
    this.save(s, "refunded");
    this.emit("payment_refunded", s);
  }

  private finishSucceeded(s: SessionRec): void {
    const now = isoMicro();
    if (s.payout) {
      s.payout.status = "succeeded";
      s.payout.finished_at = now;
      s.payout.transaction_info = this.transactionInfo(s);
    }
    if (s.payment) {
      s.payment.status = "succeeded";
      s.payment.finished_at = now;
    }
    delete s.next_action;
    s.status = "accepted";
    s.finished_at = now;
    this.save(s, "accepted");
    this.emit("payment_finished", s);
  }

  /** Failed payout → session cancelled (UNCONFIRMED choice, see README) + payment_finished. */
  private finishFailed(s: SessionRec, code: string, event = `failed: ${code}`): void {
    const now = isoMicro();
    const error = { code, description: ERROR_DESCRIPTIONS[code] ?? code };
    if (s.payout) {
      s.payout.status = "failed";
      s.payout.finished_at = now;
      s.payout.error = error;
    }
    if (s.payment) {
      s.payment.status = "failed";
      s.payment.finished_at = now;
      s.payment.error = { ...error };
    }
    delete s.next_action;
    s.status = "cancelled";
    s.finished_at = now;
    this.save(s, event);
    this.emit("payment_finished", s);
  }

  private transactionInfo(s: SessionRec): Record<string, string> | undefined {
    const details = s.payout?.payout_details;
    if (details?.type === "bank_account") {
      const ru = (details.bank_account as { ru?: { token?: string; bik?: string; account?: string } } | undefined)?.ru;
      if (!ru) return undefined;
      const token = ru.token ?? (ru.bik && ru.account ? this.registry.bankAccountToken(ru.bik, ru.account).token : undefined);
      return token ? { bank_account_ru_token: token } : undefined;
    }
    if (details?.type === "card" || details?.type === "recurrent") {
      return { rrn: String(randomInt(100000, 999999)) + String(randomInt(100000, 999999)), auth_code: String(randomInt(100000, 999999)) };
    }
    return undefined;
  }

  private buildConfirmInformation(s: SessionRec): Record<string, unknown> {
    const participants = (s.payout?.participant_details ?? {}) as { sender?: { full_name?: string }; recipient?: { full_name?: string } };
    const transfer = (s.payment?.payment_details as { internal_transfer?: Record<string, unknown> } | undefined)?.internal_transfer;
    const target = transfer && typeof transfer.type === "string" ? (transfer[transfer.type] as { description?: string } | undefined) : undefined;
    const instrument = { ...(s.payout?.payout_details ?? {}) };
    return {
      transfer_details: {
        payout_details: instrument,
        customer: { ...ESCROW_REQUISITES.customer, name: participants.sender?.full_name ?? "Partner" },
        recipient: { ...ESCROW_REQUISITES.recipient, name: participants.recipient?.full_name ?? "Recipient" },
        purpose: target?.description ?? "Payout",
        amount: { ...(s.payout?.amount_details ?? { amount: 0, currency: "rub" }) },
      },
    };
  }
}

function pickDraft(body: SessionDraft): SessionDraft {
  const draft: SessionDraft = {};
  if (body.payout_details !== undefined) draft.payout_details = body.payout_details;
  if (body.payment_details !== undefined) draft.payment_details = body.payment_details;
  if (body.amount_details !== undefined) draft.amount_details = body.amount_details;
  if (body.participant_details !== undefined) draft.participant_details = body.participant_details;
  if (body.customer !== undefined) draft.customer = body.customer;
  if (body.fiscalization_details !== undefined) draft.fiscalization_details = body.fiscalization_details;
  if (body.metadata !== undefined) draft.metadata = body.metadata;
  return draft;
}

/** The request's fiscalization details (on a draft or, as sent, on the payout), validated by the lib schema. */
function fiscalDetails(holder: { fiscalization_details?: unknown }): ProfessionalIncomeTaxpayer {
  return (holder.fiscalization_details as { professional_income_taxpayer: ProfessionalIncomeTaxpayer }).professional_income_taxpayer;
}

/** The fiscalization methods need the details and the recipient's name (SDK builder), from create or start. */
function checkFiscalization(draft: SessionDraft): void {
  if (draft.fiscalization_details === undefined) throw invalid("fiscalization_details: is required (it was not given in session/create)");
  const recipient = (draft.participant_details as { recipient?: { full_name?: string } } | undefined)?.recipient;
  if (!recipient?.full_name) throw invalid("participant_details.recipient.full_name: is required for a payout with fiscalization");
}

/** The receipt's total is the payout: services × quantity must add up to it, in roubles (UNCONFIRMED rule). */
function assertServicesMatch(details: ProfessionalIncomeTaxpayer, amount: AmountDetails, path: string): void {
  if (amount.currency.toLowerCase() !== "rub") throw invalid("amount_details.currency: a payout with fiscalization must be in rub");
  if (details.services.some((service) => service.amount_details.currency.toLowerCase() !== "rub")) throw invalid(`${path}: amounts must be in rub`);
  const total = servicesTotal(details.services);
  if (total !== amount.amount) throw invalid(`${path}: amount × quantity must add up to amount_details.amount (${total} ≠ ${amount.amount})`);
}

function assertFpsBank(bankId: string, path: string): void {
  if (!FPS_BANKS.some((bank) => bank.id === bankId)) throw invalid(`${path}: unknown SBP bank (see fps/banks)`);
}

function stripUndefined<T extends object>(obj: T): T {
  for (const key of Object.keys(obj) as (keyof T)[]) if (obj[key] === undefined) delete obj[key];
  return obj;
}

function cardLabel(card: CardRecord): string {
  return `${card.brand} ${card.bin}••${card.last4}`;
}

/** Seed 004: the internal transfer shows the card as 553691******8371. */
function withCardMask(paymentDetails: unknown, card: CardRecord | undefined): Record<string, unknown> {
  const details = structuredClone(isObject(paymentDetails) ? paymentDetails : {}) as Record<string, unknown>;
  const transfer = details.internal_transfer;
  if (card && isObject(transfer) && typeof transfer.type === "string" && isObject(transfer[transfer.type])) {
    (transfer[transfer.type] as Record<string, unknown>).card_mask = `${card.bin}******${card.last4}`;
  }
  return details;
}

function withoutBin(output: Record<string, unknown>): Record<string, unknown> {
  if (output.type !== "card" || !isObject(output.card)) return output;
  const { bin: _bin, ...card } = output.card;
  return { ...output, card };
}
