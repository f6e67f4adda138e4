import { z } from "zod";
import { env } from "@/lib/env";
import { notFound } from "@/lib/http/errors";
import { route } from "@/lib/http/route";
import { eventStream } from "@/lib/http/sse";
import { findByLinkToken } from "@/lib/payouts/requests";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

const params = z.object({ token: z.string().max(64) });

/** Live updates for one recipient's status view: only events about their own payout. */
export const GET = route({ auth: "public", params }, async ({ request, params }) => {
  const portal = await getPortal();
  const payout = await findByLinkToken(portal, params.token);
  if (!payout) throw notFound("This payout link does not exist");
  return eventStream(request, portal.events, {
    // Only that the payout changed: the page refetches its own view.
    filter: (event) => event.type === "payout.updated" && event.payoutRequestId === payout.id,
    cap: { holder: `link:${payout.id}`, limit: env().events.maxStreamsPerLink },
  });
});
