import type { Context, Hono } from "hono";
import type { HttpBindings } from "@hono/node-server";
import { isBank131Method, isMethodServedUnder, methodHttpVerb, type Bank131Method } from "@/lib/bank131/schemas";
import { IDEMPOTENCY_HEADER, PROJECT_HEADER, SIGNATURE_HEADER, verifyBody } from "@/lib/bank131/signature";
import type { ApiVersion } from "@/lib/bank131/wire";
import { ApiFailure, invalid } from "./api-error";
import { runMethod, validateBody } from "./api-methods";
import type { SandboxContext } from "./context";
import type { ApiFault } from "./faults";
import type { StoredAnswer } from "./idempotency";
import { safeHeaders, type RequestLogEntry } from "./request-log";
import { isoMicro, redactBody, sha256Hex } from "./util";

/**
 * Partner API at /api/v1/… and /api/v2/…: fault injection → project → signature over the raw bytes →
 * idempotency → JSON → schema → state machine. Every outcome, including crashes, is a JSON error body.
 */

type Env = { Bindings: HttpBindings };

const PROXY_HTML = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";

export function registerApi(app: Hono<Env>, ctx: SandboxContext): void {
  app.all("/api/*", (c) => handleApi(c, ctx));
}

function json(status: number, body: unknown): StoredAnswer {
  return { status, body: JSON.stringify(body) };
}

async function handleApi(c: Context<Env>, ctx: SandboxContext): Promise<Response> {
  const started = Date.now();
  const url = new URL(c.req.url);
  const match = /^\/api\/v(\d+)\/(.*?)\/?$/.exec(url.pathname);
  const version = match && (match[1] === "1" || match[1] === "2") ? (Number(match[1]) as ApiVersion) : null;
  const methodPath = match?.[2] ?? url.pathname;
  let raw: Uint8Array = new Uint8Array();
  let parsedBody: unknown;
  let fault: string | undefined;
  let replay = false;

  const log = (response: RequestLogEntry["response"]) => {
    ctx.requestLog.add({
      at: isoMicro(started),
      duration_ms: Date.now() - started,
      method: methodPath,
      http_method: c.req.method,
      path: url.pathname,
      api_version: version,
      headers: safeHeaders(c.req.raw.headers),
      body: parsedBody === undefined ? (raw.length > 0 ? "<not JSON>" : null) : redactBody(parsedBody),
      response,
      ...(fault ? { fault } : {}),
      ...(replay ? { idempotent_replay: true } : {}),
    });
  };

  const send = (answer: StoredAnswer, extra: Record<string, string> = {}) => {
    let body: unknown = answer.body;
    try {
      body = JSON.parse(answer.body);
    } catch {
      // HTML fault bodies are logged as text.
    }
    log({ status: answer.status, body });
    const isJson = answer.body.startsWith("{");
    return new Response(answer.status === 204 || answer.body === "" ? null : answer.body, {
      status: answer.status,
      headers: { "Content-Type": isJson ? "application/json" : "text/html; charset=utf-8", ...extra },
    });
  };

  try {
    if (!version || !isBank131Method(methodPath) || !isMethodServedUnder(methodPath, version)) {
      const hint = version && isBank131Method(methodPath) ? ` (${methodPath} is served under /api/v1 only)` : "";
      return send(json(404, new ApiFailure("invalid_request", `unknown method: ${url.pathname}${hint}`, 404).body()));
    }
    const method: Bank131Method = methodPath;
    const verb = methodHttpVerb(method);
    if (c.req.method !== verb) return send(json(405, new ApiFailure("invalid_request", `${method} must be called with ${verb}`, 405).body()), { Allow: verb });

    raw = new Uint8Array(await c.req.arrayBuffer());

    const apiFault = ctx.faults.takeApi(method, version === 1 ? "v1" : "v2");
    if (apiFault && apiFault.mode !== "exception" && apiFault.when === "before") {
      fault = describeFault(apiFault);
      return await applyFault(c, ctx, apiFault, send, log);
    }

    const project = c.req.header(PROJECT_HEADER);
    if (!project) throw new ApiFailure("identification_error", "X-PARTNER-PROJECT header is missing");
    if (project !== ctx.config.project) throw new ApiFailure("identification_error", `unknown project ${JSON.stringify(project.slice(0, 100))}`);
    const signature = c.req.header(SIGNATURE_HEADER);
    if (!signature) throw new ApiFailure("authentication_error", "X-PARTNER-SIGN header is missing");
    if (!verifyBody(raw, signature, ctx.partnerPublicKey)) throw new ApiFailure("authentication_error", "X-PARTNER-SIGN does not match the request body");

    const text = Buffer.from(raw).toString("utf8");
    // The PHP SDK sends `[]` for parameterless calls; an empty body is treated the same way.
    if (text.trim() === "" || text.trim() === "[]") parsedBody = {};
    else {
      try {
        parsedBody = JSON.parse(text);
      } catch (error) {
        throw invalid(`body: malformed JSON (${(error as Error).message})`);
      }
    }

    const key = c.req.header(IDEMPOTENCY_HEADER);
    let finish: ((answer: StoredAnswer) => void) | null = null;
    if (key !== undefined) {
      if (key.trim() === "" || key.length > 255) throw invalid("X-PARTNER-IDEMPOTENCY-KEY: must be 1–255 characters");
      const outcome = await ctx.idempotency.begin(project, key, `v${version} ${method} ${sha256Hex(raw)}`);
      if (outcome.kind === "conflict") {
        throw new ApiFailure("idempotency_key_already_exists", outcome.reason);
      }
      if (outcome.kind === "replay") {
        replay = true;
        return send(outcome.answer, { "X-Sandbox-Idempotent-Replay": "true" });
      }
      finish = outcome.finish;
    }

    let answer: StoredAnswer;
    try {
      if (apiFault?.mode === "exception") {
        fault = "api_exception";
        throw new Error(`injected exception in ${method}`);
      }
      const parsed = validateBody(method, version, parsedBody);
      const result = runMethod(ctx, parsed, version, parsedBody, project);
      answer = json(result.status, result.body);
    } catch (error) {
      answer = failureAnswer(error);
    }
    // Settled on every path so a concurrent duplicate never waits forever.
    finish?.(answer);

    if (apiFault && apiFault.mode !== "exception" && apiFault.when === "after") {
      fault = describeFault(apiFault);
      return await applyFault(c, ctx, apiFault, send, log);
    }
    return send(answer);
  } catch (error) {
    return send(failureAnswer(error));
  }
}

function failureAnswer(error: unknown): StoredAnswer {
  if (error instanceof ApiFailure) return json(error.httpStatus, error.body());
  // Never a crash: any bug becomes internal_error, logged without request data.
  console.error("sandbox: internal error:", error instanceof Error ? (error.stack ?? error.message) : String(error));
  return json(500, { status: "error", error: { code: "internal_error", description: "internal sandbox error" } });
}

function describeFault(f: ApiFault): string {
  if (f.mode === "exception") return "api_exception";
  return f.mode === "hang" ? `api_hang(${f.when}, ${f.hang_ms} ms)` : `api_error(${f.when}, ${f.status})`;
}

async function applyFault(
  c: Context<Env>,
  ctx: SandboxContext,
  f: ApiFault,
  send: (answer: StoredAnswer) => Response,
  log: (response: RequestLogEntry["response"]) => void,
): Promise<Response> {
  if (f.mode === "error") {
    const body =
      f.body === "json" ? JSON.stringify({ status: "error", error: { code: "internal_error", description: "sandbox fault injection" } }) : f.body === "html" ? PROXY_HTML : "";
    return send({ status: f.status, body });
  }
  // Hang: hold the connection past the client's timeout, then drop it without an answer.
  const started = Date.now();
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, f.hang_ms);
    function done() {
      clearTimeout(timer);
      ctx.hangs.delete(done);
      resolve();
    }
    ctx.hangs.add(done);
  });
  log({ status: "hang", closed_after_ms: Date.now() - started });
  c.env.incoming.socket.destroy();
  return new Response(null, { status: 500 });
}
