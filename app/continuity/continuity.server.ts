/**
 * Contingency-plan reviews, drills and inspections: the named commands that write them (each one
 * transaction with its audit entry, shared/style.md habit 3) and the queries behind the plan page,
 * the system page and the record pages. Formulas come from app/metrics/coverage.ts (shared/domain.md,
 * "Metrics" 1-3); nothing here re-computes them.
 *
 * Idempotency (API and import): a record may carry an `externalKey` (the API also takes an
 * `Idempotency-Key` header). The same key with the same content writes nothing and answers with the
 * stored record (`outcome: "unchanged"`). The same key with different content is refused with
 * `IdempotencyConflictError` (HTTP 409) for API and form callers, so a retry can never silently
 * overwrite a record; the importer instead updates the record from its file (the file is the source)
 * and adds corrective actions whose titles are new, leaving existing actions (whose status lives in
 * the app) alone. "Same content" compares the record's own fields and the set of action titles.
 */
import { and, asc, count, desc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database, Executor } from "../../db/client";
import {
  correctiveActions,
  documentSystems,
  documents,
  drills,
  inspections,
  planReviews,
  revisions,
  slas,
  systems,
  type ChecklistItem,
  type Drill,
  type Inspection,
} from "../../db/schema";
import type { SlaFigures } from "../../db/schema/catalog";
import type { ActionStatus, DrillOutcome, DrillType, InspectionResult, RecordOrigin } from "../../db/schema/enums";
import { recordAudit } from "../audit/audit.server";
import { effectiveSla } from "../catalog/sla";
import { insertCorrectiveActions } from "../corrective-actions/actions.server";
import type { Actor } from "../docs/save.server";
import { documentHref } from "../docs/slug";
import {
  drillCoverage,
  dueDateFor,
  planAsOf,
  utcDay,
  type ContingencyPlanRow,
  type CoverageSystem,
} from "../metrics/coverage";
import {
  issuesToFieldErrors,
  parseDrill,
  parseInspection,
  type DrillInput,
  type FieldError,
  type InspectionInput,
} from "./records";
import {
  checkDrillReferences,
  checkInspectionReferences,
  isUuid,
  loadPlanRefs,
  loadSystemRefs,
  type PlanRef,
} from "./references.server";

// ---------------------------------------------------------------------------------------------
// Results and errors
// ---------------------------------------------------------------------------------------------

export type RecordOutcome = "created" | "updated" | "unchanged";

/** A command's answer: the record's id and what happened, or the field-named reasons nothing was written. */
export type CommandResult = { ok: true; id: string; outcome: RecordOutcome } | { ok: false; errors: FieldError[] };

/**
 * The external key (idempotency key) is already used by a record with different content. Nothing was
 * written. `existingId` names that record.
 */
export class IdempotencyConflictError extends Error {
  override name = "IdempotencyConflictError";
  constructor(
    readonly kind: "drill" | "inspection",
    readonly externalKey: string,
    readonly existingId: string,
    readonly differences: string[],
  ) {
    super(
      `The key "${externalKey}" was already used for ${kind} ${existingId} with different content (${differences.join(", ")}); ` +
        "nothing was written. Send the same content to retry, or a new key for a new record.",
    );
  }
}

/** Where a record comes from and who records it. */
export interface RecordContext {
  origin: RecordOrigin;
  /** Idempotency key from outside the body (the `Idempotency-Key` header); must agree with the body's `externalKey`. */
  externalKey?: string | null;
  /** Clock, for tests; default now. */
  now?: Date;
}

function keyOf(bodyKey: string | undefined, headerKey: string | null | undefined): { key: string | null; error?: FieldError } {
  const header = headerKey?.trim() || null;
  if (header && bodyKey && header !== bodyKey) {
    return { key: null, error: { field: "externalKey", message: `differs from the Idempotency-Key header ("${header}"); send one key` } };
  }
  if (header && (header.length > 200 || !/^[\x21-\x7e]+$/.test(header))) {
    return { key: null, error: { field: "Idempotency-Key", message: "must be 1-200 printable ASCII characters without spaces" } };
  }
  return { key: header ?? bodyKey ?? null };
}

// ---------------------------------------------------------------------------------------------
// Comparing a stored record with an input (idempotency)
// ---------------------------------------------------------------------------------------------

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/** Fields of a stored drill that differ from `input` (empty: same content). */
export function drillDifferences(
  existing: Drill,
  existingActionTitles: ReadonlySet<string>,
  input: DrillInput,
  planId: string,
  planRevision: number,
): string[] {
  const diff: string[] = [];
  if (existing.planDocumentId !== planId) diff.push("plan");
  if (existing.planRevision !== planRevision) diff.push("planRevision");
  if (existing.scenario !== input.scenario) diff.push("scenario");
  if (existing.heldAt.getTime() !== input.heldAt.getTime()) diff.push("heldAt");
  if (existing.type !== input.type) diff.push("type");
  if (existing.outcome !== input.outcome) diff.push("outcome");
  if (existing.recoveryMinutes !== input.recoveryMinutes) diff.push("recoveryMinutes");
  if (!sameList(existing.participants, input.participants)) diff.push("participants");
  if (!sameList(existing.findings, input.findings)) diff.push("findings");
  if (existing.notes !== input.notes) diff.push("notes");
  if (input.correctiveActions.some((a) => !existingActionTitles.has(a.title))) diff.push("correctiveActions");
  return diff;
}

const sameChecklist = (a: readonly ChecklistItem[], b: readonly ChecklistItem[]) =>
  a.length === b.length && a.every((c, i) => c.item === b[i]!.item && c.result === b[i]!.result && c.note === b[i]!.note);

/** Fields of a stored inspection that differ from `input` (empty: same content). */
export function inspectionDifferences(
  existing: Inspection,
  existingActionTitles: ReadonlySet<string>,
  input: InspectionInput,
  systemId: number,
): string[] {
  const diff: string[] = [];
  if (existing.systemId !== systemId) diff.push("system");
  if (existing.inspectedAt.getTime() !== input.inspectedAt.getTime()) diff.push("inspectedAt");
  if (existing.inspector !== input.inspector) diff.push("inspector");
  if (existing.result !== input.result) diff.push("result");
  if (!sameChecklist(existing.checklist, input.checklist)) diff.push("checklist");
  if (!sameList(existing.findings, input.findings)) diff.push("findings");
  if (existing.notes !== input.notes) diff.push("notes");
  if (input.correctiveActions.some((a) => !existingActionTitles.has(a.title))) diff.push("correctiveActions");
  return diff;
}

/** Titles of the corrective actions of some drills or inspections, by record id. */
export async function actionTitlesBySource(tx: Executor, kind: "drill" | "inspection", ids: readonly string[]): Promise<Map<string, Set<string>>> {
  const map = new Map<string, Set<string>>();
  if (ids.length === 0) return map;
  const column = kind === "drill" ? correctiveActions.drillId : correctiveActions.inspectionId;
  const rows = await tx.select({ source: column, title: correctiveActions.title }).from(correctiveActions).where(inArray(column, [...ids]));
  for (const r of rows) {
    if (!r.source) continue;
    const set = map.get(r.source) ?? new Set<string>();
    set.add(r.title);
    map.set(r.source, set);
  }
  return map;
}

// ---------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------

/**
 * Records a drill of a contingency plan (shared/domain.md, "drill") with its corrective actions, in one
 * transaction with a `drill.record` audit entry. `raw` is the submitted object (see `drillInput` in
 * records.ts); the plan must exist, be a contingency plan and not be archived; `planRevision` defaults
 * to the current revision and must exist; `heldAt` may be at most one day in the future.
 * Returns `{ ok: false, errors }` naming each bad field (nothing written), or the drill's id with
 * `created`, or `unchanged` when the external key names a drill with the same content.
 * @throws IdempotencyConflictError when the key names a drill with different content (nothing written).
 */
export async function recordDrill(db: Database, raw: unknown, actor: Actor, context: RecordContext): Promise<CommandResult> {
  const parsed = parseDrill(raw);
  if (!parsed.ok) return parsed;
  return recordValidDrill(db, parsed.value, actor, context);
}

/**
 * `recordDrill` for an input that already passed `drillInput`. Every write (drill, actions, audit)
 * happens in one transaction: if any of them fails, none is stored.
 */
export async function recordValidDrill(db: Database, input: DrillInput, actor: Actor, context: RecordContext): Promise<CommandResult> {
  const { key, error } = keyOf(input.externalKey, context.externalKey);
  if (error) return { ok: false, errors: [error] };
  const now = context.now ?? new Date();
  return db.transaction(async (tx): Promise<CommandResult> => {
    const plans = await loadPlanRefs(tx, [input.plan]);
    if (key) {
      const [existing] = await tx.select().from(drills).where(eq(drills.externalKey, key));
      if (existing) {
        const plan = plans.get(input.plan);
        const titles = (await actionTitlesBySource(tx, "drill", [existing.id])).get(existing.id) ?? new Set();
        const revision = input.planRevision ?? (plan?.id === existing.planDocumentId ? existing.planRevision : plan?.currentRevision ?? -1);
        const diff = drillDifferences(existing, titles, input, plan?.id ?? "", revision);
        if (diff.length === 0) return { ok: true, id: existing.id, outcome: "unchanged" };
        throw new IdempotencyConflictError("drill", key, existing.id, diff);
      }
    }
    const checked = checkDrillReferences(input, plans, now);
    if (!checked.ok) return checked;
    const [row] = await tx
      .insert(drills)
      .values({
        planDocumentId: checked.plan.id,
        planRevision: checked.planRevision,
        scenario: input.scenario,
        heldAt: input.heldAt,
        type: input.type,
        outcome: input.outcome,
        recoveryMinutes: input.recoveryMinutes,
        participants: input.participants,
        findings: input.findings,
        notes: input.notes,
        origin: context.origin,
        externalKey: key,
        recordedBy: actor.name,
      })
      .returning({ id: drills.id });
    const actionIds = await insertCorrectiveActions(tx, { type: "drill", id: row!.id }, input.correctiveActions, actor.name, now);
    await recordAudit(tx, {
      actor: actor.email,
      actorUserId: actor.userId,
      ip: actor.ip,
      action: "drill.record",
      targetType: "drill",
      target: row!.id,
      revision: checked.planRevision,
      details: {
        plan: checked.plan.slug,
        heldAt: input.heldAt.toISOString(),
        type: input.type,
        outcome: input.outcome,
        recoveryMinutes: input.recoveryMinutes,
        correctiveActions: actionIds,
        origin: context.origin,
        externalKey: key,
      },
    });
    return { ok: true, id: row!.id, outcome: "created" };
  });
}

/**
 * Records an inspection of a system (shared/domain.md, "inspection", 巡检) with its checklist and
 * corrective actions, in one transaction with an `inspection.record` audit entry. The system must
 * exist and be active; `inspectedAt` may be at most one day in the future. Results as `recordDrill`.
 * @throws IdempotencyConflictError when the key names an inspection with different content.
 */
export async function recordInspection(db: Database, raw: unknown, actor: Actor, context: RecordContext): Promise<CommandResult> {
  const parsed = parseInspection(raw);
  if (!parsed.ok) return parsed;
  return recordValidInspection(db, parsed.value, actor, context);
}

/** `recordInspection` for an input that already passed `inspectionInput`; one transaction. */
export async function recordValidInspection(
  db: Database,
  input: InspectionInput,
  actor: Actor,
  context: RecordContext,
): Promise<CommandResult> {
  const { key, error } = keyOf(input.externalKey, context.externalKey);
  if (error) return { ok: false, errors: [error] };
  const now = context.now ?? new Date();
  return db.transaction(async (tx): Promise<CommandResult> => {
    const systemRefs = await loadSystemRefs(tx, [input.system]);
    if (key) {
      const [existing] = await tx.select().from(inspections).where(eq(inspections.externalKey, key));
      if (existing) {
        const titles = (await actionTitlesBySource(tx, "inspection", [existing.id])).get(existing.id) ?? new Set();
        const diff = inspectionDifferences(existing, titles, input, systemRefs.get(input.system)?.id ?? -1);
        if (diff.length === 0) return { ok: true, id: existing.id, outcome: "unchanged" };
        throw new IdempotencyConflictError("inspection", key, existing.id, diff);
      }
    }
    const checked = checkInspectionReferences(input, systemRefs, now);
    if (!checked.ok) return checked;
    const [row] = await tx
      .insert(inspections)
      .values({
        systemId: checked.system.id,
        inspectedAt: input.inspectedAt,
        inspector: input.inspector,
        result: input.result,
        checklist: input.checklist,
        findings: input.findings,
        notes: input.notes,
        origin: context.origin,
        externalKey: key,
        recordedBy: actor.name,
      })
      .returning({ id: inspections.id });
    const actionIds = await insertCorrectiveActions(tx, { type: "inspection", id: row!.id }, input.correctiveActions, actor.name, now);
    await recordAudit(tx, {
      actor: actor.email,
      actorUserId: actor.userId,
      ip: actor.ip,
      action: "inspection.record",
      targetType: "inspection",
      target: row!.id,
      details: {
        system: checked.system.slug,
        inspectedAt: input.inspectedAt.toISOString(),
        result: input.result,
        findings: input.findings.length,
        correctiveActions: actionIds,
        origin: context.origin,
        externalKey: key,
      },
    });
    return { ok: true, id: row!.id, outcome: "created" };
  });
}

/** "Mark reviewed" as submitted: the plan, the revision the reviewer read (default current), a comment. */
export const planReviewInput = z.strictObject({
  plan: z.string({ error: "is required: the contingency plan's slug" }).trim().min(1, "is required: the contingency plan's slug"),
  revision: z.coerce
    .number({ error: "must be a revision number" })
    .int("must be a revision number")
    .min(1, "must be a revision number")
    .optional(),
  comment: z.string({ error: "must be text" }).trim().max(2000, "must be at most 2000 characters").default(""),
});

/**
 * Records a "Mark reviewed" attestation of a contingency plan (who, when = `now`, which revision, a
 * comment) without changing its text, in one transaction with a `plan.review` audit entry. Refuses,
 * naming the field: an unknown slug, a document that is not a contingency plan, an archived plan, and
 * a revision other than the current one (the plan changed since the reviewer opened it: they should
 * read the new text first).
 */
export async function recordPlanReview(
  db: Database,
  raw: unknown,
  actor: Actor,
  now: Date = new Date(),
): Promise<{ ok: true; id: number; revision: number } | { ok: false; errors: FieldError[] }> {
  const parsed = planReviewInput.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: issuesToFieldErrors(parsed.error.issues) };
  const input = parsed.data;
  return db.transaction(async (tx) => {
    const plan = (await loadPlanRefs(tx, [input.plan])).get(input.plan);
    if (!plan) return { ok: false as const, errors: [{ field: "plan", message: `no document has the slug "${input.plan}"` }] };
    if (plan.kind !== "contingency_plan") {
      return { ok: false as const, errors: [{ field: "plan", message: `"${plan.slug}" is a ${plan.kind.replace("_", " ")}; only contingency plans are marked reviewed` }] };
    }
    if (plan.status === "archived") {
      return { ok: false as const, errors: [{ field: "plan", message: `"${plan.slug}" is archived; restore it before reviewing it` }] };
    }
    const revision = input.revision ?? plan.currentRevision;
    if (revision !== plan.currentRevision) {
      return {
        ok: false as const,
        errors: [
          {
            field: "revision",
            message:
              revision > plan.currentRevision
                ? `the plan has revisions 1 to ${plan.currentRevision}`
                : `the plan changed since you opened it (revision ${plan.currentRevision} is current, you read ${revision}); read the current text, then mark it reviewed`,
          },
        ],
      };
    }
    const [row] = await tx
      .insert(planReviews)
      .values({ documentId: plan.id, revision, reviewedAt: now, reviewer: actor.name, reviewerUserId: actor.userId, comment: input.comment })
      .returning({ id: planReviews.id });
    await recordAudit(tx, {
      actor: actor.email,
      actorUserId: actor.userId,
      ip: actor.ip,
      action: "plan.review",
      targetType: "document",
      target: plan.slug,
      revision,
      details: { comment: input.comment, reviewedAt: now.toISOString() },
    });
    return { ok: true as const, id: row!.id, revision };
  });
}

// ---------------------------------------------------------------------------------------------
// Linked systems and their SLAs
// ---------------------------------------------------------------------------------------------

/** A system linked to a plan, with its effective SLA (null when its tier has no defaults). */
export interface LinkedSystemSla {
  slug: string;
  name: string;
  tier: number;
  lifecycle: "active" | "retired";
  sla: SlaFigures | null;
}

async function linkedSystemsWithSla(db: Executor, documentId: string): Promise<LinkedSystemSla[]> {
  const [rows, tiers] = await Promise.all([
    db
      .select({ slug: systems.slug, name: systems.name, tier: systems.tier, lifecycle: systems.lifecycle, overrides: systems.slaOverrides })
      .from(documentSystems)
      .innerJoin(systems, eq(systems.id, documentSystems.systemId))
      .where(eq(documentSystems.documentId, documentId))
      .orderBy(asc(systems.tier), asc(systems.name)),
    db.select().from(slas),
  ]);
  return rows.map((r) => ({
    slug: r.slug,
    name: r.name,
    tier: r.tier,
    lifecycle: r.lifecycle,
    sla: effectiveSla(
      tiers.find((t) => t.tier === r.tier),
      r.overrides,
    ),
  }));
}

/** The smallest value of an SLA figure among active systems, with the system that sets it; null when none has one. */
export function strictest(
  list: readonly LinkedSystemSla[],
  pick: (sla: SlaFigures) => number | null,
): { value: number; system: string } | null {
  let best: { value: number; system: string } | null = null;
  for (const s of list) {
    if (s.lifecycle !== "active" || !s.sla) continue;
    const value = pick(s.sla);
    if (value === null) continue;
    if (!best || value < best.value) best = { value, system: s.slug };
  }
  return best;
}

function coverageSystems(list: readonly LinkedSystemSla[]): CoverageSystem[] {
  return list
    .filter((s) => s.sla)
    .map((s) => ({ slug: s.slug, name: s.name, tier: s.tier, lifecycle: s.lifecycle, ownerTeam: null, sla: s.sla! }));
}

// ---------------------------------------------------------------------------------------------
// Plan page
// ---------------------------------------------------------------------------------------------

export const DRILLS_PER_PAGE = 10;

/** A drill as listed on the plan page. */
export interface DrillListItem {
  id: string;
  heldAt: string;
  type: DrillType;
  outcome: DrillOutcome;
  scenario: string;
  planRevision: number;
  recoveryMinutes: number | null;
  /** Recovery within the strictest RTO; null when no recovery time or no RTO. */
  withinRto: boolean | null;
  findings: number;
  correctiveActions: number;
}

/**
 * Everything the contingency-plan panel shows, as of `now`:
 * - `scenarios`, `approver`: from the current revision's frontmatter extras (`scenarios:`, `approver:`);
 * - review status (shared/domain.md, "Metrics" 1): evidence = last review (a "Mark reviewed"
 *   attestation or the frontmatter `last_reviewed`), or the current revision's date when none is
 *   recorded; `nextReviewDue` = evidence + the strictest plan review interval among the plan's active
 *   linked systems (`dueDateFor`, UTC days); `overdue` from the day after;
 * - drill status (Metric 2, `drillCoverage` for this plan): interval, last passed/partial drill, due
 *   date, `changedSinceLastDrill` (the last counting drill exercised an older revision);
 * - `rto`: the strictest RTO among active linked systems (minutes), which drills are compared with;
 * - review history (newest first, at most 50) and one page of drills (newest first).
 * Returns null when `slug` is not a contingency plan.
 */
export async function getPlanContinuity(db: Database, slug: string, now: Date, options: { drillPage?: number } = {}) {
  const [doc] = await db
    .select({ document: documents, revision: revisions })
    .from(documents)
    .innerJoin(revisions, and(eq(revisions.documentId, documents.id), eq(revisions.number, documents.currentRevision)))
    .where(eq(documents.slug, slug));
  if (!doc || doc.document.kind !== "contingency_plan") return null;
  const { document, revision } = doc;
  const [linked, reviewRows, drillRows, actionCounts] = await Promise.all([
    linkedSystemsWithSla(db, document.id),
    db.select().from(planReviews).where(eq(planReviews.documentId, document.id)).orderBy(desc(planReviews.reviewedAt), desc(planReviews.id)),
    db.select().from(drills).where(eq(drills.planDocumentId, document.id)).orderBy(desc(drills.heldAt), desc(drills.createdAt)),
    db
      .select({ drillId: correctiveActions.drillId, n: count() })
      .from(correctiveActions)
      .innerJoin(drills, eq(drills.id, correctiveActions.drillId))
      .where(eq(drills.planDocumentId, document.id))
      .groupBy(correctiveActions.drillId),
  ]);

  const extra = revision.metadata.extra ?? {};
  const scenarios = Array.isArray(extra.scenarios) ? extra.scenarios.map(String) : typeof extra.scenarios === "string" ? [extra.scenarios] : [];
  const approver = typeof extra.approver === "string" ? extra.approver : null;

  const frontmatterReview = document.lastReviewed ? new Date(`${document.lastReviewed}T00:00:00Z`) : null;
  const planRow: ContingencyPlanRow = {
    slug: document.slug,
    title: document.title,
    status: document.status,
    systems: linked.map((s) => s.slug),
    currentRevision: document.currentRevision,
    lastRevisionAt: revision.createdAt,
    lastReviewedAt: frontmatterReview,
    reviews: reviewRows.map((r) => r.reviewedAt),
    revisions: [{ number: document.currentRevision, createdAt: new Date(Math.min(revision.createdAt.getTime(), now.getTime())) }],
  };
  const asOf = planAsOf(planRow, now)!;
  const reviewInterval = strictest(linked, (s) => s.planReviewIntervalDays);
  const evidence = asOf.reviewedAt ?? asOf.revisedAt;
  const nextReviewDue = reviewInterval ? dueDateFor(evidence, reviewInterval.value) : null;
  const reviewOverdueDays = nextReviewDue ? utcDay(now) - utcDay(nextReviewDue) : null;

  const rto = strictest(linked, (s) => s.rtoMinutes);
  const drillItem =
    drillCoverage(
      {
        systems: coverageSystems(linked),
        plans: [{ ...planRow, status: "published" }],
        drills: drillRows.map((d) => ({ id: d.id, planSlug: document.slug, planRevision: d.planRevision, date: d.heldAt, outcome: d.outcome, type: d.type })),
      },
      now,
    ).items[0] ?? null;
  const lastDrill = drillRows[0] ?? null;

  const page = Math.max(1, Math.floor(options.drillPage ?? 1));
  const counts = new Map(actionCounts.map((c) => [c.drillId, Number(c.n)]));
  const drillItems: DrillListItem[] = drillRows.slice((page - 1) * DRILLS_PER_PAGE, page * DRILLS_PER_PAGE).map((d) => ({
    id: d.id,
    heldAt: d.heldAt.toISOString(),
    type: d.type,
    outcome: d.outcome,
    scenario: d.scenario,
    planRevision: d.planRevision,
    recoveryMinutes: d.recoveryMinutes,
    withinRto: d.recoveryMinutes === null || !rto ? null : d.recoveryMinutes <= rto.value,
    findings: d.findings.length,
    correctiveActions: counts.get(d.id) ?? 0,
  }));

  return {
    slug: document.slug,
    status: document.status,
    currentRevision: document.currentRevision,
    scenarios,
    approver,
    systems: linked.map((s) => ({ slug: s.slug, name: s.name, tier: s.tier, lifecycle: s.lifecycle, rtoMinutes: s.sla?.rtoMinutes ?? null })),
    rto,
    review: {
      intervalDays: reviewInterval?.value ?? null,
      intervalSystem: reviewInterval?.system ?? null,
      lastReviewedAt: asOf.reviewedAt?.toISOString() ?? null,
      // The plan's own `last_reviewed` (a day, no time) when no attestation is as recent.
      lastReviewedDay:
        asOf.reviewedAt && frontmatterReview && asOf.reviewedAt.getTime() === frontmatterReview.getTime() && !reviewRows.some((r) => r.reviewedAt.getTime() >= frontmatterReview.getTime())
          ? document.lastReviewed
          : null,
      basis: asOf.reviewedAt ? ("review" as const) : ("revision" as const),
      evidenceAt: evidence.toISOString(),
      nextReviewDue: nextReviewDue?.toISOString().slice(0, 10) ?? null,
      overdue: reviewOverdueDays !== null && reviewOverdueDays > 0,
      overdueDays: reviewOverdueDays !== null && reviewOverdueDays > 0 ? reviewOverdueDays : null,
      history: reviewRows.slice(0, 50).map((r) => ({
        id: r.id,
        reviewedAt: r.reviewedAt.toISOString(),
        reviewer: r.reviewer,
        revision: r.revision,
        comment: r.comment,
      })),
      total: reviewRows.length,
    },
    drill: {
      intervalDays: drillItem?.intervalDays ?? null,
      intervalSystem: drillItem?.intervalSystem ?? null,
      lastCounting: drillItem?.lastDrill ? { id: String(drillItem.lastDrill.id), heldAt: drillItem.lastDrill.date.toISOString(), planRevision: drillItem.lastDrill.planRevision } : null,
      nextDrillDue: drillItem?.dueDate?.toISOString().slice(0, 10) ?? null,
      overdue: drillItem ? !drillItem.covered && drillItem.lastDrill !== null : false,
      covered: drillItem?.covered ?? null,
      changedSinceLastDrill: drillItem?.changedSinceLastDrill ?? (lastDrill !== null && lastDrill.planRevision < document.currentRevision),
      lastOutcome: lastDrill?.outcome ?? null,
    },
    drills: drillItems,
    drillTotal: drillRows.length,
    drillPage: page,
    drillPages: Math.max(1, Math.ceil(drillRows.length / DRILLS_PER_PAGE)),
  };
}
export type PlanContinuity = NonNullable<Awaited<ReturnType<typeof getPlanContinuity>>>;

// ---------------------------------------------------------------------------------------------
// System page
// ---------------------------------------------------------------------------------------------

export const INSPECTIONS_PER_PAGE = 20;

/** One month of the findings trend. */
export interface FindingsMonth {
  /** "YYYY-MM" (UTC). */
  month: string;
  inspections: number;
  findings: number;
  warning: number;
  failed: number;
}

/**
 * The inspection panel of a system page, as of `now`: the latest inspection and whether it is within
 * the system's inspection interval (shared/domain.md, "Metrics" 3; due = latest + interval, UTC days,
 * `dueDateFor`), one page of the history (newest first), and the findings trend: per calendar month
 * (UTC) of the 12 ending with the month containing `now`, the number of inspections, findings, and
 * warning/failed results.
 */
export async function getSystemInspections(
  db: Database,
  system: { id: number; slug: string },
  inspectionIntervalDays: number | null,
  now: Date,
  options: { page?: number } = {},
) {
  const page = Math.max(1, Math.floor(options.page ?? 1));
  const firstMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1));
  const monthKey = sql<string>`to_char(${inspections.inspectedAt} at time zone 'UTC', 'YYYY-MM')`;
  const [[total], rows, trendRows] = await Promise.all([
    db.select({ n: count() }).from(inspections).where(eq(inspections.systemId, system.id)),
    db
      .select({
        id: inspections.id,
        inspectedAt: inspections.inspectedAt,
        inspector: inspections.inspector,
        result: inspections.result,
        findings: inspections.findings,
        checklist: inspections.checklist,
        actions: sql<number>`(select count(*) from ${correctiveActions} ca where ca.inspection_id = ${inspections.id})`,
      })
      .from(inspections)
      .where(eq(inspections.systemId, system.id))
      .orderBy(desc(inspections.inspectedAt), desc(inspections.createdAt))
      .limit(INSPECTIONS_PER_PAGE)
      .offset((page - 1) * INSPECTIONS_PER_PAGE),
    db
      .select({
        month: monthKey,
        inspections: count(),
        findings: sql<number>`coalesce(sum(jsonb_array_length(${inspections.findings})), 0)`,
        warning: sql<number>`count(*) filter (where ${inspections.result} = 'warning')`,
        failed: sql<number>`count(*) filter (where ${inspections.result} = 'failed')`,
      })
      .from(inspections)
      .where(and(eq(inspections.systemId, system.id), sql`${inspections.inspectedAt} >= ${firstMonth.toISOString()}`))
      .groupBy(monthKey),
  ]);
  const [latest] =
    page === 1
      ? rows
      : await db
          .select({ id: inspections.id, inspectedAt: inspections.inspectedAt, result: inspections.result })
          .from(inspections)
          .where(eq(inspections.systemId, system.id))
          .orderBy(desc(inspections.inspectedAt))
          .limit(1);
  const byMonth = new Map(trendRows.map((r) => [r.month, r]));
  const trend: FindingsMonth[] = Array.from({ length: 12 }, (_, i) => {
    const d = new Date(Date.UTC(firstMonth.getUTCFullYear(), firstMonth.getUTCMonth() + i, 1));
    const month = d.toISOString().slice(0, 7);
    const r = byMonth.get(month);
    return { month, inspections: Number(r?.inspections ?? 0), findings: Number(r?.findings ?? 0), warning: Number(r?.warning ?? 0), failed: Number(r?.failed ?? 0) };
  });
  const due = latest && inspectionIntervalDays ? dueDateFor(latest.inspectedAt, inspectionIntervalDays) : null;
  const overdueDays = due ? utcDay(now) - utcDay(due) : null;
  const totalCount = Number(total?.n ?? 0);
  return {
    intervalDays: inspectionIntervalDays,
    latest: latest ? { id: latest.id, inspectedAt: latest.inspectedAt.toISOString(), result: latest.result } : null,
    nextDue: due?.toISOString().slice(0, 10) ?? null,
    overdueDays: overdueDays !== null && overdueDays > 0 ? overdueDays : null,
    items: rows.map((r) => ({
      id: r.id,
      inspectedAt: r.inspectedAt.toISOString(),
      inspector: r.inspector,
      result: r.result,
      findings: r.findings.length,
      notOk: r.checklist.filter((c) => c.result !== "ok").length,
      correctiveActions: Number(r.actions),
    })),
    total: totalCount,
    page,
    pages: Math.max(1, Math.ceil(totalCount / INSPECTIONS_PER_PAGE)),
    trend,
  };
}
export type SystemInspections = Awaited<ReturnType<typeof getSystemInspections>>;

// ---------------------------------------------------------------------------------------------
// Record pages and API
// ---------------------------------------------------------------------------------------------

/** A corrective action as shown with its drill or inspection. */
export interface ActionSummary {
  id: string;
  title: string;
  owner: string;
  dueDate: string | null;
  status: ActionStatus;
  notes: string;
}

async function actionsOf(db: Executor, kind: "drill" | "inspection", id: string): Promise<ActionSummary[]> {
  const column = kind === "drill" ? correctiveActions.drillId : correctiveActions.inspectionId;
  const rows = await db
    .select({
      id: correctiveActions.id,
      title: correctiveActions.title,
      owner: correctiveActions.owner,
      dueDate: correctiveActions.dueDate,
      status: correctiveActions.status,
      notes: correctiveActions.notes,
    })
    .from(correctiveActions)
    .where(eq(column, id))
    .orderBy(asc(correctiveActions.createdAt), asc(correctiveActions.title));
  return rows;
}

/** `/drills/<id>` */
export const drillHref = (id: string) => `/drills/${id}`;
/** `/inspections/<id>` */
export const inspectionHref = (id: string) => `/inspections/${id}`;

/**
 * One drill with its plan, corrective actions and the comparison of its recovery time with the
 * strictest RTO of the plan's active linked systems (minutes; `withinRto` null when either is
 * unknown). Returns null for an unknown (or malformed) id.
 */
export async function getDrill(db: Database, id: string) {
  if (!isUuid(id)) return null;
  const [row] = await db
    .select({ drill: drills, plan: { id: documents.id, slug: documents.slug, title: documents.title, currentRevision: documents.currentRevision, status: documents.status } })
    .from(drills)
    .innerJoin(documents, eq(documents.id, drills.planDocumentId))
    .where(eq(drills.id, id));
  if (!row) return null;
  const [linked, actions] = await Promise.all([linkedSystemsWithSla(db, row.plan.id), actionsOf(db, "drill", id)]);
  const rto = strictest(linked, (s) => s.rtoMinutes);
  const d = row.drill;
  return {
    id: d.id,
    url: drillHref(d.id),
    plan: { slug: row.plan.slug, title: row.plan.title, currentRevision: row.plan.currentRevision, status: row.plan.status, url: documentHref(row.plan.slug) },
    planRevision: d.planRevision,
    scenario: d.scenario,
    heldAt: d.heldAt.toISOString(),
    type: d.type,
    outcome: d.outcome,
    recoveryMinutes: d.recoveryMinutes,
    rto: rto ? { minutes: rto.value, system: rto.system } : null,
    withinRto: d.recoveryMinutes === null || !rto ? null : d.recoveryMinutes <= rto.value,
    participants: d.participants,
    findings: d.findings,
    notes: d.notes,
    correctiveActions: actions,
    origin: d.origin,
    externalKey: d.externalKey,
    recordedBy: d.recordedBy,
    createdAt: d.createdAt.toISOString(),
  };
}
export type DrillDetail = NonNullable<Awaited<ReturnType<typeof getDrill>>>;

/** One inspection with its system and corrective actions; null for an unknown (or malformed) id. */
export async function getInspection(db: Database, id: string) {
  if (!isUuid(id)) return null;
  const [row] = await db
    .select({ inspection: inspections, system: { slug: systems.slug, name: systems.name, tier: systems.tier, lifecycle: systems.lifecycle } })
    .from(inspections)
    .innerJoin(systems, eq(systems.id, inspections.systemId))
    .where(eq(inspections.id, id));
  if (!row) return null;
  const i = row.inspection;
  return {
    id: i.id,
    url: inspectionHref(i.id),
    system: { ...row.system, url: `/systems/${row.system.slug}` },
    inspectedAt: i.inspectedAt.toISOString(),
    inspector: i.inspector,
    result: i.result as InspectionResult,
    checklist: i.checklist,
    findings: i.findings,
    notes: i.notes,
    correctiveActions: await actionsOf(db, "inspection", id),
    origin: i.origin,
    externalKey: i.externalKey,
    recordedBy: i.recordedBy,
    createdAt: i.createdAt.toISOString(),
  };
}
export type InspectionDetail = NonNullable<Awaited<ReturnType<typeof getInspection>>>;

/** Plans a drill form offers: published and draft contingency plans, by title. */
export async function listDrillablePlans(db: Database): Promise<Array<{ slug: string; title: string; currentRevision: number }>> {
  return db
    .select({ slug: documents.slug, title: documents.title, currentRevision: documents.currentRevision })
    .from(documents)
    .where(and(eq(documents.kind, "contingency_plan"), inArray(documents.status, ["published", "draft"])))
    .orderBy(asc(documents.title));
}

/** Active systems an inspection form offers, by tier then name. */
export async function listInspectableSystems(db: Database): Promise<Array<{ slug: string; name: string; tier: number }>> {
  return db
    .select({ slug: systems.slug, name: systems.name, tier: systems.tier })
    .from(systems)
    .where(eq(systems.lifecycle, "active"))
    .orderBy(asc(systems.tier), asc(systems.name));
}

export type { PlanRef };
