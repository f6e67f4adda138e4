"use client";

import { ReasonDialog } from "@/components/ui/reason-dialog";

/** "Отменить" → the reason dialog; the decision panel sends session/cancel. */
export function CancelDialog({ requestNumber, disabled, onSubmit }: { requestNumber: string; disabled: boolean; onSubmit: (reason: string) => Promise<void> }) {
  return (
    <ReasonDialog
      id="cancel-reason"
      title={`Отменить выплату ${requestNumber}?`}
      description="Банк получит отказ от выплаты (session/cancel), деньги не будут отправлены. Это действие нельзя отменить."
      label="Причина отмены"
      placeholder="Например: получатель сообщил о неверных реквизитах"
      hint="Попадёт в журнал выплаты."
      emptyMessage="Укажите причину отмены."
      trigger={{
        label: "Отменить",
        testId: "cancel-button",
        disabled,
        className:
          "inline-flex min-h-11 flex-1 items-center justify-center gap-2 rounded-xl border border-red-300 bg-white px-4 py-2.5 text-sm font-semibold text-red-700 transition-colors hover:bg-red-50 disabled:cursor-not-allowed disabled:border-slate-200 disabled:text-slate-400 disabled:hover:bg-white",
      }}
      submitLabel="Отменить выплату"
      pendingLabel="Отменяем…"
      keepLabel="Не отменять"
      onSubmit={onSubmit}
    />
  );
}
