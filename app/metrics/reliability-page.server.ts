/**
 * What the /reliability page, its CSV and `GET /api/v1/metrics/reliability` share: reading the
 * query string (period, team, tier, system), checking it against the catalog, and shaping the
 * report (app/metrics/reliability.server.ts) for a page: item lists cut to a readable length
 * and the 12-month trend charts rendered as SVG.
 */
import { z } from "zod";
import type { Database } from "../../db/client";
import { lineChartSvg } from "../lib/charts.server";
import { csvDocument } from "../lib/csv";
import { actionsForPostmortem, openActionsForSystem } from "../corrective-actions/queries.server";
import { resolvePeriod, type ReportPeriod } from "./period";
import { queryString, RATIO_KEYS, RATIO_LABELS, type ReliabilityFormValues } from "./reliability-page";
import {
  catalogSystems,
  fillReferences,
  getReliabilityReport,
  systemQuarterAvailability,
  type CatalogSystem,
  type RatioFigure,
  type ReliabilityReport,
  type ReliabilityScope,
  type TrendRow,
} from "./reliability.server";

export { queryString, RATIO_KEYS, RATIO_LABELS, type ReliabilityFormValues };

export interface ParsedReliabilityQuery {
  period: ReportPeriod;
  scope: ReliabilityScope;
  values: ReliabilityFormValues;
}

export type ReliabilityParamsResult =
  | ({ ok: true } & ParsedReliabilityQuery)
  | { ok: false; parameter: string; error: string; values: ReliabilityFormValues };

const tierSchema = z.coerce
  .number({ error: "tier must be 1, 2, 3 or 4" })
  .int("tier must be 1, 2, 3 or 4")
  .min(1, "tier must be 1, 2, 3 or 4")
  .max(4, "tier must be 1, 2, 3 or 4");

/** The catalog's team and system slugs, for checking filters and filling the form's selects. */
export interface ScopeOptions {
  teams: Array<{ slug: string; name: string }>;
  systems: Array<{ slug: string; name: string; tier: number }>;
}

const optionsByCatalog = new WeakMap<CatalogSystem[], ScopeOptions>();

/** `systems`: the catalog if already read with catalogSystems (the options of a cached catalog are worked out once). */
export async function scopeOptions(db: Database, catalog?: CatalogSystem[]): Promise<ScopeOptions> {
  const systems = catalog ?? (await catalogSystems(db));
  const known = optionsByCatalog.get(systems);
  if (known) return known;
  const options = scopeOptionsOf(systems);
  optionsByCatalog.set(systems, options);
  return options;
}

function scopeOptionsOf(systems: CatalogSystem[]): ScopeOptions {
  const teams = new Map<string, string>();
  for (const s of systems) if (s.ownerTeam) teams.set(s.ownerTeam, s.ownerTeamName ?? s.ownerTeam);
  return {
    teams: [...teams].map(([slug, name]) => ({ slug, name })).sort((a, b) => a.name.localeCompare(b.name)),
    systems: systems.filter((s) => s.lifecycle === "active").map((s) => ({ slug: s.slug, name: s.name, tier: s.tier })),
  };
}

/**
 * Reads `from`, `to` (YYYY-MM-DD, inclusive, in `timeZone`), `preset`, `team`, `tier`, `system`.
 * An unknown team or system slug, a tier outside 1-4 or a bad period is refused naming the
 * parameter; the typed values come back either way.
 */
export function parseReliabilityParams(params: URLSearchParams, now: Date, timeZone: string, options: ScopeOptions): ReliabilityParamsResult {
  const get = (name: string) => (params.get(name) ?? "").trim();
  const values: ReliabilityFormValues = { from: get("from"), to: get("to"), preset: get("preset"), team: get("team"), tier: get("tier"), system: get("system") };
  const period = resolvePeriod(values, now, timeZone);
  if (!period.ok) return { ok: false, parameter: period.parameter, error: period.error, values };
  let tier: number | null = null;
  if (values.tier) {
    const parsed = tierSchema.safeParse(values.tier);
    if (!parsed.success) return { ok: false, parameter: "tier", error: parsed.error.issues[0].message, values };
    tier = parsed.data;
  }
  if (values.team && !options.teams.some((t) => t.slug === values.team)) {
    return { ok: false, parameter: "team", error: `team "${values.team}" is not a team slug of the catalog`, values };
  }
  if (values.system && !options.systems.some((s) => s.slug === values.system)) {
    return { ok: false, parameter: "system", error: `system "${values.system}" is not the slug of an active system`, values };
  }
  return { ok: true, period: period.period, scope: { team: values.team || null, tier, system: values.system || null }, values };
}


/** Most items listed under each outcome on the page (the CSV has all of them). */
export const PAGE_ITEMS_PER_OUTCOME = 50;

export interface PageRatio extends Omit<RatioFigure, "items" | "outcomes"> {
  /** Items grouped by outcome, each group cut to PAGE_ITEMS_PER_OUTCOME with its full count. */
  groups: Array<{ outcome: string; total: number; items: RatioFigure["items"] }>;
}

/** Groups a ratio's items by outcome (in the order outcomes first appear), at most PAGE_ITEMS_PER_OUTCOME each, with full counts. */
function pageRatio(figure: RatioFigure): PageRatio {
  const groups = new Map<string, RatioFigure["items"]>(figure.outcomes.map((o) => [o.outcome, []]));
  for (const item of figure.items) {
    const list = groups.get(item.outcome)!;
    if (list.length < PAGE_ITEMS_PER_OUTCOME) list.push(item);
  }
  return {
    value: figure.value,
    numerator: figure.numerator,
    denominator: figure.denominator,
    groups: figure.outcomes.map(({ outcome, total }) => ({ outcome, total, items: groups.get(outcome)! })),
  };
}

export interface TrendChart {
  id: string;
  title: string;
  svg: string;
  /** Column keys of TrendRow shown in the table under the chart. */
  columns: Array<{ key: keyof TrendRow; label: string; unit: "percent" | "minutes" | "count" }>;
}

const TREND_CHARTS: Array<Omit<TrendChart, "svg">> = [
  {
    id: "availability",
    title: "Systems meeting their availability target",
    columns: [
      { key: "availabilityMet", label: "Meeting target", unit: "percent" },
      { key: "downtimeMinutes", label: "Downtime (min)", unit: "minutes" },
    ],
  },
  {
    id: "durations",
    title: "MTTD, MTTA and MTTR (mean, minutes)",
    columns: [
      { key: "mttdMinutes", label: "MTTD", unit: "minutes" },
      { key: "mttaMinutes", label: "MTTA", unit: "minutes" },
      { key: "mttrMinutes", label: "MTTR", unit: "minutes" },
      { key: "mttrMedianMinutes", label: "MTTR median", unit: "minutes" },
      { key: "incidents", label: "Incidents", unit: "count" },
    ],
  },
  {
    id: "ratios",
    title: "Response within SLA, recurrence, action closure, resolution effectiveness",
    columns: [
      { key: "responseWithinSla", label: "Response within SLA", unit: "percent" },
      { key: "recurrenceRate", label: "Recurrence rate", unit: "percent" },
      { key: "actionClosure", label: "Action closure on time", unit: "percent" },
      { key: "resolutionEffectiveness", label: "Resolution effectiveness", unit: "percent" },
    ],
  },
];

const chartsByTrend = new WeakMap<TrendRow[], TrendChart[]>();

/**
 * The charts of a trend (SVG strings), in page order. A cached trend (the same array again) gets
 * the charts drawn the first time.
 */
export function trendCharts(trend: TrendRow[]): TrendChart[] {
  const drawn = chartsByTrend.get(trend);
  if (drawn) return drawn;
  const charts = drawCharts(trend);
  chartsByTrend.set(trend, charts);
  return charts;
}

function drawCharts(trend: TrendRow[]): TrendChart[] {
  const categories = trend.map((t) => t.month);
  return TREND_CHARTS.map((chart) => {
    const drawn = chart.id === "durations" ? chart.columns.slice(0, 3) : chart.id === "availability" ? chart.columns.slice(0, 1) : chart.columns;
    return {
      ...chart,
      svg: lineChartSvg({
        title: chart.title,
        categories,
        unit: drawn[0].unit,
        series: drawn.map((c) => ({ name: c.label, data: trend.map((t) => t[c.key] as number | null) })),
      }),
    };
  });
}

export interface ReliabilityPageData {
  period: ReportPeriod;
  values: ReliabilityFormValues;
  measuredTo: string;
  scopeSystems: number;
  availability: ReliabilityReport["availability"];
  mttd: ReliabilityReport["mttd"];
  mtta: ReliabilityReport["mtta"];
  mttr: ReliabilityReport["mttr"];
  responseWithinSla: PageRatio;
  recurrenceRate: PageRatio;
  actionClosure: PageRatio;
  resolutionEffectiveness: PageRatio;
  overdueActions: { total: number; items: ReliabilityReport["overdueActions"] };
  trend: TrendRow[];
  charts: TrendChart[];
  loaded: ReliabilityReport["loaded"];
}

/**
 * Everything the /reliability loader returns (the figure the benchmark times): parses the query,
 * loads and computes the report with trends, cuts item lists, renders the charts.
 * Duration tables keep counts but drop their per-incident lists (the CSV has them).
 */
export async function reliabilityPageData(
  db: Database,
  request: { searchParams: URLSearchParams; now: Date; timeZone: string },
): Promise<
  | { ok: true; data: ReliabilityPageData; options: ScopeOptions }
  | { ok: false; parameter: string; error: string; values: ReliabilityFormValues; options: ScopeOptions }
> {
  const catalog = await catalogSystems(db);
  const options = await scopeOptions(db, catalog);
  const parsed = parseReliabilityParams(request.searchParams, request.now, request.timeZone, options);
  if (!parsed.ok) return { ...parsed, options };
  const report = await getReliabilityReport(
    db,
    { period: parsed.period, scope: parsed.scope, asOf: request.now, timeZone: request.timeZone, trends: true },
    { fill: "none", systems: catalog, itemsPerOutcome: PAGE_ITEMS_PER_OUTCOME },
  );
  const trend = report.trend ?? [];
  const lean = (table: ReliabilityReport["mttd"]) =>
    Object.fromEntries(
      Object.entries(table).map(([k, v]) => [k, { ...v, incompleteIncidents: v.incompleteIncidents.slice(0, PAGE_ITEMS_PER_OUTCOME) }]),
    ) as unknown as ReliabilityReport["mttd"];
  const data: ReliabilityPageData = {
    period: parsed.period,
    values: parsed.values,
    measuredTo: report.measuredTo.toISOString(),
    scopeSystems: report.scope.systems,
    availability: {
      ...report.availability,
      systems: report.availability.systems.map((s) => ({ ...s, incidents: s.incidents.slice(0, 20) })),
    },
    mttd: lean(report.mttd),
    mtta: lean(report.mtta),
    mttr: lean(report.mttr),
    responseWithinSla: pageRatio(report.responseWithinSla),
    recurrenceRate: pageRatio(report.recurrenceRate),
    actionClosure: pageRatio(report.actionClosure),
    resolutionEffectiveness: pageRatio(report.resolutionEffectiveness),
    overdueActions: { total: report.overdueActionsTotal, items: report.overdueActions.slice(0, PAGE_ITEMS_PER_OUTCOME) },
    trend,
    charts: trendCharts(trend),
    loaded: report.loaded,
  };
  // Titles, owners and sources only for what the page lists (the availability table names its incidents too).
  const ratios = [data.responseWithinSla, data.recurrenceRate, data.actionClosure, data.resolutionEffectiveness].flatMap((r) => r.groups.flatMap((g) => g.items));
  await fillReferences(
    db,
    [
      ...data.availability.systems.flatMap((s) => s.incidents),
      ...ratios.flatMap((i) => (i.incident ? [i.incident] : [])),
      ...(["mttd", "mtta", "mttr"] as const).flatMap((k) => Object.values(data[k]).flatMap((d) => d.incompleteIncidents)),
    ],
    [...ratios.flatMap((i) => (i.action ? [i.action] : [])), ...data.overdueActions.items],
  );
  return { ok: true, options, data };
}

/** A ratio for JSON: `{ value, numerator, denominator, items }`, each item naming its incident or action. */
function ratioJson(figure: RatioFigure) {
  return {
    value: figure.value,
    numerator: figure.numerator,
    denominator: figure.denominator,
    items: figure.items.map((item) => ({
      outcome: item.outcome,
      inNumerator: item.numerator,
      inDenominator: item.denominator,
      ...(item.incident ? { incident: { number: item.incident.number, title: item.incident.title, severity: item.incident.severity, url: item.incident.href } } : {}),
      ...(item.action ? { action: actionJson(item.action) } : {}),
      detail: item.detail,
    })),
  };
}

function actionJson(a: ReliabilityReport["overdueActions"][number]) {
  return { id: a.id, title: a.title, owner: a.owner, dueDate: a.dueDate, closedAt: a.closedAt, source: { type: a.source.type, label: a.source.label, url: a.source.href } };
}

function durationsJson(table: ReliabilityReport["mttd"]) {
  return Object.fromEntries(
    Object.entries(table).map(([severity, d]) => [severity, { meanMinutes: d.meanMinutes, medianMinutes: d.medianMinutes, count: d.count, incomplete: d.incomplete }]),
  );
}

/**
 * The JSON of `GET /api/v1/metrics/reliability` (README "HTTP API"): `{ from, to, measuredTo,
 * scope, availability: [{ system, value, target, downtimeMinutes, errorBudgetMinutes,
 * errorBudgetMinutesLeft, meetsTarget, incidents }], mttd, mtta, mttr (each per severity and
 * "all": { meanMinutes, medianMinutes, count, incomplete }), responseWithinSla, recurrenceRate,
 * actionClosure, resolutionEffectiveness (each { value, numerator, denominator, items }),
 * overdueActions }`. Minutes are fractional; values are fractions; instants are ISO 8601 UTC.
 */
export function reliabilityJson(report: ReliabilityReport) {
  return {
    from: report.period.from.toISOString(),
    to: report.period.to.toISOString(),
    measuredTo: report.measuredTo.toISOString(),
    scope: report.scope,
    availability: report.availability.systems.map((s) => ({
      system: s.system,
      value: s.value,
      target: s.target,
      downtimeMinutes: s.downtimeMinutes,
      errorBudgetMinutes: s.errorBudgetMinutes,
      errorBudgetMinutesLeft: s.errorBudgetMinutesLeft,
      meetsTarget: s.meetsTarget,
      incidents: s.incidents.map((i) => i.number),
    })),
    mttd: durationsJson(report.mttd),
    mtta: durationsJson(report.mtta),
    mttr: durationsJson(report.mttr),
    responseWithinSla: ratioJson(report.responseWithinSla),
    recurrenceRate: ratioJson(report.recurrenceRate),
    actionClosure: ratioJson(report.actionClosure),
    resolutionEffectiveness: ratioJson(report.resolutionEffectiveness),
    overdueActions: report.overdueActions.map(actionJson),
  };
}

export const RELIABILITY_CSV_TABLES = ["availability", "durations", "ratios", "items", "overdue", "trend"] as const;
export type ReliabilityCsvTable = (typeof RELIABILITY_CSV_TABLES)[number];

const pct = (v: number | null) => (v === null ? "" : +(v * 100).toFixed(4));
const mins = (v: number | null) => (v === null ? "" : +v.toFixed(2));

/**
 * One table of the report as CSV (app/lib/csv.ts rules): `availability` (per system), `durations`
 * (MTTD/MTTA/MTTR per severity), `ratios` (the four shares), `items` (every incident or action
 * behind each ratio, with its outcome), `overdue` (open actions past due) or `trend` (12 months).
 * Percent columns are 0-100; minutes are decimal.
 */
export function reliabilityCsv(report: ReliabilityReport, table: ReliabilityCsvTable): string {
  switch (table) {
    case "availability":
      return csvDocument(
        ["system", "name", "tier", "owner_team", "availability_pct", "target_pct", "meets_target", "downtime_minutes", "error_budget_minutes", "error_budget_minutes_left", "incidents"],
        report.availability.systems.map((s) => [
          s.system, s.name, s.tier, s.ownerTeam, pct(s.value), pct(s.target), s.meetsTarget === null ? "" : s.meetsTarget ? "yes" : "no",
          mins(s.downtimeMinutes), mins(s.errorBudgetMinutes), mins(s.errorBudgetMinutesLeft), s.incidents.map((i) => `INC-${i.number}`).join(" "),
        ]),
      );
    case "durations":
      return csvDocument(
        ["metric", "severity", "mean_minutes", "median_minutes", "count", "incomplete"],
        (["mttd", "mtta", "mttr"] as const).flatMap((metric) =>
          Object.entries(report[metric]).map(([sev, d]) => [metric.toUpperCase(), sev, mins(d.meanMinutes), mins(d.medianMinutes), d.count, d.incomplete]),
        ),
      );
    case "ratios":
      return csvDocument(
        ["metric", "value_pct", "numerator", "denominator"],
        RATIO_KEYS.map((key) => [RATIO_LABELS[key], pct(report[key].value), report[key].numerator, report[key].denominator]),
      );
    case "items":
      return csvDocument(
        ["metric", "outcome", "in_numerator", "in_denominator", "incident", "action_id", "title", "url", "detail"],
        RATIO_KEYS.flatMap((key) =>
          report[key].items.map((item) => [
            RATIO_LABELS[key], item.outcome, item.numerator ? "yes" : "no", item.denominator ? "yes" : "no",
            item.incident ? `INC-${item.incident.number}` : "", item.action?.id ?? "", item.incident?.title ?? item.action?.title ?? "",
            item.incident?.href ?? item.action?.source.href ?? "", item.detail,
          ]),
        ),
      );
    case "overdue":
      return csvDocument(
        ["action_id", "title", "owner", "due_date", "source", "source_url"],
        report.overdueActions.map((a) => [a.id, a.title, a.owner, a.dueDate, a.source.label, a.source.href]),
      );
    case "trend":
      return csvDocument(
        ["month", "availability_met_pct", "downtime_minutes", "mttd_minutes", "mtta_minutes", "mttr_minutes", "mttr_median_minutes", "incidents", "response_within_sla_pct", "recurrence_rate_pct", "action_closure_pct", "resolution_effectiveness_pct"],
        (report.trend ?? []).map((t) => [
          t.month, pct(t.availabilityMet), mins(t.downtimeMinutes), mins(t.mttdMinutes), mins(t.mttaMinutes), mins(t.mttrMinutes), mins(t.mttrMedianMinutes),
          t.incidents, pct(t.responseWithinSla), pct(t.recurrenceRate), pct(t.actionClosure), pct(t.resolutionEffectiveness),
        ]),
      );
  }
}


/**
 * What a system page shows about reliability: this quarter's availability (see
 * `systemQuarterAvailability`) and the open corrective actions whose source touches the system
 * (overdue first, at most 20, with the total).
 */
export async function systemReliabilityPanel(db: Database, slug: string, now: Date = new Date()) {
  const [availability, open] = await Promise.all([systemQuarterAvailability(db, slug, now), openActionsForSystem(db, slug, 20, now)]);
  return { availability, openActions: { items: open.items, total: open.total } };
}

/** The corrective actions of a postmortem's incident(s), for the postmortem document page. */
export function postmortemActionsPanel(db: Database, documentId: string) {
  return actionsForPostmortem(db, documentId);
}
