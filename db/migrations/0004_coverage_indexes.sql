-- Coverage dashboard (app/metrics/coverage.server.ts): the latest inspection of a system on or before
-- each as-of day is one probe of this index per (system, day), ordered exactly as the query orders
-- (newest first, ties by id) and covering the columns it reads, so no sort and no table access.
CREATE INDEX IF NOT EXISTS "inspections_system_latest_idx" ON "inspections" USING btree ("system_id", "inspected_at" DESC, "id") INCLUDE ("result");
