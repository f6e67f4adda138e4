/**
 * Both languages of the recipient page, for the server (pages, metadata, tests): importing this module
 * registers them with `recipientDictionary()`. The browser loads only its own language instead
 * (components/recipient/texts.tsx).
 * Dates are worded here, on the server, too: lib/format/time builds its Moscow-time formatters when it
 * loads (a hundred-odd ms of a phone's CPU), so the browser's modules never import it.
 */
import { formatDateTimeLong } from "../format/time";
import type { RecipientLocale } from "./recipient";
import "./recipient-ru";
import "./recipient-en";

/** Moscow time, stated: the server renders it, so the reader's own zone is unknown. */
export function formatLinkDate(iso: string, locale: RecipientLocale): string {
  return `${formatDateTimeLong(iso, locale)} ${locale === "ru" ? "(МСК)" : "(Moscow time)"}`;
}
