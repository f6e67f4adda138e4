"use client";

import { useEffect, useId, useRef, useState } from "react";
import { recipientDictionary, sbpErrorText, sbpTexts } from "@/lib/i18n/recipient";
import { formatKopecks } from "@/lib/money";
import { errorCodeOf } from "./api";
import { ConfirmPanel } from "./confirm-panel";
import { SBP_INPUT_CLASS, SbpBankCombobox } from "./sbp-bank-combobox";
import type { RecipientActions, SbpBankOption, SbpCheckResult, InstrumentStepProps } from "./types";
import { ErrorNotice, PrimaryButton, Spinner, StepHeading } from "./ui";
import { isLinkProblem, useStartPayout } from "./use-recipient-view";

type Banks = { kind: "loading" } | { kind: "failed" } | { kind: "ready"; banks: SbpBankOption[] };
type Notice = { kind: "error"; code: string } | { kind: "failed"; code: string | null } | { kind: "pending" } | null;

/**
 * SBP by phone: the recipient picks their bank (the bank's SBP list), gives or confirms the phone, the
 * portal has the bank verify them (the masked name the bank holds is shown), then the recipient confirms.
 */
export function SbpFlow({
  token,
  view,
  locale,
  actions,
  validUntil,
  onView,
  refreshView,
}: InstrumentStepProps & { actions: Pick<RecipientActions, "listSbpBanks" | "checkSbp"> }) {
  const t = sbpTexts(locale);
  const common = recipientDictionary(locale);
  const phoneId = useId();
  const payerPhone = view.sbp?.payerPhone ?? null;
  const [banks, setBanks] = useState<Banks>({ kind: "loading" });
  const [bank, setBank] = useState<SbpBankOption | null>(null);
  const [phone, setPhone] = useState("");
  const [checking, setChecking] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);
  const [verified, setVerified] = useState<{ check: SbpCheckResult; phone: string | undefined } | null>(null);
  const inFlight = useRef(false);
  const { start, isPending, error } = useStartPayout(token, { onView, refresh: refreshView });
  const { listSbpBanks, checkSbp } = actions;

  // The list arrives once per page (the server caches the bank's answer); typing filters it locally.
  const [banksAttempt, setBanksAttempt] = useState(0);
  useEffect(() => {
    let current = true;
    listSbpBanks({ linkToken: token })
      .catch(() => null)
      .then((result) => {
        if (!current) return;
        if (result?.ok) setBanks({ kind: "ready", banks: result.data });
        else {
          setBanks({ kind: "failed" });
          if (result && isLinkProblem(result.error.code)) refreshView();
        }
      });
    return () => {
      current = false;
    };
  }, [listSbpBanks, token, refreshView, banksAttempt]);

  const reloadBanks = () => {
    setBanks({ kind: "loading" });
    setBanksAttempt((attempt) => attempt + 1);
  };

  async function check() {
    if (inFlight.current) return;
    if (!bank) {
      setNotice({ kind: "error", code: "choose_bank" });
      return;
    }
    inFlight.current = true;
    setChecking(true);
    setNotice(null);
    const enteredPhone = payerPhone ? undefined : phone;
    const result = await checkSbp({ linkToken: token, bankId: bank.id, phone: enteredPhone }).catch(() => ({
      ok: false as const,
      error: { code: "network", message: "" },
    }));
    inFlight.current = false;
    setChecking(false);
    if (!result.ok) {
      setNotice({ kind: "error", code: result.error.code });
      if (isLinkProblem(result.error.code)) refreshView();
      return;
    }
    const answer = result.data;
    if (answer.status === "verified") setVerified({ check: answer, phone: enteredPhone });
    else if (answer.status === "pending") setNotice({ kind: "pending" });
    else setNotice({ kind: "failed", code: answer.failureCode });
  }

  if (verified) {
    const { check: answer } = verified;
    return (
      <ConfirmPanel
        locale={locale}
        rows={[
          { label: common.confirm.recipient, value: view.recipientName, testId: "confirm-recipient" },
          { label: common.confirm.to, value: t.to(locale === "en" ? answer.bank.nameEn : answer.bank.name, answer.phone), testId: "sbp-details", strong: true },
          { label: t.verifiedName, value: answer.maskedName ?? "—", testId: "sbp-verified-name", strong: true },
          { label: common.confirm.amount, value: formatKopecks(view.amountKopecks), testId: "confirm-amount", strong: true },
        ]}
        onConfirm={() => start({ kind: "sbp", bankId: answer.bank.id, phone: verified.phone })}
        pending={isPending}
        errorCode={error ? errorCodeOf(error) : null}
        secondary={{ label: t.otherDetails, onClick: () => setVerified(null) }}
      />
    );
  }

  return (
    <section aria-labelledby="sbp-heading" className="space-y-4" data-testid="sbp-flow">
      <div>
        <StepHeading focus={false}>
          <span id="sbp-heading">{t.heading}</span>
        </StepHeading>
        <p className="mt-1 text-sm text-slate-600">{payerPhone ? t.payerPhone(payerPhone) : t.intro}</p>
      </div>
      {banks.kind === "loading" ? (
        <p className="flex items-center gap-2 text-sm text-slate-600" role="status">
          <Spinner className="size-4" />
          {t.banksLoading}
        </p>
      ) : banks.kind === "failed" ? (
        <ErrorNotice message={t.banksFailed} action={{ label: t.retry, onClick: reloadBanks }} />
      ) : (
        <form
          noValidate
          className="space-y-4"
          onSubmit={(event) => {
            event.preventDefault();
            void check();
          }}
        >
          <SbpBankCombobox
            banks={banks.banks}
            value={bank}
            onChange={(chosen) => {
              setBank(chosen);
              setNotice(null);
            }}
            texts={t}
            english={locale === "en"}
            disabled={checking}
            invalid={notice?.kind === "error" && (notice.code === "choose_bank" || notice.code === "sbp_bank_unknown")}
          />
          {payerPhone ? null : (
            <div>
              <label htmlFor={phoneId} className="block text-sm font-medium text-slate-800">
                {t.phoneLabel}
              </label>
              <input
                id={phoneId}
                type="tel"
                inputMode="tel"
                autoComplete="tel"
                data-testid="sbp-phone-input"
                aria-describedby={`${phoneId}-hint`}
                aria-invalid={(notice?.kind === "error" && notice.code === "validation") || undefined}
                value={phone}
                disabled={checking}
                onChange={(event) => setPhone(event.target.value)}
                placeholder="+7 900 000-00-01"
                className={SBP_INPUT_CLASS}
              />
              <p id={`${phoneId}-hint`} className="mt-1 text-xs text-slate-500">
                {t.phoneHint}
              </p>
            </div>
          )}
          {notice?.kind === "error" ? <ErrorNotice message={sbpErrorText(locale, notice.code)} /> : null}
          {notice?.kind === "failed" ? <ErrorNotice testId="sbp-verification-failed" message={t.failed(notice.code, view.payerName)} /> : null}
          {notice?.kind === "pending" ? (
            <p role="status" className="rounded-xl border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900">
              {t.stillChecking}
            </p>
          ) : null}
          <PrimaryButton type="submit" disabled={checking} data-testid="sbp-check-button">
            {checking ? <Spinner /> : null}
            {checking ? t.checking : t.submit}
          </PrimaryButton>
        </form>
      )}
      <p className="text-xs text-slate-500">{validUntil}</p>
    </section>
  );
}
