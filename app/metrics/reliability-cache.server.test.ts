/**
 * The reliability caches (catalog, 12-month trend, period rows) kept under the data version
 * (app/lib/data-version.server.ts): a cached trend equals one computed afresh, a committed write
 * to an incident of a past trend month or to the catalog changes the next report's trend, one
 * started in T's month leaves it cached, and a report served from
 * the caches (warm) equals the one computed from the database (cold), for the page too.
 * Runs on PGlite, or PostgreSQL with DATABASE_URL.
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { systems } from "#db/schema/catalog";
import { correctiveActions, incidents, incidentSystems } from "#db/schema/incidents";
import { VersionedCache, type Cached } from "../lib/data-version.server";
import { createTestDatabase } from "../../tests/db";
import { REL_AS_OF, REL_PERIOD, seedReliabilityFixture, systemIdOf, type ReliabilityFixture } from "../../tests/reliability-fixtures";
import { resolvePeriod } from "./period";
import { reliabilityPageData } from "./reliability-page.server";
import { RATIO_KEYS } from "./reliability-page";
import {
  buildReliabilityReport,
  clearReliabilityCaches,
  fillReferences,
  getReliabilityReport,
  loadCatalogSystems,
  loadReliabilityInput,
  reliabilityCaches,
  type ReliabilityReport,
  type ReportQuery,
} from "./reliability.server";

let handle: DatabaseHandle;
let fx: ReliabilityFixture;

/** An incident on one system, resolved `minutes` after it started (detected +5, acknowledged +10). */
async function addIncident(title: string, system: string, startedIso: string, minutes: number): Promise<number> {
  const started = new Date(startedIso);
  const later = (m: number) => new Date(started.getTime() + m * 60_000);
  const [row] = await handle.db
    .insert(incidents)
    .values({
      title,
      severity: "SEV2",
      status: "resolved",
      startedAt: started,
      detectedAt: later(5),
      acknowledgedAt: later(10),
      resolvedAt: later(minutes),
      customerImpact: true,
      rootCauseCategory: "capacity",
      origin: "form",
      createdBy: "test",
    })
    .returning({ id: incidents.id, number: incidents.number });
  await handle.db.insert(incidentSystems).values({ incidentId: row.id, systemId: await systemIdOf(handle.db, system) });
  return row.number;
}

/** The trend computed from the database, without any cache. */
async function freshTrend(query: ReportQuery) {
  const input = await loadReliabilityInput(handle.db, query, await loadCatalogSystems(handle.db));
  return buildReliabilityReport(input, query).trend;
}

/** What must not differ between a cold and a warm report (`loaded` counts the rows read, which is the point). */
const figuresOf = ({ loaded: _loaded, references: _references, ...rest }: ReliabilityReport) => rest;

/**
 * Runs `getReliabilityReport` for `query` and returns it with the lookups of the trend and rows caches
 * it made (`VersionedCache.get` is watched while it runs; undefined when a cache was not looked up).
 */
async function reportAndLookups(query: ReportQuery): Promise<{ report: ReliabilityReport; trend?: Cached<object>; rows?: Cached<object> }> {
  const spy = vi.spyOn(VersionedCache.prototype, "get");
  try {
    const report = await getReliabilityReport(handle.db, query);
    const caches = reliabilityCaches(handle.db);
    const lookupOf = async (cache: object) => {
      const k = spy.mock.contexts.indexOf(cache);
      return k < 0 ? undefined : ((await spy.mock.results[k]!.value) as Cached<object>);
    };
    return { report, trend: await lookupOf(caches.trend), rows: await lookupOf(caches.rows) };
  } finally {
    spy.mockRestore();
  }
}

const UTC_OCTOBER: ReportQuery = { period: REL_PERIOD, scope: {}, asOf: REL_AS_OF, timeZone: "UTC", trends: true };

beforeAll(async () => {
  handle = await createTestDatabase();
  fx = await seedReliabilityFixture(handle.db);
  // Months of the trend outside the fixture's look-back: the cold path reads them, the warm one must not.
  await addIncident("Cache January", "rel-core", "2026-01-10T10:00:00Z", 90);
  await addIncident("Cache March", "rel-pay", "2026-03-03T03:00:00Z", 45);
});
afterAll(async () => {
  await handle?.close();
});
beforeEach(() => clearReliabilityCaches());

describe("reliability caches (data version)", () => {
  it("a cached trend equals a freshly computed one, and a hit reads only the period's rows", async () => {
    const cold = await getReliabilityReport(handle.db, UTC_OCTOBER);
    // Later the same month: the trend's months (complete months before T's month) are the same.
    const later = { ...UTC_OCTOBER, asOf: new Date(REL_AS_OF.getTime() + 3 * 3600_000) };
    const warm = await getReliabilityReport(handle.db, later);
    expect(warm.trend).toBe(cold.trend); // the same cached rows
    expect(warm.trend).toEqual(await freshTrend(later));
    expect(warm.trend).toEqual(await freshTrend(UTC_OCTOBER));
    expect(warm.trend!.find((t) => t.month === "2026-01")!.incidents).toBe(1);
    expect(warm.loaded.incidents).toBeLessThan(cold.loaded.incidents);
    // Another scope or time zone is another trend.
    const team = await getReliabilityReport(handle.db, { ...UTC_OCTOBER, scope: { team: "rel-payments" } });
    expect(team.trend).not.toBe(cold.trend);
    expect(team.trend).toEqual(await freshTrend({ ...UTC_OCTOBER, scope: { team: "rel-payments" } }));
    const shanghai = await getReliabilityReport(handle.db, { ...UTC_OCTOBER, timeZone: "Asia/Shanghai" });
    expect(shanghai.trend).toEqual(await freshTrend({ ...UTC_OCTOBER, timeZone: "Asia/Shanghai" }));
    // A new month moves the first month: computed again.
    const december = { ...UTC_OCTOBER, asOf: new Date("2026-12-02T00:00:00Z") };
    const next = await getReliabilityReport(handle.db, december);
    expect(next.trend![11].month).toBe("2026-11");
    expect(next.trend).toEqual(await freshTrend(december));
  });

  it("the warm report equals the cold one, field for field, for several periods, scopes and zones", async () => {
    const shanghaiOctober = resolvePeriod({ from: "2026-10-01", to: "2026-10-31" }, REL_AS_OF, "Asia/Shanghai");
    const thisQuarter = resolvePeriod({ preset: "this_quarter" }, REL_AS_OF, "UTC");
    const lastYear = resolvePeriod({ preset: "last_12_months" }, REL_AS_OF, "UTC");
    if (!shanghaiOctober.ok || !thisQuarter.ok || !lastYear.ok) throw new Error("period");
    const queries: ReportQuery[] = [
      UTC_OCTOBER,
      { ...UTC_OCTOBER, scope: { team: "rel-payments" } },
      { ...UTC_OCTOBER, scope: { system: "rel-core" } },
      { ...UTC_OCTOBER, period: shanghaiOctober.period, timeZone: "Asia/Shanghai" },
      { ...UTC_OCTOBER, period: thisQuarter.period },
      { ...UTC_OCTOBER, period: lastYear.period },
    ];
    for (const query of queries) {
      clearReliabilityCaches();
      const cold = await getReliabilityReport(handle.db, query);
      const warm = await getReliabilityReport(handle.db, query); // trend cached, period rows read
      const hot = await getReliabilityReport(handle.db, query); // trend and period rows cached
      expect(warm.trend).toBe(cold.trend);
      expect(figuresOf(warm)).toEqual(figuresOf(cold));
      expect(figuresOf(hot)).toEqual(figuresOf(cold));
      // And both equal the report computed without any cache.
      const direct = buildReliabilityReport(await loadReliabilityInput(handle.db, query, await loadCatalogSystems(handle.db)), query);
      await fillReferences(handle.db, direct.references.incidents, direct.references.actions);
      expect(figuresOf(warm)).toEqual(figuresOf(direct));
      // Two hours later the same day: cached rows, figures as of the new T.
      const laterQuery = { ...query, asOf: new Date(query.asOf.getTime() + 2 * 3600_000) };
      const later = await getReliabilityReport(handle.db, laterQuery);
      const laterDirect = buildReliabilityReport(await loadReliabilityInput(handle.db, laterQuery, await loadCatalogSystems(handle.db)), laterQuery);
      await fillReferences(handle.db, laterDirect.references.incidents, laterDirect.references.actions);
      expect(figuresOf(later)).toEqual(figuresOf(laterDirect));
    }
  });

  it("the warm page equals the cold page", async () => {
    for (const search of ["from=2026-10-01&to=2026-10-31", "preset=this_quarter", "preset=last_12_months&team=rel-ops"]) {
      clearReliabilityCaches();
      const request = { searchParams: new URLSearchParams(search), now: REL_AS_OF, timeZone: "UTC" };
      const cold = await reliabilityPageData(handle.db, request);
      const warm = await reliabilityPageData(handle.db, request);
      if (!cold.ok || !warm.ok) throw new Error("page");
      const { loaded: _a, ...coldData } = cold.data;
      const { loaded: _b, ...warmData } = warm.data;
      expect(warmData).toEqual(coldData);
      expect(warm.options).toEqual(cold.options);
    }
  });

  it("inserting an incident in a past trend month changes the next report's trend (the months before it kept)", async () => {
    const before = await getReliabilityReport(handle.db, UTC_OCTOBER);
    const september = before.trend!.find((t) => t.month === "2026-09")!;
    await addIncident("Cache September", "rel-core", "2026-09-10T10:00:00Z", 60);
    const { report: after, trend } = await reportAndLookups(UTC_OCTOBER);
    expect(trend).toMatchObject({ hit: false, refreshed: true });
    expect(after.trend).not.toBe(before.trend);
    expect(after.trend!.slice(0, 10)).toEqual(before.trend!.slice(0, 10)); // November 2025 - August 2026
    expect(after.trend!.find((t) => t.month === "2026-09")!.incidents).toBe(september.incidents + 1);
    expect(after.trend!.find((t) => t.month === "2026-09")!.downtimeMinutes).toBeGreaterThan(september.downtimeMinutes);
    expect(after.trend).toEqual(await freshTrend(UTC_OCTOBER));
  });

  it("editing an incident of a past trend month changes the next page's trend figures", async () => {
    const request = { searchParams: new URLSearchParams("from=2026-10-01&to=2026-10-31"), now: REL_AS_OF, timeZone: "UTC" };
    const before = await reliabilityPageData(handle.db, request);
    if (!before.ok) throw new Error(before.error);
    // i9 (2026-08-15 10:00, resolved after 60 minutes): now resolved after 300.
    expect(before.data.trend.find((t) => t.month === "2026-08")!.mttrMinutes).toBeCloseTo(60, 9);
    await handle.db
      .update(incidents)
      .set({ resolvedAt: new Date("2026-08-15T15:00:00Z") })
      .where(eq(incidents.number, fx.incidents.i9.number));
    const after = await reliabilityPageData(handle.db, request);
    if (!after.ok) throw new Error(after.error);
    expect(after.data.trend.find((t) => t.month === "2026-08")!.mttrMinutes).toBeCloseTo(300, 9);
    expect(after.data.trend).toEqual(await freshTrend({ ...UTC_OCTOBER, period: before.data.period }));
    expect(after.data.charts[1].svg).not.toBe(before.data.charts[1].svg);
  });

  it("an incident started in T's month leaves the trend cached, while the period's figures count it", async () => {
    const thisQuarter = resolvePeriod({ preset: "this_quarter" }, REL_AS_OF, "UTC");
    if (!thisQuarter.ok) throw new Error("period");
    const query: ReportQuery = { ...UTC_OCTOBER, period: thisQuarter.period };
    const before = await getReliabilityReport(handle.db, query);
    await addIncident("Cache November", "rel-core", "2026-11-21T08:00:00Z", 30);
    const after = await getReliabilityReport(handle.db, query);
    expect(after.trend).toBe(before.trend); // the same cached rows: nothing before 1 November changed
    expect(after.trend).toEqual(await freshTrend(query));
    expect(after.mttr.all.count).toBe(before.mttr.all.count + 1);

    // One started on the last evening of October reaches back into the trend: computed again.
    await addIncident("Cache Halloween", "rel-core", "2026-10-31T23:00:00Z", 30);
    const again = await getReliabilityReport(handle.db, query);
    expect(again.trend).not.toBe(before.trend);
    expect(again.trend!.find((t) => t.month === "2026-10")!.incidents).toBe(before.trend!.find((t) => t.month === "2026-10")!.incidents + 1);
    expect(again.trend).toEqual(await freshTrend(query));
  });

  it("after writes dated today the period's rows are refreshed from that day on, and the report equals one computed afresh", async () => {
    const thisQuarter = resolvePeriod({ preset: "this_quarter" }, REL_AS_OF, "UTC");
    if (!thisQuarter.ok) throw new Error("period");
    const query: ReportQuery = { ...UTC_OCTOBER, period: thisQuarter.period };
    /** The report through the caches, how its period rows were found, and the report computed without caches. */
    const compare = async () => {
      const { report, rows } = await reportAndLookups(query);
      const direct = buildReliabilityReport(await loadReliabilityInput(handle.db, query, await loadCatalogSystems(handle.db)), query);
      await fillReferences(handle.db, direct.references.incidents, direct.references.actions);
      expect(figuresOf(report)).toEqual(figuresOf(direct));
      return { report, rows };
    };
    await compare(); // trend computed
    expect((await compare()).rows).toMatchObject({ hit: false, refreshed: false }); // period rows read
    expect((await compare()).rows).toMatchObject({ hit: true });

    // Alertmanager opens an incident this morning, then it is resolved and gets an action.
    const number = await addIncident("Cache this morning", "rel-core", "2026-11-22T09:00:00Z", 45);
    const opened = await compare();
    expect(opened.rows).toMatchObject({ hit: false, refreshed: true });
    expect(opened.report.mttr.all.count).toBeGreaterThan(0);
    await handle.db.update(incidents).set({ resolvedAt: new Date("2026-11-22T11:00:00Z") }).where(eq(incidents.number, number));
    expect((await compare()).rows).toMatchObject({ refreshed: true });
    const [incident] = await handle.db.select({ id: incidents.id }).from(incidents).where(eq(incidents.number, number));
    const [action] = await handle.db
      .insert(correctiveActions)
      .values({ title: "Cache action", owner: "ops@bank.example", dueDate: "2026-11-30", incidentId: incident!.id, createdBy: "test" })
      .returning({ id: correctiveActions.id });
    expect((await compare()).rows).toMatchObject({ refreshed: true });
    await handle.db
      .update(correctiveActions)
      .set({ status: "done", closedAt: new Date("2026-11-22T11:30:00Z") })
      .where(eq(correctiveActions.id, action!.id));
    const closed = await compare();
    expect(closed.rows).toMatchObject({ refreshed: true });
    expect(closed.report.actionClosure.numerator).toBeGreaterThan(0);
    // Deleting the incident takes its systems and action with it.
    await handle.db.delete(incidents).where(eq(incidents.number, number));
    expect((await compare()).rows).toMatchObject({ refreshed: true });

    // An incident started in June reaches back into the trend (its months from June on computed
    // again) and before the period rows' window (from 3 July: read whole again); still equal.
    await addIncident("Cache June", "rel-core", "2026-06-01T09:00:00Z", 45);
    expect((await compare()).rows).toMatchObject({ hit: false });
  });

  it("writes to tables the figures do not read (a new document) leave the trend and the period's rows cached", async () => {
    const thisQuarter = resolvePeriod({ preset: "this_quarter" }, REL_AS_OF, "UTC");
    if (!thisQuarter.ok) throw new Error("period");
    const query: ReportQuery = { ...UTC_OCTOBER, period: thisQuarter.period };
    await getReliabilityReport(handle.db, query);
    const before = await getReliabilityReport(handle.db, query); // period rows read
    await handle.db.execute(sql`insert into documents (slug, kind, title, current_revision) values ('rel-cache-unread', 'runbook', 'Not read', 1)`);
    const after = await reportAndLookups(query);
    expect(after.trend).toMatchObject({ hit: true });
    expect(after.rows).toMatchObject({ hit: true });
    expect(figuresOf(after.report)).toEqual(figuresOf(before));
  });

  it("a catalog edit makes the next report compute its trend again, with the edited catalog", async () => {
    const before = await getReliabilityReport(handle.db, UTC_OCTOBER);
    await handle.db.update(systems).set({ lifecycle: "retired" }).where(eq(systems.slug, "rel-pay"));
    try {
      const after = await getReliabilityReport(handle.db, UTC_OCTOBER);
      expect(after.trend).not.toBe(before.trend);
      expect(after.trend).toEqual(await freshTrend(UTC_OCTOBER));
      expect(after.trend).not.toEqual(before.trend);
    } finally {
      await handle.db.update(systems).set({ lifecycle: "active" }).where(eq(systems.slug, "rel-pay"));
    }
  });

  it("a report cut to N items per outcome keeps every figure and total, and the first N items of each outcome", async () => {
    const full = await getReliabilityReport(handle.db, { ...UTC_OCTOBER, trends: false });
    const cut = await getReliabilityReport(handle.db, { ...UTC_OCTOBER, trends: false }, { fill: "all", itemsPerOutcome: 1 });
    for (const key of RATIO_KEYS) {
      const { items: fullItems, ...fullFigures } = full[key];
      const { items: cutItems, ...cutFigures } = cut[key];
      expect(cutFigures).toEqual(fullFigures);
      const outcomes = [...new Set(fullItems.map((i) => i.outcome))];
      expect(full[key].outcomes).toEqual(outcomes.map((outcome) => ({ outcome, total: fullItems.filter((i) => i.outcome === outcome).length })));
      expect(cutItems).toEqual(outcomes.map((outcome) => fullItems.find((i) => i.outcome === outcome)));
    }
    expect(full.overdueActions.length).toBeGreaterThan(1);
    expect(cut.overdueActionsTotal).toBe(full.overdueActions.length);
    expect(cut.overdueActions).toEqual(full.overdueActions.slice(0, 1));
    expect(cut.availability).toEqual(full.availability);
  });
});
