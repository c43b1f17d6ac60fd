/**
 * Incidents from imported content, called by the importer (app/docs/import.server.ts) inside its
 * transaction, so documents and incidents land together or not at all:
 * - `incidents/*.yaml` at the import root: incident records (format in content/README.md), keyed
 *   by their `key` (externalKey `import:<key>`);
 * - every document of kind `postmortem`: an incident keyed by the document (`postmortem:<slug>`),
 *   from its frontmatter (severity, started_at…) and else its timeline table
 *   (postmortem-timeline.ts), summary and corrective-actions table. A postmortem whose frontmatter
 *   names an `incident: INC-n` that exists (written with "Write postmortem") is only linked to it.
 *
 * Files are the source of truth on import, as for documents: an entry that differs from the
 * database is written again; one that does not writes nothing. Corrective actions are the exception:
 * those with new titles are added, existing ones keep the status they have in the app. A postmortem whose document did
 * not change writes nothing at all (edits made on the incident page stay), unless its incident is
 * missing.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { and, eq, inArray } from "drizzle-orm";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { Executor } from "../../db/client";
import { documents, incidentEvents, incidents } from "../../db/schema";
import type { RevisionMetadata } from "../../db/schema/documents";
import { ACTION_STATUSES } from "../../db/schema/enums";
import type { TimestampSources } from "../../db/schema/incidents";
import { recordAudit } from "../audit/audit.server";
import { insertCorrectiveActions } from "../corrective-actions/actions.server";
import type { CorrectiveActionInput } from "../corrective-actions/input";
import type { ImportProblem } from "../docs/import.server";
import { extractWikiLinks } from "../docs/markdown";
import { isValidTimeZone, parseInZone } from "../lib/time";
import { fieldErrorsOf, incidentInputSchema, incidentReference, parseIncidentReference, TIMESTAMP_FIELDS, type IncidentInput } from "./incident-input";
import { findIncidentId, getIncident, insertIncident, updateIncident, type IncidentActor } from "./incidents.server";
import { parsePostmortemTimeline, postmortemActions, postmortemSummary, timestampSourcesOf } from "./postmortem-timeline";

const IMPORTER: IncidentActor = { userId: null, email: "importer", ip: null };
const INCIDENT_FOLDER = "incidents";

/** What the import did with incidents, for its summary. */
export interface IncidentImportSummary {
  created: number;
  updated: number;
  unchanged: number;
  /** Postmortems linked to an incident that already existed (frontmatter `incident:`). */
  linked: number;
  /** What could not be parsed or was left empty, one line each ("file: row 6: a date without a time"). */
  notParsed: string[];
}

/** An incident entry of an `incidents/*.yaml` file, validated and converted to incident input. */
export interface IncidentFileEntry {
  file: string;
  key: string;
  input: IncidentInput;
  /** Slug of a postmortem document it is reviewed in. */
  postmortem: string | null;
  /** `recurrence_of` as written: "INC-12", another entry's key or a postmortem slug. */
  recurrenceOf: string | null;
}

/** A postmortem the importer just saved (or found unchanged). */
export interface ImportedPostmortem {
  file: string;
  slug: string;
  title: string;
  body: string;
  metadata: RevisionMetadata;
  documentId: string;
  outcome: "created" | "updated" | "unchanged";
}

const KEY = /^[a-z0-9][a-z0-9._-]*$/;
const dateish = z.union([z.string(), z.date(), z.number()]).transform((v) => (v instanceof Date ? v.toISOString() : String(v).trim()));
const fileActionSchema = z.object({
  title: z.string({ error: "is required" }),
  owner: z.string({ error: "is required: who is responsible" }),
  due: dateish.nullish(),
  status: z.string().optional(),
  closed: dateish.nullish(),
  notes: z.string().optional(),
});
const fileEntrySchema = z.looseObject({
  key: z.string({ error: "is required: a stable id such as 2026-03-swift-cutoff" }).regex(KEY, "use lower-case letters, digits, '-', '_' or '.'"),
  title: z.string({ error: "is required" }),
  severity: z.union([z.string(), z.number()]).transform(String),
  systems: z.union([z.string(), z.array(z.string())]),
  started_at: dateish,
  detected_at: dateish.nullish(),
  acknowledged_at: dateish.nullish(),
  mitigated_at: dateish.nullish(),
  resolved_at: dateish.nullish(),
  timezone: z.string().optional(),
  customer_impact: z.boolean().optional(),
  users_affected: z.number().nullish(),
  failed_transactions: z.number().nullish(),
  financial_impact: z.number().nullish(),
  currency: z.string().nullish(),
  detection_source: z.string().nullish(),
  root_cause_category: z.string().nullish(),
  recurrence_of: z.union([z.string(), z.number()]).transform(String).nullish(),
  status: z.string().optional(),
  runbooks: z.union([z.string(), z.array(z.string())]).optional(),
  postmortem: z.string().nullish(),
  summary: z.string().optional(),
  events: z.array(z.object({ at: dateish, text: z.string() })).optional(),
  actions: z.array(fileActionSchema).optional(),
});

/**
 * A wall-clock "YYYY-MM-DD HH:mm" in `zone`, or an ISO instant with an offset, as an ISO instant.
 * Returns the text unchanged when it is neither (the schema then names the field).
 */
function instantText(value: string, zone: string): string {
  if (/[zZ]$|[+-]\d{2}:?\d{2}$/.test(value)) return value;
  try {
    return parseInZone(value, zone).toISOString();
  } catch {
    return value;
  }
}

/**
 * Reads and validates `<root>/incidents/*.yaml` (each a list of entries, see content/README.md).
 * Catalog references are checked later, inside the transaction. Problems name the file, the entry
 * key and the field. A root without an incidents folder gives no entries.
 */
export async function readIncidentFiles(root: string, now: Date = new Date()): Promise<{ entries: IncidentFileEntry[]; problems: ImportProblem[] }> {
  const folder = path.join(root, INCIDENT_FOLDER);
  let names: string[];
  try {
    names = (await readdir(folder)).filter((n) => /\.ya?ml$/i.test(n)).sort();
  } catch {
    return { entries: [], problems: [] };
  }
  const entries: IncidentFileEntry[] = [];
  const problems: ImportProblem[] = [];
  const keys = new Map<string, string>();
  const fix = "see the incident format in content/README.md";
  for (const name of names) {
    const file = `${INCIDENT_FOLDER}/${name}`;
    let raw: unknown;
    try {
      raw = parseYaml(await readFile(path.join(folder, name), "utf8"));
    } catch (error) {
      problems.push({ file, field: "(YAML)", message: (error as Error).message.split("\n")[0]!, fix: "correct the YAML syntax" });
      continue;
    }
    if (!Array.isArray(raw)) {
      problems.push({ file, field: "(file)", message: "must be a list of incidents", fix });
      continue;
    }
    raw.forEach((item, index) => {
      const label = typeof (item as { key?: unknown })?.key === "string" ? `"${(item as { key: string }).key}"` : `entry ${index + 1}`;
      const shape = fileEntrySchema.safeParse(item);
      if (!shape.success) {
        const issue = shape.error.issues[0]!;
        problems.push({ file, field: [label, ...issue.path].join("."), message: issue.message, fix });
        return;
      }
      const e = shape.data;
      if (keys.has(e.key)) {
        problems.push({ file, field: `${label}.key`, message: `is also used in ${keys.get(e.key)}`, fix: "give each incident its own key" });
        return;
      }
      keys.set(e.key, file);
      const zone = e.timezone && isValidTimeZone(e.timezone) ? e.timezone : "UTC";
      const at = (v: string | null | undefined) => (v ? instantText(v, zone) : null);
      const parsed = incidentInputSchema({ now }).safeParse({
        title: e.title,
        severity: e.severity,
        systems: e.systems,
        startedAt: at(e.started_at) ?? "",
        detectedAt: at(e.detected_at),
        acknowledgedAt: at(e.acknowledged_at),
        mitigatedAt: at(e.mitigated_at),
        resolvedAt: at(e.resolved_at),
        timezone: e.timezone,
        customerImpact: e.customer_impact ?? false,
        usersAffected: e.users_affected,
        failedTransactions: e.failed_transactions,
        financialImpact: e.financial_impact,
        financialImpactCurrency: e.currency,
        detectionSource: e.detection_source,
        rootCauseCategory: e.root_cause_category,
        status: e.status,
        runbooks: e.runbooks ?? [],
        summary: e.summary ?? "",
        events: (e.events ?? []).map((ev) => ({ at: instantText(ev.at, zone), text: ev.text })),
        actions: (e.actions ?? []).map((a) => ({
          title: a.title,
          owner: a.owner,
          dueDate: a.due ? a.due.slice(0, 10) : null,
          status: a.status ?? "open",
          closedAt: a.closed ? (/^\d{4}-\d{2}-\d{2}$/.test(a.closed) ? `${a.closed}T12:00:00Z` : a.closed) : null,
          notes: a.notes ?? "",
        })),
      });
      if (!parsed.success) {
        const [field, message] = Object.entries(fieldErrorsOf(parsed.error))[0]!;
        problems.push({ file, field: `${label}.${snake(field)}`, message, fix });
        return;
      }
      entries.push({ file, key: e.key, input: parsed.data, postmortem: e.postmortem ?? null, recurrenceOf: e.recurrence_of ?? null });
    });
  }
  return { entries, problems };
}

function snake(field: string): string {
  const names: Record<string, string> = { financialImpactCurrency: "currency", dueDate: "due", closedAt: "closed" };
  return field
    .split(".")
    .map((part) => names[part] ?? part.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`))
    .join(".");
}

/**
 * Writes the incidents of the import through `tx`: file entries (after their references are
 * checked) and one incident per postmortem. Invalid entries are returned as problems and not
 * written; the importer refuses the whole import unless it skips invalid files.
 */
export async function importIncidents(
  tx: Executor,
  source: { files: IncidentFileEntry[]; postmortems: ImportedPostmortem[] },
  now: Date = new Date(),
): Promise<IncidentImportSummary & { problems: ImportProblem[] }> {
  const summary: IncidentImportSummary & { problems: ImportProblem[] } = { created: 0, updated: 0, unchanged: 0, linked: 0, notParsed: [], problems: [] };
  const count = (outcome: Outcome) => {
    if (outcome !== "failed") summary[outcome]++;
  };
  // Postmortems first, so that file entries can point at their incidents.
  for (const pm of source.postmortems) count(await syncPostmortem(tx, pm, summary, now));
  // Entries in start order, so a recurrence points at an incident already written.
  const ordered = [...source.files].sort((a, b) => a.input.startedAt.getTime() - b.input.startedAt.getTime());
  for (const entry of ordered) count(await syncFileEntry(tx, entry, summary, now));
  return summary;
}

type Outcome = "created" | "updated" | "unchanged" | "linked" | "failed";

async function syncFileEntry(tx: Executor, entry: IncidentFileEntry, summary: { problems: ImportProblem[] }, now: Date): Promise<Outcome> {
  const problem = (field: string, message: string, fix: string) => {
    summary.problems.push({ file: entry.file, field: `"${entry.key}".${field}`, message, fix });
    return "failed" as const;
  };
  let recurrenceOf: string | null = null;
  if (entry.recurrenceOf) {
    const ref = entry.recurrenceOf;
    const id = parseIncidentReference(ref)
      ? await findIncidentId(tx, ref)
      : ((await findIncidentId(tx, `import:${ref}`)) ?? (await findIncidentId(tx, `postmortem:${ref}`)));
    if (!id) return problem("recurrence_of", `no incident "${ref}"`, "name an earlier entry's key, a postmortem slug or INC-<number>");
    const [row] = await tx.select({ number: incidents.number }).from(incidents).where(eq(incidents.id, id));
    recurrenceOf = incidentReference(row!.number);
  }
  let postmortemId: string | null = null;
  if (entry.postmortem) {
    const [doc] = await tx.select({ id: documents.id }).from(documents).where(and(eq(documents.slug, entry.postmortem), eq(documents.kind, "postmortem")));
    if (!doc) return problem("postmortem", `no postmortem document "${entry.postmortem}"`, "use the slug of a document of kind postmortem");
    postmortemId = doc.id;
  }
  const input: IncidentInput = { ...entry.input, recurrenceOf };
  return upsert(tx, `import:${entry.key}`, input, { postmortemDocumentId: postmortemId, eventSource: `import: ${entry.file}`, timestampSources: {} }, now, (field, message) =>
    problem(snake(field), message, field === "systems" ? "use system slugs from catalog/systems.yaml" : "see the incident format in content/README.md"),
  );
}

/**
 * Creates the incident with `externalKey`, or brings the existing one in line when it differs
 * (columns, systems, runbooks, events of this source; corrective actions with new titles are added).
 */
async function upsert(
  tx: Executor,
  externalKey: string,
  input: IncidentInput,
  options: { postmortemDocumentId: string | null; eventSource: string; timestampSources: TimestampSources },
  now: Date,
  fail: (field: string, message: string) => "failed",
): Promise<Outcome> {
  const [existing] = await tx.select({ id: incidents.id, number: incidents.number, version: incidents.version }).from(incidents).where(eq(incidents.externalKey, externalKey));
  if (!existing) {
    const created = await insertIncident(tx, input, IMPORTER, {
      origin: "import",
      externalKey,
      eventSource: options.eventSource,
      timestampSources: options.timestampSources,
      postmortemDocumentId: options.postmortemDocumentId,
      now,
    });
    if (!created.ok) {
      const [field, message] = Object.entries(created.fieldErrors)[0]!;
      return fail(field, message);
    }
    return "created";
  }
  const current = (await getIncident(tx, existing.number))!;
  const sameColumns = await sameAsStored(tx, current, input, options);
  const sameEvents = sameList(
    current.events.filter((e) => e.source === options.eventSource).map((e) => `${e.at.toISOString()}|${e.text}`),
    input.events.map((e) => `${e.at.toISOString()}|${e.text}`),
  );
  // Corrective actions are matched by title: new titles are added; existing ones are left alone,
  // since their status lives in the app once someone works on them (as for drills and inspections).
  const actionChanges = input.actions.filter((a) => !current.actions.some((c) => c.title === a.title));
  if (sameColumns && sameEvents && actionChanges.length === 0) return "unchanged";
  if (!sameColumns) {
    const updated = await updateIncidentInTx(tx, existing.number, existing.version, input, options);
    if (!updated.ok) {
      const [field, message] = Object.entries(updated.fieldErrors)[0]!;
      return fail(field, message);
    }
  }
  if (!sameEvents) {
    await tx.delete(incidentEvents).where(and(eq(incidentEvents.incidentId, existing.id), eq(incidentEvents.source, options.eventSource)));
    if (input.events.length > 0) {
      await tx.insert(incidentEvents).values(input.events.map((e) => ({ incidentId: existing.id, at: e.at, text: e.text, source: options.eventSource })));
    }
  }
  if (actionChanges.length > 0) await insertCorrectiveActions(tx, { type: "incident", id: existing.id }, actionChanges, IMPORTER.email, now);
  if (sameColumns) {
    await recordAudit(tx, {
      actor: IMPORTER.email,
      action: "incident.update",
      targetType: "incident",
      target: incidentReference(existing.number),
      details: { origin: "import", externalKey, events: sameEvents ? "unchanged" : input.events.length, actions: actionChanges.map((a) => a.title) },
    });
  }
  return "updated";
}

async function updateIncidentInTx(
  tx: Executor,
  number: number,
  version: number,
  input: IncidentInput,
  options: { postmortemDocumentId: string | null; timestampSources: TimestampSources },
) {
  // updateIncident opens its own transaction; inside the import's it is a savepoint.
  const result = await updateIncident(tx, number, toRaw(input), version, IMPORTER, {
    timestampSources: options.timestampSources,
    now: new Date(8.64e15),
    imported: true,
  });
  if (result.ok && options.postmortemDocumentId) {
    await tx.update(incidents).set({ postmortemDocumentId: options.postmortemDocumentId }).where(eq(incidents.number, number));
  }
  return result;
}

/** IncidentInput back to the raw shape incidentInputSchema reads (dates as ISO text). */
function toRaw(input: IncidentInput): Record<string, unknown> {
  const raw: Record<string, unknown> = { ...input };
  for (const field of TIMESTAMP_FIELDS) raw[field] = input[field] ? input[field]!.toISOString() : null;
  raw.events = input.events.map((e) => ({ at: e.at.toISOString(), text: e.text }));
  return raw;
}

async function sameAsStored(
  tx: Executor,
  current: NonNullable<Awaited<ReturnType<typeof getIncident>>>,
  input: IncidentInput,
  options: { postmortemDocumentId: string | null; timestampSources: TimestampSources },
): Promise<boolean> {
  const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
  const money = (v: string | number | null | undefined) => (v == null ? null : Number(v).toFixed(2));
  let recurrence: string | null = null;
  if (input.recurrenceOf) {
    const id = await findIncidentId(tx, input.recurrenceOf);
    const [row] = id ? await tx.select({ number: incidents.number }).from(incidents).where(eq(incidents.id, id)) : [];
    recurrence = row ? incidentReference(row.number) : input.recurrenceOf;
  }
  const a = {
    title: current.title,
    severity: current.severity,
    status: current.status,
    summary: current.summary,
    timezone: current.timezone,
    customerImpact: current.customerImpact,
    usersAffected: current.usersAffected,
    failedTransactions: current.failedTransactions,
    financialImpact: money(current.financialImpact),
    currency: current.financialImpact == null ? null : current.financialImpactCurrency,
    detectionSource: current.detectionSource,
    rootCauseCategory: current.rootCauseCategory,
    recurrenceOf: current.recurrenceOf ? incidentReference(current.recurrenceOf.number) : null,
    systems: current.systems.map((s) => s.slug).sort(),
    runbooks: current.runbooks.map((r) => r.slug).sort(),
    times: TIMESTAMP_FIELDS.map((f) => iso(current[f])),
    sources: sortedJson(current.timestampSources),
    postmortem: options.postmortemDocumentId === null ? null : current.postmortemDocumentId,
  };
  const b = {
    title: input.title,
    severity: input.severity,
    status: input.status,
    summary: input.summary,
    timezone: input.timezone,
    customerImpact: input.customerImpact,
    usersAffected: input.usersAffected ?? null,
    failedTransactions: input.failedTransactions ?? null,
    financialImpact: money(input.financialImpact),
    currency: input.financialImpact == null ? null : (input.financialImpactCurrency ?? null),
    detectionSource: input.detectionSource ?? null,
    rootCauseCategory: input.rootCauseCategory,
    recurrenceOf: recurrence,
    systems: [...input.systems].sort(),
    runbooks: [...input.runbooks].sort(),
    times: TIMESTAMP_FIELDS.map((f) => iso(input[f])),
    sources: sortedJson(options.timestampSources),
    postmortem: options.postmortemDocumentId,
  };
  return JSON.stringify(a) === JSON.stringify(b);
}

function sortedJson(value: Record<string, unknown>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(value).sort(([x], [y]) => x.localeCompare(y))));
}

function sameList(a: string[], b: string[]): boolean {
  return JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
}

/** Frontmatter keys of a postmortem that describe its incident (snake_case, as in content/). */
const postmortemFacts = z.looseObject({
  incident: z.union([z.string(), z.number()]).transform(String).optional(),
  severity: z.unknown().optional(),
  started_at: z.unknown().optional(),
  detected_at: z.unknown().optional(),
  acknowledged_at: z.unknown().optional(),
  mitigated_at: z.unknown().optional(),
  resolved_at: z.unknown().optional(),
  timezone: z.unknown().optional(),
  customer_impact: z.unknown().optional(),
  users_affected: z.unknown().optional(),
  failed_transactions: z.unknown().optional(),
  financial_impact: z.unknown().optional(),
  currency: z.unknown().optional(),
  detection_source: z.unknown().optional(),
  root_cause_category: z.unknown().optional(),
  recurrence_of: z.unknown().optional(),
  incident_status: z.unknown().optional(),
});

/** "SEV2", "sev 2", "Sev-2", 2 -> "SEV2"; anything else -> null. */
function severityOf(value: unknown): string | null {
  const m = /^(?:sev)?[\s-]?([1-4])$/i.exec(String(value ?? "").trim());
  return m ? `SEV${m[1]}` : null;
}

const DEFAULT_SEVERITY = "SEV3";

async function syncPostmortem(tx: Executor, pm: ImportedPostmortem, summary: IncidentImportSummary, now: Date): Promise<Outcome> {
  const note = (line: string) => summary.notParsed.push(`${pm.file}: ${line}`);
  const facts = postmortemFacts.safeParse(pm.metadata.extra);
  const fm = facts.success ? facts.data : {};
  if (fm.incident) {
    const id = await findIncidentId(tx, fm.incident);
    if (id) {
      const [row] = await tx.select({ postmortemDocumentId: incidents.postmortemDocumentId }).from(incidents).where(eq(incidents.id, id));
      if (row!.postmortemDocumentId === pm.documentId) return "unchanged";
      await tx.update(incidents).set({ postmortemDocumentId: pm.documentId, updatedAt: now }).where(eq(incidents.id, id));
      await recordAudit(tx, { actor: IMPORTER.email, action: "incident.link_postmortem", targetType: "incident", target: fm.incident, details: { postmortem: pm.slug } });
      return "linked";
    }
    note(`frontmatter incident "${fm.incident}" names no incident here; an incident is created from the document instead`);
  }
  const externalKey = `postmortem:${pm.slug}`;
  if (pm.outcome === "unchanged") {
    const [exists] = await tx.select({ id: incidents.id }).from(incidents).where(eq(incidents.externalKey, externalKey));
    if (exists) return "unchanged";
  }

  const zone = typeof fm.timezone === "string" && isValidTimeZone(fm.timezone) ? fm.timezone : undefined;
  const timeline = parsePostmortemTimeline(pm.body, { fallbackZone: zone });
  for (const p of timeline.problems) note(`${p.row === null ? "timeline" : `row ${p.row}`}${p.cell ? ` (“${p.cell}”)` : ""}: ${p.reason}`);
  const sources: TimestampSources = {};
  const times: Record<string, string | null> = {};
  for (const field of TIMESTAMP_FIELDS) {
    const key = field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) as keyof typeof fm;
    const stated = fm[key];
    if (stated !== undefined && stated !== null && stated !== "") {
      const text = stated instanceof Date ? stated.toISOString() : String(stated);
      times[field] = zone ? instantText(text, zone) : text;
      sources[field] = `frontmatter ${String(key)}: ${text}`;
    } else if (timeline.timestamps[field]) {
      times[field] = timeline.timestamps[field]!.at.toISOString();
      sources[field] = timestampSourcesOf(timeline)[field]!;
    } else {
      times[field] = null;
    }
  }
  if (!times.startedAt) {
    note(`no incident created: no start time (${timeline.missing.join("; ") || "the timeline has no usable row"})`);
    return "failed";
  }
  if (!sources.resolvedAt) note(timeline.missing.find((m) => m.includes("resolution")) ?? "resolved at unknown");
  let severity = severityOf(fm.severity);
  if (!severity) {
    severity = DEFAULT_SEVERITY;
    note(`severity ${fm.severity === undefined ? "not stated" : `"${String(fm.severity)}" not understood`}; recorded as ${DEFAULT_SEVERITY} (change it on the incident page)`);
  }
  const timelineText = timeline.rows.map((r) => r.text).join("\n");
  const linkedSlugs = [...new Set(extractWikiLinks(timelineText).map((l) => l.slug))];
  const runbooks = linkedSlugs.length
    ? (await tx.select({ slug: documents.slug }).from(documents).where(and(inArray(documents.slug, linkedSlugs), eq(documents.kind, "runbook")))).map((r) => r.slug)
    : [];
  const actions = postmortemActions(pm.body).flatMap((a): CorrectiveActionInput[] => {
    const status = (ACTION_STATUSES as readonly string[]).includes(a.status) ? (a.status as CorrectiveActionInput["status"]) : null;
    if (!status) {
      note(`corrective action row ${a.row}: status "${a.status}" is not one of ${ACTION_STATUSES.join(", ")}; left out`);
      return [];
    }
    let closedAt: string | null = null;
    if (status === "done" || status === "wont_do") {
      const day = a.closedOn ?? a.dueDate;
      if (!a.closedOn) note(`corrective action row ${a.row}: ${status} without a closed date; ${a.dueDate ? `closed on its due date ${a.dueDate}` : "closed at import"}`);
      closedAt = day ? `${day}T12:00:00Z` : null;
    }
    return [{ title: a.title.slice(0, 300), owner: a.owner.slice(0, 200), dueDate: a.dueDate, status, closedAt, notes: "" }];
  });
  const raw = {
    title: pm.title,
    severity,
    systems: pm.metadata.systems,
    ...times,
    timezone: zone ?? (timeline.zone.statedAs ? timeline.zone.zone : undefined),
    customerImpact: fm.customer_impact === true || fm.customer_impact === "yes",
    usersAffected: fm.users_affected ?? null,
    failedTransactions: fm.failed_transactions ?? null,
    financialImpact: fm.financial_impact ?? null,
    financialImpactCurrency: fm.currency ?? null,
    detectionSource: fm.detection_source ?? null,
    rootCauseCategory: fm.root_cause_category ?? undefined,
    // A written postmortem means the incident was reviewed: closed, unless the frontmatter says otherwise.
    status: typeof fm.incident_status === "string" ? fm.incident_status : "closed",
    runbooks,
    summary: postmortemSummary(pm.body),
    events: timeline.rows.map((r) => ({ at: r.at.toISOString(), text: r.text.slice(0, 2000) })),
    actions,
  };
  const parsed = incidentInputSchema({ now: new Date(8.64e15), imported: true }).safeParse(raw);
  if (!parsed.success) {
    const errors = fieldErrorsOf(parsed.error);
    note(`no incident created: ${Object.entries(errors).map(([f, m]) => `${snake(f)}: ${m}`).join("; ")}`);
    return "failed";
  }
  const input: IncidentInput = parsed.data;
  return upsert(tx, externalKey, input, { postmortemDocumentId: pm.documentId, eventSource: `postmortem: ${pm.slug}`, timestampSources: sources }, now, (field, message) => {
    note(`no incident created: ${snake(field)}: ${message}`);
    return "failed";
  });
}

/** Summary lines for the command line. */
export function formatIncidentImport(summary: IncidentImportSummary | null): string[] {
  if (!summary) return [];
  const total = summary.created + summary.updated + summary.unchanged + summary.linked;
  if (total === 0 && summary.notParsed.length === 0) return [];
  const lines = [
    `  incidents: ${summary.created} created, ${summary.updated} updated, ${summary.unchanged} unchanged${summary.linked ? `, ${summary.linked} postmortems linked` : ""}`,
  ];
  if (summary.notParsed.length > 0) {
    lines.push(`  incidents: ${summary.notParsed.length} thing(s) not parsed or left empty:`);
    for (const line of summary.notParsed) lines.push(`    ${line}`);
  }
  return lines;
}
