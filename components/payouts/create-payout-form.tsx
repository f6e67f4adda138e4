"use client";

import { useMutation } from "@tanstack/react-query";
import { useCallback, useMemo, useState, type FormEvent } from "react";
import { formatKopecks, formatKopecksPlain, parseRublesToKopecks } from "@/lib/money";
import type { CreatePayoutRequest } from "@/lib/payouts/schemas";
import { ApiError, apiJson } from "@/components/api-client";
import { describeRequestError } from "./request-errors";
import { FieldError, RadioCard, TextField, describedBy, inputClass } from "./fields";
import {
  EMPTY_FORM,
  FIELD_ORDER,
  fieldOf,
  russianServerMessage,
  validateForm,
  type FieldErrors,
  type FieldName,
  type FormValues,
  type PayoutMethod,
  type SourceAccount,
} from "./form-model";
import { PayoutResult, type CreatedPayout } from "./payout-result";
import { SavedCardPicker } from "./saved-card-picker";

const METHODS: Array<{ value: PayoutMethod; title: string; description: string }> = [
  { value: "card_widget", title: "Карта через виджет", description: "Получатель откроет ссылку и введёт карту в защищённом виджете банка." },
  { value: "bank_account", title: "Банковский счёт", description: "Получатель откроет ссылку и укажет БИК и номер счёта." },
  { value: "card_saved", title: "Сохранённая карта", description: "Карта, на которую этому получателю уже платили. Выплата начнётся сразу." },
  { value: "recurrent", title: "Рекуррентный токен", description: "Токен, выданный банком для повторных выплат. Выплата начнётся сразу." },
];

const SOURCES: Array<{ value: SourceAccount; title: string; description: string }> = [
  { value: "regular", title: "Основной счёт", description: "Обычная выплата с баланса партнёра в Банке 131." },
  { value: "escrow", title: "Номинальный счёт", description: "Деньги бенефициара. Нужны его ИНН и наименование; только на карту." },
  { value: "settlement", title: "Расчётный счёт", description: "Выплата с расчётного счёта партнёра (РКО)." },
];

/** Where focus goes for a field's error: its input, or the first option of a radio group. */
const FOCUS_TARGET: Record<FieldName, string> = {
  amount: "amount",
  recipientName: "recipientName",
  recipientEmail: "recipientEmail",
  reference: "reference",
  purpose: "purpose",
  method: "method-card_widget",
  savedCard: "savedCard",
  recurrentToken: "recurrentToken",
  sourceAccount: "sourceAccount-regular",
  beneficiaryInn: "beneficiaryInn",
  beneficiaryName: "beneficiaryName",
};

function plural(n: number, one: string, few: string, many: string): string {
  const mod10 = n % 10;
  const mod100 = n % 100;
  const word = mod10 === 1 && mod100 !== 11 ? one : mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14) ? few : many;
  return `${n} ${word}`;
}

export function CreatePayoutForm({ maxKopecks, linkTtlHours }: { maxKopecks: number; linkTtlHours: number }) {
  const [values, setValues] = useState<FormValues>(EMPTY_FORM);
  const [touched, setTouched] = useState<Partial<Record<FieldName, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [created, setCreated] = useState<{ result: CreatedPayout; recipientName: string } | null>(null);

  const validation = useMemo(() => validateForm(values, maxKopecks), [values, maxKopecks]);
  // Errors show once a field was left (or the form was submitted); a server's answer shows at once.
  const errorOf = (field: FieldName): string | undefined =>
    serverErrors[field] ?? (submitted || touched[field] ? validation.errors[field] : undefined);

  const mutation = useMutation({
    mutationFn: (input: CreatePayoutRequest) => apiJson<CreatedPayout>("/api/payouts", { method: "POST", body: input }),
    onSuccess: (result, input) => {
      setCreated({ result, recipientName: input.recipientName });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.field) {
        const field = fieldOf(error.field, values.method);
        if (field) {
          setServerErrors({ [field]: russianServerMessage(field, error.message) });
          focusField(field);
        }
      }
    },
  });
  const fieldErrorFromServer = mutation.error instanceof ApiError && mutation.error.field && fieldOf(mutation.error.field, values.method);
  const banner = mutation.isError && !fieldErrorFromServer ? describeRequestError(mutation.error, "создать выплату") : null;

  const set = useCallback(<K extends keyof FormValues>(key: K, value: FormValues[K]) => {
    setValues((current) => ({ ...current, [key]: value }));
    setServerErrors((current) => {
      const field = key as FieldName;
      if (!current[field]) return current;
      const next = { ...current };
      delete next[field];
      return next;
    });
  }, []);
  const setSavedCard = useCallback((choice: FormValues["savedCard"]) => set("savedCard", choice), [set]);
  const touch = (field: FieldName) => setTouched((current) => (current[field] ? current : { ...current, [field]: true }));

  function focusField(field: FieldName) {
    requestAnimationFrame(() => document.getElementById(FOCUS_TARGET[field])?.focus());
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitted(true);
    if (!validation.ok) {
      const first = FIELD_ORDER.find((field) => validation.errors[field] && document.getElementById(FOCUS_TARGET[field]));
      if (first) focusField(first);
      return;
    }
    mutation.mutate(validation.data);
  }

  function createAnother() {
    setValues(EMPTY_FORM);
    setTouched({});
    setSubmitted(false);
    setServerErrors({});
    setCreated(null);
    mutation.reset();
    requestAnimationFrame(() => document.getElementById("amount")?.focus());
  }

  if (created) return <PayoutResult result={created.result} recipientName={created.recipientName} onCreateAnother={createAnother} />;

  const startsAtOnce = values.method === "card_saved" || values.method === "recurrent";
  const amountPreview = parseRublesToKopecks(values.amount);
  const lifetime = linkTtlHours % 24 === 0 ? plural(linkTtlHours / 24, "день", "дня", "дней") : plural(linkTtlHours, "час", "часа", "часов");

  return (
    <form onSubmit={onSubmit} noValidate aria-describedby={banner ? "form-error" : undefined} className="space-y-6" data-testid="create-payout-form">
      <section className="space-y-4 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
        <h2 className="text-base font-semibold text-slate-900">Сумма и получатель</h2>
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            id="amount"
            label="Сумма, ₽"
            suffix="₽"
            inputMode="decimal"
            autoComplete="off"
            placeholder="1 500,00"
            value={values.amount}
            onChange={(event) => set("amount", event.currentTarget.value)}
            onBlur={() => {
              touch("amount");
              // Show the amount back as the portal understood it.
              if (amountPreview.ok) set("amount", formatKopecksPlain(amountPreview.kopecks));
            }}
            hint={`Рубли и копейки через запятую. Не больше ${formatKopecks(maxKopecks)}.`}
            error={errorOf("amount")}
          />
          <TextField
            id="recipientName"
            label="ФИО получателя"
            autoComplete="off"
            autoCapitalize="words"
            spellCheck={false}
            placeholder="Иванов Иван Иванович"
            value={values.recipientName}
            onChange={(event) => set("recipientName", event.currentTarget.value)}
            onBlur={() => touch("recipientName")}
            hint="Как в паспорте: кириллицей или латиницей."
            error={errorOf("recipientName")}
          />
          <TextField
            id="recipientEmail"
            label="Email получателя"
            optional
            type="email"
            inputMode="email"
            autoComplete="off"
            spellCheck={false}
            placeholder="ivan@example.ru"
            value={values.recipientEmail}
            onChange={(event) => set("recipientEmail", event.currentTarget.value)}
            onBlur={() => touch("recipientEmail")}
            error={errorOf("recipientEmail")}
          />
          <TextField
            id="reference"
            label="Ваш номер"
            optional
            autoComplete="off"
            maxLength={80}
            placeholder="Договор № 17"
            value={values.reference}
            onChange={(event) => set("reference", event.currentTarget.value)}
            onBlur={() => touch("reference")}
            hint="Номер заказа или договора — для поиска и сверки."
            error={errorOf("reference")}
          />
        </div>
        <div>
          <label htmlFor="purpose" className="block text-sm font-medium text-slate-800">
            Назначение выплаты
          </label>
          <textarea
            id="purpose"
            name="purpose"
            rows={2}
            maxLength={260}
            value={values.purpose}
            onChange={(event) => set("purpose", event.currentTarget.value)}
            onBlur={() => touch("purpose")}
            aria-invalid={errorOf("purpose") ? true : undefined}
            aria-describedby={describedBy("purpose", true, Boolean(errorOf("purpose")))}
            placeholder="Вознаграждение по договору № 17 за март"
            className={`${inputClass} mt-1 resize-y`}
          />
          <p id="purpose-hint" className="mt-1.5 text-sm text-slate-500">
            Увидит получатель и банк. До 210 символов.
          </p>
          <FieldError id="purpose" message={errorOf("purpose")} />
        </div>
      </section>

      <section className="space-y-4 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
        <fieldset aria-describedby={errorOf("method") ? "method-error" : undefined}>
          <legend className="text-base font-semibold text-slate-900">Способ выплаты</legend>
          <div className="mt-3 grid gap-2 sm:grid-cols-2">
            {METHODS.map((method) => (
              <RadioCard
                key={method.value}
                id={`method-${method.value}`}
                name="method"
                value={method.value}
                checked={values.method === method.value}
                onChange={(value) => set("method", value as PayoutMethod)}
                errorId={errorOf("method") ? "method-error" : undefined}
                title={method.title}
                description={method.description}
              />
            ))}
          </div>
          <FieldError id="method" message={errorOf("method")} />
        </fieldset>

        {values.method === "card_saved" ? (
          <SavedCardPicker recipientName={values.recipientName} value={values.savedCard} onChange={setSavedCard} error={errorOf("savedCard")} />
        ) : null}
        {values.method === "recurrent" ? (
          <TextField
            id="recurrentToken"
            label="Рекуррентный токен"
            autoComplete="off"
            spellCheck={false}
            className={`${inputClass} font-mono`}
            value={values.recurrentToken}
            onChange={(event) => set("recurrentToken", event.currentTarget.value)}
            onBlur={() => touch("recurrentToken")}
            hint="Выдан банком после первой выплаты получателю: 16–128 латинских букв, цифр, «-» и «_»."
            error={errorOf("recurrentToken")}
          />
        ) : null}
      </section>

      <section className="space-y-4 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
        <fieldset aria-describedby={errorOf("sourceAccount") ? "sourceAccount-error" : undefined}>
          <legend className="text-base font-semibold text-slate-900">Счёт списания</legend>
          <div className="mt-3 grid gap-2 sm:grid-cols-3">
            {SOURCES.map((source) => (
              <RadioCard
                key={source.value}
                id={`sourceAccount-${source.value}`}
                name="sourceAccount"
                value={source.value}
                checked={values.sourceAccount === source.value}
                onChange={(value) => set("sourceAccount", value as SourceAccount)}
                errorId={errorOf("sourceAccount") ? "sourceAccount-error" : undefined}
                title={source.title}
                description={source.description}
              />
            ))}
          </div>
          <FieldError id="sourceAccount" message={errorOf("sourceAccount")} />
        </fieldset>
        {values.sourceAccount === "escrow" ? (
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField
              id="beneficiaryInn"
              label="ИНН бенефициара"
              inputMode="numeric"
              autoComplete="off"
              placeholder="10 или 12 цифр"
              value={values.beneficiaryInn}
              onChange={(event) => set("beneficiaryInn", event.currentTarget.value)}
              onBlur={() => touch("beneficiaryInn")}
              error={errorOf("beneficiaryInn")}
            />
            <TextField
              id="beneficiaryName"
              label="Наименование бенефициара"
              autoComplete="off"
              placeholder="ООО «Ромашка» или ФИО"
              value={values.beneficiaryName}
              onChange={(event) => set("beneficiaryName", event.currentTarget.value)}
              onBlur={() => touch("beneficiaryName")}
              error={errorOf("beneficiaryName")}
            />
          </div>
        ) : null}
      </section>

      {banner ? (
        <p id="form-error" role="alert" data-testid="form-error" className="rounded-xl border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
          {banner}
          {mutation.error instanceof ApiError && mutation.error.code === "unauthorized" ? (
            <>
              {" "}
              <a href="/login?callbackUrl=%2Fdashboard%2Fpayouts%2Fnew" className="font-medium underline">
                Войти
              </a>
            </>
          ) : null}
        </p>
      ) : null}

      <div className="flex flex-col gap-3 sm:flex-row sm:items-center">
        <button
          type="submit"
          disabled={mutation.isPending}
          className="inline-flex items-center justify-center rounded-lg bg-brand-600 px-5 py-3 font-medium text-white shadow-sm transition hover:bg-brand-700 disabled:opacity-60"
        >
          {mutation.isPending ? "Создаём…" : startsAtOnce ? "Создать и выплатить" : "Создать ссылку"}
        </button>
        <p className="text-sm text-slate-600">
          {startsAtOnce
            ? "Выплата уйдёт в банк сразу после создания."
            : `Получатель получит одноразовую ссылку, она действует ${lifetime}`}
          {startsAtOnce || values.amount === "" || !amountPreview.ok ? null : <> · к выплате {formatKopecks(amountPreview.kopecks)}</>}
        </p>
      </div>
    </form>
  );
}
