import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatCount, formatRequestNumber, plural } from "@/lib/format/numbers";
import { METHOD_LABEL, SOURCE_ACCOUNT_LABEL, STATUS_CHART_COLOR, STATUS_GROUP_LABEL, STATUS_LABEL, STATUS_TONE, statusBadgeClass, statusLabel, TONE_BADGE_CLASS } from "@/lib/format/status";
import {
  formatCalendarDayShort,
  formatDateTime,
  formatDateTimeLong,
  formatDateTimeSeconds,
  formatMoscowTimestamp,
  formatTimeLeft,
  formatTimeMs,
  moscowCalendarDay,
  moscowDayStart,
  moscowDays,
  moscowMidnight,
} from "@/lib/format/time";
import { PayoutMethod, SourceAccount } from "@/lib/generated/prisma/enums";
import { PAYOUT_STATUSES } from "@/lib/payouts/state-machine";

// A Russian label: a capital, then Russian words (an abbreviation such as «СБП» may lead).
const CYRILLIC = /^[А-ЯЁ][А-ЯЁа-яё ]*[а-яё ]/u;

describe("status vocabulary", () => {
  it.each(PAYOUT_STATUSES)("%s has a Russian label, a group label, a tone with a badge, and a chart colour", (status) => {
    expect(STATUS_LABEL[status]).toMatch(CYRILLIC);
    expect(STATUS_GROUP_LABEL[status]).toMatch(CYRILLIC);
    expect(Object.keys(TONE_BADGE_CLASS)).toContain(STATUS_TONE[status]);
    expect(statusBadgeClass(status)).toMatch(/\bbg-\S+ \btext-\S+/);
    expect(STATUS_CHART_COLOR[status]).toMatch(/^#[0-9a-f]{6}$/);
  });

  it("names no status that does not exist, and no two statuses alike", () => {
    for (const table of [STATUS_LABEL, STATUS_GROUP_LABEL, STATUS_TONE, STATUS_CHART_COLOR]) expect(Object.keys(table).sort()).toEqual([...PAYOUT_STATUSES].sort());
    expect(new Set(Object.values(STATUS_LABEL)).size).toBe(PAYOUT_STATUSES.length);
    expect(new Set(Object.values(STATUS_GROUP_LABEL)).size).toBe(PAYOUT_STATUSES.length);
  });

  it("keeps an unknown outcome apart from a refusal: bank_error is neither failed nor an error", () => {
    expect(STATUS_LABEL.failed).toBe("Отклонена");
    expect(STATUS_LABEL.bank_error).not.toMatch(/Ошибка|Отклон/);
    expect(STATUS_TONE.bank_error).not.toBe(STATUS_TONE.failed);
  });

  it("labels raw status strings from stored data, passing unknown ones through", () => {
    expect(statusLabel("paid")).toBe("Выплачена");
    expect(statusLabel("something_new")).toBe("something_new");
    expect(statusLabel("toString")).toBe("toString");
    expect(statusLabel(null)).toBe("—");
  });

  it("labels every payout method and source account", () => {
    expect(Object.keys(METHOD_LABEL).sort()).toEqual(Object.values(PayoutMethod).sort());
    expect(Object.keys(SOURCE_ACCOUNT_LABEL).sort()).toEqual(Object.values(SourceAccount).sort());
    for (const label of [...Object.values(METHOD_LABEL), ...Object.values(SOURCE_ACCOUNT_LABEL)]) expect(label).toMatch(CYRILLIC);
  });
});

describe("request numbers", () => {
  it("pads to six digits after PR- and never truncates", () => {
    expect(formatRequestNumber(42)).toBe("PR-000042");
    expect(formatRequestNumber(1)).toBe("PR-000001");
  });

  it("a capped count says so; an exact one does not", () => {
    expect(formatCount(12_345).replace(/\s/g, " ")).toBe("12 345");
    expect(formatCount(1_000, true).replace(/\s/g, " ")).toBe("1 000+");
    expect(formatCount(0)).toBe("0");
    expect(formatRequestNumber(999_999)).toBe("PR-999999");
    expect(formatRequestNumber(1_234_567)).toBe("PR-1234567");
  });
});

describe("Moscow time", () => {
  // 21:30 UTC on the 21st is 00:30 on the 22nd in Moscow.
  const lateUtc = "2026-11-21T21:30:05.042Z";

  it("puts an instant late in the UTC day on the next Moscow day", () => {
    expect(moscowCalendarDay(new Date(lateUtc))).toBe("2026-11-22");
    expect(formatMoscowTimestamp(lateUtc)).toBe("2026-11-22 00:30:05");
    expect(formatDateTime(lateUtc)).toBe("22.11.2026, 00:30");
    expect(formatDateTimeSeconds(lateUtc)).toBe("22.11.2026, 00:30:05");
    expect(formatTimeMs(lateUtc)).toBe("00:30:05.042");
    expect(formatDateTimeLong(lateUtc)).toContain("22 ноября 2026");
    expect(formatDateTimeLong(lateUtc, "en")).toContain("22 November 2026");
  });

  it("starts a Moscow day at 21:00 UTC the day before, across month and year ends", () => {
    expect(moscowMidnight("2026-11-22")?.toISOString()).toBe("2026-11-21T21:00:00.000Z");
    expect(moscowMidnight("2027-01-01")?.toISOString()).toBe("2026-12-31T21:00:00.000Z");
    expect(moscowDayStart(new Date(lateUtc)).toISOString()).toBe("2026-11-21T21:00:00.000Z");
    expect(moscowDayStart(new Date(lateUtc), 1).toISOString()).toBe("2026-11-20T21:00:00.000Z");
    expect(moscowDayStart(new Date("2026-11-21T20:59:59Z")).toISOString()).toBe("2026-11-20T21:00:00.000Z");
    expect(moscowMidnight("2026-02-30")).toBeNull();
  });

  it("takes the offset from the zone's history, not a constant (Moscow was UTC+4 in 2011–2014)", () => {
    expect(moscowMidnight("2012-06-01")?.toISOString()).toBe("2012-05-31T20:00:00.000Z");
    expect(formatMoscowTimestamp("2012-05-31T20:00:00Z")).toBe("2012-06-01 00:00:00");
  });

  it("lists the Moscow days a range covers", () => {
    expect(moscowDays("2026-11-20T21:00:00Z", "2026-11-23T21:00:00Z")).toEqual(["2026-11-21", "2026-11-22", "2026-11-23"]);
    expect(moscowDays(lateUtc, "2026-11-22T21:00:00.001Z")).toEqual(["2026-11-22", "2026-11-23"]);
    expect(formatCalendarDayShort("2026-11-22")).toBe("22 нояб");
  });

  it("shows missing or broken times as a dash", () => {
    expect(formatDateTime(null)).toBe("—");
    expect(formatDateTimeSeconds("not a date")).toBe("—");
    expect(formatMoscowTimestamp(null)).toBe("");
  });

  it("words the time left before a deadline", () => {
    expect(formatTimeLeft(0)).toBeNull();
    expect(formatTimeLeft(12 * 60_000 + 5_000)).toBe("12 мин 05 с");
    expect(formatTimeLeft(5 * 3_600_000 + 7 * 60_000)).toBe("5 ч 07 мин");
    expect(formatTimeLeft(2 * 86_400_000 + 3 * 3_600_000)).toBe("2 д 3 ч");
  });
});

describe("plurals", () => {
  const forms = ["доставка", "доставки", "доставок"] as const;
  it.each([
    [1, "доставка"],
    [2, "доставки"],
    [5, "доставок"],
    [11, "доставок"],
    [12, "доставок"],
    [14, "доставок"],
    [21, "доставка"],
    [22, "доставки"],
    [111, "доставок"],
    [0, "доставок"],
  ])("%i → %s", (count, expected) => {
    expect(plural(count, forms)).toBe(expected);
  });
});

describe("client safety", () => {
  // The vocabulary and the list query run in client components: no server-only module may creep in.
  const root = path.resolve(import.meta.dirname, "../../..");
  it.each(["lib/format/status.ts", "lib/format/time.ts", "lib/format/numbers.ts", "lib/payouts/list-query.ts"])("%s imports only client-safe modules", (file) => {
    const source = readFileSync(path.join(root, file), "utf8");
    const valueImports = [...source.matchAll(/^import (?!type )[^;]*? from "([^"]+)";/gms)].map((match) => match[1]);
    for (const specifier of valueImports) expect(specifier).toMatch(/^(zod|(\.\.\/format|\.)\/(time|numbers|status)|\.\.\/generated\/prisma\/enums|\.\/state-machine|\.\.\/validation\/ru-banking(-schemas)?)$/);
    expect(source).not.toMatch(/server-only|node:|generated\/prisma\/client|process\.env/);
  });
});
