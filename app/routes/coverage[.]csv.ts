import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireReader } from "~/auth/session.server";
import { csvResponse } from "~/lib/csv";
import { getRuntime } from "~/lib/runtime.server";
import { coverageCsv, CSV_TABLES, loadCoverage, type CsvTable } from "~/metrics/coverage-page.server";

/**
 * GET /coverage.csv?table=plan|drill|inspection|runbook|matrix|trend&<the filters of /coverage> (readers)
 * -> `coverage-<table>-<asOf>.csv`: a metric's shortfalls, the matrix, or the 12-month trend.
 * 400 text naming a bad parameter.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireReader(request);
  const params = new URL(request.url).searchParams;
  const table = params.get("table") ?? "";
  const bad = (message: string) => new Response(`${message}\n`, { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
  if (!(CSV_TABLES as readonly string[]).includes(table)) return bad(`table must be one of ${CSV_TABLES.join(", ")}`);
  const { db } = await getRuntime();
  const loaded = await loadCoverage(db, params, new Date(), { trend: table === "trend" });
  if (!loaded.ok) return bad(loaded.error);
  const asOf = loaded.query.asOf.toISOString().slice(0, 10);
  return csvResponse(`coverage-${table}-${asOf}.csv`, coverageCsv(loaded.report, table as CsvTable, loaded.query.sort, loaded.query.dir));
}
