/**
 * Reading corrective actions: the one list across incidents, drills and inspections (/actions and
 * its CSV), the open actions of a system (system page) and the actions of a postmortem's incident.
 *
 * "Overdue" = still `open`/`in_progress` and the due day (a UTC calendar day, as in
 * shared/domain.md "Metrics" 8 and app/metrics/reliability.ts) ended before `now`.
 */
import { sql, type SQL } from "drizzle-orm";
import { rowsOf, type Database } from "../../db/client";
import type { ActionSource, ActionStatus } from "../../db/schema/enums";
import { csvDocument } from "../lib/csv";
import { ACTIONS_PAGE_SIZE, type ActionFilters } from "./filters";

export interface ActionSystem {
  slug: string;
  name: string;
  lifecycle: string;
  team: string | null;
  teamName: string | null;
}

/** One row of the corrective-action list. */
export interface ActionListItem {
  id: string;
  title: string;
  owner: string;
  /** YYYY-MM-DD or null. */
  dueDate: string | null;
  status: ActionStatus;
  notes: string;
  version: number;
  createdAt: string;
  closedAt: string | null;
  /** Whole days since it was created. */
  ageDays: number;
  overdue: boolean;
  /** Whole days past the due day (0 when not overdue). */
  daysOverdue: number;
  source: { type: ActionSource; id: string; label: string; href: string };
  /** Systems of the source (incident's affected systems, drill's plan's systems, inspected system). */
  systems: ActionSystem[];
}

const DAY_MS = 86_400_000;
const utcDay = (d: Date) => d.toISOString().slice(0, 10);

/** `COND` on alias `s` (systems) / `t` (owner team) holds for a system of the action's source (alias `ca`). */
function sourceSystemMatches(cond: SQL): SQL {
  return sql`(exists (select 1 from incident_systems x join systems s on s.id = x.system_id left join teams t on t.id = s.owner_team_id
                      where x.incident_id = ca.incident_id and ${cond})
    or exists (select 1 from drills d join document_systems ds on ds.document_id = d.plan_document_id join systems s on s.id = ds.system_id
               left join teams t on t.id = s.owner_team_id where d.id = ca.drill_id and ${cond})
    or exists (select 1 from inspections n join systems s on s.id = n.system_id left join teams t on t.id = s.owner_team_id
               where n.id = ca.inspection_id and ${cond}))`;
}

function whereOf(filters: ActionFilters): SQL {
  const parts: SQL[] = [sql`ca.status in (${sql.join(filters.statuses.map((s) => sql`${s}`), sql`, `)})`];
  if (filters.system) parts.push(sourceSystemMatches(sql`s.slug = ${filters.system}`));
  if (filters.team) parts.push(sourceSystemMatches(sql`t.slug = ${filters.team}`));
  if (filters.owner) parts.push(sql`ca.owner ilike ${`%${filters.owner.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
  if (filters.source === "incident") parts.push(sql`ca.incident_id is not null`);
  if (filters.source === "drill") parts.push(sql`ca.drill_id is not null`);
  if (filters.source === "inspection") parts.push(sql`ca.inspection_id is not null`);
  return sql.join(parts, sql` and `);
}

const systemsJson = (from: SQL) =>
  sql`(select json_agg(json_build_object('slug', s.slug, 'name', s.name, 'lifecycle', s.lifecycle, 'team', t.slug, 'teamName', t.name) order by s.name) ${from})`;

interface ListSqlRow {
  id: string;
  title: string;
  owner: string;
  due: string | null;
  status: ActionStatus;
  notes: string;
  version: number;
  created_ms: number | string;
  closed_ms: number | string | null;
  incident_id: string | null;
  drill_id: string | null;
  inspection_id: string | null;
  incident_number: number | null;
  incident_title: string | null;
  drill_scenario: string | null;
  drill_held: string | null;
  inspection_system: string | null;
  inspection_at: string | null;
  systems: ActionSystem[] | string | null;
}

function toItem(r: ListSqlRow, now: Date): ActionListItem {
  const createdAt = new Date(Number(r.created_ms));
  const dueEnd = r.due ? Date.parse(`${r.due}T00:00:00Z`) + DAY_MS : null;
  const open = r.status === "open" || r.status === "in_progress";
  const overdue = open && dueEnd !== null && dueEnd <= now.getTime();
  const type: ActionSource = r.incident_id ? "incident" : r.drill_id ? "drill" : "inspection";
  const source =
    type === "incident"
      ? { type, id: r.incident_id!, label: `INC-${r.incident_number} ${r.incident_title ?? ""}`.trim(), href: `/incidents/${r.incident_number}` }
      : type === "drill"
        ? { type, id: r.drill_id!, label: `Drill: ${r.drill_scenario ?? ""} (${r.drill_held ?? ""})`, href: `/drills/${r.drill_id}` }
        : { type, id: r.inspection_id!, label: `Inspection: ${r.inspection_system ?? ""} (${r.inspection_at ?? ""})`, href: `/inspections/${r.inspection_id}` };
  const systems = typeof r.systems === "string" ? (JSON.parse(r.systems) as ActionSystem[]) : (r.systems ?? []);
  return {
    id: r.id,
    title: r.title,
    owner: r.owner,
    dueDate: r.due,
    status: r.status,
    notes: r.notes,
    version: Number(r.version),
    createdAt: createdAt.toISOString(),
    closedAt: r.closed_ms === null ? null : new Date(Number(r.closed_ms)).toISOString(),
    ageDays: Math.max(0, Math.floor((now.getTime() - createdAt.getTime()) / DAY_MS)),
    overdue,
    daysOverdue: overdue && dueEnd !== null ? Math.floor((now.getTime() - dueEnd) / DAY_MS) + 1 : 0,
    source,
    systems,
  };
}

function selectList(where: SQL, today: string, limit: number | null, offset: number): SQL {
  return sql`
    select ca.id, ca.title, ca.owner, ca.due_date::text as due, ca.status, ca.notes, ca.version,
      (date_part('epoch', ca.created_at) * 1000)::int8::text as created_ms,
      (date_part('epoch', ca.closed_at) * 1000)::int8::text as closed_ms,
      ca.incident_id, ca.drill_id, ca.inspection_id,
      inc.number as incident_number, inc.title as incident_title,
      d.scenario as drill_scenario, to_char(d.held_at at time zone 'UTC', 'YYYY-MM-DD') as drill_held,
      ns.name as inspection_system, to_char(n.inspected_at at time zone 'UTC', 'YYYY-MM-DD') as inspection_at,
      coalesce(
        ${systemsJson(sql`from incident_systems x join systems s on s.id = x.system_id left join teams t on t.id = s.owner_team_id where x.incident_id = ca.incident_id`)},
        ${systemsJson(sql`from document_systems ds join systems s on s.id = ds.system_id left join teams t on t.id = s.owner_team_id where ds.document_id = d.plan_document_id`)},
        ${systemsJson(sql`from systems s left join teams t on t.id = s.owner_team_id where s.id = n.system_id`)}
      ) as systems
    from corrective_actions ca
    left join incidents inc on inc.id = ca.incident_id
    left join drills d on d.id = ca.drill_id
    left join inspections n on n.id = ca.inspection_id
    left join systems ns on ns.id = n.system_id
    where ${where}
    order by coalesce(ca.status in ('open', 'in_progress') and ca.due_date < ${today}::date, false) desc,
      ca.due_date asc nulls last, ca.created_at asc, ca.id asc
    ${limit === null ? sql`` : sql`limit ${limit} offset ${offset}`}`;
}

/**
 * One page of the corrective-action list: overdue first (oldest due date first), then by due date
 * (none last), then oldest first. Returns the rows and the total that match.
 */
export async function listCorrectiveActions(
  db: Database,
  filters: ActionFilters,
  options: { page?: number; pageSize?: number; now?: Date } = {},
): Promise<{ items: ActionListItem[]; total: number; page: number; pageSize: number }> {
  const now = options.now ?? new Date();
  const pageSize = options.pageSize ?? ACTIONS_PAGE_SIZE;
  const page = Math.max(1, options.page ?? 1);
  const where = whereOf(filters);
  const [rows, count] = await Promise.all([
    db.execute(selectList(where, utcDay(now), pageSize, (page - 1) * pageSize)),
    db.execute(sql`select count(*)::int as n from corrective_actions ca where ${where}`),
  ]);
  return {
    items: rowsOf<ListSqlRow>(rows).map((r) => toItem(r, now)),
    total: Number(rowsOf<{ n: number }>(count)[0]?.n ?? 0),
    page,
    pageSize,
  };
}

/** Most rows a CSV download holds. */
export const ACTIONS_CSV_MAX_ROWS = 100_000;

/**
 * The filtered list as CSV (same order as the page, at most ACTIONS_CSV_MAX_ROWS rows): id, title,
 * owner, due_date, status, overdue, days_overdue, age_days, created_at, closed_at, source_type,
 * source, source_url, systems, teams, notes. `truncated` when more matched.
 */
export async function correctiveActionsCsv(db: Database, filters: ActionFilters, now: Date = new Date()): Promise<{ csv: string; truncated: boolean }> {
  const rows = rowsOf<ListSqlRow>(await db.execute(selectList(whereOf(filters), utcDay(now), ACTIONS_CSV_MAX_ROWS + 1, 0)));
  const truncated = rows.length > ACTIONS_CSV_MAX_ROWS;
  const items = rows.slice(0, ACTIONS_CSV_MAX_ROWS).map((r) => toItem(r, now));
  const csv = csvDocument(
    ["id", "title", "owner", "due_date", "status", "overdue", "days_overdue", "age_days", "created_at", "closed_at", "source_type", "source", "source_url", "systems", "teams", "notes"],
    items.map((a) => [
      a.id,
      a.title,
      a.owner,
      a.dueDate,
      a.status,
      a.overdue ? "yes" : "no",
      a.daysOverdue,
      a.ageDays,
      a.createdAt,
      a.closedAt,
      a.source.type,
      a.source.label,
      a.source.href,
      a.systems.map((s) => s.slug).join(" "),
      [...new Set(a.systems.flatMap((s) => (s.team ? [s.team] : [])))].join(" "),
      a.notes,
    ]),
  );
  return { csv, truncated };
}

/** Open and in-progress actions whose source touches the system, overdue first (at most `limit`), and how many there are. */
export function openActionsForSystem(db: Database, slug: string, limit = 20, now: Date = new Date()) {
  return listCorrectiveActions(
    db,
    { system: slug, team: null, owner: null, statuses: ["open", "in_progress"], source: null },
    { pageSize: limit, now },
  );
}

/** Every action of the incidents whose postmortem is the document (any status), in list order. */
export async function actionsForPostmortem(db: Database, documentId: string, now: Date = new Date()): Promise<ActionListItem[]> {
  const where = sql`ca.incident_id in (select i.id from incidents i where i.postmortem_document_id = ${documentId})`;
  const rows = await db.execute(selectList(where, utcDay(now), 500, 0));
  return rowsOf<ListSqlRow>(rows).map((r) => toItem(r, now));
}
