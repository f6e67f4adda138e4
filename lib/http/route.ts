import "server-only";
import type { z } from "zod";
import { logger } from "../logger";
import { can, currentOperator, type CurrentOperator, type Permission } from "../auth/session";
import { HttpError, PAYOUT_ERROR_STATUS, badRequest, forbidden, unauthorized } from "./errors";
import { isPayoutError } from "../payouts/errors";

/**
 * The one wrapper every route handler goes through: operator check, zod parsing of params, query
 * and body at the edge, and mapping of errors to clear 4xx answers (never a 500 for bad input).
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
}

interface RouteContext<B, Q, P, A> {
  request: Request;
  body: B;
  query: Q;
  params: P;
  operator: A;
}

type NextRouteContext = { params: Promise<Record<string, string | string[]>> };

export function firstIssue(error: z.ZodError): { field: string | undefined; message: string } {
  const issue = error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join(".") : undefined;
  return { field, message: field ? `${field}: ${issue?.message}` : (issue?.message ?? "Invalid input") };
}

function parseWith<S extends Schema | undefined>(schema: S, value: unknown): Infer<S> {
  if (!schema) return undefined as Infer<S>;
  const result = schema.safeParse(value);
  if (!result.success) {
    const { field, message } = firstIssue(result.error);
    throw badRequest(message, field);
  }
  return result.data as Infer<S>;
}

async function readJsonBody(request: Request): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw new HttpError(413, "payload_too_large", `Body is larger than ${MAX_BODY_BYTES} bytes`);
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new HttpError(413, "payload_too_large", `Body is larger than ${MAX_BODY_BYTES} bytes`);
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest("Body is not valid JSON");
  }
}

export function errorResponse(error: unknown): Response {
  if (error instanceof HttpError) {
    return Response.json({ error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) } }, { status: error.status });
  }
  const mapped = mapDomainError(error);
  if (mapped) return errorResponse(mapped);
  logger.error({ err: error }, "unhandled route error");
  return Response.json({ error: { code: "internal_error", message: "Something went wrong on our side. Part of the request may have been carried out: check before repeating it (a retry with the same Idempotency-Key is safe)." } }, { status: 500 });
}


function mapDomainError(error: unknown): HttpError | undefined {
  if (isPayoutError(error)) return new HttpError(PAYOUT_ERROR_STATUS[error.code], error.code, error.message, error.details.field);
  return undefined;
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
      let operator: CurrentOperator | null = null;
      if (config.auth !== "public") {
        operator = await currentOperator();
        if (!operator) throw unauthorized();
        if (!can(operator.role, config.auth)) throw forbidden();
      }
      const params = parseWith(config.params as P, nextContext ? await nextContext.params : {});
      const query = parseWith(config.query as Q, Object.fromEntries(new URL(request.url).searchParams));
      const body = config.body ? parseWith(config.body as B, await readJsonBody(request)) : (undefined as Infer<B>);
      const result = await handler({ request, body, query, params, operator: operator as never });
      return result instanceof Response ? result : Response.json(result);
    } catch (error) {
      return errorResponse(error);
    }
  };
}
