/**
 * Reporting periods for the reliability page, its CSV and JSON: calendar days typed (or chosen by
 * preset) in the viewer's time zone, turned into a half-open UTC period [from, to).
 * Pure: no database, usable in the browser.
 */
import { TZDate } from "@date-fns/tz";
import { addDays, addMonths, addYears, format, startOfMonth, startOfQuarter } from "date-fns";
import { parseInZone } from "../lib/time";
import type { Period } from "./reliability";

export const PERIOD_PRESETS = ["this_month", "last_month", "this_quarter", "last_30_days", "last_12_months"] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

export const PRESET_LABELS: Record<PeriodPreset, string> = {
  this_month: "This month",
  last_month: "Last month",
  this_quarter: "This quarter",
  last_30_days: "Last 30 days",
  last_12_months: "Last 12 months",
};

/** The reliability page's default: the quarter so far (SLA reviews at banks are quarterly). */
export const DEFAULT_PRESET: PeriodPreset = "this_quarter";

/** Longest period accepted, in days (trends cover a year; five years keeps a request bounded). */
export const MAX_PERIOD_DAYS = 5 * 366;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A resolved reporting period. */
export interface ReportPeriod extends Period {
  /** First day, YYYY-MM-DD in `timeZone`. */
  fromDay: string;
  /** Last day (inclusive), YYYY-MM-DD in `timeZone`. */
  toDay: string;
  /** The preset it came from, or null for typed dates. */
  preset: PeriodPreset | null;
  timeZone: string;
}

export type PeriodResult = { ok: true; period: ReportPeriod } | { ok: false; parameter: "from" | "to" | "preset"; error: string };

/** The calendar day containing `instant` in `zone`, YYYY-MM-DD. */
export function dayInZone(instant: Date, zone: string): string {
  return format(new TZDate(instant.getTime(), zone), "yyyy-MM-dd");
}

function shiftDay(day: string, days: number): string {
  return format(addDays(new Date(`${day}T12:00:00Z`), days), "yyyy-MM-dd");
}

function isRealDay(day: string): boolean {
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day;
}

/** First and last day (inclusive) of a preset, as of `now`, in `zone`. */
export function presetDays(preset: PeriodPreset, now: Date, zone: string): { fromDay: string; toDay: string } {
  const today = dayInZone(now, zone);
  const noon = new Date(`${today}T12:00:00Z`); // day arithmetic on the calendar day, not on instants
  const day = (d: Date) => format(d, "yyyy-MM-dd");
  switch (preset) {
    case "this_month":
      return { fromDay: day(startOfMonth(noon)), toDay: shiftDay(day(addMonths(startOfMonth(noon), 1)), -1) };
    case "last_month":
      return { fromDay: day(addMonths(startOfMonth(noon), -1)), toDay: shiftDay(day(startOfMonth(noon)), -1) };
    case "this_quarter":
      return { fromDay: day(startOfQuarter(noon)), toDay: shiftDay(day(addMonths(startOfQuarter(noon), 3)), -1) };
    case "last_30_days":
      return { fromDay: shiftDay(today, -29), toDay: today };
    case "last_12_months":
      return { fromDay: shiftDay(day(addYears(noon, -1)), 1), toDay: today };
  }
}

/**
 * The period asked for by `from`/`to` (YYYY-MM-DD, both inclusive, in `zone`) or `preset`; typed
 * dates win over a preset; neither gives {@link DEFAULT_PRESET}. The result is the half-open UTC
 * period [start of `from`, start of the day after `to`) in `zone`.
 * Returns `{ ok: false, parameter, error }` naming the bad parameter (unknown preset, not a date,
 * only one of from/to, to before from, longer than {@link MAX_PERIOD_DAYS}).
 */
export function resolvePeriod(
  input: { from?: string | null; to?: string | null; preset?: string | null },
  now: Date,
  zone: string,
): PeriodResult {
  const from = input.from?.trim() || "";
  const to = input.to?.trim() || "";
  const presetRaw = input.preset?.trim() || "";
  let preset: PeriodPreset | null = null;
  let fromDay: string;
  let toDay: string;
  if (from || to) {
    for (const [name, value] of [["from", from], ["to", to]] as const) {
      if (!value) return { ok: false, parameter: name, error: `${name} is missing: give both from and to as YYYY-MM-DD, or a preset` };
      if (!DAY.test(value) || !isRealDay(value)) return { ok: false, parameter: name, error: `${name} must be a real date written YYYY-MM-DD (got "${value}")` };
    }
    fromDay = from;
    toDay = to;
  } else {
    if (presetRaw && !(PERIOD_PRESETS as readonly string[]).includes(presetRaw)) {
      return { ok: false, parameter: "preset", error: `preset must be one of ${PERIOD_PRESETS.join(", ")} (got "${presetRaw}")` };
    }
    preset = (presetRaw || DEFAULT_PRESET) as PeriodPreset;
    ({ fromDay, toDay } = presetDays(preset, now, zone));
  }
  if (toDay < fromDay) return { ok: false, parameter: "to", error: `to (${toDay}) is before from (${fromDay})` };
  const days = (Date.parse(`${toDay}T00:00:00Z`) - Date.parse(`${fromDay}T00:00:00Z`)) / 86_400_000 + 1;
  if (days > MAX_PERIOD_DAYS) return { ok: false, parameter: "from", error: `the period is ${days} days long; at most ${MAX_PERIOD_DAYS} days` };
  return {
    ok: true,
    period: {
      from: parseInZone(`${fromDay}T00:00`, zone),
      to: parseInZone(`${shiftDay(toDay, 1)}T00:00`, zone),
      fromDay,
      toDay,
      preset,
      timeZone: zone,
    },
  };
}
