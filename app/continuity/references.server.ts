/**
 * What drill and inspection commands check against the database: the contingency plans and systems a
 * record names, loaded in bulk (the importer checks thousands of records with two queries) or one at
 * a time (a form or API call), and the checks themselves, which name the field that is wrong.
 */
import { createHash } from "node:crypto";
import { inArray } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { documents, systems } from "../../db/schema";
import type { DocumentKind, DocumentStatus } from "../../db/schema/enums";
import type { DrillInput, FieldError, InspectionInput } from "./records";

/** A document a drill names, as far as the checks need it. */
export interface PlanRef {
  id: string;
  slug: string;
  title: string;
  kind: DocumentKind;
  status: DocumentStatus;
  currentRevision: number;
}

/** A system an inspection names. */
export interface SystemRef {
  id: number;
  slug: string;
  name: string;
  lifecycle: "active" | "retired";
}

/** Loads the documents with these slugs (any kind), by slug. */
export async function loadPlanRefs(tx: Executor, slugs: readonly string[]): Promise<Map<string, PlanRef>> {
  const unique = [...new Set(slugs)];
  if (unique.length === 0) return new Map();
  const rows = await tx
    .select({
      id: documents.id,
      slug: documents.slug,
      title: documents.title,
      kind: documents.kind,
      status: documents.status,
      currentRevision: documents.currentRevision,
    })
    .from(documents)
    .where(inArray(documents.slug, unique));
  return new Map(rows.map((r) => [r.slug, r]));
}

/** Loads the systems with these slugs, by slug. */
export async function loadSystemRefs(tx: Executor, slugs: readonly string[]): Promise<Map<string, SystemRef>> {
  const unique = [...new Set(slugs)];
  if (unique.length === 0) return new Map();
  const rows = await tx
    .select({ id: systems.id, slug: systems.slug, name: systems.name, lifecycle: systems.lifecycle })
    .from(systems)
    .where(inArray(systems.slug, unique));
  return new Map(rows.map((r) => [r.slug, r]));
}

/** How far into the future a record may be dated (clock skew, time zones): one day. */
export const FUTURE_TOLERANCE_MS = 86_400_000;

function futureError(field: string, at: Date, now: Date, what: string): FieldError | null {
  if (at.getTime() <= now.getTime() + FUTURE_TOLERANCE_MS) return null;
  return { field, message: `is in the future (${at.toISOString()}); record ${what} after it took place` };
}

/**
 * Checks a validated drill against the catalog: the plan exists, is a contingency plan and is not
 * archived, the revision exists (default: current), and the drill is not dated more than a day ahead
 * of `now`. Returns the plan and the revision exercised, or field errors.
 */
export function checkDrillReferences(
  input: DrillInput,
  plans: ReadonlyMap<string, PlanRef>,
  now: Date,
): { ok: true; plan: PlanRef; planRevision: number } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const plan = plans.get(input.plan);
  if (!plan) {
    errors.push({ field: "plan", message: `no document has the slug "${input.plan}"; use a contingency plan's slug, e.g. plan-swift-outage` });
  } else if (plan.kind !== "contingency_plan") {
    errors.push({ field: "plan", message: `"${input.plan}" is a ${plan.kind.replace("_", " ")}, not a contingency plan` });
  } else if (plan.status === "archived") {
    errors.push({ field: "plan", message: `"${input.plan}" is archived; drills are recorded for current contingency plans` });
  } else if (input.planRevision !== undefined && input.planRevision > plan.currentRevision) {
    errors.push({
      field: "planRevision",
      message: `${input.plan} has revisions 1 to ${plan.currentRevision}; revision ${input.planRevision} does not exist`,
    });
  }
  const future = futureError("heldAt", input.heldAt, now, "a drill");
  if (future) errors.push(future);
  if (errors.length > 0 || !plan) return { ok: false, errors };
  return { ok: true, plan, planRevision: input.planRevision ?? plan.currentRevision };
}

/**
 * Checks a validated inspection against the catalog: the system exists and is active, and the
 * inspection is not dated more than a day ahead of `now`. Returns the system, or field errors.
 */
export function checkInspectionReferences(
  input: InspectionInput,
  systemsBySlug: ReadonlyMap<string, SystemRef>,
  now: Date,
): { ok: true; system: SystemRef } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const system = systemsBySlug.get(input.system);
  if (!system) {
    errors.push({ field: "system", message: `no system has the slug "${input.system}"; see /systems for the slugs` });
  } else if (system.lifecycle !== "active") {
    errors.push({ field: "system", message: `"${input.system}" is retired; inspections are recorded for active systems only` });
  }
  const future = futureError("inspectedAt", input.inspectedAt, now, "an inspection");
  if (future) errors.push(future);
  if (errors.length > 0 || !system) return { ok: false, errors };
  return { ok: true, system };
}

/**
 * A stable uuid for an imported record, from its external key (sha256, formatted as a version-8
 * "custom" uuid, RFC 9562 section 5.8): the demo's drills and inspections keep their addresses across
 * fresh starts, and a re-import finds the same rows.
 */
export function recordIdForKey(kind: "drill" | "inspection", externalKey: string): string {
  const hex = createHash("sha256").update(`${kind}\n${externalKey}`).digest("hex");
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a uuid (record ids in URLs are checked before they reach the database). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
