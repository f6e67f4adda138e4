"use client";

import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { recipientDictionary, type RecipientLocale } from "@/lib/i18n/recipient";
import type { RecipientView } from "@/lib/payouts/views";
import type { SelfEmployedActions } from "./types";
import { ErrorNotice, Spinner, StepHeading } from "./ui";
import { loadWidgetScript } from "./widget-script";

/**
 * Self-employed (НПД) payouts: before the card/account step the recipient's INN is checked with the
 * tax service (server side, one step per call, repeated while the answer is pending). Self-employed
 * but not linked → the bank's linking widget, and the page keeps re-checking until the link shows
 * (at once when the widget reports «Мой налог» confirmed). Not self-employed → says so; the payout
 * cannot go on. Only a linked person sees `children` (the card/account step).
 */

/** How often the page asks again while the tax service has not answered or the person is linking. */
const RECHECK_MS = 2_000;
const WIDGET_GLOBAL = "Bank131SelfEmployed";
const WIDGET_CONTAINER_ID = "bank131-self-employed";
const WIDGET_MESSAGE_SOURCE = "bank131-self-employed";

export function SelfEmployedGate({
  token,
  view,
  locale,
  actions,
  onView,
  children,
}: {
  token: string;
  view: RecipientView;
  locale: RecipientLocale;
  actions: SelfEmployedActions;
  onView: (view: RecipientView) => void;
  children: ReactNode;
}) {
  const t = recipientDictionary(locale).selfEmployed;
  const npdStatus = view.selfEmployed?.npdStatus ?? "linked";
  const waiting = npdStatus === "checking" || npdStatus === "not_linked";
  const inFlight = useRef(false);

  const check = useCallback(async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    try {
      const result = await actions.checkSelfEmployed({ linkToken: token });
      if (result.ok) onView(result.data);
    } catch {
      // No answer this time: the next round asks again.
    } finally {
      inFlight.current = false;
    }
  }, [actions, token, onView]);

  useEffect(() => {
    if (!waiting) return;
    void check();
    const timer = window.setInterval(() => void check(), RECHECK_MS);
    return () => window.clearInterval(timer);
  }, [waiting, check]);

  if (npdStatus === "linked") return <>{children}</>;
  const inn = view.selfEmployed?.inn ?? "";

  if (npdStatus === "not_self_employed") {
    return (
      <section data-testid="npd-not-self-employed" role="alert" className="rounded-xl border border-amber-200 bg-amber-50 p-5">
        <StepHeading focus={false}>{t.notSelfEmployedTitle}</StepHeading>
        <p className="mt-2 text-sm text-slate-700">{t.notSelfEmployedBody(inn, view.payerName)}</p>
      </section>
    );
  }

  if (npdStatus === "checking") {
    return (
      <section data-testid="npd-checking" aria-live="polite" className="flex flex-col gap-3">
        <StepHeading focus={false}>{t.checkingTitle}</StepHeading>
        <p className="flex items-start gap-2 text-sm text-slate-600">
          <Spinner className="mt-0.5 size-4 shrink-0" />
          {t.checkingBody(inn)}
        </p>
      </section>
    );
  }

  return (
    <section data-testid="npd-not-linked" className="flex flex-col gap-4">
      <StepHeading focus={false}>{t.notLinkedTitle}</StepHeading>
      <p className="text-sm text-slate-600">{t.notLinkedBody}</p>
      <LinkingWidget token={token} locale={locale} actions={actions} onConfirmed={check} />
      <p className="flex items-center gap-2 text-sm text-slate-500" aria-live="polite">
        <Spinner className="size-4" />
        {t.waitingForLink}
      </p>
    </section>
  );
}

type Phase = { kind: "loading" } | { kind: "ready" } | { kind: "failed"; message: string };

function LinkingWidget({ token, locale, actions, onConfirmed }: { token: string; locale: RecipientLocale; actions: SelfEmployedActions; onConfirmed: () => Promise<void> }) {
  const t = recipientDictionary(locale).selfEmployed;
  const [phase, setPhase] = useState<Phase>({ kind: "loading" });
  const started = useRef(false);

  useEffect(() => {
    // The widget posts its state to this window; «Мой налог» confirmed → check the link at once.
    const onMessage = (event: MessageEvent) => {
      const data = event.data as { source?: unknown; state?: unknown } | null;
      if (event.origin === window.location.origin && data?.source === WIDGET_MESSAGE_SOURCE && data.state === "confirmed") void onConfirmed();
    };
    window.addEventListener("message", onMessage);
    return () => window.removeEventListener("message", onMessage);
  }, [onConfirmed]);

  useEffect(() => {
    // The public token is single use: one widget per page.
    if (started.current) return;
    started.current = true;
    void (async () => {
      try {
        const result = await actions.getSelfEmployedWidgetToken({ linkToken: token });
        if (!result.ok) return setPhase({ kind: "failed", message: t.widgetFailed });
        const { publicToken, taxReference, widgetUrl } = result.data;
        addStylesheet(widgetUrl.replace(/\.js(\?.*)?$/, ".css"));
        const Widget = (await loadWidgetScript(widgetUrl, WIDGET_GLOBAL, null)) as unknown as SelfEmployedWidgetConstructor;
        new Widget({ initialValues: { taxReferenceOrPhone: taxReference }, stage: Widget.STAGES?.bind ?? "bind", publicToken }).render();
        setPhase({ kind: "ready" });
      } catch {
        setPhase({ kind: "failed", message: t.widgetFailed });
      }
    })();
  }, [actions, token, t.widgetFailed]);

  return (
    <div>
      {phase.kind === "loading" ? (
        <p className="flex items-center gap-2 text-sm text-slate-500">
          <Spinner className="size-4" />
          {t.widgetLoading}
        </p>
      ) : null}
      {phase.kind === "failed" ? <ErrorNotice message={phase.message} testId="npd-widget-error" /> : null}
      <div id={WIDGET_CONTAINER_ID} data-testid="npd-widget" />
    </div>
  );
}

interface SelfEmployedWidgetConstructor {
  new (options: { initialValues: { taxReferenceOrPhone: string }; stage: string; publicToken: string }): { render(): unknown };
  STAGES?: { bind?: string };
}

function addStylesheet(href: string): void {
  if (document.querySelector(`link[data-self-employed-widget]`)) return;
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = href;
  link.referrerPolicy = "no-referrer";
  link.dataset.selfEmployedWidget = "";
  document.head.appendChild(link);
}

/** After a self-employed payout: the «Мой налог» receipt the bank registered. */
export function SelfEmployedReceipt({ view, locale }: { view: RecipientView; locale: RecipientLocale }) {
  const link = view.selfEmployed?.receiptLink;
  if (!link) return null;
  const t = recipientDictionary(locale).selfEmployed;
  return (
    <p className="mt-4 rounded-xl border border-slate-200 bg-white px-4 py-3 text-sm text-slate-700" data-testid="npd-receipt">
      {t.receipt}:{" "}
      <a href={link} target="_blank" rel="noopener noreferrer" className="font-semibold text-brand-700 underline" data-testid="npd-receipt-link">
        {t.receiptLink}
      </a>
    </p>
  );
}
