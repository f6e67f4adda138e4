"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, type ReactNode } from "react";
import { useLiveStatus } from "@/components/live/live-events";
import { RiskSignalList } from "@/components/payouts/risk-signals";
import { METHOD_LABEL, SOURCE_ACCOUNT_LABEL } from "@/lib/format/status";
import { formatDateTimeSeconds } from "@/lib/format/time";
import { errorMessage } from "@/lib/i18n/errors";
import { formatKopecks } from "@/lib/money";
import type { PayoutDetail } from "@/lib/payouts/detail";
import { fetchPayoutDetail, payoutQueryKey } from "./api";
import type { Viewer } from "./claim-panel";
import { DecisionPanel } from "./decision-panel";
import { JsonBlock } from "./json-block";
import { attentionReasonLabel, BANK_PAYOUT_STATUS_LABEL, FLOW_LABEL, LINK_STATE_LABEL, SESSION_STATUS_LABEL } from "./labels";
import { NotSelfEmployedBanner, SelfEmployedDetails } from "./self-employed-details";
import { StatusBadge } from "./status-badge";
import { Timeline } from "./timeline";

/**
 * The payout detail page. Server-rendered with the first read; React Query (`["payout", id]`)
 * keeps it fresh — the dashboard's live-events provider invalidates that key whenever an event
 * names this payout, and a slow poll covers a dropped connection.
 */
export function PayoutDetailView({ initial, canDecide, viewer }: { initial: PayoutDetail; canDecide: boolean; viewer: Viewer }) {
  const queryClient = useQueryClient();
  const liveState = useLiveStatus().state;
  const query = useQuery({
    queryKey: payoutQueryKey(initial.id),
    queryFn: ({ signal }) => fetchPayoutDetail(initial.id, signal),
    initialData: initial,
    refetchInterval: 60_000,
  });
  // The server render may be older than the event stream: news that landed in between would never
  // be announced again, so read once more each time the stream (re)connects.
  useEffect(() => {
    if (liveState === "live") void queryClient.invalidateQueries({ queryKey: payoutQueryKey(initial.id) });
  }, [liveState, queryClient, initial.id]);
  const detail = query.data;
  // Server time − browser time when this data was read: countdowns follow the server's clock.
  const clockOffsetMs = query.dataUpdatedAt ? Date.parse(detail.generatedAt) - query.dataUpdatedAt : 0;

  return (
    <div className="grid grid-cols-1 gap-5" data-testid="payout-detail" data-status={detail.status}>
      <div>
        <Link href="/dashboard" className="inline-flex items-center gap-1 text-sm font-medium text-slate-600 hover:text-slate-900">
          <span aria-hidden>←</span> Все выплаты
        </Link>
      </div>

      <header className="rounded-2xl border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
        <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
          <h1 className="font-mono text-xl font-semibold tracking-tight text-slate-900 sm:text-2xl" data-testid="payout-reference">
            {detail.requestNumber}
          </h1>
          <StatusBadge status={detail.status} />
          {query.isFetching ? <span className="sr-only">Обновление…</span> : null}
        </div>
        <p className="mt-3 text-3xl font-semibold tracking-tight text-slate-900 tabular-nums sm:text-4xl" data-testid="payout-amount">
          {formatKopecks(detail.amountKopecks)}
        </p>
        <p className="mt-1 text-base text-slate-700" data-testid="payout-recipient">
          {detail.recipientName}
          {detail.instrument ? (
            <span className="text-slate-500">
              {" · "}
              <span className="whitespace-nowrap">{detail.instrument.label}</span>
            </span>
          ) : null}
        </p>
        <p className="mt-1 text-sm break-words text-slate-500">{detail.purpose}</p>
        {detail.failure ? (
          <div className="mt-4 rounded-xl border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800" data-testid="payout-failure">
            <p className="font-medium" data-testid="payout-failure-message">
              {detail.failure.message}
            </p>
            <p className="mt-0.5 text-xs text-red-700/80">
              Код банка: <code className="font-mono">{detail.failure.code}</code>
              {detail.failure.description ? ` — ${detail.failure.description}` : null}
            </p>
          </div>
        ) : null}
        <NotSelfEmployedBanner selfEmployed={detail.selfEmployed} />
        {detail.attentionReason ? (
          <div className="mt-4 rounded-xl border border-rose-200 bg-rose-50 px-4 py-3 text-sm text-rose-800" data-testid="payout-attention">
            {attentionReasonLabel(detail.attentionReason)}
          </div>
        ) : null}
        {detail.bankMismatch ? (
          <div className="mt-4 rounded-xl border border-rose-200 bg-rose-50 px-4 py-3 text-sm text-rose-800" data-testid="payout-bank-mismatch">
            Сверка: банк сообщает иное, чем записано у нас — проверьте вручную.
            <code className="mt-1 block font-mono text-xs break-all">{JSON.stringify(detail.bankMismatch.detail)}</code>
          </div>
        ) : null}
        {detail.riskSignals.length > 0 ? (
          <div className="mt-4" data-testid="payout-risk-signals">
            <h2 className="mb-1 text-sm font-semibold text-amber-900">Сигналы риска</h2>
            <RiskSignalList signals={detail.riskSignals} />
          </div>
        ) : null}
      </header>

      <div className="grid grid-cols-1 items-start gap-5 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="lg:sticky lg:top-4 lg:order-2">
          <DecisionPanel detail={detail} canDecide={canDecide} viewer={viewer} clockOffsetMs={clockOffsetMs} />
        </div>

        <div className="grid min-w-0 grid-cols-1 gap-5 lg:order-1">
          <Card title="Заявка" testId="request-card">
            <Fields>
              <Field label="Получатель">{detail.recipientName}</Field>
              {detail.recipientEmail ? <Field label="Email получателя">{detail.recipientEmail}</Field> : null}
              <Field label="Назначение">{detail.purpose}</Field>
              <Field label="Сумма">{formatKopecks(detail.amountKopecks)}</Field>
              <Field label="Способ">{METHOD_LABEL[detail.method]}</Field>
              <Field label="Инструмент" testId="payout-instrument">
                {detail.instrument ? (
                  <>
                    {detail.instrument.label}
                    {detail.instrument.bik ? <span className="text-slate-500"> · БИК {detail.instrument.bik}</span> : null}
                  </>
                ) : (
                  <span className="text-slate-500">получатель ещё не указал</span>
                )}
              </Field>
              {detail.sbp ? <SbpFields sbp={detail.sbp} /> : null}
              <Field label="Счёт списания" testId="payout-source-account">
                {SOURCE_ACCOUNT_LABEL[detail.sourceAccount]}
                {detail.sourceAccount === "escrow" ? (
                  <span className="block text-slate-600">
                    Бенефициар: {detail.beneficiaryName ?? "—"}, ИНН <span className="font-mono">{detail.beneficiaryInn ?? "—"}</span>
                  </span>
                ) : null}
              </Field>
              {detail.partnerReference ? <Field label="Референс партнёра">{detail.partnerReference}</Field> : null}
              <Field label="Создана">
                {formatDateTimeSeconds(detail.createdAt)}
                <span className="text-slate-500">
                  {" "}
                  · {detail.createdBy.type === "partner_api" ? `API: ${detail.createdBy.name ?? "ключ"}` : (detail.createdBy.name ?? "оператор")}
                </span>
              </Field>
              <Field label="Ссылка получателя">
                {LINK_STATE_LABEL[detail.link.state]}
                <span className="text-slate-500"> · до {formatDateTimeSeconds(detail.link.expiresAt)}</span>
              </Field>
            </Fields>
          </Card>

          {detail.selfEmployed ? (
            <Card title="Самозанятый (НПД)" testId="self-employed-card">
              <SelfEmployedDetails selfEmployed={detail.selfEmployed} />
            </Card>
          ) : null}

          <BankSessionCard detail={detail} />

          <Card title="История" subtitle="Журнал, запросы в банк и вебхуки по времени (МСК)" testId="timeline-card">
            <Timeline entries={detail.timeline} />
          </Card>
        </div>
      </div>
    </div>
  );
}

function BankSessionCard({ detail }: { detail: PayoutDetail }) {
  const session = detail.bankSession;
  return (
    <Card title="Сессия в Банке 131" testId="bank-session">
      {!session ? (
        <p className="text-sm text-slate-500">Сессии в банке ещё нет: она откроется, когда получатель укажет реквизиты.</p>
      ) : (
        <>
          <Fields>
            <Field label="ID сессии" testId="bank-session-id">
              <code className="font-mono text-[13px] break-all">{session.bankSessionId ?? "ещё не получен"}</code>
            </Field>
            <Field label="Статус в банке" testId="bank-session-status">
              {SESSION_STATUS_LABEL[session.status]} <code className="font-mono text-xs text-slate-500">{session.status}</code>
            </Field>
            <Field label="Следующий шаг">
              {session.nextAction ? <code className="font-mono text-[13px]">{session.nextAction}</code> : <span className="text-slate-500">—</span>}
            </Field>
            <Field label="Срок подтверждения">{session.confirmDeadlineAt ? `${formatDateTimeSeconds(session.confirmDeadlineAt)} МСК` : "—"}</Field>
            <Field label="Сценарий">
              <span className="break-words">{FLOW_LABEL[session.flow] ?? session.flow}</span>
              <span className="text-slate-500"> · API v{session.apiVersion}</span>
            </Field>
            <Field label="Ключ идемпотентности">
              <code className="font-mono text-xs break-all">{session.idempotencyKey}</code>
            </Field>
            <Field label="Последняя сверка">{formatDateTimeSeconds(session.lastSyncedAt)}</Field>
            {session.lastError ? (
              <Field label="Последняя ошибка связи">
                <span className="break-words text-amber-800">{session.lastError}</span>
              </Field>
            ) : null}
          </Fields>
          {session.confirmInformation ? <JsonBlock summary="confirm_information" value={session.confirmInformation} /> : null}

          <h3 className="mt-5 text-sm font-semibold text-slate-900">Выплаты в банке</h3>
          {detail.bankPayouts.length === 0 ? (
            <p className="mt-1 text-sm text-slate-500">Банк ещё не сообщил о выплате.</p>
          ) : (
            <ul className="mt-2 grid gap-2" data-testid="bank-payouts">
              {detail.bankPayouts.map((payout) => (
                <li key={payout.bankPayoutId} className="rounded-xl border border-slate-200 px-3 py-2 text-sm" data-testid="bank-payout">
                  <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
                    <code className="font-mono text-[13px]">{payout.bankPayoutId}</code>
                    <span
                      className={`rounded-md px-1.5 py-0.5 text-xs font-medium ${
                        payout.status === "succeeded"
                          ? "bg-brand-50 text-brand-700"
                          : payout.status === "failed"
                            ? "bg-red-50 text-red-700"
                            : "bg-slate-100 text-slate-700"
                      }`}
                    >
                      {BANK_PAYOUT_STATUS_LABEL[payout.status]}
                    </span>
                    <span className="ml-auto font-medium tabular-nums">
                      {payout.amountKopecks === null ? "сумма в confirm_information" : formatKopecks(payout.amountKopecks)}
                    </span>
                  </div>
                  {payout.error ? (
                    <p className="mt-1 text-red-700" data-testid="bank-payout-error">
                      {payout.error.message} <code className="font-mono text-xs text-red-700">{payout.error.code}</code>
                    </p>
                  ) : null}
                  {payout.refundedAt ? <p className="mt-1 text-violet-700">Возврат {formatDateTimeSeconds(payout.refundedAt)}</p> : null}
                  {payout.finishedAt ? <p className="mt-1 text-xs text-slate-500">Завершена {formatDateTimeSeconds(payout.finishedAt)}</p> : null}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </Card>
  );
}

function Card({ title, subtitle, testId, children }: { title: string; subtitle?: string; testId?: string; children: ReactNode }) {
  return (
    <section className="min-w-0 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5" data-testid={testId} aria-label={title}>
      <h2 className="text-base font-semibold text-slate-900">{title}</h2>
      {subtitle ? <p className="text-xs text-slate-500">{subtitle}</p> : null}
      <div className="mt-3">{children}</div>
    </section>
  );
}

/** SBP: the name the bank holds for the phone (masked) and, when the bank did not verify, why. */
function SbpFields({ sbp }: { sbp: NonNullable<PayoutDetail["sbp"]> }) {
  const last = sbp.lastVerification;
  const verifiedName = sbp.verifiedName ?? (last?.status === "verified" ? last.maskedName : null);
  return (
    <>
      <Field label="Имя в банке (СБП)" testId="payout-sbp-verified-name">
        {verifiedName ?? <span className="text-slate-500">банк ещё не подтвердил</span>}
      </Field>
      {last && last.status !== "verified" ? (
        <Field label="Проверка СБП" testId="payout-sbp-verification">
          {last.status === "pending" ? (
            "банк проверяет номер"
          ) : (
            <span className="text-red-700">
              {errorMessage({ code: "sbp_verification_failed", params: { code: last.failureCode } }, "ru")}{" "}
              <span className="font-mono text-xs text-slate-500">({last.failureCode})</span>
            </span>
          )}
        </Field>
      ) : null}
    </>
  );
}

function Fields({ children }: { children: ReactNode }) {
  return <dl className="grid gap-x-4 gap-y-3 text-sm sm:grid-cols-[11rem_minmax(0,1fr)] sm:gap-y-2">{children}</dl>;
}

function Field({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="min-w-0 sm:contents">
      <dt className="text-xs text-slate-500 sm:text-sm">{label}</dt>
      <dd className="min-w-0 break-words text-slate-900" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}
