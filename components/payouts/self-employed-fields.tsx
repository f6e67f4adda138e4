"use client";

import { useFieldArray, type UseFormReturn } from "react-hook-form";
import { formatKopecks, parseRublesToKopecks } from "@/lib/money";
import { SELF_EMPLOYED_MAX_SERVICES, type CreatePayoutRequest } from "@/lib/payouts/schemas";
import { FieldError, TextField, inputClass } from "./fields";
import { EMPTY_SERVICE, type FormValues } from "./payout-form";

/**
 * «Самозанятый (НПД)»: the recipient's INN and the receipt's services (name, price, quantity), whose
 * total must equal the payout amount. The payer on the receipt is the partner (PARTNER_INN, PARTNER_NAME).
 */
export function SelfEmployedFields({
  form,
  values,
  errors,
}: {
  form: UseFormReturn<FormValues, unknown, CreatePayoutRequest>;
  values: FormValues;
  errors: { selfEmployedInn?: string; services?: string };
}) {
  const { register } = form;
  const services = useFieldArray({ control: form.control, name: "services" });
  const total = values.services.reduce<number | null>((sum, service) => {
    const amount = parseRublesToKopecks(service.amount);
    const quantity = Number(service.quantity);
    return sum === null || !amount.ok || !Number.isInteger(quantity) ? null : sum + amount.kopecks * quantity;
  }, 0);

  return (
    <section className="space-y-4 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm sm:p-6" data-testid="self-employed-section">
      <label className="flex items-start gap-3">
        <input type="checkbox" id="selfEmployed" {...register("selfEmployed")} className="mt-1 size-4" data-testid="self-employed-toggle" />
        <span>
          <span className="block text-base font-semibold text-slate-900">Самозанятый (НПД)</span>
          <span className="block text-sm text-slate-500">
            Банк зарегистрирует доход получателя и выдаст чек в «Мой налог». Получатель сначала подтвердит статус самозанятого на странице выплаты.
          </span>
        </span>
      </label>
      {values.selfEmployed ? (
        <>
          <TextField
            id="selfEmployedInn"
            label="ИНН самозанятого"
            inputMode="numeric"
            autoComplete="off"
            placeholder="12 цифр"
            {...register("selfEmployedInn")}
            error={errors.selfEmployedInn}
          />
          <fieldset aria-describedby={errors.services ? "services-error" : undefined} id="services" tabIndex={-1}>
            <legend className="text-sm font-medium text-slate-800">Услуги в чеке</legend>
            <div className="mt-2 space-y-2">
              {services.fields.map((field, index) => (
                <div key={field.id} className="grid gap-2 sm:grid-cols-[1fr_10rem_6rem_auto]" data-testid="service-row">
                  <input aria-label={`Услуга ${index + 1}: наименование`} placeholder="Доставка товаров" className={inputClass} {...register(`services.${index}.name`)} />
                  <input aria-label={`Услуга ${index + 1}: цена, ₽`} placeholder="1 500,00" inputMode="decimal" className={inputClass} {...register(`services.${index}.amount`)} />
                  <input aria-label={`Услуга ${index + 1}: количество`} inputMode="numeric" className={inputClass} {...register(`services.${index}.quantity`)} />
                  <button
                    type="button"
                    onClick={() => services.remove(index)}
                    disabled={services.fields.length === 1}
                    className="rounded-lg border border-slate-300 px-3 text-sm text-slate-700 hover:bg-slate-50 disabled:opacity-40"
                  >
                    Удалить
                  </button>
                </div>
              ))}
            </div>
            <div className="mt-2 flex flex-wrap items-center gap-3 text-sm">
              <button
                type="button"
                onClick={() => services.append(EMPTY_SERVICE)}
                disabled={services.fields.length >= SELF_EMPLOYED_MAX_SERVICES}
                className="rounded-lg border border-slate-300 px-3 py-1.5 text-slate-700 hover:bg-slate-50 disabled:opacity-40"
              >
                Добавить услугу
              </button>
              <span className="text-slate-500" data-testid="services-total">
                Итого по услугам: {total === null ? "—" : formatKopecks(total)} · не больше {SELF_EMPLOYED_MAX_SERVICES} услуг, итог равен сумме выплаты
              </span>
            </div>
            <FieldError id="services" message={errors.services} />
          </fieldset>
        </>
      ) : null}
    </section>
  );
}
