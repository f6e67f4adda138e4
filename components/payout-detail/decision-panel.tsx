"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { PayoutDetail } from "@/lib/payouts/detail";
import { SETTLED_STATUSES } from "@/lib/payouts/state-machine";
import { ApiError } from "@/components/api-client";
import { payoutQueryKey, postDecision, type DecisionResult } from "./api";
import { CancelDialog } from "./cancel-dialog";
import { ClaimPanel, useLiveClaim, type Viewer } from "./claim-panel";
import { ConfirmInformationSummary } from "./confirm-information";
import { DeadlineCountdown, useTimeLeft } from "./deadline-countdown";
import { decisionErrorMessage } from "./decision-errors";
import { formatApprovalProgress } from "@/lib/format/numbers";
import { RISK_SIGNAL_TITLE } from "@/lib/format/risk-signals";
import { formatDateTimeSeconds } from "@/lib/format/time";
import { errorMessage } from "@/lib/i18n/errors";
import { actorLabel } from "./labels";
import { Spinner } from "./spinner";

type Notice = { tone: "error" | "info"; text: string };

const IN_FLIGHT_HINT: Record<string, string> = {
  confirming: "Подтверждение отправлено в банк — ждём результат.",
  cancelling: "Отмена отправлена в банк — ждём подтверждение.",
};

/**
 * The operator's decision: approve (session/confirm) or cancel with a reason (session/cancel).
 * Buttons exist only for roles that may decide (checked on the server, passed in as `canDecide`)
 * and are enabled only while the payout awaits approval. Exactly-once is the server's job (a
 * conditional status update); the page just never sends while a request of its own is running.
 */
export function DecisionPanel({ detail, canDecide, viewer, clockOffsetMs }: { detail: PayoutDetail; canDecide: boolean; viewer: Viewer; clockOffsetMs: number }) {
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<Notice | null>(null);
  const queryKey = payoutQueryKey(detail.id);

  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey });
    void queryClient.invalidateQueries({ queryKey: ["payouts"] });
  };

  const mutation = useMutation<DecisionResult, unknown, { decision: "confirm" | "cancel"; reason?: string }>({
    mutationFn: ({ decision, reason }) => postDecision(detail.id, decision, reason),
    onMutate: () => setNotice(null),
    onSuccess: (result) => {
      // The status badge and the in-flight hint tell the rest; only an unknown outcome or an approval
      // still waiting for a second approver needs words.
      if (result.approvals && result.approvals.count < result.approvals.required) {
        setNotice({ tone: "info", text: `Ваше одобрение записано: ${formatApprovalProgress(result.approvals.count, result.approvals.required)}. Подтверждение уйдёт в банк после одобрения другого согласующего.` });
      } else if (result.outcomeUnknown) {
        setNotice({ tone: "info", text: "Банк не ответил вовремя. Портал сам проверит итог у банка — повторно нажимать не нужно." });
      }
    },
    onSettled: refresh,
  });

  const deadline = detail.bankSession?.confirmDeadlineAt ?? null;
  const awaiting = detail.status === "awaiting_approval";
  const pending = mutation.isPending;
  const pendingDecision = pending ? mutation.variables?.decision : undefined;
  const timeLeft = useTimeLeft(awaiting ? deadline : null, clockOffsetMs);
  const expired = timeLeft !== null && timeLeft <= 0;
  const claim = useLiveClaim(detail.claim, clockOffsetMs);
  // Someone else reviews it: only they decide until they let go, the claim runs out or an admin breaks it.
  const heldByOther = claim !== null && claim.holderId !== viewer.id;
  const enabled = canDecide && awaiting && !pending && !heldByOther;
  // A payout needing attention has no decision at the bank to make, but an operator may cancel it.
  const cancellable = enabled || (canDecide && !pending && !heldByOther && detail.status === "needs_attention");
  const inFlight = IN_FLIGHT_HINT[detail.status];
  const confirmInformation = detail.sourceAccount === "escrow" ? detail.bankSession?.confirmInformation : null;

  const approve = () => {
    if (!enabled || expired) return;
    mutation.mutate(
      { decision: "confirm" },
      { onError: (error) => setNotice({ tone: "error", text: decisionErrorMessage(error) }) },
    );
  };

  /** The dialog shows a refusal of the reason itself; anything else closes it and shows here. */
  const cancel = async (reason: string): Promise<void> => {
    try {
      await mutation.mutateAsync({ decision: "cancel", reason });
    } catch (error) {
      if (error instanceof ApiError && error.field === "reason") throw error;
      setNotice({ tone: "error", text: decisionErrorMessage(error) });
    }
  };

  return (
    <section aria-labelledby="decision-heading" className="rounded-2xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5" data-testid="decision-panel">
      <h2 id="decision-heading" className="text-base font-semibold text-slate-900">
        Решение по выплате
      </h2>

      <div className="mt-3 grid gap-3">
        {awaiting && deadline ? <DeadlineCountdown deadline={deadline} clockOffsetMs={clockOffsetMs} /> : null}
        {!awaiting && !inFlight ? <p className="text-sm text-slate-600" data-testid="decision-state">{stateSentence(detail)}</p> : null}
        <ClaimPanel detail={detail} viewer={viewer} canDecide={canDecide} clockOffsetMs={clockOffsetMs} />
        {canDecide && heldByOther && (awaiting || detail.status === "needs_attention") ? (
          // The server's refusal, said before anyone clicks: the same catalogue sentence.
          <p className="text-sm text-amber-800" data-testid="decision-claimed">
            {errorMessage({ code: "claimed_by_other", params: { by: claim.holderName, until: claim.expiresAt } })}
          </p>
        ) : null}
        <Approvals detail={detail} />
        <LastDecision detail={detail} />
        {awaiting && !deadline ? <p className="text-sm text-slate-600">Банк ждёт решения по выплате.</p> : null}
        {confirmInformation && (awaiting || detail.status === "confirming" || detail.status === "cancelling") ? (
          <ConfirmInformationSummary value={confirmInformation} requestedKopecks={detail.amountKopecks} />
        ) : null}
      </div>

      {canDecide && !SETTLED_STATUSES.has(detail.status) ? (
        <div className="mt-4 flex flex-col gap-2 min-[420px]:flex-row" data-testid="decision-actions">
          <button
            type="button"
            onClick={approve}
            disabled={!enabled || expired}
            aria-busy={pendingDecision === "confirm" || undefined}
            data-testid="approve-button"
            className="inline-flex min-h-11 flex-[2] items-center justify-center gap-2 rounded-xl bg-brand-600 px-4 py-2.5 text-sm font-semibold text-white shadow-sm transition-colors hover:bg-brand-700 disabled:cursor-not-allowed disabled:bg-slate-200 disabled:text-slate-500 disabled:shadow-none aria-busy:cursor-wait aria-busy:bg-brand-600/70 aria-busy:text-white"
          >
            {pendingDecision === "confirm" ? <Spinner /> : null}
            {pendingDecision === "confirm" ? "Подтверждаем…" : detail.approvals.count + 1 < detail.approvals.required ? "Одобрить (первое из двух)" : "Подтвердить выплату"}
          </button>
          <CancelDialog requestNumber={detail.requestNumber} disabled={!cancellable} onSubmit={cancel} />
        </div>
      ) : !canDecide ? (
        <p className="mt-4 text-xs text-slate-500" data-testid="decision-readonly">
          Подтверждать и отменять выплаты могут согласующие и администраторы.
        </p>
      ) : null}

      <div aria-live="polite" className="empty:hidden">
        {notice ? (
          <p
            data-testid="decision-message"
            data-tone={notice.tone}
            className={`mt-3 rounded-lg px-3 py-2 text-sm ${notice.tone === "error" ? "bg-red-50 text-red-800" : "bg-sky-50 text-sky-800"}`}
          >
            {notice.text}
          </p>
        ) : null}
        {inFlight ? (
          <p className="mt-3 flex items-center gap-2 rounded-lg bg-sky-50 px-3 py-2 text-sm text-sky-800" data-testid="decision-in-flight">
            <Spinner className="size-3.5" />
            {inFlight}
          </p>
        ) : null}
      </div>
    </section>
  );
}

/**
 * The approvals given (who, when, the short fingerprint of what they approved) and how many are
 * still needed; approvals that no longer count (what is paid changed, or the bank refused that
 * confirm) stay listed, struck through.
 */
function Approvals({ detail }: { detail: PayoutDetail }) {
  const { required, count, list } = detail.approvals;
  const awaiting = detail.status === "awaiting_approval";
  if (list.length === 0 && !(awaiting && required > 1)) return null;
  return (
    <div className="rounded-lg bg-slate-50 px-3 py-2 text-sm text-slate-700" data-testid="approvals">
      <p className="font-medium" data-testid="approval-progress">
        {formatApprovalProgress(count, required)}
        {awaiting && count < required ? <span className="font-normal text-slate-600"> — нужно одобрение другого согласующего</span> : null}
      </p>
      {list.length > 0 ? (
        <ul className="mt-1 space-y-0.5">
          {list.map((approval) => (
            <li key={`${approval.operator.id}-${approval.at}`} data-testid="approval" className={approval.counts ? undefined : "text-slate-400 line-through"}>
              Одобрил: <span className="font-medium">{approval.operator.name}</span>, {formatDateTimeSeconds(approval.at)} (МСК) · отпечаток{" "}
              <code className="rounded bg-white px-1 font-mono text-xs" title={approval.fingerprint} data-testid="approval-fingerprint">
                {approval.short}
              </code>
              {approval.counts ? null : <span className="sr-only"> (не действует)</span>}
              {approval.riskSignals.length > 0 ? (
                <span className="block text-xs text-amber-800" data-testid="approval-risk-signals">
                  при сигналах: {approval.riskSignals.map((signal) => RISK_SIGNAL_TITLE[signal.code]).join("; ")}
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** Who decided, when, and why (cancel): the newest operator decision in the audit trail. */
function LastDecision({ detail }: { detail: PayoutDetail }) {
  const decision = detail.timeline.findLast(
    (entry): entry is Extract<PayoutDetail["timeline"][number], { kind: "audit" }> =>
      entry.kind === "audit" && (entry.action === "operator.approved" || entry.action === "operator.cancelled"),
  );
  if (!decision) return null;
  const data = decision.data as { reason?: unknown } | null;
  const reason = typeof data?.reason === "string" ? data.reason : null;
  return (
    <p className="rounded-lg bg-slate-50 px-3 py-2 text-sm text-slate-700" data-testid="last-decision">
      {decision.action === "operator.approved" ? "Подтвердил" : "Отменил"}: <span className="font-medium">{actorLabel(decision.actor)}</span>,{" "}
      {formatDateTimeSeconds(decision.at)}
      {reason ? <span className="mt-0.5 block break-words text-slate-600">Причина: «{reason}»</span> : null}
    </p>
  );
}

function stateSentence(detail: PayoutDetail): string {
  switch (detail.status) {
    case "awaiting_recipient":
      return "Получатель ещё не указал карту или счёт. Решение понадобится, когда банк проверит реквизиты.";
    case "submitted":
      return "Банк проверяет реквизиты. Кнопки станут доступны, когда банк будет ждать решения.";
    case "bank_error":
      return "Банк сообщил о сбое; портал сверяет статус сам.";
    case "paid":
      return "Выплата исполнена банком.";
    case "failed":
      return "Банк не смог выполнить выплату.";
    case "cancelled":
      return "Выплата отменена.";
    case "refunded":
      return "Деньги вернулись отправителю.";
    case "expired":
      return "Ссылка получателя истекла, выплата не начиналась.";
    case "needs_attention":
      return "Состояние выплаты в банке неизвестно: проверьте её в банке; отмена здесь ничего не отправляет в банк.";
    default:
      return "";
  }
}
