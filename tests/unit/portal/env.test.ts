import path from "node:path";
import { describe, expect, it } from "vitest";
import { assertProductionReady, parseDatabaseUrl, parseEnv } from "@/lib/env";

describe("DATABASE_URL", () => {
  it("defaults to the embedded PGlite directory under the data dir", () => {
    const settings = parseEnv({ NODE_ENV: "development" });
    expect(settings.database).toEqual({ kind: "pglite", dataDir: path.resolve("data/pglite") });
  });

  it("selects PostgreSQL for postgresql:// and postgres:// URLs", () => {
    expect(parseDatabaseUrl("postgresql://u@db.internal:5432/portal", "x")).toEqual({ kind: "postgres", url: "postgresql://u@db.internal:5432/portal" });
    expect(parseDatabaseUrl("postgres://u@localhost/portal", "x").kind).toBe("postgres");
  });

  it("supports in-memory and explicit PGlite directories", () => {
    expect(parseDatabaseUrl("pglite:memory", "x")).toEqual({ kind: "pglite", dataDir: null });
    expect(parseDatabaseUrl("pglite:./tmp/db", "x")).toEqual({ kind: "pglite", dataDir: path.resolve("tmp/db") });
  });

  it.each([
    ["mysql://u@localhost/db", /unsupported scheme "mysql:"/],
    ["not a url", /not a valid URL/],
    ["postgresql://localhost", /missing a database name/],
    ["pglite:", /needs a directory/],
  ])("rejects %s with one clear sentence", (value, message) => {
    expect(() => parseEnv({ DATABASE_URL: value })).toThrow(message);
  });
});

describe("production secrets", () => {
  it("refuses to start production without NEXTAUTH_SECRET, naming the variable", () => {
    const settings = parseEnv({ NODE_ENV: "production" });
    expect(() => assertProductionReady(settings)).toThrow(/^NEXTAUTH_SECRET is required in production/);
  });

  it("refuses a short production secret", () => {
    expect(() => assertProductionReady(parseEnv({ NODE_ENV: "production", NEXTAUTH_SECRET: "short" }))).toThrow(/at least 32/);
  });

  it("accepts a strong production secret, and development works with no .env at all", () => {
    const https = { NEXTAUTH_URL: "https://portal.example.com", BANK131_API_URL: "https://demo.bank131.ru" };
    expect(() => assertProductionReady(parseEnv({ NODE_ENV: "production", NEXTAUTH_SECRET: "x".repeat(40), ...https }))).not.toThrow();
    const dev = parseEnv({});
    expect(dev.auth.secret).toBeTruthy();
    expect(dev.bank131.apiUrl).toBe("http://127.0.0.1:4131");
    expect(dev.bank131.widgetUrl).toBe("http://127.0.0.1:4131/widget/v1/bank131-card-widget.js");
  });

  it("rejects malformed settings with the variable name", () => {
    expect(() => parseEnv({ BANK131_API_URL: "ftp://bank" })).toThrow(/^BANK131_API_URL: /);
    expect(() => parseEnv({ PAYOUT_MAX_KOPECKS: "12.5" })).toThrow(/^PAYOUT_MAX_KOPECKS: /);
    expect(() => parseEnv({ BANK131_API_VERSION: "3" })).toThrow(/^BANK131_API_VERSION: /);
  });
});

describe("security settings", () => {
  it("the widget integrity is optional and must be an SRI hash", () => {
    expect(parseEnv({}).bank131.widgetIntegrity).toBeNull();
    const hash = `sha384-${"A".repeat(62)}==`;
    expect(parseEnv({ BANK131_WIDGET_INTEGRITY: hash }).bank131.widgetIntegrity).toBe(hash);
    expect(() => parseEnv({ BANK131_WIDGET_INTEGRITY: "md5-abc" })).toThrow(/^BANK131_WIDGET_INTEGRITY: must be an SRI hash/);
    expect(() => parseEnv({ BANK131_WIDGET_INTEGRITY: "sha384-abc' 'unsafe-inline" })).toThrow(/^BANK131_WIDGET_INTEGRITY: /);
  });

  it("event stream caps default to 10 per operator and 5 per link", () => {
    expect(parseEnv({}).events).toEqual({ maxStreamsPerOperator: 10, maxStreamsPerLink: 5 });
    expect(parseEnv({ EVENTS_MAX_STREAMS_PER_LINK: "2" }).events.maxStreamsPerLink).toBe(2);
    expect(() => parseEnv({ EVENTS_MAX_STREAMS_PER_OPERATOR: "0" })).toThrow(/^EVENTS_MAX_STREAMS_PER_OPERATOR: /);
  });
});

describe("production URLs", () => {
  const production = (extra: Record<string, string>) =>
    parseEnv({ NODE_ENV: "production", NEXTAUTH_SECRET: "x".repeat(40), NEXTAUTH_URL: "https://portal.example.com", BANK131_API_URL: "https://demo.bank131.ru", ...extra });

  it("accepts https everywhere", () => {
    expect(() => assertProductionReady(production({}))).not.toThrow();
  });

  it.each([
    ["NEXTAUTH_URL", { NEXTAUTH_URL: "http://portal.example.com" }],
    ["PUBLIC_BASE_URL", { PUBLIC_BASE_URL: "http://links.example.com" }],
    ["BANK131_API_URL", { BANK131_API_URL: "http://127.0.0.1:4131" }],
  ])("refuses http:// for %s", (name, extra) => {
    expect(() => assertProductionReady(production(extra))).toThrow(new RegExp(`^${name} must be an https:// URL in production`));
  });

  it("allows the local sandbox and a loopback portal only when told to, and never a public http host", () => {
    expect(() => assertProductionReady(production({ BANK131_API_URL: "http://127.0.0.1:4131", ALLOW_SANDBOX_IN_PRODUCTION: "true" }))).not.toThrow();
    const local = { NEXTAUTH_URL: "http://127.0.0.1:3000", ALLOW_LOOPBACK_HTTP_IN_PRODUCTION: "true" };
    expect(() => assertProductionReady(production(local))).not.toThrow();
    expect(() => assertProductionReady(production({ ...local, NEXTAUTH_URL: "http://[::1]:3000" }))).not.toThrow();
    expect(() => assertProductionReady(production({ ...local, NEXTAUTH_URL: "http://portal.example.com" }))).toThrow(/^NEXTAUTH_URL/);
    expect(() => assertProductionReady(production({ ...local, PUBLIC_BASE_URL: "http://10.0.0.5" }))).toThrow(/^PUBLIC_BASE_URL/);
    expect(() => parseEnv({ ALLOW_SANDBOX_IN_PRODUCTION: "yes" })).toThrow(/^ALLOW_SANDBOX_IN_PRODUCTION: must be true or false/);
  });

  it("development keeps working over http with no settings", () => {
    expect(() => assertProductionReady(parseEnv({ NEXTAUTH_URL: "http://127.0.0.1:3000" }))).not.toThrow();
  });
});
