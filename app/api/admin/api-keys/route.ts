import { z } from "zod";
import { rejectControlCharacters } from "@/lib/validation/ru-banking-schemas";
import { route } from "@/lib/http/route";
import { notFound } from "@/lib/http/errors";
import { API_KEY_NAME_MAX, createApiKey, listApiKeys, revokeApiKey } from "@/lib/partner-api/keys";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

const body = z.object({ name: z.string().trim().min(1).max(API_KEY_NAME_MAX).superRefine(rejectControlCharacters) });

/** Admin: issue a partner API key. The answer is the only place the key ever appears (there is no admin page yet). */
export const POST = route({ auth: "administer", body }, async ({ body, operator }) => {
  const portal = await getPortal();
  const created = await createApiKey(portal.prisma, { name: body.name, actor: { type: "operator", id: operator.id } });
  return Response.json(
    { id: created.id, name: created.name, prefix: created.prefix, key: created.key, created_at: created.createdAt.toISOString() },
    { status: 201, headers: { "cache-control": "no-store" } },
  );
});

/** Admin: the keys (never their secrets). */
export const GET = route({ auth: "administer" }, async () => {
  const portal = await getPortal();
  const keys = await listApiKeys(portal.prisma);
  return {
    api_keys: keys.map((key) => ({
      id: key.id,
      name: key.name,
      prefix: key.prefix,
      created_at: key.createdAt.toISOString(),
      revoked_at: key.revokedAt?.toISOString() ?? null,
      last_used_at: key.lastUsedAt?.toISOString() ?? null,
    })),
  };
});

const revokeQuery = z.object({ prefix: z.string().trim().min(1, "is required").max(120) });

/** Admin: revoke a key by its prefix (`DELETE /api/admin/api-keys?prefix=3f9a1c0b7d2e`); requests with it get 401 at once. */
export const DELETE = route({ auth: "administer", query: revokeQuery }, async ({ query, operator }) => {
  const portal = await getPortal();
  const revoked = await revokeApiKey(portal.prisma, query.prefix, { type: "operator", id: operator.id });
  if (!revoked) throw notFound("No API key with this prefix");
  return { id: revoked.id, name: revoked.name, prefix: revoked.prefix, revoked_at: revoked.revokedAt?.toISOString() ?? null };
});
