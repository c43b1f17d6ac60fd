/**
 * The reliability loader against a real database (PGlite, or PostgreSQL with DATABASE_URL): the
 * rows it reads (windows before and after the period, scope, packed transfer) must give the
 * figures worked out by hand from tests/reliability-fixtures.ts (October 2026, as of 2026-11-22 12:00 UTC).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { createTestDatabase } from "../../tests/db";
import { REL_AS_OF, REL_PERIOD, seedReliabilityFixture, type ReliabilityFixture } from "../../tests/reliability-fixtures";
import { resolvePeriod } from "./period";
import { reliabilityPageData } from "./reliability-page.server";
import { getReliabilityReport, systemQuarterAvailability, type ReliabilityReport } from "./reliability.server";

let handle: DatabaseHandle;
let fx: ReliabilityFixture;
let report: ReliabilityReport;
const num = (key: string) => fx.incidents[key].number;

beforeAll(async () => {
  handle = await createTestDatabase();
  fx = await seedReliabilityFixture(handle.db);
  report = await getReliabilityReport(handle.db, { period: REL_PERIOD, scope: {}, asOf: REL_AS_OF, timeZone: "UTC", trends: true });
});
afterAll(async () => {
  await handle?.close();
});

const P_MINUTES = 31 * 24 * 60; // October: 44,640 minutes

describe("availability per system (Metrics 5)", () => {
  it("merges overlapping incidents, clips at the period start and counts the unresolved one up to the period end", () => {
    const core = report.availability.systems.find((s) => s.system === "rel-core")!;
    // i1: [10-01 00:00, 01:00) = 60 (started 09-30 23:00, clipped); i2 [10:00, 10:40) + i3 [10:30, 11:00) merged = 60.
    expect(core.downtimeMinutes).toBeCloseTo(120, 6);
    expect(core.value).toBeCloseTo(1 - 120 / P_MINUTES, 9);
    expect(core.errorBudgetMinutes).toBeCloseTo(0.0005 * P_MINUTES, 6); // 22.32
    expect(core.errorBudgetMinutesLeft).toBeCloseTo(0.0005 * P_MINUTES - 120, 6);
    expect(core.meetsTarget).toBe(false);
    expect(core.incidents.map((i) => i.number).sort()).toEqual([num("i1"), num("i2"), num("i3")].sort());
    expect(core.incidents.find((i) => i.number === num("i2"))).toMatchObject({ title: "Rel incident i2", href: `/incidents/${num("i2")}` });

    const pay = report.availability.systems.find((s) => s.system === "rel-pay")!;
    // i5 starts 10-31 23:30 and is never resolved: 30 minutes to the period end. i4, i10 had no customer impact.
    expect(pay.downtimeMinutes).toBeCloseTo(30, 6);
    expect(pay.meetsTarget).toBe(true);
    expect(report.availability).toMatchObject({ meeting: 1, measured: 2 });
  });

  it("leaves retired systems out", () => {
    expect(report.availability.systems.map((s) => s.system).sort()).toEqual(["rel-core", "rel-pay"]);
  });
});

describe("MTTD / MTTA / MTTR per severity (Metrics 6)", () => {
  it("counts missing timestamps as incomplete, not as zero", () => {
    // In P and in scope: i2, i3 (SEV2), i4, i10 (SEV3), i5 (SEV1); i1 started before P, i6 is on a retired system.
    expect(report.mttd.SEV2).toMatchObject({ meanMinutes: 7.5, medianMinutes: 7.5, count: 2, incomplete: 0 });
    expect(report.mttd.SEV3).toMatchObject({ meanMinutes: 20, count: 1, incomplete: 1 }); // i4 has no detected_at
    expect(report.mtta.SEV2).toMatchObject({ meanMinutes: 10, count: 1, incomplete: 1 }); // i3 never acknowledged
    expect(report.mtta.SEV1).toMatchObject({ meanMinutes: 19, count: 1, incomplete: 0 });
    expect(report.mttr.SEV2).toMatchObject({ meanMinutes: 35, medianMinutes: 35, count: 2 }); // i2 mitigated at 40, i3 resolved at 30
    expect(report.mttr.SEV1).toMatchObject({ meanMinutes: null, count: 0, incomplete: 1 }); // i5 unresolved
    expect(report.mttr.all).toMatchObject({ count: 4, incomplete: 1, meanMinutes: (40 + 30 + 60 + 120) / 4 });
    expect(report.mttr.SEV1.incompleteIncidents[0]).toMatchObject({ number: num("i5"), reason: "not restored" });
  });
});

describe("ratios with the incidents and actions behind them", () => {
  it("response within SLA uses the strictest target and leaves out resolved-but-unacknowledged incidents (Metrics 6)", () => {
    const r = report.responseWithinSla;
    // i2 10 of 15 min: within; i10 30 of 120: within; i5 19 against 15: breached; i3, i4 resolved without an acknowledgement.
    expect(r).toMatchObject({ numerator: 2, denominator: 3 });
    const outcome = (key: string) => r.items.find((i) => i.incident?.number === num(key))?.outcome;
    expect([outcome("i2"), outcome("i10"), outcome("i5"), outcome("i3"), outcome("i4")]).toEqual(["within", "within", "breached", "incomplete", "incomplete"]);
  });

  it("recurrence rate reads 90 days before the period and honours explicit links (Metrics 7)", () => {
    const r = report.recurrenceRate;
    // i3 recurs of i2 (rel-core, configuration); i4 is marked as a recurrence of i1; i10 recurs of i9 (08-15, before P).
    expect(r).toMatchObject({ numerator: 3, denominator: 5, value: 3 / 5 });
    const recurs = r.items.filter((i) => i.outcome === "recurs").map((i) => i.incident!.number);
    expect(recurs.sort()).toEqual([num("i3"), num("i4"), num("i10")].sort());
    expect(r.items.find((i) => i.incident?.number === num("i10"))?.detail).toContain(`INC-${num("i9")}`);
  });

  it("action closure counts late closures and open past due, leaves wont_do out and lists overdue oldest first (Metrics 8)", () => {
    const r = report.actionClosure;
    // Due in October, in scope: a1, a2 done on time (a2 at 23:00 on its due day); a3 done late; a4 open; a6 in progress; a5 wont_do.
    expect(r).toMatchObject({ numerator: 2, denominator: 5 });
    const byOutcome = (o: string) => r.items.filter((i) => i.outcome === o).map((i) => i.action!.title).sort();
    expect(byOutcome("on_time")).toEqual(["Rel action a1", "Rel action a2"]);
    expect(byOutcome("late")).toEqual(["Rel action a3", "Rel action a4", "Rel action a6"]);
    expect(byOutcome("wont_do")).toEqual(["Rel action a5"]);
    // a8 belongs to an incident on a retired system only: out of scope.
    expect(report.overdueActions.map((a) => a.title)).toEqual(["Rel action a7", "Rel action a6", "Rel action a4"]);
    expect(report.overdueActions[0].source).toMatchObject({ type: "inspection", href: `/inspections/${fx.inspectionId}` });
    expect(report.overdueActions[1].source).toMatchObject({ type: "drill", href: `/drills/${fx.drillId}` });
    expect(report.overdueActions[2].source).toMatchObject({ type: "incident", href: `/incidents/${num("i5")}`, label: `INC-${num("i5")}` });
  });

  it("resolution effectiveness reads 30 days after the period for recurrences (Metrics 9)", () => {
    const r = report.resolutionEffectiveness;
    // i2 restored in 40 > RTO 30 (and recurred by i3); i4 recurred by i7 on 11-05 (after P); i5 unrestored past RTO.
    // i3 restored in 30 <= 30 and i10 in 120 <= 120: effective.
    expect(r).toMatchObject({ numerator: 2, denominator: 5 });
    const i4 = r.items.find((i) => i.incident?.number === num("i4"))!;
    expect(i4.outcome).toBe("shortfall");
    expect(i4.detail).toContain(`INC-${num("i7")}`);
    expect(r.items.filter((i) => i.outcome === "effective").map((i) => i.incident!.number).sort()).toEqual([num("i3"), num("i10")].sort());
  });
});

describe("scope, time zones and trends", () => {
  it("a team scope keeps that team's systems, incidents and actions", async () => {
    const pay = await getReliabilityReport(handle.db, { period: REL_PERIOD, scope: { team: "rel-payments" }, asOf: REL_AS_OF, timeZone: "UTC", trends: false });
    expect(pay.availability.systems.map((s) => s.system)).toEqual(["rel-pay"]);
    expect(pay.recurrenceRate).toMatchObject({ numerator: 2, denominator: 3 }); // i4, i10 of i4, i10, i5
    expect(pay.actionClosure).toMatchObject({ numerator: 0, denominator: 2 }); // a3 done late, a4 open; a5 wont_do
  });

  it("a period typed in Asia/Shanghai starts and ends at Shanghai midnight", async () => {
    const resolved = resolvePeriod({ from: "2026-10-01", to: "2026-10-31" }, REL_AS_OF, "Asia/Shanghai");
    if (!resolved.ok) throw new Error(resolved.error);
    expect(resolved.period.from.toISOString()).toBe("2026-09-30T16:00:00.000Z");
    const sh = await getReliabilityReport(handle.db, { period: resolved.period, scope: {}, asOf: REL_AS_OF, timeZone: "Asia/Shanghai", trends: false });
    // i1 (09-30 23:00 UTC = 10-01 07:00 in Shanghai) is now in P; i5 (10-31 23:30 UTC = 11-01 07:30) is not.
    const inP = sh.recurrenceRate.items.map((i) => i.incident!.number);
    expect(inP).toContain(num("i1"));
    expect(inP).not.toContain(num("i5"));
  });

  it("the 12-month trend has one row per month and October's figures match the period's", () => {
    expect(report.trend).toHaveLength(12);
    const october = report.trend!.find((t) => t.month === "2026-10")!;
    expect(october.recurrenceRate).toBeCloseTo(3 / 5, 9);
    expect(october.actionClosure).toBeCloseTo(2 / 5, 9);
    expect(october.mttrMinutes).toBeCloseTo(250 / 4, 9);
    // As of its last day i7 had not happened, so i4 still looked effective, and i5 (30 minutes old,
    // RTO 120) was pending: i3, i4, i10 of i2, i3, i4, i10.
    expect(october.resolutionEffectiveness).toBeCloseTo(3 / 4, 9);
    expect(report.trend![report.trend!.length - 1].month).toBe("2026-10");
  });

  it("the page data cuts nothing it should not and renders SVG charts", async () => {
    const page = await reliabilityPageData(handle.db, { searchParams: new URLSearchParams("from=2026-10-01&to=2026-10-31"), now: REL_AS_OF, timeZone: "UTC" });
    if (!page.ok) throw new Error(page.error);
    expect(page.data.charts).toHaveLength(3);
    expect(page.data.charts[0].svg.startsWith("<svg")).toBe(true);
    expect(page.data.recurrenceRate).toMatchObject({ numerator: 3, denominator: 5 });
    const bad = await reliabilityPageData(handle.db, { searchParams: new URLSearchParams("team=nope"), now: REL_AS_OF, timeZone: "UTC" });
    expect(bad).toMatchObject({ ok: false, parameter: "team" });
  });

  it("the system page's quarter: value to date, the whole quarter's error budget", async () => {
    const q = await systemQuarterAvailability(handle.db, "rel-core", REL_AS_OF);
    // 2026 Q4 = Oct 1 - Jan 1 (92 days); measured to 11-22 12:00 (52.5 days); downtime 120 min.
    expect(q).toMatchObject({ quarter: "2026 Q4" });
    expect(q!.downtimeMinutes).toBeCloseTo(120, 6);
    expect(q!.value).toBeCloseTo(1 - 120 / (52.5 * 1440), 9);
    expect(q!.errorBudgetMinutesLeft).toBeCloseTo(0.0005 * 92 * 1440 - 120, 6);
    expect(await systemQuarterAvailability(handle.db, "no-such-system", REL_AS_OF)).toBeNull();
  });
});
