import { z } from "zod";
import { route } from "@/lib/http/route";
import { getBatch } from "@/lib/payouts/batches";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.uuid() });

/** A batch: progress, its rows with their payouts' statuses, and what a batch approval would approve. */
export const GET = route({ auth: "view", params }, async ({ params }) => {
  const portal = await getPortal();
  return getBatch(portal, params.id);
});
