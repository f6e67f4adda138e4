"use client";

import { formatMaskedCard } from "@/lib/cards";
import { formatRequestNumber } from "@/lib/format/numbers";
import { recipientDictionary, type RecipientDictionary, type RecipientLocale } from "@/lib/i18n/recipient";
import type { RecipientView } from "@/lib/payouts/views";
import { sbpInstrumentLabel } from "./sbp-labels";
import { useErrorText } from "./error-text";
import { errorCodeOf } from "./api";
import { DetailList, ErrorNotice, Spinner, StepHeading } from "./ui";
import { isSettled, useRetryStart } from "./use-recipient-view";

type StepState = "done" | "current" | "upcoming" | "failed";
interface TimelineStep {
  key: string;
  label: string;
  state: StepState;
}

type Tone = "progress" | "success" | "danger" | "neutral" | "warning";

const TONE_OF: Record<RecipientView["status"], Tone> = {
  awaiting_recipient: "progress",
  submitted: "progress",
  awaiting_approval: "progress",
  confirming: "progress",
  cancelling: "neutral",
  bank_error: "warning",
  paid: "success",
  failed: "danger",
  cancelled: "neutral",
  refunded: "warning",
  expired: "neutral",
};

/** submitted → waiting for approval → paid; or the way it ended instead. */
export function timelineOf(status: RecipientView["status"], t: RecipientDictionary): TimelineStep[] {
  const s = t.status.steps;
  const submitted = (state: StepState): TimelineStep => ({ key: "submitted", label: s.submitted, state });
  const approval = (state: StepState): TimelineStep => ({ key: "approval", label: s.approval, state });
  const paid = (state: StepState): TimelineStep => ({ key: "paid", label: s.paid, state });
  switch (status) {
    case "awaiting_recipient":
    case "submitted":
      return [submitted("current"), approval("upcoming"), paid("upcoming")];
    case "awaiting_approval":
    case "confirming":
    case "cancelling":
    case "bank_error":
      return [submitted("done"), approval("current"), paid("upcoming")];
    case "paid":
      return [submitted("done"), approval("done"), paid("done")];
    case "refunded":
      return [submitted("done"), approval("done"), paid("done"), { key: "refunded", label: s.refunded, state: "failed" }];
    case "failed":
      return [submitted("done"), { key: "failed", label: s.failed, state: "failed" }];
    case "cancelled":
    case "expired":
      return [submitted("done"), { key: "cancelled", label: s.cancelled, state: "failed" }];
  }
}

function instrumentLabel(view: RecipientView, locale: RecipientLocale, t: RecipientDictionary): string | null {
  const instrument = view.instrument;
  if (!instrument) return null;
  if (instrument.kind === "card") return t.status.card(formatMaskedCard({ brand: instrument.brand, last4: instrument.last4 }, locale));
  if (instrument.kind === "sbp") return sbpInstrumentLabel(instrument, locale);
  return instrument.maskedAccount ? t.status.account(instrument.maskedAccount) : null;
}

const ICON_TONE: Record<Tone, string> = {
  progress: "bg-brand-50 text-brand-700 ring-brand-100",
  success: "bg-brand-600 text-white ring-brand-100",
  danger: "bg-red-600 text-white ring-red-100",
  neutral: "bg-slate-200 text-slate-700 ring-slate-100",
  warning: "bg-amber-100 text-amber-800 ring-amber-50",
};

function StatusIcon({ tone }: { tone: Tone }) {
  return (
    <span aria-hidden className={`grid size-11 shrink-0 place-items-center rounded-full ring-4 sm:size-12 sm:ring-8 ${ICON_TONE[tone]}`}>
      {tone === "success" ? (
        <svg viewBox="0 0 24 24" className="size-6" fill="none" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" strokeLinejoin="round">
          <path d="m5 12.5 4.5 4.5L19 7.5" />
        </svg>
      ) : tone === "danger" ? (
        <svg viewBox="0 0 24 24" className="size-6" fill="none" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round">
          <path d="M7 7l10 10M17 7 7 17" />
        </svg>
      ) : tone === "neutral" ? (
        <svg viewBox="0 0 24 24" className="size-6" fill="none" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round">
          <path d="M6 12h12" />
        </svg>
      ) : tone === "warning" ? (
        <svg viewBox="0 0 24 24" className="size-6" fill="none" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round">
          <path d="M12 7v6M12 17h.01" />
        </svg>
      ) : (
        <svg viewBox="0 0 24 24" className="size-6" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round">
          <circle cx="12" cy="12" r="8" />
          <path d="M12 8v4l2.5 2.5" />
        </svg>
      )}
    </span>
  );
}

function StepMarker({ state, index }: { state: StepState; index: number }) {
  if (state === "done") {
    return (
      <span aria-hidden className="relative z-10 grid size-7 place-items-center rounded-full bg-brand-600 text-white">
        <svg viewBox="0 0 20 20" className="size-4" fill="none" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" strokeLinejoin="round">
          <path d="m5 10.5 3.2 3.2L15 7" />
        </svg>
      </span>
    );
  }
  if (state === "failed") {
    return (
      <span aria-hidden className="relative z-10 grid size-7 place-items-center rounded-full bg-red-600 text-white">
        <svg viewBox="0 0 20 20" className="size-3.5" fill="none" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round">
          <path d="M6 6l8 8M14 6l-8 8" />
        </svg>
      </span>
    );
  }
  if (state === "current") {
    return (
      <span aria-hidden className="relative z-10 grid size-7 place-items-center rounded-full border-2 border-brand-600 bg-white">
        <span className="size-2.5 animate-pulse rounded-full bg-brand-600" />
      </span>
    );
  }
  return (
    <span aria-hidden className="relative z-10 grid size-7 place-items-center rounded-full border-2 border-slate-200 bg-white text-xs font-semibold text-slate-500">
      {index + 1}
    </span>
  );
}

function Timeline({ steps, t }: { steps: TimelineStep[]; t: RecipientDictionary }) {
  return (
    <ol aria-label={t.status.progress} className="space-y-0" data-testid="status-timeline">
      {steps.map((step, index) => {
        const last = index === steps.length - 1;
        return (
          <li
            key={step.key}
            aria-current={step.state === "current" ? "step" : undefined}
            data-state={step.state}
            data-step={step.key}
            className="relative flex gap-3 pb-5 last:pb-0"
          >
            {last ? null : (
              <span aria-hidden className={`absolute top-7 bottom-0 left-3.5 w-0.5 -translate-x-1/2 ${step.state === "done" ? "bg-brand-600" : "bg-slate-200"}`} />
            )}
            <StepMarker state={step.state} index={index} />
            <span
              className={`pt-0.5 text-sm ${
                step.state === "current" ? "font-semibold text-slate-900" : step.state === "failed" ? "font-semibold text-red-700" : step.state === "done" ? "text-slate-700" : "text-slate-500"
              }`}
            >
              {step.label}
              <span className="sr-only"> — {t.status.stepState[step.state]}</span>
            </span>
          </li>
        );
      })}
    </ol>
  );
}

/**
 * Where the payout is, updating by itself: a headline for the current status, the timeline, the
 * card or account it goes to, and — when the bank did not answer the start — a "try again".
 */
export function StatusView({
  token,
  view,
  locale,
  onView,
  focusOnMount,
  updateFailed,
}: {
  token: string;
  view: RecipientView;
  locale: RecipientLocale;
  onView: (view: RecipientView) => void;
  focusOnMount: boolean;
  updateFailed: boolean;
}) {
  const t = recipientDictionary(locale);
  const errorText = useErrorText();
  const retry = useRetryStart(token, onView);
  const text = t.status.byStatus[view.status];
  const to = instrumentLabel(view, locale, t);
  const tone = TONE_OF[view.status];
  const settled = isSettled(view);
  const showBankPending = view.bankPending && !settled;
  // "Sent to the bank" would contradict "the bank is not answering": say what is really happening.
  const title = showBankPending && view.status === "submitted" ? t.status.bankPendingTitle : text.title;
  const body = showBankPending && view.status === "submitted" ? null : text.body({ payer: view.payerName, to, kind: view.instrument?.kind ?? null });

  return (
    <section aria-labelledby="status-title" className="space-y-6" data-testid="status-view" data-status={view.status}>
      <div className="flex items-start gap-4">
        <StatusIcon tone={tone} />
        <div className="min-w-0 pt-0.5" aria-live="polite" aria-atomic="true">
          <StepHeading focus={focusOnMount} className="text-xl" testId="status-title">
            <span id="status-title">{title}</span>
          </StepHeading>
          {body ? (
            <p className="mt-1 text-sm text-slate-600" data-testid="status-body">
              {body}
            </p>
          ) : null}
          {view.status === "failed" && view.failure ? (
            <p className="mt-2 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="failure-reason">
              {view.failure.message[locale]}
            </p>
          ) : null}
        </div>
      </div>

      {showBankPending ? (
        <div className="rounded-xl border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900" data-testid="bank-pending">
          <p>{t.status.bankPending}</p>
          {retry.error ? <p className="mt-2 text-red-700">{errorText(errorCodeOf(retry.error))}</p> : null}
          <button
            type="button"
            onClick={() => retry.retry()}
            disabled={retry.isPending}
            className="mt-3 inline-flex min-h-10 items-center gap-2 rounded-lg border border-amber-300 bg-white px-4 font-semibold text-amber-900 hover:bg-amber-100 disabled:opacity-60"
          >
            {retry.isPending ? <Spinner className="size-4" /> : null}
            {retry.isPending ? t.status.bankPendingRetrying : t.status.bankPendingRetry}
          </button>
        </div>
      ) : null}

      <Timeline steps={timelineOf(view.status, t)} t={t} />

      <DetailList
        rows={[
          ...(to ? [{ label: t.status.to, value: to, testId: "status-instrument" }] : []),
          { label: t.summary.payoutNumber, value: formatRequestNumber(view.number) },
        ]}
      />

      {settled ? null : updateFailed ? (
        <ErrorNotice testId="status-update-failed" message={t.status.updateFailed} />
      ) : (
        <p className="flex items-center gap-2 text-xs text-slate-500" data-testid="auto-update">
          <span aria-hidden className="relative flex size-2">
            <span className="absolute inline-flex size-full animate-ping rounded-full bg-brand-500 opacity-60" />
            <span className="relative inline-flex size-2 rounded-full bg-brand-500" />
          </span>
          {t.status.autoUpdate}
        </p>
      )}
    </section>
  );
}
