"use client";

import * as Dialog from "@radix-ui/react-dialog";
import { useId, useState, type FormEvent } from "react";
import { Spinner } from "./spinner";

export const MIN_REASON_LENGTH = 3;
export const MAX_REASON_LENGTH = 500;

/**
 * "Отменить" → an accessible dialog (focus trapped, Esc closes, labelled) that requires a reason.
 * The dialog validates before anything is sent; the server validates again.
 */
export function CancelDialog({
  reference,
  disabled,
  pending,
  onSubmit,
}: {
  reference: string;
  disabled: boolean;
  pending: boolean;
  /** Resolves to an error for the reason field to show, or null when the dialog should close. */
  onSubmit: (reason: string) => Promise<string | null>;
}) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const fieldId = useId();
  const errorId = `${fieldId}-error`;
  const hintId = `${fieldId}-hint`;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (pending) return;
    const trimmed = reason.trim();
    if (trimmed.length < MIN_REASON_LENGTH) {
      setError(trimmed.length === 0 ? "Укажите причину отмены." : `Причина слишком короткая — нужно не меньше ${MIN_REASON_LENGTH} символов.`);
      return;
    }
    setError(null);
    const fieldError = await onSubmit(trimmed);
    if (fieldError) setError(fieldError);
    else {
      setOpen(false);
      setReason("");
    }
  };

  return (
    <Dialog.Root
      open={open}
      onOpenChange={(next) => {
        if (pending) return; // the request is in flight: keep the dialog until it answers
        setOpen(next);
        if (!next) setError(null);
      }}
    >
      <Dialog.Trigger asChild>
        <button
          type="button"
          disabled={disabled}
          data-testid="cancel-button"
          className="inline-flex min-h-11 flex-1 items-center justify-center gap-2 rounded-xl border border-red-300 bg-white px-4 py-2.5 text-sm font-semibold text-red-700 transition-colors hover:bg-red-50 disabled:cursor-not-allowed disabled:border-slate-200 disabled:text-slate-400 disabled:hover:bg-white"
        >
          Отменить
        </button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40 backdrop-blur-[1px]" />
        <Dialog.Content
          data-testid="cancel-dialog"
          className="fixed top-1/2 left-1/2 z-50 w-[calc(100vw-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 rounded-2xl bg-white p-5 shadow-xl focus:outline-none sm:p-6"
        >
          <Dialog.Title className="text-lg font-semibold tracking-tight text-slate-900">Отменить выплату {reference}?</Dialog.Title>
          <Dialog.Description className="mt-1 text-sm text-slate-600">
            Банк получит отказ от выплаты (session/cancel), деньги не будут отправлены. Это действие нельзя отменить.
          </Dialog.Description>
          <form onSubmit={submit} noValidate className="mt-4">
            <label htmlFor={fieldId} className="block text-sm font-medium text-slate-800">
              Причина отмены
            </label>
            <textarea
              id={fieldId}
              name="reason"
              rows={3}
              value={reason}
              maxLength={MAX_REASON_LENGTH}
              onChange={(event) => {
                setReason(event.target.value);
                if (error) setError(null);
              }}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${errorId} ${hintId}` : hintId}
              aria-required
              disabled={pending}
              data-testid="cancel-reason"
              placeholder="Например: получатель сообщил о неверных реквизитах"
              className={`mt-1.5 block w-full resize-y rounded-lg border px-3 py-2 text-base text-slate-900 shadow-sm placeholder:text-slate-400 focus:ring-2 focus:outline-none sm:text-sm ${
                error ? "border-red-400 focus:ring-red-200" : "border-slate-300 focus:border-brand-500 focus:ring-brand-100"
              }`}
            />
            <p id={hintId} className="mt-1 text-xs text-slate-500">
              Попадёт в журнал выплаты. Не меньше {MIN_REASON_LENGTH} символов.
            </p>
            {error ? (
              <p id={errorId} className="mt-1 text-sm text-red-700" data-testid="cancel-reason-error">
                {error}
              </p>
            ) : null}
            <div className="mt-5 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
              <Dialog.Close asChild>
                <button
                  type="button"
                  disabled={pending}
                  className="inline-flex min-h-11 items-center justify-center rounded-xl border border-slate-300 bg-white px-4 text-sm font-semibold text-slate-800 hover:bg-slate-50 disabled:opacity-60"
                >
                  Не отменять
                </button>
              </Dialog.Close>
              <button
                type="submit"
                disabled={pending}
                aria-busy={pending || undefined}
                data-testid="cancel-submit"
                className="inline-flex min-h-11 items-center justify-center gap-2 rounded-xl bg-red-600 px-4 text-sm font-semibold text-white shadow-sm hover:bg-red-700 disabled:cursor-wait disabled:bg-red-600/70"
              >
                {pending ? <Spinner /> : null}
                {pending ? "Отменяем…" : "Отменить выплату"}
              </button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
