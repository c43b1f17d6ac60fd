/**
 * The coverage loader against a real database (PGlite, or PostgreSQL with DATABASE_URL): the figures
 * from the SQL pre-aggregation (`coverageReport`) must equal the pure formulas fed every row of every
 * table (`loadAllCoverageRows`), for several as-of days and scopes, trend included; and the
 * pre-aggregation must really feed fewer rows. Fixture: tests/coverage-fixtures.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { createTestDatabase } from "../../tests/db";
import { COVERAGE_AS_OF_DAYS, seedCoverageFixture } from "../../tests/coverage-fixtures";
import {
  SHORTFALL_REASONS as R,
  coverageMatrix,
  coverageTrend,
  drillCoverage,
  inspectionCoverage,
  planCoverage,
  runbookCoverage,
  type CoverageScope,
} from "./coverage";
import { coverageAsOfDays, coverageReport, loadAllCoverageRows, loadCoverageCatalog, loadCoverageInputs } from "./coverage.server";

let handle: DatabaseHandle;

beforeAll(async () => {
  handle = await createTestDatabase();
  await seedCoverageFixture(handle.db);
}, 60_000);

afterAll(async () => {
  await handle?.close();
});

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

const SCOPES: Array<[string, CoverageScope]> = [
  ["whole catalog", {}],
  ["team cov-team-a", { team: ["cov-team-a"] }],
  ["tiers 2 and 4", { tier: [2, 4] }],
  ["systems cov-eps and cov-zeta", { system: ["cov-eps", "cov-zeta"] }],
  ["team b, tier 2", { team: ["cov-team-b"], tier: [2] }],
];

describe("coverageReport: SQL pre-aggregation gives the figures of all rows", () => {
  for (const asOfDay of COVERAGE_AS_OF_DAYS) {
    for (const [name, scope] of SCOPES) {
      it(`as of ${asOfDay}, ${name}`, async () => {
        const asOf = day(asOfDay);
        const catalog = await loadCoverageCatalog(handle.db);
        const all = await loadAllCoverageRows(handle.db, catalog, scope);
        // A time of day on the as-of day must not change anything (the day is what counts).
        const report = await coverageReport(handle.db, { asOf: new Date(asOf.getTime() + 15 * 3_600_000), scope });

        expect(report.asOf).toEqual(asOf);
        expect(report.plan).toEqual(planCoverage(all, asOf));
        expect(report.drill).toEqual(drillCoverage(all, asOf));
        expect(report.inspection).toEqual(inspectionCoverage(all, asOf));
        expect(report.runbook).toEqual(runbookCoverage(all, asOf));
        expect(report.matrix).toEqual(coverageMatrix(all, asOf));
        expect(report.trend).toEqual(coverageTrend(all, 12, asOf));
      });
    }
  }
});

describe("coverageReport on the fixture (hand-checked)", () => {
  it("as of 2026-11-22: the figures an auditor would count by hand", async () => {
    const report = await coverageReport(handle.db, { asOf: day("2026-11-22") });
    const fixture = (slugs: Array<string | undefined>) => slugs.filter((s) => s?.startsWith("cov"));
    // Active fixture systems: alpha (t1), beta (t2), gamma (t4), eps (t2, drill 90 d), zeta (t3); delta is retired.
    expect(fixture(report.matrix.map((r) => r.system))).toEqual(["cov-alpha", "cov-beta", "cov-eps", "cov-zeta", "cov-gamma"]);
    // Inspections (as of 22 Nov): alpha today (two at 06:00: id ...1003 wins, result failed), beta 1 Nov
    // (due 8 Nov, overdue 14 days), eps 18 Nov (due 25 Nov), zeta 25 Oct (due 24 Nov), gamma never.
    const alpha = report.inspection.items.find((i) => i.system === "cov-alpha")!;
    expect(alpha.lastInspection?.id).toBe("00000000-0000-4000-8000-000000001003");
    const shortfalls = report.inspection.shortfalls.filter((s) => s.system?.startsWith("cov"));
    expect(shortfalls).toEqual([
      { system: "cov-gamma", reason: R.neverInspected, dueSince: null, overdueDays: null },
      { system: "cov-beta", reason: R.inspectionOverdue, dueSince: day("2026-11-08"), overdueDays: 14 },
    ]);
    // Drills: plan-core's last counting drill is 1 Aug (interval 182 via alpha): covered, and it
    // exercised revision 2 = current, so not "changed since last drill". plan-ledger has failed drills
    // only; plan-old is archived; plan-retired links only a retired system; plan-new is not drilled
    // yet (its drill is dated 1 Dec).
    const plans = report.drill.items.filter((i) => i.plan.startsWith("cov/"));
    expect(plans.map((p) => [p.plan, p.covered, p.intervalDays])).toEqual([
      ["cov/plan-core", true, 182],
      ["cov/plan-ledger", false, 365],
      ["cov/plan-new", false, 90],
    ]);
    expect(report.drill.shortfalls.filter((s) => s.plan?.startsWith("cov/"))).toEqual([
      { plan: "cov/plan-ledger", reason: R.onlyFailedDrills, dueSince: null, overdueDays: null },
      { plan: "cov/plan-new", reason: R.neverDrilled, dueSince: null, overdueDays: null },
    ]);
    // Runbooks: alpha and beta have one; eps's was archived in July; gamma and zeta never had one.
    expect(report.runbook.items.filter((i) => i.system.startsWith("cov")).map((i) => [i.system, i.covered])).toEqual([
      ["cov-alpha", true],
      ["cov-beta", true],
      ["cov-eps", false],
      ["cov-zeta", false],
      ["cov-gamma", false],
    ]);
  });

  it("as of 2026-07-31: the two drills at 23:59:59 count, the tie goes to the smaller id, and the plan changed since", async () => {
    const report = await coverageReport(handle.db, { asOf: day("2026-07-31"), scope: { system: ["cov-alpha"] } });
    const core = report.drill.items.find((i) => i.plan === "cov/plan-core")!;
    expect(core.lastDrill?.id).toBe("00000000-0000-4000-8000-000000000003");
    expect(core.lastDrill?.planRevision).toBe(1);
    expect(core.currentRevision).toBe(2);
    expect(core.changedSinceLastDrill).toBe(true);
    // The trend's last point is the headline.
    expect(report.trend.at(-1)).toMatchObject({ month: "2026-07", partial: false, drill: { numerator: 1, denominator: 1 } });
  });

  it("feeds the formulas one row per plan, system and runbook as of each day, not every row", async () => {
    const catalog = await loadCoverageCatalog(handle.db);
    const days = coverageAsOfDays(day("2026-11-22"));
    const inputs = await loadCoverageInputs(handle.db, catalog, days, {});
    const all = await loadAllCoverageRows(handle.db, catalog);
    const last = inputs.input;
    // alpha has 4 inspections up to 22 Nov, the day's input holds only the one that counts.
    expect(all.inspections.filter((i) => i.systemSlug === "cov-alpha")).toHaveLength(4);
    expect(last.inspections.filter((i) => i.systemSlug === "cov-alpha").map((i) => i.id)).toEqual(["00000000-0000-4000-8000-000000001003"]);
    // plan-core: 6 drills in all; as of 22 Nov only its latest passed/partial drill (1 Aug). plan-ledger
    // has failed drills only: one of them stands for "drilled, but nothing counts".
    expect(all.drills.filter((d) => d.planSlug === "cov/plan-core")).toHaveLength(6);
    expect(last.drills.filter((d) => d.planSlug === "cov/plan-core").map((d) => d.id)).toEqual(["00000000-0000-4000-8000-000000000005"]);
    expect(last.drills.filter((d) => d.planSlug === "cov/plan-ledger").map((d) => d.outcome)).toEqual(["failed"]);
    expect(last.plans.every((p) => p.revisions?.length === 1)).toBe(true);
    // As of 31 Dec 2025 (the first trend day), plan-ledger and plan-new did not exist yet (plan-old
    // was archived only in August 2026); as of 31 Oct 2026 plan-old is archived and plan-ledger published.
    expect(inputs.trend).toHaveLength(days.length - 1);
    const published = (k: number) => inputs.trend[k]!.plans.map((p) => p.slug).filter((s) => s.startsWith("cov/"));
    expect(published(0)).toEqual(["cov/plan-core", "cov/plan-old", "cov/plan-retired"]);
    expect(published(10)).toEqual(["cov/plan-core", "cov/plan-ledger", "cov/plan-retired"]);
  });

  it("refuses as-of days out of order", async () => {
    const catalog = await loadCoverageCatalog(handle.db);
    await expect(loadCoverageInputs(handle.db, catalog, [day("2026-02-01"), day("2026-01-01")])).rejects.toThrow(RangeError);
    await expect(loadCoverageInputs(handle.db, catalog, [])).rejects.toThrow(RangeError);
  });
});
