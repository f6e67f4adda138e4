import { z } from "zod";
import { route } from "@/lib/http/route";
import { approvalQueue } from "@/lib/payouts/queue";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

const query = z.object({
  /** `only`: just the payouts with a risk signal. */
  signals: z.literal("only").optional(),
});

/** Payouts awaiting approval, nearest bank deadline first, with their claims and risk signals. */
export const GET = route({ auth: "view", query }, async ({ query }) => {
  const portal = await getPortal();
  const queue = await approvalQueue(portal.prisma, new Date(), { onlyWithSignals: query.signals === "only", thresholds: portal.settings.risk });
  return Response.json(queue, { headers: { "cache-control": "no-store" } });
});
