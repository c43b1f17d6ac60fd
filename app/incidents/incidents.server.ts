/**
 * Incident commands and queries (shared/domain.md, "incident"). Every command validates its input
 * with incident-input.ts, checks catalog references (systems, runbooks, the incident a recurrence
 * points at), and writes the incident, its link rows, events, corrective actions and an audit entry
 * in ONE transaction: nothing is half-stored. An edit names the version it started from and is
 * refused with an IncidentConflictError carrying both sides when the incident moved on.
 */
import { and, asc, desc, eq, gte, inArray, lt, sql, type SQL } from "drizzle-orm";
import { rowsOf, type Database, type Executor } from "../../db/client";
import { correctiveActions, documents, incidentEvents, incidentRunbooks, incidentSystems, incidents, systems } from "../../db/schema";
import type { RecordOrigin } from "../../db/schema/enums";
import type { TimestampSources } from "../../db/schema/incidents";
import { recordAudit } from "../audit/audit.server";
import { insertCorrectiveActions } from "../corrective-actions/actions.server";
import type { Actor } from "../docs/save.server";
import {
  fieldErrorsOf,
  incidentInputSchema,
  incidentReference,
  parseIncidentReference,
  TIMESTAMP_FIELDS,
  type IncidentFieldErrors,
  type IncidentInput,
} from "./incident-input";

/** Who changes an incident: a person (Actor from save.server) or a process (`importer`, `alertmanager`). */
export type IncidentActor = Pick<Actor, "userId" | "email" | "ip">;

export type IncidentCommandResult = { ok: true; id: string; number: number; version: number } | { ok: false; fieldErrors: IncidentFieldErrors };

/** No incident has this number (or id). */
export class IncidentNotFoundError extends Error {
  override name = "IncidentNotFoundError";
}

/**
 * The incident changed since the version an edit was based on. Nothing was written. `current` is the
 * incident as it is now (with its version), `yours` the refused input, so both can be shown.
 */
export class IncidentConflictError extends Error {
  override name = "IncidentConflictError";
  constructor(
    readonly number: number,
    readonly baseVersion: number,
    readonly current: IncidentDetail,
    readonly yours: IncidentInput,
  ) {
    super(`${incidentReference(number)} is at version ${current.version}; this change was based on version ${baseVersion}.`);
  }
}

/**
 * Field errors for the system and runbook slugs of `input` that are not in `known` (the slugs that
 * exist: systems, and documents of kind runbook); {} when all are known. Shared with the importer.
 */
export function unknownReferenceErrors(
  input: Pick<IncidentInput, "systems" | "runbooks">,
  known: { systems: { has(slug: string): boolean }; runbooks: { has(slug: string): boolean } },
): IncidentFieldErrors {
  const fieldErrors: IncidentFieldErrors = {};
  const unknownSystems = input.systems.filter((s) => !known.systems.has(s));
  if (unknownSystems.length > 0) fieldErrors.systems = `not in the catalog: ${unknownSystems.join(", ")}; use system slugs from /systems`;
  const unknownRunbooks = input.runbooks.filter((s) => !known.runbooks.has(s));
  if (unknownRunbooks.length > 0) fieldErrors.runbooks = `no runbook with the slug ${unknownRunbooks.join(", ")}`;
  return fieldErrors;
}

/** Catalog ids for the references of an input; unknown names become field errors. */
async function resolveReferences(
  tx: Executor,
  input: Pick<IncidentInput, "systems" | "runbooks" | "recurrenceOf">,
  self: string | null,
): Promise<{ ok: true; systemIds: number[]; runbookIds: string[]; recurrenceOfId: string | null } | { ok: false; fieldErrors: IncidentFieldErrors }> {
  const systemRows = input.systems.length
    ? await tx.select({ id: systems.id, slug: systems.slug }).from(systems).where(inArray(systems.slug, input.systems))
    : [];
  const runbookRows = input.runbooks.length
    ? await tx
        .select({ id: documents.id, slug: documents.slug })
        .from(documents)
        .where(and(inArray(documents.slug, input.runbooks), eq(documents.kind, "runbook")))
    : [];
  const fieldErrors = unknownReferenceErrors(input, {
    systems: new Set(systemRows.map((r) => r.slug)),
    runbooks: new Set(runbookRows.map((r) => r.slug)),
  });
  let recurrenceOfId: string | null = null;
  if (input.recurrenceOf) {
    const found = await findIncidentId(tx, input.recurrenceOf);
    if (!found) fieldErrors.recurrenceOf = `no incident ${input.recurrenceOf}`;
    else if (found === self) fieldErrors.recurrenceOf = "an incident cannot be a recurrence of itself";
    else recurrenceOfId = found;
  }
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };
  return { ok: true, systemIds: systemRows.map((r) => r.id), runbookIds: runbookRows.map((r) => r.id), recurrenceOfId };
}

/** The id of the incident a reference names ("INC-12", "12", an id, or an import key), or null. */
export async function findIncidentId(db: Executor, reference: string): Promise<string | null> {
  const parsed = parseIncidentReference(reference);
  const where = parsed
    ? "number" in parsed
      ? eq(incidents.number, parsed.number)
      : eq(incidents.id, parsed.id)
    : eq(incidents.externalKey, reference.trim());
  const [row] = await db.select({ id: incidents.id }).from(incidents).where(where);
  return row?.id ?? null;
}

/** The `incidents` columns an input sets (financial impact as numeric text with 2 decimals). */
export function columnsOf(input: IncidentInput, recurrenceOfId: string | null) {
  return {
    title: input.title,
    severity: input.severity,
    status: input.status,
    summary: input.summary,
    startedAt: input.startedAt,
    detectedAt: input.detectedAt ?? null,
    acknowledgedAt: input.acknowledgedAt ?? null,
    mitigatedAt: input.mitigatedAt ?? null,
    resolvedAt: input.resolvedAt ?? null,
    timezone: input.timezone,
    customerImpact: input.customerImpact,
    usersAffected: input.usersAffected ?? null,
    failedTransactions: input.failedTransactions ?? null,
    financialImpact: input.financialImpact == null ? null : input.financialImpact.toFixed(2),
    financialImpactCurrency: input.financialImpact == null ? null : (input.financialImpactCurrency ?? null),
    detectionSource: input.detectionSource ?? null,
    rootCauseCategory: input.rootCauseCategory,
    recurrenceOfId,
  };
}

export interface CreateIncidentOptions {
  origin: RecordOrigin;
  /** Alertmanager group, import key (`import:<key>`, `postmortem:<slug>`) or API idempotency key. */
  externalKey?: string | null;
  /** Where the timestamps came from when not typed in. */
  timestampSources?: TimestampSources;
  /** Provenance of the input's `events` (incident_events.source); default the origin. */
  eventSource?: string;
  /** The postmortem document it is reviewed in. */
  postmortemDocumentId?: string | null;
  now?: Date;
}

/**
 * Creates an incident from raw input (validated here with incidentInputSchema) or already-parsed
 * input, with its systems, runbooks, events and corrective actions, and an `incident.create` audit
 * entry, in one transaction.
 * @returns `{ ok: true, id, number, version }` or `{ ok: false, fieldErrors }` naming each bad field
 *   (shape, timestamp order, unknown systems/runbooks/recurrence).
 */
export async function createIncident(db: Database, raw: unknown, actor: IncidentActor, options: CreateIncidentOptions): Promise<IncidentCommandResult> {
  const parsed = incidentInputSchema({ now: options.now }).safeParse(raw);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  return db.transaction((tx) => insertIncident(tx, parsed.data, actor, options));
}

/**
 * The body of createIncident for callers that already hold a transaction (the importer, the
 * Alertmanager webhook). `input` must be validated. Writes the audit entry too.
 */
export async function insertIncident(tx: Executor, input: IncidentInput, actor: IncidentActor, options: CreateIncidentOptions): Promise<IncidentCommandResult> {
  const refs = await resolveReferences(tx, input, null);
  if (!refs.ok) return refs;
  const [row] = await tx
    .insert(incidents)
    .values({
      ...columnsOf(input, refs.recurrenceOfId),
      timestampSources: options.timestampSources ?? {},
      origin: options.origin,
      externalKey: options.externalKey ?? null,
      postmortemDocumentId: options.postmortemDocumentId ?? null,
      createdBy: actor.email,
    })
    .returning({ id: incidents.id, number: incidents.number, version: incidents.version });
  const { id, number, version } = row!;
  await writeLinks(tx, id, refs.systemIds, refs.runbookIds);
  if (input.events.length > 0) {
    await tx.insert(incidentEvents).values(input.events.map((e) => ({ incidentId: id, at: e.at, text: e.text, source: options.eventSource ?? options.origin })));
  }
  const actionIds = await insertCorrectiveActions(tx, { type: "incident", id }, input.actions, actor.email, options.now);
  await recordAudit(tx, {
    actorUserId: actor.userId,
    actor: actor.email,
    action: "incident.create",
    targetType: "incident",
    target: incidentReference(number),
    details: incidentCreatedDetails(input, options.origin, options.externalKey ?? null, actionIds.length),
    ip: actor.ip,
  });
  return { ok: true, id, number, version };
}

async function writeLinks(tx: Executor, incidentId: string, systemIds: number[], runbookIds: string[], replace = false): Promise<void> {
  if (replace) {
    await tx.delete(incidentSystems).where(eq(incidentSystems.incidentId, incidentId));
    await tx.delete(incidentRunbooks).where(eq(incidentRunbooks.incidentId, incidentId));
  }
  if (systemIds.length > 0) await tx.insert(incidentSystems).values(systemIds.map((systemId) => ({ incidentId, systemId })));
  if (runbookIds.length > 0) await tx.insert(incidentRunbooks).values(runbookIds.map((documentId) => ({ incidentId, documentId })));
}

/**
 * Comparable form of the editable fields, for "what changed" in the audit log (systems and runbooks
 * as sorted comma-joined slugs, timestamps as ISO text, financial impact with 2 decimals).
 */
export function comparable(value: {
  title: string;
  severity: string;
  status: string;
  summary: string;
  startedAt: Date;
  detectedAt?: Date | null;
  acknowledgedAt?: Date | null;
  mitigatedAt?: Date | null;
  resolvedAt?: Date | null;
  timezone: string;
  customerImpact: boolean;
  usersAffected?: number | null;
  failedTransactions?: number | null;
  financialImpact?: string | number | null;
  financialImpactCurrency?: string | null;
  detectionSource?: string | null;
  rootCauseCategory: string;
  recurrenceOf?: string | null;
  systems: string[];
  runbooks: string[];
}): Record<string, unknown> {
  const out: Record<string, unknown> = {
    title: value.title,
    severity: value.severity,
    status: value.status,
    summary: value.summary,
    timezone: value.timezone,
    customerImpact: value.customerImpact,
    usersAffected: value.usersAffected ?? null,
    failedTransactions: value.failedTransactions ?? null,
    financialImpact: value.financialImpact == null ? null : Number(value.financialImpact).toFixed(2),
    financialImpactCurrency: value.financialImpact == null ? null : (value.financialImpactCurrency ?? null),
    detectionSource: value.detectionSource ?? null,
    rootCauseCategory: value.rootCauseCategory,
    recurrenceOf: value.recurrenceOf ?? null,
    systems: [...value.systems].sort().join(","),
    runbooks: [...value.runbooks].sort().join(","),
  };
  for (const field of TIMESTAMP_FIELDS) out[field] = value[field] ? value[field]!.toISOString() : null;
  return out;
}

/**
 * Saves an edit of incident `number` made on version `baseVersion`: all editable fields from `raw`
 * (validated here), systems and runbooks replaced, version + 1, and an `incident.update` audit entry
 * listing each changed field with before and after, in one transaction. An edit that changes
 * nothing writes nothing (`changed: []`). Events and corrective actions are not touched. `db` may
 * be a transaction (the importer's): the command then runs in a savepoint of it.
 * @returns `{ ok: true, ..., changed }` or `{ ok: false, fieldErrors }`.
 * @throws IncidentNotFoundError for an unknown number.
 * @throws IncidentConflictError when the incident is no longer at `baseVersion` (nothing written).
 */
export async function updateIncident(
  db: Executor,
  number: number,
  raw: unknown,
  baseVersion: number,
  actor: IncidentActor,
  options: { now?: Date; timestampSources?: TimestampSources; imported?: boolean } = {},
): Promise<IncidentCommandResult & { changed?: string[] }> {
  const parsed = incidentInputSchema({ now: options.now, imported: options.imported }).safeParse(raw);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  const input = parsed.data;
  let conflict = false;
  const result = await db.transaction(async (tx) => {
    const locked = await tx.execute(sql`select id, version from ${incidents} where number = ${number} for update`);
    const row = rowsOf<{ id: string; version: number }>(locked)[0];
    if (!row) throw new IncidentNotFoundError(`No incident ${incidentReference(number)}.`);
    if (row.version !== baseVersion) {
      conflict = true;
      return null;
    }
    const refs = await resolveReferences(tx, input, row.id);
    if (!refs.ok) return refs;
    const before = await getIncidentBy(tx, eq(incidents.id, row.id));
    const beforeValues = comparable({ ...before!, recurrenceOf: before!.recurrenceOf ? incidentReference(before!.recurrenceOf.number) : null, systems: before!.systems.map((s) => s.slug), runbooks: before!.runbooks.map((r) => r.slug) });
    const recurrenceRef = refs.recurrenceOfId ? await referenceOf(tx, refs.recurrenceOfId) : null;
    const afterValues = comparable({ ...input, recurrenceOf: recurrenceRef });
    const changed = Object.keys(afterValues).filter((k) => JSON.stringify(afterValues[k]) !== JSON.stringify(beforeValues[k]));
    if (changed.length === 0) return { ok: true as const, id: row.id, number, version: row.version, changed };
    const version = row.version + 1;
    await tx
      .update(incidents)
      .set({
        ...columnsOf(input, refs.recurrenceOfId),
        ...(options.timestampSources ? { timestampSources: options.timestampSources } : {}),
        version,
        updatedAt: new Date(),
      })
      .where(eq(incidents.id, row.id));
    await writeLinks(tx, row.id, refs.systemIds, refs.runbookIds, true);
    await recordAudit(tx, {
      actorUserId: actor.userId,
      actor: actor.email,
      action: "incident.update",
      targetType: "incident",
      target: incidentReference(number),
      details: { baseVersion, version, changes: Object.fromEntries(changed.map((k) => [k, { before: beforeValues[k], after: afterValues[k] }])) },
      ip: actor.ip,
    });
    return { ok: true as const, id: row.id, number, version, changed };
  });
  if (conflict) {
    const current = await getIncident(db, number);
    throw new IncidentConflictError(number, baseVersion, current!, input);
  }
  return result!;
}

async function referenceOf(tx: Executor, id: string): Promise<string | null> {
  const [row] = await tx.select({ number: incidents.number }).from(incidents).where(eq(incidents.id, id));
  return row ? incidentReference(row.number) : null;
}

/**
 * Adds a free timeline entry `{ at (ISO instant), text }` to incident `number`, with an
 * `incident.event` audit entry, in one transaction. Events never conflict (they only add).
 * @returns `{ ok: true, id }` or `{ ok: false, fieldErrors }` (at, text).
 * @throws IncidentNotFoundError for an unknown number.
 */
export async function addIncidentEvent(
  db: Database,
  number: number,
  raw: { at: unknown; text: unknown },
  actor: IncidentActor,
  source = "form",
): Promise<{ ok: true; id: number } | { ok: false; fieldErrors: IncidentFieldErrors }> {
  const fieldErrors: IncidentFieldErrors = {};
  const at = typeof raw.at === "string" || raw.at instanceof Date ? new Date(raw.at) : null;
  if (!at || Number.isNaN(at.getTime())) fieldErrors.at = "must be a date and time";
  else if (at.getTime() > Date.now() + 5 * 60_000) fieldErrors.at = "is in the future";
  const text = typeof raw.text === "string" ? raw.text.trim() : "";
  if (text === "") fieldErrors.text = "is required: what happened";
  else if (text.length > 2000) fieldErrors.text = "must be at most 2000 characters";
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };
  return db.transaction(async (tx) => {
    const [incident] = await tx.select({ id: incidents.id }).from(incidents).where(eq(incidents.number, number));
    if (!incident) throw new IncidentNotFoundError(`No incident ${incidentReference(number)}.`);
    const [row] = await tx.insert(incidentEvents).values({ incidentId: incident.id, at: at!, text, source }).returning({ id: incidentEvents.id });
    await recordAudit(tx, {
      actorUserId: actor.userId,
      actor: actor.email,
      action: "incident.event",
      targetType: "incident",
      target: incidentReference(number),
      details: { at: at!.toISOString(), text, source },
      ip: actor.ip,
    });
    return { ok: true as const, id: row!.id };
  });
}

/** Filters of the incident list; all optional. `from`/`to` bound `startedAt` (half-open, UTC). */
export interface IncidentListFilters {
  severity?: string[];
  status?: string[];
  system?: string | null;
  from?: Date | null;
  to?: Date | null;
  page?: number;
  pageSize?: number;
}

export interface IncidentListItem {
  number: number;
  title: string;
  severity: string;
  status: string;
  startedAt: Date;
  resolvedAt: Date | null;
  customerImpact: boolean;
  rootCauseCategory: string;
  systems: Array<{ slug: string; name: string }>;
  postmortemSlug: string | null;
}

/**
 * One page of incidents, newest start first, with their systems and postmortem.
 * @returns `{ items, total, page, pageSize }` (page 1-based; pageSize 1-200, default 25).
 */
export async function listIncidents(db: Executor, filters: IncidentListFilters = {}) {
  const pageSize = Math.min(200, Math.max(1, filters.pageSize ?? 25));
  const page = Math.max(1, filters.page ?? 1);
  const where: SQL[] = [];
  if (filters.severity?.length) where.push(inArray(incidents.severity, filters.severity as Array<IncidentInput["severity"]>));
  if (filters.status?.length) where.push(inArray(incidents.status, filters.status as Array<IncidentInput["status"]>));
  if (filters.from) where.push(gte(incidents.startedAt, filters.from));
  if (filters.to) where.push(lt(incidents.startedAt, filters.to));
  if (filters.system) {
    where.push(sql`exists (select 1 from ${incidentSystems} x join ${systems} s on s.id = x.system_id where x.incident_id = ${incidents.id} and s.slug = ${filters.system})`);
  }
  const condition = where.length ? and(...where) : undefined;
  const [counted] = await db.select({ total: sql<number>`count(*)::int` }).from(incidents).where(condition);
  const rows = await db
    .select({
      number: incidents.number,
      title: incidents.title,
      severity: incidents.severity,
      status: incidents.status,
      startedAt: incidents.startedAt,
      resolvedAt: incidents.resolvedAt,
      customerImpact: incidents.customerImpact,
      rootCauseCategory: incidents.rootCauseCategory,
      postmortemSlug: documents.slug,
      systems: sql<Array<{ slug: string; name: string }>>`(
        select coalesce(json_agg(json_build_object('slug', s.slug, 'name', s.name) order by s.name), '[]'::json)
        from ${incidentSystems} x join ${systems} s on s.id = x.system_id where x.incident_id = ${incidents.id})`,
    })
    .from(incidents)
    .leftJoin(documents, eq(documents.id, incidents.postmortemDocumentId))
    .where(condition)
    .orderBy(desc(incidents.startedAt), desc(incidents.number))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  const items: IncidentListItem[] = rows.map((r) => ({ ...r, systems: parseJson(r.systems) }));
  return { items, total: counted?.total ?? 0, page, pageSize };
}

/** An incident with everything its page shows; see getIncident. */
export type IncidentDetail = NonNullable<Awaited<ReturnType<typeof getIncidentBy>>>;

/**
 * Incident `number` with its systems, runbooks, events (oldest first), postmortem, the incident it
 * recurs, later incidents marked as its recurrences, and its corrective actions; null when unknown.
 */
export function getIncident(db: Executor, number: number) {
  return getIncidentBy(db, eq(incidents.number, number));
}

async function getIncidentBy(db: Executor, where: SQL) {
  const [row] = await db
    .select({
      incident: incidents,
      postmortem: { slug: documents.slug, title: documents.title },
      systems: sql<Array<{ slug: string; name: string; tier: number; lifecycle: string }>>`(
        select coalesce(json_agg(json_build_object('slug', s.slug, 'name', s.name, 'tier', s.tier, 'lifecycle', s.lifecycle) order by s.tier, s.name), '[]'::json)
        from ${incidentSystems} x join ${systems} s on s.id = x.system_id where x.incident_id = ${incidents.id})`,
      runbooks: sql<Array<{ slug: string; title: string }>>`(
        select coalesce(json_agg(json_build_object('slug', d.slug, 'title', d.title) order by d.title), '[]'::json)
        from ${incidentRunbooks} x join ${documents} d on d.id = x.document_id where x.incident_id = ${incidents.id})`,
      recurrenceOf: sql<{ number: number; title: string } | null>`(
        select json_build_object('number', r.number, 'title', r.title) from ${incidents} r where r.id = ${incidents.recurrenceOfId})`,
      recurrences: sql<Array<{ number: number; title: string }>>`(
        select coalesce(json_agg(json_build_object('number', r.number, 'title', r.title) order by r.started_at), '[]'::json)
        from ${incidents} r where r.recurrence_of_id = ${incidents.id})`,
    })
    .from(incidents)
    .leftJoin(documents, eq(documents.id, incidents.postmortemDocumentId))
    .where(where);
  if (!row) return null;
  const events = await db
    .select({ id: incidentEvents.id, at: incidentEvents.at, text: incidentEvents.text, source: incidentEvents.source })
    .from(incidentEvents)
    .where(eq(incidentEvents.incidentId, row.incident.id))
    .orderBy(asc(incidentEvents.at), asc(incidentEvents.id));
  const actions = await db
    .select({
      id: correctiveActions.id,
      title: correctiveActions.title,
      owner: correctiveActions.owner,
      dueDate: correctiveActions.dueDate,
      status: correctiveActions.status,
      closedAt: correctiveActions.closedAt,
    })
    .from(correctiveActions)
    .where(eq(correctiveActions.incidentId, row.incident.id))
    .orderBy(asc(correctiveActions.dueDate), asc(correctiveActions.title));
  return {
    ...row.incident,
    postmortem: row.postmortem?.slug ? row.postmortem : null,
    systems: parseJson(row.systems),
    runbooks: parseJson(row.runbooks),
    recurrenceOf: parseJson(row.recurrenceOf),
    recurrences: parseJson(row.recurrences),
    events,
    actions,
  };
}

/** Incidents in which the runbook `documentId` was used, newest first (at most `limit`). */
export async function incidentsUsingRunbook(db: Executor, documentId: string, limit = 20) {
  return db
    .select({ number: incidents.number, title: incidents.title, severity: incidents.severity, startedAt: incidents.startedAt, status: incidents.status })
    .from(incidentRunbooks)
    .innerJoin(incidents, eq(incidents.id, incidentRunbooks.incidentId))
    .where(eq(incidentRunbooks.documentId, documentId))
    .orderBy(desc(incidents.startedAt))
    .limit(limit);
}

/** The incident a postmortem document reviews (incidents.postmortem_document_id), or null. */
export async function incidentForPostmortem(db: Executor, documentId: string) {
  const [row] = await db
    .select({ number: incidents.number, title: incidents.title, severity: incidents.severity, status: incidents.status, startedAt: incidents.startedAt })
    .from(incidents)
    .where(eq(incidents.postmortemDocumentId, documentId))
    .orderBy(asc(incidents.number))
    .limit(1);
  return row ?? null;
}

function parseJson<T>(value: T | string): T {
  return typeof value === "string" ? (JSON.parse(value) as T) : value;
}

/** What the incident form offers: systems (active first) and published or draft runbooks. */
export async function incidentFormChoices(db: Executor) {
  const systemRows = await db.select({ slug: systems.slug, name: systems.name, lifecycle: systems.lifecycle }).from(systems).orderBy(asc(systems.name));
  const runbookRows = await db
    .select({ slug: documents.slug, title: documents.title })
    .from(documents)
    .where(and(eq(documents.kind, "runbook"), sql`${documents.status} <> 'archived'`))
    .orderBy(asc(documents.title));
  return { systems: systemRows, runbooks: runbookRows };
}

/**
 * What a document page shows about incidents: for a postmortem the incident it reviews, for a
 * runbook the incidents it was used in (newest 20); null for other kinds.
 */
export async function documentIncidents(db: Executor, document: { id: string; kind: string }) {
  if (document.kind === "postmortem") return { kind: "postmortem" as const, incident: await incidentForPostmortem(db, document.id) };
  if (document.kind === "runbook") return { kind: "runbook" as const, incidents: await incidentsUsingRunbook(db, document.id) };
  return null;
}

/**
 * The audit details of `incident.create`, the same whichever way the incident arrived (form, API,
 * Alertmanager, import): origin, external key, the main facts, and how many events and actions came with it.
 */
export function incidentCreatedDetails(input: IncidentInput, origin: string, externalKey: string | null, actions: number): Record<string, unknown> {
  return {
    origin,
    externalKey,
    title: input.title,
    severity: input.severity,
    status: input.status,
    systems: input.systems,
    startedAt: input.startedAt.toISOString(),
    events: input.events.length,
    actions,
  };
}
