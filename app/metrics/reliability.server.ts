/**
 * Loading what the reliability metrics need (shared/domain.md, "Metrics" 5-9 and "Trend views")
 * and computing every figure with the pure functions of ./reliability.ts. This module only picks
 * rows, columns and windows, and shapes the results for the page, the CSV and the JSON API;
 * no formula lives here.
 *
 * Windows (why more than the period is read):
 * - incidents started from (earliest period start - 90 days) for recurrence (Metrics 7), up to
 *   (period end + 30 days) for resolution effectiveness (Metrics 9), plus any incident started
 *   earlier that was still not restored at the period's start (its downtime falls in P, Metrics 5);
 * - the earliest period start is the trend's first month (12 months before the current one) when
 *   trends are asked for;
 * - corrective actions due within those months, plus every action still open past its due day.
 * Incidents are read for the whole catalog (recurrence may go through a system outside the scope)
 * and the figures are then kept to the incidents in scope (affecting an active system in scope).
 */
import { eq, sql } from "drizzle-orm";
import { rowsOf, type Database } from "../../db/client";
import { slas, systems as systemsTable, teams } from "../../db/schema/catalog";
import { effectiveSla } from "../catalog/sla";
import { cachesPerDatabase, CATALOG_TABLES, memoizedDigest, VersionedCache } from "../lib/data-version.server";
import {
  actionClosure,
  availability,
  availabilityForSystems,
  DAY_MS,
  incidentsInScope,
  monthlyTrend,
  RECURRENCE_WINDOW_DAYS,
  recurrenceRate,
  RESOLUTION_RECURRENCE_DAYS,
  resolutionEffectiveness,
  responseWithinSla,
  SEVERITIES,
  timeToAcknowledge,
  timeToDetect,
  timeToRestore,
  type ActionItem,
  type CorrectiveActionRow,
  type DurationMetric,
  type IncidentRow,
  type Period,
  type Severity,
  type SystemRow,
} from "./reliability";
import { lowerBound, orderedBy, trendCalculator, type TrendFigures } from "./reliability-trend";

/** Which systems count: active ones, optionally of one team, one tier or one system (shared/domain.md "Metrics"). */
export interface ReliabilityScope {
  team?: string | null;
  tier?: number | null;
  system?: string | null;
}

/** A catalog system with its id and owner team, as the reliability loader reads it. */
export interface CatalogSystem extends SystemRow {
  id: number;
  ownerTeamName: string | null;
}

/** An incident with its human number (INC-<number>, linked as /incidents/<number>). */
export interface LoadedIncident extends IncidentRow {
  number: number;
}

/** A corrective action with what its link needs. */
export interface LoadedAction extends CorrectiveActionRow {
  /** INC number when the source is an incident. */
  incidentNumber: number | null;
}

export interface ReliabilityInput {
  systems: CatalogSystem[];
  incidents: LoadedIncident[];
  actions: LoadedAction[];
  /**
   * Corrective-action closure of each trend month counted in SQL ({@link actionClosureCounts}),
   * by month label; when present, `actions` only cover the report's period and the trend takes
   * its closure figures from here.
   */
  trendClosure?: Map<string, ClosureCounts>;
}

/** An incident as referenced next to a figure. */
export interface IncidentRef {
  id: string;
  number: number;
  title: string;
  severity: Severity;
  href: string;
}

/** A corrective action as referenced next to a figure. */
export interface ActionRef {
  id: string;
  title: string;
  owner: string | null;
  /** YYYY-MM-DD. */
  dueDate: string | null;
  closedAt: string | null;
  source: { type: "incident" | "drill" | "inspection"; id: string; label: string; href: string };
}

/** Where a record's page is (incidents by number, drills and inspections by id). */
export function sourceHref(type: "incident" | "drill" | "inspection", idOrNumber: string | number): string {
  return type === "incident" ? `/incidents/${idOrNumber}` : type === "drill" ? `/drills/${idOrNumber}` : `/inspections/${idOrNumber}`;
}

const epoch = (column: string) => sql.raw(`extract(epoch from ${column}) * 1000`);
const toDate = (ms: number | string | null): Date | null => (ms === null ? null : new Date(Number(ms)));
const intArray = (ids: readonly number[]) => `{${ids.join(",")}}`;

/**
 * Every system (active and retired) with its effective SLA (tier defaults + overrides, see
 * app/catalog/sla.ts), owner team and id. Systems whose tier has no SLA defaults are left out
 * (they cannot be measured against a target).
 */
export async function loadCatalogSystems(db: Database): Promise<CatalogSystem[]> {
  const [rows, tiers] = await Promise.all([
    db
      .select({
        id: systemsTable.id,
        slug: systemsTable.slug,
        name: systemsTable.name,
        tier: systemsTable.tier,
        lifecycle: systemsTable.lifecycle,
        overrides: systemsTable.slaOverrides,
        ownerTeam: teams.slug,
        ownerTeamName: teams.name,
      })
      .from(systemsTable)
      .leftJoin(teams, eq(teams.id, systemsTable.ownerTeamId))
      .orderBy(systemsTable.tier, systemsTable.name),
    db.select().from(slas),
  ]);
  const byTier = new Map(tiers.map((t) => [t.tier, t]));
  const out: CatalogSystem[] = [];
  for (const r of rows) {
    const sla = effectiveSla(byTier.get(r.tier), r.overrides);
    if (!sla) continue;
    out.push({ id: r.id, slug: r.slug, name: r.name, tier: r.tier, lifecycle: r.lifecycle, ownerTeam: r.ownerTeam, ownerTeamName: r.ownerTeamName, sla });
  }
  return out;
}

/** The active systems in a scope. */
export function scopeSystems(systems: readonly CatalogSystem[], scope: ReliabilityScope): CatalogSystem[] {
  return systems.filter(
    (s) =>
      s.lifecycle === "active" &&
      (!scope.team || s.ownerTeam === scope.team) &&
      (!scope.tier || s.tier === scope.tier) &&
      (!scope.system || s.slug === scope.system),
  );
}

/**
 * Rows are read as ONE packed text value per query (incidents: JSON arrays of numbers; actions:
 * fields joined by ",", rows by ";") and parsed here: postgres.js spends a few microseconds of protocol parsing per row and field, which at
 * 40,000 incidents and 130,000 actions was most of the page's time budget
 * (scripts/bench-reliability.ts). Only numbers and enum values travel this way; titles, owners and
 * links are read afterwards for the incidents and actions a report actually names
 * ({@link fillReferences}).
 */
/** Epoch milliseconds as text ("" for null); date_part is float8 arithmetic, far cheaper than extract's numeric. */
const ms = (column: string) => `coalesce((date_part('epoch', ${column}) * 1000)::int8::text, '')`;
const num = (field: string): number | null => (field === "" ? null : Number(field));
/** Epoch milliseconds as a JSON number, or null. */
const jsonMs = (column: string) => `coalesce((date_part('epoch', ${column}) * 1000)::int8::text, 'null')`;

function packedOf(result: unknown): string {
  return rowsOf<{ packed: string | null }>(result)[0]?.packed ?? "";
}

/**
 * Incidents with at least one affected system that started in [from, to), plus those that started
 * before `from` and were not restored (mitigated or resolved) by `ongoingAfter` (none when null), with their affected systems
 * as slugs, in start order (ties by number as text: the order the metrics walk them, so nothing
 * is re-sorted). `id` is the incident number as a string (and `recurrenceOf` the linked incident's
 * number); `title` is empty until {@link fillReferences}. `systemIds` limits to incidents
 * affecting one of those systems (omit for all).
 */
export async function loadIncidents(
  db: Database,
  window: { from: Date; to: Date; ongoingAfter: Date | null },
  slugById: Map<number, string>,
  systemIds?: readonly number[],
): Promise<LoadedIncident[]> {
  const only = systemIds
    ? sql`and exists (select 1 from incident_systems y where y.incident_id = i.id and y.system_id = any(${intArray(systemIds)}::int[]))`
    : sql``;
  // One group per incident (incidents without an affected system cannot be in any scope and
  // are left out); joining and grouping is about twice as fast as a sub-select per row. Each row
  // travels as a JSON array of numbers (JSON.parse is native: a third faster than splitting text):
  // [number, severity digit, started, detected, acknowledged, mitigated, resolved (epoch ms or null),
  //  customer impact 0/1, root cause, recurrence-of number or null, [system ids]].
  const result = await db.execute(sql`
    select string_agg(line, ',' order by start_ms, number_text) as packed from (
      select ${sql.raw(`(date_part('epoch', i.started_at) * 1000)::int8`)} as start_ms, i.number::text collate "C" as number_text,
        concat('[', i.number, ',', right(i.severity, 1), ',',
          ${sql.raw(jsonMs("i.started_at"))}, ',', ${sql.raw(jsonMs("i.detected_at"))}, ',', ${sql.raw(jsonMs("i.acknowledged_at"))}, ',',
          ${sql.raw(jsonMs("i.mitigated_at"))}, ',', ${sql.raw(jsonMs("i.resolved_at"))}, ',',
          case when i.customer_impact then '1' else '0' end, ',', to_json(i.root_cause_category)::text, ',',
          coalesce(e.number::text, 'null'), ',[', string_agg(x.system_id::text, ','), ']]') as line
      from incidents i
      join incident_systems x on x.incident_id = i.id
      left join incidents e on e.id = i.recurrence_of_id
      where i.started_at < ${window.to.toISOString()}::timestamptz
        and (i.started_at >= ${window.from.toISOString()}::timestamptz
          ${window.ongoingAfter === null ? sql`` : sql`or coalesce(least(i.mitigated_at, i.resolved_at) > ${window.ongoingAfter.toISOString()}::timestamptz, true)`})
        ${only}
      group by i.id, e.number) t`);
  const packed = packedOf(result);
  if (!packed) return [];
  const rows = JSON.parse(`[${packed}]`) as Array<[number, number, number, number | null, number | null, number | null, number | null, number, string, number | null, number[]]>;
  const out = new Array<LoadedIncident>(rows.length);
  for (let k = 0; k < rows.length; k++) {
    const f = rows[k];
    const systems: string[] = [];
    for (const id of f[10]) {
      const slug = slugById.get(id);
      if (slug !== undefined) systems.push(slug);
    }
    out[k] = {
      id: String(f[0]),
      number: f[0],
      title: "",
      severity: `SEV${f[1]}` as Severity,
      systems,
      startedAt: new Date(f[2]),
      detectedAt: toDate(f[3]),
      acknowledgedAt: toDate(f[4]),
      mitigatedAt: toDate(f[5]),
      resolvedAt: toDate(f[6]),
      customerImpact: f[7] === 1,
      rootCauseCategory: f[8] as IncidentRow["rootCauseCategory"],
      recurrenceOf: f[9] === null ? null : String(f[9]),
    };
  }
  return out;
}

const STATUS_BY_LETTER: Record<string, CorrectiveActionRow["status"]> = { o: "open", i: "in_progress", d: "done", w: "wont_do" };

/** `ca` (corrective_actions) has a source (incident, drill's plan, inspection) touching one of `systemIds`. */
function actionInScope(systemIds: readonly number[]) {
  const ids = intArray(systemIds);
  return sql`(ca.incident_id in (select x.incident_id from incident_systems x where x.system_id = any(${ids}::int[]))
        or ca.drill_id in (select d.id from drills d join document_systems ds on ds.document_id = d.plan_document_id
                           where ds.system_id = any(${ids}::int[]))
        or ca.inspection_id in (select n.id from inspections n where n.system_id = any(${ids}::int[])))`;
}

/** On-time and late counts of corrective-action closure for one period as of T (the numerator and the rest of the denominator). */
export interface ClosureCounts {
  onTime: number;
  late: number;
}

/**
 * Corrective-action closure counts (shared/domain.md "Metrics" 8) for several periods, each as of
 * its own T, counted in SQL over the actions in scope (source touching one of `systemIds`): the
 * same numerator and denominator as `actionClosure` (./reliability.ts) over the rows
 * {@link loadActions} reads, so the trend does not read 12 months of actions:
 * - due day d (UTC date) is in [from, to) when d's midnight is; the day ends at (d + 1) midnight;
 * - as of T, an action closed after T is open; `wont_do` (closed by T) is out; `done` by T counts
 *   at once, on time when closed before its due day ends, else late; an open one is late once its
 *   due day has ended (before that it is not yet due and out).
 * Times are compared in whole milliseconds, as the loader reads them. One query for all periods;
 * results in the order of `periods`.
 */
export async function actionClosureCounts(
  db: Database,
  periods: ReadonlyArray<{ period: Period; asOf: Date }>,
  systemIds: readonly number[],
): Promise<ClosureCounts[]> {
  if (periods.length === 0) return [];
  const none = periods.map(() => ({ onTime: 0, late: 0 }));
  if (systemIds.length === 0) return none;
  // Due day d (days since 1970-01-01) is in [from, to) exactly when d >= ceil(from / day) and d < ceil(to / day).
  const fromDays = periods.map((p) => Math.ceil(p.period.from.getTime() / DAY_MS));
  const toDays = periods.map((p) => Math.ceil(p.period.to.getTime() / DAY_MS));
  const asOfs = periods.map((p) => p.asOf.getTime());
  const result = await db.execute(sql`
    select m.k::int as k,
      count(*) filter (where ca.status = 'done' and x.c <= m.t and x.c < (x.d + 1) * 86400000::int8)::int as on_time,
      count(*) filter (where (ca.status = 'done' and x.c <= m.t and x.c >= (x.d + 1) * 86400000::int8)
        or ((ca.status in ('open', 'in_progress') or x.c > m.t) and (x.d + 1) * 86400000::int8 <= m.t))::int as late
    from unnest(${intArray(fromDays)}::int[], ${intArray(toDays)}::int[], ${intArray(asOfs)}::int8[]) with ordinality as m(f, u, t, k)
    cross join lateral (
      -- "offset 0" keeps this a range scan of the due-date index per period; flattened, PostgreSQL
      -- joined every action in the table to every period with a filter (1.3 s instead of 0.4 s).
      select * from corrective_actions c where c.due_date >= date '1970-01-01' + m.f and c.due_date < date '1970-01-01' + m.u offset 0) ca
    cross join lateral (select (ca.due_date - date '1970-01-01')::int8 as d, ${sql.raw(`(date_part('epoch', ca.closed_at) * 1000)::int8`)} as c) x
    where ${actionInScope(systemIds)}
    group by m.k`);
  for (const row of rowsOf<{ k: number; on_time: number; late: number }>(result)) {
    none[Number(row.k) - 1] = { onTime: Number(row.on_time), late: Number(row.late) };
  }
  return none;
}

/**
 * Corrective actions whose source (incident, drill's plan, inspection) touches one of `systemIds`,
 * due in [dueFrom, dueTo) or still open (`open`/`in_progress`) and due before `openDueBefore`. Actions due from `detailFrom` on, and open ones, carry their id (title, owner
 * and source come with {@link fillReferences}); the others only feed trend figures and get a
 * placeholder id ("~<n>", n counting from `placeholdersFrom`). `dueAtLeast`: only actions due on
 * or after that day (both kinds). In due-date order.
 */
export async function loadActions(
  db: Database,
  window: { dueFrom: string; dueTo: string; openDueBefore: string; detailFrom: string; dueAtLeast?: string },
  systemIds: readonly number[],
  placeholdersFrom = 0,
): Promise<LoadedAction[]> {
  const result = await db.execute(sql`
    select string_agg(concat_ws(',', ca.due_date - date '1970-01-01', left(ca.status, 1), ${sql.raw(ms("ca.closed_at"))},
        case when ca.due_date >= ${window.detailFrom}::date or ca.status in ('open', 'in_progress') then ca.id::text else '' end),
      ';' order by ca.due_date) as packed
    from corrective_actions ca
    where ((ca.due_date >= ${window.dueFrom}::date and ca.due_date < ${window.dueTo}::date)
        or (ca.status in ('open', 'in_progress') and ca.due_date < ${window.openDueBefore}::date))
      ${window.dueAtLeast === undefined ? sql`` : sql`and ca.due_date >= ${window.dueAtLeast}::date`}
      and ${actionInScope(systemIds)}`);
  const packed = packedOf(result);
  if (!packed) return [];
  return packed.split(";").map((line, k) => {
    const f = line.split(",");
    return {
      id: f[3] || `~${placeholdersFrom + k}`,
      title: "",
      owner: null,
      dueDate: new Date(Number(f[0]) * DAY_MS),
      status: STATUS_BY_LETTER[f[1]],
      closedAt: toDate(num(f[2])),
      source: { type: "incident" as const, id: "" },
      incidentNumber: null,
    };
  });
}

/**
 * Fills in the titles of the incidents and the title, owner and source of the actions that a
 * report names (everything else was read without them), in two queries.
 */
export async function fillReferences(db: Database, incidents: IncidentRef[], actions: ActionRef[]): Promise<void> {
  const numbers = [...new Set(incidents.map((r) => r.number))];
  const actionIds = [...new Set(actions.map((a) => a.id))].filter((id) => /^[0-9a-f-]{36}$/.test(id));
  const [incidentRows, actionRows] = await Promise.all([
    numbers.length === 0
      ? []
      : db.execute(sql`select number, title, severity from incidents where number = any(${intArray(numbers)}::int[])`).then((r) =>
          rowsOf<{ number: number; title: string; severity: Severity }>(r),
        ),
    actionIds.length === 0
      ? []
      : db
          .execute(
            sql`select ca.id, ca.title, ca.owner, ca.incident_id, ca.drill_id, ca.inspection_id, inc.number as incident_number
                from corrective_actions ca left join incidents inc on inc.id = ca.incident_id
                where ca.id = any(${`{${actionIds.join(",")}}`}::uuid[])`,
          )
          .then((r) =>
            rowsOf<{ id: string; title: string; owner: string; incident_id: string | null; drill_id: string | null; inspection_id: string | null; incident_number: number | null }>(r),
          ),
  ]);
  const incidentByNumber = new Map(incidentRows.map((r) => [Number(r.number), r]));
  for (const ref of incidents) {
    const row = incidentByNumber.get(ref.number);
    if (row) {
      ref.title = row.title;
      ref.severity = row.severity;
    }
  }
  const actionById = new Map(actionRows.map((r) => [r.id, r]));
  for (const ref of actions) {
    const row = actionById.get(ref.id);
    if (!row) continue;
    ref.title = row.title;
    ref.owner = row.owner;
    const type = row.incident_id ? "incident" : row.drill_id ? "drill" : "inspection";
    const id = (row.incident_id ?? row.drill_id ?? row.inspection_id)!;
    const number = row.incident_number === null ? null : Number(row.incident_number);
    ref.source = {
      type,
      id,
      label: type === "incident" ? `INC-${number}` : type === "drill" ? "Drill" : "Inspection",
      href: sourceHref(type, type === "incident" ? (number ?? id) : id),
    };
  }
}

// ---------------------------------------------------------------------------------------------
// The report
// ---------------------------------------------------------------------------------------------

export interface ReportQuery {
  /** The period asked for (half-open, UTC). */
  period: Period;
  scope: ReliabilityScope;
  /** T: default now. */
  asOf: Date;
  /** Calendar months of the trend follow this zone. */
  timeZone: string;
  /** Compute the 12-month trend (the page and CSV do; the JSON API does not). */
  trends: boolean;
}

export interface AvailabilityFigure {
  system: string;
  name: string;
  tier: number;
  ownerTeam: string | null;
  /** Measured over [from, min(to, T)); fraction; null for an empty period. */
  value: number | null;
  target: number;
  meetsTarget: boolean | null;
  downtimeMinutes: number;
  /** (1 - target) x the whole period, minutes. */
  errorBudgetMinutes: number;
  /** Budget of the whole period minus downtime so far, minutes (negative: overspent). */
  errorBudgetMinutesLeft: number;
  incidents: IncidentRef[];
}

export interface DurationFigure {
  meanMinutes: number | null;
  medianMinutes: number | null;
  count: number;
  incomplete: number;
  incompleteIncidents: Array<IncidentRef & { reason: string }>;
}
export type DurationTable = Record<Severity | "all", DurationFigure>;

/** One incident or action behind a ratio, with how it counted. */
export interface RatioItem {
  /** e.g. "within", "breached", "recurs", "on_time", "late", "effective", "shortfall", or an out-of-denominator outcome. */
  outcome: string;
  /** In the numerator / in the denominator. */
  numerator: boolean;
  denominator: boolean;
  incident?: IncidentRef;
  action?: ActionRef;
  /** Human-readable detail: minutes vs target, the earlier incident, reasons. */
  detail: string;
}

export interface RatioFigure {
  value: number | null;
  numerator: number;
  denominator: number;
  /** Every item, or the first `itemsPerOutcome` of each outcome when the report was built with a limit. */
  items: RatioItem[];
  /** Each outcome with its full item count, in the order the outcome first appears in the full list. */
  outcomes: Array<{ outcome: string; total: number }>;
}

/** One month of the trend: its figures (./reliability-trend.ts) and its label. */
export interface TrendRow extends TrendFigures {
  /** YYYY-MM in the report's time zone. */
  month: string;
}

export interface ReliabilityReport {
  period: Period;
  /** min(period.to, T): availability is measured up to here. */
  measuredTo: Date;
  asOf: Date;
  scope: ReliabilityScope & { systems: number };
  availability: { meeting: number; measured: number; systems: AvailabilityFigure[] };
  mttd: DurationTable;
  mtta: DurationTable;
  mttr: DurationTable;
  responseWithinSla: RatioFigure;
  recurrenceRate: RatioFigure;
  actionClosure: RatioFigure;
  /** Open actions in scope past their due day, oldest due date first (Metrics 8); cut to `itemsPerOutcome` if given. */
  overdueActions: ActionRef[];
  /** How many actions are overdue (the full length of `overdueActions`). */
  overdueActionsTotal: number;
  resolutionEffectiveness: RatioFigure;
  trend: TrendRow[] | null;
  /** Incidents and actions read, for the benchmark and diagnostics. */
  loaded: { incidents: number; actions: number };
  /** Every reference made above, for {@link fillReferences} (titles, owners, sources). */
  references: { incidents: IncidentRef[]; actions: ActionRef[] };
}

const minutesFmt = (m: number) => `${Math.round(m)} min`;

/**
 * The rows each pure function needs for one period, cut from the loaded ones (start-ordered), so
 * a month of the trend looks at a month of rows instead of 15 months: the functions would skip
 * the other rows anyway, and the result is the same.
 */
class Windows {
  private readonly starts: number[];
  private readonly scopedStarts: number[];
  private readonly dues: number[];
  constructor(
    readonly all: readonly LoadedIncident[],
    readonly scoped: readonly LoadedIncident[],
    readonly actions: readonly LoadedAction[],
  ) {
    this.starts = all.map((i) => i.startedAt.getTime());
    this.scopedStarts = scoped.map((i) => i.startedAt.getTime());
    this.dues = actions.map((a) => a.dueDate?.getTime() ?? -Infinity);
  }
  /**
   * Incident windows already cut, by list and positions: a Windows kept with cached rows hands out
   * the same array for the same rows, so the pure functions' index of it (ids, per-system lists,
   * app/metrics/reliability.ts) is built once, not at every request. Nobody modifies these arrays.
   */
  private readonly cut = new Map<string, LoadedIncident[]>();
  private memo(key: string, make: () => LoadedIncident[]): LoadedIncident[] {
    let rows = this.cut.get(key);
    if (!rows) {
      if (this.cut.size >= 32) this.cut.clear();
      rows = make();
      this.cut.set(key, rows);
    }
    return rows;
  }
  private static slice<T>(rows: readonly T[], keys: number[], from: number, to: number): T[] {
    return rows.slice(lowerBound(keys, from), lowerBound(keys, to));
  }
  private incidentSlice(list: "all" | "scoped", from: number, to: number, filterFrom?: number): LoadedIncident[] {
    const [rows, keys] = list === "all" ? [this.all, this.starts] : [this.scoped, this.scopedStarts];
    const lo = lowerBound(keys, from);
    const hi = lowerBound(keys, to);
    return this.memo(`${list}:${lo}:${hi}:${filterFrom ?? ""}`, () => {
      const cut = rows.slice(lo, hi);
      if (filterFrom === undefined) return cut;
      return cut.filter((i) => Math.min(i.mitigatedAt?.getTime() ?? Infinity, i.resolvedAt?.getTime() ?? Infinity) > filterFrom);
    });
  }
  /** Scoped incidents that started in [from, to): Metrics 6. */
  startedIn(p: Period): LoadedIncident[] {
    return this.incidentSlice("scoped", p.from.getTime(), p.to.getTime());
  }
  /** Scoped incidents that may have been down during P: started before its end, not restored before its start (Metrics 5). */
  downDuring(p: Period): LoadedIncident[] {
    return this.incidentSlice("scoped", -Infinity, p.to.getTime(), p.from.getTime());
  }
  /** All incidents from 90 days before P to T: Metrics 7 (an explicit link to an older one is trusted as such). */
  forRecurrence(p: Period, asOf: Date): LoadedIncident[] {
    return this.incidentSlice("all", p.from.getTime() - RECURRENCE_WINDOW_DAYS * DAY_MS, asOf.getTime() + 1);
  }
  /** All incidents from P's start to T: Metrics 9 (the incidents in P and the later ones that may recur of them). */
  forResolution(p: Period, asOf: Date): LoadedIncident[] {
    return this.incidentSlice("all", p.from.getTime(), asOf.getTime() + 1);
  }
  /**
   * Actions due within a day of P, plus those open at T and due before T (the overdue list looks
   * at every due date): Metrics 8.
   */
  forClosure(p: Period, asOf: Date): LoadedAction[] {
    const t = asOf.getTime();
    const around = new Set(this.dueAround(p));
    const openAtT = this.actions.filter(
      (a) => !around.has(a) && a.dueDate !== null && a.dueDate.getTime() < t && (a.status === "open" || a.status === "in_progress" || (a.closedAt?.getTime() ?? 0) > t),
    );
    return [...around, ...openAtT];
  }
  /** Actions due within a day of P (due days are UTC midnights): Metrics 8 without the overdue list. */
  dueAround(p: Period): LoadedAction[] {
    return Windows.slice(this.actions, this.dues, p.from.getTime() - DAY_MS, p.to.getTime() + DAY_MS);
  }
}



/**
 * Reads the rows (see the module comment for the windows) and computes the report.
 * All figures come from ./reliability.ts; see {@link buildReliabilityReport}. With `fill: "none"`
 * the incident titles and action titles/owners/sources are left for the caller to fill (with
 * {@link fillReferences}) for the few it shows. `systems`: the catalog when the caller has just
 * read it with {@link catalogSystems} (saves reading it twice); else it is read through that cache.
 *
 * Trends are cached ({@link reliabilityCaches}): the 12 months are complete months before T's
 * month, each as of its own end, so for one scope, time zone, first month and catalog they do not
 * depend on T, and stay valid until a change reaches back before the last month's end
 * (app/lib/data-version.server.ts, migration 0006: an incident started this month, an action due
 * this month or next leave them cached; a catalog edit does not). On a hit only the
 * period's rows are read (the same rows the period's figures use on a miss, so the report is the
 * same either way); on a miss the 15-month window is read once and gives both.
 * @throws RangeError when the period ends before it starts.
 */
export async function getReliabilityReport(
  db: Database,
  query: ReportQuery,
  options: { fill: "all" | "none"; systems?: CatalogSystem[]; itemsPerOutcome?: number } = { fill: "all" },
): Promise<ReliabilityReport> {
  const systems = options.systems ?? (await catalogSystems(db));
  const build = { itemsPerOutcome: options.itemsPerOutcome };
  let report: ReliabilityReport;
  if (!query.trends) {
    report = buildReliabilityReport(await loadReliabilityInput(db, query, systems), query, build);
  } else {
    let computed = null as ReliabilityReport | null;
    const trendCacheKey = trendKey(query, systems);
    // Only the period's rows (cached too: for one period, scope and UTC day of T they are the
    // same rows until a write); the trend comes from the cache.
    const periodQuery = { ...query, trends: false };
    const today = Math.floor(query.asOf.getTime() / DAY_MS);
    const rowOptions = { incidentsUntil: new Date((today + 2) * DAY_MS) };
    const periodRows = () =>
      cachesOf(db).rows.get(db, rowsKey(periodQuery, today, systems), () => loadReliabilityInput(db, periodQuery, systems, rowOptions), {
        // A write dated today (an alert, an action closed) reads again only what is dated from it on.
        tables: RELIABILITY_TABLES,
        refresh: (previous, _since, sinceIn) =>
          reloadReliabilityInputSince(db, periodQuery, previous, { incidents: sinceIn(INCIDENT_TABLES), actions: sinceIn(ACTION_TABLES) }, rowOptions),
      });
    // With a trend in the cache (valid, or to be refreshed from a month on), the period's rows are
    // looked up at the same time: one's queries run while the other computes. Without one, the whole
    // report is computed from one read and the rows are not needed.
    const rowsAlongside = cachesOf(db).trend.has(trendCacheKey) ? periodRows() : null;
    rowsAlongside?.catch(() => {}); // awaited below; a failure there is reported there
    const computeAll = async () => {
      computed = buildReliabilityReport(await loadReliabilityInput(db, query, systems), query, build);
      return Object.freeze(computed.trend!.map((row) => Object.freeze(row))) as TrendRow[];
    };
    const trend = await cachesOf(db).trend.get(db, trendCacheKey, computeAll, {
      tables: RELIABILITY_TABLES,
      // Each month is computed as of its own end and sees only incidents started (and actions
      // closed) by then: a change dated after the last month's end leaves the whole trend as it is,
      dependsBefore: trendEnd(query),
      // and one dated in a past month leaves the months that ended before it.
      refresh: async (previous, since) => {
        const ends = monthlyTrend((p) => p.to, query.asOf, { months: TREND_MONTHS, timeZone: query.timeZone }).map((m) => m.result.getTime());
        const kept = ends.filter((end) => end < since.getTime()).length;
        if (kept === 0) return computeAll();
        const recent = await recentTrendRows(db, query, systems, TREND_MONTHS - kept);
        return Object.freeze([...previous.slice(0, kept), ...recent.map((row) => Object.freeze(row))]) as TrendRow[];
      },
    });
    if (computed && !trend.hit) {
      report = { ...(computed as ReliabilityReport), trend: trend.value };
    } else {
      const rows = await (rowsAlongside ?? periodRows());
      report = { ...buildReliabilityReport(rows.value, periodQuery, build), trend: trend.value };
    }
  }
  if (options.fill === "all") await fillReferences(db, report.references.incidents, report.references.actions);
  return report;
}

/** The caches of one database (a test process opens many; their data versions are unrelated). */
interface ReliabilityCaches {
  /** {@link loadCatalogSystems}' result, under the key "catalog". */
  catalog: VersionedCache<CatalogSystem[]>;
  /** The 12 trend rows of a report, under {@link trendKey}; stale only after a change reaching back before the last month's end. */
  trend: VersionedCache<TrendRow[]>;
  /**
   * The rows of a report's period without its trend, under {@link rowsKey} (a few MB each: few
   * entries); after a change, refreshed from the change's date on ({@link reloadReliabilityInputSince}).
   */
  rows: VersionedCache<ReliabilityInput>;
}

const perDatabase = cachesPerDatabase<ReliabilityCaches>(() => ({
  catalog: new VersionedCache({ max: 2 }),
  trend: new VersionedCache({ max: 64 }),
  rows: new VersionedCache({ max: 4 }),
}));

/**
 * The reliability caches of `db` (created on first use): entries are checked against the data
 * version and its change log (see each cache).
 */
export function reliabilityCaches(db: Database): ReliabilityCaches {
  return perDatabase.of(db);
}
const cachesOf = reliabilityCaches;

/** Forgets every cached catalog and trend of every database (the benchmark measures the cold path with it). */
export function clearReliabilityCaches(): void {
  perDatabase.clear();
}

/**
 * What a trend depends on besides the data: the scope, the time zone and its first month (the
 * months are complete months before T's month, each as of its own end, so T itself does not count).
 */
function trendKey(query: ReportQuery, systems: readonly CatalogSystem[]): string {
  const first = trendStart(query);
  return JSON.stringify([
    "trend",
    12,
    query.timeZone,
    first.toISOString(),
    query.scope.team ?? null,
    query.scope.tier ?? null,
    query.scope.system ?? null,
    catalogFingerprint(systems),
  ]);
}

/**
 * A digest of what the figures read from the catalog (each system's id, slug, tier, lifecycle, owner
 * team and effective SLA), so a trend computed with a catalog read just before a catalog edit
 * committed is never taken for one of the edited catalog (the trend outlives writes that do not
 * reach back into its months, so it would otherwise keep the old catalog's figures).
 */
const catalogFingerprint = memoizedDigest<readonly CatalogSystem[]>((systems) => systems.map((s) => JSON.stringify(s)));

/** The end of the trend's last month (the start of T's month in the report's time zone). */
function trendEnd(query: ReportQuery): Date {
  const points = monthlyTrend(() => null, query.asOf, { months: 12, timeZone: query.timeZone });
  return points[points.length - 1]!.period.to;
}

/**
 * What the rows of a report without trend depend on besides the data: the period, the scope, the
 * catalog and T's UTC day (open actions are read up to the end of the day after T; incidents up to the end of
 * that day, a superset of those started by T, which the figures are cut to).
 */
function rowsKey(query: ReportQuery, utcDayNumber: number, systems: readonly CatalogSystem[]): string {
  return JSON.stringify([
    "rows",
    query.period.from.toISOString(),
    query.period.to.toISOString(),
    utcDayNumber,
    query.scope.team ?? null,
    query.scope.tier ?? null,
    query.scope.system ?? null,
    catalogFingerprint(systems),
  ]);
}

/**
 * {@link loadCatalogSystems} through the data-version cache: the same array for every caller
 * until a change to the catalog (teams, SLAs, systems) commits. Do not modify it.
 */
export async function catalogSystems(db: Database): Promise<CatalogSystem[]> {
  return (await cachesOf(db).catalog.get(db, "catalog", () => loadCatalogSystems(db), { tables: CATALOG_TABLES, dependsBefore: null })).value;
}

/** The first month of the trend (12 complete months before the month containing T), as an instant. */
function trendStart(query: ReportQuery): Date {
  const points = monthlyTrend(() => null, query.asOf, { months: 12, timeZone: query.timeZone });
  return points[0].period.from;
}

const dayCache = new Map<number, string>();
/** YYYY-MM-DD of a UTC instant (memoised: reports format the same due days thousands of times). */
const utcDay = (d: Date) => {
  const day = Math.floor(d.getTime() / DAY_MS);
  let text = dayCache.get(day);
  if (text === undefined) {
    text = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (dayCache.size < 100_000) dayCache.set(day, text);
  }
  return text;
};

/**
 * Loads the catalog (unless given, from {@link loadCatalogSystems}), the incidents and the actions a report needs (see the module comment).
 * `incidentsUntil`: also read the incidents started before this instant (give one after T: the
 * trend path reads up to T, and the figures of a period as of T do not change with incidents
 * started after T, so a cached trend leaves them as a fresh load gives them).
 */
export async function loadReliabilityInput(
  db: Database,
  query: ReportQuery,
  catalog?: CatalogSystem[],
  options: { incidentsUntil?: Date } = {},
): Promise<ReliabilityInput> {
  const systems = catalog ?? (await loadCatalogSystems(db));
  const slugById = new Map(systems.map((s) => [s.id, s.slug]));
  const inScope = scopeSystems(systems, query.scope);
  const window = inputWindow(query, options);
  const months = query.trends ? monthlyTrend((p, t) => ({ period: p, asOf: t }), query.asOf, { months: 12, timeZone: query.timeZone }) : [];
  const [incidents, actions, closure] = await Promise.all([
    loadIncidents(db, window.incidents, slugById),
    inScope.length === 0
      ? Promise.resolve([])
      : loadActions(
          db,
          window.actions,
          inScope.map((s) => s.id),
        ),
    actionClosureCounts(
      db,
      months.map((m) => m.result),
      inScope.map((s) => s.id),
    ),
  ]);
  if (!query.trends) return { systems, incidents, actions };
  return { systems, incidents, actions, trendClosure: new Map(months.map((m, k) => [m.month, closure[k]])) };
}

/** What {@link loadReliabilityInput} reads for `query` (see the module comment). */
function inputWindow(query: ReportQuery, options: { incidentsUntil?: Date }) {
  const { period, asOf } = query;
  const earliest = query.trends ? new Date(Math.min(period.from.getTime(), trendStart(query).getTime())) : period.from;
  // Later incidents matter for recurrence (an implicit one starts within 90 days; Metrics 7) and
  // resolution effectiveness (Metrics 9); the trend's months run up to T.
  const latest = new Date(
    Math.max(period.to.getTime() + RECURRENCE_WINDOW_DAYS * DAY_MS, query.trends ? asOf.getTime() + 1 : 0, options.incidentsUntil?.getTime() ?? 0),
  );
  // The trend's closure figures are counted in SQL (actionClosureCounts), so actions are read for the period only.
  const actionsFrom = query.trends ? period.from : earliest;
  return {
    incidents: { from: new Date(earliest.getTime() - RECURRENCE_WINDOW_DAYS * DAY_MS), to: latest, ongoingAfter: earliest as Date | null },
    actions: {
      dueFrom: utcDay(new Date(actionsFrom.getTime() - DAY_MS)),
      dueTo: utcDay(new Date(period.to.getTime() + DAY_MS)),
      openDueBefore: utcDay(new Date(asOf.getTime() + DAY_MS)),
      detailFrom: utcDay(new Date(period.from.getTime() - DAY_MS)),
    },
  };
}

/**
 * `previous` — what {@link loadReliabilityInput} gave for `query` (without trends) with `options` —
 * brought up to date after changes that reach back no further than `since` (their `affected_from`,
 * migration 0006), given separately for the incidents and the actions (null: none of their tables
 * changed): an incident started before `since.incidents`, or an action due before the UTC day of
 * `since.actions`, is untouched by them and kept; the incidents started from then on and the actions
 * due from that day on are read again. Gives what loadReliabilityInput gives now (tested in
 * reliability-cache.server.test.ts), and calls it when `since` is before the incidents' window
 * (the unrestored incidents started earlier might have changed) or the query has trends.
 */
export async function reloadReliabilityInputSince(
  db: Database,
  query: ReportQuery,
  previous: ReliabilityInput,
  since: { incidents: Date | null; actions: Date | null },
  options: { incidentsUntil?: Date } = {},
): Promise<ReliabilityInput> {
  const window = inputWindow(query, options);
  if (query.trends || (since.incidents && since.incidents.getTime() < window.incidents.from.getTime())) {
    return loadReliabilityInput(db, query, previous.systems, options);
  }
  const inScope = scopeSystems(previous.systems, query.scope);
  const incidentsFrom = since.incidents;
  const actionsFrom = since.actions ? new Date(Math.floor(since.actions.getTime() / DAY_MS) * DAY_MS) : null;
  const keptIncidents = incidentsFrom ? previous.incidents.filter((i) => i.startedAt.getTime() < incidentsFrom.getTime()) : previous.incidents;
  const keptActions = actionsFrom ? previous.actions.filter((a) => a.dueDate !== null && a.dueDate.getTime() < actionsFrom.getTime()) : previous.actions;
  const [incidents, actions] = await Promise.all([
    incidentsFrom
      ? loadIncidents(db, { from: incidentsFrom, to: window.incidents.to, ongoingAfter: null }, new Map(previous.systems.map((s) => [s.id, s.slug])))
      : [],
    actionsFrom && inScope.length > 0
      ? loadActions(
          db,
          { ...window.actions, dueAtLeast: utcDay(actionsFrom) },
          inScope.map((s) => s.id),
          keptActions.length,
        )
      : [],
  ]);
  return { systems: previous.systems, incidents: keptIncidents.concat(incidents), actions: keptActions.concat(actions) };
}

/** The tables the reliability figures read (catalog included), for {@link VersionedCache} entries. */
const RELIABILITY_TABLES = [...CATALOG_TABLES, "incidents", "incident_systems", "corrective_actions", "drills", "inspections", "document_systems"] as const;
/** The tables whose changes can alter the loaded incidents (their rows, systems and recurrence links). */
const INCIDENT_TABLES = ["incidents", "incident_systems"] as const;
/** The tables whose changes can alter the loaded actions (their rows, and their scope through the source). */
const ACTION_TABLES = ["corrective_actions", "incident_systems", "drills", "inspections", "document_systems"] as const;

/**
 * Computes every figure of the report from loaded rows (shared/domain.md "Metrics" 5-9, each with
 * the function of ./reliability.ts named in its field):
 * - availability: `availability` per active system in scope over [from, min(to, T)) for the value
 *   and downtime; the error budget is the whole period's (a quarter not over yet still has its
 *   quarter's budget);
 * - mttd/mtta/mttr: `timeToDetect`/`timeToAcknowledge`/`timeToRestore` per severity and all;
 * - responseWithinSla, recurrenceRate, actionClosure, resolutionEffectiveness: the functions of
 *   the same names; recurrence and resolution look at every incident read (a recurrence may go
 *   through a system outside the scope) and keep the incidents in scope;
 * - trend: `monthlyTrend` over the 12 complete months before T's month, in `timeZone`.
 *
 * `itemsPerOutcome`: keep only the first N items of each outcome of each ratio, of each duration
 * table's incomplete incidents and of the overdue actions (a page shows no more); the figures,
 * the per-outcome totals and every other field stay as without it. Default: every item (CSV, JSON).
 */
export function buildReliabilityReport(input: ReliabilityInput, query: ReportQuery, options: { itemsPerOutcome?: number } = {}): ReliabilityReport {
  const { period, asOf } = query;
  const limit = options.itemsPerOutcome ?? Infinity;
  const measuredTo = new Date(Math.max(period.from.getTime(), Math.min(period.to.getTime(), asOf.getTime())));
  const { inScope, scopedIds, windows, byId, toActionRef } = prepared(input, query.scope);
  const incidentRefs: IncidentRef[] = [];
  const ref = (id: string): IncidentRef => {
    const i = byId.get(id);
    const number = i?.number ?? Number(id);
    const r: IncidentRef = { id, number, title: i?.title ?? "", severity: i?.severity ?? "SEV4", href: sourceHref("incident", number) };
    incidentRefs.push(r);
    return r;
  };
  const actionRefs: ActionRef[] = [];
  const actionRef = (item: ActionItem | string): ActionRef => {
    const r = toActionRef(item);
    actionRefs.push(r);
    return r;
  };

  // 5. Availability.
  const measuredPeriod = { from: period.from, to: measuredTo };
  const measured = availabilityForSystems(inScope, windows.downDuring(measuredPeriod), measuredPeriod, asOf);
  const systemBySlug = new Map(inScope.map((s) => [s.slug, s]));
  const availabilityFigures: AvailabilityFigure[] = measured.systems.map((m) => {
    const system = systemBySlug.get(m.system)!;
    // Same downtime (clipped to T either way), the whole period's error budget.
    const whole = availability(system, [...new Set(m.incidents)].map((id) => byId.get(id)!), period, asOf);
    return {
      system: system.slug,
      name: system.name,
      tier: system.tier,
      ownerTeam: system.ownerTeam,
      value: m.value,
      target: m.target,
      meetsTarget: m.meetsTarget,
      downtimeMinutes: m.downtimeMinutes,
      errorBudgetMinutes: whole.errorBudgetMinutes,
      errorBudgetMinutesLeft: whole.errorBudgetMinutesLeft,
      incidents: [...new Set(m.incidents)].map(ref),
    };
  });

  // 6. Durations.
  const table = (metric: DurationMetric): DurationTable => {
    const one = (s: DurationMetric["all"]): DurationFigure => ({
      meanMinutes: s.meanMinutes,
      medianMinutes: s.medianMinutes,
      count: s.count,
      incomplete: s.incomplete,
      incompleteIncidents: cut(s.incompleteIncidents, limit).map((x) => ({ ...ref(x.id), reason: x.reason.replaceAll("_", " ") })),
    });
    return { ...(Object.fromEntries(SEVERITIES.map((sev) => [sev, one(metric.bySeverity[sev])])) as Record<Severity, DurationFigure>), all: one(metric.all) };
  };

  // 6. Response within SLA (targets from every system, retired or not).
  const inPeriod = windows.startedIn(period);
  const response = responseWithinSla(inPeriod, input.systems, period, asOf);
  const responseItems = new RatioItems(limit);
  responseItems.addAll("within", true, true, response.within, (x) => ({ incident: ref(x.id), detail: `${minutesFmt(x.minutes)} of ${minutesFmt(x.targetMinutes)}` }));
  responseItems.addAll("breached", false, true, response.breached, (x) => ({
    incident: ref(x.id),
    detail: `${x.acknowledged ? "" : "unacknowledged, "}${minutesFmt(x.minutes)} against ${minutesFmt(x.targetMinutes)}`,
  }));
  responseItems.addAll("pending", false, false, response.pending, (x) => ({ incident: ref(x.id), detail: `unacknowledged for ${minutesFmt(x.minutes)} of ${minutesFmt(x.targetMinutes)}` }));
  responseItems.addAll("incomplete", false, false, response.incomplete, (x) => ({ incident: ref(x.id), detail: x.reason.replaceAll("_", " ") }));

  // 7. Recurrence: over every incident read, kept to the scope.
  const recurrence = recurrenceRate(windows.forRecurrence(period, asOf), period, asOf);
  const recurringById = new Map(recurrence.recurring.map((r) => [r.id, r]));
  const recurrenceItems = new RatioItems(limit);
  for (const id of recurrence.incidents) {
    if (!scopedIds.has(id)) continue;
    const r = recurringById.get(id);
    if (!r) {
      recurrenceItems.add("no_recurrence", false, true, () => ({ incident: ref(id), detail: "" }));
      continue;
    }
    recurrenceItems.add("recurs", true, true, () => {
      const earlier = byId.get(r.earlierIncident);
      const via = r.reason === "explicit_link" ? "marked as recurrence of" : `same system (${r.sharedSystems.join(", ")}) and cause (${r.rootCauseCategory?.replaceAll("_", " ")}) as`;
      return { incident: ref(id), detail: `${via} ${earlier ? `INC-${earlier.number}` : "an earlier incident"}` };
    });
  }

  // 8. Corrective-action closure (actions were read for the scope already).
  const closure = actionClosure(windows.forClosure(period, asOf), period, asOf);
  const closureItems = new RatioItems(limit);
  closureItems.addAll("on_time", true, true, closure.onTime, (a) => ({ action: actionRef(a), detail: `closed ${a.closedAt ? utcDay(a.closedAt) : ""}` }));
  closureItems.addAll("late", false, true, closure.late, (a) => ({ action: actionRef(a), detail: a.closedAt ? `closed ${utcDay(a.closedAt)}` : "not done by its due date" }));
  closureItems.addAll("wont_do", false, false, closure.wontDo, (id) => ({ action: actionRef(id), detail: "won't do: out of the denominator" }));
  closureItems.addAll("not_yet_due", false, false, closure.notYetDue, (id) => ({ action: actionRef(id), detail: "due day not over yet" }));
  closureItems.addAll("incomplete", false, false, closure.incomplete, (x) => ({ action: actionRef(x.id), detail: "done without a closing time" }));

  // 9. Resolution effectiveness: over every incident read, kept to the scope.
  const resolution = resolutionEffectiveness(windows.forResolution(period, asOf), input.systems, period, asOf);
  const rtoDetail = (x: { restoreMinutes: number | null; rtoMinutes: number | null }) =>
    `${x.restoreMinutes === null ? "not restored" : `restored in ${minutesFmt(x.restoreMinutes)}`}${x.rtoMinutes === null ? "" : `, RTO ${minutesFmt(x.rtoMinutes)}`}`;
  const recurredDetail = (ids: string[]) => (ids.length ? `; recurred: ${ids.map((id) => `INC-${byId.get(id)?.number ?? "?"}`).join(", ")}` : "");
  const resolutionItems = new RatioItems(limit);
  const inScopeOnly = <T extends { id: string }>(list: T[]) => list.filter((x) => scopedIds.has(x.id));
  resolutionItems.addAll("effective", true, true, inScopeOnly(resolution.effective), (x) => ({
    incident: ref(x.id),
    detail: `${rtoDetail(x)}${x.provisional ? " (30-day window still open)" : ""}`,
  }));
  resolutionItems.addAll("shortfall", false, true, inScopeOnly(resolution.shortfall), (x) => ({
    incident: ref(x.id),
    detail: `${x.reasons.map((r) => r.replaceAll("_", " ")).join(", ")}: ${rtoDetail(x)}${recurredDetail(x.recurredBy)}`,
  }));
  resolutionItems.addAll("pending", false, false, inScopeOnly(resolution.pending), (x) => ({ incident: ref(x.id), detail: `${rtoDetail(x)}, still within RTO` }));
  resolutionItems.addAll("incomplete", false, false, inScopeOnly(resolution.incomplete), (x) => ({ incident: ref(x.id), detail: x.reason.replaceAll("_", " ") }));

  const trend = query.trends ? buildTrend(input, inScope, scopedIds, query) : null;

  return {
    period,
    measuredTo,
    asOf,
    scope: { ...query.scope, systems: inScope.length },
    availability: {
      meeting: measured.numerator,
      measured: measured.denominator,
      systems: availabilityFigures,
    },
    mttd: table(timeToDetect(inPeriod, period, asOf)),
    mtta: table(timeToAcknowledge(inPeriod, period, asOf)),
    mttr: table(timeToRestore(inPeriod, period, asOf)),
    responseWithinSla: { ...ratioOf(response), items: responseItems.items, outcomes: responseItems.outcomes() },
    recurrenceRate: recurrenceItems.figure(),
    actionClosure: { ...ratioOf(closure), items: closureItems.items, outcomes: closureItems.outcomes() },
    overdueActions: cut(closure.overdue, limit).map((a) => actionRef(a)),
    overdueActionsTotal: closure.overdue.length,
    resolutionEffectiveness: resolutionItems.figure(),
    trend,
    loaded: { incidents: input.incidents.length, actions: input.actions.length },
    references: { incidents: incidentRefs, actions: actionRefs },
  };
}

/** What a report works out from its rows before any figure (see {@link prepared}). */
interface Prepared {
  inScope: CatalogSystem[];
  scopedIds: Set<string>;
  windows: Windows;
  byId: Map<string, LoadedIncident>;
  toActionRef: (item: ActionItem | string) => ActionRef;
}

const preparedByInput = new WeakMap<ReliabilityInput, Map<string, Prepared>>();

/**
 * The rows in the order the metrics walk them, the scope's incidents and the look-ups of a report,
 * kept per input object and scope: cached rows (the rows cache of {@link getReliabilityReport})
 * are prepared once. Depends only on the rows and the scope, never on the period or T.
 */
function prepared(input: ReliabilityInput, scope: ReliabilityScope): Prepared {
  const key = JSON.stringify([scope.team ?? null, scope.tier ?? null, scope.system ?? null]);
  let byScope = preparedByInput.get(input);
  const found = byScope?.get(key);
  if (found) return found;
  const inScope = scopeSystems(input.systems, scope);
  const all = orderedBy(input.incidents, (i) => i.startedAt.getTime());
  const scoped = incidentsInScope(all, inScope) as LoadedIncident[];
  const made: Prepared = {
    inScope,
    scopedIds: new Set(scoped.map((i) => i.id)),
    windows: new Windows(all, scoped, orderedBy(input.actions, (a) => a.dueDate?.getTime() ?? -Infinity)),
    byId: new Map(input.incidents.map((i) => [i.id, i])),
    toActionRef: actionRefFactory(input.actions),
  };
  if (!byScope) {
    byScope = new Map();
    preparedByInput.set(input, byScope);
  }
  byScope.set(key, made);
  return made;
}

function ratioOf(r: { value: number | null; numerator: number; denominator: number }) {
  return { value: r.value, numerator: r.numerator, denominator: r.denominator };
}

/** The first `limit` entries of `list` (the list itself when it is no longer). */
function cut<T>(list: T[], limit: number): T[] {
  return list.length > limit ? list.slice(0, limit) : list;
}

/**
 * The items behind one ratio, added in report order: each outcome's count and the numerator and
 * denominator over all of them, but only the first `limit` items of each outcome are built (their
 * references and detail text are the costly part).
 */
class RatioItems {
  readonly items: RatioItem[] = [];
  private readonly totals = new Map<string, number>();
  private numerator = 0;
  private denominator = 0;
  constructor(private readonly limit: number) {}

  add(outcome: string, numerator: boolean, denominator: boolean, make: () => Pick<RatioItem, "incident" | "action" | "detail">): void {
    const seen = this.totals.get(outcome) ?? 0;
    this.totals.set(outcome, seen + 1);
    if (numerator) this.numerator++;
    if (denominator) this.denominator++;
    if (seen < this.limit) this.items.push({ outcome, numerator, denominator, ...make() });
  }

  /** One item per entry of `list`, all with the same outcome. */
  addAll<T>(outcome: string, numerator: boolean, denominator: boolean, list: readonly T[], make: (entry: T) => Pick<RatioItem, "incident" | "action" | "detail">): void {
    if (list.length === 0) return;
    const seen = this.totals.get(outcome) ?? 0;
    this.totals.set(outcome, seen + list.length);
    if (numerator) this.numerator += list.length;
    if (denominator) this.denominator += list.length;
    const end = Math.min(list.length, Math.max(0, this.limit - seen));
    for (let k = 0; k < end; k++) this.items.push({ outcome, numerator, denominator, ...make(list[k]) });
  }

  outcomes(): RatioFigure["outcomes"] {
    return [...this.totals].map(([outcome, total]) => ({ outcome, total }));
  }

  /**
   * The ratio of the items kept in scope: the pure function's numerator and denominator, restricted
   * to the incidents in scope (for the whole scope, exactly the pure function's ratio).
   */
  figure(): RatioFigure {
    const { numerator, denominator } = this;
    return { value: denominator === 0 ? null : numerator / denominator, numerator, denominator, items: this.items, outcomes: this.outcomes() };
  }
}

function actionRefFactory(actions: readonly LoadedAction[]) {
  const byId = new Map(actions.map((a) => [a.id, a]));
  return (item: ActionItem | string): ActionRef => {
    const a = byId.get(typeof item === "string" ? item : item.id)!;
    const closedAt = typeof item === "string" ? a.closedAt : item.closedAt;
    return {
      id: a.id,
      title: a.title,
      owner: a.owner,
      dueDate: a.dueDate ? utcDay(a.dueDate) : null,
      closedAt: closedAt ? closedAt.toISOString() : null,
      source: { type: a.source.type, id: a.source.id, label: "", href: "" },
    };
  };
}

/**
 * The 12 months before T's month, each over [month start, next month start) as of its end
 * (monthlyTrend), with the figures of ./reliability-trend.ts: the same values as the pure
 * functions over the same rows, without building their item lists 12 times.
 */
function buildTrend(input: ReliabilityInput, inScope: CatalogSystem[], scopedIds: Set<string>, query: ReportQuery, months = TREND_MONTHS): TrendRow[] {
  const counted = input.trendClosure;
  const calculate = trendCalculator({ incidents: input.incidents, scoped: scopedIds, systems: input.systems, scopeSystems: inScope, actions: counted ? [] : input.actions });
  return monthlyTrend(calculate, query.asOf, { months, timeZone: query.timeZone }).map((point) => {
    const closure = counted?.get(point.month);
    if (counted && !closure) throw new Error(`No corrective-action closure counts were read for ${point.month}: load the input with the same query.`);
    const actionClosure = closure ? (closure.onTime + closure.late === 0 ? null : closure.onTime / (closure.onTime + closure.late)) : point.result.actionClosure;
    return { month: point.month, ...point.result, actionClosure };
  });
}

/** Months in the reliability trend (shared/domain.md, "Trend views": the last 12 complete months). */
const TREND_MONTHS = 12;

/**
 * The last `months` (1-12) of the 12-month trend of `query`, read and computed on their own: the
 * incidents from 90 days before the first of them to T (with those started earlier and not
 * restored by its start) and the closure counts of those months. Each row equals the same month's
 * row of the whole trend (each month is computed as of its own end; tested in
 * reliability-cache.server.test.ts), so a trend can be brought up to date from a month on.
 */
async function recentTrendRows(db: Database, query: ReportQuery, systems: CatalogSystem[], months: number): Promise<TrendRow[]> {
  const points = monthlyTrend((p, t) => ({ period: p, asOf: t }), query.asOf, { months, timeZone: query.timeZone });
  const first = points[0]!.result.period.from;
  const inScope = scopeSystems(systems, query.scope);
  const [incidents, closure] = await Promise.all([
    loadIncidents(
      db,
      { from: new Date(first.getTime() - RECURRENCE_WINDOW_DAYS * DAY_MS), to: new Date(query.asOf.getTime() + 1), ongoingAfter: first },
      new Map(systems.map((s) => [s.id, s.slug])),
    ),
    actionClosureCounts(
      db,
      points.map((p) => p.result),
      inScope.map((s) => s.id),
    ),
  ]);
  const input: ReliabilityInput = { systems, incidents, actions: [], trendClosure: new Map(points.map((p, k) => [p.month, closure[k]!])) };
  const { scopedIds } = prepared(input, query.scope);
  return buildTrend(input, inScope, scopedIds, query, months);
}

// ---------------------------------------------------------------------------------------------
// The system page: this quarter's availability
// ---------------------------------------------------------------------------------------------

export interface SystemQuarterAvailability {
  /** e.g. "2026 Q4". */
  quarter: string;
  from: Date;
  to: Date;
  value: number | null;
  target: number;
  meetsTarget: boolean | null;
  downtimeMinutes: number;
  errorBudgetMinutes: number;
  errorBudgetMinutesLeft: number;
  incidents: IncidentRef[];
}

/**
 * This quarter's availability of one system (shared/domain.md "Metrics" 5) with `availability`:
 * value over [quarter start, T), error budget of the whole quarter minus downtime so far.
 * Quarters are UTC calendar quarters. Null when the system is unknown or its tier has no SLA.
 */
export async function systemQuarterAvailability(db: Database, slug: string, asOf: Date = new Date()): Promise<SystemQuarterAvailability | null> {
  const systems = await loadCatalogSystems(db);
  const system = systems.find((s) => s.slug === slug);
  if (!system) return null;
  const q = Math.floor(asOf.getUTCMonth() / 3);
  const from = new Date(Date.UTC(asOf.getUTCFullYear(), q * 3, 1));
  const to = new Date(Date.UTC(asOf.getUTCFullYear(), q * 3 + 3, 1));
  const incidents = await loadIncidents(
    db,
    { from, to: new Date(Math.min(to.getTime(), asOf.getTime() + 1)), ongoingAfter: from },
    new Map(systems.map((s) => [s.id, s.slug])),
    [system.id],
  );
  const soFar = availability(system, incidents, { from, to: new Date(Math.max(from.getTime(), Math.min(to.getTime(), asOf.getTime()))) }, asOf);
  const whole = availability(system, incidents, { from, to }, asOf);
  const refs: IncidentRef[] = [...new Set(soFar.incidents)].map((id) => {
    const number = Number(id);
    return { id, number, title: "", severity: "SEV4", href: sourceHref("incident", number) };
  });
  await fillReferences(db, refs, []);
  return {
    quarter: `${from.getUTCFullYear()} Q${q + 1}`,
    from,
    to,
    value: soFar.value,
    target: soFar.target,
    meetsTarget: soFar.meetsTarget,
    downtimeMinutes: soFar.downtimeMinutes,
    errorBudgetMinutes: whole.errorBudgetMinutes,
    errorBudgetMinutesLeft: whole.errorBudgetMinutesLeft,
    incidents: refs,
  };
}
