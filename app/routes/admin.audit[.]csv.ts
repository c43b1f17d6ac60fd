import type { LoaderFunctionArgs } from "@remix-run/node";
import { auditCsv, parseAuditParams } from "~/audit/queries.server";
import { requireRole } from "~/auth/session.server";
import { getRuntime } from "~/lib/runtime.server";

/**
 * GET /admin/audit.csv?<the filters of /admin/audit> (admins) -> the matching entries as
 * `audit-YYYY-MM-DD.csv` (text/csv; charset=utf-8), newest first, at most 100,000 rows
 * (`X-Drillbook-Truncated: true` when more matched). 400 text naming a bad filter.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const parsed = parseAuditParams(new URL(request.url).searchParams);
  if (!parsed.ok) {
    return new Response(`${parsed.error}\n`, { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
  const { db } = await getRuntime();
  const { csv, truncated } = await auditCsv(db, parsed.filters);
  const filename = `audit-${new Date().toISOString().slice(0, 10)}.csv`;
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
      ...(truncated ? { "x-drillbook-truncated": "true" } : {}),
    },
  });
}
