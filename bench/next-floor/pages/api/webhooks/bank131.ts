import type { NextApiRequest, NextApiResponse } from "next";
import { bareWebhookHandler } from "../../../../webhooks-bare-handler";

/**
 * The framework's floor for `npm run bench:webhooks`: the bare handler's exact code in a Pages API
 * route — the kind of route the portal's webhook is — in an app with nothing else (no proxy, no
 * layout, no portal code). What this costs beyond the bare `node:http` server is what Next's
 * routing costs per request.
 */
let handler: ReturnType<typeof bareWebhookHandler> | null = null;

export const config = { api: { bodyParser: false } };

export default async function floorWebhook(request: NextApiRequest, response: NextApiResponse): Promise<void> {
  if (request.method !== "POST") {
    response.status(200).json({ status: "ok" });
    return;
  }
  handler ??= bareWebhookHandler(process.env.FLOOR_DATABASE_URL ?? "", process.env.FLOOR_PUBLIC_KEY_FILE ?? "");
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const signature = request.headers["x-partner-sign"];
  const status = await handler.handle(Buffer.concat(chunks), typeof signature === "string" ? signature : undefined);
  response.status(status).json({ status: status === 200 ? "ok" : "rejected" });
}
