"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import {
  RECIPIENT_LOCALE_COOKIE,
  RECIPIENT_LOCALE_COOKIE_MAX_AGE,
  RECIPIENT_LOCALES,
  type RecipientDictionary,
  type RecipientLocale,
} from "@/lib/i18n/recipient";

function rememberLocale(locale: RecipientLocale) {
  const secure = window.location.protocol === "https:" ? "; secure" : "";
  document.cookie = `${RECIPIENT_LOCALE_COOKIE}=${locale}; path=/p; max-age=${RECIPIENT_LOCALE_COOKIE_MAX_AGE}; samesite=lax${secure}`;
}

/**
 * RU | EN. The choice goes into the `recipient_locale` cookie and the server renders the page again
 * in that language (the page's state — a typed account, a checked card — stays as it was). Its words
 * come from the server: it renders before the browser has loaded the page's texts.
 */
export function LanguageSwitch({ locale, labels }: { locale: RecipientLocale; labels: RecipientDictionary["language"] }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();

  function choose(next: RecipientLocale) {
    if (next === locale || pending) return;
    rememberLocale(next);
    startTransition(() => router.refresh());
  }

  return (
    <div role="group" aria-label={labels.group} aria-busy={pending} className="inline-flex rounded-lg border border-slate-200 bg-white p-0.5 shadow-xs" data-testid="language-switch">
      {RECIPIENT_LOCALES.map((option) => {
        const active = option === locale;
        return (
          <button
            key={option}
            type="button"
            lang={option}
            aria-pressed={active}
            onClick={() => choose(option)}
            className={`min-h-9 min-w-11 rounded-md px-2.5 text-sm font-semibold transition-colors ${
              active ? "bg-brand-600 text-white" : "text-slate-600 hover:bg-slate-100"
            } ${pending && !active ? "opacity-60" : ""}`}
          >
            {option.toUpperCase()}
            <span className="sr-only"> — {labels[option]}</span>
          </button>
        );
      })}
    </div>
  );
}
