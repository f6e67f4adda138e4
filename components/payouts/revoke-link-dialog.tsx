"use client";

import * as Dialog from "@radix-ui/react-dialog";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ApiError, apiJson } from "@/components/api-client";
import { describeRequestError } from "./request-errors";
import { FieldError, describedBy, inputClass } from "./fields";

const REASON_MIN = 3;
const REASON_MAX = 500;

/**
 * Asks for a reason and revokes the recipient link (the request is cancelled). Radix's dialog gives
 * the modal behaviour: focus moves in and is trapped, Escape and the close button dismiss it, the page
 * behind is inert for screen readers, and focus returns when it closes.
 */
export function RevokeLinkDialog({
  payoutRequestId,
  requestNumber,
  onRevoked,
  onClosedAfterRevoke,
}: {
  payoutRequestId: string;
  requestNumber: string;
  onRevoked: (reason: string) => void;
  /** Where focus goes after a successful revoke (the trigger button is gone by then). Keep this component mounted. */
  onClosedAfterRevoke: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [showError, setShowError] = useState(false);
  const [revoked, setRevoked] = useState(false);
  const mutation = useMutation({
    mutationFn: (text: string) => apiJson<{ ok: true }>(`/api/payouts/${payoutRequestId}/revoke`, { method: "POST", body: { reason: text } }),
    onSuccess: (_data, text) => {
      setRevoked(true);
      setOpen(false);
      onRevoked(text);
    },
  });

  const trimmed = reason.trim();
  const localError =
    trimmed.length < REASON_MIN ? "Напишите причину — хотя бы несколько слов." : trimmed.length > REASON_MAX ? `Не длиннее ${REASON_MAX} символов.` : undefined;
  const serverFieldError = mutation.error instanceof ApiError && mutation.error.field === "reason" ? mutation.error.message.replace(/^reason:\s*/, "") : undefined;
  const reasonError = showError ? (localError ?? serverFieldError) : undefined;
  const bannerError = mutation.isError && !serverFieldError ? describeRequestError(mutation.error, "отозвать ссылку") : null;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setShowError(true);
    if (localError) {
      document.getElementById("revoke-reason")?.focus();
      return;
    }
    mutation.mutate(trimmed);
  }

  return (
    <Dialog.Root
      open={open}
      onOpenChange={(next) => {
        if (mutation.isPending) return;
        setOpen(next);
        if (next) {
          mutation.reset();
          setShowError(false);
        }
      }}
    >
      {revoked ? null : (
        <Dialog.Trigger asChild>
          <button
            type="button"
            className="inline-flex items-center justify-center rounded-lg border border-red-200 bg-white px-4 py-2.5 font-medium text-red-700 shadow-sm transition hover:bg-red-50"
          >
            Отозвать ссылку
          </button>
        </Dialog.Trigger>
      )}
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40 backdrop-blur-[1px]" />
        <Dialog.Content
          className="fixed inset-x-3 bottom-3 z-50 mx-auto max-w-md rounded-2xl bg-white p-5 shadow-xl focus:outline-none sm:inset-x-0 sm:top-1/2 sm:bottom-auto sm:-translate-y-1/2 sm:p-6"
          onCloseAutoFocus={(event) => {
            if (revoked) {
              event.preventDefault();
              onClosedAfterRevoke();
            }
          }}
        >
          <Dialog.Title className="text-lg font-semibold">Отозвать ссылку {requestNumber}?</Dialog.Title>
          <Dialog.Description className="mt-2 text-sm text-slate-600">
            Получатель больше не сможет открыть ссылку, а выплата будет отменена. Отменить отзыв нельзя — для новой выплаты создайте новую
            ссылку.
          </Dialog.Description>
          <form onSubmit={submit} noValidate className="mt-4 space-y-4">
            <div>
              <label htmlFor="revoke-reason" className="block text-sm font-medium text-slate-800">
                Причина
              </label>
              <textarea
                id="revoke-reason"
                name="reason"
                rows={3}
                value={reason}
                maxLength={REASON_MAX + 50}
                onChange={(event) => setReason(event.currentTarget.value)}
                aria-invalid={reasonError ? true : undefined}
                aria-describedby={describedBy("revoke-reason", true, Boolean(reasonError))}
                placeholder="Например: ошиблись в сумме"
                className={`${inputClass} mt-1 resize-y`}
              />
              <p id="revoke-reason-hint" className="mt-1.5 text-sm text-slate-500">
                Увидят другие операторы в истории выплаты.
              </p>
              <FieldError id="revoke-reason" message={reasonError} />
            </div>
            {bannerError ? (
              <p role="alert" data-testid="revoke-error" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700">
                {bannerError}
              </p>
            ) : null}
            <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
              <Dialog.Close asChild>
                <button
                  type="button"
                  disabled={mutation.isPending}
                  className="rounded-lg border border-slate-300 bg-white px-4 py-2.5 font-medium text-slate-700 transition hover:bg-slate-50 disabled:opacity-60"
                >
                  Не отзывать
                </button>
              </Dialog.Close>
              <button
                type="submit"
                disabled={mutation.isPending}
                className="rounded-lg bg-red-600 px-4 py-2.5 font-medium text-white shadow-sm transition hover:bg-red-700 disabled:opacity-60"
              >
                {mutation.isPending ? "Отзываем…" : "Отозвать ссылку"}
              </button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
