import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, newNonce, pageSecurityHeaders, type PageSecurityOptions } from "@/lib/http/security-headers";

const base: PageSecurityOptions = {
  nonce: "bm9uY2U=",
  portalUrl: "http://127.0.0.1:3000",
  widgetUrl: "https://widget.bank131.ru/v1/card-widget.js?v=2",
  recipientPage: false,
  development: false,
};

const directives = (policy: string) => new Map(policy.split("; ").map((d) => [d.split(" ")[0]!, d.split(" ").slice(1).join(" ")]));

describe("page security headers", () => {
  it("operator pages: nonce scripts from the portal only, no frames, framed by no one, talks only to itself", () => {
    const csp = directives(contentSecurityPolicy(base));
    expect(csp.get("script-src")).toBe("'self' 'nonce-bm9uY2U='");
    expect(csp.get("frame-src")).toBe("'none'");
    expect(csp.get("connect-src")).toBe("'self'");
    expect(csp.get("frame-ancestors")).toBe("'none'");
    expect(csp.get("object-src")).toBe("'none'");
    expect(csp.get("base-uri")).toBe("'none'");
    expect(csp.get("script-src")).not.toContain("unsafe");
  });

  it("recipient pages: the one widget script (origin + path) and frames of the widget's origin only", () => {
    const csp = directives(contentSecurityPolicy({ ...base, recipientPage: true }));
    expect(csp.get("script-src")).toBe("'self' 'nonce-bm9uY2U=' https://widget.bank131.ru/v1/card-widget.js");
    expect(csp.get("frame-src")).toBe("https://widget.bank131.ru");
  });

  it("recipient pages: the self-employed linking widget's script, stylesheet origin and API origin; operator pages: none of it", () => {
    const withLinking = { ...base, selfEmployedWidgetUrl: "https://widget-demo.bank131.ru/self-employed.js" };
    const csp = directives(contentSecurityPolicy({ ...withLinking, recipientPage: true }));
    expect(csp.get("script-src")).toBe("'self' 'nonce-bm9uY2U=' https://widget.bank131.ru/v1/card-widget.js https://widget-demo.bank131.ru/self-employed.js");
    expect(csp.get("style-src")).toBe("'self' 'unsafe-inline' https://widget-demo.bank131.ru");
    expect(csp.get("connect-src")).toBe("'self' https://widget-demo.bank131.ru");
    const operator = directives(contentSecurityPolicy(withLinking));
    expect(operator.get("connect-src")).toBe("'self'");
    expect(operator.get("script-src")).not.toContain("self-employed");
  });

  it("'unsafe-eval' only for next dev", () => {
    expect(directives(contentSecurityPolicy({ ...base, development: true })).get("script-src")).toContain("'unsafe-eval'");
  });

  it("HSTS and upgrade-insecure-requests only when the portal URL is https", () => {
    expect(pageSecurityHeaders(base)["Strict-Transport-Security"]).toBeUndefined();
    expect(contentSecurityPolicy(base)).not.toContain("upgrade-insecure-requests");
    const https = pageSecurityHeaders({ ...base, portalUrl: "https://payouts.example.com" });
    expect(https["Strict-Transport-Security"]).toBe("max-age=63072000; includeSubDomains");
    expect(https["Content-Security-Policy"]).toContain("upgrade-insecure-requests");
  });

  it("a nonce is 128 random bits, fresh every time", () => {
    const nonces = new Set(Array.from({ length: 50 }, newNonce));
    expect(nonces.size).toBe(50);
    for (const nonce of nonces) expect(Buffer.from(nonce, "base64")).toHaveLength(16);
  });
});
