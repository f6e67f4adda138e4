/** Date/time formatting for the dashboard: ru-RU, Moscow time (the operators' and the bank's zone). */

const TIME_ZONE = "Europe/Moscow";

const DATE_TIME = new Intl.DateTimeFormat("ru-RU", { timeZone: TIME_ZONE, day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit" });
const DATE_TIME_SHORT = new Intl.DateTimeFormat("ru-RU", { timeZone: TIME_ZONE, day: "2-digit", month: "2-digit", year: "2-digit", hour: "2-digit", minute: "2-digit" });
const DATE_TIME_SHORT_NO_YEAR = new Intl.DateTimeFormat("ru-RU", { timeZone: TIME_ZONE, day: "2-digit", month: "2-digit", hour: "2-digit", minute: "2-digit" });
const YEAR = new Intl.DateTimeFormat("ru-RU", { timeZone: TIME_ZONE, year: "numeric" });
const DATE_TIME_SECONDS = new Intl.DateTimeFormat("ru-RU", { timeZone: TIME_ZONE, day: "2-digit", month: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
const TIME = new Intl.DateTimeFormat("ru-RU", { timeZone: TIME_ZONE, hour: "2-digit", minute: "2-digit" });
const DAY_SHORT = new Intl.DateTimeFormat("ru-RU", { timeZone: "UTC", day: "numeric", month: "short" });
const DAY_LONG = new Intl.DateTimeFormat("ru-RU", { timeZone: "UTC", weekday: "short", day: "numeric", month: "long", year: "numeric" });

export const formatDateTime = (iso: string) => DATE_TIME.format(new Date(iso));
/** `22.11, 06:32` this year, `22.11.25, 06:32` before — for table cells. */
export function formatDateTimeShort(iso: string, now: Date = new Date()): string {
  const date = new Date(iso);
  return YEAR.format(date) === YEAR.format(now) ? DATE_TIME_SHORT_NO_YEAR.format(date) : DATE_TIME_SHORT.format(date);
}
export const formatDateTimeSeconds = (iso: string) => DATE_TIME_SECONDS.format(new Date(iso));
export const formatTime = (iso: string) => TIME.format(new Date(iso));
/** `2026-11-22` (a calendar day) → `22 нояб.` */
export const formatDayShort = (day: string) => DAY_SHORT.format(new Date(`${day}T00:00:00Z`)).replace(/\.$/, "");
export const formatDayLong = (day: string) => DAY_LONG.format(new Date(`${day}T00:00:00Z`));

/** Time left as `2 д 3 ч`, `5 ч 07 мин`, `12 мин 05 с`; null when it has passed. */
export function formatTimeLeft(ms: number): string | null {
  if (ms <= 0) return null;
  const totalSeconds = Math.floor(ms / 1000);
  const days = Math.floor(totalSeconds / 86_400);
  const hours = Math.floor((totalSeconds % 86_400) / 3_600);
  const minutes = Math.floor((totalSeconds % 3_600) / 60);
  const seconds = totalSeconds % 60;
  if (days > 0) return `${days} д ${hours} ч`;
  if (hours > 0) return `${hours} ч ${String(minutes).padStart(2, "0")} мин`;
  return `${minutes} мин ${String(seconds).padStart(2, "0")} с`;
}

/** Calendar days from `from` (inclusive) to `to` (exclusive), as Moscow `YYYY-MM-DD` strings. */
export function moscowDays(fromIso: string, toIso: string): string[] {
  const offset = 3 * 3_600_000;
  const days: string[] = [];
  const start = new Date(new Date(fromIso).getTime() + offset);
  const end = new Date(toIso).getTime() + offset;
  let cursor = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate());
  while (cursor < end && days.length < 400) {
    days.push(new Date(cursor).toISOString().slice(0, 10));
    cursor += 86_400_000;
  }
  return days;
}
