import "server-only";
import { cookies, headers } from "next/headers";
// Server components of the page word themselves in either language.
import "@/lib/i18n/recipient-texts";
import { negotiateRecipientLocale, RECIPIENT_LOCALE_COOKIE, type RecipientLocale } from "@/lib/i18n/recipient";

/** The recipient's language for this request: their RU/EN choice (cookie), else the browser's. */
export async function recipientLocale(): Promise<RecipientLocale> {
  const [cookieStore, headerList] = await Promise.all([cookies(), headers()]);
  return negotiateRecipientLocale({
    cookie: cookieStore.get(RECIPIENT_LOCALE_COOKIE)?.value,
    acceptLanguage: headerList.get("accept-language"),
  });
}
