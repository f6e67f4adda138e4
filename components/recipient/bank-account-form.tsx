"use client";

import { useLayoutEffect, useRef, useState, type FormEvent } from "react";
import { recipientDictionary, type RecipientLocale } from "@/lib/i18n/recipient";
import { validateAccount, validateBik, type CheckResult } from "@/lib/validation/ru-banking";
import { useErrorText } from "./error-text";
import { ErrorNotice, PrimaryButton, Spinner, StepHeading } from "./ui";
import { useHydrated } from "@/components/ui/use-hydrated";

export interface AccountValues {
  bik: string;
  account: string;
}

type Field = keyof AccountValues;
type FieldErrors = Partial<Record<Field, { ru: string; en: string }>>;

function check(values: AccountValues): { errors: FieldErrors; clean: AccountValues | null } {
  const bik: CheckResult = validateBik(values.bik);
  const account: CheckResult = validateAccount(values.account, values.bik);
  const errors: FieldErrors = {};
  if (!bik.ok) errors.bik = bik.message;
  // A bad BIK already explains why the account cannot be checked; only say it once.
  if (!account.ok && !(account.code === "invalid_bik" && !bik.ok)) errors.account = account.message;
  return { errors, clean: bik.ok && account.ok ? { bik: bik.value, account: account.value } : null };
}

/**
 * BIK + account number, checked in the browser with the same rules the server applies (control key
 * of the account against the BIK). Nothing is sent while a field is wrong.
 */
export function BankAccountForm({
  locale,
  initialValues,
  pending,
  errorCode,
  serverField,
  focusHeading,
  onSubmit,
}: {
  locale: RecipientLocale;
  initialValues: AccountValues;
  pending: boolean;
  /** A problem the server reported (bank unavailable, rejected…), shown under the form. */
  errorCode: string | null;
  /** The field a server validation problem belongs to. */
  serverField: Field | null;
  focusHeading: boolean;
  onSubmit: (values: AccountValues) => void;
}) {
  const t = recipientDictionary(locale);
  const errorText = useErrorText();
  const [values, setValues] = useState(initialValues);
  const [errors, setErrors] = useState<FieldErrors>({});
  const bikRef = useRef<HTMLInputElement>(null);
  const accountRef = useRef<HTMLInputElement>(null);
  const hydrated = useHydrated();

  // What was typed into the server-rendered fields before React took over is kept, not reset to the
  // initial values (React leaves the DOM value alone while hydrating and would overwrite it on the next render).
  useLayoutEffect(() => {
    const typed = { bik: bikRef.current?.value ?? "", account: accountRef.current?.value ?? "" };
    setValues((old) => (typed.bik === old.bik && typed.account === old.account ? old : typed));
  }, []);

  function update(field: Field, value: string) {
    const next = { ...values, [field]: value };
    setValues(next);
    // Once a field has shown an error, re-check as the person types so the message goes away as soon as it is fixed.
    if (errors[field] || (field === "bik" && errors.account)) {
      const { errors: fresh } = check(next);
      setErrors((old) => ({ ...old, [field]: fresh[field], ...(field === "bik" && old.account ? { account: fresh.account } : {}) }));
    }
  }

  function blur(field: Field) {
    if (values[field].trim() === "") return;
    const { errors: fresh } = check(values);
    setErrors((old) => ({ ...old, [field]: fresh[field] }));
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const { errors: fresh, clean } = check(values);
    setErrors(fresh);
    if (!clean) {
      (fresh.bik ? bikRef : accountRef).current?.focus();
      return;
    }
    onSubmit(clean);
  }

  const fieldError = (field: Field): string | null => {
    const own = errors[field];
    if (own) return own[locale];
    if (serverField === field && errorCode) return errorText(errorCode);
    return null;
  };
  const generalError = errorCode && !serverField ? errorText(errorCode) : null;

  return (
    <section aria-labelledby="account-heading" className="space-y-4">
      <div>
        <StepHeading focus={focusHeading}>
          <span id="account-heading">{t.account.heading}</span>
        </StepHeading>
        <p className="mt-1 text-sm text-slate-600">{t.account.intro}</p>
      </div>
      <form noValidate onSubmit={submit} className="space-y-4" data-testid="bank-account-form">
        <TextField
          id="bik"
          inputRef={bikRef}
          label={t.account.bikLabel}
          hint={t.account.bikHint}
          value={values.bik}
          error={fieldError("bik")}
          maxLength={11}
          onChange={(v) => update("bik", v)}
          onBlur={() => blur("bik")}
          disabled={pending}
        />
        <TextField
          id="account"
          inputRef={accountRef}
          label={t.account.accountLabel}
          hint={t.account.accountHint}
          value={values.account}
          error={fieldError("account")}
          maxLength={25}
          onChange={(v) => update("account", v)}
          onBlur={() => blur("account")}
          disabled={pending}
        />
        {generalError ? <ErrorNotice message={generalError} /> : null}
        <PrimaryButton type="submit" disabled={pending || !hydrated} data-testid="account-submit">
          {pending ? <Spinner /> : null}
          {pending ? t.account.checking : t.account.submit}
        </PrimaryButton>
      </form>
    </section>
  );
}

function TextField({
  id,
  inputRef,
  label,
  hint,
  value,
  error,
  maxLength,
  disabled,
  onChange,
  onBlur,
}: {
  id: string;
  inputRef: React.RefObject<HTMLInputElement | null>;
  label: string;
  hint: string;
  value: string;
  error: string | null;
  maxLength: number;
  disabled: boolean;
  onChange: (value: string) => void;
  onBlur: () => void;
}) {
  const visibleError = error;
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <input
        ref={inputRef}
        id={id}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        spellCheck={false}
        maxLength={maxLength}
        value={value}
        disabled={disabled}
        aria-invalid={visibleError ? true : undefined}
        aria-describedby={visibleError ? `${id}-hint ${id}-error` : `${id}-hint`}
        onChange={(event) => onChange(event.target.value)}
        onBlur={onBlur}
        className={`mt-1.5 block w-full rounded-xl border bg-white px-3.5 py-3 text-lg tracking-wide tabular-nums text-slate-900 shadow-xs placeholder:text-slate-300 focus:outline-none focus-visible:outline-2 focus-visible:outline-offset-1 disabled:bg-slate-50 ${
          visibleError ? "border-red-500 focus-visible:outline-red-600" : "border-slate-300 focus-visible:outline-brand-500"
        }`}
      />
      <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">
        {hint}
      </p>
      {/* Always present, so an error appearing does not push the layout around more than one line. */}
      <p id={`${id}-error`} data-testid={`${id}-error`} className="mt-1 min-h-5 text-sm text-red-700" aria-live="polite">
        {visibleError ?? ""}
      </p>
    </div>
  );
}
