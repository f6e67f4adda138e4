import { STATUS_LABEL, statusBadgeClass } from "@/lib/format/status";
import type { PayoutStatus } from "@/lib/payouts/state-machine";

export function StatusBadge({ status, className = "" }: { status: PayoutStatus; className?: string }) {
  return (
    <span
      data-testid="payout-status"
      data-status={status}
      className={`inline-flex items-center gap-1.5 rounded-full px-2.5 py-1 text-sm font-medium whitespace-nowrap ring-1 ring-inset ${statusBadgeClass(status)} ${className}`}
    >
      {status === "confirming" || status === "cancelling" || status === "submitted" ? (
        <span aria-hidden className="size-1.5 animate-pulse rounded-full bg-current" />
      ) : null}
      {STATUS_LABEL[status]}
    </span>
  );
}
