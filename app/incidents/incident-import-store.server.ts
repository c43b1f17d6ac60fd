/**
 * What the incident importer (incident-import.server.ts) reads and writes, in a few statements
 * whatever the number of incidents, as app/continuity/import.server.ts does for drills and
 * inspections: one query loads the stored incidents an import names (with their systems, runbooks,
 * events and corrective-action titles), one the catalog entries it names, and each table is then
 * written with one statement whose rows travel as one JSON parameter (`jsonb_to_recordset`; many
 * bound parameters are slow on PGlite). The importer decides in plain JS what changed; this file
 * only moves rows.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { rowsOf, type Executor } from "../../db/client";
import { auditLog, correctiveActions, documents, incidentEvents, incidentRunbooks, incidentSystems, incidents, systems } from "../../db/schema";
import type { TimestampSources } from "../../db/schema/incidents";
import type { AuditInput } from "../audit/audit.server";
import type { CorrectiveActionInput } from "../corrective-actions/input";
import { incidentReference, type IncidentInput } from "./incident-input";
import { columnsOf } from "./incidents.server";
import { insertCorrectiveActionsInBulk } from "../corrective-actions/actions.server";

type Columns = ReturnType<typeof columnsOf>;

/**
 * An incident as the importer sees it: stored before the import, or created by it (`number` null
 * until written). The importer changes the fields and sets the flags; `writeIncidentPlan` writes them.
 */
export interface IncidentState {
  id: string;
  number: number | null;
  /** Created by this import. */
  isNew: boolean;
  externalKey: string | null;
  version: number;
  /** The editable columns, as stored (`financialImpact` as numeric text) or as they will be. */
  columns: Columns;
  timestampSources: TimestampSources;
  postmortemDocumentId: string | null;
  /** Number of the incident it recurs (stored incidents only; a new target has its state). */
  recurrenceNumber: number | null;
  /** System and runbook slugs, sorted. */
  systems: string[];
  runbooks: string[];
  events: Array<{ at: Date; text: string; source: string }>;
  /** Titles of all its corrective actions (whatever their source). */
  actionTitles: Set<string>;
  /** The row must be written (columns, sources, postmortem link, version). */
  dirty: boolean;
  /** Its systems and runbooks must be replaced. */
  linksChanged: boolean;
}

/** A new incident's state from validated input (written by `writeIncidentPlan`). */
export function newIncidentState(
  input: IncidentInput,
  options: { externalKey: string; recurrenceOfId: string | null; timestampSources: TimestampSources; postmortemDocumentId: string | null; eventSource: string },
): IncidentState {
  return {
    id: randomUUID(),
    number: null,
    isNew: true,
    externalKey: options.externalKey,
    version: 1,
    columns: columnsOf(input, options.recurrenceOfId),
    timestampSources: options.timestampSources,
    postmortemDocumentId: options.postmortemDocumentId,
    recurrenceNumber: null,
    systems: [...input.systems].sort(),
    runbooks: [...input.runbooks].sort(),
    events: input.events.map((e) => ({ at: e.at, text: e.text, source: options.eventSource })),
    actionTitles: new Set(input.actions.map((a) => a.title)),
    dirty: false,
    linksChanged: true,
  };
}

/** "INC-12" of a state (after `writeIncidentPlan` for a new one). */
export function stateReference(state: IncidentState): string {
  if (state.number === null) throw new Error(`incident ${state.externalKey ?? state.id} has no number yet`);
  return incidentReference(state.number);
}

function parseJson<T>(value: T | string): T {
  return typeof value === "string" ? (JSON.parse(value) as T) : value;
}

const jsonList = (values: readonly unknown[]) => JSON.stringify(values);

/**
 * The stored incidents with one of these external keys, numbers or ids, in ONE query (each list
 * travels as one JSON parameter), with their system and runbook slugs, events and action titles.
 */
export async function loadIncidentStates(tx: Executor, refs: { keys: string[]; numbers: number[]; ids: string[] }): Promise<IncidentState[]> {
  if (refs.keys.length + refs.numbers.length + refs.ids.length === 0) return [];
  // drizzle leaves columns of a one-table select unqualified; the subqueries name the outer row explicitly.
  const outer = sql.raw('"incidents"');
  const rows = await tx
    .select({
      incident: incidents,
      recurrenceNumber: sql<number | null>`(select r.number from ${incidents} r where r.id = ${outer}.recurrence_of_id)`,
      systems: sql<string[] | string>`(
        select coalesce(json_agg(s.slug order by s.slug), '[]'::json)
        from ${incidentSystems} x join ${systems} s on s.id = x.system_id where x.incident_id = ${outer}.id)`,
      runbooks: sql<string[] | string>`(
        select coalesce(json_agg(d.slug order by d.slug), '[]'::json)
        from ${incidentRunbooks} x join ${documents} d on d.id = x.document_id where x.incident_id = ${outer}.id)`,
      events: sql<Array<{ at: string; text: string; source: string }> | string>`(
        select coalesce(json_agg(json_build_object('at', e.at, 'text', e.text, 'source', e.source) order by e.at, e.id), '[]'::json)
        from ${incidentEvents} e where e.incident_id = ${outer}.id)`,
      actionTitles: sql<string[] | string>`(
        select coalesce(json_agg(a.title), '[]'::json) from ${correctiveActions} a where a.incident_id = ${outer}.id)`,
    })
    .from(incidents)
    .where(
      sql`${incidents.externalKey} in (select jsonb_array_elements_text(${jsonList(refs.keys)}::jsonb))
        or ${incidents.number} in (select jsonb_array_elements_text(${jsonList(refs.numbers)}::jsonb)::integer)
        or ${incidents.id} in (select jsonb_array_elements_text(${jsonList(refs.ids)}::jsonb)::uuid)`,
    );
  return rows.map(({ incident: i, ...r }) => ({
    id: i.id,
    number: i.number,
    isNew: false,
    externalKey: i.externalKey,
    version: i.version,
    columns: {
      title: i.title,
      severity: i.severity,
      status: i.status,
      summary: i.summary,
      startedAt: i.startedAt,
      detectedAt: i.detectedAt,
      acknowledgedAt: i.acknowledgedAt,
      mitigatedAt: i.mitigatedAt,
      resolvedAt: i.resolvedAt,
      timezone: i.timezone,
      customerImpact: i.customerImpact,
      usersAffected: i.usersAffected,
      failedTransactions: i.failedTransactions,
      financialImpact: i.financialImpact,
      financialImpactCurrency: i.financialImpactCurrency,
      detectionSource: i.detectionSource,
      rootCauseCategory: i.rootCauseCategory,
      recurrenceOfId: i.recurrenceOfId,
    },
    timestampSources: i.timestampSources,
    postmortemDocumentId: i.postmortemDocumentId,
    recurrenceNumber: r.recurrenceNumber,
    systems: parseJson(r.systems),
    runbooks: parseJson(r.runbooks),
    events: parseJson(r.events).map((e) => ({ at: new Date(e.at), text: e.text, source: e.source })),
    actionTitles: new Set(parseJson(r.actionTitles)),
    dirty: false,
    linksChanged: false,
  }));
}

/** Catalog entries an import names: system id, runbook id and postmortem id by slug. */
export interface ImportReferences {
  systems: Map<string, number>;
  runbooks: Map<string, string>;
  postmortems: Map<string, string>;
}

/** The systems, runbooks and postmortem documents with these slugs, in ONE query. */
export async function loadImportReferences(tx: Executor, slugs: { systems: string[]; runbooks: string[]; postmortems: string[] }): Promise<ImportReferences> {
  const refs: ImportReferences = { systems: new Map(), runbooks: new Map(), postmortems: new Map() };
  if (slugs.systems.length + slugs.runbooks.length + slugs.postmortems.length === 0) return refs;
  const rows = rowsOf<{ kind: string; slug: string; id: string }>(
    await tx.execute(sql`
      select 'system' as kind, slug, id::text as id from ${systems}
        where slug in (select jsonb_array_elements_text(${jsonList(slugs.systems)}::jsonb))
      union all
      select kind, slug, id::text from ${documents}
        where (kind = 'runbook' and slug in (select jsonb_array_elements_text(${jsonList(slugs.runbooks)}::jsonb)))
           or (kind = 'postmortem' and slug in (select jsonb_array_elements_text(${jsonList(slugs.postmortems)}::jsonb)))`),
  );
  for (const row of rows) {
    if (row.kind === "system") refs.systems.set(row.slug, Number(row.id));
    else if (row.kind === "runbook") refs.runbooks.set(row.slug, row.id);
    else refs.postmortems.set(row.slug, row.id);
  }
  return refs;
}

/** Everything an import writes, in the order it decided it (see `writeIncidentPlan`). */
export interface IncidentWritePlan {
  /** New incidents, in the order they get their numbers. */
  created: IncidentState[];
  /** Stored incidents whose row or links change. */
  changed: IncidentState[];
  /** Events of one source to remove before `events` are added. */
  eventDeletes: Array<{ incidentId: string; source: string }>;
  events: Array<{ incidentId: string; at: Date; text: string; source: string }>;
  /** `raisedAt`: when the incident raised it (its resolution, else its latest timestamp), the action's created_at. */
  actions: Array<{ incidentId: string; item: CorrectiveActionInput; raisedAt: Date }>;
  /** Built after the new incidents have their numbers (audit targets are INC-<number>). */
  audits: Array<() => AuditInput>;
}

export function emptyWritePlan(): IncidentWritePlan {
  return { created: [], changed: [], eventDeletes: [], events: [], actions: [], audits: [] };
}

const INCIDENT_COLUMNS = `title text, severity text, status text, summary text, started_at timestamptz, detected_at timestamptz,
  acknowledged_at timestamptz, mitigated_at timestamptz, resolved_at timestamptz, timezone text, timestamp_sources jsonb,
  customer_impact boolean, users_affected integer, failed_transactions integer, financial_impact numeric,
  financial_impact_currency text, detection_source text, root_cause_category text, recurrence_of_id uuid,
  postmortem_document_id uuid`;

function incidentRecord(state: IncidentState, ord: number) {
  const c = state.columns;
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    ord,
    id: state.id,
    title: c.title,
    severity: c.severity,
    status: c.status,
    summary: c.summary,
    started_at: iso(c.startedAt),
    detected_at: iso(c.detectedAt),
    acknowledged_at: iso(c.acknowledgedAt),
    mitigated_at: iso(c.mitigatedAt),
    resolved_at: iso(c.resolvedAt),
    timezone: c.timezone,
    timestamp_sources: state.timestampSources,
    customer_impact: c.customerImpact,
    users_affected: c.usersAffected,
    failed_transactions: c.failedTransactions,
    financial_impact: c.financialImpact,
    financial_impact_currency: c.financialImpactCurrency,
    detection_source: c.detectionSource,
    root_cause_category: c.rootCauseCategory,
    recurrence_of_id: c.recurrenceOfId,
    postmortem_document_id: state.postmortemDocumentId,
    version: state.version,
  };
}

/**
 * Writes `plan` through `tx` with at most one statement per table: new incidents (numbers given
 * in `created` order, so a re-created database numbers them as before; a recurrence may point at
 * an incident created by the same statement), changed incident rows (`updatedAt` = `now`), the
 * systems and runbooks of new and re-linked incidents, events, corrective actions (a `done`/`wont_do`
 * one without `closedAt` is closed at `now`, as `insertCorrectiveActions` does) and the audit entries.
 * Sets `number` on the new states. Catalog references must have been checked (`refs`).
 */
export async function writeIncidentPlan(tx: Executor, plan: IncidentWritePlan, refs: ImportReferences, options: { createdBy: string; now: Date }): Promise<void> {
  if (plan.created.length > 0) {
    const rows = plan.created.map((state, ord) => ({ ...incidentRecord(state, ord), external_key: state.externalKey }));
    const inserted = rowsOf<{ id: string; number: number }>(
      await tx.execute(sql`
        insert into ${incidents} (id, title, severity, status, summary, started_at, detected_at, acknowledged_at, mitigated_at,
          resolved_at, timezone, timestamp_sources, customer_impact, users_affected, failed_transactions, financial_impact,
          financial_impact_currency, detection_source, root_cause_category, recurrence_of_id, postmortem_document_id,
          origin, external_key, created_by)
        select id, title, severity, status, summary, started_at, detected_at, acknowledged_at, mitigated_at,
          resolved_at, timezone, timestamp_sources, customer_impact, users_affected, failed_transactions, financial_impact,
          financial_impact_currency, detection_source, root_cause_category, recurrence_of_id, postmortem_document_id,
          'import', external_key, ${options.createdBy}
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(ord integer, id uuid, ${sql.raw(INCIDENT_COLUMNS)}, external_key text)
        order by ord
        returning id, number`),
    );
    const numbers = new Map(inserted.map((r) => [r.id, Number(r.number)]));
    for (const state of plan.created) state.number = numbers.get(state.id) ?? null;
  }
  if (plan.changed.some((s) => s.dirty)) {
    const rows = plan.changed.filter((s) => s.dirty).map((state, ord) => incidentRecord(state, ord));
    await tx.execute(sql`
      update ${incidents} as i set title = x.title, severity = x.severity, status = x.status, summary = x.summary,
        started_at = x.started_at, detected_at = x.detected_at, acknowledged_at = x.acknowledged_at,
        mitigated_at = x.mitigated_at, resolved_at = x.resolved_at, timezone = x.timezone,
        timestamp_sources = x.timestamp_sources, customer_impact = x.customer_impact, users_affected = x.users_affected,
        failed_transactions = x.failed_transactions, financial_impact = x.financial_impact,
        financial_impact_currency = x.financial_impact_currency, detection_source = x.detection_source,
        root_cause_category = x.root_cause_category, recurrence_of_id = x.recurrence_of_id,
        postmortem_document_id = x.postmortem_document_id, version = x.version, updated_at = ${options.now.toISOString()}::timestamptz
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(ord integer, id uuid, ${sql.raw(INCIDENT_COLUMNS)}, version integer)
      where i.id = x.id`);
  }
  const relinked = plan.changed.filter((s) => s.linksChanged).map((s) => s.id);
  if (relinked.length > 0) {
    await tx.execute(sql`delete from ${incidentSystems} where incident_id in (select jsonb_array_elements_text(${jsonList(relinked)}::jsonb)::uuid)`);
    await tx.execute(sql`delete from ${incidentRunbooks} where incident_id in (select jsonb_array_elements_text(${jsonList(relinked)}::jsonb)::uuid)`);
  }
  const linked = [...plan.created, ...plan.changed.filter((s) => s.linksChanged)];
  const systemLinks = linked.flatMap((s) => s.systems.map((slug) => ({ incident_id: s.id, system_id: refs.systems.get(slug)! })));
  if (systemLinks.length > 0) {
    await tx.execute(sql`
      insert into ${incidentSystems} (incident_id, system_id)
      select incident_id, system_id from jsonb_to_recordset(${JSON.stringify(systemLinks)}::jsonb) as x(incident_id uuid, system_id integer)`);
  }
  const runbookLinks = linked.flatMap((s) => s.runbooks.map((slug) => ({ incident_id: s.id, document_id: refs.runbooks.get(slug)! })));
  if (runbookLinks.length > 0) {
    await tx.execute(sql`
      insert into ${incidentRunbooks} (incident_id, document_id)
      select incident_id, document_id from jsonb_to_recordset(${JSON.stringify(runbookLinks)}::jsonb) as x(incident_id uuid, document_id uuid)`);
  }
  if (plan.eventDeletes.length > 0) {
    await tx.execute(sql`
      delete from ${incidentEvents} e using jsonb_to_recordset(${JSON.stringify(plan.eventDeletes.map((d) => ({ incident_id: d.incidentId, source: d.source })))}::jsonb)
        as x(incident_id uuid, source text)
      where e.incident_id = x.incident_id and e.source = x.source`);
  }
  if (plan.events.length > 0) {
    const rows = plan.events.map((e, ord) => ({ ord, incident_id: e.incidentId, at: e.at.toISOString(), text: e.text, source: e.source }));
    await tx.execute(sql`
      insert into ${incidentEvents} (incident_id, at, text, source)
      select incident_id, at, text, source
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(ord integer, incident_id uuid, at timestamptz, text text, source text)
      order by ord`);
  }
  await insertCorrectiveActionsInBulk(
    tx,
    plan.actions.map(({ incidentId, item, raisedAt }) => ({ source: { type: "incident" as const, id: incidentId }, item, raisedAt })),
    options.createdBy,
    options.now,
  );
  if (plan.audits.length > 0) {
    const rows = plan.audits.map((build, ord) => {
      const a = build();
      return {
        ord,
        actor_user_id: a.actorUserId ?? null,
        actor: a.actor,
        action: a.action,
        target_type: a.targetType ?? null,
        target: a.target ?? null,
        revision: a.revision ?? null,
        details: a.details ?? {},
        ip: a.ip ?? null,
      };
    });
    await tx.execute(sql`
      insert into ${auditLog} (actor_user_id, actor, action, target_type, target, revision, details, ip)
      select actor_user_id, actor, action, target_type, target, revision, details, ip
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(ord integer, actor_user_id text, actor text, action text,
        target_type text, target text, revision integer, details jsonb, ip text)
      order by ord`);
  }
}
