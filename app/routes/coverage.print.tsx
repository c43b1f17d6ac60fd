import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireReader } from "~/auth/session.server";
import { CoverageMatrix, MetricCards } from "~/components/coverage";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { getRuntime } from "~/lib/runtime.server";
import { loadCoverage, matrixViews, metricViews } from "~/metrics/coverage-page.server";
import { filterQuery } from "~/metrics/coverage-query";

export const meta: MetaFunction = () => [{ title: "Coverage report · Drillbook" }];

/**
 * GET /coverage/print?asOf=&team=&tier=&system=&sort=&dir= (readers): the report for auditors, with
 * every shortfall and the whole matrix, laid out for paper (print stylesheet in app/styles.css,
 * "Coverage"). Same parameters and 400 as /coverage.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireReader(request);
  const url = new URL(request.url);
  const { db } = await getRuntime();
  const now = new Date();
  const loaded = await loadCoverage(db, url.searchParams, now, { trend: false });
  if (!loaded.ok) throw new Response(loaded.error, { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
  const { query, report, catalog } = loaded;
  const teamNames = new Map(catalog.teams.map((t) => [t.slug, t.name]));
  const scope = [
    query.scope.team?.length ? `team ${query.scope.team.map((t) => teamNames.get(t) ?? t).join(", ")}` : null,
    query.scope.tier?.length ? `tier ${query.scope.tier.join(", ")}` : null,
    query.scope.system?.length ? `systems ${query.scope.system.join(", ")}` : null,
  ].filter(Boolean);
  return {
    asOf: query.asOf.toISOString().slice(0, 10),
    generatedAt: now.toISOString().replace(/\.\d{3}Z$/, "Z"),
    scope: scope.length ? scope.join("; ") : "all active systems",
    metrics: metricViews(report).map((m) => ({ ...m, shortfallTotal: m.shortfalls.length })),
    matrix: matrixViews(report.matrix, query.sort, query.dir),
    back: `/coverage${filterQuery(query.values) ? `?${filterQuery(query.values)}` : ""}`,
  };
}

export default function CoveragePrintPage() {
  const { asOf, generatedAt, scope, metrics, matrix, back } = useLoaderData<typeof loader>();
  return (
    <article className="coverage-print">
      <p className="no-print small">
        <Link to={back}>Back to the dashboard</Link> · Use your browser's Print command; navigation is left off the paper.
      </p>
      <h1>Continuity coverage report</h1>
      <dl className="coverage-print-meta">
        <dt>As of</dt>
        <dd>{asOf} (end of day, UTC)</dd>
        <dt>Scope</dt>
        <dd>{scope}</dd>
        <dt>Generated at</dt>
        <dd>{generatedAt}</dd>
        <dt>Formulas</dt>
        <dd>shared/domain.md, Metrics 1-4 (contingency-plan, drill, inspection and runbook coverage)</dd>
      </dl>
      {matrix.length === 0 ? (
        <p className="empty">No active system is in scope.</p>
      ) : (
        <>
          <MetricCards metrics={metrics} />
          <h2>Systems</h2>
          <CoverageMatrix rows={matrix} />
        </>
      )}
    </article>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
