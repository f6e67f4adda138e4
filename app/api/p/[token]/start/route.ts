import { z } from "zod";
import { route } from "@/lib/http/route";
import { RECIPIENT } from "@/lib/payouts/audit";
import { recipientInstrument } from "@/lib/payouts/instruments";
import { requireActiveLink } from "@/lib/payouts/requests";
import { RecipientInstrumentSchema } from "@/lib/payouts/schemas";
import { startPayout } from "@/lib/payouts/start";
import { getPortal } from "@/lib/server/portal";
import { requireRecipientView } from "@/lib/server/recipient";

export const dynamic = "force-dynamic";

const params = z.object({ token: z.string().max(64) });
const body = z.object({ instrument: RecipientInstrumentSchema });

/**
 * The recipient confirms: start the payout at the bank. Double clicks, two tabs and retries all
 * land on the same bank session (see lib/payouts/start.ts).
 */
export const POST = route({ auth: "public", params, body }, async ({ params, body }) => {
  const portal = await getPortal();
  const request = await requireActiveLink(portal, params.token).catch(async (error: unknown) => {
    // A used link whose payout already started answers with its status: the double submit is harmless.
    const view = await requireRecipientView(params.token);
    if (view.linkState === "used") return null;
    throw error;
  });
  if (request) {
    const instrument = await recipientInstrument(portal, request.id, body.instrument);
    await startPayout(portal, { payoutRequestId: request.id, instrument, actor: RECIPIENT, viaLinkToken: true });
  }
  return Response.json(await requireRecipientView(params.token));
});
