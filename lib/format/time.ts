/**
 * Moscow time, the zone of the operators and of the bank, for server renders and browsers alike
 * (no hydration drift, whatever the reader's own zone). The offset always comes from Intl's zone
 * data for "Europe/Moscow"; nothing here hard-codes +03:00. Pure, for server and client.
 */

export const MOSCOW_TIME_ZONE = "Europe/Moscow";

/** A calendar day, `YYYY-MM-DD`. */
export type CalendarDay = string;

const CALENDAR_DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

const WALL_CLOCK = new Intl.DateTimeFormat("en-US", {
  timeZone: MOSCOW_TIME_ZONE,
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

type WallClock = { year: number; month: number; day: number; hour: number; minute: number; second: number };

function moscowWallClock(date: Date): WallClock {
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
  for (const part of WALL_CLOCK.formatToParts(date)) if (part.type !== "literal") parts[part.type] = Number(part.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** Moscow's offset from UTC at an instant, in ms (Intl knows the zone's history). */
function moscowOffsetMs(date: Date): number {
  const wall = moscowWallClock(date);
  const wallAsUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return wallAsUtc - Math.floor(date.getTime() / 1000) * 1000;
}

const pad = (value: number, width = 2) => String(value).padStart(width, "0");

/** The Moscow calendar day an instant falls on. */
export function moscowCalendarDay(date: Date): CalendarDay {
  const wall = moscowWallClock(date);
  return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}`;
}

/** `2026-11-21T21:30:00Z` → `2026-11-22 00:30:00` (Moscow; ISO order, which spreadsheets read as a date). */
export function formatMoscowTimestamp(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const wall = moscowWallClock(date);
  return `${moscowCalendarDay(date)} ${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}`;
}

/** A valid `YYYY-MM-DD` (a real date: no 2026-02-30) → its parts; null otherwise. */
function calendarDayParts(day: CalendarDay): { year: number; month: number; day: number } | null {
  const match = CALENDAR_DAY_RE.exec(day);
  if (!match) return null;
  const [year, month, dayOfMonth] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(year, month - 1, dayOfMonth));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== dayOfMonth) return null;
  return { year, month, day: dayOfMonth };
}

export const isCalendarDay = (value: string): boolean => calendarDayParts(value) !== null;

/** `2026-11-22` + 1 → `2026-11-23`. */
export function addCalendarDays(day: CalendarDay, days: number): CalendarDay {
  const parts = calendarDayParts(day);
  if (!parts) throw new RangeError(`Not a calendar day: ${day}`);
  return new Date(Date.UTC(parts.year, parts.month - 1, parts.day + days)).toISOString().slice(0, 10);
}

/** The instant a Moscow calendar day starts; null for something that is not a real `YYYY-MM-DD`. */
export function moscowMidnight(day: CalendarDay): Date | null {
  const parts = calendarDayParts(day);
  if (!parts) return null;
  const midnightAsUtc = Date.UTC(parts.year, parts.month - 1, parts.day);
  return new Date(midnightAsUtc - moscowOffsetMs(new Date(midnightAsUtc)));
}

/** Midnight (Moscow) of the day `daysBack` days before `now`'s Moscow day. */
export function moscowDayStart(now: Date, daysBack = 0): Date {
  return moscowMidnight(addCalendarDays(moscowCalendarDay(now), -daysBack))!;
}

/** Moscow calendar days from the one holding `from` (inclusive) to `to` (exclusive); at most 400. */
export function moscowDays(fromIso: string, toIso: string): CalendarDay[] {
  const end = new Date(toIso).getTime();
  const from = new Date(fromIso);
  if (Number.isNaN(from.getTime()) || Number.isNaN(end)) return [];
  const days: CalendarDay[] = [];
  for (let day = moscowCalendarDay(from); moscowMidnight(day)!.getTime() < end && days.length < 400; day = addCalendarDays(day, 1)) days.push(day);
  return days;
}

// ---------------------------------------------------------------------------------------------
// Display (ru-RU unless a locale is given)
// ---------------------------------------------------------------------------------------------

const ru = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat("ru-RU", { timeZone: MOSCOW_TIME_ZONE, ...options });

const DATE_TIME = ru({ day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit" });
const DATE_TIME_SECONDS = ru({ day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" });
const DATE_TIME_SHORT = ru({ day: "2-digit", month: "2-digit", year: "2-digit", hour: "2-digit", minute: "2-digit" });
const DATE_TIME_SHORT_NO_YEAR = ru({ day: "2-digit", month: "2-digit", hour: "2-digit", minute: "2-digit" });
const YEAR = ru({ year: "numeric" });
const TIME = ru({ hour: "2-digit", minute: "2-digit" });
const TIME_SECONDS = ru({ hour: "2-digit", minute: "2-digit", second: "2-digit" });
const DAY = ru({ day: "numeric", month: "long" });
const DATE_LONG = ru({ day: "numeric", month: "long", year: "numeric" });
const LONG_LOCALES = { ru: "ru-RU", en: "en-GB" } as const;
const DATE_TIME_LONG = {
  ru: new Intl.DateTimeFormat(LONG_LOCALES.ru, { timeZone: MOSCOW_TIME_ZONE, day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit" }),
  en: new Intl.DateTimeFormat(LONG_LOCALES.en, { timeZone: MOSCOW_TIME_ZONE, day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit" }),
};
// Calendar days are already Moscow days: format them as the UTC dates they are written as.
const CALENDAR_DAY_SHORT = new Intl.DateTimeFormat("ru-RU", { timeZone: "UTC", day: "numeric", month: "short" });
const CALENDAR_DAY_LONG = new Intl.DateTimeFormat("ru-RU", { timeZone: "UTC", weekday: "short", day: "numeric", month: "long", year: "numeric" });

/** An ISO string or a Date; a missing or invalid one displays as "—". */
type Instant = string | Date | null | undefined;

function formatWith(format: Intl.DateTimeFormat, value: Instant): string {
  if (!value) return "—";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? "—" : format.format(date);
}

/** `22.11.2026, 06:32`. */
export const formatDateTime = (value: Instant) => formatWith(DATE_TIME, value);
/** `22.11.2026, 06:32:05`. */
export const formatDateTimeSeconds = (value: Instant) => formatWith(DATE_TIME_SECONDS, value);
/** `06:32`. */
export const formatTime = (value: Instant) => formatWith(TIME, value);
/** `06:32:05`. */
export const formatTimeSeconds = (value: Instant) => formatWith(TIME_SECONDS, value);
/** `22 ноября`. */
export const formatDay = (value: Instant) => formatWith(DAY, value);
/** `22 ноября 2026 г.`. */
export const formatDateLong = (value: Instant) => formatWith(DATE_LONG, value);
/** `22 ноября 2026 г. в 06:32` / `22 November 2026 at 06:32`. */
export const formatDateTimeLong = (value: Instant, locale: keyof typeof LONG_LOCALES = "ru") => formatWith(DATE_TIME_LONG[locale], value);

/** `22.11, 06:32` this (Moscow) year, `22.11.25, 06:32` before — for table cells. */
export function formatDateTimeShort(iso: string, now: Date = new Date()): string {
  const date = new Date(iso);
  return YEAR.format(date) === YEAR.format(now) ? DATE_TIME_SHORT_NO_YEAR.format(date) : DATE_TIME_SHORT.format(date);
}

/** `14:03:27.512` — the timeline needs milliseconds to tell a call from the webhook it caused. */
export function formatTimeMs(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "—";
  return `${TIME_SECONDS.format(date)}.${pad(date.getUTCMilliseconds(), 3)}`;
}

/** `2026-11-22` → `22 нояб` */
export const formatCalendarDayShort = (day: CalendarDay) => (isCalendarDay(day) ? CALENDAR_DAY_SHORT.format(new Date(`${day}T00:00:00Z`)).replace(/\.$/, "") : "");
/** `2026-11-22` → `вс, 22 ноября 2026 г.` */
export const formatCalendarDayLong = (day: CalendarDay) => (isCalendarDay(day) ? CALENDAR_DAY_LONG.format(new Date(`${day}T00:00:00Z`)) : "");

/** Time left as `2 д 3 ч`, `5 ч 07 мин`, `12 мин 05 с`; null when it has passed. */
export function formatTimeLeft(ms: number): string | null {
  if (ms <= 0) return null;
  const totalSeconds = Math.floor(ms / 1000);
  const days = Math.floor(totalSeconds / 86_400);
  const hours = Math.floor((totalSeconds % 86_400) / 3_600);
  const minutes = Math.floor((totalSeconds % 3_600) / 60);
  const seconds = totalSeconds % 60;
  if (days > 0) return `${days} д ${hours} ч`;
  if (hours > 0) return `${hours} ч ${pad(minutes)} мин`;
  return `${minutes} мин ${pad(seconds)} с`;
}
