/**
 * Incidents as `incidents/<year>.yaml` files in the format `readIncidentFiles` reads
 * (content/README.md), for the export (app/docs/export.server.ts): export -> import into an empty
 * database -> export gives the same files and the same number of incidents.
 *
 * Decision: an incident made from a postmortem document (external key `postmortem:<slug>`) is NOT
 * written when that postmortem is exported too: importing the postmortem makes it again, from the
 * same document. (Edits made in the app to such an incident, and status changes of its corrective
 * actions, live in the database only; the postmortem's frontmatter and action table are their
 * source.) Every other incident is written with its key: `<key>` for `import:<key>`, else
 * `inc-<number>`. An incident linked to a postmortem gets `postmortem: <slug>`; the importer then
 * makes no second incident from that document.
 *
 * Entries are grouped by UTC start year and sorted by start, then key, which is also the order the
 * importer writes them in, so `recurrence_of` (an entry's key, or the postmortem slug of a
 * postmortem's incident) always names one written before. Times are wall-clock in the incident's
 * `timezone` when that reads back to the same instant, else ISO instants in UTC.
 */
import { asc, eq, isNotNull } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { correctiveActions, documents, incidentEvents, incidentRunbooks, incidentSystems, incidents, systems } from "../../db/schema";
import { compare, exportActions, exportYaml, isoInstant, type ExportAction } from "../continuity/export.server";
import { parseInZone, toDateTimeLocalValue } from "../lib/time";
import { TIMESTAMP_FIELDS } from "./incident-input";

const HEADER = "# Exported by Drillbook (npm run export). Format: content/README.md in the Drillbook repository.\n";
const KEY = /^[a-z0-9][a-z0-9._-]*$/;

export interface IncidentSnapshot {
  incidents: Array<typeof incidents.$inferSelect>;
  systems: Map<string, string[]>;
  runbooks: Map<string, string[]>;
  events: Map<string, Array<{ at: Date; text: string }>>;
  actions: Map<string, ExportAction[]>;
  /** Slug and kind of every document an incident links to, by id. */
  documents: Map<string, { slug: string; kind: string }>;
}

/** Reads every incident with its systems, runbooks, events and corrective actions through `tx`. */
export async function readIncidentSnapshot(tx: Executor): Promise<IncidentSnapshot> {
  const [incidentRows, systemRows, runbookRows, eventRows, actionRows, documentRows] = await Promise.all([
    tx.select().from(incidents).orderBy(asc(incidents.startedAt), asc(incidents.number)),
    tx.select({ id: incidentSystems.incidentId, slug: systems.slug }).from(incidentSystems).innerJoin(systems, eq(systems.id, incidentSystems.systemId)),
    tx
      .select({ id: incidentRunbooks.incidentId, slug: documents.slug, kind: documents.kind })
      .from(incidentRunbooks)
      .innerJoin(documents, eq(documents.id, incidentRunbooks.documentId)),
    tx.select({ id: incidentEvents.incidentId, at: incidentEvents.at, text: incidentEvents.text }).from(incidentEvents).orderBy(asc(incidentEvents.at), asc(incidentEvents.id)),
    tx.select().from(correctiveActions).where(isNotNull(correctiveActions.incidentId)),
    tx.select({ id: documents.id, slug: documents.slug, kind: documents.kind }).from(documents).where(eq(documents.kind, "postmortem")),
  ]);
  const group = <T, V>(rows: T[], id: (r: T) => string, value: (r: T) => V) => {
    const map = new Map<string, V[]>();
    for (const r of rows) {
      if (!map.has(id(r))) map.set(id(r), []);
      map.get(id(r))!.push(value(r));
    }
    return map;
  };
  return {
    incidents: incidentRows,
    systems: group(systemRows, (r) => r.id, (r) => r.slug),
    runbooks: group(runbookRows.filter((r) => r.kind === "runbook"), (r) => r.id, (r) => r.slug),
    events: group(eventRows, (r) => r.id, (r) => ({ at: r.at, text: r.text })),
    actions: group(actionRows, (r) => r.incidentId!, (r) => r),
    documents: new Map(documentRows.map((d) => [d.id, { slug: d.slug, kind: d.kind }])),
  };
}

/** "2025-10-31 19:25" in `zone` when that reads back to `at` exactly, else "2025-10-31T11:25:00Z". */
function timeText(at: Date, zone: string): string {
  const local = toDateTimeLocalValue(at, zone).replace("T", " ");
  try {
    if (parseInZone(local, zone).getTime() === at.getTime()) return local;
  } catch {
    // fall through to the instant
  }
  return isoInstant(at);
}

/**
 * The incident files of a snapshot: relative path -> text, the number of incidents written, and
 * warnings (a recurrence that points at a later incident cannot be imported and is left out).
 * `exportedPostmortems`: slugs of the postmortem documents the same export writes.
 */
export function incidentFiles(snapshot: IncidentSnapshot, exportedPostmortems: ReadonlySet<string>): { files: Map<string, string>; incidents: number; warnings: string[] } {
  const warnings: string[] = [];
  const fromPostmortem = (i: (typeof snapshot.incidents)[number]) =>
    i.externalKey?.startsWith("postmortem:") && exportedPostmortems.has(i.externalKey.slice("postmortem:".length));
  // References by id: the key an entry is written with, or the postmortem slug of a skipped incident.
  const reference = new Map<string, string>();
  const taken = new Set<string>();
  for (const i of snapshot.incidents) {
    if (fromPostmortem(i)) reference.set(i.id, i.externalKey!.slice("postmortem:".length));
    else if (i.externalKey?.startsWith("import:") && KEY.test(i.externalKey.slice(7)) && !taken.has(i.externalKey.slice(7))) {
      reference.set(i.id, i.externalKey.slice(7));
      taken.add(i.externalKey.slice(7));
    }
  }
  const written = snapshot.incidents.filter((i) => !fromPostmortem(i));
  for (const i of written) {
    if (reference.has(i.id)) continue;
    let key = `inc-${i.number}`;
    for (let n = 2; taken.has(key); n++) key = `inc-${i.number}-${n}`;
    taken.add(key);
    reference.set(i.id, key);
  }
  const order = [...written].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || compare(reference.get(a.id)!, reference.get(b.id)!));
  const position = new Map(order.map((i, n) => [i.id, n]));

  const byYear = new Map<number, Array<Record<string, unknown>>>();
  for (const i of order) {
    const key = reference.get(i.id)!;
    const zone = i.timezone;
    const entry: Record<string, unknown> = { key, title: i.title, severity: i.severity, systems: [...(snapshot.systems.get(i.id) ?? [])].sort(compare) };
    if (zone !== "UTC") entry.timezone = zone;
    for (const field of TIMESTAMP_FIELDS) {
      const at = i[field];
      if (at) entry[field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = timeText(at, zone);
    }
    entry.status = i.status;
    entry.customer_impact = i.customerImpact;
    if (i.usersAffected !== null) entry.users_affected = i.usersAffected;
    if (i.failedTransactions !== null) entry.failed_transactions = i.failedTransactions;
    if (i.financialImpact !== null) {
      entry.financial_impact = Number(i.financialImpact);
      if (i.financialImpactCurrency) entry.currency = i.financialImpactCurrency;
    }
    if (i.detectionSource) entry.detection_source = i.detectionSource;
    entry.root_cause_category = i.rootCauseCategory;
    if (i.recurrenceOfId) {
      const target = reference.get(i.recurrenceOfId);
      const targetPosition = position.get(i.recurrenceOfId);
      if (target && (targetPosition === undefined || targetPosition < position.get(i.id)!)) entry.recurrence_of = target;
      else warnings.push(`incident ${key}: recurrence of an incident that is not exported before it; left out`);
    }
    const postmortem = i.postmortemDocumentId ? snapshot.documents.get(i.postmortemDocumentId) : undefined;
    if (postmortem) entry.postmortem = postmortem.slug;
    const runbooks = [...(snapshot.runbooks.get(i.id) ?? [])].sort(compare);
    if (runbooks.length > 0) entry.runbooks = runbooks;
    if (i.summary) entry.summary = i.summary;
    const events = (snapshot.events.get(i.id) ?? []).map((e) => ({ at: timeText(e.at, zone), text: e.text }));
    if (events.length > 0) entry.events = events; // by instant, then as stored (the importer keeps file order)
    const actions = exportActions(snapshot.actions.get(i.id) ?? [], "incident");
    if (actions.length > 0) entry.actions = actions;
    const year = i.startedAt.getUTCFullYear();
    if (!byYear.has(year)) byYear.set(year, []);
    byYear.get(year)!.push(entry);
  }
  const files = new Map<string, string>();
  for (const year of [...byYear.keys()].sort((a, b) => a - b)) files.set(`incidents/${year}.yaml`, HEADER + exportYaml(byYear.get(year)));
  return { files, incidents: written.length, warnings };
}
