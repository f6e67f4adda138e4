import "server-only";
import type { z } from "zod";
import { can, currentOperator, type CurrentOperator, type Permission } from "../auth/session";
import { portalOrigins } from "../auth/origins";
import { readTextLimited } from "./body";
import { assertSameOriginJson, isStateChange } from "./csrf";
import { badRequest, forbidden, logUnexpected, toErrorAnswer, unauthorized, zodRefusal } from "./errors";

/**
 * The one wrapper every route handler goes through: the cross-site check of state changes, operator
 * check, zod parsing of params, query and body at the edge, and every error through the one mapper
 * (never a 500 for bad input).
 */

const MAX_BODY_BYTES = 256 * 1024;

type Schema = z.ZodType;
type Infer<S> = S extends z.ZodType ? z.output<S> : undefined;

interface RouteConfig<B extends Schema | undefined, Q extends Schema | undefined, P extends Schema | undefined> {
  /** A permission the signed-in operator must have, or "public" (recipient pages, webhooks, partner API). */
  auth: Permission | "public";
  body?: B;
  query?: Q;
  params?: P;
  /**
   * Skip the same-origin + JSON check of state changes (lib/http/csrf.ts). Only for callers whose
   * credential a browser never attaches by itself: the partner API's key header.
   */
  allowCrossSite?: true;
  /** The 500 answer's message when the caller has a better retry advice (the partner API's Idempotency-Key). */
  internalErrorMessage?: string;
  /** A larger body limit than MAX_BODY_BYTES, for uploads (bulk payout files). */
  maxBodyBytes?: number;
}

interface RouteContext<B, Q, P, A> {
  request: Request;
  body: B;
  query: Q;
  params: P;
  operator: A;
}

type NextRouteContext = { params: Promise<Record<string, string | string[]>> };

function parseWith<S extends Schema | undefined>(schema: S, value: unknown): Infer<S> {
  if (!schema) return undefined as Infer<S>;
  const result = schema.safeParse(value);
  if (!result.success) throw zodRefusal(result.error);
  return result.data as Infer<S>;
}

async function readJsonBody(request: Request, limit: number): Promise<unknown> {
  const text = await readTextLimited(request, limit);
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest("Body is not valid JSON");
  }
}

/** Any error as the contract's JSON answer. */
export function errorResponse(error: unknown, options: { internalMessage?: string } = {}): Response {
  const mapped = toErrorAnswer(error, options);
  logUnexpected(error, mapped, "route");
  return Response.json(mapped.body, { status: mapped.status, headers: mapped.headers });
}

export function route<
  B extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  P extends Schema | undefined = undefined,
  C extends RouteConfig<B, Q, P> = RouteConfig<B, Q, P>,
>(
  config: C & RouteConfig<B, Q, P>,
  handler: (
    context: RouteContext<Infer<B>, Infer<Q>, Infer<P>, C["auth"] extends "public" ? CurrentOperator | null : CurrentOperator>,
  ) => Promise<Response | object>,
) {
  return async (request: Request, nextContext?: NextRouteContext): Promise<Response> => {
    try {
      // Before anything else: a forged request learns nothing, not even whether its cookie is valid.
      if (!config.allowCrossSite && isStateChange(request.method)) assertSameOriginJson(request.headers, portalOrigins());
      let operator: CurrentOperator | null = null;
      if (config.auth !== "public") {
        operator = await currentOperator();
        if (!operator) throw unauthorized();
        if (!can(operator.role, config.auth)) throw forbidden();
      }
      const params = parseWith(config.params as P, nextContext ? await nextContext.params : {});
      const query = parseWith(config.query as Q, Object.fromEntries(new URL(request.url).searchParams));
      const body = config.body ? parseWith(config.body as B, await readJsonBody(request, config.maxBodyBytes ?? MAX_BODY_BYTES)) : (undefined as Infer<B>);
      const result = await handler({ request, body, query, params, operator: operator as never });
      return result instanceof Response ? result : Response.json(result);
    } catch (error) {
      return errorResponse(error, { internalMessage: config.internalErrorMessage });
    }
  };
}
