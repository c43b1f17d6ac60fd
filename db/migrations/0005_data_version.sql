-- One counter that every committed write to the tables the coverage and reliability metrics read
-- moves forward (app/lib/data-version.server.ts). Figures computed from those tables can be kept
-- while the counter stands still: the trend months of the dashboards are cached under it.
-- It is a row, not a sequence, on purpose: the new value becomes visible with the writing
-- transaction's commit, never before (a sequence moves at once, so a reader could cache figures
-- of old data under the new value). Statement-level triggers: one update per statement, not per row.
CREATE TABLE IF NOT EXISTS "data_version" (
  "id" integer PRIMARY KEY CHECK ("id" = 1),
  "version" bigint NOT NULL
);
--> statement-breakpoint
INSERT INTO "data_version" ("id", "version") VALUES (1, 1) ON CONFLICT DO NOTHING;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE data_version SET version = version + 1 WHERE id = 1;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
DO $$
DECLARE
  watched text;
BEGIN
  FOREACH watched IN ARRAY ARRAY['teams', 'slas', 'systems', 'system_dependencies', 'documents', 'revisions',
    'document_systems', 'plan_reviews', 'drills', 'inspections', 'incidents', 'incident_systems',
    'incident_runbooks', 'corrective_actions']
  LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()',
      watched || '_bump_data_version', watched);
  END LOOP;
END;
$$;
