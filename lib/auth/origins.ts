import "server-only";
import { env } from "../env";

let cached: ReadonlySet<string> | undefined;

/**
 * The origins the portal's pages are served from (`NEXTAUTH_URL`, and `PUBLIC_BASE_URL` where
 * recipients open their links): the only origins whose requests may carry a session cookie or a
 * link token into a state change. The configured public URLs are the authority, not the Host header.
 */
export function portalOrigins(): ReadonlySet<string> {
  cached ??= new Set([env().auth.url, env().publicBaseUrl].map((url) => new URL(url).origin));
  return cached;
}
