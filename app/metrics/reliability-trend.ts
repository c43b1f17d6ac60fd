/**
 * The figures of the reliability trend (shared/domain.md, "Trend views" over "Metrics" 5-9),
 * computed without item lists: one value per metric and month, exactly what the pure functions of
 * ./reliability.ts give for the same rows, period and as-of instant (reliability-trend.test.ts
 * compares both on random histories).
 *
 * Why a second path: the trend asks 12 months x 8 metrics of 40,000+ incidents and 100,000
 * actions, and the item lists (one object per incident per metric per month) were most of the
 * page's time (scripts/bench-reliability.ts). Here every fact that does not depend on the month
 * is worked out once per report (timestamps as numbers, strictest RTO and response target, whether
 * an incident recurs of an earlier one, when the first recurrence of it started), and each month
 * only walks its own incidents and actions with binary searches.
 *
 * Pure logic: no database, no clock.
 */
import {
  DAY_MS,
  MINUTE_MS,
  RECURRENCE_WINDOW_DAYS,
  RESOLUTION_RECURRENCE_DAYS,
  strictest,
  type CorrectiveActionRow,
  type IncidentRow,
  type Period,
  type SystemRow,
} from "./reliability";

/** One month (or any period) of the trend: values only. Minutes are fractional; shares are fractions; null = empty denominator. */
export interface TrendFigures {
  /** Share of active systems in scope meeting their availability target (availabilityForSystems(...).value). */
  availabilityMet: number | null;
  /** Sum of the merged downtime of the active systems in scope, minutes. */
  downtimeMinutes: number;
  /** Mean MTTD / MTTA / MTTR and median MTTR over the incidents in scope (timeToDetect/...(...).all). */
  mttdMinutes: number | null;
  mttaMinutes: number | null;
  mttrMinutes: number | null;
  mttrMedianMinutes: number | null;
  /** Incidents in scope that started in P by T (measured + incomplete). */
  incidents: number;
  responseWithinSla: number | null;
  /** recurrenceRate over every incident, kept to the incidents in scope. */
  recurrenceRate: number | null;
  actionClosure: number | null;
  /** resolutionEffectiveness over every incident, kept to the incidents in scope (effective / (effective + shortfall)). */
  resolutionEffectiveness: number | null;
}

export interface TrendInput {
  /** Every incident read: recurrences may go through incidents outside the scope. Ids must be unique. */
  incidents: readonly IncidentRow[];
  /** Ids of the incidents in scope (e.g. from incidentsInScope); the figures count only these. */
  scoped: ReadonlySet<string>;
  /** Every system (retired too): SLA look-ups (strictest RTO, response target). */
  systems: readonly SystemRow[];
  /** The systems in scope for availability (retired ones are skipped, as availabilityForSystems does). */
  scopeSystems: readonly SystemRow[];
  /** Corrective actions in scope. */
  actions: readonly CorrectiveActionRow[];
}

/** An incident's numbers (epoch ms; NaN for a missing timestamp). */
interface Facts {
  id: string;
  start: number;
  detected: number;
  acknowledged: number;
  mitigated: number;
  resolved: number;
  rto: number | null;
  responseTarget: number | null;
  /** Recurs of an earlier loaded incident on system + category (Metrics 7, implicit; independent of T). */
  implicitRecurrence: boolean;
  /** Start of the loaded incident that explicitly links to this one's link target, see {@link explicitRecurs}. */
  linkTargetStart: number | null;
  link: string | null;
  /** Earliest start of a loaded incident that recurs of this one (isRecurrenceOf(later, this) != null); Infinity if none. */
  firstRecurrence: number;
}

const known = (at: number, t: number) => (at <= t ? at : NaN); // NaN compares false: "not known"
const restored = (f: Facts, t: number) => {
  const m = known(f.mitigated, t);
  const r = known(f.resolved, t);
  if (m === m && r === r) return m <= r ? m : r;
  return m === m ? m : r;
};

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** First position in ascending `keys` whose value is >= `value` (binary search). */
export function lowerBound(keys: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * `rows` ordered by a numeric key (ties: `tie`, then input order), as a new array; the key is read
 * once per row and rows that already come in order (the loader reads them so) are not re-sorted.
 * Same order as a stable `[...rows].sort((a, b) => key(a) - key(b) || tie(a, b))`.
 */
export function orderedBy<T>(rows: readonly T[], key: (row: T) => number, tie?: (a: T, b: T) => number): T[] {
  const n = rows.length;
  const keys = new Float64Array(n);
  for (let k = 0; k < n; k++) keys[k] = key(rows[k]);
  let sorted = true;
  for (let k = 1; k < n && sorted; k++) {
    const d = keys[k - 1] - keys[k];
    if (d > 0 || (d === 0 && tie !== undefined && tie(rows[k - 1], rows[k]) > 0)) sorted = false;
  }
  if (sorted) return rows.slice();
  const order = Array.from({ length: n }, (_, k) => k);
  order.sort((a, b) => keys[a] - keys[b] || (tie ? tie(rows[a], rows[b]) : 0) || a - b);
  return order.map((k) => rows[k]);
}


const ms = (d: Date | null) => (d === null ? NaN : d.getTime());

function median(sorted: Float64Array): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Prepares the month-independent facts of `input` once and returns a function computing the
 * trend figures of one period P as of T, equal to what the pure functions give (see the module
 * comment and {@link TrendFigures} for which function each figure mirrors):
 * availabilityForSystems (Metrics 5), timeToDetect/timeToAcknowledge/timeToRestore and
 * responseWithinSla (Metrics 6), recurrenceRate (7), actionClosure (8), resolutionEffectiveness (9).
 * Use with monthlyTrend: `monthlyTrend(trendCalculator(input), asOf)`.
 *
 * The incidents must cover what the pure functions would be given: from 90 days before the first
 * period (recurrence look-back) to the last T.
 * @throws RangeError when a period ends before it starts (as the pure functions do).
 */
export function trendCalculator(input: TrendInput): (period: Period, asOf: Date) => TrendFigures {
  const bySlug = new Map(input.systems.map((s) => [s.slug, s]));
  // Every incident, in the order the pure functions walk them (start, then id).
  const all = orderedBy(input.incidents, (i) => i.startedAt.getTime(), (a, b) => compareIds(a.id, b.id));
  const facts: Facts[] = all.map((i) => ({
    id: i.id,
    start: i.startedAt.getTime(),
    detected: ms(i.detectedAt),
    acknowledged: ms(i.acknowledgedAt),
    mitigated: ms(i.mitigatedAt),
    resolved: ms(i.resolvedAt),
    rto: strictest(i, bySlug, (s) => s.sla.rtoMinutes),
    responseTarget: strictest(i, bySlug, (s) => s.sla.responseMinutes[i.severity]),
    implicitRecurrence: false,
    linkTargetStart: null,
    link: i.recurrenceOf,
    firstRecurrence: Infinity,
  }));
  const positionById = new Map<string, number>();
  all.forEach((i, k) => {
    if (!positionById.has(i.id)) positionById.set(i.id, k);
  });

  // Recurrence facts (isRecurrenceOf, shared/domain.md "Metrics" 7), walking each system's incidents in start order.
  const bySystem = new Map<string, number[]>();
  all.forEach((i, k) => {
    for (const slug of i.systems.length === 1 ? i.systems : new Set(i.systems)) {
      const list = bySystem.get(slug);
      if (list) list.push(k);
      else bySystem.set(slug, [k]);
    }
  });
  const windowMs = RECURRENCE_WINDOW_DAYS * DAY_MS;
  for (const list of bySystem.values()) {
    for (let b = 0; b < list.length; b++) {
      const later = all[list[b]];
      const laterFacts = facts[list[b]];
      if (later.rootCauseCategory === "unknown") continue;
      for (let a = b - 1; a >= 0; a--) {
        const gap = laterFacts.start - facts[list[a]].start;
        if (gap > windowMs) break;
        if (gap <= 0) continue;
        const earlier = all[list[a]];
        if (earlier.rootCauseCategory !== later.rootCauseCategory || earlier.id === later.id) continue;
        laterFacts.implicitRecurrence = true;
        const e = facts[list[a]];
        if (laterFacts.start < e.firstRecurrence) e.firstRecurrence = laterFacts.start;
      }
    }
  }
  for (let k = 0; k < all.length; k++) {
    const f = facts[k];
    if (f.link === null) continue;
    const target = positionById.get(f.link);
    if (target === undefined) continue;
    const e = facts[target];
    f.linkTargetStart = e.start;
    // isRecurrenceOf(this, target) is an explicit link when the target started strictly earlier.
    if (e.id !== f.id && f.start > e.start && f.start < e.firstRecurrence) e.firstRecurrence = f.start;
  }

  // Scoped incidents (start, id order) and their start keys.
  const scopedFacts = facts.filter((f) => input.scoped.has(f.id));
  const scopedStarts = Float64Array.from(scopedFacts, (f) => f.start);

  // Availability: each active system in scope with its customer-impacting scoped incidents.
  const impactingBySlug = new Map<string, Facts[]>();
  all.forEach((i, k) => {
    if (!i.customerImpact || !input.scoped.has(i.id)) return;
    for (const slug of i.systems.length === 1 ? i.systems : new Set(i.systems)) {
      const list = impactingBySlug.get(slug);
      if (list) list.push(facts[k]);
      else impactingBySlug.set(slug, [facts[k]]);
    }
  });
  const availabilitySystems = input.scopeSystems
    .filter((s) => s.lifecycle === "active")
    .map((s) => ({ target: s.sla.availability, incidents: impactingBySlug.get(s.slug) ?? [] }));

  // Actions with a due date, in due order.
  const actions = orderedBy(
    input.actions.filter((a): a is CorrectiveActionRow & { dueDate: Date } => a.dueDate !== null),
    (a) => a.dueDate.getTime(),
  );
  const dues = Float64Array.from(actions, (a) => a.dueDate.getTime());

  return (period, asOf) => {
    const from = period.from.getTime();
    const to = period.to.getTime();
    if (Number.isNaN(from) || Number.isNaN(to)) throw new RangeError("Period has an invalid date: pass `from` and `to` as valid Date instants.");
    if (to < from) throw new RangeError(`Period ends before it starts (from ${period.from.toISOString()}, to ${period.to.toISOString()}): swap them or pass to >= from.`);
    const t = asOf.getTime();

    // 5. Availability (availability(): clip to [from, min(to, T)), merge, sum).
    const hi = Math.min(to, t);
    const periodMinutes = (to - from) / MINUTE_MS;
    let meeting = 0;
    let measured = 0;
    let downtimeTotal = 0;
    for (const system of availabilitySystems) {
      // The system's incidents come in start order, so the clipped starts do too: merging needs no
      // sort (equal starts merge whatever their order), and nothing after a start >= min(P.to, T) counts.
      let downtime = 0;
      let curFrom = NaN;
      let curTo = NaN;
      for (const f of system.incidents) {
        if (f.start >= hi || f.start > t) break;
        const r = restored(f, t);
        const end = r === r ? r : t;
        if (end < f.start) continue;
        const a = Math.max(f.start, from);
        const b = Math.min(end, hi);
        if (b <= a) continue;
        if (curFrom === curFrom && a <= curTo) curTo = Math.max(curTo, b);
        else {
          if (curFrom === curFrom) downtime += (curTo - curFrom) / MINUTE_MS;
          curFrom = a;
          curTo = b;
        }
      }
      if (curFrom === curFrom) downtime += (curTo - curFrom) / MINUTE_MS;
      downtimeTotal += downtime;
      if (periodMinutes !== 0) {
        measured++;
        if ((periodMinutes - downtime) / periodMinutes >= system.target) meeting++;
      }
    }

    // 6, 7, 9 over the scoped incidents that started in P by T.
    let detectSum = 0;
    let detectCount = 0;
    let ackSum = 0;
    let ackCount = 0;
    let restoreSum = 0;
    const restoreMinutes: number[] = [];
    let count = 0;
    let within = 0;
    let breached = 0;
    let recurring = 0;
    let effective = 0;
    let shortfall = 0;
    const end = lowerBound(scopedStarts, to);
    for (let k = lowerBound(scopedStarts, from); k < end; k++) {
      const f = scopedFacts[k];
      if (f.start > t) continue;
      count++;
      const detected = known(f.detected, t);
      const acknowledged = known(f.acknowledged, t);
      // MTTD
      if (detected === detected) {
        const m = (detected - f.start) / MINUTE_MS;
        if (m >= 0) {
          detectSum += m;
          detectCount++;
        }
        // MTTA
        if (acknowledged === acknowledged) {
          const a = (acknowledged - detected) / MINUTE_MS;
          if (a >= 0) {
            ackSum += a;
            ackCount++;
          }
        }
      }
      // MTTR
      const back = restored(f, t);
      const restoreMin = back === back ? (back - f.start) / MINUTE_MS : null;
      if (restoreMin !== null && restoreMin >= 0) {
        restoreSum += restoreMin;
        restoreMinutes.push(restoreMin);
      }
      // Response within SLA
      if (f.responseTarget !== null) {
        const clockStart = detected === detected ? detected : f.start;
        if (acknowledged === acknowledged) {
          const m = (acknowledged - clockStart) / MINUTE_MS;
          if (m >= 0) {
            if (m <= f.responseTarget) within++;
            else breached++;
          }
        } else if (Number.isNaN(known(f.resolved, t)) && (t - clockStart) / MINUTE_MS > f.responseTarget) {
          breached++; // unanswered past the target; resolved without an acknowledgement is incomplete
        }
      }
      // Recurrence (findRecurrenceIndexed): an explicit link counts unless its target was read,
      // started by T and not earlier than this incident (then only the implicit rule can match).
      const explicit =
        f.link !== null && f.link !== f.id && !(f.linkTargetStart !== null && f.linkTargetStart <= t && f.linkTargetStart >= f.start && f.linkTargetStart >= from - RECURRENCE_WINDOW_DAYS * DAY_MS);
      if (explicit || f.implicitRecurrence) recurring++;
      // Resolution effectiveness
      const resolved = known(f.resolved, t);
      const windowEnd = resolved === resolved ? resolved + RESOLUTION_RECURRENCE_DAYS * DAY_MS : Infinity;
      const recurred = f.firstRecurrence <= t && f.firstRecurrence <= windowEnd;
      if (restoreMin !== null && restoreMin < 0) {
        if (recurred) shortfall++;
      } else if (f.rto === null) {
        if (recurred) shortfall++;
      } else if (restoreMin !== null) {
        if (restoreMin > f.rto || recurred) shortfall++;
        else effective++;
      } else if ((t - f.start) / MINUTE_MS > f.rto || recurred) shortfall++;
    }

    // 8. Corrective-action closure (actionClosure(), due in P, as of T).
    let onTime = 0;
    let late = 0;
    const dueEnd = lowerBound(dues, to);
    for (let k = lowerBound(dues, from); k < dueEnd; k++) {
      const action = actions[k];
      const closed = action.closedAt === null ? NaN : action.closedAt.getTime();
      const closedLater = closed > t;
      const dayEnd = dues[k] + DAY_MS;
      if (action.status === "wont_do" && !closedLater) continue; // out of the denominator
      if (action.status === "done" && closed !== closed) continue; // done without a closing time: incomplete
      if (action.status === "done" && !closedLater) {
        // A closed action counts as soon as it is closed.
        if (closed < dayEnd) onTime++;
        else late++;
      } else if (dayEnd <= t) late++; // open at T past its due day; before that it is not yet due

    }

    const sorted = Float64Array.from(restoreMinutes).sort();
    const share = (n: number, d: number) => (d === 0 ? null : n / d);
    return {
      availabilityMet: share(meeting, measured),
      downtimeMinutes: downtimeTotal,
      mttdMinutes: detectCount === 0 ? null : detectSum / detectCount,
      mttaMinutes: ackCount === 0 ? null : ackSum / ackCount,
      mttrMinutes: restoreMinutes.length === 0 ? null : restoreSum / restoreMinutes.length,
      mttrMedianMinutes: median(sorted),
      incidents: count,
      responseWithinSla: share(within, within + breached),
      recurrenceRate: count === 0 ? null : recurring / count,
      actionClosure: share(onTime, onTime + late),
      resolutionEffectiveness: share(effective, effective + shortfall),
    };
  };
}
