/**
 * Loading what the coverage metrics need (shared/domain.md, "Metrics" 1-4 and "Trend views") and
 * computing every figure with the pure functions of ./coverage.ts. No formula lives here: this
 * module only decides which rows the formulas get to see.
 *
 * **Pre-aggregation.** The dashboard is computed as of a set of days (the as-of day and the 11
 * month-ends before it, for the trend). The formulas only ever look at, per as-of day T:
 * - per plan and per runbook, the revision current as of T (highest number created on or before day T);
 * - per plan, the latest review on or before T;
 * - per plan, the latest `passed`/`partial` drill on or before T, and whether any drill exists by T;
 * - per system, the latest inspection on or before T.
 * So instead of every row, SQL returns only those, put into "buckets" between consecutive as-of days
 * with `width_bucket(ts, cutoffs)` (bucket b holds rows visible from the b-th as-of day on; the
 * winner of day k is the best of buckets 0..k, found in JS):
 * - documents and all their revisions (a few per document), reviews as the latest per bucket;
 * - for the as-of day, each plan's latest `passed`/`partial` drill (or, when it has none, one failed
 *   drill, which only tells that it was drilled) and each system's latest inspection, as full rows;
 * - for the earlier (trend) days, only UTC day numbers: the day of the latest counting drill per
 *   plan as of each day (filtered `max` aggregates in the same single pass over the drills that
 *   finds the as-of day's drill), and per system the day of its latest inspection as of each day
 *   (one index probe per system and day, `LIMIT 1` on `inspections_system_latest_idx`).
 * The as-of day becomes a small `CoverageInput` for the full formulas (shortfalls, items, matrix);
 * each earlier day becomes `CoverageFacts` for `figuresFromFacts` (figures only, the trend needs no
 * more). Each query returns one JSON text (one `json_agg` array per column), parsed with one `JSON.parse`: decoding
 * tens of thousands of rows one by one cost more than the queries. Feeding the formulas these rows
 * gives the same figures as feeding them every row (`coverage.server.test.ts` proves it on a
 * fixture), provided ties are broken the same way: the SQL keeps the newest row with the smallest
 * id, which is the one the formulas pick. (Times are compared in milliseconds in JS and in
 * microseconds in SQL; two rows of one plan or system within the same millisecond could pick
 * differently, which no form, API or import produces.)
 *
 * **Caches.** `coverageReport` keeps the trend's past months (until a change reaches back into them)
 * and the as-of day's input (until any write) under the data version (app/lib/data-version.server.ts;
 * see `coverageReport`); `clearCoverageCaches` forgets them.
 *
 * **Snapshot.** On PostgreSQL the queries run in parallel on pooled connections, not in one
 * transaction: a drill recorded while the dashboard loads may appear in one table and not another.
 * A dashboard refreshed weekly can live with that; a transaction would serialise the queries.
 */
import { asc, eq, sql, type SQL } from "drizzle-orm";
import { rowsOf, type Database } from "../../db/client";
import { slas, systems as systemsTable, teams } from "../../db/schema/catalog";
import type { DocumentStatus } from "../../db/schema/documents";
import type { DrillOutcome, DrillType, InspectionResult } from "../../db/schema/enums";
import { effectiveSla } from "../catalog/sla";
import { cachesPerDatabase, CATALOG_TABLES, memoizedDigest, VersionedCache } from "../lib/data-version.server";
import {
  coverageSnapshot,
  coverageTrend,
  figuresFromFacts,
  type CoverageFacts,
  type PlanFacts,
  systemsInScope,
  utcDay,
  type ContingencyPlanRow,
  type CoverageInput,
  type CoverageMatrixRow,
  type CoverageScope,
  type CoverageSystem,
  type CoverageTrendPoint,
  type DocumentRevisionRow,
  type DrillCoverageResult,
  type DrillRow,
  type InspectionCoverageItem,
  type InspectionRow,
  type MetricResult,
  type MetricSummary,
  type PlanCoverageItem,
  type RunbookCoverageItem,
  type RunbookRow,
} from "./coverage";

const DAY_MS = 86_400_000;

/** The tables the coverage figures read (catalog included), for {@link VersionedCache} entries. */
const COVERAGE_TABLES = [...CATALOG_TABLES, "documents", "revisions", "plan_reviews", "drills", "inspections"] as const;

/** Months in the trend (shared/domain.md, "Trend views": the last 12 months). */
export const TREND_MONTHS = 12;

/** A catalog system as the coverage page shows it (all lifecycles; the formulas skip retired ones). */
export interface CoverageCatalogSystem extends CoverageSystem {
  id: number;
  ownerTeamName: string | null;
}

export interface CoverageCatalog {
  /** Systems with an effective SLA, ordered by tier, name, slug (as the formulas order them). */
  systems: CoverageCatalogSystem[];
  teams: Array<{ slug: string; name: string }>;
}

/** Everything the coverage page, its CSV, print view and JSON API show. Dates are UTC. */
export interface CoverageReport {
  /** The as-of day (UTC midnight). */
  asOf: Date;
  scope: CoverageScope;
  plan: MetricResult<PlanCoverageItem>;
  drill: DrillCoverageResult;
  inspection: MetricResult<InspectionCoverageItem>;
  runbook: MetricResult<RunbookCoverageItem>;
  /** Systems in scope x (plan, drill, inspection, runbook), by tier then name. */
  matrix: CoverageMatrixRow[];
  /** Oldest month first; empty when not asked for. */
  trend: CoverageTrendPoint[];
  /** Plan slug -> title, for every plan the report names. */
  planTitles: Record<string, string>;
  catalog: CoverageCatalog;
}

const byTierNameSlug = (a: CoverageSystem, b: CoverageSystem) =>
  a.tier - b.tier || a.name.localeCompare(b.name) || a.slug.localeCompare(b.slug);

/**
 * Every system with its effective SLA (tier defaults + overrides, `effectiveSla`) and owner team,
 * and every team, for the scope filters. A system whose tier has no SLA defaults is left out (as on
 * the reliability page): the formulas cannot judge it without intervals.
 */
export async function loadCoverageCatalog(db: Database): Promise<CoverageCatalog> {
  const [rows, tiers, teamRows] = await Promise.all([
    db
      .select({
        id: systemsTable.id,
        slug: systemsTable.slug,
        name: systemsTable.name,
        tier: systemsTable.tier,
        lifecycle: systemsTable.lifecycle,
        overrides: systemsTable.slaOverrides,
        ownerTeam: teams.slug,
        ownerTeamName: teams.name,
      })
      .from(systemsTable)
      .leftJoin(teams, eq(teams.id, systemsTable.ownerTeamId)),
    db.select().from(slas),
    db.select({ slug: teams.slug, name: teams.name }).from(teams).orderBy(asc(teams.name)),
  ]);
  const byTier = new Map(tiers.map((t) => [t.tier, t]));
  const systems: CoverageCatalogSystem[] = [];
  for (const r of rows) {
    const sla = effectiveSla(byTier.get(r.tier), r.overrides);
    if (!sla) continue;
    systems.push({
      id: r.id,
      slug: r.slug,
      name: r.name,
      tier: r.tier,
      lifecycle: r.lifecycle,
      ownerTeam: r.ownerTeam,
      ownerTeamName: r.ownerTeamName,
      sla: {
        drillIntervalDays: sla.drillIntervalDays,
        inspectionIntervalDays: sla.inspectionIntervalDays,
        planReviewIntervalDays: sla.planReviewIntervalDays,
      },
    });
  }
  // Pre-sorted as the formulas sort, so their sorts are one pass.
  systems.sort(byTierNameSlug);
  return { systems, teams: teamRows };
}

/**
 * The days a report is computed as of, oldest first: the month-ends of the `months - 1` months before
 * the one containing `asOf`, then `asOf` (exactly the points `coverageTrend` uses; it is asked, with
 * no rows, so the two can never disagree). `months = 1` gives just `asOf`.
 */
export function coverageAsOfDays(asOf: Date, months: number = TREND_MONTHS): Date[] {
  return coverageTrend({ systems: [], plans: [], drills: [], inspections: [], runbooks: [] }, months, asOf).map((p) => p.asOf);
}

/** `{a,b}` array literal of UTC instants, for one `::timestamptz[]` parameter. */
function timestampArray(dates: Date[]): string {
  return `{${dates.map((d) => `"${d.toISOString()}"`).join(",")}}`;
}

/** Epoch milliseconds of a timestamptz column, as a float8 both drivers return as a JS number. */
const epochMs = (column: SQL) => sql`floor(extract(epoch from ${column}) * 1000)::float8`;

const toDate = (ms: number | string) => new Date(Number(ms));

/**
 * The rows of `query` as one JSON text (`json_agg`), parsed once in JS: tens of thousands of small
 * rows cost postgres.js (and PGlite) far more to decode one by one than one `JSON.parse` of the same
 * data (bench:coverage: ~0.5 s of 65,000 rows). Timestamps must be selected as epoch numbers.
 */
async function jsonRows<T>(db: Database, query: SQL): Promise<T[]> {
  const [row] = rowsOf<{ rows: string | null }>(await db.execute(sql`select json_agg(t)::text as rows from (${query}) t`));
  return row?.rows ? (JSON.parse(row.rows) as T[]) : [];
}

interface DocumentSqlRow {
  id: string;
  kind: "contingency_plan" | "runbook";
  slug: string;
  title: string;
  status: DocumentStatus;
  current_revision: number;
  last_reviewed: string | null;
  revised_ms: number;
  systems: string[] | null;
}
/** `bucket` (pre-aggregated rows only): the row is visible from the `bucket`-th as-of day on (0-based). */
interface RevisionSqlRow {
  document_id: string;
  number: number;
  created_ms: number;
  status: DocumentStatus | null;
  systems: string[] | null;
  bucket?: number;
}
interface ReviewSqlRow {
  document_id: string;
  reviewed_ms: number;
  bucket?: number;
}
interface DrillSqlRow {
  id: string;
  plan_document_id: string;
  plan_revision: number;
  held_ms: number;
  type: DrillType;
  outcome: DrillOutcome;
  bucket?: number;
  /** The plan's first drill (any outcome), which tells whether it was drilled at all by a day. */
  first?: boolean;
}
interface InspectionSqlRow {
  id: string;
  system_slug: string;
  inspected_ms: number;
  result: InspectionResult;
  bucket?: number;
}

/** Rows of the documents, revisions, reviews, drills and inspections, pre-aggregated or complete. */
interface CoverageRows {
  documents: DocumentSqlRow[];
  revisions: RevisionSqlRow[];
  reviews: ReviewSqlRow[];
  /** Pre-aggregated: the latest passed/partial drill of each plan per bucket, and each plan's first drill. */
  drills: DrillSqlRow[];
  /** Pre-aggregated: the latest inspection of each system as of each day (`bucket` = the day's index). */
  inspections: InspectionSqlRow[];
}

const documentsQuery = (db: Database) =>
  jsonRows<DocumentSqlRow>(db, sql`
    select d.id, d.kind, d.slug, d.title, d.status, d.current_revision, d.last_reviewed::text as last_reviewed,
           ${epochMs(sql`r.created_at`)} as revised_ms, r.metadata->'systems' as systems
    from documents d
    join revisions r on r.document_id = d.id and r.number = d.current_revision
    where d.kind in ('contingency_plan', 'runbook')`);

/** Inspections are read in this many slices in parallel (PostgreSQL uses a connection per slice). */
const INSPECTION_SLICES = 4;

/** What the pre-aggregating queries return (see `loadAggregatedRows`). */
interface AggregatedRows {
  /** Plans and runbooks with their current revision's creation time and linked systems. */
  documents: DocumentSqlRow[];
  /** Every revision of a plan or runbook; `bucket` = the number of days when created after the last day. */
  revisions: RevisionSqlRow[];
  /** The latest review of each plan per bucket. */
  reviews: ReviewSqlRow[];
  /** Plan id -> the UTC day of its latest passed/partial drill as of each earlier day (null: none). */
  countingDays: Map<string, Array<number | null>>;
  /**
   * Plan id -> its latest passed/partial drill as of the last day (the newest, ties by smallest id),
   * or, when it has none, its latest drill of any outcome (which only tells that it was drilled).
   */
  lastDrills: DrillSqlRow[];
  /** Per system in scope: the UTC day of its latest inspection as of each earlier day (null: none), and its latest inspection as of the last day. */
  inspections: Array<{ system_slug: string; days: Array<number | null>; last: InspectionSqlRow | null }>;
}

/**
 * The rows of `columns` over `from` (the rest of a `select`) as tuples, read as one JSON text of
 * one array per column (`json_agg` of each column) parsed once in JS (see `jsonRows`): `json_agg`
 * looks up how to write its column's type once, `json_build_array` of a row does it for every value
 * of every row (half the cost of a query of 15,000 revisions).
 */
async function jsonTuples<T extends unknown[]>(db: Database, columns: SQL[], from: SQL): Promise<T[]> {
  const named = sql.join(columns.map((c, i) => sql`${c} as ${sql.raw(`c${i}`)}`), sql`, `);
  const aggregated = sql.join(columns.map((_, i) => sql.raw(`json_agg(t.c${i})`)), sql`, `);
  const [result] = rowsOf<{ columns: string | null }>(
    await db.execute(sql`select json_build_array(${aggregated})::text as columns from (select ${named} ${from}) t`),
  );
  const parsed = result?.columns ? (JSON.parse(result.columns) as Array<unknown[] | null>) : [];
  const first = parsed[0];
  if (!first) return [];
  const rows = new Array<T>(first.length);
  for (let r = 0; r < first.length; r++) {
    const row = new Array<unknown>(parsed.length);
    for (let c = 0; c < parsed.length; c++) row[c] = parsed[c]![r];
    rows[r] = row as T;
  }
  return rows;
}

/**
 * The pre-aggregated rows for the as-of days `days` (ascending; see the module comment), reading
 * inspections only for the systems with ids `inspectedSystemIds` (the systems in scope). Each query
 * returns one JSON text of arrays (no keys, no per-row decoding) and the past days' drills and
 * inspections as UTC day numbers, which is all their figures need.
 */
async function loadAggregatedRows(db: Database, days: Date[], inspectedSystemIds: number[]): Promise<AggregatedRows> {
  // Day k covers everything before the midnight that ends it.
  const cutoffDates = days.map((d) => new Date((utcDay(d) + 1) * DAY_MS));
  const cut = sql`${timestampArray(cutoffDates)}::timestamptz[]`;
  const pastCut = sql`${timestampArray(cutoffDates.slice(0, -1))}::timestamptz[]`;
  const last = sql`${cutoffDates[cutoffDates.length - 1]!.toISOString()}::timestamptz`;
  const dayOf = (column: SQL) => sql`floor(extract(epoch from ${column}) / 86400)::int`;
  const sliceSize = Math.max(1, Math.ceil(inspectedSystemIds.length / INSPECTION_SLICES));
  const slices: number[][] = [];
  for (let i = 0; i < inspectedSystemIds.length; i += sliceSize) slices.push(inspectedSystemIds.slice(i, i + sliceSize));

  type DocumentTuple = [string, DocumentSqlRow["kind"], string, string, DocumentStatus, number, string | null];
  type RevisionTuple = [string, number, number, number, DocumentStatus | null, string[] | null];
  type DrillTuple = [string, Array<number | null> | null, string, number, number, DrillType, DrillOutcome];
  type InspectionTuple = [string, Array<number | null>, string | null, number | null, InspectionResult | null];

  const counting = sql`outcome in ('passed', 'partial')`;
  // `array[day of the latest counting drill before cutoff 0, ..., before the last past cutoff]` (null without a trend).
  const pastDrillDays =
    days.length === 1
      ? sql`null::int[]`
      : sql`array[${sql.join(
          cutoffDates.slice(0, -1).map((c) => dayOf(sql`max(held_at) filter (where ${counting} and held_at < ${c.toISOString()}::timestamptz)`)),
          sql`, `,
        )}]`;
  // Per system, the day of its latest inspection before each past day's cutoff: one probe of
  // inspections_system_latest_idx per system and day (null without a trend).
  const pastInspectionDays =
    days.length === 1
      ? sql`null::int[]`
      : sql`array(select (select ${dayOf(sql`i.inspected_at`)} from inspections i
                          where i.system_id = s.id and i.inspected_at < c.cutoff
                          order by i.inspected_at desc limit 1)
                  from unnest(${pastCut}) with ordinality as c(cutoff, k) order by c.k)`;
  const [documents, revisions, reviews, drills, ...inspections] = await Promise.all([
    jsonTuples<DocumentTuple>(
      db,
      [sql`d.id`, sql`d.kind`, sql`d.slug`, sql`d.title`, sql`d.status`, sql`d.current_revision`, sql`d.last_reviewed::text`],
      sql`from documents d where d.kind in ('contingency_plan', 'runbook')`,
    ),
    jsonTuples<RevisionTuple>(
      db,
      [sql`r.document_id`, sql`r.number`, epochMs(sql`r.created_at`), sql`width_bucket(r.created_at, ${cut})`, sql`r.metadata->>'status'`, sql`r.metadata->'systems'`],
      sql`from revisions r join documents d on d.id = r.document_id where d.kind in ('contingency_plan', 'runbook')`,
    ),
    jsonTuples<[string, number, number]>(
      db,
      [sql`x.document_id`, sql`x.bucket`, epochMs(sql`x.reviewed_at`)],
      sql`from (
            select document_id, width_bucket(reviewed_at, ${cut}) as bucket, max(reviewed_at) as reviewed_at
            from plan_reviews where reviewed_at < ${last} group by 1, 2
          ) x`,
    ),
    // One pass over the drills: per plan, the day of its latest passed/partial drill before each past
    // day's cutoff (the trend), and the time of the row the last day's input needs (its latest
    // passed/partial drill, else its latest drill of any outcome), whose other columns one index
    // probe (drills_plan_idx) fetches, ties going to the smallest id.
    jsonTuples<DrillTuple>(
      db,
      [sql`w.plan_document_id`, sql`w.past`, sql`x.id`, sql`x.plan_revision`, epochMs(sql`w.held_at`), sql`x.type`, sql`x.outcome`],
      sql`from (
            select plan_document_id,
                   coalesce(max(held_at) filter (where ${counting}), max(held_at)) as held_at,
                   bool_or(${counting}) as counts,
                   ${pastDrillDays} as past
            from drills where held_at < ${last} group by plan_document_id
          ) w
          cross join lateral (
            select d.id, d.plan_revision, d.type, d.outcome from drills d
            where d.plan_document_id = w.plan_document_id and d.held_at = w.held_at
              and (d.outcome in ('passed', 'partial')) = w.counts
            order by d.id limit 1
          ) x`,
    ),
    ...slices.map((ids) =>
      jsonTuples<InspectionTuple>(
        db,
        [sql`s.slug`, pastInspectionDays, sql`l.id`, epochMs(sql`l.inspected_at`), sql`l.result`],
        sql`from systems s
            left join lateral (
              select id, inspected_at, result from inspections
              where system_id = s.id and inspected_at < ${last}
              order by inspected_at desc, id
              limit 1
            ) l on true
            where s.id = any(${`{${ids.join(",")}}`}::int[])`,
      ),
    ),
  ]);

  const revisionRows = revisions.map(([document_id, number, created_ms, bucket, status, systems]): RevisionSqlRow => ({
    document_id,
    number,
    created_ms,
    bucket,
    status,
    systems,
  }));
  const current = new Map<string, RevisionSqlRow>();
  const currentNumber = new Map(documents.map((d) => [d[0], d[5]]));
  for (const r of revisionRows) if (currentNumber.get(r.document_id) === r.number) current.set(r.document_id, r);
  const documentRows: DocumentSqlRow[] = [];
  for (const [id, kind, slug, title, status, current_revision, last_reviewed] of documents) {
    const r = current.get(id);
    if (!r) continue; // no current revision row: the document cannot be read (as the join of loadAllCoverageRows)
    documentRows.push({ id, kind, slug, title, status, current_revision, last_reviewed, revised_ms: r.created_ms, systems: r.systems });
  }
  return {
    documents: documentRows,
    revisions: revisionRows,
    reviews: reviews.map(([document_id, bucket, reviewed_ms]) => ({ document_id, bucket, reviewed_ms })),
    countingDays: new Map(drills.map(([plan, past]) => [plan, past ?? []])),
    lastDrills: drills.map(([plan_document_id, _past, id, plan_revision, held_ms, type, outcome]) => ({
      id,
      plan_document_id,
      plan_revision,
      held_ms,
      type,
      outcome,
    })),
    inspections: inspections.flat().map(([system_slug, dayList, id, inspected_ms, result]) => ({
      system_slug,
      days: dayList ?? [],
      last: id === null ? null : { id, system_slug, inspected_ms: inspected_ms!, result: result! },
    })),
  };
}

/**
 * Every row the formulas could look at, unaggregated: the reference the pre-aggregation is tested
 * against (`coverage.server.test.ts`). Reads whole tables; not for pages.
 */
export async function loadAllCoverageRows(db: Database, catalog: CoverageCatalog, scope?: CoverageScope): Promise<CoverageInput> {
  const [documents, revisions, reviews, drills, inspections] = await Promise.all([
    documentsQuery(db),
    db.execute(sql`
      select r.document_id, r.number, ${epochMs(sql`r.created_at`)} as created_ms,
             r.metadata->>'status' as status, r.metadata->'systems' as systems
      from revisions r join documents d on d.id = r.document_id
      where d.kind in ('contingency_plan', 'runbook')`),
    db.execute(sql`select document_id, ${epochMs(sql`reviewed_at`)} as reviewed_ms from plan_reviews`),
    db.execute(sql`
      select id, plan_document_id, plan_revision, ${epochMs(sql`held_at`)} as held_ms, type, outcome
      from drills order by held_at, id`),
    db.execute(sql`
      select i.id, s.slug as system_slug, ${epochMs(sql`i.inspected_at`)} as inspected_ms, i.result
      from inspections i join systems s on s.id = i.system_id order by i.inspected_at, i.id`),
  ]);
  return toCoverageInput(
    catalog,
    {
      documents: rowsOf<DocumentSqlRow>(documents),
      revisions: rowsOf<RevisionSqlRow>(revisions),
      reviews: rowsOf<ReviewSqlRow>(reviews),
      drills: rowsOf<DrillSqlRow>(drills),
      inspections: rowsOf<InspectionSqlRow>(inspections),
    },
    scope,
  );
}

/** Oldest first, ties by id: the order in which the formulas pick the same winner as the SQL. */
function byTimeThenId<T extends { id: string | number; date: Date }>(a: T, b: T): number {
  return a.date.getTime() - b.date.getTime() || (String(a.id) < String(b.id) ? -1 : String(a.id) > String(b.id) ? 1 : 0);
}

const bySlug = (a: { slug: string }, b: { slug: string }) => a.slug.localeCompare(b.slug);

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

/** A revision; status and systems left out when the metadata lacks them (the formulas then use the document's). */
function revisionRow(r: RevisionSqlRow): DocumentRevisionRow {
  const row: DocumentRevisionRow = { number: r.number, createdAt: toDate(r.created_ms) };
  if (r.status) row.status = r.status;
  if (Array.isArray(r.systems)) row.systems = r.systems;
  return row;
}

/** The document-level fields of a plan (its revisions and reviews are added per input). */
function planBase(d: DocumentSqlRow): Omit<ContingencyPlanRow, "revisions" | "reviews"> {
  return {
    slug: d.slug,
    title: d.title,
    status: d.status,
    systems: Array.isArray(d.systems) ? d.systems : [],
    currentRevision: d.current_revision,
    lastRevisionAt: toDate(d.revised_ms),
    lastReviewedAt: d.last_reviewed ? new Date(`${d.last_reviewed}T00:00:00Z`) : null,
  };
}

/**
 * A plan row, spelled out field by field: an object spread here made V8 build slow dictionary objects
 * that every formula then read 6,000 times per trend point.
 */
function planRow(base: Omit<ContingencyPlanRow, "revisions" | "reviews">, revisions: DocumentRevisionRow[], reviews: Date[]): ContingencyPlanRow {
  return {
    slug: base.slug,
    title: base.title,
    status: base.status,
    systems: base.systems,
    currentRevision: base.currentRevision,
    lastRevisionAt: base.lastRevisionAt,
    lastReviewedAt: base.lastReviewedAt,
    revisions,
    reviews,
  };
}

/** Complete rows into the formulas' input (every row, sorted as the formulas sort them). */
function toCoverageInput(catalog: CoverageCatalog, rows: CoverageRows, scope?: CoverageScope): CoverageInput {
  const revisionsByDoc = groupBy(rows.revisions, (r) => r.document_id);
  const reviewsByDoc = groupBy(rows.reviews, (r) => r.document_id);
  const planSlugById = new Map<string, string>();
  const plans: ContingencyPlanRow[] = [];
  const runbooks: RunbookRow[] = [];
  for (const d of [...rows.documents].sort(bySlug)) {
    const revisions = (revisionsByDoc.get(d.id) ?? []).sort((a, b) => a.number - b.number).map(revisionRow);
    if (d.kind === "runbook") {
      runbooks.push({ slug: d.slug, status: d.status, systems: Array.isArray(d.systems) ? d.systems : [], revisions });
      continue;
    }
    planSlugById.set(d.id, d.slug);
    const reviews = (reviewsByDoc.get(d.id) ?? []).map((r) => toDate(r.reviewed_ms)).sort((a, b) => a.getTime() - b.getTime());
    plans.push(planRow(planBase(d), revisions, reviews));
  }
  const drills: DrillRow[] = rows.drills
    .filter((d) => planSlugById.has(d.plan_document_id))
    .map((d) => drillRow(d, planSlugById.get(d.plan_document_id)!))
    .sort(byTimeThenId);
  const inspections: InspectionRow[] = rows.inspections.map(inspectionRow).sort(byTimeThenId);
  return { systems: catalog.systems, plans, drills, inspections, runbooks, ...(scope ? { scope } : {}) };
}

const drillRow = (d: DrillSqlRow, planSlug: string): DrillRow => ({
  id: d.id,
  planSlug,
  planRevision: d.plan_revision,
  date: toDate(d.held_ms),
  outcome: d.outcome,
  type: d.type,
});

const inspectionRow = (i: InspectionSqlRow): InspectionRow => ({
  id: i.id,
  systemSlug: i.system_slug,
  date: toDate(i.inspected_ms),
  result: i.result,
});

/**
 * For each of `dayCount` days, the row of the highest bucket up to that day that `better` prefers
 * (a row of bucket b is visible from day b on), or null. A document has at most one row per bucket.
 */
function winnersByDay<T extends { bucket?: number }>(list: readonly T[] | undefined, dayCount: number, better: (a: T, b: T) => boolean): Array<T | null> {
  const out = new Array<T | null>(dayCount).fill(null);
  if (!list) return out;
  for (const row of list) {
    for (let k = row.bucket ?? 0; k < dayCount; k++) {
      const best = out[k];
      if (best === null || better(row, best!)) out[k] = row;
    }
  }
  return out;
}

const dayOfMs = (ms: number | string) => Math.floor(Number(ms) / DAY_MS);

/** What a report is computed from (see `loadCoverageInputs`). */
export interface CoverageDayInputs {
  /** The formulas' input as of the last as-of day: only the rows that win as of that day. */
  input: CoverageInput;
  /** The figures' facts of each earlier as-of day, oldest first (one fewer than the days). */
  trend: CoverageFacts[];
}

/**
 * Pre-aggregated rows into the last day's input (the highest revision, the latest review, the latest
 * passed/partial drill and the first drill of each plan, each system's latest inspection: the smallest
 * input that gives that day's metrics, shortfalls and matrix) and, for each earlier day, the facts its
 * figures need (`CoverageFacts`, UTC day numbers, no Date objects).
 */
function toDayInputs(catalog: CoverageCatalog, rows: AggregatedRows, scope: CoverageScope, days: Date[]): CoverageDayInputs {
  const dayCount = days.length;
  const lastDay = dayCount - 1;
  const dayNumbers = days.map(utcDay);
  const revisionsByDoc = groupBy(rows.revisions, (r) => r.document_id);
  const reviewsByDoc = groupBy(rows.reviews, (r) => r.document_id);
  const lastDrillByPlan = new Map(rows.lastDrills.map((d) => [d.plan_document_id, d]));
  const byNumber = (a: RevisionSqlRow, b: RevisionSqlRow) => a.number > b.number;

  const trend = Array.from({ length: lastDay }, () => ({
    plans: [] as PlanFacts[],
    runbooks: [] as Array<readonly string[]>,
    inspectionDays: new Map<string, number>(),
  }));
  const plans: ContingencyPlanRow[] = [];
  const runbooks: RunbookRow[] = [];
  const drills: DrillRow[] = [];
  // Code-unit order is enough here (the formulas sort by slug themselves) and far cheaper than localeCompare.
  const bySlugCodeUnits = (a: DocumentSqlRow, b: DocumentSqlRow) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0);
  for (const d of [...rows.documents].sort(bySlugCodeUnits)) {
    const revisions = winnersByDay(revisionsByDoc.get(d.id), dayCount, byNumber);
    const docSystems: string[] = Array.isArray(d.systems) ? d.systems : [];
    if (d.kind === "runbook") {
      for (let k = 0; k < lastDay; k++) {
        const r = revisions[k];
        if (r && (r.status ?? d.status) === "published") trend[k]!.runbooks.push(Array.isArray(r.systems) ? r.systems : docSystems);
      }
      const r = revisions[lastDay];
      if (r) runbooks.push({ slug: d.slug, status: d.status, systems: docSystems, revisions: [revisionRow(r)] });
      continue;
    }
    const reviews = winnersByDay(reviewsByDoc.get(d.id), dayCount, (a, b) => a.reviewed_ms > b.reviewed_ms);
    // The day of the latest passed/partial drill as of each past day (none when never drilled).
    const countingDays = rows.countingDays.get(d.id) ?? [];
    const documentReviewDay = d.last_reviewed ? dayOfMs(Date.parse(`${d.last_reviewed}T00:00:00Z`)) : null;
    let previous: PlanFacts | null = null;
    for (let k = 0; k < lastDay; k++) {
      const r = revisions[k];
      if (!r || (r.status ?? d.status) !== "published") continue;
      const today = dayNumbers[k]!;
      const review = reviews[k];
      let reviewDay = review ? dayOfMs(review.reviewed_ms) : null;
      if (documentReviewDay !== null && documentReviewDay <= today && (reviewDay === null || documentReviewDay > reviewDay)) reviewDay = documentReviewDay;
      const systems = Array.isArray(r.systems) ? r.systems : docSystems;
      const evidenceDay = reviewDay ?? dayOfMs(r.created_ms);
      const lastDrillDay = countingDays[k] ?? null;
      // Facts are values: a plan that did not change between two days gives the same object to both.
      if (!previous || previous.systems !== systems || previous.evidenceDay !== evidenceDay || previous.lastDrillDay !== lastDrillDay) {
        previous = { slug: d.slug, systems, evidenceDay, lastDrillDay };
      }
      trend[k]!.plans.push(previous);
    }
    const r = revisions[lastDay];
    if (!r) continue; // the plan did not exist yet as of the last day
    const review = reviews[lastDay];
    plans.push(planRow(planBase(d), [revisionRow(r)], review ? [toDate(review.reviewed_ms)] : []));
    // The latest counting drill, or a failed one that only tells the plan was drilled.
    const drill = lastDrillByPlan.get(d.id);
    if (drill) drills.push(drillRow(drill, d.slug));
  }
  const inspections: InspectionRow[] = [];
  for (const i of rows.inspections) {
    if (i.last) inspections.push(inspectionRow(i.last));
    for (let k = 0; k < lastDay; k++) {
      const day = i.days[k];
      if (day !== null && day !== undefined) trend[k]!.inspectionDays.set(i.system_slug, day);
    }
  }
  return { input: { systems: catalog.systems, plans, drills, inspections, runbooks, scope }, trend };
}

/**
 * What the report as of the last of `days` (UTC, ascending; see `coverageAsOfDays`) for `scope` is
 * computed from, pre-aggregated in SQL (module comment): `input` gives the same metrics as of the last
 * day as the complete rows would, and `trend[k]` the same figures as of `days[k]` (`figuresFromFacts`).
 * Throws RangeError when `days` is empty or not ascending.
 */
export async function loadCoverageInputs(
  db: Database,
  catalog: CoverageCatalog,
  days: Date[],
  scope: CoverageScope = {},
): Promise<CoverageDayInputs> {
  if (days.length === 0) throw new RangeError("days must name at least one as-of day");
  for (let k = 1; k < days.length; k++) {
    if (utcDay(days[k]!) <= utcDay(days[k - 1]!)) throw new RangeError("days must be distinct UTC days in ascending order");
  }
  const ids = new Map(catalog.systems.map((s) => [s.slug, s.id]));
  const inScope = systemsInScope(catalog.systems, scope).map((s) => ids.get(s.slug)!);
  const rows = await loadAggregatedRows(db, days, inScope);
  return toDayInputs(catalog, rows, scope, days);
}

/**
 * The coverage dashboard as of the UTC day of `asOf` for `scope`: Metrics 1-4 with shortfalls and
 * items, the matrix and, unless `trend: false`, the 12-month trend (shared/domain.md, "Metrics" 1-4,
 * "Trend views"; the same points as `coverageTrend`). Reads the database (a few queries, see the
 * module comment); throws on database errors.
 *
 * The trend's past months come from {@link coverageCaches} while no change since they were computed
 * reaches back before the end of the last of them (app/lib/data-version.server.ts, migration 0006):
 * a past point depends only on its month-end day, the scope, the catalog's systems (tier, lifecycle,
 * owner team, intervals) and the rows dated up to that day, so a drill, inspection, review or
 * revision dated this month leaves them cached, one dated in a past month has only the month-ends
 * from its date on read again, and a catalog edit has them all computed again. On a hit only the as-of day's rows are read
 * (what `trend: false` reads); on a miss all days are read at once and give both. Days are UTC, so
 * the reader's time zone does not enter. The last point is always the as-of day's figures, fresh.
 */
export async function coverageReport(
  db: Database,
  options: { asOf: Date; scope?: CoverageScope; trend?: boolean; catalog?: CoverageCatalog },
): Promise<CoverageReport> {
  const scope = options.scope ?? {};
  const asOf = new Date(utcDay(options.asOf) * DAY_MS);
  const withTrend = options.trend ?? true;
  const catalog = options.catalog ?? (await coverageCatalog(db));
  const days = coverageAsOfDays(asOf, withTrend ? TREND_MONTHS : 1);
  const caches = coverageCaches(db);
  const inputKey = scopeKey([utcDay(asOf)], scope, catalog);
  /** The as-of day's input, from the cache or read alone (only the as-of day's rows). */
  const asOfInput = async () =>
    (await caches.input.get(db, inputKey, async () => frozenInput((await loadCoverageInputs(db, catalog, [asOf], scope)).input), { tables: COVERAGE_TABLES })).value;
  if (days.length === 1) return reportWithPastTrend(await asOfInput(), asOf, catalog, null);

  const pastDays = days.slice(0, -1);
  const cutoffOf = (day: Date) => (utcDay(day) + 1) * DAY_MS;
  let computed: CoverageDayInputs | null = null;
  /** The trend points of `daysToRead` (some of the past days), read in one go with the as-of day. */
  const pointsOf = async (daysToRead: Date[]) => {
    // The as-of day's input is kept too (its version is read before these rows as well), so the
    // next load finds both.
    const read = [...daysToRead, asOf];
    await caches.input.get(
      db,
      inputKey,
      async () => {
        computed = await loadCoverageInputs(db, catalog, read, scope);
        return frozenInput(computed.input);
      },
      { tables: COVERAGE_TABLES },
    );
    computed ??= await loadCoverageInputs(db, catalog, read, scope);
    return pastTrendPoints(computed.trend, daysToRead, catalog, scope).map((p) => Object.freeze(p));
  };
  const past = await caches.trend.get(db, scopeKey(pastDays.map(utcDay), scope, catalog), async () => Object.freeze(await pointsOf(pastDays)), {
    tables: COVERAGE_TABLES,
    dependsBefore: new Date(cutoffOf(pastDays[pastDays.length - 1]!)),
    // A change dated in a past month (a late drill report): the month-ends before it are kept and
    // only the later ones read again (a change at t can alter a day whose cutoff is at or after t).
    refresh: async (previous, since) => {
      const kept = pastDays.filter((day) => cutoffOf(day) < since.getTime()).length;
      return Object.freeze([...previous.slice(0, kept), ...(await pointsOf(pastDays.slice(kept)))]);
    },
  });
  // On a trend hit (or another request's computation of the same entry) only the as-of day is read, if at all.
  const input = (computed as CoverageDayInputs | null)?.input ?? (await asOfInput());
  return reportWithPastTrend(input, asOf, catalog, past.value);
}

/**
 * `input` for the cache: the object and its row lists frozen (a push or an in-place sort by mistake
 * throws in strict mode instead of changing every later report; freezing every row as well cost
 * ~20-50 ms per cold load), with a copy of the scope so the caller's own object is left alone.
 */
function frozenInput(input: CoverageInput): CoverageInput {
  const scope = input.scope ? structuredClone(input.scope) : undefined;
  for (const list of [input.systems, input.plans, input.drills, input.inspections, input.runbooks]) Object.freeze(list);
  return Object.freeze({ ...input, ...(scope ? { scope: Object.freeze(scope) } : {}) });
}

/** The coverage caches of one database (a test process opens many; their data versions are unrelated). */
interface CoverageCaches {
  /** {@link loadCoverageCatalog}'s result, under the key "catalog" (stale only after a catalog change). */
  catalog: VersionedCache<CoverageCatalog>;
  /**
   * The trend points of the days before the as-of day (frozen; oldest first), under {@link scopeKey}
   * of those days; stale only after a change reaching back before the last of those days ends.
   */
  trend: VersionedCache<readonly CoverageTrendPoint[]>;
  /** The as-of day's input to the formulas (deeply frozen), under {@link scopeKey} of that day; stale after any write. */
  input: VersionedCache<CoverageInput>;
}

// An input of the whole bank-scale scope is a few MB; a trend is 11 points.
const perDatabase = cachesPerDatabase<CoverageCaches>(() => ({
  catalog: new VersionedCache({ max: 2 }),
  trend: new VersionedCache({ max: 64 }),
  input: new VersionedCache({ max: 8 }),
}));

/**
 * The coverage caches of `db` (created on first use). Entries are checked against the data version
 * and its change log (see each cache); each holds a computed result that callers share and must not modify.
 */
export function coverageCaches(db: Database): CoverageCaches {
  return perDatabase.of(db);
}

/** Forgets every cached catalog and trend of every database (bench:coverage measures the cold path with it). */
export function clearCoverageCaches(): void {
  perDatabase.clear();
}

/**
 * {@link loadCoverageCatalog} through the data-version cache: the same object for every caller until
 * a change to the catalog (teams, SLAs, systems) commits. Do not modify it.
 */
export async function coverageCatalog(db: Database): Promise<CoverageCatalog> {
  return (await coverageCaches(db).catalog.get(db, "catalog", () => loadCoverageCatalog(db), { tables: CATALOG_TABLES, dependsBefore: null })).value;
}

/**
 * A digest of what the figures read from `catalog` (each system's slug, tier, lifecycle, owner team
 * and intervals), so a trend computed with another catalog is never taken for this one.
 */
const catalogFingerprint = memoizedDigest<CoverageCatalog>((catalog) =>
  catalog.systems.map((s) => {
    const { drillIntervalDays, inspectionIntervalDays, planReviewIntervalDays } = s.sla;
    return `${s.slug}\t${s.tier}\t${s.lifecycle}\t${s.ownerTeam ?? ""}\t${drillIntervalDays ?? ""}\t${inspectionIntervalDays}\t${planReviewIntervalDays}`;
  }),
);

/**
 * What figures as of `days` (UTC day numbers) depend on besides the rows: those days, the scope
 * (each filter's values sorted and deduplicated: they are ORed, so order does not matter) and the
 * catalog. Days are UTC calendar days, so the reader's time zone does not enter.
 */
function scopeKey(days: number[], scope: CoverageScope, catalog: CoverageCatalog): string {
  const set = <T extends string | number>(values: T[] | undefined) => (values?.length ? [...new Set(values)].sort() : null);
  return JSON.stringify([
    days,
    set(scope.team),
    set(scope.tier),
    set(scope.system),
    catalogFingerprint(catalog),
  ]);
}

/** The trend points of `pastDays` (each as the one-month point `coverageTrend` gives for it, figures only). */
function pastTrendPoints(facts: CoverageFacts[], pastDays: Date[], catalog: CoverageCatalog, scope: CoverageScope): CoverageTrendPoint[] {
  return pastDays.map((day, k) => ({
    ...coverageTrend(NO_ROWS, 1, day)[0]!,
    ...figuresFromFacts(catalog.systems, scope, facts[k]!, utcDay(day)),
  }));
}

const NO_ROWS: CoverageInput = { systems: [], plans: [], drills: [], inspections: [], runbooks: [] };
const figures = ({ value, numerator, denominator }: MetricSummary): MetricSummary => ({ value, numerator, denominator });

/**
 * The report from `loadCoverageInputs`' result for `days` (the last day is the report's): the
 * snapshot of the last day, and each earlier day as the one-month trend point `coverageTrend` gives
 * for it (figures only). Pure.
 */
export function reportFromInputs(inputs: CoverageDayInputs, days: Date[], catalog: CoverageCatalog): CoverageReport {
  const asOf = days[days.length - 1]!;
  const past = days.length === 1 ? null : pastTrendPoints(inputs.trend, days.slice(0, -1), catalog, inputs.input.scope ?? {});
  return reportWithPastTrend(inputs.input, asOf, catalog, past);
}

/**
 * The report as of `asOf` from its input, with `past` (the trend points before `asOf`'s, oldest
 * first) followed by `asOf`'s own point; no trend when `past` is null. Pure.
 */
function reportWithPastTrend(input: CoverageInput, asOf: Date, catalog: CoverageCatalog, past: readonly CoverageTrendPoint[] | null): CoverageReport {
  const snapshot = coverageSnapshot(input, asOf);
  const trend: CoverageTrendPoint[] =
    past === null
      ? []
      : [
          // Copies: the cached points are shared between reports.
          ...past.map((p) => ({ ...p, asOf: new Date(p.asOf), plan: { ...p.plan }, drill: { ...p.drill }, inspection: { ...p.inspection }, runbook: { ...p.runbook } })),
          {
            ...coverageTrend(NO_ROWS, 1, asOf)[0]!,
            plan: figures(snapshot.plan),
            drill: figures(snapshot.drill),
            inspection: figures(snapshot.inspection),
            runbook: figures(snapshot.runbook),
          },
        ];
  const planTitles: Record<string, string> = {};
  for (const p of input.plans) planTitles[p.slug] = p.title;
  return { asOf, scope: input.scope ?? {}, ...snapshot, trend, planTitles, catalog };
}
