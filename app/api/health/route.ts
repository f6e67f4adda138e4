import { route } from "@/lib/http/route";
import { checkHealth } from "@/lib/server/health";

export const dynamic = "force-dynamic";

export const GET = route({ auth: "public" }, async () => {
  const health = await checkHealth();
  return Response.json(health, { status: health.status === "ok" ? 200 : 503, headers: { "cache-control": "no-store" } });
});
