"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useForm, useWatch, type FieldErrors } from "react-hook-form";
import { fieldErrorMessage } from "@/lib/i18n/errors";
import { formatKopecks, formatKopecksPlain, parseRublesToKopecks } from "@/lib/money";
import { PURPOSE_MAX_LENGTH, TOKEN_MAX_LENGTH, TOKEN_MIN_LENGTH, type CreatePayoutRequest } from "@/lib/payouts/schemas";
import { ApiError, apiJson } from "@/components/api-client";
import { describeRequestError } from "./request-errors";
import { FieldError, RadioCard, TextField, describedBy, inputClass } from "./fields";
import { EMPTY_FORM, FIELD_ORDER, fieldOf, payoutFormResolver, type FieldName, type FormValues, type PayoutMethod, type SourceAccount } from "./payout-form";
import { PayoutResult, type CreatedPayout } from "./payout-result";
import { SavedCardPicker } from "./saved-card-picker";
import { SelfEmployedFields } from "./self-employed-fields";
import { plural } from "@/lib/format/numbers";
import { METHOD_LABEL } from "@/lib/format/status";

const METHODS: Array<{ value: PayoutMethod; title: string; description: string }> = [
  { value: "card_widget", title: "Карта через виджет", description: "Получатель откроет ссылку и введёт карту в защищённом виджете банка." },
  { value: "bank_account", title: "Банковский счёт", description: "Получатель откроет ссылку и укажет БИК и номер счёта." },
  {
    value: "sbp",
    title: METHOD_LABEL.sbp,
    description: "Получатель выберет банк и подтвердит телефон; банк проверит, что номер принадлежит ему. Назначение — до 140 символов.",
  },
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
  sbpPhone: "sbpPhone",
  sourceAccount: "sourceAccount-regular",
  beneficiaryInn: "beneficiaryInn",
  beneficiaryName: "beneficiaryName",
  selfEmployedInn: "selfEmployedInn",
  services: "services",
};

function focusField(field: FieldName) {
  requestAnimationFrame(() => document.getElementById(FOCUS_TARGET[field])?.focus());
}

export function CreatePayoutForm({ maxKopecks, linkTtlHours }: { maxKopecks: number; linkTtlHours: number }) {
  // Errors show once a field was left (or the form was submitted), then follow every change.
  const form = useForm<FormValues, unknown, CreatePayoutRequest>({
    resolver: payoutFormResolver(maxKopecks),
    defaultValues: EMPTY_FORM,
    mode: "onTouched",
    shouldFocusError: false,
  });
  const { register, setValue, formState } = form;
  const values = useWatch({ control: form.control }) as FormValues;
  const errorOf = (field: FieldName): string | undefined => formState.errors[field]?.message;
  const [created, setCreated] = useState<{ result: CreatedPayout; recipientName: string } | null>(null);

  const mutation = useMutation({
    mutationFn: (input: CreatePayoutRequest) => apiJson<CreatedPayout>("/api/payouts", { method: "POST", body: input }),
    onSuccess: (result, input) => {
      setCreated({ result, recipientName: input.recipientName });
    },
    onError: (error) => {
      const field = error instanceof ApiError && error.field ? fieldOf(error.field, form.getValues("method")) : undefined;
      if (error instanceof ApiError && field) {
        form.setError(field, { type: "server", message: fieldErrorMessage(error) });
        focusField(field);
      }
    },
  });
  const fieldErrorFromServer = mutation.error instanceof ApiError && mutation.error.field && fieldOf(mutation.error.field, values.method);
  const banner = mutation.isError && !fieldErrorFromServer ? describeRequestError(mutation.error) : null;

  /** Radio groups and the card picker are not inputs RHF registers: set them, revalidating once the user has been told. */
  const choose = <K extends "method" | "sourceAccount" | "savedCard">(key: K, value: FormValues[K]) =>
    setValue(key, value as never, { shouldDirty: true, shouldValidate: formState.isSubmitted });

  const onSubmit = form.handleSubmit(
    (input) => mutation.mutate(input),
    (errors: FieldErrors<FormValues>) => {
      const first = FIELD_ORDER.find((field) => errors[field] && document.getElementById(FOCUS_TARGET[field]));
      if (first) focusField(first);
    },
  );

  function createAnother() {
    form.reset(EMPTY_FORM);
    setCreated(null);
    mutation.reset();
    requestAnimationFrame(() => document.getElementById("amount")?.focus());
  }

  if (created) return <PayoutResult result={created.result} recipientName={created.recipientName} onCreateAnother={createAnother} />;

  const startsAtOnce = values.method === "card_saved" || values.method === "recurrent";
  const amountPreview = parseRublesToKopecks(values.amount);
  const lifetime = linkTtlHours % 24 === 0 ? `${linkTtlHours / 24} ${plural(linkTtlHours / 24, ["день", "дня", "дней"])}` : `${linkTtlHours} ${plural(linkTtlHours, ["час", "часа", "часов"])}`;

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
            {...register("amount", {
              onBlur: () => {
                // Show the amount back as the portal understood it.
                const parsed = parseRublesToKopecks(form.getValues("amount"));
                if (parsed.ok) setValue("amount", formatKopecksPlain(parsed.kopecks), { shouldValidate: true });
              },
            })}
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
            {...register("recipientName")}
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
            {...register("recipientEmail")}
            error={errorOf("recipientEmail")}
          />
          <TextField
            id="reference"
            label="Ваш номер"
            optional
            autoComplete="off"
            placeholder="Договор № 17"
            {...register("reference")}
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
            rows={2}
            {...register("purpose")}
            aria-invalid={errorOf("purpose") ? true : undefined}
            aria-describedby={describedBy("purpose", true, Boolean(errorOf("purpose")))}
            placeholder="Вознаграждение по договору № 17 за март"
            className={`${inputClass} mt-1 resize-y`}
          />
          <p id="purpose-hint" className="mt-1.5 text-sm text-slate-500">
            Увидит получатель и банк. До {PURPOSE_MAX_LENGTH} символов.
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
                onChange={(value) => choose("method", value as PayoutMethod)}
                errorId={errorOf("method") ? "method-error" : undefined}
                title={method.title}
                description={method.description}
              />
            ))}
          </div>
          <FieldError id="method" message={errorOf("method")} />
        </fieldset>

        {values.method === "card_saved" ? (
          <SavedCardPicker recipientName={values.recipientName} value={values.savedCard} onChange={(choice) => choose("savedCard", choice)} error={errorOf("savedCard")} />
        ) : null}
        {values.method === "sbp" ? (
          <TextField
            id="sbpPhone"
            label="Телефон получателя (СБП), необязательно"
            type="tel"
            inputMode="tel"
            autoComplete="off"
            placeholder="+7 900 000-00-01"
            {...register("sbpPhone")}
            hint="Если не указать, получатель введёт номер сам по ссылке."
            error={errorOf("sbpPhone")}
          />
        ) : null}
        {values.method === "recurrent" ? (
          <TextField
            id="recurrentToken"
            label="Рекуррентный токен"
            autoComplete="off"
            spellCheck={false}
            className={`${inputClass} font-mono`}
            {...register("recurrentToken")}
            hint={`Выдан банком после первой выплаты получателю: ${TOKEN_MIN_LENGTH}–${TOKEN_MAX_LENGTH} латинских букв, цифр, «-» и «_».`}
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
                onChange={(value) => choose("sourceAccount", value as SourceAccount)}
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
              {...register("beneficiaryInn")}
              error={errorOf("beneficiaryInn")}
            />
            <TextField
              id="beneficiaryName"
              label="Наименование бенефициара"
              autoComplete="off"
              placeholder="ООО «Ромашка» или ФИО"
              {...register("beneficiaryName")}
              error={errorOf("beneficiaryName")}
            />
          </div>
        ) : null}
      </section>

      <SelfEmployedFields form={form} values={values} errors={{ selfEmployedInn: errorOf("selfEmployedInn"), services: errorOf("services") }} />

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
