"use client";

import { useEffect, useState, type FormEvent } from "react";
import { kopecksToRublesInput, parseRublesToKopecks } from "@/lib/money";
import type { DashboardParams } from "./api";
import { METHOD_LABEL, SOURCE_ACCOUNT_LABEL } from "@/lib/format/status";

const inputClass =
  "h-9 w-full rounded-lg border border-slate-300 bg-white px-2.5 text-sm text-slate-900 placeholder:text-slate-400 focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-100";
const labelClass = "block text-xs font-medium text-slate-600";

const kopecksToInput = (value: string) => (value ? kopecksToRublesInput(Number(value)).replace(/,00$/, "") : "");

/** Search as you type (debounced); the URL keeps the committed value. */
export function SearchBox({ value, onCommit }: { value: string; onCommit: (q: string) => void }) {
  const [text, setText] = useState(value);
  const [seen, setSeen] = useState(value);
  const [committed, setCommitted] = useState(value);
  // The URL changed under us (back button, reset): show it, unless it is our own commit coming back.
  if (value !== seen) {
    setSeen(value);
    if (value !== committed) {
      setText(value);
      setCommitted(value);
    }
  }
  useEffect(() => {
    if (text.trim() === committed.trim()) return;
    const timer = setTimeout(() => {
      setCommitted(text);
      onCommit(text.trim());
    }, 350);
    return () => clearTimeout(timer);
  }, [text, committed, onCommit]);

  return (
    <div className="relative">
      <label htmlFor="sessions-search" className="sr-only">
        Поиск
      </label>
      <svg aria-hidden viewBox="0 0 20 20" className="pointer-events-none absolute left-2.5 top-2.5 size-4 text-slate-400" fill="none" stroke="currentColor" strokeWidth="2">
        <circle cx="9" cy="9" r="6" />
        <path d="m14 14 4 4" strokeLinecap="round" />
      </svg>
      <input
        id="sessions-search"
        type="search"
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter") {
            setCommitted(text);
            onCommit(text.trim());
          }
        }}
        maxLength={200}
        placeholder="Получатель, PR-000042, ps_…, po_…, референс"
        className={`${inputClass} pl-8`}
        data-testid="sessions-search"
        autoComplete="off"
        spellCheck={false}
      />
    </div>
  );
}

/** Date, amount, method and source filters. Selects and dates apply at once; amounts on Enter / blur. */
export function FiltersBar({
  params,
  onChange,
  onReset,
  hasFilters,
}: {
  params: DashboardParams;
  onChange: (patch: Partial<DashboardParams>) => void;
  onReset: () => void;
  hasFilters: boolean;
}) {
  const [min, setMin] = useState(() => kopecksToInput(params.minKopecks));
  const [max, setMax] = useState(() => kopecksToInput(params.maxKopecks));
  const [seen, setSeen] = useState({ min: params.minKopecks, max: params.maxKopecks });
  const [error, setError] = useState<string | null>(null);
  if (seen.min !== params.minKopecks || seen.max !== params.maxKopecks) {
    setSeen({ min: params.minKopecks, max: params.maxKopecks });
    setMin(kopecksToInput(params.minKopecks));
    setMax(kopecksToInput(params.maxKopecks));
    setError(null);
  }

  const applyAmounts = (event?: FormEvent) => {
    event?.preventDefault();
    const parse = (value: string, label: string): string | null | undefined => {
      if (value.trim() === "") return "";
      const parsed = parseRublesToKopecks(value);
      if (!parsed.ok) {
        setError(`${label}: ${parsed.reason}`);
        return null;
      }
      return String(parsed.kopecks);
    };
    const minKopecks = parse(min, "Сумма от");
    if (minKopecks === null) return;
    const maxKopecks = parse(max, "Сумма до");
    if (maxKopecks === null) return;
    if (minKopecks && maxKopecks && Number(minKopecks) > Number(maxKopecks)) {
      setError("«Сумма от» больше, чем «до».");
      return;
    }
    setError(null);
    if (minKopecks !== params.minKopecks || maxKopecks !== params.maxKopecks) onChange({ minKopecks: minKopecks ?? "", maxKopecks: maxKopecks ?? "" });
  };

  return (
    <form onSubmit={applyAmounts} className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-[repeat(6,minmax(0,1fr))_auto]" data-testid="filters" noValidate>
      <div>
        <label className={labelClass} htmlFor="filter-from">
          Создана с
        </label>
        <input id="filter-from" type="date" value={params.from} max={params.to || undefined} onChange={(event) => onChange({ from: event.target.value })} className={inputClass} data-testid="filter-from" />
      </div>
      <div>
        <label className={labelClass} htmlFor="filter-to">
          по
        </label>
        <input id="filter-to" type="date" value={params.to} min={params.from || undefined} onChange={(event) => onChange({ to: event.target.value })} className={inputClass} data-testid="filter-to" />
      </div>
      <div>
        <label className={labelClass} htmlFor="filter-min">
          Сумма от, ₽
        </label>
        <input
          id="filter-min"
          inputMode="decimal"
          value={min}
          onChange={(event) => setMin(event.target.value)}
          onBlur={() => applyAmounts()}
          placeholder="0"
          className={inputClass}
          aria-invalid={error?.startsWith("Сумма от") || undefined}
          data-testid="filter-min"
        />
      </div>
      <div>
        <label className={labelClass} htmlFor="filter-max">
          до, ₽
        </label>
        <input
          id="filter-max"
          inputMode="decimal"
          value={max}
          onChange={(event) => setMax(event.target.value)}
          onBlur={() => applyAmounts()}
          placeholder="∞"
          className={inputClass}
          aria-invalid={error?.startsWith("Сумма до") || undefined}
          data-testid="filter-max"
        />
      </div>
      <div>
        <label className={labelClass} htmlFor="filter-method">
          Способ
        </label>
        <select id="filter-method" value={params.method} onChange={(event) => onChange({ method: event.target.value })} className={inputClass} data-testid="filter-method">
          <option value="">Все способы</option>
          {Object.entries(METHOD_LABEL).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label className={labelClass} htmlFor="filter-source">
          Счёт списания
        </label>
        <select id="filter-source" value={params.source} onChange={(event) => onChange({ source: event.target.value })} className={inputClass} data-testid="filter-source">
          <option value="">Все счета</option>
          {Object.entries(SOURCE_ACCOUNT_LABEL).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div className="flex items-end">
        <button
          type="button"
          onClick={onReset}
          disabled={!hasFilters}
          className="h-9 whitespace-nowrap rounded-lg px-3 text-sm font-medium text-slate-600 hover:bg-slate-100 disabled:cursor-default disabled:opacity-40 disabled:hover:bg-transparent"
          data-testid="filters-reset"
        >
          Сбросить
        </button>
      </div>
      {/* Enter in an amount field submits the form. */}
      <button type="submit" className="hidden" tabIndex={-1} aria-hidden />
      {error ? (
        <p role="alert" className="col-span-full text-sm text-red-700" data-testid="filters-error">
          {error}
        </p>
      ) : null}
    </form>
  );
}
