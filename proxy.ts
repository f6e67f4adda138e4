import { NextResponse, type NextFetchEvent, type NextRequest } from "next/server";
import { withAuth, type NextRequestWithAuth } from "next-auth/middleware";
import { env } from "@/lib/env";
import { newNonce, pageSecurityHeaders } from "@/lib/http/security-headers";

/**
 * Every page gets a fresh CSP nonce and the security headers (lib/http/security-headers.ts); Next
 * reads the nonce from the request's CSP header and puts it on its scripts (pages render
 * dynamically: app/layout.tsx). Signed-out visitors of operator pages go to the sign-in page; role
 * checks happen in the pages and route handlers themselves.
 */
function withSecurityHeaders(request: NextRequest): NextResponse {
  const settings = env();
  const headers = pageSecurityHeaders({
    nonce: newNonce(),
    portalUrl: settings.auth.url,
    widgetUrl: settings.bank131.widgetUrl,
    selfEmployedWidgetUrl: settings.bank131.selfEmployedWidgetUrl,
    recipientPage: request.nextUrl.pathname.startsWith("/p/"),
    development: settings.nodeEnv === "development",
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", headers["Content-Security-Policy"]);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

const requireOperator = withAuth((request: NextRequestWithAuth) => withSecurityHeaders(request), {
  pages: { signIn: "/login" },
  secret: env().auth.secret,
});

export function proxy(request: NextRequest, event: NextFetchEvent) {
  const path = request.nextUrl.pathname;
  if (path === "/dashboard" || path.startsWith("/dashboard/")) return requireOperator(request as NextRequestWithAuth, event);
  return withSecurityHeaders(request);
}

// Pages only: API routes carry no HTML (and a proxy in front of them would buffer request bodies),
// static files need no nonce, prefetches are not documents.
export const config = {
  matcher: [
    {
      source: "/((?!api/|_next/static|_next/image|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
