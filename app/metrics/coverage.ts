/**
 * Coverage metrics (shared/domain.md, "Metrics" 1-4), the per-system coverage matrix and the monthly
 * trend ("Trend views"). Pure: plain rows and an as-of date in, numbers with their numerator,
 * denominator and shortfall list out. No database, no clock, no I/O (shared/style.md, habit 4).
 *
 * Conventions shared by every function in this file:
 *
 * - **Days are UTC calendar days.** Every date is reduced to its UTC day; the time of day is ignored.
 *   `asOf` stands for the whole UTC day that contains it, so a record dated any time on that day counts
 *   ("as of 31 January" includes inspections done on 31 January).
 * - **"Within N days before T"** means `day(T) - N <= day(evidence) <= day(T)`. Evidence exactly N days
 *   old still counts; evidence N + 1 days old does not. The **due date** is `day(evidence) + N`: the
 *   last day on which the evidence still counts ("due today" is not overdue yet, which is what a
 *   team looking at the dashboard in the morning expects). An item is overdue from the day after its
 *   due date; a shortfall's `dueSince` is that due date and `overdueDays = day(T) - dueDate` (1 on the
 *   first overdue day).
 * - **Nothing dated after T exists** as of T: drills and inspections dated after T are ignored.
 * - **Documents as of T.** A contingency plan or runbook is seen through its latest revision created on
 *   or before T (`revisions`, optional; status and linked systems come from that revision when it
 *   carries them, else from the document row). Without `revisions`, a plan's only known revision is its
 *   current one at `lastRevisionAt`: a plan whose `lastRevisionAt` is after T did not exist yet as of T
 *   and is left out. Pass the revision history to get exact past views (a plan edited after T is then
 *   still seen with the revision it had at T). A runbook without `revisions` is taken as it is now.
 * - **Reviews count by the day they were performed**: the last review as of T is the latest of
 *   `reviews` and `lastReviewedAt` on or before T.
 * - **The catalog is taken as it is now**: systems' lifecycle, owner team, tier and effective SLA
 *   have no history here. Retired systems and archived documents never count.
 * - **Scope** (`CoverageScope`): active systems only; `team`, `tier` and `system` filters are combined
 *   with AND, the values within one filter with OR; an empty or missing filter does not filter. A team
 *   filter leaves out systems with no owner team.
 * - **Shortfall order**: missing items first (by system, then plan), then overdue items oldest due
 *   date first.
 */
import type { SlaFigures } from "../../db/schema/catalog";
import type { DocumentStatus } from "../../db/schema/documents";
import type { DrillOutcome, DrillType, InspectionResult } from "../../db/schema/enums";

export type { DocumentStatus };

const DAY_MS = 86_400_000;

// ---------------------------------------------------------------------------------------------
// Input rows
// ---------------------------------------------------------------------------------------------

/** The SLA figures coverage needs, already resolved (tier defaults + overrides, see `effectiveSla`). */
export type CoverageSla = Pick<SlaFigures, "drillIntervalDays" | "inspectionIntervalDays" | "planReviewIntervalDays">;

/** A system of the catalog. `drillIntervalDays: null` means no drill is required (tier 4 default). */
export interface CoverageSystem {
  slug: string;
  name: string;
  /** 1 (most critical) to 4. */
  tier: number;
  lifecycle: "active" | "retired";
  /** Owner team slug. */
  ownerTeam: string | null;
  /** Effective SLA, intervals in days. */
  sla: CoverageSla;
}

/** One revision of a document, for as-of views. `status`/`systems` default to the document row's. */
export interface DocumentRevisionRow {
  number: number;
  createdAt: Date;
  status?: DocumentStatus;
  /** System slugs linked in this revision. */
  systems?: string[];
}

/** A contingency plan (document kind `contingency_plan`). */
export interface ContingencyPlanRow {
  slug: string;
  title: string;
  status: DocumentStatus;
  /** Linked system slugs. */
  systems: string[];
  currentRevision: number;
  lastRevisionAt: Date;
  /** Latest review attestation or frontmatter `last_reviewed`, if any. */
  lastReviewedAt: Date | null;
  /** Optional revision history, for exact past as-of views (see the module comment). */
  revisions?: DocumentRevisionRow[];
  /** Optional dates of all known reviews, for exact past as-of views. */
  reviews?: Date[];
}

export type { DrillOutcome, DrillType };

/** A recorded exercise of a contingency plan. */
export interface DrillRow {
  id: string | number;
  planSlug: string;
  /** The plan revision exercised. */
  planRevision: number;
  date: Date;
  outcome: DrillOutcome;
  type: DrillType;
}

export type { InspectionResult };

/** A routine check (巡检) of a system. */
export interface InspectionRow {
  id: string | number;
  systemSlug: string;
  date: Date;
  result: InspectionResult;
}

/** A runbook (document kind `runbook`). */
export interface RunbookRow {
  slug: string;
  status: DocumentStatus;
  systems: string[];
  /** Optional revision history, for exact past as-of views. */
  revisions?: DocumentRevisionRow[];
}

/** Which systems a metric covers. Empty or missing filters do not filter; retired systems never count. */
export interface CoverageScope {
  /** Owner team slugs. */
  team?: string[];
  tier?: number[];
  /** System slugs. */
  system?: string[];
}

/** Everything the coverage functions read. Each function takes only the parts it needs. */
export interface CoverageInput {
  systems: CoverageSystem[];
  plans: ContingencyPlanRow[];
  drills: DrillRow[];
  inspections: InspectionRow[];
  runbooks: RunbookRow[];
  scope?: CoverageScope;
}

// ---------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------

/** Stable shortfall reasons (the UI may translate them). */
export const SHORTFALL_REASONS = {
  noPublishedPlan: "no published contingency plan",
  planReviewOverdue: "contingency plan review overdue",
  neverDrilled: "never drilled",
  onlyFailedDrills: "no passed or partial drill (only failed drills)",
  drillOverdue: "drill overdue",
  neverInspected: "never inspected",
  inspectionOverdue: "inspection overdue",
  noPublishedRunbook: "no published runbook",
} as const;
export type ShortfallReason = (typeof SHORTFALL_REASONS)[keyof typeof SHORTFALL_REASONS];

/** An item that falls short of a metric. */
export interface Shortfall {
  system?: string;
  plan?: string;
  reason: ShortfallReason;
  /** The due date that passed (UTC midnight); null when the evidence is missing altogether. */
  dueSince: Date | null;
  /** Whole days since `dueSince` (>= 1); null when missing. */
  overdueDays: number | null;
}

/** A metric's figures: `value = numerator / denominator` (fraction 0..1), null when the denominator is 0. */
export interface MetricSummary {
  value: number | null;
  numerator: number;
  denominator: number;
}

export interface MetricResult<Item> extends MetricSummary {
  shortfalls: Shortfall[];
  /** One entry per counted unit (system or plan), in system order (tier, name, slug) or plan slug order. */
  items: Item[];
}

/** A published plan's review evidence for Metric 1. */
export interface PlanReviewEvidence {
  plan: string;
  title: string;
  /** Last review as of T, or null when none is recorded. */
  reviewedAt: Date | null;
  /** Creation time of the plan's revision as of T. */
  revisedAt: Date;
  /** The date that counts: `reviewedAt`, or `revisedAt` when no review is recorded. */
  evidenceDate: Date;
  basis: "review" | "revision";
}

/** Metric 1, per system in scope. */
export interface PlanCoverageItem {
  system: string;
  tier: number;
  covered: boolean;
  /** The system's plan review interval (days). */
  intervalDays: number;
  /** Published plans linked to the system as of T, most recent evidence first. */
  plans: PlanReviewEvidence[];
  /** The plan with the most recent evidence, null when there is none. */
  bestPlan: string | null;
  lastDate: Date | null;
  /** `lastDate + intervalDays`, the last day the system stays covered. */
  dueDate: Date | null;
}

/** Metric 2, per plan in the denominator. */
export interface DrillPlanItem {
  plan: string;
  title: string;
  /** Linked systems that are in scope. */
  systems: string[];
  /** The strictest drill interval among the plan's linked active systems (in scope or not). */
  intervalDays: number;
  /** The linked system that sets `intervalDays` (first by slug on a tie). */
  intervalSystem: string;
  /** The plan revision current as of T. */
  currentRevision: number;
  /** The latest passed or partial drill on or before T. */
  lastDrill: DrillRow | null;
  dueDate: Date | null;
  covered: boolean;
  /** The last counting drill exercised an older revision than the one current as of T. */
  changedSinceLastDrill: boolean;
}

/** Metric 2, per system in scope: drill-covered when all its in-denominator plans are. */
export interface DrillSystemItem {
  system: string;
  tier: number;
  /**
   * true: every in-denominator plan linked to the system is covered; false: one is not, or the system
   * requires drills (has a drill interval) but has no such plan; null: nothing to drill (no interval
   * and no in-denominator plan).
   */
  covered: boolean | null;
  /** Slugs of the system's in-denominator plans. */
  plans: string[];
}

export interface DrillCoverageResult extends MetricResult<DrillPlanItem> {
  systems: DrillSystemItem[];
}

/** Metric 3, per system in scope. */
export interface InspectionCoverageItem {
  system: string;
  tier: number;
  covered: boolean;
  intervalDays: number;
  /** The latest inspection on or before T, any result. */
  lastInspection: InspectionRow | null;
  dueDate: Date | null;
}

/** Metric 4, per system in scope. */
export interface RunbookCoverageItem {
  system: string;
  tier: number;
  covered: boolean;
  /** Published runbooks linked to the system as of T. */
  runbooks: string[];
}

/** A cell of the coverage matrix. */
export type CoverageState = "current" | "due_soon" | "overdue" | "missing" | "not_required";

export interface MatrixCell {
  state: CoverageState;
  /** The last day the evidence counts; null when missing, not required, or without interval (runbook). */
  dueDate: Date | null;
  /** Date of the evidence behind the state (review/revision, drill, inspection); null when none. */
  lastDate: Date | null;
  intervalDays: number | null;
  /** What the cell is about: plan slugs (plan, drill), the inspection id, runbook slugs. */
  refs: string[];
}

export interface CoverageMatrixRow {
  system: string;
  name: string;
  tier: number;
  ownerTeam: string | null;
  plan: MatrixCell;
  drill: MatrixCell;
  inspection: MatrixCell;
  runbook: MatrixCell;
}

export interface CoverageTrendPoint {
  /** "YYYY-MM" (UTC). */
  month: string;
  /** The month's last day (UTC midnight), or `asOf` for the month that contains it. */
  asOf: Date;
  /** True for the month containing `asOf` when `asOf` is not its last day (month to date). */
  partial: boolean;
  plan: MetricSummary;
  drill: MetricSummary;
  inspection: MetricSummary;
  runbook: MetricSummary;
}

// ---------------------------------------------------------------------------------------------
// Day arithmetic
// ---------------------------------------------------------------------------------------------

/** Days since 1970-01-01 of the UTC calendar day containing `date`. */
export function utcDay(date: Date): number {
  return Math.floor(date.getTime() / DAY_MS);
}

function dayToDate(day: number): Date {
  return new Date(day * DAY_MS);
}

function asOfDay(asOf: Date): number {
  if (!(asOf instanceof Date) || Number.isNaN(asOf.getTime())) throw new RangeError("asOf must be a valid Date");
  return utcDay(asOf);
}

/** The last day (UTC midnight) on which evidence dated `evidence` counts for an interval of N days. */
export function dueDateFor(evidence: Date, intervalDays: number): Date {
  return dayToDate(utcDay(evidence) + intervalDays);
}

/**
 * Whether `evidence` is within `intervalDays` days before `asOf`: `day(T) - N <= day(evidence) <= day(T)`
 * in UTC calendar days (module comment). Throws RangeError on an invalid `asOf`.
 */
export function isWithinDays(evidence: Date, intervalDays: number, asOf: Date): boolean {
  const today = asOfDay(asOf);
  const day = utcDay(evidence);
  return day <= today && today - day <= intervalDays;
}

/**
 * Length of the "due soon" window: the last 15% of the interval, rounded up to whole days, at least 1
 * day (the due date itself). An interval of 182 days is due soon during its last 28 days.
 */
export function dueSoonWindowDays(intervalDays: number): number {
  return Math.max(1, Math.ceil((15 * intervalDays) / 100));
}

type TimedState = "current" | "due_soon" | "overdue";

function timedState(dueDay: number, intervalDays: number, today: number): TimedState {
  if (today > dueDay) return "overdue";
  return dueDay - today < dueSoonWindowDays(intervalDays) ? "due_soon" : "current";
}

function overdueShortfall(base: { system?: string; plan?: string }, reason: ShortfallReason, dueDate: Date, today: number): Shortfall {
  const overdueDays = today - utcDay(dueDate);
  // Literal objects rather than `{ ...base }`: a spread makes slow objects, and this runs per item per trend point.
  if (base.system !== undefined && base.plan !== undefined) {
    return { system: base.system, plan: base.plan, reason, dueSince: dueDate, overdueDays };
  }
  if (base.system !== undefined) return { system: base.system, reason, dueSince: dueDate, overdueDays };
  return { plan: base.plan, reason, dueSince: dueDate, overdueDays };
}

function summary(numerator: number, denominator: number): MetricSummary {
  return { value: denominator === 0 ? null : numerator / denominator, numerator, denominator };
}

function sortShortfalls(list: Shortfall[]): Shortfall[] {
  return list.sort((a, b) => {
    if ((a.dueSince === null) !== (b.dueSince === null)) return a.dueSince === null ? -1 : 1;
    if (a.dueSince && b.dueSince && a.dueSince.getTime() !== b.dueSince.getTime()) {
      return a.dueSince.getTime() - b.dueSince.getTime();
    }
    return (a.system ?? "").localeCompare(b.system ?? "") || (a.plan ?? "").localeCompare(b.plan ?? "");
  });
}

/** The latest of `dates` and `also` on or before day `today` (the first of equals), or null. */
function maxDate(dates: readonly Date[] | undefined, also: Date | null, today: number): Date | null {
  let best: Date | null = null;
  if (dates) {
    for (const d of dates) {
      if (!d || utcDay(d) > today) continue;
      if (!best || d.getTime() > best.getTime()) best = d;
    }
  }
  if (also && utcDay(also) <= today && (!best || also.getTime() > best.getTime())) best = also;
  return best;
}

/**
 * `[...new Set(slugs)].sort()` (code-unit order), without the Set and the generic sort for the one to
 * three systems a plan usually names.
 */
function uniqueSorted(slugs: readonly string[]): readonly string[] {
  if (slugs.length < 2) return slugs;
  if (slugs.length > 8) return [...new Set(slugs)].sort();
  const out: string[] = [];
  for (const slug of slugs) {
    let i = out.length;
    while (i > 0 && out[i - 1]! > slug) i--;
    if (i > 0 && out[i - 1] === slug) continue;
    out.splice(i, 0, slug);
  }
  return out;
}

/**
 * Groups `items` by each system slug they name (duplicates within one item collapse), keeping the
 * items' order: `groupBySystem(xs, f).get(slug)` equals `xs.filter((x) => f(x).includes(slug))`, in
 * one pass instead of one scan per system (2,000 systems x 6,000 plans is 12 million scans).
 */
function groupBySystem<T>(items: readonly T[], systemsOf: (item: T) => readonly string[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const slugs = systemsOf(item);
    for (const slug of slugs.length < 2 ? slugs : new Set(slugs)) {
      const list = groups.get(slug);
      if (list) list.push(item);
      else groups.set(slug, [item]);
    }
  }
  return groups;
}

// ---------------------------------------------------------------------------------------------
// Scope and documents as of T
// ---------------------------------------------------------------------------------------------

function compareSystems(a: CoverageSystem, b: CoverageSystem): number {
  return a.tier - b.tier || a.name.localeCompare(b.name) || a.slug.localeCompare(b.slug);
}

/** Active systems matching the scope (module comment), ordered by tier, then name, then slug. */
export function systemsInScope(systems: CoverageSystem[], scope: CoverageScope = {}): CoverageSystem[] {
  const { team, tier, system } = scope;
  return systems
    .filter(
      (s) =>
        s.lifecycle === "active" &&
        (!team?.length || (s.ownerTeam !== null && team.includes(s.ownerTeam))) &&
        (!tier?.length || tier.includes(s.tier)) &&
        (!system?.length || system.includes(s.slug)),
    )
    .sort(compareSystems);
}

/** A document as it was on day T. */
export interface DocumentAsOf {
  status: DocumentStatus;
  systems: string[];
  /** Revision number current as of T; null for a runbook without history. */
  revision: number | null;
  revisedAt: Date | null;
}

function documentAsOf(
  doc: { status: DocumentStatus; systems: string[]; revisions?: DocumentRevisionRow[] },
  history: DocumentRevisionRow[] | null,
  today: number,
): DocumentAsOf | null {
  if (!history) return { status: doc.status, systems: doc.systems, revision: null, revisedAt: null };
  let latest: DocumentRevisionRow | null = null;
  for (const r of history) {
    if (utcDay(r.createdAt) > today) continue;
    if (!latest || r.number > latest.number) latest = r;
  }
  if (!latest) return null;
  return {
    status: latest.status ?? doc.status,
    systems: latest.systems ?? doc.systems,
    revision: latest.number,
    revisedAt: latest.createdAt,
  };
}

/** A contingency plan as of T. */
export interface PlanAsOf extends DocumentAsOf {
  plan: ContingencyPlanRow;
  revision: number;
  revisedAt: Date;
  /** Last review on or before T. */
  reviewedAt: Date | null;
}

/**
 * The plan as it was on day `asOf` (module comment, "Documents as of T"), or null when it had no
 * revision yet. Throws RangeError on an invalid `asOf`.
 */
export function planAsOf(plan: ContingencyPlanRow, asOf: Date): PlanAsOf | null {
  const today = asOfDay(asOf);
  const history = plan.revisions ?? [{ number: plan.currentRevision, createdAt: plan.lastRevisionAt }];
  const doc = documentAsOf(plan, history, today);
  if (!doc) return null;
  // Spelled out rather than `...doc`: this runs for every plan at every trend point, and the spread
  // with overridden keys was most of the dashboard's time at 6,000 plans.
  return {
    status: doc.status,
    systems: doc.systems,
    revision: doc.revision as number,
    revisedAt: doc.revisedAt as Date,
    plan,
    reviewedAt: maxDate(plan.reviews, plan.lastReviewedAt, today),
  };
}

/** The runbook as it was on day `asOf`, or null when it had no revision yet. */
export function runbookAsOf(runbook: RunbookRow, asOf: Date): DocumentAsOf | null {
  return documentAsOf(runbook, runbook.revisions ?? null, asOfDay(asOf));
}

function publishedPlansAsOf(plans: ContingencyPlanRow[], asOf: Date): PlanAsOf[] {
  return plans
    .map((p) => planAsOf(p, asOf))
    .filter((p): p is PlanAsOf => p !== null && p.status === "published")
    .sort((a, b) => a.plan.slug.localeCompare(b.plan.slug));
}

// ---------------------------------------------------------------------------------------------
// Metric 1: contingency-plan coverage
// ---------------------------------------------------------------------------------------------

/**
 * Contingency-plan coverage (shared/domain.md, "Metrics" 1): systems in scope that have at least one
 * published contingency plan whose last review (or last revision, if no review is recorded) is within
 * the system's plan review interval before T, divided by systems in scope.
 *
 * A recorded review is used even when a later revision exists (the formula's "or" applies only when no
 * review is recorded). The interval is the system's, so one plan can keep a tier-2 system covered
 * while a tier-1 system linked to it falls short. Shortfalls: one per uncovered system, either "no
 * published contingency plan" (dueSince null) or "contingency plan review overdue" naming the plan
 * with the most recent evidence. Throws RangeError on an invalid `asOf`.
 */
export function planCoverage(
  input: Pick<CoverageInput, "systems" | "plans" | "scope">,
  asOf: Date,
  /** Internal: `publishedPlansAsOf(input.plans, asOf)` when the caller has it already. */
  published: PlanAsOf[] = publishedPlansAsOf(input.plans, asOf),
): MetricResult<PlanCoverageItem> {
  const today = asOfDay(asOf);
  const scoped = systemsInScope(input.systems, input.scope);
  const publishedBySystem = groupBySystem(published, (p) => p.systems);
  const shortfalls: Shortfall[] = [];

  const items = scoped.map((system): PlanCoverageItem => {
    const intervalDays = system.sla.planReviewIntervalDays;
    const plans = (publishedBySystem.get(system.slug) ?? [])
      .map(
        (p): PlanReviewEvidence => ({
          plan: p.plan.slug,
          title: p.plan.title,
          reviewedAt: p.reviewedAt,
          revisedAt: p.revisedAt,
          evidenceDate: p.reviewedAt ?? p.revisedAt,
          basis: p.reviewedAt ? "review" : "revision",
        }),
      )
      .sort((a, b) => b.evidenceDate.getTime() - a.evidenceDate.getTime() || a.plan.localeCompare(b.plan));
    const best = plans[0] ?? null;
    const dueDate = best ? dueDateFor(best.evidenceDate, intervalDays) : null;
    const covered = dueDate !== null && today <= utcDay(dueDate);
    if (!best) {
      shortfalls.push({ system: system.slug, reason: SHORTFALL_REASONS.noPublishedPlan, dueSince: null, overdueDays: null });
    } else if (!covered) {
      shortfalls.push(
        overdueShortfall({ system: system.slug, plan: best.plan }, SHORTFALL_REASONS.planReviewOverdue, dueDate!, today),
      );
    }
    return {
      system: system.slug,
      tier: system.tier,
      covered,
      intervalDays,
      plans,
      bestPlan: best?.plan ?? null,
      lastDate: best?.evidenceDate ?? null,
      dueDate,
    };
  });

  const numerator = items.filter((i) => i.covered).length;
  return { ...summary(numerator, items.length), shortfalls: sortShortfalls(shortfalls), items };
}

// ---------------------------------------------------------------------------------------------
// Metric 2: drill coverage
// ---------------------------------------------------------------------------------------------

const COUNTING_OUTCOMES: ReadonlySet<DrillOutcome> = new Set(["passed", "partial"]);

/**
 * Drill coverage (shared/domain.md, "Metrics" 2): contingency plans in scope (published as of T, linked
 * to at least one system in scope) with a drill of outcome `passed` or `partial` within the plan's
 * drill interval before T, divided by those plans.
 *
 * - A plan's interval is the strictest (shortest) drill interval among **all its linked active
 *   systems, in scope or not**: a plan's cadence is an obligation of the plan and must not relax
 *   because the dashboard is filtered to one team or tier. Systems without a drill interval, retired
 *   systems and unknown slugs are ignored; a plan with no interval left is out of the denominator.
 * - Failed drills and drills dated after T do not count; any drill type counts.
 * - `changedSinceLastDrill`: the latest counting drill exercised a revision older than the plan's
 *   revision as of T (the drill still counts).
 * - `systems`: per system in scope, drill-covered when all its in-denominator plans are (see
 *   `DrillSystemItem.covered` for systems without such plans).
 *
 * Shortfalls: one per uncovered plan: "never drilled" or "only failed drills" (dueSince null), or
 * "drill overdue". Throws RangeError on an invalid `asOf`.
 */
export function drillCoverage(
  input: Pick<CoverageInput, "systems" | "plans" | "drills" | "scope">,
  asOf: Date,
  /** Internal: `publishedPlansAsOf(input.plans, asOf)` when the caller has it already. */
  published: PlanAsOf[] = publishedPlansAsOf(input.plans, asOf),
): DrillCoverageResult {
  const today = asOfDay(asOf);
  const scoped = systemsInScope(input.systems, input.scope);
  const scopedSlugs = new Set(scoped.map((s) => s.slug));
  const active = new Map(input.systems.filter((s) => s.lifecycle === "active").map((s) => [s.slug, s]));

  // One pass over the drills: per plan, whether it was drilled at all by T, and its latest counting
  // drill (the first of equals in input order).
  const drilled = new Set<string>();
  const lastCounting = new Map<string, DrillRow>();
  for (const d of input.drills) {
    if (utcDay(d.date) > today) continue;
    drilled.add(d.planSlug);
    if (!COUNTING_OUTCOMES.has(d.outcome)) continue;
    const prev = lastCounting.get(d.planSlug);
    if (!prev || d.date.getTime() > prev.date.getTime()) lastCounting.set(d.planSlug, d);
  }

  const shortfalls: Shortfall[] = [];
  const items: DrillPlanItem[] = [];
  for (const p of published) {
    const linked = uniqueSorted(p.systems);
    const inScope = linked.filter((s) => scopedSlugs.has(s));
    if (inScope.length === 0) continue;
    let strictest: CoverageSystem | null = null;
    for (const slug of linked) {
      const s = active.get(slug);
      if (!s || s.sla.drillIntervalDays === null) continue;
      if (!strictest || s.sla.drillIntervalDays < (strictest.sla.drillIntervalDays as number)) strictest = s;
    }
    if (!strictest) continue;
    const intervalDays = strictest.sla.drillIntervalDays as number;

    const lastDrill = lastCounting.get(p.plan.slug) ?? null;
    const dueDate = lastDrill ? dueDateFor(lastDrill.date, intervalDays) : null;
    const covered = dueDate !== null && today <= utcDay(dueDate);
    if (!lastDrill) {
      const reason = drilled.has(p.plan.slug) ? SHORTFALL_REASONS.onlyFailedDrills : SHORTFALL_REASONS.neverDrilled;
      shortfalls.push({ plan: p.plan.slug, reason, dueSince: null, overdueDays: null });
    } else if (!covered) {
      shortfalls.push(overdueShortfall({ plan: p.plan.slug }, SHORTFALL_REASONS.drillOverdue, dueDate!, today));
    }
    items.push({
      plan: p.plan.slug,
      title: p.plan.title,
      systems: inScope,
      intervalDays,
      intervalSystem: strictest.slug,
      currentRevision: p.revision,
      lastDrill,
      dueDate,
      covered,
      changedSinceLastDrill: lastDrill !== null && lastDrill.planRevision < p.revision,
    });
  }

  const itemsBySystem = groupBySystem(items, (i) => i.systems);
  const systems = scoped.map((system): DrillSystemItem => {
    const plans = itemsBySystem.get(system.slug) ?? [];
    const covered =
      plans.length > 0 ? plans.every((i) => i.covered) : system.sla.drillIntervalDays === null ? null : false;
    return { system: system.slug, tier: system.tier, covered, plans: plans.map((i) => i.plan) };
  });

  const numerator = items.filter((i) => i.covered).length;
  return { ...summary(numerator, items.length), shortfalls: sortShortfalls(shortfalls), items, systems };
}

// ---------------------------------------------------------------------------------------------
// Metric 3: inspection coverage
// ---------------------------------------------------------------------------------------------

/**
 * Inspection coverage (shared/domain.md, "Metrics" 3): systems in scope whose latest inspection on or
 * before T (any result: a failed inspection was still carried out) is within the system's inspection
 * interval before T, divided by systems in scope. A system with no inspection at all falls short
 * ("never inspected", dueSince null). Throws RangeError on an invalid `asOf`.
 */
export function inspectionCoverage(
  input: Pick<CoverageInput, "systems" | "inspections" | "scope">,
  asOf: Date,
): MetricResult<InspectionCoverageItem> {
  const today = asOfDay(asOf);
  const latest = new Map<string, InspectionRow>();
  for (const i of input.inspections) {
    if (utcDay(i.date) > today) continue;
    const prev = latest.get(i.systemSlug);
    if (!prev || i.date.getTime() > prev.date.getTime()) latest.set(i.systemSlug, i);
  }

  const shortfalls: Shortfall[] = [];
  const items = systemsInScope(input.systems, input.scope).map((system): InspectionCoverageItem => {
    const intervalDays = system.sla.inspectionIntervalDays;
    const lastInspection = latest.get(system.slug) ?? null;
    const dueDate = lastInspection ? dueDateFor(lastInspection.date, intervalDays) : null;
    const covered = dueDate !== null && today <= utcDay(dueDate);
    if (!lastInspection) {
      shortfalls.push({ system: system.slug, reason: SHORTFALL_REASONS.neverInspected, dueSince: null, overdueDays: null });
    } else if (!covered) {
      shortfalls.push(overdueShortfall({ system: system.slug }, SHORTFALL_REASONS.inspectionOverdue, dueDate!, today));
    }
    return { system: system.slug, tier: system.tier, covered, intervalDays, lastInspection, dueDate };
  });

  const numerator = items.filter((i) => i.covered).length;
  return { ...summary(numerator, items.length), shortfalls: sortShortfalls(shortfalls), items };
}

// ---------------------------------------------------------------------------------------------
// Metric 4: runbook coverage
// ---------------------------------------------------------------------------------------------

/**
 * Runbook coverage (shared/domain.md, "Metrics" 4): systems in scope with at least one published
 * runbook (as of T when the runbook's revisions are given), divided by systems in scope. Shortfall:
 * "no published runbook" (dueSince null). Throws RangeError on an invalid `asOf`.
 */
export function runbookCoverage(
  input: Pick<CoverageInput, "systems" | "runbooks" | "scope">,
  asOf: Date,
): MetricResult<RunbookCoverageItem> {
  asOfDay(asOf);
  const published = input.runbooks
    .map((r) => ({ slug: r.slug, doc: runbookAsOf(r, asOf) }))
    .filter((r) => r.doc?.status === "published")
    .sort((a, b) => a.slug.localeCompare(b.slug));
  const publishedBySystem = groupBySystem(published, (r) => r.doc!.systems);

  const shortfalls: Shortfall[] = [];
  const items = systemsInScope(input.systems, input.scope).map((system): RunbookCoverageItem => {
    const runbooks = (publishedBySystem.get(system.slug) ?? []).map((r) => r.slug);
    const covered = runbooks.length > 0;
    if (!covered) {
      shortfalls.push({ system: system.slug, reason: SHORTFALL_REASONS.noPublishedRunbook, dueSince: null, overdueDays: null });
    }
    return { system: system.slug, tier: system.tier, covered, runbooks };
  });

  const numerator = items.filter((i) => i.covered).length;
  return { ...summary(numerator, items.length), shortfalls: sortShortfalls(shortfalls), items };
}

// ---------------------------------------------------------------------------------------------
// Matrix
// ---------------------------------------------------------------------------------------------

const STATE_SEVERITY: Record<CoverageState, number> = {
  not_required: 0,
  current: 1,
  due_soon: 2,
  overdue: 3,
  missing: 4,
};

function timedCell(lastDate: Date | null, intervalDays: number, today: number, refs: string[]): MatrixCell {
  if (!lastDate) return { state: "missing", dueDate: null, lastDate: null, intervalDays, refs };
  const dueDate = dueDateFor(lastDate, intervalDays);
  return { state: timedState(utcDay(dueDate), intervalDays, today), dueDate, lastDate, intervalDays, refs };
}

/**
 * Per system in scope, the state of each coverage area as of T, with the date it becomes due, ordered
 * by tier (then name, slug). Built from the four metric functions, so a cell is `current` or
 * `due_soon` exactly when the system (or, for drills, every plan the cell covers) counts as covered.
 *
 * - `due_soon`: on or before the due date but within its last `dueSoonWindowDays(interval)` days (the
 *   last 15% of the interval, rounded up, at least 1 day, the due date included).
 * - `overdue`: the due date has passed; `missing`: no evidence at all (no published plan, never
 *   drilled, never inspected, no published runbook).
 * - plan: the published plan with the most recent review (or revision) against the system's plan
 *   review interval.
 * - drill: the state of the system's worst in-denominator plan (missing > overdue > due_soon >
 *   current; the earliest due date among equals), with that plan's due date, last drill and interval; `not_required` when the system has no drill interval and no
 *   linked plan that needs drilling (tier 4); `missing` when it needs drills but has no such plan.
 * - runbook: `current` or `missing`, no due date.
 *
 * Throws RangeError on an invalid `asOf`.
 */
export function coverageMatrix(input: CoverageInput, asOf: Date): CoverageMatrixRow[] {
  return coverageSnapshot(input, asOf).matrix;
}

/** Metrics 1-4 and the matrix as of one day: what a dashboard shows. */
export interface CoverageSnapshot {
  plan: MetricResult<PlanCoverageItem>;
  drill: DrillCoverageResult;
  inspection: MetricResult<InspectionCoverageItem>;
  runbook: MetricResult<RunbookCoverageItem>;
  matrix: CoverageMatrixRow[];
}

/**
 * `planCoverage`, `drillCoverage`, `inspectionCoverage`, `runbookCoverage` and `coverageMatrix` as of
 * `asOf`, each metric computed once (the matrix is built from the same results). Throws RangeError on
 * an invalid `asOf`.
 */
export function coverageSnapshot(input: CoverageInput, asOf: Date): CoverageSnapshot {
  const published = publishedPlansAsOf(input.plans, asOf);
  const results = {
    plan: planCoverage(input, asOf, published),
    drill: drillCoverage(input, asOf, published),
    inspection: inspectionCoverage(input, asOf),
    runbook: runbookCoverage(input, asOf),
  };
  return { ...results, matrix: matrixFrom(input, asOf, results) };
}

function matrixFrom(input: CoverageInput, asOf: Date, results: Omit<CoverageSnapshot, "matrix">): CoverageMatrixRow[] {
  const today = asOfDay(asOf);
  const plan = new Map(results.plan.items.map((i) => [i.system, i]));
  const drill = results.drill;
  const drillPlans = new Map(drill.items.map((i) => [i.plan, i]));
  const inspection = new Map(results.inspection.items.map((i) => [i.system, i]));
  const runbook = new Map(results.runbook.items.map((i) => [i.system, i]));
  const drillSystems = new Map(drill.systems.map((s) => [s.system, s]));

  return systemsInScope(input.systems, input.scope).map((system): CoverageMatrixRow => {
    const p = plan.get(system.slug)!;
    const planCell = timedCell(p.lastDate, p.intervalDays, today, p.plans.map((e) => e.plan));

    const ds = drillSystems.get(system.slug)!;
    let drillCell: MatrixCell;
    if (ds.plans.length === 0) {
      drillCell = {
        state: ds.covered === null ? "not_required" : "missing",
        dueDate: null,
        lastDate: null,
        intervalDays: system.sla.drillIntervalDays,
        refs: [],
      };
    } else {
      const cells = ds.plans.map((slug) => {
        const item = drillPlans.get(slug)!;
        return timedCell(item.lastDrill?.date ?? null, item.intervalDays, today, [slug]);
      });
      // The driving plan: worst state first, then the earliest due date.
      const [driver] = [...cells].sort(
        (a, b) =>
          STATE_SEVERITY[b.state] - STATE_SEVERITY[a.state] ||
          (a.dueDate?.getTime() ?? 0) - (b.dueDate?.getTime() ?? 0),
      );
      drillCell = { ...driver, refs: ds.plans };
    }

    const i = inspection.get(system.slug)!;
    const inspectionCell = timedCell(
      i.lastInspection?.date ?? null,
      i.intervalDays,
      today,
      i.lastInspection ? [String(i.lastInspection.id)] : [],
    );

    const r = runbook.get(system.slug)!;
    const runbookCell: MatrixCell = {
      state: r.covered ? "current" : "missing",
      dueDate: null,
      lastDate: null,
      intervalDays: null,
      refs: r.runbooks,
    };

    return {
      system: system.slug,
      name: system.name,
      tier: system.tier,
      ownerTeam: system.ownerTeam,
      plan: planCell,
      drill: drillCell,
      inspection: inspectionCell,
      runbook: runbookCell,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Figures only (trend points)
// ---------------------------------------------------------------------------------------------

/** The four metrics' figures as of one day, without shortfalls, items or matrix. */
export interface CoverageFigures {
  plan: MetricSummary;
  drill: MetricSummary;
  inspection: MetricSummary;
  runbook: MetricSummary;
}

/** A contingency plan published as of T, reduced to what the figures read (UTC day numbers, see `utcDay`). */
export interface PlanFacts {
  slug: string;
  /** Linked system slugs as of T (duplicates allowed). */
  systems: readonly string[];
  /** Day of the last review on or before T, or of the revision current as of T when none is recorded. */
  evidenceDay: number;
  /** Day of the latest `passed`/`partial` drill on or before T; null when there is none. */
  lastDrillDay: number | null;
}

/**
 * What Metrics 1-4's figures as of day T depend on, every date reduced to its UTC day (all on or
 * before T): the plans and runbooks published as of T and each system's latest inspection day.
 */
export interface CoverageFacts {
  /** Contingency plans published as of T (any order). */
  plans: PlanFacts[];
  /** Linked system slugs of each runbook published as of T. */
  runbooks: Array<readonly string[]>;
  /** System slug -> day of its latest inspection (any result) on or before T; absent when none. */
  inspectionDays: ReadonlyMap<string, number>;
}

/**
 * The figures of Metrics 1-4 (shared/domain.md, "Metrics" 1-4) as of UTC day `today` (days since
 * 1970-01-01) from `facts` (see `CoverageFacts`): the same numerators and denominators as
 * `planCoverage`, `drillCoverage`, `inspectionCoverage` and `runbookCoverage` (the same rules, read
 * as "the best evidence of a system or plan is at most its interval old"), without building their
 * items and shortfalls; for trend points over thousands of plans. Pure; throws nothing.
 */
export function figuresFromFacts(systems: CoverageSystem[], scope: CoverageScope | undefined, facts: CoverageFacts, today: number): CoverageFigures {
  const { team, tier, system } = scope ?? {};
  const scoped: CoverageSystem[] = [];
  const inScope = new Set<string>();
  const drillInterval = new Map<string, number>();
  for (const s of systems) {
    if (s.lifecycle !== "active") continue;
    if (s.sla.drillIntervalDays !== null) drillInterval.set(s.slug, s.sla.drillIntervalDays);
    if (team?.length && (s.ownerTeam === null || !team.includes(s.ownerTeam))) continue;
    if (tier?.length && !tier.includes(s.tier)) continue;
    if (system?.length && !system.includes(s.slug)) continue;
    scoped.push(s);
    inScope.add(s.slug);
  }

  // Metric 1: per system, the most recent evidence among its published plans. Metric 2: per plan.
  const bestEvidence = new Map<string, number>();
  let drillNumerator = 0;
  let drillDenominator = 0;
  for (const p of facts.plans) {
    let linkedInScope = false;
    let interval: number | null = null;
    for (const slug of p.systems) {
      const best = bestEvidence.get(slug);
      if (best === undefined || p.evidenceDay > best) bestEvidence.set(slug, p.evidenceDay);
      if (!linkedInScope && inScope.has(slug)) linkedInScope = true;
      const n = drillInterval.get(slug);
      if (n !== undefined && (interval === null || n < interval)) interval = n;
    }
    if (!linkedInScope || interval === null) continue;
    drillDenominator++;
    if (p.lastDrillDay !== null && p.lastDrillDay <= today && today - p.lastDrillDay <= interval) drillNumerator++;
  }
  const withRunbook = new Set<string>();
  for (const linked of facts.runbooks) for (const slug of linked) withRunbook.add(slug);

  let plan = 0;
  let inspection = 0;
  let runbook = 0;
  for (const s of scoped) {
    const evidence = bestEvidence.get(s.slug);
    if (evidence !== undefined && evidence <= today && today - evidence <= s.sla.planReviewIntervalDays) plan++;
    const inspected = facts.inspectionDays.get(s.slug);
    if (inspected !== undefined && inspected <= today && today - inspected <= s.sla.inspectionIntervalDays) inspection++;
    if (withRunbook.has(s.slug)) runbook++;
  }
  return {
    plan: summary(plan, scoped.length),
    drill: summary(drillNumerator, drillDenominator),
    inspection: summary(inspection, scoped.length),
    runbook: summary(runbook, scoped.length),
  };
}

/**
 * The facts of `input` as of `asOf` (see `CoverageFacts`), by the rules of the metric functions:
 * documents through their revision as of T, reviews and drills on or before T. Throws RangeError on
 * an invalid `asOf`.
 */
export function coverageFacts(input: CoverageInput, asOf: Date): CoverageFacts {
  const today = asOfDay(asOf);
  const lastDrillDay = new Map<string, number>();
  for (const d of input.drills) {
    if (!COUNTING_OUTCOMES.has(d.outcome)) continue;
    const day = utcDay(d.date);
    if (day > today) continue;
    const prev = lastDrillDay.get(d.planSlug);
    if (prev === undefined || day > prev) lastDrillDay.set(d.planSlug, day);
  }
  const plans: PlanFacts[] = [];
  for (const row of input.plans) {
    const p = planAsOf(row, asOf);
    if (!p || p.status !== "published") continue;
    plans.push({ slug: row.slug, systems: p.systems, evidenceDay: utcDay(p.reviewedAt ?? p.revisedAt), lastDrillDay: lastDrillDay.get(row.slug) ?? null });
  }
  const runbooks: Array<readonly string[]> = [];
  for (const r of input.runbooks) {
    const doc = runbookAsOf(r, asOf);
    if (doc?.status === "published") runbooks.push(doc.systems);
  }
  const inspectionDays = new Map<string, number>();
  for (const i of input.inspections) {
    const day = utcDay(i.date);
    if (day > today) continue;
    const prev = inspectionDays.get(i.systemSlug);
    if (prev === undefined || day > prev) inspectionDays.set(i.systemSlug, day);
  }
  return { plans, runbooks, inspectionDays };
}

/**
 * The figures of Metrics 1-4 as of `asOf` for `input.scope`: equal to the value, numerator and
 * denominator of `planCoverage`, `drillCoverage`, `inspectionCoverage` and `runbookCoverage`
 * (shared/domain.md, "Metrics" 1-4), computed without items or shortfalls. Throws RangeError on an
 * invalid `asOf`.
 */
export function coverageFigures(input: CoverageInput, asOf: Date): CoverageFigures {
  return figuresFromFacts(input.systems, input.scope, coverageFacts(input, asOf), asOfDay(asOf));
}

// ---------------------------------------------------------------------------------------------
// Trend
// ---------------------------------------------------------------------------------------------

/**
 * Metrics 1-4 per calendar month (shared/domain.md, "Trend views"), oldest first: the `months`
 * calendar months ending with the month that contains `asOf`, each computed as of its last day (UTC).
 * The month containing `asOf` is computed as of `asOf` itself (a month-end in the future is not
 * known yet) and marked `partial` unless `asOf` is its last day, so the last point equals the headline
 * figures. Throws RangeError when `months` is not a positive integer or `asOf` is invalid.
 */
export function coverageTrend(input: CoverageInput, months: number | undefined = 12, asOf: Date): CoverageTrendPoint[] {
  if (!Number.isInteger(months) || months < 1) throw new RangeError("months must be a positive integer");
  const today = asOfDay(asOf);
  const y = asOf.getUTCFullYear();
  const m = asOf.getUTCMonth();
  const points: CoverageTrendPoint[] = [];
  for (let back = months - 1; back >= 0; back--) {
    const monthStart = new Date(Date.UTC(y, m - back, 1));
    const lastDay = new Date(Date.UTC(monthStart.getUTCFullYear(), monthStart.getUTCMonth() + 1, 0));
    const partial = utcDay(lastDay) > today;
    const at = partial ? asOf : lastDay;
    points.push({
      month: `${monthStart.getUTCFullYear()}-${String(monthStart.getUTCMonth() + 1).padStart(2, "0")}`,
      asOf: at,
      partial,
      ...coverageFigures(input, at),
    });
  }
  return points;
}
