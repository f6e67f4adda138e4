"use client";

import { use, type ReactNode } from "react";
import { hasRecipientDictionary, type RecipientLocale } from "@/lib/i18n/recipient";

/**
 * Loads the page's language of the recipient texts before its children render, so that
 * `recipientDictionary(locale)` works in them. Each language is a chunk of its own: the browser
 * fetches only the one the page is in (and the other one only if the recipient switches).
 */
const LOADERS: Record<RecipientLocale, () => Promise<unknown>> = {
  ru: () => import("@/lib/i18n/recipient-ru"),
  en: () => import("@/lib/i18n/recipient-en"),
};
const loading = new Map<RecipientLocale, Promise<unknown>>();

export function RecipientTexts({ locale, children }: { locale: RecipientLocale; children: ReactNode }) {
  if (!hasRecipientDictionary(locale)) {
    let load = loading.get(locale);
    if (!load) {
      load = LOADERS[locale]();
      loading.set(locale, load);
    }
    use(load);
  }
  return children;
}
