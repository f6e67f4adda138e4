"use client";

import { createContext, useCallback, useContext, type ReactNode } from "react";

/**
 * The recipient's error sentences in the page's language, one per code, worded on the server from
 * the catalogue (lib/i18n/errors.ts `recipientErrorSentences`): the browser gets strings, not the
 * catalogue. Unknown codes read as `internal_error`, as the catalogue words them.
 */
const ErrorSentences = createContext<Record<string, string>>({});

export function RecipientErrorSentences({ sentences, children }: { sentences: Record<string, string>; children: ReactNode }) {
  return <ErrorSentences value={sentences}>{children}</ErrorSentences>;
}

/** `errorText(code)`: the sentence for an error code the server (or the browser) reported. */
export function useErrorText(): (code: string) => string {
  const sentences = useContext(ErrorSentences);
  return useCallback((code: string) => (Object.hasOwn(sentences, code) ? sentences[code]! : (sentences.internal_error ?? code)), [sentences]);
}
