import { LinkNotice } from "@/components/recipient/link-notice";
import { RecipientShell } from "@/components/recipient/page-shell";
import { pageTitle, recipientDictionary } from "@/lib/i18n/recipient";
import { recipientLocale } from "./locale";

/** An unknown, mistyped or truncated payout link. Answered with HTTP 404 and noindex. */
export default async function RecipientLinkNotFound() {
  const locale = await recipientLocale();
  const t = recipientDictionary(locale);
  return (
    <RecipientShell locale={locale}>
      <title>{pageTitle(locale, { kind: "not_found" })}</title>
      <div className="px-4 py-8 sm:px-8">
        <LinkNotice kind="not_found" title={t.link.notFoundTitle} headingLevel={1}>
          <p>{t.link.notFoundBody}</p>
        </LinkNotice>
      </div>
    </RecipientShell>
  );
}
