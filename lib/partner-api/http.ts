import "server-only";
import type { z } from "zod";
import { readTextLimited } from "../http/body";
import { badRequest, zodRefusal } from "../http/errors";

/** Small HTTP pieces the partner API's route handlers share (the handlers stay thin). */

const MAX_BODY_BYTES = 256 * 1024;

/** The body as sent (its exact bytes are what the Idempotency-Key's body hash covers). */
export async function readRawBody(request: Request, limit: number = MAX_BODY_BYTES): Promise<string> {
  return readTextLimited(request, limit);
}

/** JSON for partners: never cached (answers can carry a payout link). */
export function partnerJson(body: unknown, init: { status?: number; replayed?: boolean } = {}): Response {
  const headers = new Headers({ "cache-control": "no-store" });
  if (init.replayed) headers.set("idempotent-replayed", "true");
  return Response.json(body, { status: init.status ?? 200, headers });
}

/**
 * Wraps a handler made with `route()`: 401 answers get the `WWW-Authenticate` challenge and every
 * answer (errors included) `Cache-Control: no-store`.
 */
export function partnerEndpoint<A extends unknown[]>(handler: (...args: A) => Promise<Response>): (...args: A) => Promise<Response> {
  return async (...args: A) => {
    const response = await handler(...args);
    if (response.status === 401) response.headers.set("www-authenticate", 'Bearer realm="partner-api"');
    if (!response.headers.has("cache-control")) response.headers.set("cache-control", "no-store");
    return response;
  };
}

/**
 * A JSON body parsed with `schema` — called by a handler after it has authenticated the partner, so a
 * caller without a key learns nothing about the body's rules.
 */
export async function readPartnerJson<S extends z.ZodType>(request: Request, schema: S): Promise<z.output<S>> {
  const text = await readRawBody(request);
  let value: unknown = {};
  if (text.trim() !== "") {
    try {
      value = JSON.parse(text);
    } catch {
      throw badRequest("Body is not valid JSON");
    }
  }
  const result = schema.safeParse(value);
  if (!result.success) throw zodRefusal(result.error);
  return result.data;
}
