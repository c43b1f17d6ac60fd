import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireReader } from "~/auth/session.server";
import { parseActionFilters } from "~/corrective-actions/filters";
import { correctiveActionsCsv } from "~/corrective-actions/queries.server";
import { csvResponse } from "~/lib/csv";
import { getRuntime } from "~/lib/runtime.server";

/**
 * GET /actions.csv?<the filters of /actions> -> the matching corrective actions as
 * `corrective-actions-YYYY-MM-DD.csv`, in the page's order, at most 100,000 rows
 * (`X-Drillbook-Truncated: true` when more matched). 400 text naming a bad filter.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireReader(request);
  const parsed = parseActionFilters(new URL(request.url).searchParams);
  if (!parsed.ok) return new Response(`${parsed.error}\n`, { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
  const { db } = await getRuntime();
  const now = new Date();
  const { csv, truncated } = await correctiveActionsCsv(db, parsed.filters, now);
  return csvResponse(`corrective-actions-${now.toISOString().slice(0, 10)}.csv`, csv, truncated ? { "x-drillbook-truncated": "true" } : {});
}
