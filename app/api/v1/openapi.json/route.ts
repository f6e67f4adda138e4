import { env } from "@/lib/env";
import { route } from "@/lib/http/route";
import { buildOpenApiDocument } from "@/lib/partner-api/openapi";

export const dynamic = "force-dynamic";

let cached: object | undefined;

/** The partner API's OpenAPI 3.1 document (public: it holds no secrets). */
export const GET = route({ auth: "public" }, async () => {
  cached ??= buildOpenApiDocument({ serverUrl: `${env().publicBaseUrl.replace(/\/$/, "")}/api/v1` });
  return Response.json(cached, { headers: { "cache-control": "public, max-age=300" } });
});
