import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireReader } from "~/auth/session.server";
import { CoverageMatrix, CoverageTrend, MetricCards } from "~/components/coverage";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { choicesOf, SelectField, slugChoices, TextField } from "~/components/ui/field";
import { CheckboxGroup, FilterBar } from "~/components/ui/filter-bar";
import { Pager } from "~/components/ui/pager";
import { getRuntime } from "~/lib/runtime.server";
import { loadCoverage, matrixViews, metricViews, trendCharts, trendViews } from "~/metrics/coverage-page.server";
import { filterQuery, METRIC_LABELS, type CoverageFormValues } from "~/metrics/coverage-query";

export const meta: MetaFunction = () => [{ title: "Coverage · Drillbook" }];

/** Shortfalls shown per card before "Show all"; matrix rows per page. */
const SHORTFALLS_SHOWN = 25;
const MATRIX_PAGE_SIZE = 100;
const TIER_CHOICES = choicesOf(["1", "2", "3", "4"]);

/**
 * GET /coverage?asOf=&team=&tier=&system=&sort=&dir=&page=&all= (readers): Metrics 1-4 with what
 * falls short, the matrix (100 systems a page) and the 12-month trend; a bad filter shows its
 * message (400) and keeps what was typed. Parameters: app/metrics/coverage-page.server.ts.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireReader(request);
  const url = new URL(request.url);
  const { db } = await getRuntime();
  const loaded = await loadCoverage(db, url.searchParams, new Date());
  const options = {
    teams: loaded.catalog.teams,
    systems: loaded.catalog.systems.filter((s) => s.lifecycle === "active").map((s) => ({ slug: s.slug, name: s.name })),
    activeSystems: loaded.catalog.systems.some((s) => s.lifecycle === "active"),
  };
  if (!loaded.ok) {
    return data({ ok: false as const, error: loaded.error, parameter: loaded.parameter, values: loaded.values, options }, { status: 400 });
  }
  const { query, report } = loaded;
  const showAll = url.searchParams.get("all") === "1";
  const metrics = metricViews(report).map((m) => ({
    ...m,
    shortfallTotal: m.shortfalls.length,
    shortfalls: showAll ? m.shortfalls : m.shortfalls.slice(0, SHORTFALLS_SHOWN),
  }));
  const matrix = matrixViews(report.matrix, query.sort, query.dir);
  const pages = Math.max(1, Math.ceil(matrix.length / MATRIX_PAGE_SIZE));
  const page = Math.min(pages, Math.max(1, Math.floor(Number(url.searchParams.get("page")) || 1)));
  const trend = trendViews(report);
  return {
    ok: true as const,
    values: query.values,
    options,
    asOf: query.asOf.toISOString().slice(0, 10),
    sort: query.sort,
    dir: query.dir,
    metrics,
    matrix: matrix.slice((page - 1) * MATRIX_PAGE_SIZE, page * MATRIX_PAGE_SIZE),
    matrixTotal: matrix.length,
    page,
    pages,
    trend,
    charts: trendCharts(trend),
  };
}

/** The coverage filters as a GET form: as-of day, teams, tiers, systems; the matrix's sort order is kept. */
function Filters({ values, options }: { values: CoverageFormValues; options: { teams: Array<{ slug: string; name: string }>; systems: Array<{ slug: string; name: string }> } }) {
  return (
    <FilterBar label="Filter the coverage dashboard" className="coverage-filters no-print" submitLabel="Show" clearTo="/coverage" canClear>
      <TextField prefix="coverage" id="coverage-asof" name="asOf" label="As of (UTC day)" type="date" value={values.asOf} />
      <SelectField
        prefix="coverage"
        name="team"
        label="Team"
        multiple
        size={Math.min(4, Math.max(2, options.teams.length))}
        value={values.team}
        choices={slugChoices(options.teams)}
      />
      <CheckboxGroup legend="Tier" name="tier" choices={TIER_CHOICES} checked={values.tier} layout="inline" />
      <TextField
        prefix="coverage"
        name="system"
        label="Systems (slugs, comma-separated)"
        value={values.system}
        suggestions={slugChoices(options.systems)}
        autoComplete="off"
      />
      {values.sort ? <input type="hidden" name="sort" value={values.sort} /> : null}
      {values.dir ? <input type="hidden" name="dir" value={values.dir} /> : null}
    </FilterBar>
  );
}

export default function CoveragePage() {
  const loaded = useLoaderData<typeof loader>();
  if (!loaded.ok) {
    return (
      <>
        <h1>Coverage</h1>
        <Filters values={loaded.values} options={loaded.options} />
        <p className="form-error" role="alert">
          {loaded.error}
        </p>
      </>
    );
  }
  const { values, options, asOf, metrics, matrix, matrixTotal, page, pages, trend, charts, sort, dir } = loaded;
  const base = filterQuery(values);
  const withParams = (extra: Record<string, string>) => `?${filterQuery(values, extra)}`;
  const sortHref = (key: "tier" | "name") => withParams({ sort: key, dir: sort === key && dir === "asc" ? "desc" : "asc" });
  const csv = (table: string) => `/coverage.csv?${filterQuery(values, { table, sort, dir })}`;
  return (
    <>
      <h1>Coverage</h1>
      <p className="muted">
        Contingency plans, drills, inspections and runbooks of the active systems in scope, as of the end of <strong>{asOf}</strong> (UTC).
        Formulas: shared/domain.md, Metrics 1-4.{" "}
        <a href={`/coverage/print${base ? `?${base}` : ""}`}>Printable report</a>
      </p>
      <Filters values={values} options={options} />
      {matrixTotal === 0 ? (
        <p className="empty">
          {options.activeSystems
            ? "No active system matches these filters. Clear a filter to see more."
            : "The catalog has no active systems yet. Describe them in catalog/systems.yaml (see content/README.md) or under Admin → Systems."}
        </p>
      ) : (
        <>
          <MetricCards metrics={metrics} moreHref={withParams({ all: "1" })} csvHref={csv} />
          <h2 id="coverage-matrix">Systems</h2>
          <p className="small">
            {matrixTotal} {matrixTotal === 1 ? "system" : "systems"}; sort by <a href={sortHref("tier")}>tier</a> or{" "}
            <a href={sortHref("name")}>name</a> ·{" "}
            <a href={csv("matrix")} download>
              Download CSV
            </a>
          </p>
          <CoverageMatrix rows={matrix} sort={sort} dir={dir} sortHref={sortHref} />
          <Pager page={page} pages={pages} search={filterQuery(values, { sort, dir })} label="Matrix pages" />
          <h2 id="coverage-trend">Last 12 months</h2>
          <p className="small">
            <a href={csv("trend")} download>
              Download CSV
            </a>
          </p>
          <CoverageTrend trend={trend} charts={charts} labels={METRIC_LABELS} />
        </>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
