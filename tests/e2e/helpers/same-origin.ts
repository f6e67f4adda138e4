import { E2E_PORTAL_URL } from "../urls";

/**
 * Options for a state-changing request sent outside a page (a Playwright `request` context): the
 * portal refuses a cookie- or link-authenticated state change unless it comes from the portal's own
 * origin as JSON (lib/http/csrf.ts), which a browser page's fetch does by itself. An object `data` is
 * sent as application/json.
 */
export function sameOrigin(data: Record<string, unknown> = {}, origin: string = E2E_PORTAL_URL) {
  return { headers: { origin }, data };
}
