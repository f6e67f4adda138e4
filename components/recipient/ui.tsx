"use client";

import { useEffect, useRef, type ButtonHTMLAttributes, type ReactNode } from "react";

/** Small building blocks shared by the recipient page's islands (no state of their own). */

const base =
  "inline-flex min-h-12 w-full items-center justify-center gap-2 rounded-xl px-5 py-3 text-base font-semibold transition-colors disabled:cursor-not-allowed";

export function PrimaryButton({ className = "", children, ...props }: ButtonHTMLAttributes<HTMLButtonElement>) {
  return (
    <button {...props} className={`${base} bg-brand-600 text-white shadow-sm hover:bg-brand-700 disabled:bg-brand-600/60 ${className}`}>
      {children}
    </button>
  );
}

export function SecondaryButton({ className = "", children, ...props }: ButtonHTMLAttributes<HTMLButtonElement>) {
  return (
    <button
      {...props}
      className={`${base} border border-slate-300 bg-white text-slate-800 hover:bg-slate-50 disabled:text-slate-400 ${className}`}
    >
      {children}
    </button>
  );
}

export function Spinner({ className = "size-5" }: { className?: string }) {
  return (
    <svg aria-hidden viewBox="0 0 24 24" className={`animate-spin ${className}`} fill="none">
      <circle cx="12" cy="12" r="9" stroke="currentColor" strokeOpacity="0.25" strokeWidth="3" />
      <path d="M21 12a9 9 0 0 0-9-9" stroke="currentColor" strokeWidth="3" strokeLinecap="round" />
    </svg>
  );
}

/** A problem with a way forward: what happened, and (optionally) a button to try again. */
export function ErrorNotice({
  message,
  action,
  testId = "recipient-error",
}: {
  message: string;
  action?: { label: string; onClick: () => void; disabled?: boolean };
  testId?: string;
}) {
  return (
    <div role="alert" data-testid={testId} className="rounded-xl border border-red-200 bg-red-50 p-4 text-sm text-red-800">
      <p className="flex gap-2">
        <svg aria-hidden viewBox="0 0 20 20" className="mt-0.5 size-4 shrink-0" fill="currentColor">
          <path d="M10 2a8 8 0 1 0 0 16 8 8 0 0 0 0-16Zm-.75 4.5a.75.75 0 0 1 1.5 0v4a.75.75 0 0 1-1.5 0v-4ZM10 14.75a1 1 0 1 1 0-2 1 1 0 0 1 0 2Z" />
        </svg>
        <span data-testid={`${testId}-text`}>{message}</span>
      </p>
      {action ? (
        <button
          type="button"
          onClick={action.onClick}
          disabled={action.disabled}
          className="mt-3 inline-flex min-h-10 items-center rounded-lg border border-red-300 bg-white px-4 font-semibold text-red-800 hover:bg-red-100 disabled:opacity-60"
        >
          {action.label}
        </button>
      ) : null}
    </div>
  );
}

/** A step's heading that takes keyboard focus when the step replaces another one (not on first load). */
export function StepHeading({ children, focus, className = "", testId }: { children: ReactNode; focus: boolean; className?: string; testId?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, [focus]);
  return (
    <h2 ref={ref} tabIndex={-1} data-testid={testId} className={`text-lg font-semibold tracking-tight text-slate-900 outline-none ${className}`}>
      {children}
    </h2>
  );
}

/** Label/value rows: the recipient reads these before confirming. */
export function DetailList({ rows }: { rows: Array<{ label: string; value: ReactNode; testId?: string; strong?: boolean }> }) {
  return (
    <dl className="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white">
      {rows.map((row) => (
        <div key={row.label} className="flex items-baseline justify-between gap-4 px-4 py-3">
          <dt className="shrink-0 text-sm text-slate-500">{row.label}</dt>
          <dd data-testid={row.testId} className={`min-w-0 text-right break-words ${row.strong ? "text-base font-semibold text-slate-900" : "text-slate-800"}`}>
            {row.value}
          </dd>
        </div>
      ))}
    </dl>
  );
}
