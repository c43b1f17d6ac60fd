-- What each move of the data version touched (app/lib/data-version.server.ts): one row per version,
-- naming the table written ("relation") and the earliest instant whose figures the change can alter
-- ("affected_from"), so a cached result that reads other tables, or only rows dated before that, stays. A figure computed
-- as of an instant E (a trend month's end, a dashboard's as-of day) only depends on rows dated before
-- E, so it stays valid across every later change whose affected_from is after E: a drill recorded
-- today, an incident opened by Alertmanager or an action closed this week leave last year's trend
-- months cached. '-infinity' means "everything" (catalog edits, deletions that cascade, a change of
-- what a record belongs to); 'infinity' means "no figure" (nothing the metrics read changed).
--
-- Replaces migration 0005's triggers: statement-level AFTER triggers with transition tables, one per
-- table and event (PostgreSQL allows transition tables only on single-event triggers). A statement
-- that changed no row moves nothing. Per table, what a row's change can alter from (the older of
-- the old and the new row on UPDATE):
--   teams, slas, systems, system_dependencies         everything (the catalog: tiers, intervals, targets, owners)
--   documents                                          INSERT, UPDATE: now (the current revision: the as-of day
--                                                      only, since each revision's metadata carries its own status
--                                                      and systems, RevisionMetadata), but everything when slug, kind,
--                                                      title, status, owner or last_reviewed changed, or when one of
--                                                      its revisions lacks a status or systems list (the trend then
--                                                      falls back to the document's); DELETE: everything
--   revisions                                          created_at
--   document_systems                                   the earliest due day of the corrective actions of the
--                                                      plan's drills (their scope goes through it); none: nothing
--   plan_reviews                                       reviewed_at
--   drills, inspections                                held_at / inspected_at; everything when the plan / system
--                                                      changed on UPDATE (their actions' scope moves)
--   incidents, incident_runbooks                       the incident's started_at (figures only see incidents started
--                                                      by their as-of instant, Metrics 5-9); incident gone: nothing more
--   incident_systems                                   the older of the incident's started_at and its actions' due
--                                                      days (their scope goes through it); incident gone (a cascade
--                                                      of its deletion, which logs its own started_at, and its
--                                                      actions' deletions their due days): nothing more
--   corrective_actions                                 the due day (closure is counted by due day, Metrics 8); none: nothing
-- Due days are dates; two days are taken off so a month in any time zone that could hold the due
-- day counts as touched. Old rows are pruned (every 1,000th version keeps the last 100,000).
CREATE TABLE IF NOT EXISTS "data_changes" (
  "version" bigint PRIMARY KEY,
  "relation" text NOT NULL,
  "affected_from" timestamptz NOT NULL
);
--> statement-breakpoint
DO $$
DECLARE
  watched text;
BEGIN
  FOREACH watched IN ARRAY ARRAY['teams', 'slas', 'systems', 'system_dependencies', 'documents', 'revisions',
    'document_systems', 'plan_reviews', 'drills', 'inspections', 'incidents', 'incident_systems',
    'incident_runbooks', 'corrective_actions']
  LOOP
    EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', watched || '_bump_data_version', watched);
  END LOOP;
END;
$$;
--> statement-breakpoint
DROP FUNCTION IF EXISTS bump_data_version();
--> statement-breakpoint
-- TG_ARGV[0]: an expression over the changed row "r" giving the instant its change affects figures
-- from (NULL counts as everything). TG_ARGV[1] (optional, UPDATE only): a condition over the old
-- row "o" and new row "n" (joined by id) under which the change affects everything.
CREATE OR REPLACE FUNCTION record_data_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed bigint;
  affected timestamptz;
  moved boolean := false;
  next_version bigint;
  per_row text := format('coalesce((%s)::timestamptz, ''-infinity''::timestamptz)', TG_ARGV[0]);
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    changed := 1;
    affected := '-infinity';
  ELSIF TG_OP = 'INSERT' THEN
    EXECUTE format('select count(*), min(%s) from new_rows r', per_row) INTO changed, affected;
  ELSIF TG_OP = 'DELETE' THEN
    EXECUTE format('select count(*), min(%s) from old_rows r', per_row) INTO changed, affected;
  ELSE
    EXECUTE format('select count(*), min(t) from (select %1$s as t from old_rows r union all select %1$s as t from new_rows r) x', per_row)
      INTO changed, affected;
    IF changed > 0 AND TG_NARGS > 1 THEN
      EXECUTE format('select exists (select 1 from old_rows o join new_rows n on n.id = o.id where %s)', TG_ARGV[1]) INTO moved;
      IF moved THEN
        affected := '-infinity';
      END IF;
    END IF;
  END IF;
  IF changed = 0 THEN
    RETURN NULL;
  END IF;
  UPDATE data_version SET version = version + 1 WHERE id = 1 RETURNING version INTO next_version;
  INSERT INTO data_changes (version, relation, affected_from) VALUES (next_version, TG_TABLE_NAME, affected);
  IF next_version % 1000 = 0 THEN
    DELETE FROM data_changes WHERE version <= next_version - 100000;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
DO $$
DECLARE
  spec text[];
  watched text;
  expression text;
  moved text;
BEGIN
  FOREACH spec SLICE 1 IN ARRAY ARRAY[
    ARRAY['teams', 'null', ''],
    ARRAY['slas', 'null', ''],
    ARRAY['systems', 'null', ''],
    ARRAY['system_dependencies', 'null', ''],
    ARRAY['documents', 'case when exists (select 1 from revisions v where v.document_id = r.id and (jsonb_typeof(v.metadata->''systems'') is distinct from ''array'' or v.metadata->>''status'' is null)) then null else now() end',
      'o.slug is distinct from n.slug or o.kind is distinct from n.kind or o.title is distinct from n.title or o.status is distinct from n.status or o.owner_team_id is distinct from n.owner_team_id or o.last_reviewed is distinct from n.last_reviewed'],
    ARRAY['revisions', 'r.created_at', ''],
    ARRAY['document_systems', 'coalesce((select min(ca.due_date) - 2 from corrective_actions ca join drills d on d.id = ca.drill_id where d.plan_document_id = r.document_id)::timestamp at time zone ''UTC'', ''infinity''::timestamptz)', ''],
    ARRAY['plan_reviews', 'r.reviewed_at', ''],
    ARRAY['drills', 'r.held_at', 'o.plan_document_id is distinct from n.plan_document_id'],
    ARRAY['inspections', 'r.inspected_at', 'o.system_id is distinct from n.system_id'],
    ARRAY['incidents', 'r.started_at', ''],
    ARRAY['incident_systems', 'coalesce((select least(i.started_at, (select min(ca.due_date) - 2 from corrective_actions ca where ca.incident_id = i.id)::timestamp at time zone ''UTC'') from incidents i where i.id = r.incident_id), ''infinity'')', ''],
    ARRAY['incident_runbooks', 'coalesce((select i.started_at from incidents i where i.id = r.incident_id), ''infinity'')', ''],
    ARRAY['corrective_actions', 'coalesce((r.due_date - 2)::timestamp at time zone ''UTC'', ''infinity''::timestamptz)', '']
  ]
  LOOP
    watched := spec[1];
    expression := spec[2];
    moved := spec[3];
    EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', watched || '_data_change_insert', watched);
    EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', watched || '_data_change_delete', watched);
    EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', watched || '_data_change_update', watched);
    EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', watched || '_data_change_truncate', watched);
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION record_data_change(%L)',
      watched || '_data_change_insert', watched, expression);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION record_data_change(%L)',
      watched || '_data_change_delete', watched, CASE WHEN watched = 'documents' THEN 'null' ELSE expression END);
    IF moved = '' THEN
      EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION record_data_change(%L)',
        watched || '_data_change_update', watched, expression);
    ELSE
      EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION record_data_change(%L, %L)',
        watched || '_data_change_update', watched, expression, moved);
    END IF;
    EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION record_data_change(%L)',
      watched || '_data_change_truncate', watched, 'null');
  END LOOP;
END;
$$;
