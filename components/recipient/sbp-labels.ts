import { sbpTexts, type RecipientLocale } from "@/lib/i18n/recipient";
import type { RecipientView } from "@/lib/payouts/views";

type SbpInstrument = Extract<NonNullable<RecipientView["instrument"]>, { kind: "sbp" }>;

/** `СБП: Сбербанк, +7 900 ***-**-01` for the status page. */
export function sbpInstrumentLabel(instrument: SbpInstrument, locale: RecipientLocale): string {
  return sbpTexts(locale).to(instrument.bankName ?? "—", instrument.phone ?? "—");
}
