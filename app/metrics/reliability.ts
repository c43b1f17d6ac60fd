/**
 * Reliability metrics: availability, MTTD/MTTA/MTTR, response within SLA, recurrence rate,
 * corrective-action closure, resolution effectiveness and their monthly trend
 * (shared/domain.md, "Metrics" 5-9 and "Trend views").
 *
 * Pure logic only (shared/style.md, habit 4): every function takes plain rows, a period and an
 * as-of instant, and returns its value with numerator, denominator and the items behind them.
 * No database, no clock, no I/O.
 *
 * Conventions shared by every function here:
 * - All `Date`s are UTC instants; the caller converts wall-clock input in the person's time zone.
 * - A period P is half-open: `from <= t < to`. "Incidents in P" are incidents whose `startedAt` is in P.
 * - As of T: a timestamp later than T has not happened yet and is read as null; an incident that
 *   starts after T does not exist yet. Re-computing an old month therefore gives the figure a person
 *   would have seen at the time (what "each month computed as of its last day" needs).
 * - Durations are minutes (fractional, not rounded); shares are fractions in [0, 1]. A value with
 *   an empty denominator is `null`, never 0 or 1.
 * - Scope (active systems, team, tier filters) is chosen by the caller, e.g. with
 *   {@link incidentsInScope}; SLA look-ups use every system passed in, retired or not, because a
 *   system retired today still had its SLA when the incident happened.
 */
import type { Severity, SlaFigures } from "../../db/schema/catalog";
import { ROOT_CAUSE_CATEGORIES, type RootCauseCategory } from "../../db/schema/enums";

export type { Severity } from "../../db/schema/catalog";

export const SEVERITIES = ["SEV1", "SEV2", "SEV3", "SEV4"] as const satisfies readonly Severity[];

export { ROOT_CAUSE_CATEGORIES, type RootCauseCategory };

/** An incident as the metrics need it (shared/domain.md, "incident"). Timestamps are UTC instants. */
export interface IncidentRow {
  id: string;
  title: string;
  severity: Severity;
  /** Slugs of the affected systems. */
  systems: string[];
  startedAt: Date;
  detectedAt: Date | null;
  acknowledgedAt: Date | null;
  mitigatedAt: Date | null;
  resolvedAt: Date | null;
  customerImpact: boolean;
  rootCauseCategory: RootCauseCategory;
  /** Id of the earlier incident this one is explicitly marked as a recurrence of. */
  recurrenceOf: string | null;
}

/** A catalog system with its effective SLA already resolved (tier defaults + overrides, see app/catalog/sla.ts). */
export interface SystemRow {
  slug: string;
  name: string;
  tier: number;
  lifecycle: "active" | "retired";
  ownerTeam: string | null;
  sla: Pick<SlaFigures, "availability" | "rtoMinutes" | "responseMinutes">;
}

export type CorrectiveActionStatus = "open" | "in_progress" | "done" | "wont_do";

/** A corrective action (shared/domain.md, "corrective action"). */
export interface CorrectiveActionRow {
  id: string;
  title: string;
  owner: string | null;
  /**
   * The due *day*, as the instant that day starts (local midnight converted to UTC by the caller, or
   * UTC midnight from a SQL `date`). The action is on time when closed before the day is over.
   */
  dueDate: Date | null;
  status: CorrectiveActionStatus;
  /** When the action reached `done` or `wont_do`. */
  closedAt: Date | null;
  source: { type: "incident" | "drill" | "inspection"; id: string };
}

/** A half-open period [from, to) of UTC instants. */
export interface Period {
  from: Date;
  to: Date;
}

/** What every share-type metric returns: value = numerator / denominator, null when the denominator is 0. */
export interface Ratio {
  value: number | null;
  numerator: number;
  denominator: number;
}

export const MINUTE_MS = 60_000;
export const DAY_MS = 24 * 60 * MINUTE_MS;
/** Look-back window for an implicit recurrence (shared/domain.md, "Metrics" 7). */
export const RECURRENCE_WINDOW_DAYS = 90;
/** Window in which a recurrence makes a resolution ineffective (shared/domain.md, "Metrics" 9). */
export const RESOLUTION_RECURRENCE_DAYS = 30;

// ---------------------------------------------------------------------------------------------
// Small shared helpers
// ---------------------------------------------------------------------------------------------

function assertPeriod(period: Period): void {
  if (Number.isNaN(period.from.getTime()) || Number.isNaN(period.to.getTime())) {
    throw new RangeError("Period has an invalid date: pass `from` and `to` as valid Date instants.");
  }
  if (period.to.getTime() < period.from.getTime()) {
    throw new RangeError(
      `Period ends before it starts (from ${period.from.toISOString()}, to ${period.to.toISOString()}): swap them or pass to >= from.`,
    );
  }
}

function minutesBetween(from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / MINUTE_MS;
}

/** The timestamp if it had happened by T, else null. */
function known(at: Date | null, asOf: Date): Date | null {
  return at !== null && at.getTime() <= asOf.getTime() ? at : null;
}

function ratio(numerator: number, denominator: number): Ratio {
  return { value: denominator === 0 ? null : numerator / denominator, numerator, denominator };
}

/** Started in P (half-open) and by T. */
export function startedIn(incident: IncidentRow, period: Period, asOf: Date): boolean {
  const s = incident.startedAt.getTime();
  return s >= period.from.getTime() && s < period.to.getTime() && s <= asOf.getTime();
}

/**
 * When service was restored, as known at T: the earlier of `mitigatedAt` and `resolvedAt`
 * (shared/domain.md, "Metrics" 5 and 6), or null when neither had happened by T.
 */
export function restoredAt(incident: IncidentRow, asOf: Date): Date | null {
  const m = known(incident.mitigatedAt, asOf);
  const r = known(incident.resolvedAt, asOf);
  if (m && r) return m.getTime() <= r.getTime() ? m : r;
  return m ?? r;
}

/**
 * Incidents that count for a scope: those affecting at least one *active* system among `systems`
 * (shared/domain.md, "Metrics": retired systems never count). The incidents keep all their affected
 * systems, so SLA look-ups still see the strictest one.
 */
export function incidentsInScope(incidents: readonly IncidentRow[], systems: readonly SystemRow[]): IncidentRow[] {
  const active = new Set(systems.filter((s) => s.lifecycle === "active").map((s) => s.slug));
  return incidents.filter((i) => i.systems.some((slug) => active.has(slug)));
}

function systemIndex(systems: readonly SystemRow[]): Map<string, SystemRow> {
  return new Map(systems.map((s) => [s.slug, s]));
}

/** Smallest figure among the incident's affected systems that are known; null when none is. */
export function strictest(incident: IncidentRow, bySlug: Map<string, SystemRow>, pick: (s: SystemRow) => number): number | null {
  let best: number | null = null;
  for (const slug of incident.systems) {
    const system = bySlug.get(slug);
    if (!system) continue;
    const figure = pick(system);
    if (best === null || figure < best) best = figure;
  }
  return best;
}

/**
 * Ties are broken by id in code-unit order: `localeCompare` goes through ICU collation and made
 * sorting 135,000 actions take half a second (scripts/bench-reliability.ts).
 */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byStartThenId(a: IncidentRow, b: IncidentRow): number {
  return a.startedAt.getTime() - b.startedAt.getTime() || compareIds(a.id, b.id);
}

/**
 * Look-up tables over one incident list, so recurrence checks compare an incident only with the
 * incidents that can match it (same affected system, or an explicit link) instead of with every
 * row: O(n log n) instead of O(n²), which matters with 100,000 incidents (scripts/bench-reliability.ts).
 * Built once per input array (cached), so the 12 calls of a monthly trend share it.
 * It changes no result: every candidate still goes through {@link isRecurrenceOf}.
 */
interface IncidentIndex {
  byId: Map<string, IncidentRow>;
  /** Incidents per affected system, in start order (sorted on first use). */
  bySystem(): Map<string, IncidentRow[]>;
  /** Incidents per affected system, in the order given. */
  bySystemInInputOrder: Map<string, IncidentRow[]>;
  /** Incidents explicitly marked as a recurrence of the key. */
  byRecurrenceOf: Map<string, IncidentRow[]>;
}

const indexCache = new WeakMap<readonly IncidentRow[], IncidentIndex>();

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function indexOf(incidents: readonly IncidentRow[]): IncidentIndex {
  const cached = indexCache.get(incidents);
  if (cached) return cached;
  const byId = new Map<string, IncidentRow>();
  const bySystemInInputOrder = new Map<string, IncidentRow[]>();
  const byRecurrenceOf = new Map<string, IncidentRow[]>();
  for (const incident of incidents) {
    if (!byId.has(incident.id)) byId.set(incident.id, incident);
    const systems = incident.systems;
    for (let k = 0; k < systems.length; k++) {
      if (systems.indexOf(systems[k]) === k) push(bySystemInInputOrder, systems[k], incident);
    }
    if (incident.recurrenceOf !== null) push(byRecurrenceOf, incident.recurrenceOf, incident);
  }
  let sorted: Map<string, IncidentRow[]> | null = null;
  const bySystem = () => {
    sorted ??= new Map([...bySystemInInputOrder].map(([slug, list]) => [slug, [...list].sort(byStartThenId)]));
    return sorted;
  };
  const index = { byId, bySystem, bySystemInInputOrder, byRecurrenceOf };
  indexCache.set(incidents, index);
  return index;
}

/** First position in a start-ordered list whose start is >= `time`. */
function lowerBound(list: readonly IncidentRow[], time: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].startedAt.getTime() < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Incidents sharing a system with `incident` that started within [fromMs, toMs] (may repeat one that shares several). */
function sharingSystem(incident: IncidentRow, index: IncidentIndex, fromMs: number, toMs: number): IncidentRow[] {
  const out: IncidentRow[] = [];
  for (const slug of new Set(incident.systems)) {
    const list = index.bySystem().get(slug);
    if (!list) continue;
    for (let k = lowerBound(list, fromMs); k < list.length && list[k].startedAt.getTime() <= toMs; k++) out.push(list[k]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// 5. Availability
// ---------------------------------------------------------------------------------------------

/** One merged stretch of customer-impacting downtime, clipped to the period. */
export interface DowntimeInterval {
  from: Date;
  to: Date;
  minutes: number;
  /** Incidents whose downtime makes up this stretch. */
  incidents: string[];
}

export interface AvailabilityResult extends Ratio {
  /** System slug. */
  system: string;
  /** 1 - downtime / |P| as a fraction: numerator = up minutes, denominator = period minutes. Null for an empty period. */
  value: number | null;
  /** SLA availability target (fraction). */
  target: number;
  /** value >= target; null when value is null. */
  meetsTarget: boolean | null;
  periodMinutes: number;
  downtimeMinutes: number;
  /** (1 - target) * |P|, minutes. */
  errorBudgetMinutes: number;
  /** (1 - target) * |P| - downtime, minutes; negative when the budget is overspent. */
  errorBudgetMinutesLeft: number;
  /** Ids of the incidents that contributed downtime within P. */
  incidents: string[];
  downtime: DowntimeInterval[];
  /** Customer-impacting incidents on this system left out because they end before they start (data error). */
  ignored: Array<{ id: string; reason: "negative_duration" }>;
}

/**
 * Availability of one system over P as of T (shared/domain.md, "Metrics" 5).
 *
 * Downtime of a customer-impacting incident on the system is [startedAt, restore) where restore is
 * the earlier of mitigatedAt and resolvedAt; an incident not restored by T runs to T. Intervals are
 * clipped to [P.from, min(P.to, T)), overlapping ones are merged, then summed.
 * |P| is the whole period (P.to - P.from), as the domain says, even when P runs past T; pass
 * `to = T` for a period-to-date figure.
 * Non-customer-impacting incidents cause no downtime. Incidents restored before they started are
 * data errors, listed in `ignored`.
 *
 * @throws RangeError when the period ends before it starts.
 */
export function availability(
  system: SystemRow,
  incidents: readonly IncidentRow[],
  period: Period,
  asOf: Date,
): AvailabilityResult {
  assertPeriod(period);
  const lo = period.from.getTime();
  const hi = Math.min(period.to.getTime(), asOf.getTime());
  const raw: Array<{ from: number; to: number; id: string }> = [];
  const ignored: AvailabilityResult["ignored"] = [];

  for (const incident of incidents) {
    if (!incident.customerImpact || !incident.systems.includes(system.slug)) continue;
    const start = incident.startedAt.getTime();
    if (start > asOf.getTime()) continue; // not happened yet as of T
    const end = restoredAt(incident, asOf)?.getTime() ?? asOf.getTime();
    if (end < start) {
      ignored.push({ id: incident.id, reason: "negative_duration" });
      continue;
    }
    const from = Math.max(start, lo);
    const to = Math.min(end, hi);
    if (to > from) raw.push({ from, to, id: incident.id });
  }

  raw.sort((a, b) => a.from - b.from || a.to - b.to);
  const merged: Array<{ from: number; to: number; ids: string[] }> = [];
  for (const iv of raw) {
    const last = merged[merged.length - 1];
    if (last && iv.from <= last.to) {
      last.to = Math.max(last.to, iv.to);
      last.ids.push(iv.id);
    } else {
      merged.push({ from: iv.from, to: iv.to, ids: [iv.id] });
    }
  }

  const downtime: DowntimeInterval[] = merged.map((m) => ({
    from: new Date(m.from),
    to: new Date(m.to),
    minutes: (m.to - m.from) / MINUTE_MS,
    incidents: m.ids,
  }));
  const downtimeMinutes = downtime.reduce((sum, d) => sum + d.minutes, 0);
  const periodMinutes = minutesBetween(period.from, period.to);
  const target = system.sla.availability;
  const errorBudgetMinutes = (1 - target) * periodMinutes;
  const numerator = periodMinutes - downtimeMinutes;
  const value = periodMinutes === 0 ? null : numerator / periodMinutes;

  return {
    system: system.slug,
    value,
    numerator,
    denominator: periodMinutes,
    target,
    meetsTarget: value === null ? null : value >= target,
    periodMinutes,
    downtimeMinutes,
    errorBudgetMinutes,
    errorBudgetMinutesLeft: errorBudgetMinutes - downtimeMinutes,
    incidents: downtime.flatMap((d) => d.incidents),
    downtime,
    ignored,
  };
}

export interface AvailabilitySummary extends Ratio {
  /** Share of active systems meeting their availability target (numerator: meeting, denominator: with a value). */
  value: number | null;
  systems: AvailabilityResult[];
  /** Slugs of active systems below their target. */
  belowTarget: string[];
}

/**
 * Availability of many systems (shared/domain.md, "Metrics" 5). Retired systems are skipped
 * ("retired systems never count"); the summary value is the share of the remaining systems that
 * meet their target. Results keep the input order.
 *
 * @throws RangeError when the period ends before it starts.
 */
export function availabilityForSystems(
  systems: readonly SystemRow[],
  incidents: readonly IncidentRow[],
  period: Period,
  asOf: Date,
): AvailabilitySummary {
  assertPeriod(period);
  // Each system only looks at its own incidents (the same result as passing all of them, without
  // the systems x incidents scan: 2,000 systems x 50,000 incidents in the benchmark).
  const own = indexOf(incidents).bySystemInInputOrder;
  const results = systems
    .filter((s) => s.lifecycle === "active")
    .map((s) => availability(s, own.get(s.slug) ?? [], period, asOf));
  const measured = results.filter((r) => r.meetsTarget !== null);
  const meeting = measured.filter((r) => r.meetsTarget === true).length;
  return {
    ...ratio(meeting, measured.length),
    systems: results,
    belowTarget: measured.filter((r) => r.meetsTarget === false).map((r) => r.system),
  };
}

// ---------------------------------------------------------------------------------------------
// 6. Time to detect / acknowledge / restore
// ---------------------------------------------------------------------------------------------

export type DurationIncompleteReason =
  | "missing_detected_at"
  | "missing_acknowledged_at"
  | "not_restored"
  | "negative_duration";

/** Mean and median of one duration over one group of incidents. */
export interface DurationStats {
  /** totalMinutes / count; null when count is 0. */
  meanMinutes: number | null;
  /** Middle value; mean of the two middle values for an even count; null when count is 0. */
  medianMinutes: number | null;
  /** Sum of the measured durations (the mean's numerator). */
  totalMinutes: number;
  /** Incidents measured (the mean's denominator). */
  count: number;
  /** Incidents left out because a needed timestamp is missing (or not yet reached as of T) or out of order. */
  incomplete: number;
  /** Measured incidents with their duration, in start order. */
  incidents: Array<{ id: string; minutes: number }>;
  incompleteIncidents: Array<{ id: string; reason: DurationIncompleteReason }>;
}

export interface DurationMetric {
  bySeverity: Record<Severity, DurationStats>;
  /** All severities together. */
  all: DurationStats;
}

type Measure = { minutes: number } | { reason: DurationIncompleteReason };

function median(sorted: number[]): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function stats(items: Array<{ id: string } & Measure>): DurationStats {
  const measured: Array<{ id: string; minutes: number }> = [];
  const incompleteIncidents: DurationStats["incompleteIncidents"] = [];
  for (const item of items) {
    if ("minutes" in item) measured.push({ id: item.id, minutes: item.minutes });
    else incompleteIncidents.push({ id: item.id, reason: item.reason });
  }
  const totalMinutes = measured.reduce((sum, m) => sum + m.minutes, 0);
  const count = measured.length;
  return {
    meanMinutes: count === 0 ? null : totalMinutes / count,
    medianMinutes: median(measured.map((m) => m.minutes).sort((a, b) => a - b)),
    totalMinutes,
    count,
    incomplete: incompleteIncidents.length,
    incidents: measured,
    incompleteIncidents,
  };
}

function durationMetric(
  incidents: readonly IncidentRow[],
  period: Period,
  asOf: Date,
  measure: (incident: IncidentRow) => Measure,
): DurationMetric {
  assertPeriod(period);
  const inPeriod = incidents.filter((i) => startedIn(i, period, asOf)).sort(byStartThenId);
  const rows = inPeriod.map((i) => ({ id: i.id, severity: i.severity, ...measure(i) }));
  const bySeverity = Object.fromEntries(
    SEVERITIES.map((sev) => [sev, stats(rows.filter((r) => r.severity === sev))]),
  ) as Record<Severity, DurationStats>;
  return { bySeverity, all: stats(rows) };
}

function span(from: Date | null, to: Date | null, missing: DurationIncompleteReason): Measure {
  if (!from || !to) return { reason: missing };
  const minutes = minutesBetween(from, to);
  return minutes < 0 ? { reason: "negative_duration" } : { minutes };
}

/**
 * MTTD: detectedAt - startedAt, mean and median in minutes, per severity, over incidents that started
 * in P (shared/domain.md, "Metrics" 6). Incidents without detectedAt (or detected after T) are
 * counted as incomplete, not as zero. A negative duration (detected before started) is a data error:
 * left out and counted as incomplete with reason "negative_duration".
 *
 * @throws RangeError when the period ends before it starts.
 */
export function timeToDetect(incidents: readonly IncidentRow[], period: Period, asOf: Date): DurationMetric {
  return durationMetric(incidents, period, asOf, (i) =>
    span(i.startedAt, known(i.detectedAt, asOf), "missing_detected_at"),
  );
}

/**
 * MTTA: acknowledgedAt - detectedAt, mean and median in minutes, per severity, over incidents that
 * started in P (shared/domain.md, "Metrics" 6). Both timestamps are needed: without detectedAt the
 * incident is incomplete ("missing_detected_at"), without acknowledgedAt "missing_acknowledged_at";
 * a negative duration is a data error counted as incomplete.
 *
 * @throws RangeError when the period ends before it starts.
 */
export function timeToAcknowledge(incidents: readonly IncidentRow[], period: Period, asOf: Date): DurationMetric {
  return durationMetric(incidents, period, asOf, (i) => {
    const detected = known(i.detectedAt, asOf);
    if (!detected) return { reason: "missing_detected_at" };
    return span(detected, known(i.acknowledgedAt, asOf), "missing_acknowledged_at");
  });
}

/**
 * MTTR: restore - startedAt, where restore is the earlier of mitigatedAt and resolvedAt; mean and
 * median in minutes, per severity, over incidents that started in P (shared/domain.md, "Metrics" 6).
 * Incidents not restored by T are incomplete ("not_restored"); negative durations are data errors
 * counted as incomplete.
 *
 * @throws RangeError when the period ends before it starts.
 */
export function timeToRestore(incidents: readonly IncidentRow[], period: Period, asOf: Date): DurationMetric {
  return durationMetric(incidents, period, asOf, (i) => span(i.startedAt, restoredAt(i, asOf), "not_restored"));
}

// ---------------------------------------------------------------------------------------------
// 6. Response within SLA
// ---------------------------------------------------------------------------------------------

export interface ResponseItem {
  id: string;
  severity: Severity;
  /** Strictest response target for the severity among the affected systems, minutes. */
  targetMinutes: number;
  /** Minutes from detection (or start) to acknowledgement; for an unacknowledged incident, to T. */
  minutes: number;
  acknowledged: boolean;
}

export type ResponseIncompleteReason = "no_sla" | "missing_acknowledged_at" | "negative_duration";

export interface ResponseWithinSlaResult extends Ratio {
  /** within / (within + breached). */
  value: number | null;
  within: ResponseItem[];
  /** Acknowledged too late, or still unacknowledged past the target at T. */
  breached: ResponseItem[];
  /** Open and unacknowledged at T but still inside the target: undecided, out of the denominator. */
  pending: ResponseItem[];
  /** Out of the denominator: no known affected system, resolved without an acknowledgement, or out-of-order timestamps. */
  incomplete: Array<{ id: string; reason: ResponseIncompleteReason }>;
}

/**
 * Response within SLA (shared/domain.md, "Metrics" 6): share of incidents that started in P whose
 * acknowledgement came within the response target for their severity, the target being the
 * strictest (smallest) among the affected systems passed in.
 *
 * Decisions:
 * - The response clock starts at detectedAt (the same origin as MTTA), or at startedAt when
 *   detectedAt is missing (the longer, conservative reading). "Within" is inclusive (<= target).
 * - No acknowledgedAt by T and the incident is not resolved by T: a breach once T - clock start
 *   exceeds the target (an open page nobody answered is a failure, not missing data); before that
 *   it is pending and out of the denominator.
 * - No acknowledgedAt but resolved by T: we cannot tell when the response came, so it is incomplete
 *   and out of the denominator, listed for data repair.
 * - Acknowledged before the clock start (out-of-order timestamps): incomplete, "negative_duration".
 * - None of the affected systems is known: incomplete, "no_sla".
 *
 * @throws RangeError when the period ends before it starts.
 */
export function responseWithinSla(
  incidents: readonly IncidentRow[],
  systems: readonly SystemRow[],
  period: Period,
  asOf: Date,
): ResponseWithinSlaResult {
  assertPeriod(period);
  const bySlug = systemIndex(systems);
  const within: ResponseItem[] = [];
  const breached: ResponseItem[] = [];
  const pending: ResponseItem[] = [];
  const incomplete: ResponseWithinSlaResult["incomplete"] = [];

  for (const incident of incidents.filter((i) => startedIn(i, period, asOf)).sort(byStartThenId)) {
    const target = strictest(incident, bySlug, (s) => s.sla.responseMinutes[incident.severity]);
    if (target === null) {
      incomplete.push({ id: incident.id, reason: "no_sla" });
      continue;
    }
    const clockStart = known(incident.detectedAt, asOf) ?? incident.startedAt;
    const acknowledged = known(incident.acknowledgedAt, asOf);
    const base = { id: incident.id, severity: incident.severity, targetMinutes: target };
    if (acknowledged) {
      const minutes = minutesBetween(clockStart, acknowledged);
      if (minutes < 0) incomplete.push({ id: incident.id, reason: "negative_duration" });
      else (minutes <= target ? within : breached).push({ ...base, minutes, acknowledged: true });
      continue;
    }
    if (known(incident.resolvedAt, asOf)) {
      incomplete.push({ id: incident.id, reason: "missing_acknowledged_at" });
      continue;
    }
    const minutes = minutesBetween(clockStart, asOf);
    (minutes > target ? breached : pending).push({ ...base, minutes, acknowledged: false });
  }

  return { ...ratio(within.length, within.length + breached.length), within, breached, pending, incomplete };
}

// ---------------------------------------------------------------------------------------------
// 7. Recurrence
// ---------------------------------------------------------------------------------------------

export interface RecurrenceMatch {
  reason: "explicit_link" | "shared_system_and_category";
  /** The earlier incident this one recurs of. */
  earlierIncident: string;
  /** Affected systems the two share (may be empty for an explicit link, or when the earlier incident is not among the rows). */
  sharedSystems: string[];
  /** The shared root-cause category, for an implicit match; null for an explicit link. */
  rootCauseCategory: RootCauseCategory | null;
}

/**
 * Whether `later` recurs of `earlier` (shared/domain.md, "Metrics" 7): `earlier` started strictly
 * before `later` and either `later.recurrenceOf` names it, or it started at most 90 days before,
 * shares an affected system and has the same root-cause category.
 * Decision: category "unknown" never matches implicitly — two incidents whose cause nobody has
 * found yet are not evidence of the same cause (an explicit link still counts).
 */
export function isRecurrenceOf(later: IncidentRow, earlier: IncidentRow): RecurrenceMatch | null {
  if (later.id === earlier.id) return null;
  const gap = later.startedAt.getTime() - earlier.startedAt.getTime();
  if (gap <= 0) return null;
  const sharedSystems = later.systems.filter((s) => earlier.systems.includes(s));
  if (later.recurrenceOf === earlier.id) {
    return { reason: "explicit_link", earlierIncident: earlier.id, sharedSystems, rootCauseCategory: null };
  }
  if (
    gap <= RECURRENCE_WINDOW_DAYS * DAY_MS &&
    later.rootCauseCategory === earlier.rootCauseCategory &&
    later.rootCauseCategory !== "unknown" &&
    sharedSystems.length > 0
  ) {
    return {
      reason: "shared_system_and_category",
      earlierIncident: earlier.id,
      sharedSystems,
      rootCauseCategory: later.rootCauseCategory,
    };
  }
  return null;
}

/**
 * Why `incident` recurs, looking at `history` (any incidents, in any order), or null.
 * An explicit link wins; a link to an id not among `history` is trusted (the earlier incident may
 * simply not be loaded); a link to an incident that did not start earlier is ignored as a data
 * error. Otherwise the most recent earlier incident that matches on system and category is named.
 */
export function findRecurrence(incident: IncidentRow, history: readonly IncidentRow[]): RecurrenceMatch | null {
  const link = incident.recurrenceOf;
  if (link !== null && link !== incident.id) {
    const linked = history.find((h) => h.id === link);
    if (!linked) return { reason: "explicit_link", earlierIncident: link, sharedSystems: [], rootCauseCategory: null };
    const match = isRecurrenceOf(incident, linked);
    if (match?.reason === "explicit_link") return match;
  }
  let best: { match: RecurrenceMatch; earlier: IncidentRow } | null = null;
  for (const earlier of history) {
    const match = isRecurrenceOf(incident, earlier);
    if (match?.reason !== "shared_system_and_category") continue;
    if (!best || byStartThenId(earlier, best.earlier) > 0) best = { match, earlier };
  }
  return best?.match ?? null;
}

/**
 * {@link findRecurrence} over the incidents of `index` that started by T (the history
 * {@link recurrenceRate} uses), looking only at the linked incident and at incidents sharing a
 * system in the 90 days before: the same answer, without scanning every row.
 */
function findRecurrenceIndexed(incident: IncidentRow, index: IncidentIndex, asOf: Date): RecurrenceMatch | null {
  const t = asOf.getTime();
  const link = incident.recurrenceOf;
  if (link !== null && link !== incident.id) {
    const found = index.byId.get(link);
    const linked = found && found.startedAt.getTime() <= t ? found : undefined;
    if (!linked) return { reason: "explicit_link", earlierIncident: link, sharedSystems: [], rootCauseCategory: null };
    const match = isRecurrenceOf(incident, linked);
    if (match?.reason === "explicit_link") return match;
  }
  const start = incident.startedAt.getTime();
  const candidates = sharingSystem(incident, index, start - RECURRENCE_WINDOW_DAYS * DAY_MS, Math.min(start, t));
  return findRecurrence({ ...incident, recurrenceOf: null }, candidates);
}

export interface RecurrenceRateResult extends Ratio {
  /** Recurring incidents / incidents that started in P. */
  value: number | null;
  /** Ids of the incidents that started in P (the denominator), in start order. */
  incidents: string[];
  /** The recurring ones (the numerator), each with the reason and the earlier incident. */
  recurring: Array<{ id: string } & RecurrenceMatch>;
}

/**
 * Recurrence rate 事故复发率 (shared/domain.md, "Metrics" 7): incidents that started in P and recur,
 * divided by incidents that started in P, as of T. The earlier incident may start before P, so pass
 * at least 90 days of history before P.from. See {@link isRecurrenceOf} and {@link findRecurrence}.
 *
 * @throws RangeError when the period ends before it starts.
 */
export function recurrenceRate(incidents: readonly IncidentRow[], period: Period, asOf: Date): RecurrenceRateResult {
  assertPeriod(period);
  const index = indexOf(incidents);
  const inPeriod = incidents.filter((i) => startedIn(i, period, asOf)).sort(byStartThenId);
  const recurring: RecurrenceRateResult["recurring"] = [];
  for (const incident of inPeriod) {
    const match = findRecurrenceIndexed(incident, index, asOf);
    if (match) recurring.push({ id: incident.id, ...match });
  }
  return { ...ratio(recurring.length, inPeriod.length), incidents: inPeriod.map((i) => i.id), recurring };
}

// ---------------------------------------------------------------------------------------------
// 8. Corrective-action closure
// ---------------------------------------------------------------------------------------------

export interface ActionItem {
  id: string;
  title: string;
  owner: string | null;
  dueDate: Date;
  /** Closing time as known at T; null when not closed by T. */
  closedAt: Date | null;
  source: CorrectiveActionRow["source"];
}

export interface ActionClosureResult extends Ratio {
  /** Closed (done) on or before the due date / actions due in P. */
  value: number | null;
  /** Numerator: done on or before the due date. */
  onTime: ActionItem[];
  /** In the denominator but not on time: done after the due date, or not done when the due date ended. */
  late: ActionItem[];
  /** Due in P but `wont_do`: out of the denominator. */
  wontDo: string[];
  /** Due in P but the due day has not ended by T: undecided, out of the denominator. */
  notYetDue: string[];
  /** `done` without closedAt: cannot tell whether on time; out of the denominator, listed for repair. */
  incomplete: Array<{ id: string; reason: "missing_closed_at" }>;
  /** Every action (due in P or not) still open at T after its due day ended, oldest due date first. */
  overdue: ActionItem[];
}

type ActionState = "open" | "done" | "wont_do" | "done_without_closed_at";

/** Status as it stood at T: a row closed after T was still open then. */
function actionStateAsOf(action: CorrectiveActionRow, asOf: Date): ActionState {
  const closedLater = action.closedAt !== null && action.closedAt.getTime() > asOf.getTime();
  if (action.status === "done") {
    if (action.closedAt === null) return "done_without_closed_at";
    return closedLater ? "open" : "done";
  }
  if (action.status === "wont_do") return closedLater ? "open" : "wont_do";
  return "open";
}

/**
 * Corrective-action closure (shared/domain.md, "Metrics" 8): actions with a due date in P that were
 * closed (`done`) on or before their due date, divided by actions with a due date in P; `wont_do`
 * leaves the denominator. Open actions past their due date are listed as overdue, oldest first.
 *
 * Decisions:
 * - `dueDate` is the start of the due day; "on or before the due date" means closedAt < dueDate + 24 h,
 *   and an action becomes overdue once T >= dueDate + 24 h.
 * - As of T: an action closed after T was open at T; an action whose due day has not ended by T is
 *   `notYetDue` and out of the denominator (its outcome is not known yet), done or not.
 * - Overdue lists every action open at T past its due day, whether or not its due date is in P
 *   (an action due before P and still open matters most). `in_progress` counts as open.
 * - Actions without a due date never enter the denominator and are never overdue.
 *
 * @throws RangeError when the period ends before it starts.
 */
export function actionClosure(actions: readonly CorrectiveActionRow[], period: Period, asOf: Date): ActionClosureResult {
  assertPeriod(period);
  const t = asOf.getTime();
  const onTime: ActionItem[] = [];
  const late: ActionItem[] = [];
  const wontDo: string[] = [];
  const notYetDue: string[] = [];
  const incomplete: ActionClosureResult["incomplete"] = [];
  const overdue: ActionItem[] = [];

  const sorted = actions
    .filter((a): a is CorrectiveActionRow & { dueDate: Date } => a.dueDate !== null)
    .sort((a, b) => a.dueDate.getTime() - b.dueDate.getTime() || compareIds(a.id, b.id));

  for (const action of sorted) {
    const state = actionStateAsOf(action, asOf);
    const dueEnd = action.dueDate.getTime() + DAY_MS;
    const item: ActionItem = {
      id: action.id,
      title: action.title,
      owner: action.owner,
      dueDate: action.dueDate,
      closedAt: state === "done" || state === "wont_do" ? action.closedAt : null,
      source: action.source,
    };
    if (state === "open" && dueEnd <= t) overdue.push(item);

    const due = action.dueDate.getTime();
    if (due < period.from.getTime() || due >= period.to.getTime()) continue;
    // A closed action's outcome is known as soon as it is closed; an open one counts only once its
    // due day has ended (before that it is pending, neither on time nor late).
    if (state === "wont_do") wontDo.push(action.id);
    else if (state === "done_without_closed_at") incomplete.push({ id: action.id, reason: "missing_closed_at" });
    else if (state === "done" && action.closedAt !== null) (action.closedAt.getTime() < dueEnd ? onTime : late).push(item);
    else if (dueEnd > t) notYetDue.push(action.id);
    else late.push(item);
  }

  return { ...ratio(onTime.length, onTime.length + late.length), onTime, late, wontDo, notYetDue, incomplete, overdue };
}

// ---------------------------------------------------------------------------------------------
// 9. Resolution effectiveness
// ---------------------------------------------------------------------------------------------

export interface ResolutionItem {
  id: string;
  /** Restore - start in minutes (earlier of mitigatedAt/resolvedAt); null when not restored by T. */
  restoreMinutes: number | null;
  /** Strictest RTO among the affected systems, minutes; null when no affected system is known. */
  rtoMinutes: number | null;
  /** Later incidents (started by T) that recur of this one within the 30-day window. */
  recurredBy: string[];
}

export type ResolutionShortfallReason = "restored_over_rto" | "unrestored_over_rto" | "recurred";

export interface ResolutionEffectivenessResult extends Ratio {
  /** effective / (effective + shortfall). */
  value: number | null;
  /** Numerator. `provisional`: the 30-day recurrence window was still open at T. */
  effective: Array<ResolutionItem & { provisional: boolean }>;
  shortfall: Array<ResolutionItem & { reasons: ResolutionShortfallReason[] }>;
  /** Not restored by T but still inside its RTO, and no recurrence yet: undecided, out of the denominator. */
  pending: ResolutionItem[];
  /** Out of the denominator: no known affected system, or restored before it started (data error). */
  incomplete: Array<{ id: string; reason: "no_sla" | "negative_duration" }>;
}

/**
 * Resolution effectiveness 事故排除有效性 (shared/domain.md, "Metrics" 9): incidents in P restored
 * within the RTO of their strictest affected system and not followed by a recurrence within 30 days,
 * divided by incidents in P.
 *
 * Decisions:
 * - "Incidents in P" = started in P (as for Metrics 6 and 7).
 * - Restored = earlier of mitigatedAt/resolvedAt (as for MTTR); within RTO is inclusive (<= RTO).
 * - Not restored by T: a shortfall ("unrestored_over_rto") once T - start exceeds the RTO; before
 *   that it is pending and out of the denominator.
 * - "Followed by a recurrence within 30 days" = a later incident that recurs of it
 *   ({@link isRecurrenceOf}: explicit link to it, or shared system + category within 90 days) and
 *   starts no later than 30 days after its *resolution* (resolvedAt; the fix is what has to hold),
 *   including recurrences while it was still unresolved. Only incidents started by T are seen, so
 *   while the window is open at T the incident is counted as effective but flagged `provisional`
 *   (otherwise a month computed as of its last day could never count any of its incidents).
 * - A recurrence is a shortfall even when the RTO outcome is pending or unknown.
 * - No known affected system: incomplete "no_sla"; restore before start: incomplete "negative_duration".
 *
 * @throws RangeError when the period ends before it starts.
 */
export function resolutionEffectiveness(
  incidents: readonly IncidentRow[],
  systems: readonly SystemRow[],
  period: Period,
  asOf: Date,
): ResolutionEffectivenessResult {
  assertPeriod(period);
  const t = asOf.getTime();
  const bySlug = systemIndex(systems);
  const index = indexOf(incidents);
  const effective: ResolutionEffectivenessResult["effective"] = [];
  const shortfall: ResolutionEffectivenessResult["shortfall"] = [];
  const pending: ResolutionItem[] = [];
  const incomplete: ResolutionEffectivenessResult["incomplete"] = [];

  for (const incident of incidents.filter((i) => startedIn(i, period, asOf)).sort(byStartThenId)) {
    const rto = strictest(incident, bySlug, (s) => s.sla.rtoMinutes);
    const restored = restoredAt(incident, asOf);
    const restoreMinutes = restored ? minutesBetween(incident.startedAt, restored) : null;
    const resolved = known(incident.resolvedAt, asOf);
    const windowEnd = resolved ? resolved.getTime() + RESOLUTION_RECURRENCE_DAYS * DAY_MS : Infinity;
    const start = incident.startedAt.getTime();
    const candidates = new Set([
      ...sharingSystem(incident, index, start, start + RECURRENCE_WINDOW_DAYS * DAY_MS),
      ...(index.byRecurrenceOf.get(incident.id) ?? []),
    ]);
    const recurredBy = [...candidates]
      .filter((later) => later.startedAt.getTime() <= t && later.startedAt.getTime() <= windowEnd && isRecurrenceOf(later, incident) !== null)
      .sort(byStartThenId)
      .map((later) => later.id);
    const item: ResolutionItem = { id: incident.id, restoreMinutes, rtoMinutes: rto, recurredBy };

    const reasons: ResolutionShortfallReason[] = [];
    let rtoOutcome: "within" | "pending" | "no_sla" | "negative_duration" | null = null;
    if (restoreMinutes !== null && restoreMinutes < 0) rtoOutcome = "negative_duration";
    else if (rto === null) rtoOutcome = "no_sla";
    else if (restoreMinutes !== null) {
      if (restoreMinutes <= rto) rtoOutcome = "within";
      else reasons.push("restored_over_rto");
    } else if (minutesBetween(incident.startedAt, asOf) > rto) reasons.push("unrestored_over_rto");
    else rtoOutcome = "pending";
    if (recurredBy.length > 0) reasons.push("recurred");

    if (reasons.length > 0) shortfall.push({ ...item, reasons });
    else if (rtoOutcome === "within") effective.push({ ...item, provisional: windowEnd > t });
    else if (rtoOutcome === "pending") pending.push(item);
    else incomplete.push({ id: incident.id, reason: rtoOutcome === "no_sla" ? "no_sla" : "negative_duration" });
  }

  return {
    ...ratio(effective.length, effective.length + shortfall.length),
    effective,
    shortfall,
    pending,
    incomplete,
  };
}

// ---------------------------------------------------------------------------------------------
// Trend views
// ---------------------------------------------------------------------------------------------

export interface TrendPoint<R> {
  /** Calendar month "YYYY-MM" in the trend's time zone. */
  month: string;
  period: Period;
  /** The instant the month was computed as of: the end of its last day (= period.to). */
  asOf: Date;
  result: R;
}

export interface MonthlyTrendOptions {
  /** How many months; default 12. */
  months?: number;
  /** IANA zone whose calendar months are used, e.g. "Asia/Shanghai"; default "UTC". */
  timeZone?: string;
  /** Also add the month containing T, computed month-to-date: period [month start, T), as of T. Default false. */
  includeCurrentMonth?: boolean;
}

/** One formatter per zone: building an Intl.DateTimeFormat costs far more than using one (a trend asks ~50 times). */
const zoneFormatters = new Map<string, Intl.DateTimeFormat>();

function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  let format = zoneFormatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    if (zoneFormatters.size < 1_000) zoneFormatters.set(timeZone, format);
  }
  return format;
}

function zonedParts(instant: Date, timeZone: string): { year: number; month: number; offsetMs: number } {
  const parts = zoneFormatter(timeZone).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  const whole = instant.getTime() - instant.getUTCMilliseconds();
  return { year: get("year"), month: get("month") - 1, offsetMs: wall - whole };
}

/** The instant a calendar month starts (local midnight on the 1st) in a time zone; month may be out of 0..11. */
function monthStart(year: number, month: number, timeZone: string): Date {
  const wall = Date.UTC(year, month, 1);
  let t = wall - zonedParts(new Date(wall), timeZone).offsetMs;
  t = wall - zonedParts(new Date(t), timeZone).offsetMs;
  return new Date(t);
}

function monthLabel(year: number, month: number): string {
  const d = new Date(Date.UTC(year, month, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

/**
 * A metric per calendar month (shared/domain.md, "Trend views"): the `months` complete calendar
 * months before the month containing T, oldest first, each computed over [month start, next month
 * start) as of the end of its last day (the next month's start). With `includeCurrentMonth`, the
 * month containing T follows, computed over [month start, T) as of T (skipped when T is exactly a
 * month start). Months follow `timeZone` (default UTC), DST included.
 *
 * Example: `monthlyTrend((p, t) => recurrenceRate(incidents, p, t), now)`.
 *
 * Computing as of the month end is the domain's rule and keeps old months as they were seen then;
 * a consequence is that an incident still open at its month's end stays "incomplete" for MTTR (and
 * an unanswered page still inside its target stays "pending") in that month's point. A metric that
 * should show final figures can ignore the second argument: `monthlyTrend((p) => timeToRestore(rows, p, now), now)`.
 *
 * @throws RangeError when `months` is not a positive integer or `timeZone` is not a valid IANA zone.
 */
export function monthlyTrend<R>(
  metric: (period: Period, asOf: Date) => R,
  asOf: Date,
  options: MonthlyTrendOptions = {},
): Array<TrendPoint<R>> {
  const { months = 12, timeZone = "UTC", includeCurrentMonth = false } = options;
  if (!Number.isInteger(months) || months < 1) {
    throw new RangeError(`months must be a positive integer (got ${months}); the trend view uses 12.`);
  }
  const current = zonedParts(asOf, timeZone);
  const points: Array<TrendPoint<R>> = [];
  for (let k = months; k >= 1; k--) {
    const m = current.month - k;
    const period = { from: monthStart(current.year, m, timeZone), to: monthStart(current.year, m + 1, timeZone) };
    points.push({ month: monthLabel(current.year, m), period, asOf: period.to, result: metric(period, period.to) });
  }
  const currentStart = monthStart(current.year, current.month, timeZone);
  if (includeCurrentMonth && asOf.getTime() > currentStart.getTime()) {
    const period = { from: currentStart, to: asOf };
    points.push({ month: monthLabel(current.year, current.month), period, asOf, result: metric(period, asOf) });
  }
  return points;
}
