"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { formatRequestNumber } from "@/lib/format/numbers";
import { formatDateLong } from "@/lib/format/time";
import type { SavedInstrumentOption } from "@/lib/payouts/saved-instruments";
import { validateRecipientName } from "@/lib/validation/ru-banking";
import { apiJson } from "@/components/api-client";
import { describeRequestError } from "./request-errors";
import { FieldError, RadioCard } from "./fields";
import type { SavedChoice } from "./payout-form";


function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

const BRAND: Record<string, string> = { visa: "Visa", mastercard: "Mastercard", mir: "Мир", maestro: "Maestro", unionpay: "UnionPay", jcb: "JCB" };

export function cardTitle(option: Pick<SavedInstrumentOption, "brand" | "last4">): string {
  const brand = option.brand ? (BRAND[option.brand.toLowerCase()] ?? option.brand) : "Карта";
  return option.last4 ? `${brand} •••• ${option.last4}` : brand;
}

/**
 * Cards this recipient (same passport name) was paid to before, fetched once the name is valid.
 * Options carry an opaque id and masks only: the hashes and tokens stay on the server.
 */
export function SavedCardPicker({
  recipientName,
  value,
  onChange,
  error,
}: {
  recipientName: string;
  value: SavedChoice | null;
  onChange: (choice: SavedChoice | null) => void;
  error?: string;
}) {
  const checked = validateRecipientName(recipientName);
  const name = useDebounced(checked.ok ? checked.value : null, 350);
  const query = useQuery({
    queryKey: ["saved-instruments", name],
    queryFn: ({ signal }) =>
      apiJson<{ instruments: SavedInstrumentOption[] }>(`/api/payouts/saved-instruments?recipientName=${encodeURIComponent(name ?? "")}`, { signal }),
    enabled: name !== null,
    staleTime: 30_000,
    retry: false,
  });
  const cards = (query.data?.instruments ?? []).filter(
    (option) => option.kind === "card_hash" || option.kind === "card_token",
  );
  // A choice made for another name (or a card that disappeared) no longer counts.
  useEffect(() => {
    if (value && query.isSuccess && !cards.some((card) => card.id === value.id)) onChange(null);
  }, [cards, value, query.isSuccess, onChange]);

  let body;
  if (!checked.ok || name === null) {
    body = <p className="text-sm text-slate-600">Введите ФИО получателя — покажем карты, на которые ему уже платили.</p>;
  } else if (query.isPending) {
    body = (
      <p className="text-sm text-slate-600" role="status">
        Ищем карты получателя…
      </p>
    );
  } else if (query.isError) {
    body = (
      <div className="flex flex-wrap items-center gap-3 text-sm text-red-700" role="alert">
        <span>{describeRequestError(query.error)}</span>
        <button type="button" onClick={() => void query.refetch()} className="rounded-md border border-red-200 px-2 py-1 font-medium hover:bg-red-50">
          Повторить
        </button>
      </div>
    );
  } else if (cards.length === 0) {
    body = (
      <p className="text-sm text-slate-600" data-testid="saved-cards-empty">
        Получателю «{name}» ещё не платили на карту. Выберите «Карта через виджет» — получатель введёт карту сам.
      </p>
    );
  } else {
    body = (
      <div className="grid gap-2 sm:grid-cols-2">
        {cards.map((card, index) => (
          <RadioCard
            key={card.id}
            id={index === 0 ? "savedCard" : undefined}
            name="savedCard"
            value={String(index)}
            checked={value?.id === card.id}
            onChange={() => onChange({ id: card.id })}
            errorId={error ? "savedCard-error" : undefined}
            testId="saved-card-option"
            title={cardTitle(card)}
            description={`Последняя выплата ${formatDateLong(card.lastPaidAt)} · ${formatRequestNumber(card.lastRequestNumber)}`}
          />
        ))}
      </div>
    );
  }

  return (
    <fieldset aria-describedby={error ? "savedCard-error" : undefined} className="rounded-xl border border-slate-200 bg-slate-50 p-3 sm:p-4">
      <legend className="px-1 text-sm font-medium text-slate-800">Сохранённая карта получателя</legend>
      {body}
      <FieldError id="savedCard" message={error} />
    </fieldset>
  );
}
