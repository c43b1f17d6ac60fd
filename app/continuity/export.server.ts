/**
 * Drills and inspections as record files (`drills/*.yaml`, `inspections/*.yaml`) in the format
 * `readContinuityRecords` reads (content/README.md), for the export (app/docs/export.server.ts):
 * export -> import into an empty database -> export gives the same files.
 *
 * One file per plan (`defaults: { plan }`) and per system (`defaults: { system, inspector }`, the
 * inspector most records name), records by time. A record's `externalKey` is written only when it
 * differs from the identity the importer derives (`import:drill:<plan>@<heldAt>`), so imported and
 * exported records keep their identity (and their ids, `recordIdForKey`). `planRevision` is written
 * only when it is not the plan's current revision; the export then also writes the plan's earlier
 * revisions (`revisions/<plan>/<n>.md`, app/docs/export.server.ts), so the number names the same text
 * after an import into an empty database. Corrective actions keep their status and closed instant.
 */
import { asc, eq, isNotNull, or } from "drizzle-orm";
import { Document as YamlDocument } from "yaml";
import type { Executor } from "../../db/client";
import { correctiveActions, documents, drills, inspections, systems } from "../../db/schema";

const HEADER = "# Exported by Drillbook (npm run export). Format: content/README.md in the Drillbook repository.\n";
const KEY_TEXT = /^[\x21-\x7e]{1,200}$/;

export interface ContinuitySnapshot {
  drills: Array<typeof drills.$inferSelect & { plan: string; planCurrentRevision: number }>;
  inspections: Array<typeof inspections.$inferSelect & { system: string }>;
  /** Corrective actions by drill or inspection id. */
  actions: Map<string, ExportAction[]>;
}

/** A corrective action as record files and incident files write it. */
export type ExportAction = Pick<typeof correctiveActions.$inferSelect, "title" | "owner" | "dueDate" | "status" | "closedAt" | "notes">;

/** Reads every drill, inspection and their corrective actions through `tx` (the export's snapshot). */
export async function readContinuitySnapshot(tx: Executor): Promise<ContinuitySnapshot> {
  const drillRows = await tx
    .select({ drill: drills, plan: documents.slug, planCurrentRevision: documents.currentRevision })
    .from(drills)
    .innerJoin(documents, eq(documents.id, drills.planDocumentId))
    .orderBy(asc(drills.heldAt));
  const inspectionRows = await tx
    .select({ inspection: inspections, system: systems.slug })
    .from(inspections)
    .innerJoin(systems, eq(systems.id, inspections.systemId))
    .orderBy(asc(inspections.inspectedAt));
  const actionRows = await tx
    .select()
    .from(correctiveActions)
    .where(or(isNotNull(correctiveActions.drillId), isNotNull(correctiveActions.inspectionId)));
  const actions = new Map<string, ExportAction[]>();
  for (const a of actionRows) {
    const id = a.drillId ?? a.inspectionId!;
    if (!actions.has(id)) actions.set(id, []);
    actions.get(id)!.push(a);
  }
  return {
    drills: drillRows.map((r) => ({ ...r.drill, plan: r.plan, planCurrentRevision: r.planCurrentRevision })),
    inspections: inspectionRows.map((r) => ({ ...r.inspection, system: r.system })),
    actions,
  };
}

/** Code-unit order, the same on every machine. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** An instant as ISO 8601 UTC, without milliseconds when they are 0 (`2026-03-01T10:00:00Z`). */
export function isoInstant(at: Date): string {
  return at.toISOString().replace(".000Z", "Z");
}

/** Corrective actions in a stable order (due date, then title, owner, status), closed ones with their instant. */
export function exportActions(items: readonly ExportAction[], format: "record" | "incident"): Array<Record<string, unknown>> {
  const sorted = [...items].sort(
    (a, b) =>
      compare(a.dueDate ?? "9999", b.dueDate ?? "9999") ||
      compare(a.title, b.title) ||
      compare(a.owner, b.owner) ||
      compare(a.status, b.status) ||
      compare(a.closedAt ? isoInstant(a.closedAt) : "", b.closedAt ? isoInstant(b.closedAt) : "") ||
      compare(a.notes, b.notes),
  );
  return sorted.map((a) => {
    const out: Record<string, unknown> = { title: a.title, owner: a.owner };
    if (format === "record") {
      if (a.dueDate) out.dueDate = a.dueDate;
      out.status = a.status;
      if (a.closedAt) out.closedAt = isoInstant(a.closedAt);
    } else {
      if (a.dueDate) out.due = a.dueDate;
      out.status = a.status;
      // The incident importer reads a bare day as 12:00 UTC of that day.
      if (a.closedAt) out.closed = a.closedAt.toISOString().endsWith("T12:00:00.000Z") ? a.closedAt.toISOString().slice(0, 10) : isoInstant(a.closedAt);
    }
    if (a.notes) out.notes = a.notes;
    return out;
  });
}

/** YAML as the export writes it: block style, no line folding, LF. */
export function exportYaml(value: unknown): string {
  return new YamlDocument(value).toString({ lineWidth: 0, minContentWidth: 0, flowCollectionPadding: false, indentSeq: true });
}

/** A file name for a slug: `/` becomes `__`; never hidden; unique case-insensitively among `taken`. */
export function fileNameFor(slug: string, taken: Set<string>): string {
  let stem = slug.replaceAll("/", "__").replace(/[\\\0]/g, "_");
  if (stem.startsWith(".")) stem = `_${stem}`;
  let name = `${stem}.yaml`;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${stem}-${n}.yaml`;
  taken.add(name.toLowerCase());
  return name;
}

/**
 * The record files of a snapshot: relative path -> text, plus counts and warnings (none today; kept
 * for what a record file cannot carry).
 */
export function continuityFiles(snapshot: ContinuitySnapshot): { files: Map<string, string>; drills: number; inspections: number; warnings: string[] } {
  const files = new Map<string, string>();
  const warnings: string[] = [];
  const actionsOf = (id: string) => exportActions(snapshot.actions.get(id) ?? [], "record");

  // Explicit keys where the derived identity would not be unique (records written in the app without a key).
  const explicitKey = <T extends { id: string; externalKey: string | null }>(records: T[], derived: (r: T) => string) => {
    const counts = new Map<string, number>();
    for (const r of records) counts.set(derived(r), (counts.get(derived(r)) ?? 0) + 1);
    return (r: T, kind: string): string | undefined => {
      const own = r.externalKey;
      if (own === derived(r)) return undefined;
      if (own !== null && KEY_TEXT.test(own)) return own;
      // No usable key of its own: the derived identity, unless another record derives it too.
      return own === null && counts.get(derived(r)) === 1 ? undefined : `export:${kind}:${r.id}`;
    };
  };

  const drillKey = explicitKey(snapshot.drills, (d) => `import:drill:${d.plan}@${d.heldAt.toISOString()}`);
  const byPlan = groupBy(snapshot.drills, (d) => d.plan);
  const drillNames = new Set<string>();
  for (const plan of [...byPlan.keys()].sort(compare)) {
    const records = byPlan.get(plan)!.sort((a, b) => a.heldAt.getTime() - b.heldAt.getTime() || compare(a.externalKey ?? a.id, b.externalKey ?? b.id));
    const list = records.map((d) => {
      const out: Record<string, unknown> = { heldAt: isoInstant(d.heldAt), scenario: d.scenario, type: d.type, outcome: d.outcome, recoveryMinutes: d.recoveryMinutes };
      // An older revision: the export writes the plan's earlier revisions too (revisions/<plan>/<n>.md).
      if (d.planRevision !== d.planCurrentRevision) out.planRevision = d.planRevision;
      if (d.participants.length > 0) out.participants = d.participants;
      if (d.findings.length > 0) out.findings = d.findings;
      if (d.notes) out.notes = d.notes;
      const actions = actionsOf(d.id);
      if (actions.length > 0) out.correctiveActions = actions;
      const key = drillKey(d, "drill");
      if (key) out.externalKey = key;
      return out;
    });
    files.set(`drills/${fileNameFor(plan, drillNames)}`, HEADER + exportYaml({ defaults: { plan }, records: list }));
  }

  const inspectionKey = explicitKey(snapshot.inspections, (i) => `import:inspection:${i.system}@${i.inspectedAt.toISOString()}`);
  const bySystem = groupBy(snapshot.inspections, (i) => i.system);
  const inspectionNames = new Set<string>();
  for (const system of [...bySystem.keys()].sort(compare)) {
    const records = bySystem.get(system)!.sort((a, b) => a.inspectedAt.getTime() - b.inspectedAt.getTime() || compare(a.externalKey ?? a.id, b.externalKey ?? b.id));
    const inspectors = new Map<string, number>();
    for (const r of records) inspectors.set(r.inspector, (inspectors.get(r.inspector) ?? 0) + 1);
    const inspector = [...inspectors].sort((a, b) => b[1] - a[1] || compare(a[0], b[0]))[0]![0];
    const list = records.map((i): unknown => {
      const actions = actionsOf(i.id);
      const key = inspectionKey(i, "inspection");
      const plain = i.inspector === inspector && i.checklist.length === 0 && i.findings.length === 0 && !i.notes && actions.length === 0 && !key;
      if (plain) return `${isoInstant(i.inspectedAt)} ${i.result}`;
      const out: Record<string, unknown> = { inspectedAt: isoInstant(i.inspectedAt), result: i.result };
      if (i.inspector !== inspector) out.inspector = i.inspector;
      if (i.checklist.length > 0) out.checklist = i.checklist.map((c) => (c.note ? { item: c.item, result: c.result, note: c.note } : { item: c.item, result: c.result }));
      if (i.findings.length > 0) out.findings = i.findings;
      if (i.notes) out.notes = i.notes;
      if (actions.length > 0) out.correctiveActions = actions;
      if (key) out.externalKey = key;
      return out;
    });
    files.set(`inspections/${fileNameFor(system, inspectionNames)}`, HEADER + exportYaml({ defaults: { system, inspector }, records: list }));
  }
  return { files, drills: snapshot.drills.length, inspections: snapshot.inspections.length, warnings };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (!map.has(k)) map.set(k, []);
    map.get(k)!.push(item);
  }
  return map;
}
