import type { LoaderFunctionArgs } from "@remix-run/node";
import { auditEntryJson, listAuditEntries, parseAuditParams } from "~/audit/queries.server";
import { requireRole } from "~/auth/session.server";
import { jsonError } from "~/lib/http.server";
import { getRuntime } from "~/lib/runtime.server";

/**
 * GET /api/v1/audit?actor=&action=&targetType=&target=&from=&to=&limit=&offset= (admins)
 * -> { entries: [{ id, at, actor, actorUserId, action, targetType, target, revision, details, ip }], total },
 * newest first. `actor`: part of it, case-insensitive; `action`: a prefix (`system.` or `document`);
 * `targetType`, `target`: exact; `from`/`to`: YYYY-MM-DD (UTC, inclusive) or ISO date-time;
 * `limit` 1-500 (default 50). 400 { error } naming a bad parameter.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const parsed = parseAuditParams(new URL(request.url).searchParams);
  if (!parsed.ok) return jsonError(400, parsed.error);
  const { db } = await getRuntime();
  const { entries, total } = await listAuditEntries(db, parsed.filters, { limit: parsed.limit, offset: parsed.offset });
  return Response.json({ entries: entries.map(auditEntryJson), total }, { headers: { "cache-control": "no-store" } });
}
