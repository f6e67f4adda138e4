import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { cache, Suspense } from "react";
import { RecipientErrorSentences } from "@/components/recipient/error-text";
import { RecipientTexts } from "@/components/recipient/texts";
import { RecipientShell, type ShellNote } from "@/components/recipient/page-shell";
import { PayoutSummary } from "@/components/recipient/payout-summary";
import { RecipientFlow } from "@/components/recipient/recipient-flow";
import { clientAddress } from "@/lib/auth/throttle";
import { recipientErrorSentences } from "@/lib/i18n/errors";
import { pageStateOf, pageTitle, recipientDictionary } from "@/lib/i18n/recipient";
import { formatLinkDate } from "@/lib/i18n/recipient-texts";
import { loadRecipientView } from "@/lib/server/recipient";
import { checkSbp, checkSelfEmployed, describeCard, getSelfEmployedWidgetToken, getWidgetToken, listSbpBanks, tokenizeAccount } from "./actions";
import { recipientLocale } from "./locale";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ token: string }> };

// One database read per request, shared by the metadata and the page; it counts one open of the link
// from the client's address (risk signals).
const viewFor = cache(async (token: string) => loadRecipientView(token, clientAddress(await headers())));

/** Never indexed, never leaked: the token in the URL is the recipient's key to their money. */
const PRIVATE: Pick<Metadata, "robots" | "referrer"> = {
  robots: { index: false, follow: false, nocache: true, googleBot: { index: false, follow: false } },
  referrer: "no-referrer",
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { token } = await params;
  const [view, locale] = await Promise.all([viewFor(token), recipientLocale()]);
  return { ...PRIVATE, title: { absolute: pageTitle(locale, view ? pageStateOf(view) : { kind: "not_found" }) } };
}

export default async function RecipientPage({ params }: Props) {
  const { token } = await params;
  const [view, locale] = await Promise.all([viewFor(token), recipientLocale()]);
  if (!view) notFound();
  const t = recipientDictionary(locale);
  const notes: ShellNote[] = [
    ...(view.method === "card_widget" ? [{ icon: "lock" as const, text: t.footer.secure }] : []),
    { icon: "info", text: t.footer.questions(view.payerName) },
  ];
  return (
    <RecipientShell locale={locale} notes={notes}>
      <PayoutSummary view={view} locale={locale} />
      {/* The browser gets the texts of this page's language only, and error sentences, not the catalogue. */}
      <Suspense>
        <RecipientTexts locale={locale}>
          <RecipientErrorSentences sentences={recipientErrorSentences(locale)}>
            <RecipientFlow
              token={token}
              initialView={view}
              locale={locale}
              actions={{ getWidgetToken, describeCard, tokenizeAccount, listSbpBanks, checkSbp, selfEmployed: { checkSelfEmployed, getSelfEmployedWidgetToken } }}
              validUntil={t.summary.validUntil(formatLinkDate(view.linkExpiresAt, locale))}
            />
          </RecipientErrorSentences>
        </RecipientTexts>
      </Suspense>
    </RecipientShell>
  );
}
