"use client";

import { useEffect, useRef, useState } from "react";
import { formatKopecks } from "@/lib/money";
import type { StartOutcome } from "@/lib/payouts/start";
import type { PayoutStatus } from "@/lib/payouts/state-machine";
import { RevokeLinkDialog } from "./revoke-link-dialog";

/** What `POST /api/payouts` answers with (201). */
export interface CreatedPayout {
  id: string;
  number: number;
  status: PayoutStatus;
  amountKopecks: number;
  link: { url: string; expiresAt: string };
  start: StartOutcome | null;
}

export const STATUS_LABEL: Record<PayoutStatus, string> = {
  awaiting_recipient: "Ждёт получателя",
  submitted: "Отправлена в банк",
  awaiting_approval: "Ждёт подтверждения оператора",
  confirming: "Подтверждается",
  cancelling: "Отменяется",
  bank_error: "Банк уточняет результат",
  paid: "Выплачена",
  failed: "Не выплачена",
  cancelled: "Отменена",
  refunded: "Возвращена",
  expired: "Ссылка истекла",
  needs_attention: "Требует внимания",
};

const DATE_TIME = new Intl.DateTimeFormat("ru-RU", { day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit" });

export function formatRequestNumber(number: number): string {
  return `PR-${String(number).padStart(6, "0")}`;
}

function StartNotice({ start }: { start: StartOutcome }) {
  if (start.rejected) {
    return (
      <div data-testid="start-outcome" data-outcome="rejected" className="rounded-xl border border-red-200 bg-red-50 p-4 text-sm text-red-800">
        <p className="font-medium">Банк отклонил выплату</p>
        <p className="mt-1">
          {start.rejected.description} <span className="text-red-600">(код {start.rejected.code})</span>
        </p>
      </div>
    );
  }
  if (start.started) {
    return (
      <div data-testid="start-outcome" data-outcome="started" className="rounded-xl border border-brand-100 bg-brand-50 p-4 text-sm text-brand-700">
        <p className="font-medium">Выплата отправлена в банк</p>
        <p className="mt-1">Реквизиты получателя уже известны, поэтому для оплаты ссылка не нужна — по ней получатель может следить за статусом.</p>
      </div>
    );
  }
  return (
    <div data-testid="start-outcome" data-outcome="pending" className="rounded-xl border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900">
      <p className="font-medium">Ждём ответа банка</p>
      <p className="mt-1">
        Банк пока не ответил{start.pendingReason === "bank_timeout" ? " вовремя" : ""}. Портал сам повторит запрос — выплата не будет отправлена
        дважды. Следите за статусом в разделе «Сессии выплат».
      </p>
    </div>
  );
}

function CopyButton({ text, inputId }: { text: string; inputId: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state !== "copied") return;
    const timer = setTimeout(() => setState("idle"), 2500);
    return () => clearTimeout(timer);
  }, [state]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      // No clipboard access (an insecure origin, a denied permission): select the text for Ctrl+C.
      const input = document.getElementById(inputId) as HTMLInputElement | null;
      input?.focus();
      input?.select();
      setState("failed");
    }
  }

  return (
    <>
      <button
        type="button"
        onClick={() => void copy()}
        data-state={state}
        className={`inline-flex min-w-36 items-center justify-center gap-2 rounded-lg px-4 py-2.5 font-medium shadow-sm transition ${
          state === "copied" ? "bg-brand-700 text-white" : "bg-brand-600 text-white hover:bg-brand-700"
        }`}
      >
        {state === "copied" ? (
          <>
            <svg aria-hidden viewBox="0 0 20 20" className="size-4 fill-current">
              <path d="M7.6 13.2 4.4 10l-1.2 1.2 4.4 4.4 9.2-9.2-1.2-1.2-8 8Z" />
            </svg>
            Скопировано
          </>
        ) : (
          "Копировать"
        )}
      </button>
      <span role="status" className="sr-only">
        {state === "copied" ? "Ссылка скопирована" : ""}
      </span>
      {state === "failed" ? (
        <p className="basis-full text-sm text-amber-800" role="alert">
          Браузер не дал доступ к буферу обмена — ссылка выделена, нажмите Ctrl+C (⌘C).
        </p>
      ) : null}
    </>
  );
}

export function PayoutResult({ result, recipientName, onCreateAnother }: { result: CreatedPayout; recipientName: string; onCreateAnother: () => void }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const revokedRef = useRef<HTMLDivElement>(null);
  const [revokedReason, setRevokedReason] = useState<string | null>(null);
  const number = formatRequestNumber(result.number);

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  return (
    <section aria-labelledby="result-heading" data-testid="payout-result" className="rounded-2xl border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <h2 id="result-heading" ref={headingRef} tabIndex={-1} className="text-xl font-semibold tracking-tight focus:outline-none">
          Выплата <span data-testid="result-number">{number}</span> создана
        </h2>
        <span className="rounded-full bg-slate-100 px-2.5 py-1 text-sm text-slate-700" data-testid="result-status">
          {revokedReason !== null ? STATUS_LABEL.cancelled : STATUS_LABEL[result.status]}
        </span>
      </div>

      <dl className="mt-4 grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2">
        <div>
          <dt className="text-slate-500">Сумма</dt>
          <dd className="mt-0.5 text-lg font-semibold tabular-nums" data-testid="result-amount">
            {formatKopecks(result.amountKopecks)}
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">Получатель</dt>
          <dd className="mt-0.5 text-lg font-medium">{recipientName}</dd>
        </div>
      </dl>

      {result.start ? (
        <div className="mt-4">
          <StartNotice start={result.start} />
        </div>
      ) : null}

      <div className="mt-5 border-t border-slate-200 pt-5">
        {revokedReason !== null ? (
          <div ref={revokedRef} tabIndex={-1} data-testid="link-revoked" className="rounded-xl border border-slate-200 bg-slate-50 p-4 text-sm focus:outline-none">
            <p className="font-medium text-slate-900">Ссылка отозвана, выплата отменена</p>
            <p className="mt-1 text-slate-600">Причина: {revokedReason}</p>
          </div>
        ) : (
          <>
            <label htmlFor="recipient-link" className="block text-sm font-medium text-slate-800">
              {result.start ? "Ссылка на статус выплаты для получателя" : "Ссылка для получателя"}
            </label>
            <div className="mt-1 flex flex-wrap gap-2">
              <input
                id="recipient-link"
                readOnly
                value={result.link.url}
                onFocus={(event) => event.currentTarget.select()}
                aria-describedby={result.start ? "recipient-link-once" : "recipient-link-once recipient-link-expiry"}
                className="block min-w-0 flex-1 basis-64 rounded-lg border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-sm text-slate-800"
                data-testid="recipient-link"
              />
              <CopyButton text={result.link.url} inputId="recipient-link" />
              <a
                href={result.link.url}
                target="_blank"
                rel="noopener noreferrer"
                className="inline-flex items-center justify-center gap-1 rounded-lg border border-slate-300 bg-white px-4 py-2.5 font-medium text-slate-700 transition hover:bg-slate-50"
              >
                Открыть
                <span className="sr-only"> ссылку получателя в новой вкладке</span>
                <svg aria-hidden viewBox="0 0 20 20" className="size-4 fill-current">
                  <path d="M11 3h6v6h-1.6V5.7l-6.3 6.3-1.1-1.1 6.3-6.3H11V3ZM4.6 5H9v1.6H4.6v8.8h8.8V11H15v6H3V5h1.6Z" />
                </svg>
              </a>
            </div>
            {result.start ? null : (
              <p id="recipient-link-expiry" className="mt-2 text-sm text-slate-600">
                Действует до <time dateTime={result.link.expiresAt}>{DATE_TIME.format(new Date(result.link.expiresAt))}</time>.
              </p>
            )}
            <p id="recipient-link-once" className="mt-3 flex gap-2 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900">
              <svg aria-hidden viewBox="0 0 20 20" className="mt-0.5 size-4 shrink-0 fill-current">
                <path d="M10 2 1 18h18L10 2Zm-.9 6h1.8v5H9.1V8Zm.9 8a1.1 1.1 0 1 1 0-2.2 1.1 1.1 0 0 1 0 2.2Z" />
              </svg>
              <span>
                Ссылка показывается только один раз: портал хранит лишь её отпечаток и не сможет показать её снова. Скопируйте её сейчас и
                отправьте получателю.
              </span>
            </p>
          </>
        )}
      </div>

      <div className="mt-6 flex flex-col gap-2 sm:flex-row">
        <button
          type="button"
          onClick={onCreateAnother}
          className="inline-flex items-center justify-center rounded-lg bg-slate-900 px-4 py-2.5 font-medium text-white shadow-sm transition hover:bg-slate-700"
        >
          Создать ещё одну
        </button>
        {result.start === null ? (
          <RevokeLinkDialog
            payoutRequestId={result.id}
            requestNumber={number}
            onRevoked={setRevokedReason}
            onClosedAfterRevoke={() => revokedRef.current?.focus()}
          />
        ) : null}
      </div>
    </section>
  );
}
