"use client";

import { useRef, useState } from "react";
import { recipientDictionary } from "@/lib/i18n/recipient";
import { formatKopecks } from "@/lib/money";
import { errorCodeOf } from "./api";
import { BankAccountForm, type AccountValues } from "./bank-account-form";
import { ConfirmPanel } from "./confirm-panel";
import type { RecipientActions, TokenizedAccount, InstrumentStepProps } from "./types";
import { isLinkProblem, useStartPayout } from "./use-recipient-view";

type Step =
  | { kind: "form"; pending: boolean; errorCode: string | null; field: "bik" | "account" | null }
  | { kind: "confirm"; account: TokenizedAccount };

/** The field a server-side validation issue points at (`account.bik`, `account.account`). */
function fieldOf(field: string | undefined): "bik" | "account" | null {
  if (!field) return null;
  if (field.endsWith("bik")) return "bik";
  if (field.endsWith("account")) return "account";
  return null;
}

/** Bank account: BIK + account → the bank's token and mask → the recipient confirms → payout starts. */
export function BankAccountFlow({
  token,
  view,
  locale,
  tokenizeAccount,
  validUntil,
  onView,
  refreshView,
}: InstrumentStepProps & { tokenizeAccount: RecipientActions["tokenizeAccount"] }) {
  const t = recipientDictionary(locale);
  const [values, setValues] = useState<AccountValues>({ bik: "", account: "" });
  const [step, setStep] = useState<Step>({ kind: "form", pending: false, errorCode: null, field: null });
  const [returned, setReturned] = useState(false);
  const inFlight = useRef(false);
  const { start, isPending, error } = useStartPayout(token, { onView, refresh: refreshView });

  async function tokenize(clean: AccountValues) {
    if (inFlight.current) return;
    inFlight.current = true;
    setValues(clean);
    setStep({ kind: "form", pending: true, errorCode: null, field: null });
    const result = await tokenizeAccount({ linkToken: token, account: clean }).catch(() => ({
      ok: false as const,
      error: { code: "network", message: "", field: undefined },
    }));
    inFlight.current = false;
    if (!result.ok) {
      const field = result.error.code === "invalid_request" || result.error.code === "validation" ? fieldOf(result.error.field) : null;
      setStep({ kind: "form", pending: false, errorCode: result.error.code, field });
      if (isLinkProblem(result.error.code)) refreshView();
      return;
    }
    setStep({ kind: "confirm", account: result.data });
  }

  if (step.kind === "confirm") {
    const { account } = step;
    return (
      <ConfirmPanel
        locale={locale}
        rows={[
          { label: t.confirm.recipient, value: view.recipientName, testId: "confirm-recipient" },
          {
            label: t.confirm.to,
            // "Счёт 40817***0131, БИК 049205131", breaking only between the two parts on narrow screens.
            value: (
              <>
                <span className="whitespace-nowrap">{t.account.maskedAccount(account.maskedAccount)},</span>{" "}
                <span className="whitespace-nowrap">{t.account.bikValue(account.bik)}</span>
              </>
            ),
            testId: "masked-account",
            strong: true,
          },
          { label: t.confirm.amount, value: formatKopecks(view.amountKopecks), testId: "confirm-amount", strong: true },
        ]}
        onConfirm={() => start({ kind: "bank_account_token", token: account.token, maskedAccount: account.maskedAccount, bik: account.bik })}
        pending={isPending}
        errorCode={error ? errorCodeOf(error) : null}
        secondary={{
          label: t.confirm.editAccount,
          onClick: () => {
            setReturned(true);
            setStep({ kind: "form", pending: false, errorCode: null, field: null });
          },
        }}
      />
    );
  }

  return (
    <div className="space-y-3">
      <BankAccountForm
        locale={locale}
        initialValues={values}
        pending={step.pending}
        errorCode={step.errorCode}
        serverField={step.field}
        focusHeading={returned}
        onSubmit={(clean) => void tokenize(clean)}
      />
      <p className="text-xs text-slate-500">{validUntil}</p>
    </div>
  );
}
