import fc from "fast-check";

/**
 * Request bodies an attacker or a broken client sends: wrong types in known fields, huge and odd numbers,
 * NUL and lone surrogates, deep nesting, arrays where objects belong, prototype keys, non-JSON bytes,
 * nothing at all, and the right JSON under the wrong content type.
 */
export interface HostileBody {
  bytes: string | Uint8Array;
  contentType: string;
  /** How a failure report names the body (the first bytes). */
  label: string;
}

const strings = fc.oneof(
  fc.constantFrom(
    "",
    "\u0000",
    "a\u0000b",
    "\ud800",
    "\udfff\ud800",
    "\u202eevil",
    "\r\nSet-Cookie: x=1",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../../../etc/passwd",
    "%00",
    "NaN",
    "-0",
    "1e309",
    "__proto__",
    "😀".repeat(2_000),
    "ж".repeat(70_000),
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
);

const numbers = fc.oneof(
  fc.constantFrom(0, -0, -1, 0.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, Number.MIN_VALUE, 2 ** 63),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

const values: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    strings,
    numbers,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom("__proto__", "constructor", "prototype", "toString")), tie("value"), { maxKeys: 4 }),
  ),
})).value;

const json = (value: unknown): string => JSON.stringify(value) ?? "null";
const nest = (depth: number, open: string, inner: string, close: string) => open.repeat(depth) + inner + close.repeat(depth);

/** Hostile bodies; `sample` (a body of the right shape) is the base of field-level mutations. */
export function hostileBody(sample: unknown = {}): fc.Arbitrary<HostileBody> {
  const shaped = sample !== null && typeof sample === "object" && !Array.isArray(sample) ? (sample as Record<string, unknown>) : {};
  const fields = Object.keys(shaped);
  const text = fc.oneof(
    // One or more known fields replaced by a wrong value.
    fc
      .record({ field: fields.length ? fc.constantFrom(...fields) : fc.string({ maxLength: 8 }), value: values, extra: fc.dictionary(fc.string({ maxLength: 8 }), values, { maxKeys: 2 }) })
      .map(({ field, value, extra }) => json({ ...shaped, ...extra, [field]: value })),
    // The whole body is the wrong kind of value (an array for an object, a string, a number, null).
    values.map(json),
    fc.constant(json([shaped])),
    // Prototype pollution attempts (as raw text: an object literal would not keep a `__proto__` key).
    fc.constantFrom(
      `{"__proto__":{"role":"admin","isAdmin":true},${json(shaped).slice(1)}`.replace(",}", "}"),
      '{"constructor":{"prototype":{"polluted":true}}}',
      '[{"__proto__":null}]',
    ),
    // Numbers JSON.parse turns into Infinity or rounds.
    fc.constantFrom('{"amountKopecks":1e400,"amount_kopecks":-1e400}', '{"amount_kopecks":123456789012345678901234567890}', '{"disabled":1e-400}'),
    // Deep nesting.
    fc.integer({ min: 500, max: 20_000 }).map((depth) => nest(depth, "[", "", "]")),
    fc.integer({ min: 500, max: 5_000 }).map((depth) => nest(depth, '{"a":', "1", "}")),
    // Not JSON at all, or cut off.
    fc.string({ maxLength: 60 }),
    fc.constantFrom("", " ", "{", '{"a":', "nul", "\u0000", "[1,2,", '{"a":1}{"b":2}', "\ufeff{}"),
  );
  return fc.oneof(
    { arbitrary: text.map((bytes) => ({ bytes, contentType: "application/json", label: bytes.slice(0, 120) })), weight: 8 },
    { arbitrary: text.map((bytes) => ({ bytes, contentType: "text/plain", label: `text/plain ${bytes.slice(0, 100)}` })), weight: 1 },
    { arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ bytes, contentType: "application/json", label: `bytes ${Buffer.from(bytes).toString("hex").slice(0, 100)}` })), weight: 1 },
  );
}

const QUERY_NAMES = ["limit", "cursor", "before", "status", "from", "to", "q", "recipientName", "verdict", "prefix", "sort", "order", "method", "sourceAccount", "action", "actorId", "payoutRequestId"];

/** A query string of known and unknown names with hostile values (repeated names, NUL, huge numbers, bad dates). */
export function hostileQuery(): fc.Arbitrary<string> {
  const value = fc.oneof(strings, numbers.map(String), fc.constantFrom("2026-02-30", "9999-99-99T99:99", "-1", "1e309", "true", "[]", "{}"));
  const name = fc.oneof({ arbitrary: fc.constantFrom(...QUERY_NAMES), weight: 4 }, { arbitrary: fc.string({ maxLength: 12 }), weight: 1 });
  return fc.array(fc.tuple(name, value), { maxLength: 5 }).map((pairs) => new URLSearchParams(pairs.map(([key, item]) => [key, item.slice(0, 4_000)])).toString());
}

/** A path segment where an id or a link token belongs. */
export function hostileSegment(): fc.Arbitrary<string> {
  return fc
    .oneof(fc.constantFrom("..", "%00", "null", "-1", "1e309", "00000000-0000-0000-0000-000000000000", "x".repeat(3_000), "ps_1'--"), fc.string({ minLength: 1, maxLength: 80 }))
    .map((segment) => encodeURIComponent(segment));
}
