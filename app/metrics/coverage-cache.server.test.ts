/**
 * The coverage dashboard's caches (coverage.server.ts, `coverageCaches`: the trend's past months and
 * the as-of day's input), against a real database (PGlite, or PostgreSQL with DATABASE_URL) with the
 * fixture of tests/coverage-fixtures.ts: a report served from the caches equals one computed afresh
 * and the formulas fed every row; a write
 * through the real commands (an inspection or a drill dated in a past trend month) or to the catalog
 * makes the next dashboard compute its trend again, with the new figures, while one dated in the
 * as-of day's month leaves the past months cached; a different catalog never gets another catalog's trend.
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { systems } from "#db/schema/catalog";
import { recordDrill, recordInspection } from "../continuity/continuity.server";
import { VersionedCache, type Cached } from "../lib/data-version.server";
import { createTestDatabase } from "../../tests/db";
import { EDITOR } from "../../tests/continuity-fixtures";
import { seedCoverageFixture } from "../../tests/coverage-fixtures";
import { coverageTrend, type CoverageScope, type CoverageTrendPoint } from "./coverage";
import {
  clearCoverageCaches,
  coverageCaches,
  coverageReport,
  loadAllCoverageRows,
  loadCoverageCatalog,
  type CoverageCatalog,
  type CoverageReport,
} from "./coverage.server";

let handle: DatabaseHandle;

beforeAll(async () => {
  handle = await createTestDatabase();
  await seedCoverageFixture(handle.db);
}, 60_000);

afterAll(async () => {
  await handle?.close();
});

beforeEach(() => {
  clearCoverageCaches();
});

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const AS_OF = day("2026-11-22");
const NOW = new Date("2026-11-22T06:00:00Z");

/**
 * Runs `coverageReport` and says whether its trend and its as-of day's input came from the caches:
 * the lookups of those two caches (`VersionedCache.get` on them) are watched while it runs.
 */
async function reportAndLookup(
  options: { asOf: Date; scope?: CoverageScope; catalog?: CoverageCatalog; trend?: boolean },
): Promise<{ report: CoverageReport; trendHit: boolean; trendRefreshed: boolean; inputHit: boolean }> {
  const spy = vi.spyOn(VersionedCache.prototype, "get");
  try {
    const report = await coverageReport(handle.db, options);
    const { trend, input } = coverageCaches(handle.db);
    const hitsOf = (cache: object) =>
      Promise.all(spy.mock.contexts.flatMap((c, i) => (c === cache ? [spy.mock.results[i]!.value as Promise<Cached<object>>] : [])));
    const trendLookups = await hitsOf(trend);
    const inputLookups = await hitsOf(input);
    expect(trendLookups).toHaveLength(options.trend === false ? 0 : 1);
    return {
      report,
      trendHit: trendLookups.some((l) => l.hit),
      trendRefreshed: trendLookups.some((l) => l.refreshed),
      inputHit: inputLookups.some((l) => l.hit),
    };
  } finally {
    spy.mockRestore();
  }
}

/** The trend the pure formulas give from every row of every table (the reference). */
async function trendFromAllRows(asOf: Date, scope: CoverageScope = {}, catalog?: CoverageCatalog): Promise<CoverageTrendPoint[]> {
  const all = await loadAllCoverageRows(handle.db, catalog ?? (await loadCoverageCatalog(handle.db)), scope);
  return coverageTrend(all, 12, asOf);
}

const point = (report: CoverageReport, month: string) => report.trend.find((p) => p.month === month)!;

describe("the coverage trend cache", () => {
  it("serves the past months from the cache, equal to a fresh computation and to the formulas on every row", async () => {
    const cold = await reportAndLookup({ asOf: AS_OF });
    expect(cold).toMatchObject({ trendHit: false, inputHit: false });
    expect(coverageCaches(handle.db).trend.size).toBe(1);
    expect(coverageCaches(handle.db).input.size).toBe(1);

    // Later the same day, and another day of the same month: the same past months, from the cache.
    const warm = await reportAndLookup({ asOf: new Date(AS_OF.getTime() + 10 * 3_600_000) });
    expect(warm).toMatchObject({ trendHit: true, inputHit: true });
    expect(warm.report).toEqual(cold.report);
    // The as-of day alone (the JSON API) finds the same input.
    const single = await reportAndLookup({ asOf: AS_OF, trend: false });
    expect(single.inputHit).toBe(true);
    expect({ ...single.report, trend: cold.report.trend }).toEqual(cold.report);
    expect(warm.report.trend).toEqual(await trendFromAllRows(AS_OF));

    const earlier = await reportAndLookup({ asOf: day("2026-11-05") });
    expect(earlier).toMatchObject({ trendHit: true, inputHit: false });
    expect(earlier.report.trend).toEqual(await trendFromAllRows(day("2026-11-05")));
    // The last point is the as-of day's own (computed, not cached): 5 Nov differs from 22 Nov.
    expect(earlier.report.trend.at(-1)!.asOf).toEqual(day("2026-11-05"));

    // Another month has other past months: computed, then correct.
    const october = await reportAndLookup({ asOf: day("2026-10-15") });
    expect(october.trendHit).toBe(false);
    expect(october.report.trend).toEqual(await trendFromAllRows(day("2026-10-15")));
  });

  it("keys on the scope, whatever the order of its values", async () => {
    const scope: CoverageScope = { tier: [2, 4], team: ["cov-team-b"] };
    const first = await reportAndLookup({ asOf: AS_OF, scope });
    expect(first.trendHit).toBe(false);
    const same = await reportAndLookup({ asOf: AS_OF, scope: { tier: [4, 2, 4], team: ["cov-team-b"] } });
    expect(same.trendHit).toBe(true);
    expect(same.report.trend).toEqual(await trendFromAllRows(AS_OF, scope));
    const other = await reportAndLookup({ asOf: AS_OF, scope: { tier: [2] } });
    expect(other.trendHit).toBe(false);
    expect(other.report.trend).toEqual(await trendFromAllRows(AS_OF, { tier: [2] }));
  });

  it("hands every report its own trend: changing one does not change the cached months", async () => {
    const first = await coverageReport(handle.db, { asOf: AS_OF });
    const expected = structuredClone(first.trend);
    first.trend[0]!.plan.numerator = 999;
    first.trend[0]!.asOf.setUTCFullYear(1999);
    const second = await reportAndLookup({ asOf: AS_OF });
    expect(second.trendHit).toBe(true);
    expect(second.report.trend).toEqual(expected);
  });

  it("computes the trend again after an inspection dated in a past month is recorded, with its figures", async () => {
    const before = await coverageReport(handle.db, { asOf: AS_OF });
    expect((await reportAndLookup({ asOf: AS_OF })).trendHit).toBe(true);

    // cov-gamma (tier 4, every 90 days) was never inspected; inspected on 30 September it counts at
    // the September and October month-ends.
    const recorded = await recordInspection(
      handle.db,
      { system: "cov-gamma", inspectedAt: "2026-09-30T12:00:00Z", inspector: "cache-test", result: "ok" },
      EDITOR,
      { origin: "api", now: NOW },
    );
    expect(recorded).toMatchObject({ ok: true, outcome: "created" });

    const after = await reportAndLookup({ asOf: AS_OF });
    // The month-ends before 30 September are kept, September's and October's read again.
    expect(after).toMatchObject({ trendHit: false, trendRefreshed: true, inputHit: false });
    expect(after.report.trend).toEqual(await trendFromAllRows(AS_OF));
    // The as-of day's figures are read again too: gamma's inspection is 53 days old on 22 November.
    expect(after.report.inspection.numerator).toBe(before.inspection.numerator + 1);
    expect(point(after.report, "2026-08").inspection).toEqual(point(before, "2026-08").inspection);
    for (const month of ["2026-09", "2026-10"]) {
      expect(point(after.report, month).inspection.numerator).toBe(point(before, month).inspection.numerator + 1);
    }
  });

  it("computes the trend again after a drill dated in a past month is recorded, with its figures", async () => {
    const before = await coverageReport(handle.db, { asOf: AS_OF });
    // cov/plan-ledger (beta and gamma: every 365 days) had failed drills only; passed on 10 June it
    // counts from the June month-end on.
    const recorded = await recordDrill(
      handle.db,
      { plan: "cov/plan-ledger", scenario: "Ledger host lost", heldAt: "2026-06-10T09:00:00Z", type: "simulation", outcome: "passed" },
      EDITOR,
      { origin: "form", now: NOW },
    );
    expect(recorded).toMatchObject({ ok: true, outcome: "created" });

    const after = await reportAndLookup({ asOf: AS_OF });
    expect(after).toMatchObject({ trendHit: false, trendRefreshed: true });
    expect(after.report.trend).toEqual(await trendFromAllRows(AS_OF));
    expect(point(after.report, "2026-05").drill).toEqual(point(before, "2026-05").drill);
    for (const month of ["2026-06", "2026-07", "2026-10"]) {
      expect(point(after.report, month).drill.numerator).toBe(point(before, month).drill.numerator + 1);
    }
  });

  it("computes the trend again after a catalog change, and never gives one catalog's trend to another", async () => {
    const before = await coverageReport(handle.db, { asOf: AS_OF });
    // A catalog that is not the database's (cov-gamma inspected every 7 days, not 90): not the cached trend.
    const catalog = await loadCoverageCatalog(handle.db);
    const stricter: CoverageCatalog = {
      ...catalog,
      systems: catalog.systems.map((s) => (s.slug === "cov-gamma" ? { ...s, sla: { ...s.sla, inspectionIntervalDays: 7 } } : s)),
    };
    const other = await reportAndLookup({ asOf: AS_OF, catalog: stricter });
    expect(other.trendHit).toBe(false);
    expect(other.report.trend).toEqual(await trendFromAllRows(AS_OF, {}, stricter));
    expect(point(other.report, "2026-10").inspection.numerator).toBe(point(before, "2026-10").inspection.numerator - 1);

    // The same change written to the catalog: the next dashboard computes it again.
    await handle.db.update(systems).set({ slaOverrides: { inspectionIntervalDays: 7 } }).where(eq(systems.slug, "cov-gamma"));
    const after = await reportAndLookup({ asOf: AS_OF });
    expect(after).toMatchObject({ trendHit: false, trendRefreshed: false });
    expect(after.report.trend).toEqual(other.report.trend);
  });

  it("keeps the past months across a write dated in the as-of day's month, and reads only the as-of day again", async () => {
    const before = await coverageReport(handle.db, { asOf: AS_OF });
    expect((await reportAndLookup({ asOf: AS_OF })).trendHit).toBe(true);
    // cov-gamma (now every 7 days, last inspected 30 September) inspected on 20 November: it counts
    // as of 22 November, and no month-end before changes.
    const recorded = await recordInspection(
      handle.db,
      { system: "cov-gamma", inspectedAt: "2026-11-20T12:00:00Z", inspector: "cache-test", result: "ok" },
      EDITOR,
      { origin: "api", now: NOW },
    );
    expect(recorded).toMatchObject({ ok: true, outcome: "created" });

    const after = await reportAndLookup({ asOf: AS_OF });
    expect(after).toMatchObject({ trendHit: true, inputHit: false });
    expect(after.report.inspection.numerator).toBe(before.inspection.numerator + 1);
    expect(after.report.trend.slice(0, -1)).toEqual(before.trend.slice(0, -1));
    expect(after.report.trend).toEqual(await trendFromAllRows(AS_OF));
  });

  it("keeps the trend and the as-of day's input across writes to tables it does not read (an incident)", async () => {
    const before = await reportAndLookup({ asOf: AS_OF });
    await handle.db.execute(
      sql`insert into incidents (title, severity, started_at, origin, created_by) values ('Coverage cache: not read', 'SEV3', ${NOW.toISOString()}::timestamptz, 'manual', 'test')`,
    );
    const after = await reportAndLookup({ asOf: AS_OF });
    expect(after).toMatchObject({ trendHit: true, inputHit: true });
    expect(after.report).toEqual(before.report);
  });
});
