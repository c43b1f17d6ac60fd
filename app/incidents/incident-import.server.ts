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
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { Executor } from "../../db/client";
import type { RevisionMetadata } from "../../db/schema/documents";
import { ACTION_STATUSES } from "../../db/schema/enums";
import type { TimestampSources } from "../../db/schema/incidents";
import type { CorrectiveActionInput } from "../corrective-actions/input";
import type { ImportProblem } from "../docs/import.server";
import { extractWikiLinks } from "../docs/markdown";
import { isValidTimeZone, parseInZone } from "../lib/time";
import { fieldErrorsOf, incidentInputSchema, incidentReference, parseIncidentReference, TIMESTAMP_FIELDS, type IncidentInput } from "./incident-input";
import {
  emptyWritePlan,
  loadImportReferences,
  loadIncidentStates,
  newIncidentState,
  stateReference,
  writeIncidentPlan,
  type ImportReferences,
  type IncidentState,
  type IncidentWritePlan,
} from "./incident-import-store.server";
import { columnsOf, comparable, incidentCreatedDetails, unknownReferenceErrors, type IncidentActor } from "./incidents.server";
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
 *
 * Set-based, like the drill and inspection import: one query loads the stored incidents the import
 * names (by key, and those named by `recurrence_of` or a postmortem's `incident:`) with their
 * systems, runbooks, events and action titles; one loads the systems, runbooks and postmortems it
 * names; what changed is decided here, entry by entry; then each table is written with at most one
 * statement (incident-import-store.server.ts). An unchanged re-import runs two queries.
 * Order: postmortems first, so that file entries can point at their incidents; then entries in
 * start order, so a recurrence points at an incident already written. `INC-<n>` (in
 * `recurrence_of` or a postmortem's `incident:`) names an incident stored before this import; one
 * created by the same import is named by its key or postmortem slug.
 */
export async function importIncidents(
  tx: Executor,
  source: { files: IncidentFileEntry[]; postmortems: ImportedPostmortem[] },
  now: Date = new Date(),
): Promise<IncidentImportSummary & { problems: ImportProblem[] }> {
  const summary: IncidentImportSummary & { problems: ImportProblem[] } = { created: 0, updated: 0, unchanged: 0, linked: 0, notParsed: [], problems: [] };
  if (source.files.length + source.postmortems.length === 0) return summary;
  const ordered = [...source.files].sort((a, b) => a.input.startedAt.getTime() - b.input.startedAt.getTime());
  const postmortems = source.postmortems.map((pm) => ({ pm, ...postmortemFactsOf(pm) }));

  // 1. The stored incidents the import names.
  const wanted = { keys: [] as string[], numbers: [] as number[], ids: [] as string[] };
  const want = (reference: string) => {
    const parsed = parseIncidentReference(reference);
    if (!parsed) wanted.keys.push(reference.trim());
    else if ("number" in parsed) wanted.numbers.push(parsed.number);
    else wanted.ids.push(parsed.id);
  };
  for (const { pm, fm } of postmortems) {
    wanted.keys.push(`postmortem:${pm.slug}`);
    if (fm.incident) want(fm.incident);
  }
  for (const entry of ordered) {
    wanted.keys.push(`import:${entry.key}`);
    if (entry.recurrenceOf) {
      if (parseIncidentReference(entry.recurrenceOf)) want(entry.recurrenceOf);
      else wanted.keys.push(`import:${entry.recurrenceOf}`.trim(), `postmortem:${entry.recurrenceOf}`.trim());
    }
  }
  const ctx: PlanContext = {
    byKey: new Map(),
    byNumber: new Map(),
    byId: new Map(),
    refs: { systems: new Map(), runbooks: new Map(), postmortems: new Map() },
    plan: emptyWritePlan(),
    timelines: new Map(),
    reviewedByEntries: new Set(ordered.flatMap((e) => (e.postmortem ? [e.postmortem] : []))),
  };
  for (const state of await loadIncidentStates(tx, wanted)) remember(ctx, state);

  // 2. The catalog entries it names (runbooks linked from the timelines of the postmortems to write).
  const runbooks = ordered.flatMap((e) => e.input.runbooks);
  for (const { pm, zone } of postmortems) {
    if (pm.outcome === "unchanged" && ctx.byKey.has(`postmortem:${pm.slug}`)) continue;
    const timeline = parsePostmortemTimeline(pm.body, { fallbackZone: zone });
    ctx.timelines.set(pm, timeline);
    runbooks.push(...extractWikiLinks(timeline.rows.map((r) => r.text).join("\n")).map((l) => l.slug));
  }
  ctx.refs = await loadImportReferences(tx, {
    systems: [...new Set([...ordered.flatMap((e) => e.input.systems), ...postmortems.flatMap(({ pm }) => pm.metadata.systems.map((s) => s.trim().toLowerCase()))])],
    runbooks: [...new Set(runbooks)],
    postmortems: [...new Set(ordered.flatMap((e) => (e.postmortem ? [e.postmortem] : [])))],
  });

  // 3. What changed, in the order described above; 4. written in a few statements.
  const count = (outcome: Outcome) => {
    if (outcome !== "failed" && outcome !== "reviewed") summary[outcome]++;
  };
  for (const { pm, fm, zone } of postmortems) count(planPostmortem(ctx, pm, fm, zone, summary));
  for (const entry of ordered) count(planFileEntry(ctx, entry, summary));
  await writeIncidentPlan(tx, ctx.plan, ctx.refs, { createdBy: IMPORTER.email, now });
  return summary;
}

/** "reviewed": a postmortem that an entry of the import names; it gets no incident of its own (not counted). */
type Outcome = "created" | "updated" | "unchanged" | "linked" | "failed" | "reviewed";

/** The importer's working state: incidents by key/number/id (stored and new), catalog references, what to write. */
interface PlanContext {
  byKey: Map<string, IncidentState>;
  /** Stored incidents only: a new one has no number until it is written. */
  byNumber: Map<number, IncidentState>;
  byId: Map<string, IncidentState>;
  refs: ImportReferences;
  plan: IncidentWritePlan;
  timelines: Map<ImportedPostmortem, ReturnType<typeof parsePostmortemTimeline>>;
  /** Slugs of the postmortems that entries of this import name (`postmortem:`). */
  reviewedByEntries: Set<string>;
}

function remember(ctx: PlanContext, state: IncidentState): void {
  if (state.externalKey) ctx.byKey.set(state.externalKey, state);
  if (state.number !== null) ctx.byNumber.set(state.number, state);
  ctx.byId.set(state.id, state);
}

/** The incident a reference names ("INC-12", "12", an id, or an external key), as findIncidentId. */
function findState(ctx: PlanContext, reference: string): IncidentState | undefined {
  const parsed = parseIncidentReference(reference);
  if (!parsed) return ctx.byKey.get(reference.trim());
  return "number" in parsed ? ctx.byNumber.get(parsed.number) : ctx.byId.get(parsed.id);
}

function markChanged(ctx: PlanContext, state: IncidentState): void {
  if (state.isNew) return; // written whole with its final values
  state.dirty = true;
  if (!ctx.plan.changed.includes(state)) ctx.plan.changed.push(state);
}

function planFileEntry(ctx: PlanContext, entry: IncidentFileEntry, summary: { problems: ImportProblem[] }): Outcome {
  const problem = (field: string, message: string, fix: string) => {
    summary.problems.push({ file: entry.file, field: `"${entry.key}".${field}`, message, fix });
    return "failed" as const;
  };
  let recurrence: IncidentState | null = null;
  if (entry.recurrenceOf) {
    const ref = entry.recurrenceOf;
    const found = parseIncidentReference(ref) ? findState(ctx, ref) : (ctx.byKey.get(`import:${ref}`.trim()) ?? ctx.byKey.get(`postmortem:${ref}`.trim()));
    if (!found) return problem("recurrence_of", `no incident "${ref}"`, "name an earlier entry's key, a postmortem slug or INC-<number>");
    recurrence = found;
  }
  let postmortem: { id: string; slug: string } | null = null;
  if (entry.postmortem) {
    const id = ctx.refs.postmortems.get(entry.postmortem);
    if (!id) return problem("postmortem", `no postmortem document "${entry.postmortem}"`, "use the slug of a document of kind postmortem");
    postmortem = { id, slug: entry.postmortem };
  }
  return upsert(ctx, `import:${entry.key}`, entry.input, recurrence, { postmortem, eventSource: `import: ${entry.file}`, timestampSources: {} }, (field, message) =>
    problem(snake(field), message, field === "systems" ? "use system slugs from catalog/systems.yaml" : "see the incident format in content/README.md"),
  );
}

/**
 * Plans the incident with `externalKey`: a new one, or the stored one brought in line when it
 * differs (columns, systems, runbooks, events of this source; corrective actions with new titles
 * are added). Column changes are checked against the catalog, bump the version and are audited with
 * each field's before and after (as updateIncident does); other changes get one `incident.update`
 * entry listing them. `recurrence` replaces `input.recurrenceOf`.
 */
function upsert(
  ctx: PlanContext,
  externalKey: string,
  input: IncidentInput,
  recurrence: IncidentState | null,
  options: { postmortem: { id: string; slug: string } | null; eventSource: string; timestampSources: TimestampSources },
  fail: (field: string, message: string) => "failed",
): Outcome {
  const { plan } = ctx;
  const referenceError = (self: IncidentState | null) => {
    const errors = unknownReferenceErrors(input, { systems: ctx.refs.systems, runbooks: ctx.refs.runbooks });
    if (recurrence && recurrence === self) errors.recurrenceOf = "an incident cannot be a recurrence of itself";
    const first = Object.entries(errors)[0];
    return first ? fail(first[0], first[1]) : null;
  };
  const eventRows = (id: string) => input.events.map((e) => ({ incidentId: id, at: e.at, text: e.text, source: options.eventSource }));
  const existing = ctx.byKey.get(externalKey);
  if (!existing) {
    const failed = referenceError(null);
    if (failed) return failed;
    const state = newIncidentState(input, {
      externalKey,
      recurrenceOfId: recurrence?.id ?? null,
      timestampSources: options.timestampSources,
      postmortemDocumentId: options.postmortem?.id ?? null,
      eventSource: options.eventSource,
    });
    remember(ctx, state);
    plan.created.push(state);
    plan.events.push(...eventRows(state.id));
    plan.actions.push(...input.actions.map((item) => ({ incidentId: state.id, item, raisedAt: raisedAtOf(input) })));
    plan.audits.push(() => ({
      actorUserId: IMPORTER.userId,
      actor: IMPORTER.email,
      action: "incident.create",
      targetType: "incident",
      target: stateReference(state),
      details: incidentCreatedDetails(input, "import", externalKey, input.actions.length),
      ip: IMPORTER.ip,
    }));
    return "created";
  }

  // Compared as updateIncident does, with the recurrence by id (a new target has no number yet).
  const before = comparable({ ...existing.columns, recurrenceOf: existing.columns.recurrenceOfId, systems: existing.systems, runbooks: existing.runbooks });
  const after = comparable({ ...input, recurrenceOf: recurrence?.id ?? null });
  const changed = Object.keys(after).filter((k) => JSON.stringify(after[k]) !== JSON.stringify(before[k]));
  const sameSources = sortedJson(existing.timestampSources) === sortedJson(options.timestampSources);
  const samePostmortem = options.postmortem === null || existing.postmortemDocumentId === options.postmortem.id;
  const sameColumns = changed.length === 0 && sameSources && samePostmortem;
  const eventKey = (e: { at: Date; text: string }) => `${e.at.toISOString()}|${e.text}`;
  const sameEvents = sameList(existing.events.filter((e) => e.source === options.eventSource).map(eventKey), input.events.map(eventKey));
  // Corrective actions are matched by title: new titles are added; existing ones are left alone,
  // since their status lives in the app once someone works on them (as for drills and inspections).
  const actionChanges = input.actions.filter((a) => !existing.actionTitles.has(a.title));
  if (sameColumns && sameEvents && actionChanges.length === 0) return "unchanged";
  if (!sameColumns) {
    const failed = referenceError(existing);
    if (failed) return failed;
  }

  const target = incidentReference(existing.number!);
  if (changed.length > 0) {
    const baseVersion = existing.version;
    const recurrenceBefore = existing.recurrenceNumber === null ? null : incidentReference(existing.recurrenceNumber);
    const changes: Record<string, { before: unknown; after: unknown }> = Object.fromEntries(changed.map((k) => [k, { before: before[k], after: after[k] }]));
    existing.columns = columnsOf(input, recurrence?.id ?? null);
    existing.recurrenceNumber = recurrence?.number ?? null;
    existing.systems = [...input.systems].sort();
    existing.runbooks = [...input.runbooks].sort();
    existing.timestampSources = options.timestampSources;
    existing.version = baseVersion + 1;
    existing.linksChanged = true;
    markChanged(ctx, existing);
    plan.audits.push(() => {
      if (changes.recurrenceOf) changes.recurrenceOf = { before: recurrenceBefore, after: recurrence ? stateReference(recurrence) : null };
      return {
        actorUserId: IMPORTER.userId,
        actor: IMPORTER.email,
        action: "incident.update",
        targetType: "incident",
        target,
        details: { baseVersion, version: baseVersion + 1, changes },
        ip: IMPORTER.ip,
      };
    });
  }
  const extra: Record<string, unknown> = {};
  if (!sameSources) {
    if (changed.length === 0) extra.timestampSources = { before: existing.timestampSources, after: options.timestampSources };
    existing.timestampSources = options.timestampSources;
    markChanged(ctx, existing);
  }
  if (!samePostmortem) {
    if (changed.length === 0) extra.postmortem = options.postmortem!.slug;
    existing.postmortemDocumentId = options.postmortem!.id;
    markChanged(ctx, existing);
  }
  if (!sameEvents) {
    plan.eventDeletes.push({ incidentId: existing.id, source: options.eventSource });
    plan.events.push(...eventRows(existing.id));
    existing.events = [...existing.events.filter((e) => e.source !== options.eventSource), ...eventRows(existing.id)];
  }
  if (actionChanges.length > 0) {
    plan.actions.push(...actionChanges.map((item) => ({ incidentId: existing.id, item, raisedAt: raisedAtOf(input) })));
    for (const a of actionChanges) existing.actionTitles.add(a.title);
  }
  if (changed.length === 0) {
    plan.audits.push(() => ({
      actorUserId: IMPORTER.userId,
      actor: IMPORTER.email,
      action: "incident.update",
      targetType: "incident",
      target,
      details: { origin: "import", externalKey, events: sameEvents ? "unchanged" : input.events.length, actions: actionChanges.map((a) => a.title), ...extra },
      ip: IMPORTER.ip,
    }));
  }
  return "updated";
}

/** When an imported incident raised its corrective actions: its resolution (the postmortem follows it), else its latest timestamp. */
function raisedAtOf(input: IncidentInput): Date {
  return input.resolvedAt ?? input.mitigatedAt ?? input.acknowledgedAt ?? input.detectedAt ?? input.startedAt;
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

/** The incident facts of a postmortem's frontmatter, and the time zone it states (if valid). */
function postmortemFactsOf(pm: ImportedPostmortem): { fm: z.output<typeof postmortemFacts>; zone: string | undefined } {
  const facts = postmortemFacts.safeParse(pm.metadata.extra);
  const fm = facts.success ? facts.data : {};
  const zone = typeof fm.timezone === "string" && isValidTimeZone(fm.timezone) ? fm.timezone : undefined;
  return { fm, zone };
}

function planPostmortem(
  ctx: PlanContext,
  pm: ImportedPostmortem,
  fm: z.output<typeof postmortemFacts>,
  zone: string | undefined,
  summary: IncidentImportSummary,
): Outcome {
  const note = (line: string) => summary.notParsed.push(`${pm.file}: ${line}`);
  if (fm.incident) {
    const found = findState(ctx, fm.incident);
    if (found) {
      if (found.postmortemDocumentId === pm.documentId) return "unchanged";
      found.postmortemDocumentId = pm.documentId;
      markChanged(ctx, found);
      const target = fm.incident;
      ctx.plan.audits.push(() => ({ actor: IMPORTER.email, action: "incident.link_postmortem", targetType: "incident", target, details: { postmortem: pm.slug } }));
      return "linked";
    }
  }
  // An incidents/*.yaml entry that names this postmortem (`postmortem:`) is the incident it reviews
  // (an export writes "Write postmortem" incidents so): no second incident from the document.
  if (ctx.reviewedByEntries.has(pm.slug)) return "reviewed";
  if (fm.incident) note(`frontmatter incident "${fm.incident}" names no incident here; an incident is created from the document instead`);
  const externalKey = `postmortem:${pm.slug}`;
  if (pm.outcome === "unchanged" && ctx.byKey.has(externalKey)) return "unchanged";

  const timeline = ctx.timelines.get(pm) ?? parsePostmortemTimeline(pm.body, { fallbackZone: zone });
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
  const runbooks = linkedSlugs.filter((slug) => ctx.refs.runbooks.has(slug));
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
  return upsert(ctx, externalKey, input, null, { postmortem: { id: pm.documentId, slug: pm.slug }, eventSource: `postmortem: ${pm.slug}`, timestampSources: sources }, (field, message) => {
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
