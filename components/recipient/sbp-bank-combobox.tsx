"use client";

import { useId, useMemo, useRef, useState } from "react";
import type { SbpTexts } from "@/lib/i18n/recipient";
import type { SbpBankOption } from "./types";

/** Options shown at once; typing narrows the list (the whole list is already in the page). */
const MAX_OPTIONS = 50;

/** The SBP step's text inputs (bank search, phone). */
export const SBP_INPUT_CLASS =
  "mt-1 block min-h-12 w-full rounded-xl border border-slate-300 px-4 text-base text-slate-900 focus:border-brand-600 focus:ring-2 focus:ring-brand-600/30 focus:outline-none aria-invalid:border-red-500";

const fold = (text: string) => text.toLowerCase().replace(/ё/g, "е");

/**
 * The SBP bank picker: an ARIA 1.2 combobox (editable input + listbox, list autocomplete). Typing
 * filters the list the server gave (no request per keystroke), arrows move the active option, Enter
 * or a click chooses it, Escape closes the list.
 */
export function SbpBankCombobox({
  banks,
  value,
  onChange,
  texts,
  english,
  disabled,
  invalid,
}: {
  banks: SbpBankOption[];
  value: SbpBankOption | null;
  onChange: (bank: SbpBankOption | null) => void;
  texts: SbpTexts;
  /** Show the banks' English names (the English page). */
  english: boolean;
  disabled?: boolean;
  invalid?: boolean;
}) {
  const id = useId();
  const listId = `${id}-list`;
  const hintId = `${id}-hint`;
  const nameOf = (bank: SbpBankOption) => (english ? bank.nameEn : bank.name);
  const [query, setQuery] = useState(value ? nameOf(value) : "");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);

  const matches = useMemo(() => {
    const needle = fold(query.trim());
    const found = needle ? banks.filter((bank) => fold(bank.name).includes(needle) || fold(bank.nameEn).includes(needle)) : banks;
    return found.slice(0, MAX_OPTIONS);
  }, [banks, query]);

  function choose(bank: SbpBankOption) {
    onChange(bank);
    setQuery(nameOf(bank));
    setOpen(false);
  }

  function onKeyDown(event: React.KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!open) {
        setOpen(true);
        setActive(0);
        return;
      }
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((current) => (matches.length === 0 ? 0 : (current + step + matches.length) % matches.length));
    } else if (event.key === "Enter") {
      if (open && matches[active]) {
        event.preventDefault();
        choose(matches[active]);
      }
    } else if (event.key === "Escape") {
      setOpen(false);
    }
  }

  const activeId = open && matches[active] ? `${id}-option-${matches[active].id}` : undefined;

  return (
    <div className="relative">
      <label htmlFor={`${id}-input`} className="block text-sm font-medium text-slate-800">
        {texts.bankLabel}
      </label>
      <input
        ref={inputRef}
        id={`${id}-input`}
        type="text"
        role="combobox"
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={activeId}
        aria-describedby={hintId}
        aria-invalid={invalid || undefined}
        data-testid="sbp-bank-input"
        placeholder={texts.bankPlaceholder}
        disabled={disabled}
        value={query}
        onChange={(event) => {
          setQuery(event.target.value);
          setActive(0);
          setOpen(true);
          if (value && event.target.value !== nameOf(value)) onChange(null);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
        className={SBP_INPUT_CLASS}
      />
      <p id={hintId} className="mt-1 text-xs text-slate-500">
        {texts.bankHint}
      </p>
      <p className="sr-only" aria-live="polite">
        {open ? (matches.length > 0 ? texts.bankOptions(matches.length) : texts.noBankMatch) : ""}
      </p>
      <ul
        id={listId}
        role="listbox"
        aria-label={texts.bankLabel}
        hidden={!open}
        className="absolute z-10 mt-1 max-h-64 w-full overflow-y-auto rounded-xl border border-slate-200 bg-white py-1 shadow-lg"
      >
        {matches.length === 0 ? (
          <li role="presentation" className="px-4 py-2 text-sm text-slate-500">
            {texts.noBankMatch}
          </li>
        ) : (
          matches.map((bank, index) => (
            <li
              key={bank.id}
              id={`${id}-option-${bank.id}`}
              role="option"
              aria-selected={index === active}
              data-testid="sbp-bank-option"
              // mousedown, not click: the input's blur would close the list first.
              onMouseDown={(event) => {
                event.preventDefault();
                choose(bank);
              }}
              onMouseEnter={() => setActive(index)}
              className={`cursor-pointer px-4 py-2 text-base ${index === active ? "bg-brand-50 text-brand-800" : "text-slate-800"}`}
            >
              {nameOf(bank)}
            </li>
          ))
        )}
      </ul>
    </div>
  );
}
