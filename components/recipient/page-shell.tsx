import type { ReactNode } from "react";
import { recipientDictionary, type RecipientLocale } from "@/lib/i18n/recipient";
import { LanguageSwitch } from "./language-switch";

/**
 * The frame of every recipient page: the portal's mark, the language switch, one white card and a
 * few quiet lines underneath. Mobile first: a single column up to 32rem wide.
 */
export interface ShellNote {
  icon: "lock" | "info";
  text: string;
}

const NOTE_ICON: Record<ShellNote["icon"], string> = {
  lock: "M10 1.5a4 4 0 0 0-4 4V8H5a1.5 1.5 0 0 0-1.5 1.5v7A1.5 1.5 0 0 0 5 18h10a1.5 1.5 0 0 0 1.5-1.5v-7A1.5 1.5 0 0 0 15 8h-1V5.5a4 4 0 0 0-4-4Zm2.5 6.5h-5V5.5a2.5 2.5 0 0 1 5 0V8Z",
  info: "M10 2a8 8 0 1 0 0 16 8 8 0 0 0 0-16Zm.75 12.25a.75.75 0 0 1-1.5 0V9.5a.75.75 0 0 1 1.5 0v4.75ZM10 7.5a1 1 0 1 1 0-2 1 1 0 0 1 0 2Z",
};

export function RecipientShell({ locale, notes = [], children }: { locale: RecipientLocale; notes?: ShellNote[]; children: ReactNode }) {
  const t = recipientDictionary(locale);
  return (
    // The phone's own font: nothing to download before the text can settle (the portal's Geist is not loaded here).
    <div lang={t.htmlLang} className="min-h-dvh bg-slate-100 [font-family:ui-sans-serif,system-ui,sans-serif]">
      {/* The URL carries the link token: no Referer to anyone (React hoists this into <head>). */}
      <meta name="referrer" content="no-referrer" />
      <div className="mx-auto flex w-full max-w-lg flex-col px-3 pt-3 pb-10 sm:px-4 sm:pt-10">
        <header className="flex items-center justify-between gap-3 px-1 pb-3 sm:pb-4">
          <span className="inline-flex items-center gap-2.5">
            <span aria-hidden className="grid size-9 place-items-center rounded-xl bg-brand-600 text-sm font-bold text-white shadow-sm">
              131
            </span>
            <span className="leading-tight">
              <span className="block text-base font-semibold tracking-tight text-slate-900">{t.brand}</span>
              <span className="block text-xs text-slate-600">{t.bankName}</span>
            </span>
          </span>
          <LanguageSwitch locale={locale} labels={t.language} />
        </header>
        <main className="overflow-hidden rounded-2xl border border-slate-200 bg-white shadow-sm">{children}</main>
        {notes.length > 0 ? (
          <footer className="mt-5 space-y-2 px-1 text-xs leading-relaxed text-slate-600">
            {notes.map((note) => (
              <p key={note.text} className="flex gap-2">
                <svg aria-hidden viewBox="0 0 20 20" className="mt-px size-3.5 shrink-0" fill="currentColor">
                  <path d={NOTE_ICON[note.icon]} />
                </svg>
                <span>{note.text}</span>
              </p>
            ))}
          </footer>
        ) : null}
      </div>
    </div>
  );
}
