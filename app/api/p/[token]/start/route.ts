import { z } from "zod";
import { route } from "@/lib/http/route";
import { RecipientInstrumentSchema } from "@/lib/payouts/schemas";
import { startFromLink } from "@/lib/server/recipient";

export const dynamic = "force-dynamic";

const params = z.object({ token: z.string().max(64) });
const body = z.object({ instrument: RecipientInstrumentSchema });

/** The recipient confirms: start the payout at the bank (see lib/payouts/start-from-link.ts). */
export const POST = route({ auth: "public", params, body }, async ({ params, body }) => Response.json(await startFromLink(params.token, body.instrument)));
