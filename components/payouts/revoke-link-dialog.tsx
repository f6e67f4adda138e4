"use client";

import { useState } from "react";
import { apiJson } from "@/components/api-client";
import { ReasonDialog } from "@/components/ui/reason-dialog";

/** Asks for a reason and revokes the recipient link (the request is cancelled). */
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
  const [revoked, setRevoked] = useState(false);
  return (
    <ReasonDialog
      id="revoke-reason"
      title={`Отозвать ссылку ${requestNumber}?`}
      description="Получатель больше не сможет открыть ссылку, а выплата будет отменена. Отменить отзыв нельзя — для новой выплаты создайте новую ссылку."
      label="Причина"
      placeholder="Например: ошиблись в сумме"
      hint="Увидят другие операторы в истории выплаты."
      emptyMessage="Напишите причину — хотя бы несколько слов."
      trigger={{
        label: "Отозвать ссылку",
        hidden: revoked,
        className:
          "inline-flex items-center justify-center rounded-lg border border-red-200 bg-white px-4 py-2.5 font-medium text-red-700 shadow-sm transition hover:bg-red-50",
      }}
      submitLabel="Отозвать ссылку"
      pendingLabel="Отзываем…"
      keepLabel="Не отзывать"
      onSubmit={async (reason) => {
        await apiJson<{ ok: true }>(`/api/payouts/${payoutRequestId}/revoke`, { method: "POST", body: { reason } });
        setRevoked(true);
        onRevoked(reason);
      }}
      onClosedAfterSuccess={onClosedAfterRevoke}
    />
  );
}
