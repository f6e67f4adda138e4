import { bareWebhookHandler } from "../../../../../webhooks-bare-handler";

/**
 * For `npm run bench:webhooks`: the bare handler's exact code in an App Router route handler, in an
 * app with nothing else. Next wraps the request in a web Request and the answer in a Response here;
 * what this costs beyond the Pages API route (pages/api/webhooks/bank131.ts, the floor) is why the
 * portal's webhook is a Pages API route.
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
