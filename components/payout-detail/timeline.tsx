import type { ReactNode } from "react";
import type { TimelineEntry } from "@/lib/payouts/detail";
import { JsonBlock } from "./json-block";
import { statusLabel } from "@/lib/format/status";
import { formatDay, formatTimeMs } from "@/lib/format/time";
import { actorLabel, auditActionLabel, dedupeLabel, effectLabel, outcomeLabel } from "./labels";
import { RejectedSampleView } from "../webhooks/rejected-sample";

/** Every audit event, bank call and webhook of one payout, oldest first, each with its raw data. */

type Audit = Extract<TimelineEntry, { kind: "audit" }>;
type Call = Extract<TimelineEntry, { kind: "bank_call" }>;
type Hook = Extract<TimelineEntry, { kind: "webhook" }>;

const KIND_LABEL = { audit: "Событие", bank_call: "Запрос в банк", webhook: "Вебхук" } as const;

function Icon({ entry }: { entry: TimelineEntry }) {
  let tone: string;
  let path: ReactNode;
  if (entry.kind === "audit") {
    tone = entry.actor.type === "operator" ? "bg-brand-50 text-brand-700 ring-brand-100" : "bg-slate-100 text-slate-600 ring-slate-200";
    path =
      entry.actor.type === "operator" || entry.actor.type === "recipient" ? (
        <path d="M10 10a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7Zm-6 7a6 6 0 0 1 12 0 .75.75 0 0 1-.75.75H4.75A.75.75 0 0 1 4 17Z" />
      ) : (
        <path d="M10 2.5a.75.75 0 0 1 .75.75v1.3a5.5 5.5 0 0 1 4.7 4.7h1.3a.75.75 0 0 1 0 1.5h-1.3a5.5 5.5 0 0 1-4.7 4.7v1.3a.75.75 0 0 1-1.5 0v-1.3a5.5 5.5 0 0 1-4.7-4.7h-1.3a.75.75 0 0 1 0-1.5h1.3a5.5 5.5 0 0 1 4.7-4.7v-1.3A.75.75 0 0 1 10 2.5ZM10 8a2 2 0 1 0 0 4 2 2 0 0 0 0-4Z" />
      );
  } else if (entry.kind === "bank_call") {
    tone = entry.outcome === "ok" ? "bg-sky-50 text-sky-700 ring-sky-200" : "bg-amber-50 text-amber-800 ring-amber-300";
    path = <path d="M6 14 14 6m0 0H7.5M14 6v6.5" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" fill="none" />;
  } else {
    tone = entry.verdict === "rejected" ? "bg-red-50 text-red-700 ring-red-200" : "bg-violet-50 text-violet-700 ring-violet-200";
    path = <path d="M14 6 6 14m0 0h6.5M6 14V7.5" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" fill="none" />;
  }
  return (
    <span aria-hidden className={`relative z-10 flex size-8 shrink-0 items-center justify-center rounded-full ring-1 ${tone}`}>
      <svg viewBox="0 0 20 20" className="size-4" fill="currentColor">
        {path}
      </svg>
    </span>
  );
}

function Chip({ children, tone = "slate", testId }: { children: ReactNode; tone?: "slate" | "green" | "red" | "amber" | "violet"; testId?: string }) {
  const tones = {
    slate: "bg-slate-100 text-slate-700",
    green: "bg-brand-50 text-brand-700",
    red: "bg-red-50 text-red-700",
    amber: "bg-amber-50 text-amber-800",
    violet: "bg-violet-50 text-violet-700",
  };
  return (
    <span data-testid={testId} className={`inline-flex items-center rounded-md px-1.5 py-0.5 text-xs font-medium ${tones[tone]}`}>
      {children}
    </span>
  );
}

function Transition({ from, to }: { from: string | null; to: string | null }) {
  if (!to) return null;
  return (
    <span className="text-xs text-slate-600">
      {from ? `${statusLabel(from)} → ` : "→ "}
      <span className="font-medium text-slate-800">{statusLabel(to)}</span>
    </span>
  );
}

function AuditBody({ entry }: { entry: Audit }) {
  return (
    <>
      <p className="text-sm font-medium break-words text-slate-900" data-testid="timeline-summary">
        {auditActionLabel(entry.action, entry.data)}
      </p>
      <p className="mt-0.5 flex flex-wrap items-center gap-x-2 gap-y-1">
        <span className="text-xs text-slate-500">{actorLabel(entry.actor)}</span>
        <Transition from={entry.fromStatus} to={entry.toStatus} />
        <code className="text-[11px] text-slate-500">{entry.action}</code>
      </p>
      {entry.data !== null ? <JsonBlock summary="Данные события" value={entry.data} /> : null}
    </>
  );
}

function CallBody({ entry }: { entry: Call }) {
  return (
    <>
      <p className="text-sm font-medium break-words text-slate-900" data-testid="timeline-summary">
        <code className="font-mono text-[13px]">{entry.method}</code>
        <span className="font-normal text-slate-600"> — {outcomeLabel(entry.outcome)}</span>
        {entry.errorCode && entry.outcome !== "ok" ? <span className="font-normal text-slate-600"> ({entry.errorCode})</span> : null}
      </p>
      <p className="mt-1 flex flex-wrap items-center gap-1.5">
        <Chip tone={entry.outcome === "ok" ? "green" : "amber"}>HTTP {entry.httpStatus ?? "—"}</Chip>
        <Chip>{entry.durationMs} мс</Chip>
        {entry.idempotencyKey ? (
          <span className="max-w-full truncate text-[11px] text-slate-500" title={entry.idempotencyKey}>
            ключ идемпотентности <code className="font-mono">{entry.idempotencyKey}</code>
          </span>
        ) : null}
      </p>
      <JsonBlock summary="Запрос" value={entry.request} testId="timeline-request" />
      <JsonBlock summary="Ответ" value={entry.response} testId="timeline-response" />
    </>
  );
}

function WebhookBody({ entry }: { entry: Hook }) {
  const verified = entry.verdict === "verified";
  return (
    <>
      <p className="text-sm font-medium break-words text-slate-900" data-testid="timeline-summary">
        Вебхук <code className="font-mono text-[13px]">{entry.type ?? "?"}</code>
        <span className="font-normal text-slate-600"> — {effectLabel(entry.effect)}</span>
      </p>
      <dl className="mt-1 grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-0.5 text-xs">
        <dt className="text-slate-500">Подпись</dt>
        <dd data-testid="timeline-verdict">
          {verified ? (
            <Chip tone="green">верна</Chip>
          ) : (
            <>
              <Chip tone="red">отклонена</Chip> <span className="break-words text-red-700">{entry.rejectReason ?? (entry.hasSignature ? "" : "нет подписи")}</span>
            </>
          )}
        </dd>
        <dt className="text-slate-500">Дедупликация</dt>
        <dd className="text-slate-700" data-testid="timeline-dedupe">
          {dedupeLabel(entry)}
          {entry.dedupeKey ? (
            <code className="block truncate font-mono text-[11px] text-slate-500" title={`sha256 ${entry.dedupeKey}`}>
              sha256 {entry.dedupeKey}
            </code>
          ) : null}
        </dd>
      </dl>
      {entry.rawBody !== null ? <JsonBlock summary="Тело вебхука (как получено)" value={entry.rawBody} verbatim testId="timeline-raw-body" /> : null}
      {entry.rejectedSample ? <RejectedSampleView sample={entry.rejectedSample} testId="timeline-rejected-sample" /> : null}
    </>
  );
}

export function Timeline({ entries }: { entries: TimelineEntry[] }) {
  if (entries.length === 0) {
    return <p className="rounded-xl border border-dashed border-slate-300 px-4 py-8 text-center text-sm text-slate-500">Событий пока нет.</p>;
  }
  const days = entries.map((entry) => formatDay(entry.at));
  return (
    <ol className="relative" data-testid="timeline">
      {entries.map((entry, index) => {
        const day = days[index]!;
        const showDay = index === 0 || day !== days[index - 1];
        return (
          <li key={entry.id} data-testid="timeline-entry" data-kind={entry.kind} className="relative">
            {showDay ? <p className="mb-2 ml-11 text-xs font-semibold tracking-wide text-slate-500 uppercase">{day}</p> : null}
            <div className="flex gap-3 pb-5">
              <div className="relative flex flex-col items-center">
                <Icon entry={entry} />
                {index < entries.length - 1 ? <span aria-hidden className="absolute top-8 -bottom-5 w-px bg-slate-200" /> : null}
              </div>
              <div className="min-w-0 flex-1 pt-0.5">
                <p className="flex flex-wrap items-baseline gap-x-2 text-xs text-slate-500">
                  <time dateTime={entry.at} className="font-mono tabular-nums">
                    {formatTimeMs(entry.at)}
                  </time>
                  <span className="font-medium">{KIND_LABEL[entry.kind]}</span>
                </p>
                {entry.kind === "audit" ? <AuditBody entry={entry} /> : entry.kind === "bank_call" ? <CallBody entry={entry} /> : <WebhookBody entry={entry} />}
              </div>
            </div>
          </li>
        );
      })}
    </ol>
  );
}
