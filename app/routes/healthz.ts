import { sql } from "drizzle-orm";
import { getRuntime } from "~/lib/runtime.server";
import { pendingOutboxCount } from "~/search/outbox.server";

/**
 * GET /healthz -> 200 { status: "ok", database, search } when the database answers and the search
 * engine is healthy; 503 with the same shape otherwise. `search.pendingChanges` is the outbox backlog.
 */
export async function loader() {
  const runtime = await getRuntime();
  const database = await runtime.db
    .execute(sql`select 1`)
    .then(() => ({ ok: true, driver: runtime.driver }))
    .catch((error: Error) => ({ ok: false, driver: runtime.driver, error: error.message }));
  const [search, pending] = await Promise.all([
    runtime.search.health().catch((error: Error) => ({ ok: false, engine: runtime.search.name, documents: 0, detail: error.message })),
    database.ok ? pendingOutboxCount(runtime.db) : Promise.resolve(null),
  ]);
  const ok = database.ok && search.ok;
  return Response.json(
    { status: ok ? "ok" : "degraded", database, search: { ...search, pendingChanges: pending }, uptimeSeconds: Math.round(process.uptime()) },
    { status: ok ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}
