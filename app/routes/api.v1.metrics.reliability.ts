import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireReader } from "~/auth/session.server";
import { jsonError } from "~/lib/http.server";
import { getRuntime } from "~/lib/runtime.server";
import { parseReliabilityParams, reliabilityJson, scopeOptions } from "~/metrics/reliability-page.server";
import { getReliabilityReport } from "~/metrics/reliability.server";

/**
 * GET /api/v1/metrics/reliability?from=&to=&preset=&team=&tier=&system=
 * -> `reliabilityJson` (app/metrics/reliability-page.server.ts). `from`/`to` are UTC days
 * (YYYY-MM-DD, both inclusive); without them the current quarter (UTC) so far. 400 `{ error,
 * parameter }` naming a bad parameter.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireReader(request);
  const { db } = await getRuntime();
  const now = new Date();
  const parsed = parseReliabilityParams(new URL(request.url).searchParams, now, "UTC", await scopeOptions(db));
  if (!parsed.ok) return jsonError(400, parsed.error, { parameter: parsed.parameter });
  const report = await getReliabilityReport(db, { period: parsed.period, scope: parsed.scope, asOf: now, timeZone: "UTC", trends: false });
  return Response.json(reliabilityJson(report), { headers: { "cache-control": "no-store" } });
}
