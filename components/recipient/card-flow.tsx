"use client";

import { useRef, useState } from "react";
import { formatMaskedCard } from "@/lib/cards";
import { recipientDictionary } from "@/lib/i18n/recipient";
import { formatKopecks } from "@/lib/money";
import { useErrorText } from "./error-text";
import { errorCodeOf } from "./api";
import { CardWidget } from "./card-widget";
import { ConfirmPanel } from "./confirm-panel";
import type { RecipientActions, InstrumentStepProps } from "./types";
import { ErrorNotice, SecondaryButton, Spinner, StepHeading } from "./ui";
import { isLinkProblem, useStartPayout } from "./use-recipient-view";

type Step =
  | { kind: "widget" }
  | { kind: "checking"; numberHash: string }
  | { kind: "describe_failed"; numberHash: string; code: string }
  | { kind: "confirm"; numberHash: string; brand: string | null; last4: string | null };

/** Card via the bank's widget: card → the bank names it → the recipient confirms → payout starts. */
export function CardFlow({
  token,
  view,
  locale,
  actions,
  validUntil,
  onView,
  refreshView,
}: InstrumentStepProps & { actions: Pick<RecipientActions, "getWidgetToken" | "describeCard"> }) {
  const t = recipientDictionary(locale);
  const errorText = useErrorText();
  const [step, setStep] = useState<Step>({ kind: "widget" });
  const [widgetKey, setWidgetKey] = useState(0);
  const describeRun = useRef(0);
  const { start, isPending, error } = useStartPayout(token, { onView, refresh: refreshView });
  const startError = error ? errorCodeOf(error) : null;

  async function describe(numberHash: string) {
    const run = ++describeRun.current;
    setStep({ kind: "checking", numberHash });
    const result = await actions.describeCard({ linkToken: token, numberHash, locale }).catch(() => ({ ok: false as const, error: { code: "network", message: "" } }));
    if (run !== describeRun.current) return;
    if (!result.ok) {
      setStep({ kind: "describe_failed", numberHash, code: result.error.code });
      if (isLinkProblem(result.error.code)) refreshView();
      return;
    }
    setStep({ kind: "confirm", numberHash, brand: result.data.brand, last4: result.data.last4 });
  }

  function anotherCard() {
    describeRun.current++;
    setWidgetKey((k) => k + 1);
    setStep({ kind: "widget" });
  }

  function confirm(numberHash: string) {
    start({ kind: "card_hash", numberHash });
  }

  if (step.kind === "confirm") {
    return (
      <ConfirmPanel
        locale={locale}
        rows={[
          { label: t.confirm.recipient, value: view.recipientName, testId: "confirm-recipient" },
          { label: t.confirm.card, value: formatMaskedCard({ brand: step.brand, last4: step.last4 }, locale), testId: "card-label", strong: true },
          { label: t.confirm.amount, value: formatKopecks(view.amountKopecks), testId: "confirm-amount", strong: true },
        ]}
        onConfirm={() => confirm(step.numberHash)}
        pending={isPending}
        errorCode={startError}
        secondary={{ label: t.confirm.otherCard, onClick: anotherCard }}
      />
    );
  }

  return (
    <section aria-labelledby="card-heading" className="space-y-4">
      <div>
        <StepHeading focus={widgetKey > 0}>
          <span id="card-heading">{t.card.heading}</span>
        </StepHeading>
        <p className="mt-1 text-sm text-slate-600">{t.card.intro}</p>
      </div>
      <CardWidget
        key={`${locale}:${widgetKey}`}
        linkToken={token}
        locale={locale}
        getWidgetToken={actions.getWidgetToken}
        onCard={(hash) => void describe(hash)}
        onReload={() => setWidgetKey((k) => k + 1)}
        onLinkError={refreshView}
        focusOnReady={widgetKey > 0}
      />
      {step.kind === "checking" ? (
        <p role="status" className="flex items-center gap-2 text-sm text-slate-600" data-testid="card-checking">
          <Spinner className="size-4" />
          {t.card.checking}
        </p>
      ) : null}
      {step.kind === "describe_failed" ? (
        <div className="space-y-3">
          <ErrorNotice
            message={errorText(step.code)}
            action={isLinkProblem(step.code) ? undefined : { label: t.errors.retry, onClick: () => void describe(step.numberHash) }}
          />
          {isLinkProblem(step.code) ? null : (
            <SecondaryButton type="button" onClick={anotherCard}>
              {t.confirm.otherCard}
            </SecondaryButton>
          )}
        </div>
      ) : null}
      <p className="text-xs text-slate-500">{validUntil}</p>
    </section>
  );
}
