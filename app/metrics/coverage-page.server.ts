/**
 * What `/coverage`, `/coverage/print`, `/coverage.csv` and `GET /api/v1/metrics/coverage` share:
 * reading the query string (asOf, team, tier, system, sort, dir), checking it against the catalog,
 * computing the report (./coverage.server.ts) and shaping it for a page, a CSV table or JSON.
 * No formula lives here (shared/domain.md "Metrics" 1-4 are in ./coverage.ts).
 *
 * Query string:
 * - `asOf`: a UTC calendar day `YYYY-MM-DD`, not after today (default: today, UTC);
 * - `team`, `tier`, `system`: repeat the parameter or separate values with commas
 *   (`team=a&team=b` = `team=a,b`); values of one filter are ORed, filters ANDed; unknown team or
 *   system slugs and tiers outside 1-4 are refused naming the parameter;
 * - `sort` = `tier` (default: tier, then name) or `name`; `dir` = `asc` (default) or `desc` (the matrix).
 */
import { z } from "zod";
import type { Database } from "../../db/client";
import { documentHref } from "../docs/slug";
import { lineChartSvg } from "../lib/charts.server";
import { csvDocument } from "../lib/csv";
import type { CoverageMatrixRow, CoverageScope, CoverageState, MatrixCell, MetricSummary, Shortfall } from "./coverage";
import { coverageCatalog, coverageReport, type CoverageCatalog, type CoverageReport } from "./coverage.server";
import { METRIC_KEYS, METRIC_LABELS, METRIC_UNITS, STATE_LABELS, type CoverageFormValues, type MetricKey } from "./coverage-query";

export { filterQuery, METRIC_KEYS, METRIC_LABELS, type CoverageFormValues, type MetricKey } from "./coverage-query";

const DAY_MS = 86_400_000;

export type MatrixSort = "tier" | "name";

export interface CoverageQuery {
  /** UTC midnight of the as-of day. */
  asOf: Date;
  scope: CoverageScope;
  sort: MatrixSort;
  dir: "asc" | "desc";
  values: CoverageFormValues;
}

export type CoverageQueryResult = ({ ok: true } & CoverageQuery) | { ok: false; parameter: string; error: string; values: CoverageFormValues };

const list = (values: string[]) =>
  values
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const tierSchema = z.coerce.number().int().min(1).max(4);

/** `YYYY-MM-DD` of a UTC instant. */
export const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/**
 * Reads and checks the query string (module comment) against the catalog; `now` decides "today".
 * Returns the as-of day, the scope and the matrix order, or the first bad parameter with a message
 * that names it; the typed values come back either way.
 */
export function parseCoverageQuery(params: URLSearchParams, now: Date, catalog: Pick<CoverageCatalog, "systems" | "teams">): CoverageQueryResult {
  const values: CoverageFormValues = {
    asOf: (params.get("asOf") ?? "").trim(),
    team: list(params.getAll("team")),
    tier: list(params.getAll("tier")),
    system: list(params.getAll("system")).join(", "),
    sort: (params.get("sort") ?? "").trim(),
    dir: (params.get("dir") ?? "").trim(),
  };
  const fail = (parameter: string, error: string): CoverageQueryResult => ({ ok: false, parameter, error, values });

  const today = Math.floor(now.getTime() / DAY_MS);
  let asOf = new Date(today * DAY_MS);
  if (values.asOf) {
    const parsed = new Date(`${values.asOf}T00:00:00Z`);
    if (!DAY.test(values.asOf) || Number.isNaN(parsed.getTime()) || isoDay(parsed) !== values.asOf) {
      return fail("asOf", `asOf must be a date written YYYY-MM-DD (got "${values.asOf}")`);
    }
    if (parsed.getTime() > asOf.getTime()) return fail("asOf", `asOf cannot be after today (${isoDay(asOf)}): coverage is known up to today`);
    if (parsed.getUTCFullYear() < 2000) return fail("asOf", "asOf must be in the year 2000 or later");
    asOf = parsed;
  }
  const tiers: number[] = [];
  for (const t of values.tier) {
    const parsed = tierSchema.safeParse(t);
    if (!parsed.success) return fail("tier", `tier must be 1, 2, 3 or 4 (got "${t}")`);
    tiers.push(parsed.data);
  }
  const teamSlugs = new Set(catalog.teams.map((t) => t.slug));
  const unknownTeam = values.team.find((t) => !teamSlugs.has(t));
  if (unknownTeam !== undefined) return fail("team", `team "${unknownTeam}" is not a team slug of the catalog`);
  const systems = list([values.system]);
  const systemSlugs = new Set(catalog.systems.map((s) => s.slug));
  const unknownSystem = systems.find((s) => !systemSlugs.has(s));
  if (unknownSystem !== undefined) return fail("system", `system "${unknownSystem}" is not a system slug of the catalog`);
  if (values.sort && values.sort !== "tier" && values.sort !== "name") return fail("sort", 'sort must be "tier" or "name"');
  if (values.dir && values.dir !== "asc" && values.dir !== "desc") return fail("dir", 'dir must be "asc" or "desc"');

  const scope: CoverageScope = {};
  if (values.team.length) scope.team = values.team;
  if (tiers.length) scope.tier = tiers;
  if (systems.length) scope.system = systems;
  return {
    ok: true,
    asOf,
    scope,
    sort: values.sort === "name" ? "name" : "tier",
    dir: values.dir === "desc" ? "desc" : "asc",
    values,
  };
}

// ---------------------------------------------------------------------------------------------
// Shaping for pages, CSV and JSON
// ---------------------------------------------------------------------------------------------

export interface ShortfallView {
  system: { slug: string; name: string } | null;
  plan: { slug: string; title: string; href: string } | null;
  /** Drill coverage: the plan's linked systems in scope. */
  systems: Array<{ slug: string; name: string }>;
  reason: string;
  /** YYYY-MM-DD, or null when the evidence is missing altogether. */
  dueSince: string | null;
  overdueDays: number | null;
}

export interface MetricView extends MetricSummary {
  key: MetricKey;
  label: string;
  unit: string;
  shortfalls: ShortfallView[];
}

export interface MatrixCellView {
  state: CoverageState;
  label: string;
  dueDate: string | null;
  lastDate: string | null;
  refs: string[];
}

export interface MatrixRowView {
  system: string;
  name: string;
  tier: number;
  ownerTeam: string | null;
  cells: Record<MetricKey, MatrixCellView>;
}

export interface TrendPointView {
  month: string;
  asOf: string;
  partial: boolean;
  figures: Record<MetricKey, MetricSummary>;
}

function shortfallViews(report: CoverageReport, key: MetricKey, shortfalls: Shortfall[]): ShortfallView[] {
  const names = new Map(report.catalog.systems.map((s) => [s.slug, s.name]));
  const drillSystems = new Map(report.drill.items.map((i) => [i.plan, i.systems]));
  const system = (slug: string) => ({ slug, name: names.get(slug) ?? slug });
  return shortfalls.map((s) => ({
    system: s.system ? system(s.system) : key === "drill" && s.plan ? (drillSystems.get(s.plan)?.map(system)[0] ?? null) : null,
    plan: s.plan ? { slug: s.plan, title: report.planTitles[s.plan] ?? s.plan, href: documentHref(s.plan) } : null,
    systems: key === "drill" && s.plan ? (drillSystems.get(s.plan) ?? []).map(system) : s.system ? [system(s.system)] : [],
    reason: s.reason,
    dueSince: s.dueSince ? isoDay(s.dueSince) : null,
    overdueDays: s.overdueDays,
  }));
}

/** The four metrics with their shortfall lists, for cards, print, CSV and JSON. */
export function metricViews(report: CoverageReport): MetricView[] {
  return METRIC_KEYS.map((key) => {
    const result = report[key];
    return {
      key,
      label: METRIC_LABELS[key],
      unit: METRIC_UNITS[key],
      value: result.value,
      numerator: result.numerator,
      denominator: result.denominator,
      shortfalls: shortfallViews(report, key, result.shortfalls),
    };
  });
}

function cellView(cell: MatrixCell): MatrixCellView {
  return {
    state: cell.state,
    label: STATE_LABELS[cell.state],
    dueDate: cell.dueDate ? isoDay(cell.dueDate) : null,
    lastDate: cell.lastDate ? isoDay(cell.lastDate) : null,
    refs: cell.refs,
  };
}

/** The matrix, ordered by tier (then name, as the formulas order it) or by name, ascending or descending. */
export function matrixViews(rows: CoverageMatrixRow[], sort: MatrixSort = "tier", dir: "asc" | "desc" = "asc"): MatrixRowView[] {
  const ordered =
    sort === "name" ? [...rows].sort((a, b) => a.name.localeCompare(b.name) || a.system.localeCompare(b.system)) : [...rows];
  if (dir === "desc") ordered.reverse();
  return ordered.map((r) => ({
    system: r.system,
    name: r.name,
    tier: r.tier,
    ownerTeam: r.ownerTeam,
    cells: { plan: cellView(r.plan), drill: cellView(r.drill), inspection: cellView(r.inspection), runbook: cellView(r.runbook) },
  }));
}

export function trendViews(report: CoverageReport): TrendPointView[] {
  return report.trend.map((p) => ({
    month: p.month,
    asOf: isoDay(p.asOf),
    partial: p.partial,
    figures: { plan: p.plan, drill: p.drill, inspection: p.inspection, runbook: p.runbook },
  }));
}

/** One SVG line chart per metric over the trend months (echarts SSR, app/lib/charts.server.ts). */
export function trendCharts(trend: TrendPointView[]): Record<MetricKey, string> {
  const categories = trend.map((p) => (p.partial ? `${p.month}*` : p.month));
  const charts = {} as Record<MetricKey, string>;
  for (const key of METRIC_KEYS) {
    charts[key] = lineChartSvg({
      title: `${METRIC_LABELS[key]}, last ${trend.length} months`,
      categories,
      series: [{ name: METRIC_LABELS[key], data: trend.map((p) => p.figures[key].value) }],
      unit: "percent",
      width: 560,
      height: 220,
    });
  }
  return charts;
}

// ---------------------------------------------------------------------------------------------
// JSON API
// ---------------------------------------------------------------------------------------------

/**
 * The body of `GET /api/v1/metrics/coverage`: `{ asOf, scope, planCoverage, drillCoverage,
 * inspectionCoverage, runbookCoverage }`, each `{ value, numerator, denominator, shortfalls }` with
 * shortfalls `{ system, plan?, reason, dueSince, overdueDays }`; drill coverage's shortfalls name the
 * plan and its linked systems in scope (`system` is the first of them). Fractions 0..1, days UTC.
 */
export function coverageJson(report: CoverageReport) {
  const metric = (view: MetricView) => ({
    value: view.value,
    numerator: view.numerator,
    denominator: view.denominator,
    shortfalls: view.shortfalls.map((s) => ({
      system: s.system?.slug ?? null,
      ...(s.plan ? { plan: s.plan.slug } : {}),
      ...(view.key === "drill" ? { systems: s.systems.map((x) => x.slug) } : {}),
      reason: s.reason,
      dueSince: s.dueSince,
      overdueDays: s.overdueDays,
    })),
  });
  const [plan, drill, inspection, runbook] = metricViews(report);
  return {
    asOf: isoDay(report.asOf),
    scope: { team: report.scope.team ?? [], tier: report.scope.tier ?? [], system: report.scope.system ?? [] },
    planCoverage: metric(plan!),
    drillCoverage: metric(drill!),
    inspectionCoverage: metric(inspection!),
    runbookCoverage: metric(runbook!),
  };
}

// ---------------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------------

export const CSV_TABLES = ["plan", "drill", "inspection", "runbook", "matrix", "trend"] as const;
export type CsvTable = (typeof CSV_TABLES)[number];

/**
 * One table of the report as CSV (app/lib/csv.ts: RFC 4180, CRLF, formula-like cells prefixed with `'`):
 * `plan`/`drill`/`inspection`/`runbook` = that metric's shortfalls, `matrix`, `trend`.
 */
export function coverageCsv(report: CoverageReport, table: CsvTable, sort: MatrixSort = "tier", dir: "asc" | "desc" = "asc"): string {
  if (table === "matrix") {
    const headers = ["system", "name", "tier", "owner_team"];
    for (const k of METRIC_KEYS) headers.push(`${k}_state`, `${k}_due`, `${k}_last`, `${k}_refs`);
    return csvDocument(
      headers,
      matrixViews(report.matrix, sort, dir).map((r) => [
        r.system,
        r.name,
        r.tier,
        r.ownerTeam,
        ...METRIC_KEYS.flatMap((k) => [r.cells[k].state, r.cells[k].dueDate, r.cells[k].lastDate, r.cells[k].refs.join(" ")]),
      ]),
    );
  }
  if (table === "trend") {
    const headers = ["month", "as_of", "partial"];
    for (const k of METRIC_KEYS) headers.push(`${k}_value`, `${k}_numerator`, `${k}_denominator`);
    return csvDocument(
      headers,
      trendViews(report).map((p) => [
        p.month,
        p.asOf,
        p.partial ? "yes" : "no",
        ...METRIC_KEYS.flatMap((k) => [p.figures[k].value, p.figures[k].numerator, p.figures[k].denominator]),
      ]),
    );
  }
  const view = metricViews(report).find((m) => m.key === table)!;
  return csvDocument(
    ["metric", "system", "system_name", "plan", "plan_title", "linked_systems", "reason", "due_since", "overdue_days"],
    view.shortfalls.map((s) => [
      table,
      s.system?.slug ?? null,
      s.system?.name ?? null,
      s.plan?.slug ?? null,
      s.plan?.title ?? null,
      s.systems.map((x) => x.slug).join(" "),
      s.reason,
      s.dueSince,
      s.overdueDays,
    ]),
  );
}

// ---------------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------------

export type LoadedCoverage =
  | { ok: true; query: CoverageQuery; report: CoverageReport; catalog: CoverageCatalog }
  | { ok: false; parameter: string; error: string; values: CoverageFormValues; catalog: CoverageCatalog };

/**
 * Parses the query string and computes the report (with the trend unless `trend: false`; the
 * catalog and the trend's past months come from the data-version caches of ./coverage.server.ts).
 * A bad parameter comes back as `{ ok: false }` with its name and message. Throws on database errors.
 */
export async function loadCoverage(db: Database, params: URLSearchParams, now: Date, options: { trend?: boolean } = {}): Promise<LoadedCoverage> {
  const catalog = await coverageCatalog(db);
  const parsed = parseCoverageQuery(params, now, catalog);
  if (!parsed.ok) return { ...parsed, catalog };
  const { ok: _ok, ...query } = parsed;
  const report = await coverageReport(db, { asOf: query.asOf, scope: query.scope, trend: options.trend ?? true, catalog });
  return { ok: true, query, report, catalog };
}
