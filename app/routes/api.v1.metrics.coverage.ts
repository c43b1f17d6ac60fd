import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireReader } from "~/auth/session.server";
import { jsonError } from "~/lib/http.server";
import { getRuntime } from "~/lib/runtime.server";
import { coverageJson, loadCoverage } from "~/metrics/coverage-page.server";

/**
 * GET /api/v1/metrics/coverage?asOf=YYYY-MM-DD&team=&tier=&system= (readers, tokens with the read scope)
 * -> { asOf, scope, planCoverage, drillCoverage, inspectionCoverage, runbookCoverage }, each
 * { value, numerator, denominator, shortfalls: [{ system, plan?, systems?, reason, dueSince, overdueDays }] }
 * (shared/domain.md "Metrics" 1-4; value a fraction 0..1, null when nothing is in scope). Filters repeat or
 * take commas. 400 { error, parameter } naming a bad parameter.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireReader(request);
  const { db } = await getRuntime();
  const loaded = await loadCoverage(db, new URL(request.url).searchParams, new Date(), { trend: false });
  if (!loaded.ok) return jsonError(400, loaded.error, { parameter: loaded.parameter });
  return Response.json(coverageJson(loaded.report), { headers: { "cache-control": "no-store" } });
}
