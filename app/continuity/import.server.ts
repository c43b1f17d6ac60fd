/**
 * Drill and inspection records in content folders (`drills/*.yaml`, `inspections/*.yaml`; format in
 * content/README.md), read and checked before the import's transaction and written inside it by
 * `importContent` (app/docs/import.server.ts), so documents and records land together or not at all.
 *
 * Each record is validated with the same zod schemas as the API and forms (records.ts). A record's
 * identity is its `externalKey`, or, when it has none, `import:drill:<plan>@<heldAt>` /
 * `import:inspection:<system>@<inspectedAt>` (ISO, UTC), so moving a record to another file or
 * reordering a file changes nothing. Re-importing an unchanged record writes nothing; a changed one
 * is updated from the file (see continuity.server.ts on idempotency); records are never deleted.
 * Imported records get stable ids derived from their key (`recordIdForKey`).
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { parse as parseYaml } from "yaml";
import type { Executor } from "../../db/client";
import { drills, inspections, type Drill, type Inspection } from "../../db/schema";
import { recordAudit } from "../audit/audit.server";
import { insertCorrectiveActionsInBulk } from "../corrective-actions/actions.server";
import type { ImportProblem } from "../docs/import.server";
import { actionTitlesBySource, drillDifferences, inspectionDifferences } from "./continuity.server";
import { drillInput, inspectionInput, issuesToFieldErrors, type DrillInput, type InspectionInput } from "./records";
import {
  checkDrillReferences,
  checkInspectionReferences,
  loadPlanRefs,
  loadSystemRefs,
  recordIdForKey,
} from "./references.server";

/** The folders (directly under the import root) that hold record files. */
export const RECORD_FOLDERS = { drills: "drill", inspections: "inspection" } as const;
const RECORD_FILE = /\.ya?ml$/i;
/** The one-line inspection shorthand: `2026-03-01T01:30:00Z ok` (inspectedAt, result; the rest from defaults). */
const INSPECTION_LINE = /^(\S+)\s+(\S+)$/;

interface ParsedRecord<T> {
  file: string;
  /** Position in the file's `records` list (0-based). */
  index: number;
  key: string;
  input: T;
}

/** Records read from the folder, valid as far as the schemas can tell (references are checked in the transaction). */
export interface ContinuityRecords {
  files: string[];
  drills: Array<ParsedRecord<DrillInput>>;
  inspections: Array<ParsedRecord<InspectionInput>>;
}

export interface CountSummary {
  created: number;
  updated: number;
  unchanged: number;
}

export interface ContinuityImportSummary {
  files: number;
  drills: CountSummary;
  inspections: CountSummary;
}

const FIX = "see the drill and inspection record format in content/README.md";

/** Lists `drills/*.yaml` and `inspections/*.yaml` under `root` (relative, `/`-separated, sorted). */
async function listRecordFiles(root: string): Promise<Array<{ file: string; kind: "drill" | "inspection" }>> {
  const out: Array<{ file: string; kind: "drill" | "inspection" }> = [];
  for (const [folder, kind] of Object.entries(RECORD_FOLDERS)) {
    let names: string[];
    try {
      names = await readdir(path.join(root, folder));
    } catch {
      continue;
    }
    for (const name of names.sort()) if (RECORD_FILE.test(name) && !name.startsWith(".")) out.push({ file: `${folder}/${name}`, kind });
  }
  return out;
}

/**
 * Reads and validates every record file under `root`. Problems (bad YAML, a record that fails the
 * schema, two records with the same key) are appended to `problems`, each naming the file and the
 * field as `records[<index>].<field>`; the records that passed are returned.
 */
export async function readContinuityRecords(root: string, problems: ImportProblem[]): Promise<ContinuityRecords> {
  const result: ContinuityRecords = { files: [], drills: [], inspections: [] };
  const seen = new Map<string, string>();
  for (const { file, kind } of await listRecordFiles(root)) {
    result.files.push(file);
    let raw: unknown;
    try {
      raw = parseYaml(await readFile(path.join(root, file), "utf8"));
    } catch (error) {
      problems.push({ file, field: "(YAML)", message: (error as Error).message.split("\n")[0]!, fix: "correct the YAML syntax" });
      continue;
    }
    if (raw === null || raw === undefined) continue;
    let defaults: Record<string, unknown> = {};
    let list: unknown;
    if (Array.isArray(raw)) list = raw;
    else if (typeof raw === "object") {
      const { defaults: d, records, ...rest } = raw as Record<string, unknown>;
      const unknownKeys = Object.keys(rest);
      if (unknownKeys.length > 0) {
        problems.push({ file, field: unknownKeys.join(", "), message: "is not a known top-level key (use defaults and records)", fix: FIX });
        continue;
      }
      if (d !== undefined && (typeof d !== "object" || d === null || Array.isArray(d))) {
        problems.push({ file, field: "defaults", message: "must be a mapping of fields shared by every record", fix: FIX });
        continue;
      }
      defaults = (d as Record<string, unknown>) ?? {};
      list = records ?? [];
    }
    if (!Array.isArray(list)) {
      problems.push({ file, field: "records", message: "must be a list of records", fix: FIX });
      continue;
    }
    list.forEach((entry, index) => {
      const shorthand = kind === "inspection" && typeof entry === "string" ? INSPECTION_LINE.exec(entry.trim()) : null;
      if (kind === "inspection" && typeof entry === "string" && !shorthand) {
        problems.push({ file, field: `records[${index}]`, message: `"${entry}" is not "<inspectedAt> <result>"`, fix: "write e.g. 2026-03-01T01:30:00Z ok, or a mapping" });
        return;
      }
      const record = shorthand ? { inspectedAt: shorthand[1], result: shorthand[2] } : entry;
      const merged = record && typeof record === "object" && !Array.isArray(record) ? { ...defaults, ...(record as object) } : record;
      const prefix = `records[${index}]`;
      const schema = kind === "drill" ? drillInput : inspectionInput;
      const parsed = schema.safeParse(merged);
      if (!parsed.success) {
        for (const e of issuesToFieldErrors(parsed.error.issues, prefix).slice(0, 10)) {
          problems.push({ file, field: e.field, message: e.message, fix: FIX });
        }
        return;
      }
      const key =
        parsed.data.externalKey ??
        (kind === "drill"
          ? `import:drill:${(parsed.data as DrillInput).plan}@${(parsed.data as DrillInput).heldAt.toISOString()}`
          : `import:inspection:${(parsed.data as InspectionInput).system}@${(parsed.data as InspectionInput).inspectedAt.toISOString()}`);
      const where = `${file} ${prefix}`;
      const previous = seen.get(`${kind}\n${key}`);
      if (previous) {
        problems.push({
          file,
          field: prefix,
          message: `is the same ${kind} as ${previous} (key ${key})`,
          fix: "remove the duplicate, or give each record its own externalKey",
        });
        return;
      }
      seen.set(`${kind}\n${key}`, where);
      if (kind === "drill") result.drills.push({ file, index, key, input: parsed.data as DrillInput });
      else result.inspections.push({ file, index, key, input: parsed.data as InspectionInput });
    });
  }
  return result;
}

/** Stored records with these external keys, by key: one query (the keys travel as one JSON parameter). */
async function existingByKey<T extends { externalKey: string | null }>(
  tx: Executor,
  table: typeof drills | typeof inspections,
  keys: string[],
): Promise<Map<string, T>> {
  const rows = (await tx
    .select()
    .from(table)
    .where(sql`${table.externalKey} in (select jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb))`)) as unknown as T[];
  return new Map(rows.map((r) => [r.externalKey!, r]));
}

/**
 * Inserts many rows with one statement per table: the rows travel as one JSON parameter and
 * `jsonb_to_recordset` turns them into rows (thousands of bound parameters are slow on PGlite).
 */
async function insertDrillRows(tx: Executor, rows: Array<Record<string, unknown>>): Promise<void> {
  if (rows.length === 0) return;
  await tx.execute(sql`
    insert into ${drills} (id, plan_document_id, plan_revision, scenario, held_at, type, outcome, recovery_minutes,
      participants, findings, notes, origin, external_key, recorded_by)
    select id, plan_document_id, plan_revision, scenario, held_at, type, outcome, recovery_minutes,
      participants, findings, notes, origin, external_key, recorded_by
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(id uuid, plan_document_id uuid, plan_revision integer,
      scenario text, held_at timestamptz, type text, outcome text, recovery_minutes integer, participants jsonb,
      findings jsonb, notes text, origin text, external_key text, recorded_by text)`);
}

async function insertInspectionRows(tx: Executor, rows: Array<Record<string, unknown>>): Promise<void> {
  if (rows.length === 0) return;
  await tx.execute(sql`
    insert into ${inspections} (id, system_id, inspected_at, inspector, result, checklist, findings, notes, origin,
      external_key, recorded_by)
    select id, system_id, inspected_at, inspector, result, checklist, findings, notes, origin, external_key, recorded_by
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(id uuid, system_id integer, inspected_at timestamptz,
      inspector text, result text, checklist jsonb, findings jsonb, notes text, origin text, external_key text,
      recorded_by text)`);
}

/**
 * Writes the records through `tx` (the import's transaction): checks each against the catalog (the
 * plan is a contingency plan that is not archived, the revision exists, the system is active, not
 * dated more than a day ahead), inserts new records with their corrective actions, updates changed
 * ones (adding actions with new titles) and leaves unchanged ones alone. When anything was written, one
 * `continuity.import` audit entry lists the counts. Reference problems are returned (file,
 * `records[<index>].<field>`); the records with problems are not written, the rest are (the caller
 * rolls the transaction back unless it skips invalid files).
 */
export async function importContinuityRecords(
  tx: Executor,
  records: ContinuityRecords,
  options: { author: string; now?: Date },
): Promise<{ summary: ContinuityImportSummary; problems: ImportProblem[] }> {
  const now = options.now ?? new Date();
  const problems: ImportProblem[] = [];
  const summary: ContinuityImportSummary = {
    files: records.files.length,
    drills: { created: 0, updated: 0, unchanged: 0 },
    inspections: { created: 0, updated: 0, unchanged: 0 },
  };
  if (records.drills.length + records.inspections.length === 0) return { summary, problems };
  const problem = (r: ParsedRecord<unknown>, field: string, message: string) =>
    problems.push({ file: r.file, field: `records[${r.index}].${field}`, message, fix: FIX });

  // Drills
  if (records.drills.length > 0) {
    const plans = await loadPlanRefs(tx, records.drills.map((r) => r.input.plan));
    const existing = await existingByKey<Drill>(tx, drills, records.drills.map((r) => r.key));
    const titles = await actionTitlesBySource(tx, "drill", [...existing.values()].map((d) => d.id));
    const inserts: Array<Record<string, unknown>> = [];
    /** `raisedAt`: the drill's time, the actions' created_at (their age counts from the drill, not the import). */
    const actions: Array<{ id: string; items: DrillInput["correctiveActions"]; raisedAt: Date }> = [];
    for (const r of records.drills) {
      const found = existing.get(r.key);
      const plan = plans.get(r.input.plan);
      if (found) {
        const own = titles.get(found.id) ?? new Set<string>();
        const revision = r.input.planRevision ?? (plan?.id === found.planDocumentId ? found.planRevision : plan?.currentRevision ?? -1);
        if (drillDifferences(found, own, r.input, plan?.id ?? "", revision).length === 0) {
          summary.drills.unchanged++;
          continue;
        }
      }
      const checked = checkDrillReferences(r.input, plans, now);
      if (!checked.ok) {
        for (const e of checked.errors) problem(r, e.field, e.message);
        continue;
      }
      const values = {
        planDocumentId: checked.plan.id,
        planRevision: r.input.planRevision ?? (found && found.planDocumentId === checked.plan.id ? found.planRevision : checked.planRevision),
        scenario: r.input.scenario,
        heldAt: r.input.heldAt,
        type: r.input.type,
        outcome: r.input.outcome,
        recoveryMinutes: r.input.recoveryMinutes,
        participants: r.input.participants,
        findings: r.input.findings,
        notes: r.input.notes,
      };
      if (found) {
        await tx.update(drills).set(values).where(eq(drills.id, found.id));
        const own = titles.get(found.id) ?? new Set<string>();
        actions.push({ id: found.id, items: r.input.correctiveActions.filter((a) => !own.has(a.title)), raisedAt: values.heldAt });
        summary.drills.updated++;
      } else {
        const id = recordIdForKey("drill", r.key);
        inserts.push({
          id,
          plan_document_id: values.planDocumentId,
          plan_revision: values.planRevision,
          scenario: values.scenario,
          held_at: values.heldAt.toISOString(),
          type: values.type,
          outcome: values.outcome,
          recovery_minutes: values.recoveryMinutes,
          participants: values.participants,
          findings: values.findings,
          notes: values.notes,
          origin: "import",
          external_key: r.key,
          recorded_by: options.author,
        });
        actions.push({ id, items: r.input.correctiveActions, raisedAt: values.heldAt });
        summary.drills.created++;
      }
    }
    await insertDrillRows(tx, inserts);
    await insertCorrectiveActionsInBulk(
      tx,
      actions.flatMap((a) => a.items.map((item) => ({ source: { type: "drill" as const, id: a.id }, item, raisedAt: a.raisedAt }))),
      options.author,
      now,
    );
  }

  // Inspections
  if (records.inspections.length > 0) {
    const systemRefs = await loadSystemRefs(tx, records.inspections.map((r) => r.input.system));
    const existing = await existingByKey<Inspection>(tx, inspections, records.inspections.map((r) => r.key));
    const titles = await actionTitlesBySource(tx, "inspection", [...existing.values()].map((i) => i.id));
    const inserts: Array<Record<string, unknown>> = [];
    /** `raisedAt`: the inspection's time, the actions' created_at. */
    const actions: Array<{ id: string; items: InspectionInput["correctiveActions"]; raisedAt: Date }> = [];
    for (const r of records.inspections) {
      const found = existing.get(r.key);
      if (found) {
        const own = titles.get(found.id) ?? new Set<string>();
        if (inspectionDifferences(found, own, r.input, systemRefs.get(r.input.system)?.id ?? -1).length === 0) {
          summary.inspections.unchanged++;
          continue;
        }
      }
      const checked = checkInspectionReferences(r.input, systemRefs, now);
      if (!checked.ok) {
        for (const e of checked.errors) problem(r, e.field, e.message);
        continue;
      }
      const values = {
        systemId: checked.system.id,
        inspectedAt: r.input.inspectedAt,
        inspector: r.input.inspector,
        result: r.input.result,
        checklist: r.input.checklist,
        findings: r.input.findings,
        notes: r.input.notes,
      };
      if (found) {
        await tx.update(inspections).set(values).where(eq(inspections.id, found.id));
        const own = titles.get(found.id) ?? new Set<string>();
        actions.push({ id: found.id, items: r.input.correctiveActions.filter((a) => !own.has(a.title)), raisedAt: values.inspectedAt });
        summary.inspections.updated++;
      } else {
        const id = recordIdForKey("inspection", r.key);
        inserts.push({
          id,
          system_id: values.systemId,
          inspected_at: values.inspectedAt.toISOString(),
          inspector: values.inspector,
          result: values.result,
          checklist: values.checklist,
          findings: values.findings,
          notes: values.notes,
          origin: "import",
          external_key: r.key,
          recorded_by: options.author,
        });
        actions.push({ id, items: r.input.correctiveActions, raisedAt: values.inspectedAt });
        summary.inspections.created++;
      }
    }
    await insertInspectionRows(tx, inserts);
    await insertCorrectiveActionsInBulk(
      tx,
      actions.flatMap((a) => a.items.map((item) => ({ source: { type: "inspection" as const, id: a.id }, item, raisedAt: a.raisedAt }))),
      options.author,
      now,
    );
  }

  const written = summary.drills.created + summary.drills.updated + summary.inspections.created + summary.inspections.updated;
  if (written > 0) {
    await recordAudit(tx, {
      actor: options.author,
      action: "continuity.import",
      targetType: "content",
      target: null,
      details: { files: summary.files, drills: summary.drills, inspections: summary.inspections },
    });
  }
  return { summary, problems };
}

/** One summary line for the command line, or null when the folder had no record files. */
export function formatContinuityImportSummary(summary: ContinuityImportSummary | null): string | null {
  if (!summary || summary.files === 0) return null;
  const part = (name: string, c: CountSummary) => `${name} ${c.created} created / ${c.updated} updated / ${c.unchanged} unchanged`;
  return `  records (${summary.files} files): ${part("drills", summary.drills)}; ${part("inspections", summary.inspections)}`;
}
