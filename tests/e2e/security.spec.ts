import { randomBytes, randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import fc from "fast-check";
import { signBody, loadPrivateKey, SIGNATURE_HEADER } from "../../lib/bank131/signature";
import { DEV_OPERATORS } from "../../lib/auth/seed";
import { hostileBody, hostileQuery, hostileSegment, type HostileBody } from "./helpers/hostile-bodies";
import { E2E_PORTAL_URL } from "./urls";

/**
 * The portal under attack, over HTTP against the production build:
 * 1. the authorization matrix — every route handler file and every method it exports must have a row here
 *    (a new route fails the suite until it is classified), every server action refuses a caller without a
 *    live link;
 * 2. fuzzed bodies on every state-changing route (seeded fast-check): never a 5xx, nothing changed;
 * 3. the bank webhook refuses forged, altered, unsigned and wrongly-signed deliveries with 401 and
 *    answers a replay of a genuine one as a duplicate.
 * Every cookie-authenticated write carries `Origin` and `Content-Type: application/json` (the CSRF contract).
 */

const BASE = E2E_PORTAL_URL;
const ROOT = path.resolve(import.meta.dirname, "../..");
const DATA_DIR = path.resolve(ROOT, process.env.E2E_DATA_DIR ?? `data/e2e-${process.env.E2E_PORTAL_PORT ?? 3100}`);
const DIST_DIR = path.resolve(ROOT, process.env.NEXT_DIST_DIR ?? ".next");

type Actor = "anonymous" | "viewer" | "approver" | "admin" | "linkHolder" | "partner" | "wrongPartner";
type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
/** "ok" = let through: anything but 401/403/404/429/5xx (a validation 4xx or a domain refusal counts as through). */
type Expected = "ok" | 401 | 403 | 404;
type Who = Record<Actor, Expected>;

const ACTORS: Actor[] = ["anonymous", "viewer", "approver", "admin", "linkHolder", "partner", "wrongPartner"];

// Who may call what (lib/auth/session.ts ROLE_CAN). A link holder, a partner key and a wrong key are not operators.
const notOperator = { anonymous: 401, linkHolder: 401, partner: 401, wrongPartner: 401 } as const;
const VIEW: Who = { ...notOperator, viewer: "ok", approver: "ok", admin: "ok" };
const APPROVE: Who = { ...notOperator, viewer: 403, approver: "ok", admin: "ok" };
const ADMIN: Who = { ...notOperator, viewer: 403, approver: 403, admin: "ok" };
const EVERYONE: Who = { anonymous: "ok", viewer: "ok", approver: "ok", admin: "ok", linkHolder: "ok", partner: "ok", wrongPartner: "ok" };
/** The link token is the credential: without the live token (operators included) the link does not exist. */
const LINK: Who = { anonymous: 404, viewer: 404, approver: 404, admin: 404, linkHolder: "ok", partner: 404, wrongPartner: 404 };
const PARTNER: Who = { anonymous: 401, viewer: 401, approver: 401, admin: 401, linkHolder: 401, partner: "ok", wrongPartner: 401 };
/** Only a delivery signed with the bank's key gets in; no cookie or API key helps. */
const BANK: Who = { anonymous: 401, viewer: 401, approver: 401, admin: 401, linkHolder: 401, partner: 401, wrongPartner: 401 };

interface Row {
  who: Who;
  /** Path after substituting params (`[id]` → a real payout, `[token]` → the actor's link, `[...nextauth]` → this). */
  suffix?: string;
  query?: string;
  /** Sent by allowed actors: an invalid body, so an allowed call is refused by validation and changes nothing. */
  body?: unknown;
  /** Server-sent events: only the status line is read. */
  stream?: boolean;
}

/** One line per route file; each method it exports. */
const MATRIX: Record<string, Partial<Record<Method, Row>>> = {
  "/api/account/password": { POST: { who: VIEW, body: {} } },
  "/api/admin/api-keys": { GET: { who: ADMIN }, POST: { who: ADMIN, body: { name: "" } }, DELETE: { who: ADMIN, query: "prefix=" } },
  "/api/admin/audit": { GET: { who: ADMIN } },
  "/api/admin/audit/export": { GET: { who: ADMIN } },
  "/api/admin/lockouts": { POST: { who: ADMIN, body: {} } },
  "/api/admin/operators": { GET: { who: ADMIN }, POST: { who: ADMIN, body: {} } },
  "/api/admin/operators/[id]": { POST: { who: ADMIN, body: { role: "owner" } } },
  // [endpointId] is a real endpoint registered for the matrix (one for the admin routes, one for the partner's); DELETE goes last.
  "/api/admin/partner-webhooks": { GET: { who: ADMIN }, POST: { who: ADMIN, body: { url: "" } } },
  "/api/admin/partner-webhooks/[endpointId]": { GET: { who: ADMIN }, PATCH: { who: ADMIN, body: {} }, POST: { who: ADMIN, body: {} }, DELETE: { who: ADMIN } },
  "/api/batches": { POST: { who: APPROVE, body: {} } },
  "/api/batches/[id]": { GET: { who: VIEW } },
  "/api/batches/[id]/approve": { POST: { who: APPROVE, body: {} } },
  "/api/batches/[id]/links": { GET: { who: APPROVE } },
  "/api/batches/preview": { POST: { who: APPROVE, body: {} } },
  "/api/auth/[...nextauth]": { GET: { who: EVERYONE, suffix: "providers" }, POST: { who: EVERYONE, suffix: "signout" } },
  "/api/events": { GET: { who: VIEW, stream: true } },
  "/api/health": { GET: { who: EVERYONE } },
  "/api/p/[token]": { GET: { who: LINK } },
  "/api/p/[token]/events": { GET: { who: LINK, stream: true } },
  "/api/p/[token]/retry": { POST: { who: LINK } },
  // A well-formed instrument this link never produced: the holder is refused by the domain, the rest never get that far.
  "/api/p/[token]/start": { POST: { who: LINK, body: { instrument: { kind: "bank_account_token", token: "tok_never_issued_by_this_link" } } } },
  "/api/payouts": { GET: { who: VIEW }, POST: { who: APPROVE, body: {} } },
  "/api/payouts/[id]": { GET: { who: VIEW } },
  "/api/payouts/[id]/cancel": { POST: { who: APPROVE, body: {} } },
  // The payout waits for its recipient: an allowed claim is refused (409), a release finds no claim held.
  "/api/payouts/[id]/claim": { POST: { who: APPROVE } },
  "/api/payouts/[id]/claim/break": { POST: { who: ADMIN, body: {} } },
  "/api/payouts/[id]/claim/release": { POST: { who: APPROVE, body: {} } },
  // The payout waits for its recipient: an allowed approval is refused by the rules (409).
  "/api/payouts/[id]/confirm": { POST: { who: APPROVE } },
  "/api/payouts/[id]/revoke": { POST: { who: APPROVE, body: {} } },
  "/api/payouts/counts": { GET: { who: VIEW } },
  "/api/payouts/export": { GET: { who: VIEW } },
  "/api/payouts/queue": { GET: { who: VIEW, query: "signals=only" } },
  "/api/payouts/saved-instruments": { GET: { who: APPROVE } },
  "/api/payouts/stats": { GET: { who: VIEW } },
  "/api/reconciliation": { GET: { who: VIEW } },
  "/api/reconciliation/run": { POST: { who: ADMIN } },
  "/api/set-password": { POST: { who: EVERYONE, body: {} } },
  "/api/v1/openapi.json": { GET: { who: EVERYONE } },
  "/api/v1/payout-batches": { POST: { who: PARTNER, body: {} } },
  "/api/v1/payout-batches/[id]": { GET: { who: PARTNER } },
  "/api/v1/payout-requests": { POST: { who: PARTNER, body: {} } },
  "/api/v1/payout-requests/[id]": { GET: { who: PARTNER } },
  "/api/v1/webhook-endpoints": { GET: { who: PARTNER }, POST: { who: PARTNER, body: {} } },
  "/api/v1/webhook-endpoints/[endpointId]/deliveries": { GET: { who: PARTNER } },
  "/api/v1/webhook-endpoints/[endpointId]/rotate-secret": { POST: { who: PARTNER } },
  // After the rows above: its DELETE removes the endpoint they use.
  "/api/v1/webhook-endpoints/[endpointId]": { GET: { who: PARTNER }, PATCH: { who: PARTNER, body: {} }, DELETE: { who: PARTNER } },
  "/api/webhooks": { GET: { who: VIEW } },
  "/api/webhooks/bank131": { POST: { who: BANK, body: { type: "payment_finished" } } },
};

/** Pages: "page" = 200, "login" = sent to /login, "redirect" = sent elsewhere, 404 = does not exist for this actor. */
type PageAnswer = "page" | "login" | "redirect" | 404;
const OPERATOR_PAGE: Record<Actor, PageAnswer> = { anonymous: "login", viewer: "page", approver: "page", admin: "page", linkHolder: "login", partner: "login", wrongPartner: "login" };
const ADMIN_PAGE: Record<Actor, PageAnswer> = { ...OPERATOR_PAGE, viewer: 404, approver: 404 };
const LINK_PAGE: Record<Actor, PageAnswer> = { anonymous: 404, viewer: 404, approver: 404, admin: 404, linkHolder: "page", partner: 404, wrongPartner: 404 };
const SIGNED_OUT_PAGE: Record<Actor, PageAnswer> = { ...OPERATOR_PAGE, anonymous: "page", viewer: "redirect", approver: "redirect", admin: "redirect", linkHolder: "page", partner: "page", wrongPartner: "page" };
const everyone = (answer: PageAnswer): Record<Actor, PageAnswer> => ({ anonymous: answer, viewer: answer, approver: answer, admin: answer, linkHolder: answer, partner: answer, wrongPartner: answer });

/** One line per `app/**\/page.tsx` (the payout page shows a real payout; the create form tells a viewer they may not create). */
const PAGES: Record<string, Record<Actor, PageAnswer>> = {
  "/": everyone("redirect"),
  "/dashboard": OPERATOR_PAGE,
  "/dashboard/account": OPERATOR_PAGE,
  "/dashboard/audit": ADMIN_PAGE,
  "/dashboard/batches": OPERATOR_PAGE,
  "/dashboard/batches/[id]": OPERATOR_PAGE,
  "/dashboard/batches/new": OPERATOR_PAGE,
  "/dashboard/operators": ADMIN_PAGE,
  "/dashboard/partner-webhooks": ADMIN_PAGE,
  "/dashboard/payouts/[id]": OPERATOR_PAGE,
  "/dashboard/payouts/new": OPERATOR_PAGE,
  "/dashboard/webhooks": OPERATOR_PAGE,
  "/login": SIGNED_OUT_PAGE,
  "/p/[token]": LINK_PAGE,
  // Nobody here holds an invite: a made-up set-password token shows the refusal page to everyone alike.
  "/set-password/[token]": everyone("page"),
};

/** Every file under `dir` whose name passes `matches` (by default under app/, named `name`). */
function appFiles(name: string | ((file: string) => boolean), dir = path.join(ROOT, "app")): string[] {
  const matches = typeof name === "string" ? (file: string) => file === name : name;
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return appFiles(matches, full);
    return matches(entry.name) ? [full] : [];
  });
}

/**
 * Every `app/**\/route.ts` as its URL template, with the HTTP methods it exports, and every Pages API
 * route (`pages/api/**`) with the methods its ALLOWED_METHODS names.
 */
function routeFiles(): Map<string, Method[]> {
  const found = new Map<string, Method[]>();
  for (const file of appFiles("route.ts")) {
    const source = readFileSync(file, "utf8");
    const methods = new Set<Method>();
    for (const match of source.matchAll(/export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) methods.add(match[1] as Method);
    for (const match of source.matchAll(/export\s*\{([^}]*)\}/g)) {
      for (const name of match[1]!.matchAll(/\bas\s+(GET|POST|PUT|PATCH|DELETE)\b|^\s*(GET|POST|PUT|PATCH|DELETE)\s*$/gm)) methods.add((name[1] ?? name[2]) as Method);
    }
    const url = "/" + path.relative(path.join(ROOT, "app"), path.dirname(file)).split(path.sep).filter((part) => !/^\(.*\)$/.test(part)).join("/");
    found.set(url, [...methods].sort());
  }
  const pagesApi = path.join(ROOT, "pages", "api");
  for (const file of appFiles((file) => file.endsWith(".ts"), pagesApi)) {
    const allowed = /export\s+const\s+ALLOWED_METHODS\s*=\s*\[([^\]]*)\]/.exec(readFileSync(file, "utf8"));
    const methods = [...(allowed?.[1] ?? "").matchAll(/"(GET|POST|PUT|PATCH|DELETE)"/g)].map((match) => match[1] as Method);
    found.set("/" + path.relative(path.join(ROOT, "pages"), file).replace(/\.ts$/, "").split(path.sep).join("/"), methods.sort());
  }
  return found;
}

/** Exported server actions of every `app/**\/actions.ts`, by file. */
function actionFiles(): Map<string, string[]> {
  return new Map(
    appFiles("actions.ts").map((file) => [
      path.relative(ROOT, file).split(path.sep).join("/"),
      [...readFileSync(file, "utf8").matchAll(/export\s+(?:const|async\s+function)\s+(\w+)/g)].map((match) => match[1]!).sort(),
    ]),
  );
}

function pageFiles(): string[] {
  return appFiles("page.tsx").map((file) => "/" + path.relative(path.join(ROOT, "app"), path.dirname(file)).split(path.sep).join("/")).map((url) => (url === "/." || url === "/" ? "/" : url));
}

// ─── the actors ──────────────────────────────────────────────────────────────

interface Credentials {
  cookies: Record<"viewer" | "approver" | "admin", string>;
  partnerKey: string;
  /** The link holder's payout (created through the partner API, as a partner's backend would). */
  payout: { id: string; token: string };
  /** A payout batch (partner API), for the batch routes' `[id]`. */
  batchId: string;
  /** A second link, used only by the fuzzer. */
  fuzzPayout: { id: string; token: string };
  viewerId: string;
  /** Partner webhook endpoints for the matrix's [endpointId] routes: the admin's and the partner API's (each row deletes its own). */
  webhookEndpoints: { admin: string; partner: string };
}

const WRONG_PARTNER_KEY = `pk_live_${"0".repeat(12)}_${"0".repeat(48)}`;
const jsonHeaders = { origin: BASE, "content-type": "application/json" };

/** Signs in through next-auth's credentials endpoint; the session cookie as a `Cookie` header value. */
async function signIn(email: string, password: string): Promise<string> {
  const csrf = await fetch(`${BASE}/api/auth/csrf`);
  const csrfCookies = csrf.headers.getSetCookie().map((cookie) => cookie.split(";")[0]!).join("; ");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(`${BASE}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { cookie: csrfCookies, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  const session = response.headers.getSetCookie().map((cookie) => cookie.split(";")[0]!).find((cookie) => cookie.includes("session-token="));
  expect(session, `sign-in of ${email} set no session cookie (status ${response.status})`).toBeTruthy();
  return session!;
}

async function partnerPayout(key: string): Promise<{ id: string; token: string }> {
  const response = await fetch(`${BASE}/api/v1/payout-requests`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "idempotency-key": randomUUID(), "content-type": "application/json" },
    body: JSON.stringify({ amount_kopecks: 120_000, recipient_name: "Кузнецова Мария", purpose: "Проверка безопасности", method: "card_widget" }),
  });
  expect(response.status, await response.clone().text()).toBe(201);
  const created = (await response.json()) as { id: string; recipient_link: string };
  return { id: created.id, token: created.recipient_link.split("/p/")[1]! };
}

async function partnerBatch(key: string): Promise<string> {
  const response = await fetch(`${BASE}/api/v1/payout-batches`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "idempotency-key": randomUUID(), "content-type": "application/json" },
    body: JSON.stringify({ rows: [{ amount_kopecks: 120_000, recipient_name: "Кузнецова Мария", purpose: "Проверка безопасности", method: "card_widget" }] }),
  });
  expect(response.status, await response.clone().text()).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

async function setUp(): Promise<Credentials> {
  const login = (role: string) => DEV_OPERATORS.find((operator) => operator.role === role)!;
  const as = (role: string) => signIn(login(role).email, login(role).password);
  const [viewer, approver, admin] = await Promise.all([as("viewer"), as("approver"), as("admin")]);
  const issued = await fetch(`${BASE}/api/admin/api-keys`, { method: "POST", headers: { ...jsonHeaders, cookie: admin }, body: JSON.stringify({ name: "security matrix" }) });
  expect(issued.status).toBe(201);
  const { key } = (await issued.json()) as { key: string };
  const operators = (await (await fetch(`${BASE}/api/admin/operators`, { headers: { cookie: admin } })).json()) as { operators: Array<{ id: string; email: string }> };
  const viewerId = operators.operators.find((operator) => operator.email === login("viewer").email)!.id;
  const endpoint = async () => {
    // A type that never fires in this suite: nothing is queued for a receiver that does not exist.
    const response = await fetch(`${BASE}/api/admin/partner-webhooks`, {
      method: "POST",
      headers: { ...jsonHeaders, cookie: admin },
      body: JSON.stringify({ url: "http://127.0.0.1:9/security-matrix", event_types: ["batch.completed"] }),
    });
    expect(response.status, await response.clone().text()).toBe(201);
    return ((await response.json()) as { endpoint: { id: string } }).endpoint.id;
  };
  const webhookEndpoints = { admin: await endpoint(), partner: await endpoint() };
  return {
    cookies: { viewer, approver, admin },
    partnerKey: key,
    payout: await partnerPayout(key),
    fuzzPayout: await partnerPayout(key),
    batchId: await partnerBatch(key),
    viewerId,
    webhookEndpoints,
  };
}

function headersOf(actor: Actor, credentials: Credentials): Record<string, string> {
  switch (actor) {
    case "viewer":
    case "approver":
    case "admin":
      return { cookie: credentials.cookies[actor] };
    case "partner":
      return { authorization: `Bearer ${credentials.partnerKey}`, "idempotency-key": randomUUID() };
    case "wrongPartner":
      return { authorization: `Bearer ${WRONG_PARTNER_KEY}`, "idempotency-key": randomUUID() };
    default:
      return {};
  }
}

function urlOf(template: string, row: Row, actor: Actor, credentials: Credentials, link = credentials.payout): string {
  const guessedToken = randomBytes(32).toString("base64url");
  const filled = template
    .replace("[token]", actor === "linkHolder" ? link.token : guessedToken)
    .replace("/api/admin/operators/[id]", `/api/admin/operators/${credentials.viewerId}`)
    .replace("[endpointId]", link !== credentials.payout ? link.id : template.startsWith("/api/v1/") ? credentials.webhookEndpoints.partner : credentials.webhookEndpoints.admin)
    .replace(/^\/(api\/batches|api\/v1\/payout-batches|dashboard\/batches)\/\[id\]/, (prefix) => prefix.replace("[id]", link === credentials.payout ? credentials.batchId : link.id))
    .replace("[id]", link.id)
    .replace("[...nextauth]", row.suffix ?? "session");
  return `${BASE}${filled}${row.query ? `?${row.query}` : ""}`;
}

/** Sends one request; server-sent event streams are closed after the status line. */
async function send(url: string, method: Method, headers: Record<string, string>, body?: string | Uint8Array, stream = false): Promise<{ status: number; text: string }> {
  const abort = new AbortController();
  const response = await fetch(url, { method, headers: { origin: BASE, ...headers }, body: typeof body === "string" || body === undefined ? body : Buffer.from(body), redirect: "manual", signal: abort.signal });
  if (stream) {
    abort.abort();
    return { status: response.status, text: "" };
  }
  return { status: response.status, text: await response.text() };
}

function classify(status: number): Expected | "throttled" | "server error" {
  if (status >= 500) return "server error";
  if (status === 429) return "throttled";
  if (status === 401 || status === 403 || status === 404) return status;
  return "ok";
}

/** What an operator can see changed: the newest audit event (every state change writes one), counts, keys, operators. */
/**
 * What a request could have changed: the newest audit event, the payout counts, API keys and operators.
 * `callersOnly` leaves out what the bank's own news changes meanwhile (payouts of earlier tests still
 * moving at the sandbox): then only the newest event of each kind of caller counts — every change a
 * caller makes is audited under that caller (README → Security → Audit).
 */
async function stateSnapshot(credentials: Credentials, options: { callersOnly?: boolean } = {}): Promise<string> {
  const read = async (url: string) => {
    const response = await fetch(`${BASE}${url}`, { headers: { cookie: credentials.cookies.admin } });
    expect(response.status, url).toBe(200);
    return response.json();
  };
  // By id: an event's sequence is assigned by the sealer a moment after its commit.
  const newestOf = async (query: string) => ((await read(`/api/admin/audit${query}`)) as { rows: Array<{ id: string }> }).rows[0]?.id ?? null;
  const [newest, counts, keys, operators] = await Promise.all([
    options.callersOnly ? Promise.all(CALLER_ACTOR_TYPES.map((type) => newestOf(`?actorType=${type}`))) : newestOf(""),
    options.callersOnly ? null : read("/api/payouts/counts"),
    read("/api/admin/api-keys"),
    read("/api/admin/operators"),
  ]);
  const keyList = (keys as { api_keys: Array<{ prefix: string; revoked_at: string | null }> }).api_keys.map((key) => [key.prefix, key.revoked_at]);
  const operatorList = (operators as { operators: Array<{ id: string; role: string; disabled?: boolean; disabledAt?: string | null }> }).operators;
  return JSON.stringify({ newest, counts, keyList, operatorList });
}

/** Who a request can act as (the bank and the portal's own jobs are not callers). */
const CALLER_ACTOR_TYPES = ["operator", "recipient", "partner_api"] as const;

// ─── the suite ───────────────────────────────────────────────────────────────

test.describe.configure({ mode: "serial" });

test.describe("security: authorization, hostile input, forged webhooks", () => {
  let credentials: Credentials;

  test.beforeAll(async () => {
    credentials = await setUp();
  });

  test("every route handler and every method it exports is classified in the matrix", () => {
    const files = routeFiles();
    const classified = new Map(Object.entries(MATRIX).map(([url, methods]) => [url, Object.keys(methods).sort()]));
    expect(Object.fromEntries(files), "app/**/route.ts and pages/api/** ↔ MATRIX (add a row for a new route or method)").toEqual(Object.fromEntries(classified));
  });

  test("each route answers each actor as the matrix says", async () => {
    test.setTimeout(180_000);
    const wrong: string[] = [];
    let rowNumber = 0;
    for (const [template, methods] of Object.entries(MATRIX)) {
      for (const [method, row] of Object.entries(methods) as Array<[Method, Row]>) {
        // Each route and method from its own client address: the partner API refuses an address after
        // RATE_LIMIT_PARTNER_BAD_KEYS_PER_ADDRESS_PER_HOUR missing/wrong keys, and the matrix sends many on purpose.
        rowNumber++;
        const address = `198.51.100.${rowNumber}`;
        for (const actor of ACTORS) {
          const expected = row.who[actor];
          const body = method === "GET" ? undefined : JSON.stringify(row.body ?? {});
          const headers = { ...headersOf(actor, credentials), "content-type": "application/json", "x-forwarded-for": address };
          const { status, text } = await send(urlOf(template, row, actor, credentials), method, headers, body, row.stream);
          const got = classify(status);
          if (got !== expected) wrong.push(`${method} ${template} as ${actor}: expected ${expected}, got ${status} ${text.slice(0, 160)}`);
        }
      }
    }
    expect(wrong, wrong.join("\n")).toEqual([]);
  });

  test("every page is classified, and each page answers each actor as the table says", async () => {
    expect(pageFiles().sort(), "app/**/page.tsx ↔ PAGES (add a row for a new page)").toEqual(Object.keys(PAGES).sort());
    const wrong: string[] = [];
    for (const [template, who] of Object.entries(PAGES)) {
      for (const actor of ACTORS) {
        const url = urlOf(template, { who: EVERYONE }, actor, credentials);
        const response = await fetch(url, { headers: headersOf(actor, credentials), redirect: "manual" });
        await response.body?.cancel();
        const location = response.headers.get("location") ?? "";
        const got: PageAnswer | number = response.status === 200 ? "page" : response.status >= 300 && response.status < 400 ? (new URL(location, BASE).pathname === "/login" ? "login" : "redirect") : response.status;
        if (got !== who[actor]) wrong.push(`GET ${template} as ${actor}: expected ${who[actor]}, got ${response.status} ${location}`);
      }
    }
    expect(wrong, wrong.join("\n")).toEqual([]);
  });

  test("every server action refuses a caller without a live link, operator or not", async () => {
    const manifest = JSON.parse(readFileSync(path.join(DIST_DIR, "server", "server-reference-manifest.json"), "utf8")) as {
      node: Record<string, { filename: string; exportedName: string }>;
    };
    const built = new Map<string, string>();
    for (const [id, entry] of Object.entries(manifest.node)) built.set(`${entry.filename}#${entry.exportedName}`, id);
    const declared = [...actionFiles()].flatMap(([file, names]) => names.map((name) => `${file}#${name}`));
    expect(declared.length).toBeGreaterThan(0);
    expect([...built.keys()].sort(), "the build's server actions are the ones app/**/actions.ts exports").toEqual(declared.sort());

    // Arguments each action accepts once the link is right (only the link decides who may call it).
    const argumentsFor = (name: string, linkToken: string): Record<string, unknown> => {
      if (name === "getWidgetToken") return { linkToken, locale: "ru" };
      if (name === "describeCard") return { linkToken, numberHash: "a".repeat(64), locale: "ru" };
      if (name === "tokenizeAccount") return { linkToken, account: { bik: "049205131", account: "40817810100000000777" } };
      if (name === "listSbpBanks") return { linkToken };
      if (name === "checkSbp") return { linkToken, bankId: "100000000111", phone: "79000000001" };
      if (name === "checkSelfEmployed" || name === "getSelfEmployedWidgetToken") return { linkToken };
      throw new Error(`server action ${name} has no arguments in security.spec.ts: add them`);
    };
    const call = async (id: string, page: string, args: unknown, cookie?: string) => {
      const response = await fetch(`${BASE}/p/${page}`, {
        method: "POST",
        headers: { "next-action": id, "content-type": "text/plain;charset=UTF-8", accept: "text/x-component", origin: BASE, ...(cookie ? { cookie } : {}) },
        body: JSON.stringify([args]),
      });
      const text = await response.text();
      expect(response.status, text.slice(0, 300)).toBeLessThan(500);
      return text;
    };

    // A revoked link is as dead as an unknown one.
    const revoked = await partnerPayout(credentials.partnerKey);
    const revoke = await fetch(`${BASE}/api/payouts/${revoked.id}/revoke`, { method: "POST", headers: { ...jsonHeaders, cookie: credentials.cookies.admin }, body: JSON.stringify({ reason: "Проверка отзыва" }) });
    expect(revoke.status).toBe(200);

    for (const [key, id] of built) {
      const name = key.split("#")[1]!;
      const guessed = randomBytes(32).toString("base64url");
      expect(await call(id, guessed, argumentsFor(name, guessed)), `${name} with a guessed token`).toMatch(/"ok":false.*"code":"not_found"/s);
      expect(await call(id, guessed, argumentsFor(name, guessed), credentials.cookies.admin), `${name} as admin with a guessed token`).toMatch(/"ok":false.*"code":"not_found"/s);
      expect(await call(id, revoked.token, argumentsFor(name, revoked.token)), `${name} on a revoked link`).toMatch(/"ok":false.*"code":"link_revoked"/s);
      // The holder of the live link gets past the link check (the bank may still refuse a made-up card hash).
      expect(await call(id, credentials.payout.token, argumentsFor(name, credentials.payout.token)), `${name} as the link holder`).not.toMatch(/"code":"(not_found|link_revoked|link_expired|link_used)"/);
    }
  });

  test("the webhook refuses forged, altered, unsigned and wrong-key deliveries with 401; a replay is a duplicate", async () => {
    const bankKey = loadPrivateKey(readFileSync(path.join(DATA_DIR, "keys", "bank-private.pem")));
    const partnerKey = loadPrivateKey(readFileSync(path.join(DATA_DIR, "keys", "partner-private.pem")));
    const sessionId = `ps_${randomBytes(8).toString("hex")}`;
    const genuine = JSON.stringify({ type: "payment_finished", session: { id: sessionId, status: "succeeded", created_at: new Date().toISOString(), updated_at: new Date().toISOString() } });
    const forged = genuine.replace('"succeeded"', '"failed"');
    const deliver = (body: string, signature: string | null) =>
      send(`${BASE}/api/webhooks/bank131`, "POST", { "content-type": "application/json", ...(signature === null ? {} : { [SIGNATURE_HEADER]: signature }) }, body);

    const before = await stateSnapshot(credentials);
    const hostile: Array<[string, string, string | null]> = [
      ["unsigned", forged, null],
      ["empty signature", forged, ""],
      ["garbage signature", forged, "AAAA"],
      ["signed with the partner's key", forged, signBody(forged, partnerKey)],
      ["the bank's signature of another body", forged, signBody(genuine, bankKey)],
      ["altered after signing", `${genuine}\n`, signBody(genuine, bankKey)],
    ];
    for (const [name, body, signature] of hostile) {
      const { status, text } = await deliver(body, signature);
      expect(status, `${name}: ${text}`).toBe(401);
      expect(JSON.parse(text), name).toMatchObject({ error: { code: "invalid_signature" } });
    }
    const first = await deliver(genuine, signBody(genuine, bankKey));
    expect(first.status, first.text).toBe(200);
    expect(JSON.parse(first.text)).toMatchObject({ duplicate: false });
    const replay = await deliver(genuine, signBody(genuine, bankKey));
    expect(replay.status, replay.text).toBe(200);
    expect(JSON.parse(replay.text)).toMatchObject({ duplicate: true });
    expect(await stateSnapshot(credentials)).toBe(before);
  });

  test("fuzzed bodies on every state-changing route: never a 5xx, nothing changed", async () => {
    test.setTimeout(420_000);
    const runs = Number(process.env.SECURITY_FUZZ_RUNS ?? 40);
    const failures: string[] = [];
    let unchangedChecked = 0;
    for (const [template, methods] of Object.entries(MATRIX)) {
      for (const [method, row] of Object.entries(methods) as Array<[Method, Row]>) {
        if (method === "GET") continue;
        // The caller who gets furthest in: the link's holder, the partner, an admin — or nobody for public routes.
        const actor: Actor = row.who === LINK ? "linkHolder" : row.who === PARTNER ? "partner" : row.who.admin === "ok" && row.who.anonymous !== "ok" ? "admin" : "anonymous";
        // Params point at nothing (a random payout or operator id) so a body that happens to be valid still changes nothing.
        const target = { id: randomUUID(), token: credentials.fuzzPayout.token };
        const url = urlOf(template.replace("/api/admin/operators/[id]", `/api/admin/operators/${randomUUID()}`), row, actor, credentials, target);
        const before = await stateSnapshot(credentials, { callersOnly: true });
        let accepted = 0;
        await fc.assert(
          fc.asyncProperty(hostileBody(row.body), async (hostile: HostileBody) => {
            const { status, text } = await send(url, method, { ...headersOf(actor, credentials), "content-type": hostile.contentType }, hostile.bytes);
            if (status >= 200 && status < 300) accepted++;
            if (status >= 500) failures.push(`${method} ${template}: ${status} for ${hostile.label}: ${text.slice(0, 200)}`);
            return status < 500;
          }),
          { seed: 131, numRuns: runs, endOnFailure: true },
        ).catch(() => undefined); // failures are collected above, with the body that caused them
        // The refused bodies changed nothing (a body valid by chance would have been accepted, and counted).
        if (accepted === 0) {
          expect(await stateSnapshot(credentials, { callersOnly: true }), `${method} ${template} changed state on a refused body`).toBe(before);
          unchangedChecked++;
        }
      }
    }
    expect(failures, failures.join("\n")).toEqual([]);
    // Almost every write refused every fuzzed body (only bodiless ones like reconciliation/run may answer 2xx).
    expect(unchangedChecked).toBeGreaterThan(12);
  });


  test("fuzzed queries and path segments on every read: never a 5xx", async () => {
    test.setTimeout(300_000);
    const runs = Math.ceil(Number(process.env.SECURITY_FUZZ_RUNS ?? 40) / 2);
    const failures: string[] = [];
    for (const [template, methods] of Object.entries(MATRIX)) {
      const row = methods.GET;
      if (!row || row.stream) continue;
      const actor: Actor = row.who === LINK ? "linkHolder" : row.who === PARTNER ? "partner" : row.who.admin === "ok" && row.who.anonymous !== "ok" ? "admin" : "anonymous";
      const hasParam = /\[[^\]]+\]/.test(template);
      await fc.assert(
        fc.asyncProperty(hostileQuery(), hostileSegment(), async (query, segment) => {
          const base = hasParam ? `${BASE}${template.replace(/\[[^\]]+\]/, segment)}` : urlOf(template, { ...row, query: undefined }, actor, credentials);
          const { status, text } = await send(`${base}?${query}`, "GET", headersOf(actor, credentials));
          if (status >= 500) failures.push(`GET ${base}?${query}: ${status} ${text.slice(0, 200)}`);
          return status < 500;
        }),
        { seed: 131, numRuns: runs, endOnFailure: true },
      ).catch(() => undefined);
    }
    expect(failures, failures.join("\n")).toEqual([]);
  });
});
