/**
 * Human sentences for Bank 131 error codes (api-reference §5), for operators and recipients.
 * The Bank warns that codes may change without notice, hence the generic fallback.
 */

export type Locale = "ru" | "en";

type Sentences = { ru: string; en: string };

const MESSAGES: Record<string, Sentences> = {
  // Request / auth level
  identification_error: {
    ru: "Банк не смог определить проект партнёра (проверьте X-PARTNER-PROJECT).",
    en: "The Bank could not identify the partner project (check X-PARTNER-PROJECT).",
  },
  authentication_error: {
    ru: "Подпись запроса не прошла проверку (проверьте X-PARTNER-SIGN и ключ).",
    en: "The request signature was rejected (check X-PARTNER-SIGN and the key).",
  },
  authorization_error: {
    ru: "У проекта нет прав на эту операцию.",
    en: "The project is not allowed to perform this operation.",
  },
  invalid_request: {
    ru: "Запрос содержит неверные или неполные данные.",
    en: "The request contains invalid or missing data.",
  },
  internal_error: {
    ru: "Внутренняя ошибка банка. Результат операции неизвестен — проверьте статус сессии.",
    en: "Internal Bank error. The outcome is unknown — check the session status.",
  },
  idempotency_key_already_exists: {
    ru: "Запрос с этим ключом идемпотентности уже был отправлен — проверьте статус сессии.",
    en: "A request with this idempotency key was already sent — check the session status.",
  },
  session_wrong_state: {
    ru: "Сессия находится в состоянии, в котором это действие недоступно.",
    en: "The session is in a state that does not allow this action.",
  },
  session_cancelled: {
    ru: "Сессия отменена.",
    en: "The session has been cancelled.",
  },
  session_cancelled_by_partner: {
    ru: "Выплата отменена партнёром.",
    en: "The payout was cancelled by the partner.",
  },

  // Operation level (payout.error.code)
  "3DS_error": {
    ru: "Ошибка проверки 3-D Secure.",
    en: "3-D Secure verification failed.",
  },
  account_not_found: {
    ru: "Счёт получателя не найден.",
    en: "The recipient account was not found.",
  },
  activity_count_exceeded: {
    ru: "Превышено допустимое количество операций.",
    en: "The allowed number of operations has been exceeded.",
  },
  amount_less_allowed_provider: {
    ru: "Сумма меньше минимально допустимой.",
    en: "The amount is below the allowed minimum.",
  },
  bank_card_expired: {
    ru: "Срок действия карты истёк.",
    en: "The card has expired.",
  },
  binding_is_deactivated: {
    ru: "Привязка карты или счёта отключена.",
    en: "The card or account binding has been deactivated.",
  },
  capture_timeout: {
    ru: "Истекло время на подтверждение списания.",
    en: "The time allowed for capture has expired.",
  },
  card_number_does_not_exist: {
    ru: "Карта с таким номером не существует.",
    en: "No card with this number exists.",
  },
  confirm_timeout: {
    ru: "Выплата не была подтверждена вовремя и отменена.",
    en: "The payout was not confirmed in time and was cancelled.",
  },
  declined_by_issuer_bank: {
    ru: "Банк получателя отклонил операцию.",
    en: "The recipient's bank declined the operation.",
  },
  not_permitted_by_issuer_bank: {
    ru: "Банк получателя не разрешает такую операцию.",
    en: "The recipient's bank does not permit this operation.",
  },
  insufficient_funds: {
    ru: "Недостаточно средств.",
    en: "Insufficient funds.",
  },
  insufficient_wallet_balance: {
    ru: "Недостаточно средств на балансе партнёра в банке для выплаты.",
    en: "The partner's balance at the Bank is too low for this payout.",
  },
  refund_amount_too_large: {
    ru: "Сумма возврата превышает сумму операции.",
    en: "The refund amount exceeds the operation amount.",
  },
  operation_rejected: {
    ru: "Операция отклонена службой безопасности.",
    en: "The operation was rejected by security checks.",
  },
  provider_internal_error: {
    ru: "Ошибка на стороне платёжного провайдера.",
    en: "The payment provider reported an internal error.",
  },
  provider_issuer_unavailable: {
    ru: "Банк получателя временно недоступен.",
    en: "The recipient's bank is temporarily unavailable.",
  },
  provider_foreign_transfer_prohibited: {
    ru: "Переводы на иностранные карты запрещены.",
    en: "Transfers to foreign cards are prohibited.",
  },
  provider_exceeds_amount_limit: {
    ru: "Превышен лимит суммы.",
    en: "The amount limit has been exceeded.",
  },
  provider_timeout: {
    ru: "Платёжный провайдер не ответил вовремя.",
    en: "The payment provider did not respond in time.",
  },
  npd_service_internal_error: {
    ru: "Ошибка сервиса ФНС «Мой налог».",
    en: "The tax service (self-employed regime) reported an error.",
  },
  wallet_internal_error: {
    ru: "Внутренняя ошибка кошелька.",
    en: "Internal wallet error.",
  },
  routing_internal_error: {
    ru: "Внутренняя ошибка маршрутизации платежа.",
    en: "Internal payment routing error.",
  },
  taxpayer_unknown: {
    ru: "Налогоплательщик не найден.",
    en: "The taxpayer is unknown.",
  },
  taxpayer_not_bound: {
    ru: "Самозанятый не привязан к банку.",
    en: "The self-employed person is not linked to the Bank.",
  },
  taxpayer_already_bound: {
    ru: "Самозанятый уже привязан к банку.",
    en: "The self-employed person is already linked to the Bank.",
  },
  taxpayer_income_exceeds_amount_limit: {
    ru: "Доход самозанятого превысит допустимый годовой лимит.",
    en: "The self-employed person's income would exceed the annual limit.",
  },
};

const FALLBACK: Sentences = {
  ru: "Банк отклонил операцию. Код ошибки: {code}.",
  en: "The Bank rejected the operation. Error code: {code}.",
};

/** Codes with a dedicated sentence. */
export const KNOWN_ERROR_CODES: readonly string[] = Object.keys(MESSAGES);

export function isKnownErrorCode(code: string): boolean {
  return Object.hasOwn(MESSAGES, code);
}

/** A sentence for `code` in `locale`; unknown codes get a generic sentence naming the code. */
export function describeBankError(code: string, locale: Locale = "ru"): string {
  const entry = Object.hasOwn(MESSAGES, code) ? MESSAGES[code] : undefined;
  if (entry) return entry[locale];
  // Codes come from the Bank; keep only a safe charset before putting one into UI text.
  const safeCode = code.replace(/[^A-Za-z0-9_.-]/g, "").slice(0, 64) || "unknown";
  return FALLBACK[locale].replace("{code}", safeCode);
}
