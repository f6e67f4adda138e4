import { RECIPIENT, type Actor } from "@/lib/payouts/audit";
import { createPayoutRequest } from "@/lib/payouts/requests";
import { CreatePayoutRequestSchema, type CreatePayoutRequestInput } from "@/lib/payouts/schemas";
import { startPayout } from "@/lib/payouts/start";
import { TEST_CARDS } from "@/sandbox/test-instruments";
import type { TestPortal } from "./portal";

/** A card payout created by `createdBy`, started by the recipient with a sandbox card, once the bank awaits the decision. */
export async function payoutAwaitingApproval(
  portal: TestPortal,
  createdBy: Actor,
  options: { cardId?: string; overrides?: Partial<CreatePayoutRequestInput> } = {},
): Promise<{ id: string; bankSessionId: string }> {
  const input = CreatePayoutRequestSchema.parse({ amountKopecks: 250_000, recipientName: "Петрова Анна Сергеевна", purpose: "Вознаграждение", method: "card_widget", ...options.overrides });
  const { request } = await createPayoutRequest(portal.deps, input, createdBy);
  const card = TEST_CARDS.find((item) => item.id === (options.cardId ?? "mir_success"))!;
  const { number_hash } = await portal.sandbox.control.card(card.number);
  await startPayout(portal.deps, { payoutRequestId: request.id, instrument: { kind: "card_hash", numberHash: number_hash }, actor: RECIPIENT, viaLinkToken: true });
  await portal.waitForStatus(request.id, "awaiting_approval");
  const session = await portal.deps.prisma.bankSession.findUniqueOrThrow({ where: { payoutRequestId: request.id } });
  return { id: request.id, bankSessionId: session.bankSessionId! };
}

/** How many `session/confirm` calls for this session reached the sandbox bank. */
export async function confirmsAtBank(portal: TestPortal, bankSessionId: string): Promise<number> {
  const { requests } = await portal.sandbox.control.get("/sandbox/requests");
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return (requests as any[]).filter((entry) => String(entry.path ?? entry.url ?? "").endsWith("session/confirm") && JSON.stringify(entry.body ?? entry).includes(bankSessionId)).length;
}
