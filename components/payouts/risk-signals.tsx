import { riskSignalText, RISK_SIGNAL_TITLE } from "@/lib/format/risk-signals";
import type { RiskSignal } from "@/lib/payouts/risk-signals";

/**
 * A payout's risk signals, each as its title and the sentence with the numbers behind it (the queue
 * row, the payout page, an approval in its history).
 */
export function RiskSignalList({ signals, compact = false }: { signals: RiskSignal[]; compact?: boolean }) {
  if (signals.length === 0) return null;
  return (
    <ul className={`grid gap-1 ${compact ? "text-xs" : "text-sm"}`} data-testid="risk-signals" aria-label="Сигналы риска">
      {signals.map((signal) => (
        <li key={signal.code} className="rounded-md border border-amber-200 bg-amber-50 px-2 py-1 text-amber-900" data-testid="risk-signal" data-code={signal.code}>
          <span className="font-medium">{RISK_SIGNAL_TITLE[signal.code]}:</span> {riskSignalText(signal)}
        </li>
      ))}
    </ul>
  );
}
