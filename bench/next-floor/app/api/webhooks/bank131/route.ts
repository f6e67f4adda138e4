import { bareWebhookHandler } from "../../../../../webhooks-bare-handler";

/**
 * The framework's floor for `npm run bench:webhooks`: the bare handler's exact code in a Next route
 * handler, in an app with nothing else (no proxy, no layout, no portal code). What this costs beyond the
 * bare `node:http` server is what Next's route runtime costs per request.
 */
let handler: ReturnType<typeof bareWebhookHandler> | null = null;

export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  handler ??= bareWebhookHandler(process.env.FLOOR_DATABASE_URL ?? "", process.env.FLOOR_PUBLIC_KEY_FILE ?? "");
  const status = await handler.handle(Buffer.from(await request.arrayBuffer()), request.headers.get("x-partner-sign") ?? undefined);
  return Response.json({ status: status === 200 ? "ok" : "rejected" }, { status });
}

export function GET(): Response {
  return Response.json({ status: "ok" });
}
