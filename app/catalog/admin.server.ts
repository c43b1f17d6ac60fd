import { asc, eq, inArray } from "drizzle-orm";
import type { z } from "zod";
import type { Database, Executor } from "../../db/client";
import { documentSystems, slas, systemDependencies, systems, teams, type Sla } from "../../db/schema";
import { CRITICAL_WINDOW_DAYS, ESCALATION_LEVELS } from "../../db/schema/catalog";
import { recordAudit } from "../audit/audit.server";
import { enqueueSearchUpdates } from "../docs/documents.server";
import { canonicalJson } from "../docs/revision";
import { slaFormValues } from "./admin-form";
import { slaToEntry, systemColumnsFromEntry, systemToEntry, teamColumnsFromEntry, teamToEntry } from "./catalog-entries";
import {
  slaFileSchema,
  slaFromFile,
  systemFileSchema,
  teamFileSchema,
  type SlaFileEntry,
  type SystemFileEntry,
  type TeamFileEntry,
} from "./catalog-file";

/**
 * Admin edits of the catalog (teams, SLA tier defaults, systems): one named command per save. Each
 * validates its input with the catalog file schemas (catalog-file.ts), so a form accepts exactly
 * what `catalog/*.yaml` accepts, and writes the change and its audit entry in one transaction.
 * Inputs are file entries (snake_case keys, as in content/README.md); the admin pages map their
 * forms to that shape (admin-form.ts).
 */

/** Who makes the change, for the audit log. */
export interface AdminActor {
  /** E-mail of the user. */
  actor: string;
  actorUserId: string | null;
  ip: string | null;
}

/** Field -> message. Keys are the entry's paths joined by `.` (`critical_windows.0.start`), as the form names its inputs. */
export type FieldErrors = Record<string, string>;

/** The changed fields of an entry, by file key, with their values before and after. */
export type Changes = Record<string, { before: unknown; after: unknown }>;

/**
 * A refused save: field errors, and when someone else saved the entry while this edit was open
 * (see {@link mergeConcurrentEdit}), `current`: the entry as it is stored now, for the form's next base.
 */
export type AdminResult = { ok: true; changes: Changes } | { ok: false; errors: FieldErrors; current?: Record<string, unknown> };

/**
 * What an edit form saw when it was opened: the entry as loaded (file-entry shape, as the form's
 * hidden `base` field carries it). Without it a save replaces every field (imports, scripts).
 */
export interface EditOptions {
  base?: Record<string, unknown> | null;
}

/** The team, system or SLA tier to change does not exist. */
export class CatalogNotFoundError extends Error {
  override name = "CatalogNotFoundError";
}

/** Slugs that would clash with the admin pages' own addresses (`/admin/systems/new`). */
const RESERVED_SLUGS = new Set(["new"]);

/** Fields whose change alters the search documents of linked documents (see loadSearchDocuments). */
const SEARCHED_SYSTEM_FIELDS = ["name", "tier", "owner"];

/**
 * Friendlier messages than zod's defaults for what forms get wrong most: an empty required field
 * and a number field holding text. Messages set on the schemas themselves take precedence.
 */
const formErrorMap: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === "invalid_type") {
    if (issue.input === undefined || issue.input === "") return "required";
    if (issue.expected === "number") return "enter a number";
  }
  if (issue.code === "too_small" && issue.origin === "string" && Number(issue.minimum) === 1) return "required";
  if (issue.code === "invalid_value" && issue.input === "") return "choose one";
  return undefined;
};

/**
 * Validates `input` with a catalog file entry schema.
 * @returns the parsed entry, or field errors keyed by path (first message per field).
 */
export function validateEntry<T>(schema: z.ZodType<T>, input: unknown): { ok: true; entry: T } | { ok: false; errors: FieldErrors } {
  const result = schema.safeParse(input, { error: formErrorMap });
  if (result.success) return { ok: true, entry: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.map(String).join(".") || "form";
    errors[key] ??= issue.message;
  }
  return { ok: false, errors };
}

const teamEntrySchema = teamFileSchema.element;
const slaEntrySchema = slaFileSchema.element;
const systemEntrySchema = systemFileSchema.element;

/** Every field of `after` whose value differs from `before` (absent counts as null); for a new entry (`before` null), its non-empty fields. */
export function diffEntries(before: Record<string, unknown> | null, after: Record<string, unknown>): Changes {
  const changes: Changes = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after)]);
  for (const key of [...keys].sort()) {
    if (key === "slug" && before !== null) continue;
    const b = before?.[key] ?? null;
    const a = after[key] ?? null;
    if (before === null && (a === "" || (Array.isArray(a) && a.length === 0))) continue;
    if (canonicalJson(b) !== canonicalJson(a)) changes[key] = { before: b, after: a };
  }
  return changes;
}

/** Plain objects flattened to dotted paths (`sla.response_minutes.SEV1`); arrays and scalars are leaves. */
function flatten(value: Record<string, unknown>, prefix = "", out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [key, v] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (v !== null && typeof v === "object" && !Array.isArray(v)) flatten(v as Record<string, unknown>, path, out);
    else out[path] = v;
  }
  return out;
}

function unflatten(flat: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, v] of Object.entries(flat)) {
    if (v === undefined) continue;
    const keys = path.split(".");
    let node = out;
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[keys[keys.length - 1]!] = v;
  }
  return out;
}

const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);
const shown = (value: unknown) => (value === undefined || value === null || value === "" ? "(empty)" : Array.isArray(value) && value.every((v) => typeof v !== "object") ? value.join(", ") || "(none)" : typeof value === "object" ? "a changed list" : String(value));

/**
 * Three-way merge of an admin edit against a save made by someone else while the form was open
 * (optimistic concurrency, field by field; nested objects such as `sla.response_minutes` by leaf,
 * lists such as `escalation` as a whole). For each field: if only one side changed it from `base`,
 * that side's value is kept; if both changed it to different values, it is a conflict.
 * @returns the merged entry and the conflicting field paths with a message naming the stored value.
 */
export function mergeConcurrentEdit(
  base: Record<string, unknown>,
  current: Record<string, unknown>,
  yours: Record<string, unknown>,
): { merged: Record<string, unknown>; conflicts: FieldErrors } {
  const [b, c, y] = [flatten(base), flatten(current), flatten(yours)];
  const merged: Record<string, unknown> = {};
  const conflicts: FieldErrors = {};
  for (const path of new Set([...Object.keys(b), ...Object.keys(c), ...Object.keys(y)])) {
    if (same(c[path], b[path])) merged[path] = y[path];
    else if (same(y[path], b[path]) || same(y[path], c[path])) merged[path] = c[path];
    else {
      merged[path] = y[path];
      conflicts[path] = `someone else changed this to ${shown(c[path])} while you were editing; your value is kept here: save again to replace theirs`;
    }
  }
  return { merged: unflatten(merged), conflicts };
}

/** The refusal of a save that conflicts with another person's: per-field messages, a summary, and the stored entry. */
function conflictResult(conflicts: FieldErrors, what: string, current: Record<string, unknown>): AdminResult {
  const fields = Object.keys(conflicts).join(", ");
  return {
    ok: false,
    errors: { form: `Someone else saved this ${what} while you were editing, and changed ${fields} too. Their other changes are kept; check the marked fields and save again.`, ...conflicts },
    current,
  };
}

// ---------------------------------------------------------------------------------------------- teams

/** Every team as a file entry, by name. */
export async function listTeamEntries(db: Database): Promise<TeamFileEntry[]> {
  const rows = await db.select().from(teams).orderBy(asc(teams.name));
  return rows.map(teamToEntry);
}

/**
 * Creates a team from a `catalog/teams.yaml` entry and audits `team.create`.
 * @returns field errors when the entry is invalid or the slug is taken.
 */
export async function createTeam(db: Database, input: unknown, who: AdminActor): Promise<AdminResult> {
  const valid = validateEntry(teamEntrySchema, input);
  if (!valid.ok) return valid;
  const entry = valid.entry;
  return db.transaction(async (tx) => {
    const [taken] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.slug, entry.slug));
    if (taken) return { ok: false, errors: { slug: `a team with the slug "${entry.slug}" exists; choose another` } };
    const [row] = await tx.insert(teams).values({ slug: entry.slug, ...teamColumnsFromEntry(entry) }).returning();
    const changes = diffEntries(null, teamToEntry(row!));
    await audit(tx, who, "team.create", "team", entry.slug, changes);
    return { ok: true, changes };
  });
}

/**
 * Updates the team `slug` (the slug itself stays) from a `catalog/teams.yaml` entry and audits
 * `team.update` with each changed field's before and after. An unchanged entry writes nothing.
 * With `options.base`, another person's save since then is merged field by field
 * ({@link mergeConcurrentEdit}); fields both changed are refused, never overwritten silently.
 * @throws CatalogNotFoundError when there is no such team.
 */
export async function updateTeam(db: Database, slug: string, input: unknown, who: AdminActor, options: EditOptions = {}): Promise<AdminResult> {
  const valid = validateEntry(teamEntrySchema, { ...asObject(input), slug });
  if (!valid.ok) return valid;
  return db.transaction(async (tx) => {
    const [existing] = await tx.select().from(teams).where(eq(teams.slug, slug)).for("update");
    if (!existing) throw new CatalogNotFoundError(`No team has the slug "${slug}".`);
    let columns = teamColumnsFromEntry(valid.entry);
    if (options.base) {
      const current = teamToEntry(existing);
      const { merged, conflicts } = mergeConcurrentEdit(options.base, current, teamToEntry({ ...existing, ...columns }));
      if (Object.keys(conflicts).length > 0) return conflictResult(conflicts, "team", current);
      const again = validateEntry(teamEntrySchema, { ...merged, slug });
      if (!again.ok) return again;
      columns = teamColumnsFromEntry(again.entry);
    }
    const changes = diffEntries(teamToEntry(existing), teamToEntry({ ...existing, ...columns }));
    if (Object.keys(changes).length === 0) return { ok: true, changes };
    await tx.update(teams).set({ ...columns, updatedAt: new Date() }).where(eq(teams.id, existing.id));
    await audit(tx, who, "team.update", "team", slug, changes);
    return { ok: true, changes };
  });
}

// ----------------------------------------------------------------------------------------------- SLAs

/** SLA defaults of tiers 1-4 as file entries; a tier without a row is null. */
export async function listSlaEntries(db: Database): Promise<Array<{ tier: number; entry: SlaFileEntry | null }>> {
  const rows = await db.select().from(slas).orderBy(asc(slas.tier));
  return [1, 2, 3, 4].map((tier) => {
    const row = rows.find((r) => r.tier === tier);
    return { tier, entry: row ? slaToEntry(row) : null };
  });
}

/**
 * Sets the SLA defaults of `tier` (creating the row when the tier has none) from a
 * `catalog/slas.yaml` entry and audits `sla.update` with the changed figures. An unchanged entry
 * writes nothing. With `options.base`, another person's save since then is merged figure by figure
 * ({@link mergeConcurrentEdit}); figures both changed are refused, never overwritten silently.
 */
export async function updateSla(db: Database, tier: number, input: unknown, who: AdminActor, options: EditOptions = {}): Promise<AdminResult> {
  const valid = validateEntry(slaEntrySchema, { ...asObject(input), tier });
  if (!valid.ok) return valid;
  return db.transaction(async (tx) => {
    const [existing] = await tx.select().from(slas).where(eq(slas.tier, tier)).for("update");
    let entry = valid.entry;
    if (options.base) {
      // A tier without defaults (no row) reads as just its number, as its form's base does.
      const current = existing ? slaToEntry(existing) : { tier };
      const yours = slaToEntry({ ...(existing ?? { updatedAt: new Date() }), tier, ...(slaFromFile(withoutTier(entry)) as Required<ReturnType<typeof slaFromFile>>) });
      const { merged, conflicts } = mergeConcurrentEdit(options.base, current, yours);
      if (Object.keys(conflicts).length > 0) return conflictResult(conflicts, `tier ${tier} SLA`, current);
      const again = validateEntry(slaEntrySchema, { ...merged, tier });
      if (!again.ok) return again;
      entry = again.entry;
    }
    const columns = slaFromFile(withoutTier(entry)) as Required<ReturnType<typeof slaFromFile>>;
    const after: Sla = { ...(existing ?? { updatedAt: new Date() }), tier, ...columns };
    const changes = diffEntries(existing ? slaToEntry(existing) : null, slaToEntry(after));
    delete changes.tier;
    if (Object.keys(changes).length === 0) return { ok: true, changes };
    if (existing) await tx.update(slas).set({ ...columns, updatedAt: new Date() }).where(eq(slas.tier, tier));
    else await tx.insert(slas).values({ tier, ...columns });
    await audit(tx, who, "sla.update", "sla", String(tier), changes);
    return { ok: true, changes };
  });
}

function withoutTier(entry: SlaFileEntry): Omit<SlaFileEntry, "tier"> {
  const { tier: _tier, ...figures } = entry;
  return figures;
}

// -------------------------------------------------------------------------------------------- systems

/** One system as a `catalog/systems.yaml` entry, or null when there is no such system. */
export async function getSystemEntry(db: Executor, slug: string): Promise<SystemFileEntry | null> {
  const [row] = await db
    .select({ system: systems, ownerSlug: teams.slug })
    .from(systems)
    .leftJoin(teams, eq(teams.id, systems.ownerTeamId))
    .where(eq(systems.slug, slug));
  if (!row) return null;
  const deps = await db
    .select({ slug: systems.slug })
    .from(systemDependencies)
    .innerJoin(systems, eq(systems.id, systemDependencies.dependsOnId))
    .where(eq(systemDependencies.systemId, row.system.id));
  return systemToEntry(row.system, row.ownerSlug, deps.map((d) => d.slug));
}

/**
 * Choices of the system form: teams and systems by name, each tier's SLA defaults (as form text,
 * for the overrides' placeholders), critical-window days, escalation levels and time zones.
 */
export async function systemFormChoices(db: Database) {
  const [teamRows, systemRows, tiers] = await Promise.all([
    db.select({ slug: teams.slug, name: teams.name }).from(teams).orderBy(asc(teams.name)),
    db.select({ slug: systems.slug, name: systems.name, tier: systems.tier }).from(systems).orderBy(asc(systems.name)),
    listSlaEntries(db),
  ]);
  return {
    teams: teamRows,
    systems: systemRows,
    tierDefaults: Object.fromEntries(tiers.map((t) => [String(t.tier), t.entry ? slaFormValues(t.entry) : null])),
    windowDays: CRITICAL_WINDOW_DAYS,
    escalationLevels: ESCALATION_LEVELS,
    timeZones: timeZoneChoices(),
  };
}

/** Time zones to suggest in forms: the runtime's IANA list plus the ones the demo organisation uses. */
export function timeZoneChoices(): string[] {
  const common = ["UTC", "Asia/Shanghai", "Asia/Kolkata", "Asia/Singapore", "Asia/Hong_Kong", "Europe/Warsaw", "Europe/London", "Europe/Paris", "America/New_York"];
  return [...new Set([...common, ...Intl.supportedValuesOf("timeZone")])].sort();
}

/** The audit identity of a signed-in admin. */
export function adminActor(viewer: { id: string; email: string }, ip: string | null): AdminActor {
  return { actor: viewer.email, actorUserId: viewer.id, ip };
}

/**
 * Creates a system from a `catalog/systems.yaml` entry (owner and dependencies must exist) and
 * audits `system.create`.
 * @returns field errors when the entry is invalid, the slug is taken or reserved, or a reference is unknown.
 */
export async function createSystem(db: Database, input: unknown, who: AdminActor): Promise<AdminResult> {
  const valid = validateEntry(systemEntrySchema, input);
  if (!valid.ok) return valid;
  const entry = valid.entry;
  if (RESERVED_SLUGS.has(entry.slug)) return { ok: false, errors: { slug: `"${entry.slug}" is reserved for the admin pages; choose another slug` } };
  return db.transaction(async (tx) => {
    const [taken] = await tx.select({ id: systems.id }).from(systems).where(eq(systems.slug, entry.slug));
    if (taken) return { ok: false, errors: { slug: `a system with the slug "${entry.slug}" exists; choose another` } };
    const refs = await resolveReferences(tx, entry, null);
    if (!refs.ok) return refs;
    const [row] = await tx
      .insert(systems)
      .values({ slug: entry.slug, ...systemColumnsFromEntry(entry), ownerTeamId: refs.ownerTeamId })
      .returning({ id: systems.id });
    await setDependencies(tx, row!.id, refs.dependsOnIds);
    const after = await getSystemEntry(tx, entry.slug);
    const changes = diffEntries(null, after!);
    await audit(tx, who, "system.create", "system", entry.slug, changes);
    return { ok: true, changes };
  });
}

/**
 * Updates the system `slug` (the slug itself stays: documents refer to it) from a
 * `catalog/systems.yaml` entry, audits `system.update` with each changed field's before and after,
 * and, when its name, tier or owner changed, queues the documents linked to it for search
 * reindexing (they carry those). An unchanged entry writes nothing. With `options.base`, another
 * person's save since then is merged field by field ({@link mergeConcurrentEdit}); fields both
 * changed are refused, never overwritten silently.
 * @throws CatalogNotFoundError when there is no such system.
 */
export async function updateSystem(db: Database, slug: string, input: unknown, who: AdminActor, options: EditOptions = {}): Promise<AdminResult> {
  const valid = validateEntry(systemEntrySchema, { ...asObject(input), slug });
  if (!valid.ok) return valid;
  let entry = valid.entry;
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: systems.id }).from(systems).where(eq(systems.slug, slug)).for("update");
    if (!existing) throw new CatalogNotFoundError(`No system has the slug "${slug}".`);
    const before = (await getSystemEntry(tx, slug))!;
    if (options.base) {
      const yours = systemToEntry({ slug, ...systemColumnsFromEntry(entry) }, entry.owner ?? null, entry.depends_on);
      const { merged, conflicts } = mergeConcurrentEdit(options.base, before, yours);
      if (Object.keys(conflicts).length > 0) return conflictResult(conflicts, "system", before);
      const again = validateEntry(systemEntrySchema, { ...merged, slug });
      if (!again.ok) return again;
      entry = again.entry;
    }
    const refs = await resolveReferences(tx, entry, existing.id);
    if (!refs.ok) return refs;
    // Compare normalised entries (as stored and read back), so only real changes count.
    const afterRow = { slug, ...systemColumnsFromEntry(entry) };
    const after = systemToEntry(afterRow, entry.owner ?? null, entry.depends_on);
    const changes = diffEntries(before, after);
    if (Object.keys(changes).length === 0) return { ok: true, changes };
    await tx
      .update(systems)
      .set({ ...systemColumnsFromEntry(entry), ownerTeamId: refs.ownerTeamId, updatedAt: new Date() })
      .where(eq(systems.id, existing.id));
    if (changes.depends_on) await setDependencies(tx, existing.id, refs.dependsOnIds);
    await audit(tx, who, "system.update", "system", slug, changes);
    if (SEARCHED_SYSTEM_FIELDS.some((field) => field in changes)) {
      const linked = await tx
        .selectDistinct({ id: documentSystems.documentId })
        .from(documentSystems)
        .where(eq(documentSystems.systemId, existing.id));
      await enqueueSearchUpdates(
        tx,
        linked.map((r) => r.id),
      );
    }
    return { ok: true, changes };
  });
}

async function resolveReferences(
  tx: Executor,
  entry: SystemFileEntry,
  selfId: number | null,
): Promise<{ ok: true; ownerTeamId: number | null; dependsOnIds: number[] } | { ok: false; errors: FieldErrors }> {
  const errors: FieldErrors = {};
  let ownerTeamId: number | null = null;
  if (entry.owner !== undefined) {
    const [team] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.slug, entry.owner));
    if (team) ownerTeamId = team.id;
    else errors.owner = `no team has the slug "${entry.owner}"; choose one of the teams`;
  }
  const wanted = [...new Set(entry.depends_on)];
  const found = wanted.length > 0 ? await tx.select({ id: systems.id, slug: systems.slug }).from(systems).where(inArray(systems.slug, wanted)) : [];
  const unknown = wanted.filter((s) => !found.some((f) => f.slug === s));
  if (unknown.length > 0) errors.depends_on = `unknown system(s): ${unknown.join(", ")}`;
  else if (wanted.includes(entry.slug) || found.some((f) => f.id === selfId)) errors.depends_on = "a system cannot depend on itself";
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, ownerTeamId, dependsOnIds: found.map((f) => f.id) };
}

async function setDependencies(tx: Executor, systemId: number, dependsOnIds: number[]): Promise<void> {
  await tx.delete(systemDependencies).where(eq(systemDependencies.systemId, systemId));
  if (dependsOnIds.length > 0) {
    await tx.insert(systemDependencies).values(dependsOnIds.map((dependsOnId) => ({ systemId, dependsOnId })));
  }
}

function audit(tx: Executor, who: AdminActor, action: string, targetType: string, target: string, changes: Changes): Promise<void> {
  return recordAudit(tx, { actor: who.actor, actorUserId: who.actorUserId, ip: who.ip, action, targetType, target, details: changes });
}

function asObject(input: unknown): Record<string, unknown> {
  return input && typeof input === "object" && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
}
