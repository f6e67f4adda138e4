import { z } from "zod";
import { route } from "@/lib/http/route";
import { retryStart } from "@/lib/server/recipient";

export const dynamic = "force-dynamic";

const params = z.object({ token: z.string().max(64) });

/** "Try again" after the bank did not answer: resumes the same start with the same idempotency keys. */
export const POST = route({ auth: "public", params }, async ({ params }) => Response.json(await retryStart(params.token)));
