/**
 * The security headers of every page (set per request by proxy.ts; pure, so tests build them too).
 *
 * Content-Security-Policy: scripts only from the portal itself or with this response's nonce (Next
 * puts it on its own inline and bundle scripts), plus — on recipient pages only — the one configured
 * card widget script; the widget's iframe is the only frame, again only on recipient pages. Nothing
 * talks to anything but the portal (`connect-src 'self'`), and no one may frame the portal.
 */

export interface PageSecurityOptions {
  nonce: string;
  /** The portal's public URL (NEXTAUTH_URL): https turns on HSTS and upgrade-insecure-requests. */
  portalUrl: string;
  /** BANK131_WIDGET_URL: its script is allowed, its origin may be framed (recipient pages only). */
  widgetUrl: string;
  /**
   * BANK131_SELF_EMPLOYED_WIDGET_URL (recipient pages only): the linking widget runs in the page (no
   * iframe), so its script, its stylesheet (same path, .css) and its calls to its own origin are allowed.
   */
  selfEmployedWidgetUrl?: string;
  /** The page hosts the card widget (/p/<token>). */
  recipientPage: boolean;
  /** `next dev`: React needs eval for its debugging stacks; never in production. */
  development: boolean;
}

/** The script URL as a CSP source: origin + path (a query string is not allowed in a source expression). */
function scriptSource(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

export function contentSecurityPolicy(options: PageSecurityOptions): string {
  const widget = options.recipientPage ? { script: ` ${scriptSource(options.widgetUrl)}`, frame: new URL(options.widgetUrl).origin } : { script: "", frame: "'none'" };
  const linking =
    options.recipientPage && options.selfEmployedWidgetUrl
      ? { script: ` ${scriptSource(options.selfEmployedWidgetUrl)}`, origin: ` ${new URL(options.selfEmployedWidgetUrl).origin}` }
      : { script: "", origin: "" };
  const directives = [
    "default-src 'self'",
    // 'self' covers the bundle chunks Next's runtime loads after hydration.
    `script-src 'self' 'nonce-${options.nonce}'${widget.script}${linking.script}${options.development ? " 'unsafe-eval'" : ""}`,
    // Inline styles stay allowed: React renders `style` attributes, which nonces cannot cover, and a
    // style cannot run code; scripts, the dangerous part, are nonce-only.
    `style-src 'self' 'unsafe-inline'${linking.origin}`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${linking.origin}`,
    `frame-src ${widget.frame}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  if (options.portalUrl.startsWith("https://")) directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

/** Every header a page answer carries besides the static ones in next.config.mjs. */
export function pageSecurityHeaders(options: PageSecurityOptions): { "Content-Security-Policy": string } & Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(options),
    // Browsers ignore HSTS over http; sending it there would only confuse a reader of the headers.
    ...(options.portalUrl.startsWith("https://") ? { "Strict-Transport-Security": "max-age=63072000; includeSubDomains" } : {}),
  };
}

/** A fresh unguessable nonce (128 bits, base64). */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}
