import type { InputHTMLAttributes, ReactNode } from "react";

/** Form building blocks for the payout pages: a label, the control, a hint and the error under it. */

export const inputClass =
  "block w-full rounded-lg border bg-white px-3 py-2 text-base shadow-sm transition placeholder:text-slate-400 focus:outline-none focus:ring-2 disabled:bg-slate-100 aria-[invalid=true]:border-red-500 aria-[invalid=true]:ring-red-200 border-slate-300 focus:border-brand-500 focus:ring-brand-100";

export function describedBy(id: string, hint: boolean, error: boolean): string | undefined {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

export function FieldError({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <p id={`${id}-error`} data-testid={`${id}-error`} className="mt-1.5 flex gap-1.5 text-sm text-red-700">
      <svg aria-hidden viewBox="0 0 20 20" className="mt-0.5 size-4 shrink-0 fill-current">
        <path d="M10 1.5a8.5 8.5 0 1 0 0 17 8.5 8.5 0 0 0 0-17Zm-.9 4.3h1.8v5.6H9.1V5.8Zm.9 8.9a1.1 1.1 0 1 1 0-2.2 1.1 1.1 0 0 1 0 2.2Z" />
      </svg>
      <span>{message}</span>
    </p>
  );
}

export function TextField({
  id,
  label,
  hint,
  error,
  optional,
  suffix,
  ...input
}: {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  optional?: boolean;
  suffix?: string;
} & Omit<InputHTMLAttributes<HTMLInputElement>, "id">) {
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
        {optional ? <span className="font-normal text-slate-500"> — необязательно</span> : null}
      </label>
      <div className="relative mt-1">
        <input
          id={id}
          name={id}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, Boolean(hint), Boolean(error))}
          className={`${inputClass} ${suffix ? "pr-9" : ""}`}
          {...input}
        />
        {suffix ? (
          <span aria-hidden className="pointer-events-none absolute inset-y-0 right-3 grid place-items-center text-slate-500">
            {suffix}
          </span>
        ) : null}
      </div>
      {hint ? (
        <p id={`${id}-hint`} className="mt-1.5 text-sm text-slate-500">
          {hint}
        </p>
      ) : null}
      <FieldError id={id} message={error} />
    </div>
  );
}

/** One option of a radio group drawn as a card; the native radio keeps arrow-key navigation. */
export function RadioCard({
  name,
  value,
  checked,
  onChange,
  title,
  description,
  errorId,
  testId,
  id,
}: {
  name: string;
  value: string;
  checked: boolean;
  onChange: (value: string) => void;
  title: ReactNode;
  description?: ReactNode;
  /** The group's error message, read out when an option gets focus. */
  errorId?: string;
  testId?: string;
  id?: string;
}) {
  return (
    <label
      data-testid={testId}
      className="flex cursor-pointer gap-3 rounded-xl border border-slate-200 bg-white p-3 shadow-sm transition hover:border-slate-300 has-[:checked]:border-brand-500 has-[:checked]:bg-brand-50 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand-500"
    >
      <input
        id={id}
        type="radio"
        name={name}
        value={value}
        checked={checked}
        onChange={(event) => onChange(event.currentTarget.value)}
        aria-describedby={errorId}
        className="mt-1 size-4 shrink-0 accent-brand-600 focus:outline-none"
      />
      <span className="min-w-0">
        <span className="block font-medium text-slate-900">{title}</span>
        {description ? <span className="mt-0.5 block text-sm text-slate-600">{description}</span> : null}
      </span>
    </label>
  );
}
