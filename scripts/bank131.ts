/**
 * `npm run bank131 -- <method> '<json body>' [--idempotency-key K] [--api-version 1|2] [--url URL] [--raw]`
 *
 * Calls the Bank 131 API (by default the local sandbox) with a signed request and prints the canonical
 * (v2-named) response JSON on stdout, or the typed error on stderr with a non-zero exit code.
 * Env: BANK131_API_URL (http://127.0.0.1:4131), BANK131_PROJECT (demo-partner),
 *      BANK131_PRIVATE_KEY_FILE (data/keys/partner-private.pem), BANK131_API_VERSION (2).
 * Bodies use the canonical v2 names (`payout_details`); with --api-version 1 they are re-spelled for the wire.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  BANK131_METHODS,
  methodHttpVerb,
  Bank131ApiError,
  Bank131Error,
  Bank131KeyError,
  Bank131NetworkError,
  createBank131Client,
  describeBankError,
  isBank131Method,
  type ApiVersion,
  type Bank131Method,
  type RequestOf,
} from "../lib/bank131";
import { ensureDevKeys } from "../lib/bank131/dev-keys";

const EXIT_USAGE = 64;
const EXIT_API_ERROR = 1;
const EXIT_TRANSPORT_ERROR = 2;

const USAGE = `usage: npm run bank131 -- <method> ['<json body>' | -] [options]

methods:
  ${BANK131_METHODS.join("\n  ")}

options:
  --idempotency-key K   send X-PARTNER-IDEMPOTENCY-KEY: K
  --api-version 1|2     API version for session methods (token* are always v1)
  --url URL             API base URL (default $BANK131_API_URL or http://127.0.0.1:4131)
  --timeout MS          timeout in milliseconds (default 30000)
  --raw                 skip local validation (send the body as given, to probe the server)

example:
  npm run bank131 -- session/create '{"metadata":"order-42"}' --idempotency-key order-42`;

interface Args {
  method: Bank131Method;
  body: string;
  idempotencyKey?: string;
  apiVersion?: ApiVersion;
  url?: string;
  timeoutMs?: number;
  raw: boolean;
}

class UsageError extends Error {}

function parseArgs(argv: string[]): Args {
  const positional: string[] = [];
  const out: Partial<Args> & { raw: boolean } = { raw: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    if (arg === "--help" || arg === "-h") throw new UsageError("");
    else if (arg === "--idempotency-key") out.idempotencyKey = value();
    else if (arg === "--api-version") out.apiVersion = parseVersion(value(), "--api-version");
    else if (arg === "--url") out.url = value();
    else if (arg === "--timeout") {
      const ms = Number(value());
      if (!Number.isInteger(ms) || ms <= 0) throw new UsageError("--timeout must be a positive integer (ms)");
      out.timeoutMs = ms;
    } else if (arg === "--raw") out.raw = true;
    else if (arg.startsWith("--")) throw new UsageError(`unknown option ${arg}`);
    else positional.push(arg);
  }
  const [method, body, ...extra] = positional;
  if (!method) throw new UsageError("missing <method>");
  if (!isBank131Method(method)) throw new UsageError(`unknown method ${JSON.stringify(method)}`);
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  return { ...out, method, body: body === "-" ? readFileSync(0, "utf8") : (body ?? "{}") };
}

function parseVersion(raw: string, name: string): ApiVersion {
  if (raw === "1" || raw === "2") return Number(raw) as ApiVersion;
  throw new UsageError(`${name} must be 1 or 2`);
}

function loadKey(): string {
  const configured = process.env.BANK131_PRIVATE_KEY_FILE;
  const file = configured || path.join("data", "keys", "partner-private.pem");
  if (!configured) {
    // Same dev key pair the sandbox trusts; generated on first use like `npm run demo` does.
    ensureDevKeys(path.dirname(file));
  }
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(
      `cannot read private key file ${file} (${(error as NodeJS.ErrnoException).code ?? "error"}); set BANK131_PRIVATE_KEY_FILE`,
    );
  }
}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      if (error.message) console.error(`bank131: ${error.message}\n`);
      console.error(USAGE);
      return EXIT_USAGE;
    }
    throw error;
  }

  let body: unknown;
  try {
    body = JSON.parse(args.body);
  } catch {
    console.error("bank131: the body is not valid JSON");
    return EXIT_USAGE;
  }

  const envVersion = process.env.BANK131_API_VERSION;
  let client;
  try {
    client = createBank131Client({
      baseUrl: args.url ?? process.env.BANK131_API_URL ?? "http://127.0.0.1:4131",
      project: process.env.BANK131_PROJECT || "demo-partner",
      privateKey: loadKey(),
      apiVersion: args.apiVersion ?? (envVersion ? parseVersion(envVersion, "BANK131_API_VERSION") : 2),
      timeoutMs: args.timeoutMs,
      userAgent: "bank131-portal-cli",
    });
  } catch (error) {
    if (error instanceof UsageError || error instanceof Bank131KeyError || error instanceof TypeError) {
      console.error(`bank131: ${error.message}`);
      return EXIT_USAGE;
    }
    throw error;
  }

  const version = client.versionFor(args.method);
  console.error(`bank131: ${methodHttpVerb(args.method)} ${client.baseUrl}/api/v${version}/${args.method}`);
  try {
    const response = await client.call(args.method, body as RequestOf<typeof args.method>, {
      idempotencyKey: args.idempotencyKey,
      validate: !args.raw,
    });
    console.log(JSON.stringify(response, null, 2));
    return 0;
  } catch (error) {
    if (!(error instanceof Bank131Error)) throw error;
    if (error instanceof Bank131ApiError) {
      console.error(`bank131: API error ${error.code} (HTTP ${error.httpStatus}): ${error.description || "(no description)"}`);
      console.error(`         ${describeBankError(error.code, "en")}`);
      for (const r of error.rejectReasons) console.error(`         reject reason: ${r.rule_alias}${r.list_alias ? ` / ${r.list_alias}` : ""}`);
      return EXIT_API_ERROR;
    }
    if (error instanceof Bank131NetworkError) {
      console.error(`bank131: network error${error.timedOut ? " (timeout)" : ""}: ${error.message}`);
      if (error.certainlyNotSent) {
        console.error(`         nothing is listening at ${client.baseUrl} — is the sandbox running (npm run sandbox)? Or set BANK131_API_URL / --url`);
      } else {
        console.error("         the outcome is UNKNOWN: check with session/status, or retry with the same idempotency key");
      }
      return EXIT_TRANSPORT_ERROR;
    }
    if (error.kind === "validation") {
      console.error(`bank131: not sent: ${error.message} (use --raw to send it anyway)`);
      return EXIT_USAGE;
    }
    console.error(`bank131: ${error.name}: ${error.message}`);
    return EXIT_TRANSPORT_ERROR;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error("bank131: unexpected failure:", error instanceof Error ? error.message : error);
    process.exit(EXIT_TRANSPORT_ERROR);
  },
);
