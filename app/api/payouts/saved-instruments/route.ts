import { z } from "zod";
import { route } from "@/lib/http/route";
import { listSavedInstruments } from "@/lib/payouts/saved-instruments";
import { getPortal } from "@/lib/server/portal";
import { recipientNameSchema } from "@/lib/validation/ru-banking-schemas";

export const dynamic = "force-dynamic";

const query = z.object({ recipientName: recipientNameSchema });

export const GET = route({ auth: "createPayout", query }, async ({ query }) => {
  const portal = await getPortal();
  return { instruments: await listSavedInstruments(portal.prisma, query.recipientName) };
});
