/**
 * Every string of the recipient's payout-link page (/p/<token>), in Russian and English, plus the
 * language choice: the `recipient_locale` cookie (set by the page's RU/EN switch) wins, then the
 * browser's Accept-Language, then Russian. Pure module: used by server components and client islands.
 */

import { formatDateTimeLong } from "../format/time";
import { errorMessage } from "./errors";
import type { PayoutStatus } from "../payouts/state-machine";

export const RECIPIENT_LOCALES = ["ru", "en"] as const;
export type RecipientLocale = (typeof RECIPIENT_LOCALES)[number];
export const DEFAULT_RECIPIENT_LOCALE: RecipientLocale = "ru";
export const RECIPIENT_LOCALE_COOKIE = "recipient_locale";
/** A year; the cookie only remembers a language. */
export const RECIPIENT_LOCALE_COOKIE_MAX_AGE = 365 * 24 * 60 * 60;

export function isRecipientLocale(value: unknown): value is RecipientLocale {
  return value === "ru" || value === "en";
}

/**
 * `Accept-Language` → "ru" | "en" by quality value (`en-US,en;q=0.9,ru;q=0.8` → en). A header naming
 * neither language gives null, so the caller falls back to Russian, the product's main language.
 */
export function localeFromAcceptLanguage(header: string | null | undefined): RecipientLocale | null {
  if (!header) return null;
  let best: RecipientLocale | null = null;
  let bestQ = 0;
  for (const part of header.slice(0, 512).split(",")) {
    const [tag = "", ...params] = part.trim().split(";");
    const primary = tag.trim().toLowerCase().split("-")[0];
    if (!isRecipientLocale(primary)) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    // Ties keep the earlier entry: the header's order is the browser's order of preference.
    if (Number.isFinite(q) && q > bestQ) {
      best = primary;
      bestQ = q;
    }
  }
  return best;
}

export function negotiateRecipientLocale(input: { cookie?: string | null; acceptLanguage?: string | null }): RecipientLocale {
  if (isRecipientLocale(input.cookie)) return input.cookie;
  return localeFromAcceptLanguage(input.acceptLanguage) ?? DEFAULT_RECIPIENT_LOCALE;
}


interface StatusText {
  title: string;
  /** One or two sentences under the title; `payer` is who pays, `to` the card or account label. */
  body: (args: { payer: string; to: string | null; kind: "card" | "bank_account" | "sbp" | null }) => string;
}

export interface RecipientDictionary {
  htmlLang: string;
  brand: string;
  bankName: string;
  titleSuffix: string;
  language: { group: string; ru: string; en: string; switching: string };
  summary: {
    sends: (payer: string) => string;
    amount: string;
    recipient: string;
    purpose: string;
    payoutNumber: string;
    validUntil: (date: string) => string;
  };
  footer: { secure: string; questions: (payer: string) => string };
  pageTitle: { active: string; expired: string; revoked: string; notFound: string };
  card: {
    heading: string;
    intro: string;
    widgetLoading: string;
    widgetFailed: string;
    reloadForm: string;
    tokenSpent: string;
    checking: string;
    frameTitleHint: string;
  };
  account: {
    heading: string;
    intro: string;
    bikLabel: string;
    bikHint: string;
    accountLabel: string;
    accountHint: string;
    submit: string;
    checking: string;
    maskedAccount: (masked: string) => string;
    bikValue: (bik: string) => string;
  };
  confirm: {
    heading: string;
    intro: string;
    recipient: string;
    card: string;
    to: string;
    amount: string;
    payer: string;
    submit: string;
    submitting: string;
    otherCard: string;
    editAccount: string;
    note: string;
  };
  status: {
    heading: string;
    progress: string;
    steps: { submitted: string; approval: string; paid: string; failed: string; cancelled: string; refunded: string };
    stepState: { done: string; current: string; upcoming: string; failed: string };
    to: string;
    card: (label: string) => string;
    account: (masked: string) => string;
    autoUpdate: string;
    updateFailed: string;
    bankPendingTitle: string;
    bankPending: string;
    bankPendingRetry: string;
    bankPendingRetrying: string;
    byStatus: Record<PayoutStatus, StatusText>;
  };
  link: {
    expiredTitle: string;
    expiredBody: (payer: string) => string;
    revokedTitle: string;
    revokedBody: (payer: string) => string;
    notFoundTitle: string;
    notFoundBody: string;
  };
  /** Buttons next to an error; the sentences are in the error catalogue (lib/i18n/errors.ts). */
  errors: { retry: string; dismiss: string };
  validation: { fixFields: string };
  /** Self-employed (НПД) payouts: the INN check, linking Bank 131 in «Мой налог», the receipt. */
  selfEmployed: {
    checkingTitle: string;
    checkingBody: (inn: string) => string;
    notLinkedTitle: string;
    notLinkedBody: string;
    waitingForLink: string;
    widgetLoading: string;
    widgetFailed: string;
    notSelfEmployedTitle: string;
    notSelfEmployedBody: (inn: string, payer: string) => string;
    linked: string;
    receipt: string;
    receiptLink: string;
  };
}

const ru: RecipientDictionary = {
  htmlLang: "ru",
  brand: "Выплаты",
  bankName: "Банк 131",
  titleSuffix: " · Банк 131",
  language: { group: "Язык страницы", ru: "Русский", en: "English", switching: "Переключаем язык…" },
  summary: {
    sends: (payer) => `${payer} отправляет вам выплату`,
    amount: "Сумма",
    recipient: "Получатель",
    purpose: "Назначение",
    payoutNumber: "Номер выплаты",
    validUntil: (date) => `Ссылка действует до ${date}`,
  },
  footer: {
    secure: "Номер карты вводится в защищённой форме Банка 131: страница плательщика его не видит и не хранит.",
    questions: (payer) => `По вопросам о выплате обращайтесь к плательщику — ${payer}.`,
  },
  pageTitle: {
    active: "Получение выплаты",
    expired: "Срок действия ссылки истёк",
    revoked: "Ссылка отозвана",
    notFound: "Ссылка не найдена",
  },
  card: {
    heading: "Куда перечислить деньги",
    intro: "Укажите карту Мир, Visa или Mastercard. Номер вводится в защищённой форме банка.",
    widgetLoading: "Загружаем защищённую форму банка…",
    widgetFailed: "Не удалось загрузить форму банка.",
    reloadForm: "Загрузить форму заново",
    tokenSpent: "Форма ввода карты устарела. Загрузите её заново — введённые данные никуда не отправлены.",
    checking: "Проверяем карту в банке…",
    frameTitleHint: "Форма ввода карты Банка 131",
  },
  account: {
    heading: "Реквизиты банковского счёта",
    intro: "Выплата придёт на счёт в российском банке. БИК и номер счёта есть в приложении вашего банка.",
    bikLabel: "БИК банка",
    bikHint: "9 цифр, начинается с 04",
    accountLabel: "Номер счёта",
    accountHint: "20 цифр, например 40817…",
    submit: "Продолжить",
    checking: "Проверяем реквизиты…",
    maskedAccount: (masked) => `Счёт ${masked}`,
    bikValue: (bik) => `БИК ${bik}`,
  },
  confirm: {
    heading: "Проверьте данные",
    intro: "Банк проверил реквизиты. Если всё верно, подтвердите получение выплаты.",
    recipient: "Получатель",
    card: "Карта",
    to: "Куда",
    amount: "Сумма",
    payer: "Плательщик",
    submit: "Всё верно, получить выплату",
    submitting: "Отправляем…",
    otherCard: "Указать другую карту",
    editAccount: "Изменить реквизиты",
    note: "После подтверждения изменить реквизиты будет нельзя.",
  },
  status: {
    heading: "Статус выплаты",
    progress: "Ход выплаты",
    steps: {
      submitted: "Данные получены",
      approval: "Проверка и подтверждение",
      paid: "Деньги отправлены",
      failed: "Выплата не прошла",
      cancelled: "Выплата отменена",
      refunded: "Перевод вернулся",
    },
    stepState: { done: "выполнено", current: "сейчас", upcoming: "впереди", failed: "не выполнено" },
    to: "Куда",
    card: (label) => label,
    account: (masked) => `Счёт ${masked}`,
    autoUpdate: "Страница обновляется сама",
    updateFailed: "Не удаётся обновить статус — проверьте интернет. Попробуем ещё раз автоматически.",
    bankPendingTitle: "Передаём выплату в банк",
    bankPending: "Банк пока не отвечает — мы продолжаем попытки. Ваши данные сохранены.",
    bankPendingRetry: "Попробовать снова",
    bankPendingRetrying: "Пробуем…",
    byStatus: {
      awaiting_recipient: {
        title: "Выплата готовится",
        body: ({ payer }) => `${payer} отправит выплату сам — от вас ничего не требуется. Статус появится на этой странице.`,
      },
      submitted: {
        title: "Выплата отправлена в банк",
        body: () => "Мы передали данные в банк. Это займёт немного времени — страница обновится сама.",
      },
      needs_attention: {
        title: "Выплата проверяется",
        body: () => "Мы уточняем в банке, что стало с выплатой. Как только всё прояснится, страница обновится сама; если понадобится что-то от вас, мы напишем.",
      },
      awaiting_approval: {
        title: "Ожидает подтверждения",
        body: ({ payer }) => `Банк принял данные. ${payer} проверяет и подтверждает выплату — от вас ничего не требуется.`,
      },
      confirming: {
        title: "Банк проводит выплату",
        body: () => "Выплата подтверждена, банк переводит деньги. Обычно это занимает несколько минут.",
      },
      cancelling: {
        title: "Выплата отменяется",
        body: ({ payer }) => `Плательщик отменяет выплату. Если это неожиданно, свяжитесь с ${payer}.`,
      },
      bank_error: {
        title: "Банк проверяет выплату",
        body: () => "Банк уточняет результат перевода. От вас ничего не требуется — итог появится на этой странице.",
      },
      paid: {
        title: "Деньги отправлены",
        body: ({ to, kind }) =>
          `Банк выполнил перевод${to ? ` на ${kind === "bank_account" ? to.replace(/^Счёт/, "счёт") : to}` : ""}. ${
            kind === "bank_account"
              ? "Деньги поступят на счёт в течение одного рабочего дня."
              : kind === "sbp"
                ? "Переводы по СБП обычно приходят за несколько минут."
                : "Обычно деньги поступают на карту в течение нескольких минут."
          }`,
      },
      failed: {
        title: "Выплата не прошла",
        body: ({ payer }) => `Банк не смог выполнить перевод. Чтобы получить выплату, свяжитесь с ${payer}.`,
      },
      cancelled: {
        title: "Выплата отменена",
        body: ({ payer }) => `Плательщик отменил выплату. По вопросам обращайтесь к ${payer}.`,
      },
      refunded: {
        title: "Перевод вернулся",
        body: ({ payer }) =>
          `Банк получателя вернул деньги — обычно из-за закрытого счёта или неверных реквизитов. Свяжитесь с ${payer}, чтобы получить выплату заново.`,
      },
      expired: {
        title: "Срок действия ссылки истёк",
        body: ({ payer }) => `Попросите ${payer} прислать новую ссылку.`,
      },
    },
  },
  link: {
    expiredTitle: "Срок действия ссылки истёк",
    expiredBody: (payer) => `Выплата по этой ссылке больше недоступна. Чтобы получить деньги, попросите плательщика — ${payer} — прислать новую ссылку.`,
    revokedTitle: "Ссылка отозвана",
    revokedBody: (payer) => `Плательщик отозвал эту ссылку. Если вы ждёте выплату, свяжитесь с ${payer}.`,
    notFoundTitle: "Ссылка не найдена",
    notFoundBody: "Проверьте, что ссылка скопирована полностью, или попросите плательщика прислать её ещё раз.",
  },
  errors: {
    retry: "Попробовать ещё раз",
    dismiss: "Закрыть",
  },
  validation: { fixFields: "Исправьте отмеченные поля." },
  selfEmployed: {
    checkingTitle: "Проверяем статус самозанятого",
    checkingBody: (inn) => `Спрашиваем налоговую службу, зарегистрирован ли ИНН ${inn} как самозанятый и привязан ли он к Банку 131. Обычно это занимает несколько секунд.`,
    notLinkedTitle: "Разрешите Банку 131 выдавать чеки",
    notLinkedBody:
      "Вы самозанятый, но Банк 131 ещё не привязан к вашему профилю в «Мой налог». Отправьте запрос ниже и подтвердите его в приложении «Мой налог» — чек о доходе банк сформирует сам.",
    waitingForLink: "Ждём подтверждения из «Мой налог». Страница обновится сама.",
    widgetLoading: "Загружаем форму банка…",
    widgetFailed: "Не удалось загрузить форму привязки. Проверьте интернет и обновите страницу.",
    notSelfEmployedTitle: "Вы не зарегистрированы как самозанятый",
    notSelfEmployedBody: (inn, payer) =>
      `Налоговая служба сообщила, что ИНН ${inn} не зарегистрирован как плательщик налога на профессиональный доход (самозанятый). Эту выплату можно получить только самозанятому. Зарегистрируйтесь в приложении «Мой налог» или свяжитесь с ${payer}.`,
    linked: "Статус самозанятого подтверждён, Банк 131 привязан.",
    receipt: "Чек в «Мой налог»",
    receiptLink: "Открыть чек",
  },
};

const en: RecipientDictionary = {
  htmlLang: "en",
  brand: "Payouts",
  bankName: "Bank 131",
  titleSuffix: " · Bank 131",
  language: { group: "Page language", ru: "Русский", en: "English", switching: "Switching language…" },
  summary: {
    sends: (payer) => `${payer} is sending you a payout`,
    amount: "Amount",
    recipient: "Recipient",
    purpose: "Purpose",
    payoutNumber: "Payout number",
    validUntil: (date) => `This link is valid until ${date}`,
  },
  footer: {
    secure: "You type your card number into Bank 131's secure form: the payer's page never sees or stores it.",
    questions: (payer) => `Questions about this payout? Contact the payer, ${payer}.`,
  },
  pageTitle: {
    active: "Receive your payout",
    expired: "This link has expired",
    revoked: "This link was revoked",
    notFound: "Link not found",
  },
  card: {
    heading: "Where to send the money",
    intro: "Use a Mir, Visa or Mastercard card. You type the number into the bank's secure form.",
    widgetLoading: "Loading the bank's secure form…",
    widgetFailed: "Could not load the bank's card form.",
    reloadForm: "Reload the form",
    tokenSpent: "The card form is out of date. Reload it — nothing you typed has been sent.",
    checking: "Checking the card with the bank…",
    frameTitleHint: "Bank 131 card form",
  },
  account: {
    heading: "Bank account details",
    intro: "The payout goes to an account at a Russian bank. Your bank's app shows the BIK and the account number.",
    bikLabel: "Bank BIK",
    bikHint: "9 digits, starts with 04",
    accountLabel: "Account number",
    accountHint: "20 digits, e.g. 40817…",
    submit: "Continue",
    checking: "Checking the details…",
    maskedAccount: (masked) => `Account ${masked}`,
    bikValue: (bik) => `BIK ${bik}`,
  },
  confirm: {
    heading: "Check the details",
    intro: "The bank has checked the details. If everything is right, confirm to receive the payout.",
    recipient: "Recipient",
    card: "Card",
    to: "To",
    amount: "Amount",
    payer: "Payer",
    submit: "Confirm and receive",
    submitting: "Sending…",
    otherCard: "Use another card",
    editAccount: "Change account details",
    note: "You cannot change the details after confirming.",
  },
  status: {
    heading: "Payout status",
    progress: "Payout progress",
    steps: {
      submitted: "Details received",
      approval: "Review and approval",
      paid: "Money sent",
      failed: "Payout failed",
      cancelled: "Payout cancelled",
      refunded: "Transfer returned",
    },
    stepState: { done: "done", current: "in progress", upcoming: "to do", failed: "not done" },
    to: "To",
    card: (label) => label,
    account: (masked) => `Account ${masked}`,
    autoUpdate: "This page updates by itself",
    updateFailed: "Cannot update the status — check your connection. We will try again automatically.",
    bankPendingTitle: "Passing the payout to the bank",
    bankPending: "The bank is not answering yet; we keep trying. Your details are saved.",
    bankPendingRetry: "Try again",
    bankPendingRetrying: "Trying…",
    byStatus: {
      awaiting_recipient: {
        title: "The payout is being prepared",
        body: ({ payer }) => `${payer} will send the payout; you don't need to do anything. Its status will appear on this page.`,
      },
      submitted: {
        title: "Payout sent to the bank",
        body: () => "We passed your details to the bank. This takes a moment — the page updates by itself.",
      },
      needs_attention: {
        title: "We are checking your payout",
        body: () => "We are confirming with the bank what happened to the payout. The page updates by itself as soon as it is clear; if we need anything from you, we will write.",
      },
      awaiting_approval: {
        title: "Waiting for approval",
        body: ({ payer }) => `The bank has accepted the details. ${payer} is reviewing and approving the payout; you don't need to do anything.`,
      },
      confirming: {
        title: "The bank is processing the payout",
        body: () => "The payout is approved and the bank is transferring the money. This usually takes a few minutes.",
      },
      cancelling: {
        title: "The payout is being cancelled",
        body: ({ payer }) => `The payer is cancelling the payout. If you did not expect this, contact ${payer}.`,
      },
      bank_error: {
        title: "The bank is checking the payout",
        body: () => "The bank is confirming the result of the transfer. No action is needed — the outcome will appear on this page.",
      },
      paid: {
        title: "Money sent",
        body: ({ to, kind }) =>
          `The bank has made the transfer${to ? ` to ${kind === "bank_account" ? to.replace(/^Account/, "account") : to}` : ""}. ${
            kind === "bank_account"
              ? "The money reaches the account within one business day."
              : kind === "sbp"
                ? "SBP transfers usually arrive within minutes."
                : "Cards usually get the money within minutes."
          }`,
      },
      failed: {
        title: "The payout failed",
        body: ({ payer }) => `The bank could not make the transfer. To receive the payout, contact ${payer}.`,
      },
      cancelled: {
        title: "The payout was cancelled",
        body: ({ payer }) => `The payer cancelled this payout. For questions, contact ${payer}.`,
      },
      refunded: {
        title: "The transfer was returned",
        body: ({ payer }) =>
          `Your bank returned the money — usually because the account is closed or the details were wrong. Contact ${payer} to receive the payout again.`,
      },
      expired: {
        title: "This link has expired",
        body: ({ payer }) => `Ask ${payer} to send you a new link.`,
      },
    },
  },
  link: {
    expiredTitle: "This link has expired",
    expiredBody: (payer) => `The payout behind this link is no longer available. To receive the money, ask the payer, ${payer}, to send you a new link.`,
    revokedTitle: "This link was revoked",
    revokedBody: (payer) => `The payer revoked this link. If you are expecting a payout, contact ${payer}.`,
    notFoundTitle: "Link not found",
    notFoundBody: "Check that you copied the whole link, or ask the payer to send it again.",
  },
  errors: {
    retry: "Try again",
    dismiss: "Close",
  },
  validation: { fixFields: "Fix the highlighted fields." },
  selfEmployed: {
    checkingTitle: "Checking your self-employed status",
    checkingBody: (inn) => `We are asking the tax service whether INN ${inn} is registered as self-employed and linked to Bank 131. This usually takes a few seconds.`,
    notLinkedTitle: "Allow Bank 131 to issue your receipts",
    notLinkedBody:
      "You are self-employed, but Bank 131 is not yet linked to your «Мой налог» (My Tax) profile. Send the request below and confirm it in the «Мой налог» app — the bank will then register the income receipt for you.",
    waitingForLink: "Waiting for your confirmation in «Мой налог». This page updates by itself.",
    widgetLoading: "Loading the bank's form…",
    widgetFailed: "Could not load the linking form. Check your internet and reload the page.",
    notSelfEmployedTitle: "You are not registered as self-employed",
    notSelfEmployedBody: (inn, payer) =>
      `The tax service reports that INN ${inn} is not registered for the professional income tax (self-employed). This payout can only be received by a self-employed person. Register in the «Мой налог» app or contact ${payer}.`,
    linked: "Self-employed status confirmed, Bank 131 linked.",
    receipt: "Receipt in «Мой налог»",
    receiptLink: "Open the receipt",
  },
};

export const RECIPIENT_DICTIONARY: Record<RecipientLocale, RecipientDictionary> = { ru, en };

export function recipientDictionary(locale: RecipientLocale): RecipientDictionary {
  return RECIPIENT_DICTIONARY[locale];
}

/** A sentence for any error code, unknown codes included, in the recipient's words. */
export function errorText(locale: RecipientLocale, code: string): string {
  return errorMessage({ code }, locale, "recipient");
}

/** What the page is showing, reduced to what decides its `<title>`. */
export type RecipientPageState =
  | { kind: "active" }
  | { kind: "expired" }
  | { kind: "revoked" }
  | { kind: "status"; status: PayoutStatus };

export function pageStateOf(view: { status: PayoutStatus; linkState: "active" | "used" | "expired" | "revoked"; method: string }): RecipientPageState {
  if (view.linkState === "revoked") return { kind: "revoked" };
  if (view.linkState === "expired" || view.status === "expired") return { kind: "expired" };
  if (view.linkState === "active" && (view.method === "card_widget" || view.method === "bank_account" || view.method === "sbp")) return { kind: "active" };
  return { kind: "status", status: view.status };
}

export function pageTitle(locale: RecipientLocale, state: RecipientPageState | { kind: "not_found" }): string {
  const t = RECIPIENT_DICTIONARY[locale];
  const base =
    state.kind === "active"
      ? t.pageTitle.active
      : state.kind === "expired"
        ? t.pageTitle.expired
        : state.kind === "revoked"
          ? t.pageTitle.revoked
          : state.kind === "not_found"
            ? t.pageTitle.notFound
            : t.status.byStatus[state.status].title;
  return base + t.titleSuffix;
}

/** Moscow time, stated: the server renders it, so the reader's own zone is unknown. */
export function formatLinkDate(iso: string, locale: RecipientLocale): string {
  return `${formatDateTimeLong(iso, locale)} ${locale === "ru" ? "(МСК)" : "(Moscow time)"}`;
}

// ---------------------------------------------------------------------------------------------------------------
// SBP (faster payments by phone): the bank picker, the phone and the bank's verification (components/recipient/sbp-*).

export interface SbpTexts {
  heading: string;
  intro: string;
  bankLabel: string;
  bankPlaceholder: string;
  bankHint: string;
  bankOptions: (count: number) => string;
  noBankMatch: string;
  banksLoading: string;
  banksFailed: string;
  phoneLabel: string;
  phoneHint: string;
  payerPhone: (masked: string) => string;
  submit: string;
  checking: string;
  stillChecking: string;
  verifiedTitle: string;
  verifiedName: string;
  to: (bank: string, phone: string) => string;
  otherDetails: string;
  /** Why the bank did not verify (its code), and what to do; `payer` pays. */
  failed: (code: string | null, payer: string) => string;
  /** Problems with the request itself, by error code; others fall back to `generic`. */
  errors: Record<"sbp_bank_unknown" | "sbp_phone_fixed" | "sbp_not_verified" | "rate_limited" | "bank_unavailable" | "network" | "validation" | "choose_bank", string>;
  generic: string;
  retry: string;
}

const SBP_TEXTS: Record<RecipientLocale, SbpTexts> = {
  ru: {
    heading: "Перевод по СБП",
    intro: "Выберите свой банк и номер телефона, подключённый к Системе быстрых платежей. Перед выплатой банк проверит, что номер в этом банке принадлежит вам.",
    bankLabel: "Банк получателя",
    bankPlaceholder: "Начните вводить название банка",
    bankHint: "Стрелки — выбор, Enter — подтвердить.",
    bankOptions: (count) => `Найдено банков: ${count}`,
    noBankMatch: "Банк с таким названием не найден в СБП.",
    banksLoading: "Загружаем список банков…",
    banksFailed: "Не удалось загрузить список банков.",
    phoneLabel: "Номер телефона",
    phoneHint: "Номер, подключённый к СБП, например +7 900 000-00-01.",
    payerPhone: (masked) => `Номер указал плательщик: ${masked}. Выберите банк, в котором он подключён к СБП.`,
    submit: "Проверить",
    checking: "Банк проверяет номер…",
    stillChecking: "Банк ещё проверяет номер. Нажмите «Проверить» ещё раз через несколько секунд.",
    verifiedTitle: "Банк подтвердил получателя",
    verifiedName: "Имя в банке",
    to: (bank, phone) => `СБП: ${bank}, ${phone}`,
    otherDetails: "Указать другой банк или номер",
    failed: (code, payer) =>
      code === "account_not_found"
        ? "Банк не нашёл этот номер в СБП выбранного банка. Проверьте номер и банк: номер должен быть подключён к СБП именно в этом банке."
        : code === "recipient_data_mismatch"
          ? `Номер в выбранном банке принадлежит другому человеку: имя владельца не совпадает с получателем выплаты. Проверьте номер или выберите другой банк; если имя в выплате указано с ошибкой, свяжитесь с ${payer}.`
          : `Банк не подтвердил эти данные. Проверьте номер и банк или свяжитесь с ${payer}.`,
    errors: {
      sbp_bank_unknown: "Этого банка нет в списке участников СБП — выберите банк из списка.",
      sbp_phone_fixed: "Номер для выплаты указал плательщик; другой номер использовать нельзя.",
      sbp_not_verified: "Сначала проверьте номер и банк.",
      rate_limited: "Слишком много проверок по этой ссылке. Попробуйте позже.",
      bank_unavailable: "Банк сейчас не отвечает. Попробуйте ещё раз через минуту.",
      network: "Нет связи с сервером. Проверьте интернет и попробуйте ещё раз.",
      validation: "Номер телефона — 10 цифр после +7, например +7 900 000-00-01.",
      choose_bank: "Выберите банк из списка.",
    },
    generic: "Что-то пошло не так. Попробуйте ещё раз.",
    retry: "Повторить",
  },
  en: {
    heading: "Transfer via SBP (Faster Payments)",
    intro: "Choose your bank and the phone number linked to the Faster Payments System. Before the payout, the bank checks that the number at that bank is yours.",
    bankLabel: "Your bank",
    bankPlaceholder: "Start typing the bank's name",
    bankHint: "Arrow keys to choose, Enter to confirm.",
    bankOptions: (count) => `${count} bank${count === 1 ? "" : "s"} found`,
    noBankMatch: "No SBP bank with this name.",
    banksLoading: "Loading the list of banks…",
    banksFailed: "Could not load the list of banks.",
    phoneLabel: "Phone number",
    phoneHint: "The number linked to SBP, e.g. +7 900 000-00-01.",
    payerPhone: (masked) => `The payer gave the number ${masked}. Choose the bank where it is linked to SBP.`,
    submit: "Check",
    checking: "The bank is checking the number…",
    stillChecking: "The bank is still checking the number. Press “Check” again in a few seconds.",
    verifiedTitle: "The bank confirmed the recipient",
    verifiedName: "Name at the bank",
    to: (bank, phone) => `SBP: ${bank}, ${phone}`,
    otherDetails: "Use another bank or number",
    failed: (code, payer) =>
      code === "account_not_found"
        ? "The bank did not find this number in SBP at the chosen bank. Check the number and the bank: the number must be linked to SBP at that very bank."
        : code === "recipient_data_mismatch"
          ? `The number at the chosen bank belongs to someone else: the owner's name does not match the payout's recipient. Check the number or choose another bank; if the name on the payout is wrong, contact ${payer}.`
          : `The bank did not confirm these details. Check the number and the bank, or contact ${payer}.`,
    errors: {
      sbp_bank_unknown: "This bank is not an SBP participant — choose a bank from the list.",
      sbp_phone_fixed: "The payer set the number for this payout; another number cannot be used.",
      sbp_not_verified: "Check the number and the bank first.",
      rate_limited: "Too many checks with this link. Try again later.",
      bank_unavailable: "The bank is not answering right now. Try again in a minute.",
      network: "No connection to the server. Check your internet and try again.",
      validation: "A phone number is 10 digits after +7, e.g. +7 900 000-00-01.",
      choose_bank: "Choose a bank from the list.",
    },
    generic: "Something went wrong. Try again.",
    retry: "Retry",
  },
};

export function sbpTexts(locale: RecipientLocale): SbpTexts {
  return SBP_TEXTS[locale];
}

/** A recipient-facing sentence for an SBP error code (request problems; the bank's verdicts are `failed`). */
export function sbpErrorText(locale: RecipientLocale, code: string): string {
  const t = SBP_TEXTS[locale];
  return Object.hasOwn(t.errors, code) ? t.errors[code as keyof SbpTexts["errors"]] : t.generic;
}
