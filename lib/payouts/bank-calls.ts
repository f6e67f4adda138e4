import { Bank131ApiError, Bank131NetworkError, Bank131ProtocolError, isBank131Error } from "../bank131/errors";
import type { Prisma, PrismaClient } from "../generated/prisma/client";
import { redactSecrets } from "./redact";

/**
 * Every call to the bank is recorded for the session timeline: method, idempotency key, the body
 * (masks and redacted hashes/tokens only — the portal never holds a card number, and the timeline is
 * for reading, not for paying again), outcome and duration.
 */
export async function recordedCall<T>(
  prisma: PrismaClient,
  call: { payoutRequestId: string | null; method: string; idempotencyKey?: string; body: unknown; redactResponse?: (response: T) => unknown },
  send: () => Promise<T>,
): Promise<T> {
  const started = performance.now();
  let outcome = "ok";
  let httpStatus: number | null = 200;
  let errorCode: string | null = null;
  let responseBody: unknown = null;
  try {
    const response = await send();
    responseBody = call.redactResponse ? call.redactResponse(response) : response;
    return response;
  } catch (error) {
    if (error instanceof Bank131ApiError) {
      outcome = "api_error";
      httpStatus = error.httpStatus ?? null;
      errorCode = error.code;
      responseBody = { error: { code: error.code, description: error.description } };
    } else if (error instanceof Bank131NetworkError) {
      outcome = error.timedOut ? "timeout" : "network_error";
      httpStatus = null;
      errorCode = error.timedOut ? "timeout" : (error.code ?? "network_error");
    } else if (error instanceof Bank131ProtocolError) {
      outcome = "protocol_error";
      httpStatus = error.httpStatus ?? null;
      errorCode = "protocol_error";
    } else {
      outcome = isBank131Error(error) ? error.kind : "error";
      httpStatus = null;
      errorCode = (error as Error).name;
    }
    throw error;
  } finally {
    await prisma.bankCall
      .create({
        data: {
          payoutRequestId: call.payoutRequestId,
          method: call.method,
          idempotencyKey: call.idempotencyKey ?? null,
          requestBody: redactSecrets(call.body ?? {}) as Prisma.InputJsonValue,
          httpStatus,
          responseBody: responseBody === null ? undefined : (redactSecrets(JSON.parse(JSON.stringify(responseBody))) as Prisma.InputJsonValue),
          errorCode,
          outcome,
          durationMs: Math.round(performance.now() - started),
        },
      })
      .catch(() => {
        // The timeline is diagnostics: losing one row must not turn a bank success into a failure.
      });
  }
}
