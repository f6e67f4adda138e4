import { z } from "zod";
import { clientAddress } from "@/lib/auth/throttle";
import { route } from "@/lib/http/route";
import { requireRecipientView } from "@/lib/server/recipient";

export const dynamic = "force-dynamic";

const params = z.object({ token: z.string().max(64) });

/** The recipient's status view (polled and refreshed by live events). */
export const GET = route({ auth: "public", params }, async ({ request, params }) => {
  const view = await requireRecipientView(params.token, clientAddress(request.headers));
  return Response.json(view, { headers: { "cache-control": "no-store" } });
});
