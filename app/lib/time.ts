/**
 * Time zones for display and input. Everything is stored as UTC instants; people see and type
 * wall-clock times in their own zone (the `tz` cookie the browser sets from
 * Intl.DateTimeFormat().resolvedOptions().timeZone, or UTC until it has). Conversion uses
 * @date-fns/tz (IANA zones, DST-aware). Pure: safe in the browser.
 */
import { TZDate, tzName } from "@date-fns/tz";
import { format } from "date-fns";

/** Name of the cookie holding the viewer's IANA time zone. */
export const TIME_ZONE_COOKIE = "tz";
export const DEFAULT_TIME_ZONE = "UTC";

/** True for a zone name Intl knows (e.g. "Europe/Warsaw", "Asia/Shanghai", "UTC"). */
export function isValidTimeZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The viewer's zone from a Cookie header; `DEFAULT_TIME_ZONE` when absent or not a real zone.
 */
export function timeZoneFromCookie(cookieHeader: string | null): string {
  const match = /(?:^|;\s*)tz=([^;]+)/.exec(cookieHeader ?? "");
  if (!match) return DEFAULT_TIME_ZONE;
  const zone = decodeURIComponent(match[1]!);
  return isValidTimeZone(zone) ? zone : DEFAULT_TIME_ZONE;
}

/**
 * Formats a UTC instant as wall-clock time in `zone`: "2026-03-01 15:05 CET" (minutes precision;
 * the zone's short name, or its offset such as "GMT+8" where no abbreviation exists).
 */
export function formatInZone(instant: Date | string, zone: string = DEFAULT_TIME_ZONE): string {
  const date = typeof instant === "string" ? new Date(instant) : instant;
  const zoned = new TZDate(date.getTime(), zone);
  return `${format(zoned, "yyyy-MM-dd HH:mm")} ${tzName(zone, zoned, "short")}`;
}

/** "YYYY-MM-DDTHH:mm" for an <input type="datetime-local"> showing `instant` in `zone`. */
export function toDateTimeLocalValue(instant: Date | string | null, zone: string = DEFAULT_TIME_ZONE): string {
  if (instant === null) return "";
  const date = typeof instant === "string" ? new Date(instant) : instant;
  return format(new TZDate(date.getTime(), zone), "yyyy-MM-dd'T'HH:mm");
}

/**
 * Reads a wall-clock "YYYY-MM-DDTHH:mm[:ss]" (what datetime-local inputs send) in `zone` and returns
 * the UTC instant. In a DST gap the time is moved forward as the zone's rules do; in an overlap the
 * earlier instant is taken.
 * @throws RangeError naming the value when it is not a wall-clock date-time or the zone is unknown.
 */
export function parseInZone(local: string, zone: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local.trim());
  if (!m) throw new RangeError(`"${local}" is not a date and time written YYYY-MM-DDTHH:mm`);
  if (!isValidTimeZone(zone)) throw new RangeError(`"${zone}" is not a known time zone (use an IANA name such as Europe/Warsaw)`);
  const [year, month, day, hour, minute, second] = m.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  const zoned = new TZDate(year, month - 1, day, hour, minute, second, zone);
  if (Number.isNaN(zoned.getTime()) || zoned.getFullYear() !== year || zoned.getMonth() !== month - 1 || zoned.getDate() !== day) {
    throw new RangeError(`"${local}" is not a real date`);
  }
  return new Date(zoned.getTime());
}
