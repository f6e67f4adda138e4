"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import * as Dialog from "@radix-ui/react-dialog";
import { useState, type ReactNode } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { ApiError } from "@/components/api-client";
import { errorMessage, fieldErrorMessage, zodErrorMap } from "@/lib/i18n/errors";
import { REASON_MAX_LENGTH, REASON_MIN_LENGTH, ReasonSchema } from "@/lib/payouts/schemas";
import { FieldError, describedBy, inputClass } from "@/components/payouts/fields";

/**
 * A confirmation dialog that requires a reason (cancel a payout, revoke a link). Radix gives the
 * modal behaviour: focus moves in and is trapped, Escape and "keep" dismiss it, the page behind is
 * inert for screen readers, and focus returns to the trigger. The reason is checked with the
 * server's own schema before anything is sent.
 */
export interface ReasonDialogProps {
  /** Prefix of the element ids and test ids: `<id>` (the textarea), `<id>-error`, `<id>-submit`. */
  id: string;
  title: string;
  description: ReactNode;
  label: string;
  placeholder: string;
  hint: string;
  /** What to say when nothing was typed. */
  emptyMessage: string;
  trigger: { label: string; className: string; testId?: string; disabled?: boolean; hidden?: boolean };
  submitLabel: string;
  pendingLabel: string;
  keepLabel: string;
  /**
   * Sends the reason. Resolving closes the dialog; an ApiError about `reason` lands next to the
   * field, any other error in a banner inside the dialog.
   */
  onSubmit: (reason: string) => Promise<void>;
  /** Where focus goes once the dialog closed after a success (when the trigger is gone by then). */
  onClosedAfterSuccess?: () => void;
}

const errorMap = zodErrorMap("ru");

export function ReasonDialog(props: ReasonDialogProps) {
  const { id, trigger } = props;
  const [open, setOpen] = useState(false);
  const [succeeded, setSucceeded] = useState(false);
  const [banner, setBanner] = useState<string | null>(null);
  const [schema] = useState(() => z.object({ reason: z.string().trim().min(1, props.emptyMessage).pipe(ReasonSchema) }));
  const form = useForm<z.input<typeof schema>, unknown, z.output<typeof schema>>({
    resolver: zodResolver(schema, { error: errorMap }),
    defaultValues: { reason: "" },
  });
  const pending = form.formState.isSubmitting;
  const reasonError = form.formState.errors.reason?.message;

  const submit = form.handleSubmit(async ({ reason }) => {
    setBanner(null);
    try {
      await props.onSubmit(reason);
    } catch (error) {
      if (error instanceof ApiError && error.field === "reason") form.setError("reason", { message: fieldErrorMessage(error) }, { shouldFocus: true });
      else setBanner(errorMessage(error instanceof ApiError ? error : { code: "internal_error" }));
      return;
    }
    setSucceeded(true);
    setOpen(false);
    form.reset();
  });

  return (
    <Dialog.Root
      open={open}
      onOpenChange={(next) => {
        if (pending) return; // the request is in flight: keep the dialog until it answers
        setOpen(next);
        if (next) setSucceeded(false);
        else {
          form.clearErrors();
          setBanner(null);
        }
      }}
    >
      {trigger.hidden ? null : (
        <Dialog.Trigger asChild>
          <button type="button" disabled={trigger.disabled} data-testid={trigger.testId} className={trigger.className}>
            {trigger.label}
          </button>
        </Dialog.Trigger>
      )}
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40 backdrop-blur-[1px]" />
        <Dialog.Content
          data-testid={`${id}-dialog`}
          className="fixed inset-x-3 bottom-3 z-50 mx-auto max-w-md rounded-2xl bg-white p-5 shadow-xl focus:outline-none sm:inset-x-0 sm:top-1/2 sm:bottom-auto sm:-translate-y-1/2 sm:p-6"
          onCloseAutoFocus={(event) => {
            if (succeeded && props.onClosedAfterSuccess) {
              event.preventDefault();
              props.onClosedAfterSuccess();
            }
          }}
        >
          <Dialog.Title className="text-lg font-semibold tracking-tight text-slate-900">{props.title}</Dialog.Title>
          <Dialog.Description className="mt-2 text-sm text-slate-600">{props.description}</Dialog.Description>
          <form onSubmit={submit} noValidate className="mt-4 space-y-4">
            <div>
              <label htmlFor={id} className="block text-sm font-medium text-slate-800">
                {props.label}
              </label>
              <textarea
                id={id}
                rows={3}
                maxLength={REASON_MAX_LENGTH}
                aria-invalid={reasonError ? true : undefined}
                aria-describedby={describedBy(id, true, Boolean(reasonError))}
                aria-required
                readOnly={pending}
                data-testid={id}
                placeholder={props.placeholder}
                className={`${inputClass} mt-1 resize-y`}
                {...form.register("reason")}
              />
              <p id={`${id}-hint`} className="mt-1.5 text-sm text-slate-500">
                {props.hint} От {REASON_MIN_LENGTH} до {REASON_MAX_LENGTH} символов.
              </p>
              <FieldError id={id} message={reasonError} />
            </div>
            {banner ? (
              <p role="alert" data-testid={`${id}-banner`} className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700">
                {banner}
              </p>
            ) : null}
            <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
              <Dialog.Close asChild>
                <button
                  type="button"
                  disabled={pending}
                  className="inline-flex min-h-11 items-center justify-center rounded-xl border border-slate-300 bg-white px-4 text-sm font-semibold text-slate-800 hover:bg-slate-50 disabled:opacity-60"
                >
                  {props.keepLabel}
                </button>
              </Dialog.Close>
              <button
                type="submit"
                disabled={pending}
                aria-busy={pending || undefined}
                data-testid={`${id}-submit`}
                className="inline-flex min-h-11 items-center justify-center gap-2 rounded-xl bg-red-600 px-4 text-sm font-semibold text-white shadow-sm hover:bg-red-700 disabled:cursor-wait disabled:bg-red-600/70"
              >
                {pending ? props.pendingLabel : props.submitLabel}
              </button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
