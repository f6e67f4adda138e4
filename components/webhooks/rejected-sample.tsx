import type { RejectedSample } from "@/lib/payouts/detail";
import { plural } from "@/lib/format/numbers";

/** What the portal keeps of a rejected delivery instead of its body (lib/payouts/webhooks.ts). */
export function RejectedSampleView({ sample, testId }: { sample: RejectedSample; testId: string }) {
  const bytes = sample.bytes;
  return (
    <p className="mt-2 text-xs break-words text-slate-600" data-testid={testId}>
      Тело отклонённой доставки не хранится
      {bytes !== null ? ` (${bytes.toLocaleString("ru-RU")} ${plural(bytes, ["байт", "байта", "байт"])})` : ""}.
      {sample.clientAddress ? <> Отправитель: <code className="font-mono">{sample.clientAddress}</code>.</> : null}
      {sample.namedSessionId ? <> Называла сессию <code className="font-mono">{sample.namedSessionId}</code>.</> : null}
      {sample.sha256 ? <code className="block truncate font-mono text-[11px] text-slate-500" title={`sha256 ${sample.sha256}`}>sha256 {sample.sha256}</code> : null}
    </p>
  );
}
