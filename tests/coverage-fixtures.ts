/**
 * A small continuity history for the coverage dashboard tests, written straight into the tables with
 * drizzle (no commands): 2 teams, 6 systems (one retired, one tier 4 without drill interval, one with a
 * 90-day drill override), 5 contingency plans with revision histories (a draft that became published, a
 * plan archived later, a plan of a retired system only, plans with several systems), reviews, drills
 * (failed ones, an older revision, two at the same instant, some just before and after midnight at a
 * month end, some after the as-of days) and inspections (ties, a system never inspected), and 3
 * runbooks (one published late, one archived). Slugs start with `cov-` so the fixture sits beside the
 * demo content. Returns the slugs and the as-of days the tests use.
 */
import { sql } from "drizzle-orm";
import type { Database } from "#db/client";
import { drills, inspections, planReviews } from "#db/schema/continuity";
import { slas, systems, teams } from "#db/schema/catalog";
import { documents, revisions, type RevisionMetadata } from "#db/schema/documents";

const d = (iso: string) => new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
/** Fixed ids, so ties between rows at the same instant have a known order. */
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

export const COVERAGE_AS_OF_DAYS = ["2026-11-22", "2026-07-31", "2026-03-15", "2025-12-31"] as const;

interface PlanSpec {
  slug: string;
  kind: "contingency_plan" | "runbook";
  revisions: Array<{ at: string; status: "draft" | "published" | "archived"; systems: string[] }>;
  lastReviewed?: string;
}

const DOCS: PlanSpec[] = [
  {
    slug: "cov/plan-core",
    kind: "contingency_plan",
    revisions: [
      { at: "2025-10-01T09:00:00Z", status: "published", systems: ["cov-alpha"] },
      { at: "2026-06-15T10:00:00Z", status: "published", systems: ["cov-alpha", "cov-beta"] },
    ],
  },
  {
    slug: "cov/plan-ledger",
    kind: "contingency_plan",
    revisions: [
      { at: "2026-03-01T08:00:00Z", status: "draft", systems: ["cov-beta", "cov-gamma"] },
      { at: "2026-04-01T08:00:00Z", status: "published", systems: ["cov-beta", "cov-gamma"] },
    ],
    lastReviewed: "2026-05-20",
  },
  {
    slug: "cov/plan-old",
    kind: "contingency_plan",
    revisions: [
      { at: "2025-06-01T08:00:00Z", status: "published", systems: ["cov-gamma", "cov-eps"] },
      { at: "2026-08-01T08:00:00Z", status: "archived", systems: ["cov-gamma", "cov-eps"] },
    ],
  },
  {
    slug: "cov/plan-retired",
    kind: "contingency_plan",
    revisions: [{ at: "2025-09-01T08:00:00Z", status: "published", systems: ["cov-delta"] }],
  },
  {
    slug: "cov/plan-new",
    kind: "contingency_plan",
    revisions: [{ at: "2026-11-10T08:00:00Z", status: "published", systems: ["cov-eps", "cov-alpha", "cov-eps"] }],
  },
  { slug: "cov/rb-alpha", kind: "runbook", revisions: [{ at: "2025-01-01T00:00:00Z", status: "published", systems: ["cov-alpha"] }] },
  {
    slug: "cov/rb-beta",
    kind: "runbook",
    revisions: [
      { at: "2025-12-01T00:00:00Z", status: "draft", systems: ["cov-beta"] },
      { at: "2026-05-01T00:00:00Z", status: "published", systems: ["cov-beta"] },
    ],
  },
  {
    slug: "cov/rb-eps",
    kind: "runbook",
    revisions: [
      { at: "2025-02-01T00:00:00Z", status: "published", systems: ["cov-eps"] },
      { at: "2026-07-01T00:00:00Z", status: "archived", systems: ["cov-eps"] },
    ],
  },
];

const TIER_DEFAULTS = [
  { tier: 1, availability: 0.9995, rtoMinutes: 30, rpoMinutes: 0, drillIntervalDays: 182, inspectionIntervalDays: 1, planReviewIntervalDays: 182 },
  { tier: 2, availability: 0.999, rtoMinutes: 120, rpoMinutes: 15, drillIntervalDays: 365, inspectionIntervalDays: 7, planReviewIntervalDays: 365 },
  { tier: 3, availability: 0.995, rtoMinutes: 480, rpoMinutes: 60, drillIntervalDays: 365, inspectionIntervalDays: 30, planReviewIntervalDays: 365 },
  { tier: 4, availability: 0.99, rtoMinutes: 1440, rpoMinutes: 1440, drillIntervalDays: null, inspectionIntervalDays: 90, planReviewIntervalDays: 730 },
];

/** Inserts the fixture (and the tier SLA defaults when missing). */
export async function seedCoverageFixture(db: Database) {
  await db
    .insert(slas)
    .values(TIER_DEFAULTS.map((t) => ({ ...t, responseMinutes: { SEV1: 5, SEV2: 15, SEV3: 60, SEV4: 240 } })))
    .onConflictDoNothing();
  const [teamA, teamB] = await db
    .insert(teams)
    .values([
      { slug: "cov-team-a", name: "Coverage team A" },
      { slug: "cov-team-b", name: "Coverage team B" },
    ])
    .returning({ id: teams.id });
  const systemRows = await db
    .insert(systems)
    .values([
      { slug: "cov-alpha", name: "Alpha", tier: 1, ownerTeamId: teamA!.id },
      { slug: "cov-beta", name: "Beta", tier: 2, ownerTeamId: teamA!.id },
      { slug: "cov-gamma", name: "Gamma", tier: 4, ownerTeamId: teamB!.id },
      { slug: "cov-delta", name: "Delta", tier: 3, ownerTeamId: teamB!.id, lifecycle: "retired" as const },
      { slug: "cov-eps", name: "Epsilon", tier: 2, ownerTeamId: teamB!.id, slaOverrides: { drillIntervalDays: 90 } },
      { slug: "cov-zeta", name: "Zeta", tier: 3, ownerTeamId: null },
    ])
    .returning({ id: systems.id, slug: systems.slug });
  const systemId = Object.fromEntries(systemRows.map((s) => [s.slug, s.id]));

  const docId: Record<string, string> = {};
  for (const doc of DOCS) {
    const current = doc.revisions[doc.revisions.length - 1]!;
    const [row] = await db
      .insert(documents)
      .values({
        slug: doc.slug,
        kind: doc.kind,
        title: `Title of ${doc.slug}`,
        status: current.status,
        currentRevision: doc.revisions.length,
        lastReviewed: doc.lastReviewed ?? null,
      })
      .returning({ id: documents.id });
    docId[doc.slug] = row!.id;
    await db.insert(revisions).values(
      doc.revisions.map((r, i) => {
        const metadata: RevisionMetadata = {
          kind: doc.kind,
          status: r.status,
          systems: r.systems,
          tags: [],
          alerts: [],
          owner: null,
          lastReviewed: null,
          extra: {},
        };
        return {
          documentId: row!.id,
          number: i + 1,
          title: `Title of ${doc.slug}`,
          body: "Steps.",
          metadata,
          author: "fixture",
          contentHash: `${doc.slug}-${i + 1}`,
          createdAt: d(r.at),
        };
      }),
    );
  }

  await db.insert(planReviews).values([
    { documentId: docId["cov/plan-core"]!, revision: 1, reviewedAt: d("2026-01-10T12:00:00Z"), reviewer: "fixture" },
    { documentId: docId["cov/plan-core"]!, revision: 2, reviewedAt: d("2026-09-01T12:00:00Z"), reviewer: "fixture" },
    { documentId: docId["cov/plan-retired"]!, revision: 1, reviewedAt: d("2026-02-01T12:00:00Z"), reviewer: "fixture" },
  ]);

  const drill = (n: number, plan: string, planRevision: number, at: string, outcome: "passed" | "partial" | "failed") => ({
    id: id(n),
    planDocumentId: docId[plan]!,
    planRevision,
    scenario: "DB failover",
    heldAt: d(at),
    type: "simulation" as const,
    outcome,
    origin: "demo" as const,
    recordedBy: "fixture",
  });
  await db.insert(drills).values([
    drill(1, "cov/plan-core", 1, "2025-11-20T10:00:00Z", "passed"),
    drill(2, "cov/plan-core", 1, "2026-05-10T10:00:00Z", "failed"),
    // Two drills at the same instant: the one with the smaller id (3, revision 1) is the one that counts.
    drill(4, "cov/plan-core", 2, "2026-07-31T23:59:59Z", "partial"),
    drill(3, "cov/plan-core", 1, "2026-07-31T23:59:59Z", "passed"),
    drill(5, "cov/plan-core", 2, "2026-08-01T00:00:00Z", "passed"),
    drill(6, "cov/plan-ledger", 1, "2026-02-15T10:00:00Z", "failed"),
    drill(7, "cov/plan-ledger", 2, "2026-04-20T10:00:00Z", "failed"),
    drill(8, "cov/plan-old", 1, "2025-07-01T10:00:00Z", "passed"),
    drill(9, "cov/plan-old", 1, "2026-01-15T10:00:00Z", "partial"),
    drill(10, "cov/plan-retired", 1, "2025-10-01T10:00:00Z", "passed"),
    drill(11, "cov/plan-new", 1, "2026-12-01T10:00:00Z", "passed"),
    drill(12, "cov/plan-core", 2, "2026-11-23T00:00:00Z", "passed"),
  ]);

  const inspection = (n: number, system: string, at: string, result: "ok" | "warning" | "failed") => ({
    id: id(1000 + n),
    systemId: systemId[system]!,
    inspectedAt: d(at),
    inspector: "fixture",
    result,
    origin: "api" as const,
    recordedBy: "fixture",
  });
  await db.insert(inspections).values([
    inspection(1, "cov-alpha", "2025-12-31T23:00:00Z", "ok"),
    inspection(2, "cov-alpha", "2026-07-30T08:00:00Z", "warning"),
    inspection(4, "cov-alpha", "2026-11-22T06:00:00Z", "ok"),
    inspection(3, "cov-alpha", "2026-11-22T06:00:00Z", "failed"),
    inspection(5, "cov-beta", "2026-03-10T08:00:00Z", "ok"),
    inspection(6, "cov-beta", "2026-07-25T08:00:00Z", "ok"),
    inspection(7, "cov-beta", "2026-11-01T08:00:00Z", "warning"),
    inspection(8, "cov-delta", "2026-11-20T08:00:00Z", "ok"),
    inspection(9, "cov-eps", "2026-01-05T08:00:00Z", "ok"),
    inspection(10, "cov-eps", "2026-11-18T08:00:00Z", "ok"),
    inspection(11, "cov-zeta", "2026-10-25T08:00:00Z", "ok"),
    inspection(12, "cov-zeta", "2026-11-23T00:00:01Z", "ok"),
  ]);
  await db.execute(sql`analyze`);
  return { systemId, docId };
}
