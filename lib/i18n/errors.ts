import { describeBankError } from "../bank131/messages";
import type { ErrorCode } from "../http/errors";
import { plural } from "../format/numbers";
import { formatTime } from "../format/time";
import { formatKopecks } from "../money";
import { issueParams, type ErrorParams, type IssueLike } from "../payouts/errors";
import type { ApprovalRuleName } from "../payouts/rules";

/**
 * The one RU/EN catalogue of error sentences. Every answer of the portal carries
 * `{ code, params?, field? }` (lib/http/errors.ts); pages word it here and never read the English
 * `message`. Bank codes keep their own vocabulary (lib/bank131/messages.ts), called from here.
 * Runs in the browser: no server imports.
 */

export type ErrorLocale = "ru" | "en";

/** Codes the browser makes up itself: no answer at all, or the bank's widget would not load. */
export const CLIENT_ERROR_CODES = ["network", "widget_load_failed"] as const;
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];
export type CatalogueCode = ErrorCode | ClientErrorCode;

/** What is needed to word an error: an ApiError, an action's error body or a stored answer. */
export interface CodedError {
  code: string;
  params?: ErrorParams;
  field?: string;
}

type Wording = Record<ErrorLocale, (params: ErrorParams) => string>;
const fixed = (ru: string, en: string): Wording => ({ ru: () => ru, en: () => en });

const money = (value: unknown) => (typeof value === "number" ? formatKopecks(value) : "—");

/** A wait in whole minutes (at least one), for throttling refusals. */
function waitText(seconds: unknown, locale: ErrorLocale): string {
  const minutes = Math.max(1, Math.ceil((typeof seconds === "number" ? seconds : 60) / 60));
  return locale === "ru" ? `${minutes} ${plural(minutes, ["минуту", "минуты", "минут"])}` : `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

const RULES: Record<ApprovalRuleName, Wording> = {
  amount_mismatch: {
    ru: (p) => `сумма, которую готов выплатить банк (${money(p.bankAmount)}), не совпадает с заявкой (${money(p.requestAmount)}). Отмените выплату.`,
    en: (p) => `the bank is about to pay ${money(p.bankAmount)} but the request is for ${money(p.requestAmount)}. Cancel the payout.`,
  },
  currency_mismatch: {
    ru: (p) => `валюта выплаты в банке (${String(p.bankCurrency)}) не совпадает с заявкой (${String(p.requestCurrency)}). Отмените выплату.`,
    en: (p) => `the bank's currency (${String(p.bankCurrency)}) differs from the request's (${String(p.requestCurrency)}). Cancel the payout.`,
  },
  escrow_amount_mismatch: {
    ru: (p) => `сумма перевода с номинального счёта (${money(p.bankAmount)}) не совпадает с заявкой (${money(p.requestAmount)}). Отмените выплату.`,
    en: (p) => `the escrow transfer is for ${money(p.bankAmount)} but the request is for ${money(p.requestAmount)}. Cancel the payout.`,
  },
  deadline_passed: fixed("срок подтверждения в банке истёк — банк сам отменит выплату.", "the bank's confirmation window has passed; the bank will cancel the payout."),
  confirm_information_missing: fixed(
    "банк ещё не прислал данные перевода (confirm_information) для выплаты с номинального счёта. Решение можно принять, когда они придут — банк повторяет уведомление, пока не получит ответ.",
    "the bank has not yet sent the transfer details (confirm_information) for this escrow payout. You can decide once they arrive — the bank re-sends the notice until it is answered.",
  ),
};

/** Names of the approval fingerprint's fields (lib/payouts/fingerprint.ts), for `approval_changed`. */
const FINGERPRINT_FIELD: Record<string, Record<ErrorLocale, string>> = {
  amountKopecks: { ru: "сумма", en: "amount" },
  currency: { ru: "валюта", en: "currency" },
  recipientName: { ru: "получатель", en: "recipient" },
  instrument: { ru: "карта или счёт получателя", en: "the recipient's card or account" },
  sourceAccount: { ru: "счёт списания", en: "source account" },
  confirmInformation: { ru: "данные перевода с номинального счёта", en: "escrow transfer details" },
};

function changedText(changed: unknown, locale: ErrorLocale): string {
  const names = Array.isArray(changed) ? changed.map((field) => FINGERPRINT_FIELD[String(field)]?.[locale] ?? String(field)) : [];
  return names.length > 0 ? names.join(", ") : "—";
}

const ruleWording = (params: ErrorParams, locale: ErrorLocale): string => {
  const rule = RULES[params.rule as ApprovalRuleName] as Wording | undefined;
  return rule ? rule[locale](params) : locale === "ru" ? "выплата не прошла проверку." : "the payout failed a check.";
};

/** Operators' wording of every code (the recipient page overrides a few below). */
const CATALOGUE: Record<CatalogueCode, Wording> = {
  invalid_request: {
    ru: (p) => fieldRule(p, "ru") ?? "Проверьте введённые данные.",
    en: (p) => fieldRule(p, "en") ?? "Check the details you entered.",
  },
  validation: {
    ru: (p) => fieldRule(p, "ru") ?? "Проверьте введённые данные.",
    en: (p) => fieldRule(p, "en") ?? "Check the details you entered.",
  },
  unauthorized: fixed("Сессия истекла. Войдите снова и повторите.", "Your session has expired. Sign in again and retry."),
  forbidden: fixed("У вашей роли нет прав на это действие.", "Your role does not allow this action."),
  not_found: fixed("Выплата не найдена.", "The payout was not found."),
  payload_too_large: fixed("Слишком большой запрос.", "The request is too large."),
  csrf: fixed(
    "Запрос отклонён: он отправлен не со страницы портала. Обновите страницу и повторите.",
    "The request was refused because it did not come from a portal page. Reload the page and retry.",
  ),
  too_many_streams: fixed(
    "Открыто слишком много вкладок с живыми обновлениями. Закройте лишние и обновите страницу.",
    "Too many tabs are receiving live updates. Close some and reload the page.",
  ),
  invalid_signature: fixed("Подпись запроса не прошла проверку.", "The request signature did not verify."),
  invalid_idempotency_key: fixed("Неверный ключ идемпотентности (Idempotency-Key).", "The Idempotency-Key is invalid."),
  idempotency_key_reused: fixed(
    "Этот ключ идемпотентности уже использован для другого запроса — для нового запроса нужен новый ключ.",
    "This Idempotency-Key was already used with a different request; use a new key for a new request.",
  ),
  idempotency_request_in_progress: fixed("Запрос с этим ключом ещё выполняется — повторите чуть позже.", "A request with this key is still running; retry in a moment."),
  idempotency_conflict: fixed("Такой запрос уже выполняется или выполнен с другими данными.", "This request is already running or was made with other data."),
  internal_error: fixed(
    "Сбой на стороне портала. Запрос мог выполниться или нет — проверьте, прежде чем повторять.",
    "Something went wrong on our side; the request may or may not have taken effect — check before retrying.",
  ),
  instrument_unknown: fixed(
    "Эти реквизиты не найдены для этой выплаты. Введите их заново.",
    "These payment details are not known for this payout; enter them again.",
  ),
  sbp_not_verified: fixed(
    "Реквизиты СБП ещё не проверены банком: сначала проверьте телефон и банк получателя.",
    "The SBP details are not verified yet: verify the recipient's phone and bank first.",
  ),
  sbp_bank_unknown: fixed("Этого банка нет в списке участников СБП.", "This bank is not in the SBP participants list."),
  sbp_phone_fixed: fixed("Телефон для выплаты указал плательщик; другой номер использовать нельзя.", "The payer set the phone for this payout; another number cannot be used."),
  sbp_verification_failed: {
    ru: (p) => sbpVerificationWording(p, "ru"),
    en: (p) => sbpVerificationWording(p, "en"),
  },
  operator_exists: fixed("Оператор с таким email уже есть.", "An operator with this email already exists."),
  last_admin: fixed(
    "Это последний активный администратор: сначала назначьте администратором кого-то ещё.",
    "This is the last active admin; make someone else an admin first.",
  ),
  wrong_password: fixed("Текущий пароль указан неверно.", "The current password is not correct."),
  invite_invalid: fixed("Ссылка недействительна. Попросите администратора прислать новую.", "This link is not valid. Ask an admin for a new one."),
  invite_used: fixed(
    "По этой ссылке пароль уже задан. Войдите с ним или попросите администратора прислать новую ссылку.",
    "A password was already set with this link. Sign in with it, or ask an admin for a new link.",
  ),
  invite_expired: fixed("Срок действия ссылки истёк. Попросите администратора прислать новую.", "This link has expired. Ask an admin for a new one."),
  sign_in_throttled: {
    ru: (p) => `Слишком много неудачных попыток входа. Вход временно заблокирован. Повторите через ${waitText(p.retryAfterSeconds, "ru")}.`,
    en: (p) => `Too many failed sign-ins. Try again in ${waitText(p.retryAfterSeconds, "en")}.`,
  },
  rate_limited: {
    ru: (p) => `Слишком много попыток. Повторите через ${waitText(p.retryAfterSeconds, "ru")}.`,
    en: (p) => `Too many attempts. Try again in ${waitText(p.retryAfterSeconds, "en")}.`,
  },
  claimed_by_other: {
    ru: (p) => `Выплата в работе у другого оператора: ${String(p.by ?? "—")}, до ${formatTime(String(p.until ?? ""))} МСК. До этого времени решение за ним; снять захват может администратор.`,
    en: (p) => `${String(p.by ?? "Another operator")} holds this payout until ${formatTime(String(p.until ?? ""))} Moscow time; only they can decide now. An admin can break the claim.`,
  },
  claim_not_held: fixed("Выплату сейчас никто не держит в работе (или захват уже снят) — обновите страницу.", "Nobody holds this payout now (or the claim was already released); reload the page."),
  webhook_endpoint_not_found: fixed("Такого адреса для вебхуков нет (возможно, его удалили) — обновите страницу.", "No such webhook endpoint (it may have been deleted); reload the page."),
  webhook_url_refused: {
    ru: (p) => (p.reason === "credentials" ? "Адрес не должен содержать логин и пароль." : "Адрес должен начинаться с https:// (http:// — только для локального приёмника при разработке)."),
    en: (p) => (p.reason === "credentials" ? "The URL must not carry a user name or password." : "The URL must start with https:// (http:// only for a local receiver in development)."),
  },
  link_expired: fixed("Срок действия ссылки истёк.", "The link has expired."),
  link_revoked: fixed("Ссылка отозвана.", "The link was revoked."),
  link_used: fixed("По этой ссылке выплата уже запрошена.", "A payout was already requested with this link."),
  invalid_state: fixed("Выплата уже в другом статусе — обновите страницу.", "The payout has moved on; reload the page."),
  approval_rule: {
    ru: (p) => `Правила согласования не позволяют подтвердить выплату: ${ruleWording(p, "ru")}`,
    en: (p) => `The approval rules do not allow this payout: ${ruleWording(p, "en")}`,
  },
  four_eyes: fixed(
    "Вы создали эту выплату и не можете её одобрить: одобрить должен другой согласующий (принцип четырёх глаз).",
    "You created this payout and cannot approve it: another approver must approve it (four-eyes rule).",
  ),
  already_approved: fixed(
    "Вы уже одобрили эту выплату. Второе одобрение должен дать другой согласующий.",
    "You have already approved this payout. The second approval must come from another approver.",
  ),
  approval_limit_daily: {
    ru: (p) => `Превышен ваш дневной лимит одобрений (${money(p.limit)} в сутки по Москве): сегодня одобрено ${money(p.used)}, осталось ${money(p.left)}.`,
    en: (p) => `This exceeds your daily approval limit (${money(p.limit)} per Moscow day): ${money(p.used)} approved today, ${money(p.left)} left.`,
  },
  approval_limit_payout: {
    ru: (p) => `Сумма выплаты (${money(p.amount)}) больше вашего лимита на одну выплату (${money(p.limit)}). Её должен одобрить другой согласующий.`,
    en: (p) => `The payout (${money(p.amount)}) is over your per-payout limit (${money(p.limit)}). Another approver must approve it.`,
  },
  approval_changed: {
    ru: (p) => `Выплата изменилась после одобрения: ${changedText(p.changed, "ru")}. Прежние одобрения сняты — проверьте выплату и одобрите её заново.`,
    en: (p) => `The payout changed since it was approved: ${changedText(p.changed, "en")}. Earlier approvals were withdrawn — check the payout and approve it again.`,
  },
  bank_rejected: {
    ru: (p) => `Банк не принял операцию: ${describeBankError(String(p.bankCode ?? "unknown"), "ru")}`,
    en: (p) => `The bank refused: ${describeBankError(String(p.bankCode ?? "unknown"), "en")}`,
  },
  bank_unavailable: fixed(
    "Банк сейчас не отвечает. Результат проверим у банка сами — попробуйте ещё раз через минуту.",
    "The bank is not answering right now. We will check the outcome with the bank — try again in a minute.",
  ),
  npd_annual_limit: {
    ru: (p) =>
      `Выплата превысит годовой лимит дохода самозанятого (${money(p.limit)} за календарный год по Москве): в этом году уже выплачено или выплачивается ${money(p.used)}, эта выплата — ${money(p.amount)}, остаток — ${money(p.left)}.`,
    en: (p) =>
      `This payout would take the self-employed person's income past the annual limit (${money(p.limit)} per Moscow calendar year): ${money(p.used)} paid or being paid this year, this payout ${money(p.amount)}, ${money(p.left)} left.`,
  },
  npd_not_linked: fixed(
    "Получатель ещё не подтвердил статус самозанятого, привязанного к Банку 131: выплату можно начать только после этого.",
    "The recipient is not yet confirmed as a self-employed person linked to Bank 131: the payout can start only after that.",
  ),
  batch_total_mismatch: {
    ru: (p) => `Введённая сумма не совпадает с итогом: ${money(p.totalKopecks)}. Проверьте файл и введите итог ещё раз.`,
    en: (p) => `The typed total does not match the batch total of ${money(p.totalKopecks)}. Check the file and type the total again.`,
  },
  batch_empty: {
    ru: (p) =>
      Array.isArray(p.missing) && p.missing.length > 0
        ? `В файле нет обязательных столбцов: ${p.missing.join(", ")}.`
        : "В файле нет ни одной строки без ошибок — создавать нечего.",
    en: (p) =>
      Array.isArray(p.missing) && p.missing.length > 0 ? `The file lacks required columns: ${p.missing.join(", ")}.` : "The file has no row without errors; there is nothing to create.",
  },
  network: fixed("Нет связи с порталом. Проверьте подключение и попробуйте ещё раз.", "No connection to the portal. Check your connection and try again."),
  widget_load_failed: fixed("Не удалось загрузить форму банка. Проверьте интернет и попробуйте ещё раз.", "Could not load the bank's form. Check your internet and try again."),
};

/** The recipient is not an operator: links are "the payer's", and there is nothing to check on our side. */
const RECIPIENT_WORDING: Partial<Record<CatalogueCode, Wording>> = {
  bank_unavailable: fixed(
    "Банк сейчас не отвечает. Ничего не потеряно — попробуйте ещё раз через минуту.",
    "The bank is not answering right now. Nothing is lost — try again in a minute.",
  ),
  bank_rejected: fixed("Банк не принял данные. Проверьте их или укажите другие реквизиты.", "The bank did not accept the details. Check them or use other details."),
  link_revoked: fixed("Ссылка отозвана плательщиком.", "The payer revoked this link."),
  link_expired: fixed("Срок действия ссылки истёк.", "This link has expired."),
  link_used: fixed("По этой ссылке выплата уже запрошена — показываем её статус.", "A payout was already requested with this link — showing its status."),
  not_found: fixed("Ссылка не найдена.", "Link not found."),
  invalid_request: fixed("Проверьте введённые данные.", "Check the details you entered."),
  validation: fixed("Проверьте введённые данные.", "Check the details you entered."),
  network: fixed("Нет связи с сервером. Проверьте интернет и попробуйте ещё раз.", "No connection to the server. Check your internet and try again."),
  internal_error: fixed("Что-то пошло не так на нашей стороне. Попробуйте ещё раз.", "Something went wrong on our side. Try again."),
};

export type ErrorAudience = "operator" | "recipient";

export function hasWording(code: string): code is CatalogueCode {
  return Object.hasOwn(CATALOGUE, code);
}

/** The sentence for an error; unknown codes read as an internal error (never the raw message). */
export function errorMessage(error: CodedError, locale: ErrorLocale = "ru", audience: ErrorAudience = "operator"): string {
  const code: CatalogueCode = hasWording(error.code) ? error.code : "internal_error";
  const wording = (audience === "recipient" ? RECIPIENT_WORDING[code] : undefined) ?? CATALOGUE[code];
  return wording[locale](error.params ?? {});
}

// ---------------------------------------------------------------------------------------------------------------
// Field-level wording: zod issues (in the browser) and a server's field refusals share it.

const FIELD_RULES: Record<string, Record<ErrorLocale, string>> = {
  beneficiary_inn_required: { ru: "Для выплаты с номинального счёта укажите ИНН бенефициара.", en: "Escrow payouts need the beneficiary's INN." },
  beneficiary_name_required: { ru: "Укажите наименование бенефициара.", en: "Escrow payouts need the beneficiary's name." },
  escrow_card_only: {
    ru: "С номинального счёта выплачивают только на карту: через виджет банка или на сохранённую карту.",
    en: "Escrow payouts go to cards (the bank's widget or a saved card).",
  },
  saved_card_required: { ru: "Выберите сохранённую карту получателя.", en: "Choose one of the recipient's saved cards." },
  recurrent_token_required: { ru: "Укажите рекуррентный токен.", en: "Enter the recurrent token." },
  instrument_not_allowed: { ru: "Для этого способа реквизиты укажет получатель.", en: "For this method the recipient provides the card or account." },
  sbp_phone_not_allowed: { ru: "Телефон СБП указывают только для выплаты через СБП.", en: "The SBP phone is only for SBP payouts." },
  sbp_purpose_too_long: { ru: "Для выплаты через СБП назначение — не больше 140 символов.", en: "SBP payouts allow at most 140 characters of purpose." },
  services_sum_mismatch: {
    ru: "Сумма услуг (цена × количество) должна быть равна сумме выплаты.",
    en: "The services (amount × quantity) must add up to the payout amount.",
  },
  self_employed_regular_only: {
    ru: "Самозанятому выплачивают только с основного счёта.",
    en: "Self-employed payouts are paid from the regular account.",
  },
  self_employed_method: {
    ru: "Самозанятому выплачивают на карту, на счёт или по СБП.",
    en: "Self-employed payouts go to a card, a bank account or SBP.",
  },
  // Bulk payout files (lib/payouts/batch-csv.ts).
  amount_format: { ru: "Сумма — рубли с копейками цифрами, например 1 234,56 или 1234.56.", en: "The amount is roubles and kopecks in digits, e.g. 1234.56." },
  formula_cell: { ru: "Ячейка с формулой (начинается с «=»): укажите значение.", en: "The cell is a formula (starts with =); put the value instead." },
  csv_unreadable: { ru: "Файл не читается как CSV (например, незакрытая кавычка).", en: "The file cannot be read as CSV (e.g. an unclosed quote)." },
  duplicate_reference_in_file: { ru: "Такой референс уже есть в файле выше.", en: "This reference already appears above in the file." },
  duplicate_reference_existing: { ru: "Выплата с таким референсом уже есть.", en: "A payout with this reference already exists." },
};

/** Checks of lib/validation (params.check) worded for a row that has no form field to sit next to. */
const FIELD_CHECKS: Record<string, Record<ErrorLocale, string>> = {
  required: { ru: "Заполните поле.", en: "Fill in this field." },
  invalid_characters: { ru: "Недопустимые символы.", en: "Characters that are not allowed." },
  invalid_length: { ru: "Неверная длина.", en: "Wrong length." },
  invalid_checksum: { ru: "Не сходится контрольная сумма.", en: "The checksum does not match." },
  too_short: { ru: "Слишком коротко.", en: "Too short." },
  too_long: { ru: "Слишком длинно.", en: "Too long." },
  too_few_words: { ru: "Укажите фамилию и имя (и отчество, если есть), как в паспорте.", en: "Enter the surname and given name as in the passport." },
  too_many_words: { ru: "ФИО должно состоять не более чем из 4 слов.", en: "The name must have at most 4 words." },
  mixed_script: { ru: "В слове смешаны русские и латинские буквы.", en: "A word mixes Cyrillic and Latin letters." },
  invalid_word: { ru: "Дефис и апостроф допустимы только между буквами.", en: "Hyphens and apostrophes are allowed only between letters." },
};

/** Why the bank did not verify SBP details (`params.code` is the bank's code), in the operator's words. */
function sbpVerificationWording(params: ErrorParams, locale: ErrorLocale): string {
  const ru = locale === "ru";
  if (params.code === "account_not_found") {
    return ru ? "Банк не нашёл этот телефон в СБП выбранного банка: получатель не подключил его к СБП или выбрал не тот банк." : "The bank did not find this phone in SBP at the chosen bank: the recipient has not linked it to SBP or chose another bank.";
  }
  if (params.code === "recipient_data_mismatch") {
    return ru ? "Телефон в выбранном банке принадлежит другому человеку: имя не совпадает с получателем выплаты." : "The phone at the chosen bank belongs to someone else: the name does not match the payout's recipient.";
  }
  return ru ? `Банк не подтвердил реквизиты СБП (${String(params.code ?? "—")}).` : `The bank did not verify the SBP details (${String(params.code ?? "—")}).`;
}

/** A field's problem from its params (`issue` = the zod issue code, with `minimum`/`maximum`), or null. */
function fieldRule(params: ErrorParams, locale: ErrorLocale, field?: string): string | null {
  const ru = locale === "ru";
  if (typeof params.rule === "string" && FIELD_RULES[params.rule]) return FIELD_RULES[params.rule]![locale];
  if (typeof params.check === "string" && FIELD_CHECKS[params.check]) return FIELD_CHECKS[params.check]![locale];
  switch (params.issue) {
    case "too_big":
      if (field === "amountKopecks" || field === "amount_kopecks")
        return ru ? `Сумма больше допустимой: не более ${money(params.maximum)}.` : `The amount is over the limit: at most ${money(params.maximum)}.`;
      return ru ? `Не больше ${String(params.maximum)} символов.` : `At most ${String(params.maximum)} characters.`;
    case "too_small":
      if (params.minimum === 1) return ru ? "Заполните поле." : "Fill in this field.";
      return ru ? `Нужно не меньше ${String(params.minimum)} символов.` : `At least ${String(params.minimum)} characters.`;
    case "invalid_format":
      if (params.format === "email") return ru ? "Введите email целиком, например ivan@example.ru, или оставьте поле пустым." : "Enter a whole email, e.g. ivan@example.com, or leave it empty.";
      return ru ? "Допустимы только латинские буквы, цифры, «-» и «_»." : "Only Latin letters, digits, - and _ are allowed.";
    case "invalid_value":
      return ru ? "Выберите один из вариантов." : "Choose one of the options.";
    case "invalid_type":
      return ru ? "Заполните поле." : "Fill in this field.";
    default:
      return null;
  }
}

/** The sentence next to a field for a server's field refusal (`validation`/`invalid_request` with params). */
export function fieldErrorMessage(error: CodedError, locale: ErrorLocale = "ru"): string {
  return fieldRule(error.params ?? {}, locale, error.field) ?? errorMessage(error, locale);
}

/**
 * A zod error map in the given language, for parses in the browser (`schema.safeParse(value, { error })`
 * or zodResolver's schema options). Messages a schema sets itself (lib/money, lib/validation) win.
 */
export function zodErrorMap(locale: ErrorLocale) {
  return (issue: IssueLike): string => fieldRule(issueParams(issue), locale) ?? (locale === "ru" ? "Проверьте значение." : "Check this value.");
}

/**
 * Every code's sentence for the recipient, in one language and without params: the recipient page
 * hands these to its browser, which then needs neither this catalogue nor its imports.
 */
export function recipientErrorSentences(locale: ErrorLocale): Record<string, string> {
  return Object.fromEntries(Object.keys(CATALOGUE).map((code) => [code, errorMessage({ code }, locale, "recipient")]));
}
