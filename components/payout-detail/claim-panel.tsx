"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError } from "@/components/api-client";
import { ReasonDialog } from "@/components/ui/reason-dialog";
import { CLAIM_ACTION_LABEL, claimHolderLabel } from "@/lib/format/claims";
import { errorMessage } from "@/lib/i18n/errors";
import type { ClaimView } from "@/lib/payouts/claims";
import type { PayoutDetail } from "@/lib/payouts/detail";
import { payoutQueryKey, postClaim, type ClaimAction } from "./api";
import { useTimeLeft } from "./deadline-countdown";

export interface Viewer {
  id: string;
  isAdmin: boolean;
}

/** The claim in force as this page sees it (by the server's clock): it stops counting the moment it runs out. */
export function useLiveClaim(claim: ClaimView | null, clockOffsetMs: number): ClaimView | null {
  const left = useTimeLeft(claim?.expiresAt ?? null, clockOffsetMs);
  return claim && (left === null || left > 0) ? claim : null;
}

const BUTTON =
  "inline-flex min-h-9 items-center justify-center rounded-lg border px-3 py-1.5 text-sm font-medium transition-colors disabled:cursor-not-allowed disabled:opacity-60";

/**
 * «Взять в работу»: who reviews this payout right now. Everyone sees the holder (live, through the
 * payout's query key); approvers take, extend and release their own claim; an admin breaks anyone's
 * with a reason. The server decides (a claim by someone else refuses the take); this only words it.
 */
export function ClaimPanel({ detail, viewer, canDecide, clockOffsetMs }: { detail: PayoutDetail; viewer: Viewer; canDecide: boolean; clockOffsetMs: number }) {
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const claim = useLiveClaim(detail.claim, clockOffsetMs);
  const mine = claim?.holderId === viewer.id;
  const claimable = detail.status === "awaiting_approval" || detail.status === "needs_attention";

  const mutation = useMutation<unknown, unknown, { action: ClaimAction; reason?: string }>({
    mutationFn: ({ action, reason }) => postClaim(detail.id, action, reason),
    onMutate: () => setError(null),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: payoutQueryKey(detail.id) });
      void queryClient.invalidateQueries({ queryKey: ["payouts"] });
    },
  });
  const run = (action: ClaimAction) => mutation.mutate({ action }, { onError: (failure) => setError(wording(failure)) });
  const breakWithReason = async (reason: string) => {
    await mutation.mutateAsync({ action: "break", reason });
  };

  if (!claim && !claimable) return null;
  return (
    <div className="rounded-lg border border-slate-200 bg-slate-50 px-3 py-2" data-testid="claim-panel">
      <div className="flex flex-wrap items-center gap-2">
        <p className={`mr-auto text-sm ${claim && !mine ? "font-medium text-amber-800" : "text-slate-700"}`} data-testid="claim-status" data-holder={claim?.holderId ?? ""}>
          {claim ? claimHolderLabel(claim, viewer.id) : "Никто не взял выплату в работу"}
        </p>
        {canDecide && claimable && (!claim || mine) ? (
          <button type="button" className={`${BUTTON} border-brand-600 bg-white text-brand-700 hover:bg-brand-50`} disabled={mutation.isPending} onClick={() => run("take")} data-testid="claim-take">
            {mine ? CLAIM_ACTION_LABEL.extend : CLAIM_ACTION_LABEL.take}
          </button>
        ) : null}
        {mine ? (
          <button type="button" className={`${BUTTON} border-slate-300 bg-white text-slate-700 hover:bg-slate-100`} disabled={mutation.isPending} onClick={() => run("release")} data-testid="claim-release">
            {CLAIM_ACTION_LABEL.release}
          </button>
        ) : null}
        {claim && !mine && viewer.isAdmin ? (
          <ReasonDialog
            id="claim-break"
            title="Снять захват выплаты?"
            description={`${claimHolderLabel(claim, viewer.id)}. После снятия решение по выплате сможет принять любой согласующий.`}
            label="Причина"
            placeholder="Например: сотрудник ушёл на обед, банк скоро отменит выплату"
            hint="Попадёт в журнал выплаты."
            emptyMessage="Укажите причину."
            trigger={{ label: CLAIM_ACTION_LABEL.break, testId: "claim-break", className: `${BUTTON} border-red-300 bg-white text-red-700 hover:bg-red-50` }}
            submitLabel={CLAIM_ACTION_LABEL.break}
            pendingLabel="Снимаем…"
            keepLabel="Не снимать"
            onSubmit={breakWithReason}
          />
        ) : null}
      </div>
      {error ? (
        <p role="alert" className="mt-2 text-sm text-red-800" data-testid="claim-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function wording(error: unknown): string {
  return error instanceof ApiError ? errorMessage(error) : errorMessage({ code: "internal_error" });
}
