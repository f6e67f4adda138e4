"use client";

import { useEffect, useRef, useState } from "react";
import { recipientDictionary, type RecipientLocale } from "@/lib/i18n/recipient";
import { useErrorText } from "./error-text";
import type { RecipientActions } from "./types";
import { ErrorNotice, Spinner } from "./ui";
import { isLinkProblem } from "./use-recipient-view";
import { loadWidgetScript, type WidgetInstance } from "./widget-script";

type Phase = { kind: "loading" } | { kind: "ready" } | { kind: "error"; code: string } | { kind: "spent" };

/**
 * Hosts Bank 131's card widget: asks the server for a single-use public token, loads the widget
 * script, renders the widget's iframe into a div. Card digits exist only inside that iframe (the
 * bank's origin); this page receives the number hash. One mount = one token: the parent remounts
 * (with a new `key`) for "another card", "reload" or a language switch.
 */
export function CardWidget({
  linkToken,
  locale,
  getWidgetToken,
  onCard,
  onReload,
  onLinkError,
  focusOnReady,
}: {
  linkToken: string;
  locale: RecipientLocale;
  getWidgetToken: RecipientActions["getWidgetToken"];
  onCard: (numberHash: string) => void;
  onReload: () => void;
  /** The link stopped being usable (expired, revoked, used): the page re-reads its state. */
  onLinkError: () => void;
  focusOnReady: boolean;
}) {
  const t = recipientDictionary(locale);
  const errorText = useErrorText();
  const container = useRef<HTMLDivElement>(null);
  const [phase, setPhase] = useState<Phase>({ kind: "loading" });
  // Latest callbacks without re-running the effect (which would spend another token).
  const callbacks = useRef({ onCard, onLinkError, focusOnReady });
  useEffect(() => {
    callbacks.current = { onCard, onLinkError, focusOnReady };
  });

  useEffect(() => {
    let cancelled = false;
    let widget: WidgetInstance | null = null;
    (async () => {
      const result = await getWidgetToken({ linkToken, locale });
      if (cancelled) return;
      if (!result.ok) {
        setPhase({ kind: "error", code: result.error.code });
        if (isLinkProblem(result.error.code)) callbacks.current.onLinkError();
        return;
      }
      let Widget;
      try {
        Widget = await loadWidgetScript(result.data.widgetUrl, result.data.widgetGlobal, result.data.widgetIntegrity);
      } catch {
        if (!cancelled) setPhase({ kind: "error", code: "widget_load_failed" });
        return;
      }
      if (cancelled || !container.current) return;
      const instance = new Widget({
        publicToken: result.data.publicToken,
        container: container.current,
        locale,
        onReady: () => {
          if (cancelled) return;
          setPhase({ kind: "ready" });
          if (callbacks.current.focusOnReady) instance.focus?.();
        },
        onSuccess: (card) => {
          if (!cancelled && typeof card.number_hash === "string") callbacks.current.onCard(card.number_hash);
        },
        onError: (error) => {
          // The widget shows typing mistakes itself; a spent or expired token needs a fresh form.
          if (!cancelled && error.code.startsWith("public_token")) setPhase({ kind: "spent" });
        },
      });
      widget = instance;
      instance.render();
    })().catch(() => {
      if (!cancelled) setPhase({ kind: "error", code: "network" });
    });
    return () => {
      cancelled = true;
      widget?.destroy();
    };
  }, [getWidgetToken, linkToken, locale]);

  const failed = phase.kind === "error" || phase.kind === "spent";
  return (
    <div data-testid="card-widget-host">
      {failed ? (
        <ErrorNotice
          testId="widget-error"
          message={phase.kind === "spent" ? t.card.tokenSpent : errorText(phase.code)}
          action={phase.kind === "error" && isLinkProblem(phase.code) ? undefined : { label: t.card.reloadForm, onClick: onReload }}
        />
      ) : null}
      <div className={`relative min-h-[200px] ${failed ? "hidden" : ""}`}>
        {/* The widget appends its iframe here; React renders nothing inside this div. */}
        <div ref={container} data-testid="card-widget" className="w-full" />
        {phase.kind === "loading" ? (
          // Shaped like the widget's form, so nothing jumps when the bank's iframe takes its place.
          <div role="status" className="absolute inset-0 bg-white py-3" data-testid="card-widget-loading">
            <div className="h-5 w-28 animate-pulse rounded bg-slate-200" />
            <div className="mt-1.5 h-12 w-full max-w-[480px] animate-pulse rounded-lg bg-slate-100" />
            <div className="mt-1.5 h-4 w-40 animate-pulse rounded bg-slate-100" />
            {/* Start-aligned, the spinner fixed: a centred line moved its spinner when the text's width settled (a layout shift). */}
            <p className="mt-9 flex h-11 w-full max-w-[480px] items-center gap-2 rounded-lg bg-slate-50 px-3 text-sm text-slate-500">
              <Spinner className="size-4 shrink-0" />
              {t.card.widgetLoading}
            </p>
          </div>
        ) : null}
      </div>
    </div>
  );
}
