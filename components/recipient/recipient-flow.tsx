"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { pageStateOf, pageTitle, recipientDictionary, type RecipientLocale } from "@/lib/i18n/recipient";
import type { RecipientView } from "@/lib/payouts/views";
import { BankAccountFlow } from "./bank-account-flow";
import { CardFlow } from "./card-flow";
import { LinkNotice } from "./link-notice";
import { SbpFlow } from "./sbp-flow";
import { SelfEmployedGate, SelfEmployedReceipt } from "./self-employed-gate";
import { StatusView } from "./status-view";
import type { RecipientActions } from "./types";
import { useRecipientView } from "./use-recipient-view";

/**
 * The interactive part of /p/<token>: picks what to show from the live view — the card or account
 * step while the link is open, the status once the payout started, or why the link is closed — and
 * keeps the tab title in step with it.
 */
export function RecipientFlow({
  token,
  initialView,
  locale,
  actions,
  validUntil,
}: {
  token: string;
  initialView: RecipientView;
  locale: RecipientLocale;
  actions: RecipientActions;
  validUntil: string;
}) {
  const t = recipientDictionary(locale);
  const { view, setView, refresh, isError } = useRecipientView(token, initialView);
  const state = pageStateOf(view);
  const [firstKind] = useState(state.kind);
  const title = pageTitle(locale, state);

  useEffect(() => {
    document.title = title;
  }, [title]);

  // A link that closes while the page is open (revoked, expired): move focus to the explanation.
  const previousKind = useRef(state.kind);
  useEffect(() => {
    if (previousKind.current !== state.kind && (state.kind === "expired" || state.kind === "revoked")) {
      document.getElementById("link-state-title")?.focus();
    }
    previousKind.current = state.kind;
  }, [state.kind]);

  const refreshView = useCallback(() => void refresh(), [refresh]);

  let content;
  switch (state.kind) {
    case "revoked":
      content = (
        <LinkNotice kind="revoked" title={t.link.revokedTitle}>
          <p>{t.link.revokedBody(view.payerName)}</p>
        </LinkNotice>
      );
      break;
    case "expired":
      content = (
        <LinkNotice kind="expired" title={t.link.expiredTitle}>
          <p>{t.link.expiredBody(view.payerName)}</p>
        </LinkNotice>
      );
      break;
    case "active":
      content =
        view.method === "sbp" ? (
          <SbpFlow token={token} view={view} locale={locale} actions={actions} validUntil={validUntil} onView={setView} refreshView={refreshView} />
        ) : view.method === "bank_account" ? (
          <BankAccountFlow
            token={token}
            view={view}
            locale={locale}
            tokenizeAccount={actions.tokenizeAccount}
            validUntil={validUntil}
            onView={setView}
            refreshView={refreshView}
          />
        ) : (
          <CardFlow token={token} view={view} locale={locale} actions={actions} validUntil={validUntil} onView={setView} refreshView={refreshView} />
        );
      // Self-employed: the INN is checked (and Bank 131 linked) before the card/account step.
      if (view.selfEmployed && actions.selfEmployed) {
        content = (
          <SelfEmployedGate token={token} view={view} locale={locale} actions={actions.selfEmployed} onView={setView}>
            {content}
          </SelfEmployedGate>
        );
      }
      break;
    case "status":
      content = (
        <>
          <StatusView token={token} view={view} locale={locale} onView={setView} focusOnMount={firstKind !== "status"} updateFailed={isError} />
          <SelfEmployedReceipt view={view} locale={locale} />
        </>
      );
      break;
  }

  return (
    <div className="px-4 py-6 sm:px-8 sm:py-7" data-testid="recipient-flow" data-state={state.kind}>
      {content}
    </div>
  );
}
