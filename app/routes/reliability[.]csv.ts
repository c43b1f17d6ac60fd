import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireReader } from "~/auth/session.server";
import { csvResponse } from "~/lib/csv";
import { getRuntime } from "~/lib/runtime.server";
import { timeZoneFromCookie } from "~/lib/time";
import { parseReliabilityParams, RELIABILITY_CSV_TABLES, reliabilityCsv, scopeOptions, type ReliabilityCsvTable } from "~/metrics/reliability-page.server";
import { getReliabilityReport } from "~/metrics/reliability.server";

/**
 * GET /reliability.csv?table=<availability|durations|ratios|items|overdue|trend>&<the filters of
 * /reliability> -> that table as `reliability-<table>-<from>-<to>.csv` (periods in the viewer's time
 * zone, like the page). 400 text naming a bad parameter.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireReader(request);
  const params = new URL(request.url).searchParams;
  const table = (params.get("table") ?? "availability") as ReliabilityCsvTable;
  const bad = (message: string) => new Response(`${message}\n`, { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
  if (!RELIABILITY_CSV_TABLES.includes(table)) return bad(`table must be one of ${RELIABILITY_CSV_TABLES.join(", ")}`);
  const { db } = await getRuntime();
  const now = new Date();
  const timeZone = timeZoneFromCookie(request.headers.get("cookie"));
  const parsed = parseReliabilityParams(params, now, timeZone, await scopeOptions(db));
  if (!parsed.ok) return bad(parsed.error);
  const report = await getReliabilityReport(db, { period: parsed.period, scope: parsed.scope, asOf: now, timeZone, trends: table === "trend" });
  return csvResponse(`reliability-${table}-${parsed.period.fromDay}-${parsed.period.toDay}.csv`, reliabilityCsv(report, table));
}
