"use client";

import type { ReactNode } from "react";
import { recipientDictionary, type RecipientLocale } from "@/lib/i18n/recipient";
import { useErrorText } from "./error-text";
import { DetailList, ErrorNotice, PrimaryButton, SecondaryButton, Spinner, StepHeading } from "./ui";

/**
 * The last look before money moves: who, where to, how much — as the bank reported it — and one
 * button. Disabled while the start is in flight; a second click does nothing.
 */
export function ConfirmPanel({
  locale,
  rows,
  onConfirm,
  pending,
  errorCode,
  secondary,
}: {
  locale: RecipientLocale;
  rows: Array<{ label: string; value: ReactNode; testId?: string; strong?: boolean }>;
  onConfirm: () => void;
  pending: boolean;
  errorCode: string | null;
  secondary: { label: string; onClick: () => void };
}) {
  const t = recipientDictionary(locale);
  const errorText = useErrorText();
  return (
    <section aria-labelledby="confirm-heading" className="space-y-4" data-testid="confirm-panel">
      <div>
        <StepHeading focus testId="confirm-heading">
          <span id="confirm-heading">{t.confirm.heading}</span>
        </StepHeading>
        <p className="mt-1 text-sm text-slate-600">{t.confirm.intro}</p>
      </div>
      <DetailList rows={rows} />
      {errorCode ? <ErrorNotice message={errorText(errorCode)} /> : null}
      <div className="space-y-3">
        <PrimaryButton type="button" onClick={onConfirm} disabled={pending} data-testid="confirm-button">
          {pending ? <Spinner /> : null}
          {pending ? t.confirm.submitting : t.confirm.submit}
        </PrimaryButton>
        <SecondaryButton type="button" onClick={secondary.onClick} disabled={pending}>
          {secondary.label}
        </SecondaryButton>
        <p className="text-center text-xs text-slate-500">{t.confirm.note}</p>
      </div>
    </section>
  );
}
