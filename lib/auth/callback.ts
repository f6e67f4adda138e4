/**
 * Where to go after sign-in: only a same-origin `/dashboard…` path, decided after URL parsing the way a
 * browser would read it. `/\evil.example`, `/%09/evil.example` and `//evil.example` all resolve to another
 * host in a browser, so string prefixes are not enough (an open redirect after sign-in is a phishing gift).
 */
const BASE = "http://portal.invalid";
const DEFAULT_PATH = "/dashboard";

export function safeCallbackPath(value: string | string[] | undefined): string {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw || raw.length > 2_000) return DEFAULT_PATH;
  // Browsers treat "\" as "/" and drop tabs and newlines before resolving; refuse them outright.
  if (/[\\\u0000-\u001F\u007F]/.test(raw) || /%(0[0-9a-f]|1[0-9a-f]|7f|5c)/i.test(raw)) return DEFAULT_PATH;
  let url: URL;
  try {
    url = new URL(raw, BASE);
  } catch {
    return DEFAULT_PATH;
  }
  if (url.origin !== BASE) return DEFAULT_PATH;
  if (url.pathname !== DEFAULT_PATH && !url.pathname.startsWith(`${DEFAULT_PATH}/`)) return DEFAULT_PATH;
  return `${url.pathname}${url.search}${url.hash}`;
}
