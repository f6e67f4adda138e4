import type { ClaimView } from "../payouts/claims";
import { formatTime } from "./time";

/**
 * The words for claims ("Взять в работу"): who holds a payout and until when, Moscow time. Pure
 * (type-only imports), for the dashboard queue, the payout page and its timeline.
 */

export const CLAIM_ACTION_LABEL = {
  take: "Взять в работу",
  extend: "Продлить",
  release: "Отпустить",
  break: "Снять захват",
} as const;

/** `В работе: Анна Смирнова, до 14:05 МСК`, or `В работе у вас до 14:05 МСК` for the holder (names are not declined). */
export function claimHolderLabel(claim: Pick<ClaimView, "holderId" | "holderName" | "expiresAt">, viewerId: string | null): string {
  const until = `до ${formatTime(claim.expiresAt)} МСК`;
  return claim.holderId === viewerId ? `В работе у вас ${until}` : `В работе: ${claim.holderName}, ${until}`;
}

/** The timeline's line for a `claim.*` audit event; null for other actions. */
export function claimAuditLabel(action: string, data: unknown): string | null {
  const record = data && typeof data === "object" ? (data as Record<string, unknown>) : {};
  const holder = typeof record.holderName === "string" ? record.holderName : "оператор";
  const until = typeof record.expiresAt === "string" ? ` до ${formatTime(record.expiresAt)} МСК` : "";
  switch (action) {
    case "claim.taken":
      return `Взято в работу: ${holder}${until}`;
    case "claim.extended":
      return `Работа продлена: ${holder}${until}`;
    case "claim.released":
      return typeof record.settled === "string" ? `Работа завершена (выплата закрыта): ${holder}` : `Отпущено: ${holder}`;
    case "claim.expired":
      return `Истекло время работы: ${holder}`;
    case "claim.broken":
      return typeof record.reason === "string" ? `Захват ${holder} снят администратором: «${record.reason}»` : `Захват ${holder} снят администратором`;
    default:
      return null;
  }
}
