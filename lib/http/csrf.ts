import { csrfRefused } from "./errors";

/**
 * Cross-site request forgery guard for state changes that a browser authenticates by itself (the
 * operator's session cookie, or the recipient link token in the URL a cross-site page could know).
 *
 * Same-origin means the `Origin` header is one of the portal's configured public origins
 * (`NEXTAUTH_URL`, `PUBLIC_BASE_URL`; lib/auth/origins.ts), never the request's own `Host`: behind a reverse proxy the
 * Host the server sees is the proxy's business, the configured public URL is the authority. Without
 * an `Origin`, `Sec-Fetch-Site: same-origin` is accepted; with neither the request is refused.
 * The body must be declared `application/json`: a cross-site page can only send that after a CORS
 * preflight, which the portal never answers, so a form or a `no-cors` fetch cannot get through.
 */

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isStateChange(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

function isJson(contentType: string | null): boolean {
  return contentType?.split(";")[0]?.trim().toLowerCase() === "application/json";
}

/** Throws `csrf` (403) unless the request comes from one of `origins` and declares a JSON body. */
export function assertSameOriginJson(headers: Headers, origins: ReadonlySet<string>): void {
  const origin = headers.get("origin");
  const sameOrigin = origin !== null ? origins.has(origin) : headers.get("sec-fetch-site") === "same-origin";
  if (!sameOrigin) throw csrfRefused("origin");
  if (!isJson(headers.get("content-type"))) throw csrfRefused("content_type");
}
