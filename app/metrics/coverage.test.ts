/**
 * Coverage metrics (shared/domain.md, "Metrics" 1-4, "Trend views") on hand-built fixtures.
 * Every expected figure is worked out by hand in the comment beside it. SLA intervals (days) used
 * below, from "SLA defaults by tier":
 *
 *   tier | drill | inspection | plan review    due-soon window (15%, rounded up, min 1)
 *   1    | 182   | 1          | 182            182 -> 28, 1 -> 1
 *   2    | 365   | 7          | 365            365 -> 55, 7 -> 2
 *   3    | 365   | 30         | 365            30 -> 5
 *   4    | none  | 90         | 730            90 -> 14, 730 -> 110
 */
import { describe, expect, it } from "vitest";
import {
  SHORTFALL_REASONS as R,
  coverageFigures,
  coverageMatrix,
  coverageTrend,
  drillCoverage,
  dueDateFor,
  dueSoonWindowDays,
  inspectionCoverage,
  isWithinDays,
  planAsOf,
  planCoverage,
  runbookCoverage,
  systemsInScope,
  utcDay,
  type ContingencyPlanRow,
  type CoverageInput,
  type CoverageSla,
  type CoverageSystem,
  type DrillRow,
  type InspectionRow,
  type RunbookRow,
} from "./coverage";

// ---------------------------------------------------------------------------------------------
// Fixture builders
// ---------------------------------------------------------------------------------------------

/** "YYYY-MM-DD" is UTC midnight; a full ISO string is taken as is. */
function d(iso: string): Date {
  return new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
}

const TIER_SLA: Record<number, CoverageSla> = {
  1: { drillIntervalDays: 182, inspectionIntervalDays: 1, planReviewIntervalDays: 182 },
  2: { drillIntervalDays: 365, inspectionIntervalDays: 7, planReviewIntervalDays: 365 },
  3: { drillIntervalDays: 365, inspectionIntervalDays: 30, planReviewIntervalDays: 365 },
  4: { drillIntervalDays: null, inspectionIntervalDays: 90, planReviewIntervalDays: 730 },
};

function system(
  slug: string,
  tier: number,
  opts: { name?: string; team?: string | null; retired?: boolean; sla?: Partial<CoverageSla> } = {},
): CoverageSystem {
  return {
    slug,
    name: opts.name ?? slug,
    tier,
    lifecycle: opts.retired ? "retired" : "active",
    ownerTeam: opts.team === undefined ? "core" : opts.team,
    sla: { ...TIER_SLA[tier], ...opts.sla },
  };
}

function plan(slug: string, systems: string[], opts: Partial<ContingencyPlanRow> = {}): ContingencyPlanRow {
  return {
    slug,
    title: `Plan ${slug}`,
    status: "published",
    systems,
    currentRevision: 1,
    lastRevisionAt: d("2025-01-01"),
    lastReviewedAt: null,
    ...opts,
  };
}

let nextId = 1;
function drill(
  planSlug: string,
  date: string,
  outcome: DrillRow["outcome"] = "passed",
  planRevision = 1,
  type: DrillRow["type"] = "tabletop",
): DrillRow {
  return { id: nextId++, planSlug, planRevision, date: d(date), outcome, type };
}

function inspection(systemSlug: string, date: string, result: InspectionRow["result"] = "ok", id?: string): InspectionRow {
  return { id: id ?? nextId++, systemSlug, date: d(date), result };
}

function runbook(slug: string, systems: string[], opts: Partial<RunbookRow> = {}): RunbookRow {
  return { slug, status: "published", systems, ...opts };
}

const EMPTY: CoverageInput = { systems: [], plans: [], drills: [], inspections: [], runbooks: [] };

// ---------------------------------------------------------------------------------------------
// Day arithmetic
// ---------------------------------------------------------------------------------------------

describe("day arithmetic (UTC calendar days)", () => {
  it("reduces a time to its UTC day, ignoring the time of day", () => {
    expect(utcDay(d("2026-03-15T00:00:00Z"))).toBe(utcDay(d("2026-03-15T23:59:59.999Z")));
    expect(utcDay(d("2026-03-15T00:00:00Z")) - utcDay(d("2026-03-14T23:59:59.999Z"))).toBe(1);
    // 2026-03-15 08:00 in Shanghai is still 2026-03-15 00:00 UTC; 07:59 Shanghai is the 14th in UTC.
    expect(utcDay(d("2026-03-15T07:59:00+08:00"))).toBe(utcDay(d("2026-03-14")));
  });

  it("counts evidence exactly N days old and not N + 1 days old", () => {
    const T = d("2026-03-15T10:00:00Z");
    // 2025-09-14 + 182 d = 2026-03-15 (Sep 16 + Oct 31 + Nov 30 + Dec 31 + Jan 31 + Feb 28 + Mar 15 = 182).
    expect(isWithinDays(d("2025-09-14T23:00:00Z"), 182, T)).toBe(true);
    expect(isWithinDays(d("2025-09-13T23:59:00Z"), 182, T)).toBe(false); // 183 days old
    // Daily interval: yesterday still counts (due today), the day before does not.
    expect(isWithinDays(d("2026-03-14T00:00:00Z"), 1, T)).toBe(true);
    expect(isWithinDays(d("2026-03-13T23:59:59Z"), 1, T)).toBe(false);
    // Any time on the as-of day counts; the next day does not exist yet.
    expect(isWithinDays(d("2026-03-15T22:00:00Z"), 1, T)).toBe(true);
    expect(isWithinDays(d("2026-03-16T00:00:00Z"), 182, T)).toBe(false);
  });

  it("puts the due date N days after the evidence's day, at UTC midnight", () => {
    expect(dueDateFor(d("2025-09-14T17:00:00Z"), 182)).toEqual(d("2026-03-15"));
    // 2024-02-28 + 2 d crosses the leap day: 2024-03-01.
    expect(dueDateFor(d("2024-02-28"), 2)).toEqual(d("2024-03-01"));
  });

  it("sizes the due-soon window as 15% of the interval, rounded up, at least 1 day", () => {
    expect(dueSoonWindowDays(1)).toBe(1); // 0.15 -> 1 (minimum)
    expect(dueSoonWindowDays(7)).toBe(2); // 1.05 -> 2
    expect(dueSoonWindowDays(20)).toBe(3); // exactly 3.0 (no floating-point 3.0000000000000004 -> 4)
    expect(dueSoonWindowDays(30)).toBe(5); // 4.5 -> 5
    expect(dueSoonWindowDays(90)).toBe(14); // 13.5 -> 14
    expect(dueSoonWindowDays(182)).toBe(28); // 27.3 -> 28
    expect(dueSoonWindowDays(365)).toBe(55); // 54.75 -> 55
    expect(dueSoonWindowDays(730)).toBe(110); // 109.5 -> 110
  });

  it("throws a RangeError for an invalid as-of date", () => {
    expect(() => isWithinDays(d("2026-01-01"), 1, new Date("not a date"))).toThrow(RangeError);
    expect(() => planCoverage(EMPTY, new Date(Number.NaN))).toThrow(/asOf must be a valid Date/);
  });
});

// ---------------------------------------------------------------------------------------------
// Scope
// ---------------------------------------------------------------------------------------------

describe("systemsInScope", () => {
  const systems = [
    system("ledger", 1, { name: "Core ledger", team: "core" }),
    system("payments", 2, { name: "Payment gateway", team: "payments" }),
    system("reporting", 3, { name: "Reporting", team: "core" }),
    system("intranet", 4, { name: "Intranet", team: null }),
    system("cards", 1, { name: "Card switch", team: "payments" }),
    system("legacy-gl", 1, { name: "Legacy GL", team: "core", retired: true }),
  ];
  const slugs = (scope?: Parameters<typeof systemsInScope>[1]) => systemsInScope(systems, scope).map((s) => s.slug);

  it("defaults to all active systems, ordered by tier then name", () => {
    // Tier 1: "Card switch" < "Core ledger"; legacy-gl is retired.
    expect(slugs()).toEqual(["cards", "ledger", "payments", "reporting", "intranet"]);
  });

  it("filters by team, tier and system, AND across filters, OR within one", () => {
    expect(slugs({ team: ["core"] })).toEqual(["ledger", "reporting"]); // legacy-gl retired
    expect(slugs({ team: ["core", "payments"] })).toEqual(["cards", "ledger", "payments", "reporting"]); // intranet has no team
    expect(slugs({ tier: [2, 4] })).toEqual(["payments", "intranet"]);
    expect(slugs({ system: ["payments", "legacy-gl"] })).toEqual(["payments"]); // naming a retired system does not bring it in
    expect(slugs({ team: ["core"], tier: [3] })).toEqual(["reporting"]);
    expect(slugs({ team: ["nobody"] })).toEqual([]);
  });

  it("treats empty filter lists as no filter", () => {
    expect(slugs({ team: [], tier: [], system: [] })).toEqual(["cards", "ledger", "payments", "reporting", "intranet"]);
  });
});

// ---------------------------------------------------------------------------------------------
// Metric 1: contingency-plan coverage
// ---------------------------------------------------------------------------------------------

describe("planCoverage (Metrics 1)", () => {
  const T = d("2026-03-15T08:00:00Z");
  const systems = [
    system("ledger", 1, { team: "core" }), // review 182
    system("payments", 2, { team: "payments" }), // review 365
    system("reporting", 3, { team: "core" }), // review 365
    system("intranet", 4, { team: "workplace" }), // review 730
    system("kyc", 2, { team: "payments" }), // review 365
    system("legacy-gl", 2, { team: "core", retired: true }),
  ];
  const plans = [
    // Linked to a tier-1 and a tier-2 system: one plan, two intervals.
    plan("db-failover", ["ledger", "payments"], { lastRevisionAt: d("2025-06-01"), lastReviewedAt: d("2025-09-14") }),
    // No review recorded: the last revision counts.
    plan("reporting-restore", ["reporting"], { lastRevisionAt: d("2025-03-14") }),
    plan("reporting-draft", ["reporting"], { status: "draft", lastRevisionAt: d("2026-03-01") }),
    plan("intranet-dc", ["intranet"], { status: "archived", lastRevisionAt: d("2026-03-01"), lastReviewedAt: d("2026-03-01") }),
    plan("legacy-plan", ["legacy-gl"], { lastRevisionAt: d("2026-03-01") }),
    // A recorded review wins over a later revision (domain.md: revision only "if no review is recorded").
    plan("kyc-vendor", ["kyc"], { lastRevisionAt: d("2026-01-10"), lastReviewedAt: d("2024-01-01") }),
  ];
  const input = { systems, plans };

  it("counts active systems with a fresh published plan; retired systems, drafts and archived plans never count", () => {
    const r = planCoverage(input, T);
    // In scope: ledger, payments, reporting, intranet, kyc = 5 (legacy-gl retired).
    // ledger: review 2025-09-14 + 182 = 2026-03-15 = T -> covered (boundary).
    // payments: 2025-09-14 + 365 = 2026-09-14 -> covered.
    // reporting: revision 2025-03-14 + 365 = 2026-03-14 < T -> overdue 1 day (draft ignored).
    // intranet: only an archived plan -> missing.
    // kyc: review 2024-01-01 + 365 = 2024-12-31; T - 2024-12-31 = 365 + 31 + 28 + 15 = 439 days.
    expect(r).toMatchObject({ numerator: 2, denominator: 5, value: 0.4 }); // 2 / 5
    expect(r.shortfalls).toEqual([
      { system: "intranet", reason: R.noPublishedPlan, dueSince: null, overdueDays: null }, // missing first
      { system: "kyc", plan: "kyc-vendor", reason: R.planReviewOverdue, dueSince: d("2024-12-31"), overdueDays: 439 },
      { system: "reporting", plan: "reporting-restore", reason: R.planReviewOverdue, dueSince: d("2026-03-14"), overdueDays: 1 },
    ]);
  });

  it("reports per system the plan evidence, its basis and the due date", () => {
    const items = new Map(planCoverage(input, T).items.map((i) => [i.system, i]));
    expect(items.get("ledger")).toMatchObject({
      covered: true,
      intervalDays: 182,
      bestPlan: "db-failover",
      lastDate: d("2025-09-14"),
      dueDate: d("2026-03-15"), // 2025-09-14 + 182
    });
    expect(items.get("ledger")!.plans).toEqual([
      {
        plan: "db-failover",
        title: "Plan db-failover",
        reviewedAt: d("2025-09-14"),
        revisedAt: d("2025-06-01"),
        evidenceDate: d("2025-09-14"),
        basis: "review",
      },
    ]);
    expect(items.get("reporting")!.plans.map((p) => [p.plan, p.basis])).toEqual([["reporting-restore", "revision"]]); // draft left out
    expect(items.get("kyc")).toMatchObject({ covered: false, lastDate: d("2024-01-01"), dueDate: d("2024-12-31") });
    expect(items.get("intranet")).toMatchObject({ covered: false, plans: [], bestPlan: null, lastDate: null, dueDate: null });
    expect([...items.keys()]).toEqual(["ledger", "kyc", "payments", "reporting", "intranet"]); // tier, then name
  });

  it("applies each system's own interval to a plan linked to several systems", () => {
    // One day later: ledger's due date 2026-03-15 has passed (overdue 1 day); payments is due 2026-09-14.
    const r = planCoverage(input, d("2026-03-16"));
    expect(r).toMatchObject({ numerator: 1, denominator: 5 }); // payments only
    expect(r.shortfalls.find((s) => s.system === "ledger")).toEqual({
      system: "ledger",
      plan: "db-failover",
      reason: R.planReviewOverdue,
      dueSince: d("2026-03-15"),
      overdueDays: 1, // 2026-03-16 - 2026-03-15
    });
    expect(r.shortfalls.find((s) => s.system === "reporting")?.overdueDays).toBe(2); // 2026-03-16 - 2026-03-14
  });

  it("takes the freshest of several plans", () => {
    const r = planCoverage(
      { systems: [system("kyc", 2)], plans: [...plans, plan("kyc-new", ["kyc"], { lastRevisionAt: d("2025-12-01") })] },
      T,
    );
    // kyc-vendor: evidence 2024-01-01 (stale); kyc-new: revision 2025-12-01 + 365 = 2026-12-01 -> covered.
    expect(r).toMatchObject({ numerator: 1, denominator: 1, value: 1 });
    expect(r.items[0]).toMatchObject({ bestPlan: "kyc-new", dueDate: d("2026-12-01") });
    expect(r.items[0].plans.map((p) => p.plan)).toEqual(["kyc-new", "kyc-vendor"]); // most recent evidence first
  });

  it("filters the scope by team, tier and system; an empty scope has value null", () => {
    // team core: ledger (covered), reporting (overdue); legacy-gl retired -> 1 / 2.
    expect(planCoverage({ ...input, scope: { team: ["core"] } }, T)).toMatchObject({ numerator: 1, denominator: 2, value: 0.5 });
    // tier 1-2: ledger (covered), payments (covered), kyc (overdue) -> 2 / 3.
    const tiers = planCoverage({ ...input, scope: { tier: [1, 2] } }, T);
    expect(tiers).toMatchObject({ numerator: 2, denominator: 3 });
    expect(tiers.value).toBeCloseTo(2 / 3, 12);
    // team core AND tier 3: reporting only, overdue -> 0 / 1 = 0 (not null).
    expect(planCoverage({ ...input, scope: { team: ["core"], tier: [3] } }, T)).toMatchObject({ numerator: 0, denominator: 1, value: 0 });
    // Only a retired system named: nothing in scope -> null.
    expect(planCoverage({ ...input, scope: { system: ["legacy-gl"] } }, T)).toEqual({
      value: null,
      numerator: 0,
      denominator: 0,
      shortfalls: [],
      items: [],
    });
  });

  describe("as of a past date", () => {
    const systems2 = [system("ops", 2), system("other", 2)]; // review 365
    // Draft on 2025-01-10, published on 2025-02-01, linked to "other" and archived on 2026-03-01.
    const history = plan("ops-plan", ["ops", "other"], {
      status: "archived",
      currentRevision: 3,
      lastRevisionAt: d("2026-03-01"),
      revisions: [
        { number: 1, createdAt: d("2025-01-10"), status: "draft", systems: ["ops"] },
        { number: 2, createdAt: d("2025-02-01T09:00:00Z"), status: "published", systems: ["ops"] },
        { number: 3, createdAt: d("2026-03-01"), status: "archived", systems: ["ops", "other"] },
      ],
    });

    it("sees a plan through its latest revision on or before T (status and linked systems)", () => {
      const at = (iso: string) => planCoverage({ systems: systems2, plans: [history] }, d(iso));
      // 2024-12-31: no revision yet -> the plan did not exist -> 0 / 2.
      expect(at("2024-12-31")).toMatchObject({ numerator: 0, denominator: 2 });
      // 2025-01-31: revision 1 is a draft -> 0 / 2.
      expect(at("2025-01-31")).toMatchObject({ numerator: 0, denominator: 2 });
      // 2025-06-30: revision 2 published, linked to ops only; 2025-02-01 + 365 = 2026-02-01 -> ops covered, other missing -> 1 / 2.
      const june = at("2025-06-30");
      expect(june).toMatchObject({ numerator: 1, denominator: 2 });
      expect(june.items[0]).toMatchObject({ system: "ops", covered: true, dueDate: d("2026-02-01") });
      expect(june.shortfalls).toEqual([{ system: "other", reason: R.noPublishedPlan, dueSince: null, overdueDays: null }]);
      // 2026-02-15: still revision 2, due 2026-02-01 -> ops overdue 14 days (Feb 1 -> Feb 15); other still missing.
      expect(at("2026-02-15").shortfalls).toEqual([
        { system: "other", reason: R.noPublishedPlan, dueSince: null, overdueDays: null },
        { system: "ops", plan: "ops-plan", reason: R.planReviewOverdue, dueSince: d("2026-02-01"), overdueDays: 14 },
      ]);
      // 2026-03-15: revision 3 archived -> both missing -> 0 / 2.
      expect(at("2026-03-15").shortfalls.map((s) => s.reason)).toEqual([R.noPublishedPlan, R.noPublishedPlan]);
    });

    it("without revision history, a plan last revised after T did not exist yet", () => {
      const fresh = plan("new-plan", ["ops"], { lastRevisionAt: d("2026-04-01T12:00:00Z") });
      expect(planAsOf(fresh, d("2026-03-31"))).toBeNull();
      expect(planCoverage({ systems: [systems2[0]], plans: [fresh] }, d("2026-03-31"))).toMatchObject({ numerator: 0, denominator: 1 });
      // On 2026-04-01 itself it exists (any time on the as-of day counts).
      expect(planCoverage({ systems: [systems2[0]], plans: [fresh] }, d("2026-04-01"))).toMatchObject({ numerator: 1, denominator: 1 });
    });

    it("uses the latest review on or before T from the review history", () => {
      const reviewed = plan("reviewed", ["crit"], {
        lastRevisionAt: d("2025-01-01"),
        reviews: [d("2025-03-01"), d("2025-10-01")],
        lastReviewedAt: d("2026-02-01"),
      });
      const input2 = { systems: [system("crit", 1)], plans: [reviewed] }; // review 182
      // 2025-12-31: latest review on or before T is 2025-10-01 (2026-02-01 is later); + 182 = 2026-04-01 -> covered.
      expect(planCoverage(input2, d("2025-12-31")).items[0]).toMatchObject({ covered: true, lastDate: d("2025-10-01"), dueDate: d("2026-04-01") });
      // 2025-09-30: review 2025-03-01 + 182 = 2025-08-30 -> overdue 31 days (Aug 30 -> Sep 30).
      expect(planCoverage(input2, d("2025-09-30")).shortfalls[0]).toMatchObject({ dueSince: d("2025-08-30"), overdueDays: 31 });
      // 2025-02-15: no review yet -> the revision 2025-01-01 counts; + 182 = 2025-07-02 -> covered.
      const feb = planCoverage(input2, d("2025-02-15")).items[0];
      expect(feb).toMatchObject({ covered: true, dueDate: d("2025-07-02") });
      expect(feb.plans[0].basis).toBe("revision");
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Metric 2: drill coverage
// ---------------------------------------------------------------------------------------------

describe("drillCoverage (Metrics 2)", () => {
  const T = d("2026-03-15T12:00:00Z");
  const systems = [
    system("ledger", 1, { name: "Core ledger", team: "core" }), // drill 182
    system("cards", 2, { name: "Card switch", team: "payments" }), // drill 365
    system("payments", 2, { name: "Payment gateway", team: "payments" }), // drill 365
    system("reporting", 3, { name: "Reporting", team: "core" }), // drill 365
    system("intranet", 4, { name: "Intranet", team: "workplace" }), // no drill interval
    system("wiki", 4, { name: "Wiki", team: "workplace" }), // no drill interval
    system("legacy", 1, { name: "Legacy", team: "core", retired: true }), // 182, but retired
  ];
  const plans = [
    // Linked to tier 1 (182) and tier 2 (365): strictest 182. Revision 3 since 2026-02-10.
    plan("db-failover", ["ledger", "payments"], {
      currentRevision: 3,
      lastRevisionAt: d("2026-02-10"),
      revisions: [
        { number: 1, createdAt: d("2025-01-05") },
        { number: 2, createdAt: d("2025-08-01") },
        { number: 3, createdAt: d("2026-02-10") },
      ],
    }),
    plan("payments-vendor", ["payments"]),
    plan("intranet-dc", ["intranet", "wiki"]), // all linked systems without interval -> out
    plan("reporting-restore", ["reporting", "intranet"]), // 365 (intranet has none)
    plan("reporting-draft", ["reporting"], { status: "draft" }),
    plan("ledger-archived", ["ledger"], { status: "archived" }),
    plan("legacy-only", ["legacy"]), // no system in scope -> out
    plan("shared-retired", ["legacy", "reporting"]), // 365: the retired tier-1 system is ignored
    plan("ledger-dc", ["ledger"]), // never drilled
    plan("cards-switch", ["cards", "ghost-system"]), // unknown slug ignored
  ];
  const drills = [
    drill("db-failover", "2025-09-14", "passed", 2, "tabletop"), // exercised revision 2, exactly 182 days before T
    drill("db-failover", "2026-03-01", "failed", 3, "live_failover"), // failed: does not count
    drill("payments-vendor", "2025-03-14", "partial", 1, "simulation"), // 366 days before T
    drill("payments-vendor", "2026-03-20", "passed", 1), // after T: ignored
    drill("intranet-dc", "2026-01-01", "passed"),
    drill("reporting-restore", "2026-02-01", "failed"),
    drill("reporting-draft", "2026-03-01", "passed"),
    drill("ledger-archived", "2026-03-01", "passed"),
    drill("legacy-only", "2026-03-01", "passed"),
    drill("shared-retired", "2025-06-01", "passed"), // + 365 = 2026-06-01 (with 182 it would be 2025-11-30, overdue)
    drill("cards-switch", "2026-01-10", "passed", 1, "live_failover"),
  ];
  const input = { systems, plans, drills };

  it("counts published plans in scope with a passed or partial drill within the strictest interval", () => {
    const r = drillCoverage(input, T);
    // Denominator: cards-switch, db-failover, ledger-dc, payments-vendor, reporting-restore, shared-retired = 6
    //   (out: intranet-dc all tier 4; reporting-draft draft; ledger-archived archived; legacy-only retired only).
    // Covered: db-failover (2025-09-14 + 182 = 2026-03-15 = T), shared-retired (due 2026-06-01),
    //   cards-switch (2026-01-10 + 365 = 2027-01-10) = 3 -> 3 / 6 = 0.5.
    expect(r).toMatchObject({ numerator: 3, denominator: 6, value: 0.5 });
    expect(r.items.map((i) => i.plan)).toEqual([
      "cards-switch",
      "db-failover",
      "ledger-dc",
      "payments-vendor",
      "reporting-restore",
      "shared-retired",
    ]);
    expect(r.shortfalls).toEqual([
      { plan: "ledger-dc", reason: R.neverDrilled, dueSince: null, overdueDays: null },
      { plan: "reporting-restore", reason: R.onlyFailedDrills, dueSince: null, overdueDays: null },
      // 2025-03-14 + 365 = 2026-03-14; T - 2026-03-14 = 1 day. The 2026-03-20 drill is after T.
      { plan: "payments-vendor", reason: R.drillOverdue, dueSince: d("2026-03-14"), overdueDays: 1 },
    ]);
  });

  it("flags a plan drilled on an older revision, and failed drills do not refresh it", () => {
    const item = drillCoverage(input, T).items.find((i) => i.plan === "db-failover")!;
    expect(item).toMatchObject({
      systems: ["ledger", "payments"],
      intervalDays: 182, // min(182 ledger, 365 payments)
      intervalSystem: "ledger",
      currentRevision: 3,
      dueDate: d("2026-03-15"), // 2025-09-14 + 182
      covered: true,
      changedSinceLastDrill: true, // drill exercised revision 2 < 3
    });
    expect(item.lastDrill).toMatchObject({ date: d("2025-09-14"), outcome: "passed", planRevision: 2 }); // not the failed 2026-03-01 one
    const vendor = drillCoverage(input, T).items.find((i) => i.plan === "payments-vendor")!;
    expect(vendor).toMatchObject({ changedSinceLastDrill: false, covered: false }); // revision 1 drilled, current 1
  });

  it("ignores systems without a drill interval, retired systems and unknown slugs for the interval", () => {
    const items = new Map(drillCoverage(input, T).items.map((i) => [i.plan, i]));
    expect(items.get("reporting-restore")).toMatchObject({ intervalDays: 365, intervalSystem: "reporting", systems: ["intranet", "reporting"] });
    expect(items.get("shared-retired")).toMatchObject({ intervalDays: 365, intervalSystem: "reporting", systems: ["reporting"], covered: true });
    expect(items.get("cards-switch")).toMatchObject({ intervalDays: 365, systems: ["cards"] });
    expect(items.has("intranet-dc")).toBe(false);
  });

  it("takes the shortest interval, per-system overrides included", () => {
    const r = drillCoverage(
      {
        systems: [system("a", 2), system("b", 2, { sla: { drillIntervalDays: 90 } }), system("c", 4)],
        plans: [plan("p", ["a", "b", "c"])],
        drills: [drill("p", "2025-12-14")], // + 90 = 2026-03-14 (Dec 17 + Jan 31 + Feb 28 + Mar 14 = 90) -> overdue 1 day
      },
      T,
    );
    expect(r.items[0]).toMatchObject({ intervalDays: 90, intervalSystem: "b", covered: false });
    expect(r.shortfalls).toEqual([{ plan: "p", reason: R.drillOverdue, dueSince: d("2026-03-14"), overdueDays: 1 }]);
  });

  it("lists per system whether all its plans are drill-covered", () => {
    const r = drillCoverage(input, T);
    expect(r.systems).toEqual([
      { system: "ledger", tier: 1, covered: false, plans: ["db-failover", "ledger-dc"] }, // ledger-dc never drilled
      { system: "cards", tier: 2, covered: true, plans: ["cards-switch"] },
      { system: "payments", tier: 2, covered: false, plans: ["db-failover", "payments-vendor"] }, // vendor overdue
      { system: "reporting", tier: 3, covered: false, plans: ["reporting-restore", "shared-retired"] }, // restore: only failed
      { system: "intranet", tier: 4, covered: false, plans: ["reporting-restore"] }, // drilled on reporting's interval
      { system: "wiki", tier: 4, covered: null, plans: [] }, // nothing to drill
    ]);
  });

  it("marks a system that needs drills but has no plan as not drill-covered", () => {
    const r = drillCoverage({ systems: [system("lonely", 1)], plans: [], drills: [] }, T);
    expect(r).toMatchObject({ value: null, numerator: 0, denominator: 0, shortfalls: [] }); // no plan: Metric 1 reports it
    expect(r.systems).toEqual([{ system: "lonely", tier: 1, covered: false, plans: [] }]);
  });

  it("keeps a plan's strictest interval from systems outside the scope (decision)", () => {
    const r = drillCoverage({ ...input, scope: { team: ["payments"] } }, T);
    // In scope: cards, payments. Plans: cards-switch (covered), db-failover (covered), payments-vendor (overdue) -> 2 / 3.
    expect(r).toMatchObject({ numerator: 2, denominator: 3 });
    expect(r.value).toBeCloseTo(2 / 3, 12);
    // db-failover keeps 182 days from ledger (team core, out of scope), and lists only its in-scope systems.
    expect(r.items.find((i) => i.plan === "db-failover")).toMatchObject({ intervalDays: 182, intervalSystem: "ledger", systems: ["payments"] });
    // One day later it falls short even though no in-scope system has a 182-day interval.
    expect(drillCoverage({ ...input, scope: { team: ["payments"] } }, d("2026-03-16")).shortfalls).toContainEqual({
      plan: "db-failover",
      reason: R.drillOverdue,
      dueSince: d("2026-03-15"),
      overdueDays: 1,
    });
  });

  it("filters by tier and system; an empty scope has value null", () => {
    // Tier 4: intranet, wiki. Only reporting-restore (interval 365 from reporting, out of scope) -> 0 / 1.
    const t4 = drillCoverage({ ...input, scope: { tier: [4] } }, T);
    expect(t4).toMatchObject({ numerator: 0, denominator: 1, value: 0 });
    expect(t4.systems.map((s) => [s.system, s.covered])).toEqual([["intranet", false], ["wiki", null]]);
    // System cards: cards-switch covered -> 1 / 1.
    expect(drillCoverage({ ...input, scope: { system: ["cards"] } }, T)).toMatchObject({ numerator: 1, denominator: 1, value: 1 });
    // System legacy (retired): nothing in scope -> null.
    expect(drillCoverage({ ...input, scope: { system: ["legacy"] } }, T)).toMatchObject({ value: null, numerator: 0, denominator: 0, items: [], systems: [] });
  });

  it("computes a past as-of date with the revision and drills of that date", () => {
    const r = drillCoverage(input, d("2025-12-31"));
    // db-failover: revision as of 2025-12-31 is 2; drill 2025-09-14 (revision 2) + 182 = 2026-03-15 -> covered, not changed.
    // payments-vendor: 2025-03-14 + 365 = 2026-03-14 -> covered.
    // shared-retired: due 2026-06-01 -> covered.
    // cards-switch (drill 2026-01-10), reporting-restore (failed drill 2026-02-01), ledger-dc: no drill yet -> never drilled.
    expect(r).toMatchObject({ numerator: 3, denominator: 6, value: 0.5 }); // 3 / 6
    expect(r.items.find((i) => i.plan === "db-failover")).toMatchObject({ currentRevision: 2, changedSinceLastDrill: false, covered: true });
    expect(r.shortfalls).toEqual([
      { plan: "cards-switch", reason: R.neverDrilled, dueSince: null, overdueDays: null },
      { plan: "ledger-dc", reason: R.neverDrilled, dueSince: null, overdueDays: null },
      { plan: "reporting-restore", reason: R.neverDrilled, dueSince: null, overdueDays: null }, // the failed drill had not happened yet
    ]);
  });

  it("leaves out a plan that had no revision yet", () => {
    // 2025-01-04: db-failover's first revision is 2025-01-05 -> not in the denominator;
    // the other five (revised 2025-01-01) have no drill yet -> 0 / 5.
    const r = drillCoverage(input, d("2025-01-04"));
    expect(r).toMatchObject({ numerator: 0, denominator: 5, value: 0 });
    expect(r.items.map((i) => i.plan)).not.toContain("db-failover");
  });
});

// ---------------------------------------------------------------------------------------------
// Metric 3: inspection coverage
// ---------------------------------------------------------------------------------------------

describe("inspectionCoverage (Metrics 3)", () => {
  const T = d("2026-03-15T09:30:00Z");
  const systems = [
    system("ledger", 1, { name: "Core ledger" }), // every 1 day
    system("payments", 2, { name: "Payment gateway" }), // 7
    system("reporting", 3, { name: "Reporting" }), // 30
    system("newsys", 3, { name: "New system" }), // 30, never inspected
    system("intranet", 4, { name: "Intranet" }), // 90
    system("legacy", 2, { name: "Legacy", retired: true }),
  ];
  const inspections = [
    inspection("ledger", "2026-02-28", "ok", "i0"),
    inspection("ledger", "2026-03-14T23:59:00Z", "ok", "i1"),
    inspection("payments", "2026-03-01", "ok", "i2"),
    inspection("payments", "2026-03-07T06:00:00Z", "warning", "i3"),
    inspection("payments", "2026-03-16", "ok", "i4"), // after T
    inspection("reporting", "2026-02-20", "failed", "i5"),
    inspection("intranet", "2025-12-15", "ok", "i6"),
    inspection("legacy", "2020-01-01", "ok", "i7"),
  ];
  const input = { systems, inspections };

  it("counts systems whose latest inspection is within the interval; a failed inspection still counts", () => {
    const r = inspectionCoverage(input, T);
    // In scope: ledger, payments, reporting, newsys, intranet = 5 (legacy retired).
    // ledger: 2026-03-14 + 1 = 2026-03-15 = T -> covered (boundary).
    // payments: latest on or before T is 2026-03-07 (i4 is after T); + 7 = 2026-03-14 -> overdue 1 day.
    // reporting: 2026-02-20 + 30 = 2026-03-22 -> covered although the result was "failed".
    // newsys: never inspected.
    // intranet: 2025-12-15 + 90 = 2026-03-15 (Dec 16 + Jan 31 + Feb 28 + Mar 15 = 90) -> covered (boundary).
    expect(r).toMatchObject({ numerator: 3, denominator: 5, value: 0.6 }); // 3 / 5
    expect(r.shortfalls).toEqual([
      { system: "newsys", reason: R.neverInspected, dueSince: null, overdueDays: null },
      { system: "payments", reason: R.inspectionOverdue, dueSince: d("2026-03-14"), overdueDays: 1 },
    ]);
    const items = new Map(r.items.map((i) => [i.system, i]));
    expect(items.get("payments")).toMatchObject({ covered: false, intervalDays: 7, dueDate: d("2026-03-14") });
    expect(items.get("payments")!.lastInspection?.id).toBe("i3");
    expect(items.get("reporting")).toMatchObject({ covered: true, dueDate: d("2026-03-22") });
    expect(items.get("reporting")!.lastInspection?.result).toBe("failed");
    expect(items.get("newsys")).toMatchObject({ covered: false, lastInspection: null, dueDate: null });
  });

  it("computes a past as-of date with the inspections known on that day", () => {
    const r = inspectionCoverage(input, d("2026-03-01"));
    // ledger i0 2026-02-28 + 1 = 03-01 covered; payments i2 2026-03-01 covered; reporting 2026-02-20 covered;
    // intranet 2025-12-15 + 90 = 2026-03-15 covered; newsys never -> 4 / 5.
    expect(r).toMatchObject({ numerator: 4, denominator: 5, value: 0.8 });
    expect(r.shortfalls).toEqual([{ system: "newsys", reason: R.neverInspected, dueSince: null, overdueDays: null }]);
  });

  it("counts an inspection made any time on the as-of day", () => {
    const r = inspectionCoverage(input, d("2026-03-16"));
    // ledger: i1 + 1 = 03-15 -> overdue 1; payments: i4 2026-03-16 (now known) -> covered;
    // reporting covered; intranet due 03-15 -> overdue 1; newsys never -> 2 / 5.
    expect(r).toMatchObject({ numerator: 2, denominator: 5, value: 0.4 });
    expect(r.shortfalls).toEqual([
      { system: "newsys", reason: R.neverInspected, dueSince: null, overdueDays: null },
      { system: "intranet", reason: R.inspectionOverdue, dueSince: d("2026-03-15"), overdueDays: 1 },
      { system: "ledger", reason: R.inspectionOverdue, dueSince: d("2026-03-15"), overdueDays: 1 },
    ]);
  });

  it("filters the scope; an empty scope has value null", () => {
    expect(inspectionCoverage({ ...input, scope: { tier: [1] } }, T)).toMatchObject({ numerator: 1, denominator: 1, value: 1 });
    expect(inspectionCoverage({ ...input, scope: { system: ["newsys", "payments"] } }, T)).toMatchObject({ numerator: 0, denominator: 2, value: 0 });
    expect(inspectionCoverage({ systems: [], inspections }, T)).toMatchObject({ value: null, numerator: 0, denominator: 0 });
  });
});

// ---------------------------------------------------------------------------------------------
// Metric 4: runbook coverage
// ---------------------------------------------------------------------------------------------

describe("runbookCoverage (Metrics 4)", () => {
  const T = d("2026-03-15");
  const systems = [
    system("ledger", 1, { team: "core" }),
    system("payments", 2, { team: "payments" }),
    system("reporting", 3, { team: "core" }),
    system("intranet", 4, { team: "workplace" }),
    system("legacy", 2, { team: "core", retired: true }),
  ];
  const runbooks = [
    runbook("replica-lag", ["ledger", "payments"]),
    runbook("report-draft", ["reporting"], { status: "draft" }),
    runbook("intranet-old", ["intranet"], {
      status: "archived",
      revisions: [
        { number: 1, createdAt: d("2025-01-01"), status: "published" },
        { number: 2, createdAt: d("2026-02-01"), status: "archived" },
      ],
    }),
    runbook("legacy-restart", ["legacy"]),
    runbook("report-rerun", ["reporting"], { revisions: [{ number: 1, createdAt: d("2026-04-01") }] }),
  ];
  const input = { systems, runbooks };

  it("counts systems with a published runbook; drafts, archived runbooks and retired systems do not count", () => {
    const r = runbookCoverage(input, T);
    // ledger, payments covered by replica-lag; reporting: draft + report-rerun not written yet; intranet: archived -> 2 / 4.
    expect(r).toMatchObject({ numerator: 2, denominator: 4, value: 0.5 });
    expect(r.shortfalls).toEqual([
      { system: "intranet", reason: R.noPublishedRunbook, dueSince: null, overdueDays: null },
      { system: "reporting", reason: R.noPublishedRunbook, dueSince: null, overdueDays: null },
    ]);
    expect(r.items.map((i) => [i.system, i.runbooks])).toEqual([
      ["ledger", ["replica-lag"]],
      ["payments", ["replica-lag"]],
      ["reporting", []],
      ["intranet", []],
    ]);
  });

  it("uses a runbook's revisions for past and later as-of dates", () => {
    // 2026-01-31: intranet-old still published (archived 2026-02-01); report-rerun not yet -> ledger, payments, intranet = 3 / 4.
    expect(runbookCoverage(input, d("2026-01-31"))).toMatchObject({ numerator: 3, denominator: 4, value: 0.75 });
    // 2026-04-30: report-rerun published 2026-04-01; intranet-old archived -> ledger, payments, reporting = 3 / 4.
    expect(runbookCoverage(input, d("2026-04-30")).shortfalls.map((s) => s.system)).toEqual(["intranet"]);
  });

  it("filters by team; an empty scope has value null", () => {
    // team core: ledger (covered), reporting (missing); legacy retired -> 1 / 2.
    expect(runbookCoverage({ ...input, scope: { team: ["core"] } }, T)).toMatchObject({ numerator: 1, denominator: 2, value: 0.5 });
    expect(runbookCoverage({ ...input, scope: { team: ["nobody"] } }, T)).toMatchObject({ value: null, denominator: 0, shortfalls: [] });
  });
});

// ---------------------------------------------------------------------------------------------
// Matrix
// ---------------------------------------------------------------------------------------------

describe("coverageMatrix", () => {
  const T = d("2026-03-15");
  const input: CoverageInput = {
    systems: [
      system("intranet", 4, { name: "Intranet" }),
      system("wiki", 4, { name: "Wiki" }),
      system("reporting", 3, { name: "Reporting" }),
      system("payments", 2, { name: "Payment gateway" }),
      system("cards", 2, { name: "Card switch" }),
      system("ledger", 1, { name: "Core ledger" }),
      system("legacy", 1, { name: "Legacy", retired: true }),
    ],
    plans: [
      plan("db-failover", ["ledger", "payments"], { lastReviewedAt: d("2025-09-14") }),
      plan("cards-switch", ["cards", "wiki"], { lastRevisionAt: d("2025-01-10") }),
      plan("reporting-restore", ["reporting"], { lastReviewedAt: d("2025-04-15") }),
      plan("payments-vendor", ["payments"], { lastReviewedAt: d("2026-01-01") }),
    ],
    drills: [
      drill("db-failover", "2025-10-01"),
      drill("cards-switch", "2025-06-01"),
      drill("payments-vendor", "2025-01-01"),
    ],
    inspections: [
      inspection("ledger", "2026-03-15", "ok", "i-ledger"),
      inspection("cards", "2026-03-09", "ok", "i-cards"),
      inspection("payments", "2026-03-10", "ok", "i-payments"),
      inspection("intranet", "2025-12-01", "ok", "i-intranet"),
      inspection("wiki", "2026-01-01", "ok", "i-wiki"),
    ],
    runbooks: [runbook("replica-lag", ["ledger", "payments"]), runbook("intranet-login", ["intranet"])],
  };

  it("gives every system in scope a state and due date per area, ordered by tier", () => {
    const rows = coverageMatrix(input, T);
    expect(rows.map((r) => [r.tier, r.system])).toEqual([
      [1, "ledger"],
      [2, "cards"], // "Card switch" < "Payment gateway"
      [2, "payments"],
      [3, "reporting"],
      [4, "intranet"],
      [4, "wiki"],
    ]);
    const row = new Map(rows.map((r) => [r.system, r]));
    const brief = (s: string) => {
      const r = row.get(s)!;
      return {
        plan: [r.plan.state, r.plan.dueDate],
        drill: [r.drill.state, r.drill.dueDate],
        inspection: [r.inspection.state, r.inspection.dueDate],
        runbook: r.runbook.state,
      };
    };
    expect(brief("ledger")).toEqual({
      plan: ["due_soon", d("2026-03-15")], // review 2025-09-14 + 182 = T: due today (window 28)
      drill: ["due_soon", d("2026-04-01")], // 2025-10-01 + 182 = 2026-04-01, 17 days left < 28
      inspection: ["current", d("2026-03-16")], // 2026-03-15 + 1: 1 day left, window 1 -> current
      runbook: "current",
    });
    expect(brief("cards")).toEqual({
      plan: ["overdue", d("2026-01-10")], // revision 2025-01-10 + 365 = 2026-01-10 < T
      drill: ["current", d("2026-06-01")], // 2025-06-01 + 365 = 2026-06-01, 78 days left >= 55
      inspection: ["due_soon", d("2026-03-16")], // 2026-03-09 + 7, 1 day left < 2
      runbook: "missing",
    });
    expect(brief("payments")).toEqual({
      plan: ["current", d("2027-01-01")], // freshest: payments-vendor review 2026-01-01 + 365 = 2027-01-01 (2026 not leap)
      drill: ["overdue", d("2026-01-01")], // worst plan: payments-vendor 2025-01-01 + 365 = 2026-01-01 (db-failover due_soon)
      inspection: ["current", d("2026-03-17")], // 2026-03-10 + 7: 2 days left, not < 2
      runbook: "current",
    });
    expect(brief("reporting")).toEqual({
      plan: ["due_soon", d("2026-04-15")], // 2025-04-15 + 365: 31 days left < 55
      drill: ["missing", null], // reporting-restore never drilled
      inspection: ["missing", null],
      runbook: "missing",
    });
    expect(brief("intranet")).toEqual({
      plan: ["missing", null],
      drill: ["not_required", null], // tier 4, no plan to drill
      inspection: ["overdue", d("2026-03-01")], // 2025-12-01 + 90 = 2026-03-01 < T
      runbook: "current",
    });
    expect(brief("wiki")).toEqual({
      plan: ["current", d("2027-01-10")], // cards-switch revision 2025-01-10 + 730 (wiki's own interval)
      drill: ["current", d("2026-06-01")], // tier 4, but cards-switch needs drilling for cards
      inspection: ["current", d("2026-04-01")], // 2026-01-01 + 90: 17 days left >= 14
      runbook: "missing",
    });
  });

  it("carries the evidence and references behind each cell", () => {
    const row = new Map(coverageMatrix(input, T).map((r) => [r.system, r]));
    expect(row.get("payments")!.plan).toEqual({
      state: "current",
      dueDate: d("2027-01-01"),
      lastDate: d("2026-01-01"),
      intervalDays: 365,
      refs: ["payments-vendor", "db-failover"], // freshest evidence first
    });
    expect(row.get("payments")!.drill).toEqual({
      state: "overdue",
      dueDate: d("2026-01-01"),
      lastDate: d("2025-01-01"),
      intervalDays: 365,
      refs: ["db-failover", "payments-vendor"],
    });
    expect(row.get("intranet")!.drill).toEqual({ state: "not_required", dueDate: null, lastDate: null, intervalDays: null, refs: [] });
    expect(row.get("ledger")!.inspection.refs).toEqual(["i-ledger"]);
    expect(row.get("ledger")!.runbook).toEqual({ state: "current", dueDate: null, lastDate: null, intervalDays: null, refs: ["replica-lag"] });
  });

  it("marks due_soon within the last 15% of the interval (min 1 day) and overdue the day after the due date", () => {
    // Tier 2 inspections every 7 days, window 2 days, as of 2026-03-15.
    const rows = coverageMatrix(
      {
        ...EMPTY,
        systems: ["a", "b", "c", "e"].map((s) => system(s, 2)),
        inspections: [
          inspection("a", "2026-03-10"), // due 03-17, 2 days left -> current
          inspection("b", "2026-03-09"), // due 03-16, 1 day left -> due_soon
          inspection("c", "2026-03-08"), // due 03-15 = T, 0 days left -> due_soon
          inspection("e", "2026-03-07"), // due 03-14 -> overdue
        ],
      },
      T,
    );
    expect(rows.map((r) => r.inspection.state)).toEqual(["current", "due_soon", "due_soon", "overdue"]);
    // Tier 1 plan review every 182 days, window 28: evidence 154 days old leaves 28 days (current), 155 leaves 27.
    const plans = coverageMatrix(
      {
        ...EMPTY,
        systems: [system("x", 1), system("y", 1)],
        plans: [
          plan("px", ["x"], { lastReviewedAt: d("2025-10-12") }), // T - 154 d
          plan("py", ["y"], { lastReviewedAt: d("2025-10-11") }), // T - 155 d
        ],
      },
      T,
    );
    expect(plans.map((r) => [r.plan.state, r.plan.dueDate])).toEqual([
      ["current", d("2026-04-12")],
      ["due_soon", d("2026-04-11")],
    ]);
  });

  it("agrees with the four metrics: current or due_soon exactly when covered", () => {
    for (const at of [d("2025-06-30"), T, d("2026-06-30")]) {
      const rows = new Map(coverageMatrix(input, at).map((r) => [r.system, r]));
      const ok = (s: string) => s === "current" || s === "due_soon";
      for (const i of planCoverage(input, at).items) expect(ok(rows.get(i.system)!.plan.state)).toBe(i.covered);
      for (const i of inspectionCoverage(input, at).items) expect(ok(rows.get(i.system)!.inspection.state)).toBe(i.covered);
      for (const i of runbookCoverage(input, at).items) expect(ok(rows.get(i.system)!.runbook.state)).toBe(i.covered);
      for (const s of drillCoverage(input, at).systems) {
        const state = rows.get(s.system)!.drill.state;
        expect(s.covered === null ? state === "not_required" : ok(state) === s.covered).toBe(true);
      }
    }
  });

  it("respects the scope", () => {
    expect(coverageMatrix({ ...input, scope: { tier: [4] } }, T).map((r) => r.system)).toEqual(["intranet", "wiki"]);
    expect(coverageMatrix({ ...input, scope: { system: ["legacy"] } }, T)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Trend
// ---------------------------------------------------------------------------------------------

describe("coverageTrend (Trend views)", () => {
  // One tier-3 system (drill 365, inspection 30, plan review 365).
  const input: CoverageInput = {
    systems: [system("settlement", 3)],
    plans: [plan("settlement-dr", ["settlement"], { lastRevisionAt: d("2025-11-20"), revisions: [{ number: 1, createdAt: d("2025-11-20") }] })],
    drills: [drill("settlement-dr", "2026-02-10")],
    inspections: [inspection("settlement", "2026-01-31T18:00:00Z")],
    runbooks: [runbook("settlement-rerun", ["settlement"], { revisions: [{ number: 1, createdAt: d("2026-02-01") }] })],
  };
  const T = d("2026-03-15T10:00:00Z");
  const fig = (m: { numerator: number; denominator: number }) => `${m.numerator}/${m.denominator}`;

  it("computes each month as of its last day (UTC), the current month as of T", () => {
    const points = coverageTrend(input, 4, T);
    expect(points.map((p) => [p.month, p.asOf, p.partial])).toEqual([
      ["2025-12", d("2025-12-31"), false],
      ["2026-01", d("2026-01-31"), false],
      ["2026-02", d("2026-02-28"), false],
      ["2026-03", T, true],
    ]);
    expect(points.map((p) => [fig(p.plan), fig(p.drill), fig(p.inspection), fig(p.runbook)])).toEqual([
      // Dec: plan revised 2025-11-20 -> plan 1/1; never drilled 0/1; no inspection 0/1; runbook not written 0/1.
      ["1/1", "0/1", "0/1", "0/1"],
      // Jan (as of 01-31): inspection at 18:00 on the last day counts -> 1/1; drill and runbook still 0/1.
      ["1/1", "0/1", "1/1", "0/1"],
      // Feb (as of 02-28): drill 2026-02-10, inspection 28 days old (due 03-02), runbook 2026-02-01 -> all 1/1.
      ["1/1", "1/1", "1/1", "1/1"],
      // Mar (as of 03-15): inspection due 2026-01-31 + 30 = 2026-03-02 -> 0/1.
      ["1/1", "1/1", "0/1", "1/1"],
    ]);
    expect(points[0].drill.value).toBe(0);
  });

  it("ends with the headline figures as of T", () => {
    const last = coverageTrend(input, 4, T).at(-1)!;
    const pick = ({ value, numerator, denominator }: { value: number | null; numerator: number; denominator: number }) => ({ value, numerator, denominator });
    expect(last.plan).toEqual(pick(planCoverage(input, T)));
    expect(last.drill).toEqual(pick(drillCoverage(input, T)));
    expect(last.inspection).toEqual(pick(inspectionCoverage(input, T)));
    expect(last.runbook).toEqual(pick(runbookCoverage(input, T)));
  });

  it("defaults to the last 12 calendar months", () => {
    const points = coverageTrend(input, undefined, T);
    expect(points).toHaveLength(12);
    expect(points[0]).toMatchObject({ month: "2025-04", asOf: d("2025-04-30"), partial: false });
    expect(points[10]).toMatchObject({ month: "2026-02", asOf: d("2026-02-28") });
    // Before the plan existed (2025-11-20) there is no plan in the drill denominator: value null, not 0.
    expect(points[0].drill).toEqual({ value: null, numerator: 0, denominator: 0 });
    expect(points[0].plan).toEqual({ value: 0, numerator: 0, denominator: 1 });
  });

  it("handles leap years and an as-of date on a month's last day", () => {
    expect(coverageTrend(EMPTY, 2, d("2024-03-10")).map((p) => [p.month, p.asOf, p.partial])).toEqual([
      ["2024-02", d("2024-02-29"), false],
      ["2024-03", d("2024-03-10"), true],
    ]);
    // As of the afternoon of 2026-02-28: the month is complete (its last day), not partial.
    expect(coverageTrend(EMPTY, 1, d("2026-02-28T15:00:00Z"))).toEqual([
      {
        month: "2026-02",
        asOf: d("2026-02-28"),
        partial: false,
        plan: { value: null, numerator: 0, denominator: 0 },
        drill: { value: null, numerator: 0, denominator: 0 },
        inspection: { value: null, numerator: 0, denominator: 0 },
        runbook: { value: null, numerator: 0, denominator: 0 },
      },
    ]);
  });

  it("rejects a month count that is not a positive integer", () => {
    expect(() => coverageTrend(input, 0, T)).toThrow(RangeError);
    expect(() => coverageTrend(input, 1.5, T)).toThrow(RangeError);
  });
});

describe("coverageFigures (figures only, for trend points)", () => {
  /** A small deterministic generator (mulberry32), so a failure can be reproduced. */
  function random(seed: number) {
    let a = seed;
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const START = utcDay(d("2025-01-01"));
  const STATUSES = ["published", "draft", "archived"] as const;
  const OUTCOMES = ["passed", "partial", "failed"] as const;

  /** Random histories over 2025-2026: overlapping systems, revisions that change status and links, ties. */
  function randomInput(seed: number): CoverageInput {
    const rnd = random(seed);
    const int = (n: number) => Math.floor(rnd() * n);
    const at = () => new Date((START + int(700)) * 86_400_000 + int(86_400_000));
    const systems = Array.from({ length: 12 }, (_, i) =>
      system(`s${i}`, 1 + int(4), { team: ["a", "b", null][int(3)], retired: rnd() < 0.15, sla: rnd() < 0.2 ? { drillIntervalDays: 30 } : {} }),
    );
    const slugs = () => Array.from({ length: 1 + int(3) }, () => (rnd() < 0.1 ? "unknown" : `s${int(12)}`));
    const plans = Array.from({ length: 15 }, (_, i) => {
      const revisions = Array.from({ length: 1 + int(3) }, (_, n) => ({
        number: n + 1,
        createdAt: at(),
        ...(rnd() < 0.7 ? { status: STATUSES[int(3)] } : {}),
        ...(rnd() < 0.7 ? { systems: slugs() } : {}),
      }));
      return plan(`p${i}`, slugs(), {
        status: STATUSES[int(3)],
        currentRevision: revisions.length,
        lastRevisionAt: revisions.at(-1)!.createdAt,
        lastReviewedAt: rnd() < 0.3 ? at() : null,
        ...(rnd() < 0.8 ? { revisions } : {}),
        ...(rnd() < 0.6 ? { reviews: Array.from({ length: int(3) }, at) } : {}),
      });
    });
    const drills = Array.from({ length: 40 }, () => ({
      id: nextId++,
      planSlug: `p${int(16)}`,
      planRevision: 1 + int(3),
      date: at(),
      outcome: OUTCOMES[int(3)],
      type: "tabletop" as const,
    }));
    const inspections = Array.from({ length: 60 }, () => ({ id: nextId++, systemSlug: `s${int(13)}`, date: at(), result: "ok" as const }));
    const runbooks = Array.from({ length: 8 }, (_, i) =>
      runbook(`r${i}`, slugs(), {
        status: STATUSES[int(3)],
        ...(rnd() < 0.6 ? { revisions: [{ number: 1, createdAt: at(), ...(rnd() < 0.5 ? { status: STATUSES[int(3)] } : {}) }] } : {}),
      }),
    );
    return { systems, plans, drills, inspections, runbooks };
  }

  const summaryOf = ({ value, numerator, denominator }: { value: number | null; numerator: number; denominator: number }) => ({
    value,
    numerator,
    denominator,
  });
  const SCOPES = [{}, { team: ["a"] }, { tier: [1, 2] }, { system: ["s1", "s2", "s3"] }, { team: ["b"], tier: [4] }];

  it("equals the four metric functions' figures on random histories, scopes and as-of days", () => {
    let compared = 0;
    let nonTrivial = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const base = randomInput(seed);
      for (const scope of SCOPES) {
        const input = { ...base, scope };
        for (const asOf of ["2025-01-15", "2025-06-30", "2025-12-31T23:59:59Z", "2026-03-01T08:00:00Z", "2026-11-22"].map(d)) {
          const figures = coverageFigures(input, asOf);
          expect(figures).toEqual({
            plan: summaryOf(planCoverage(input, asOf)),
            drill: summaryOf(drillCoverage(input, asOf)),
            inspection: summaryOf(inspectionCoverage(input, asOf)),
            runbook: summaryOf(runbookCoverage(input, asOf)),
          });
          compared++;
          if (figures.drill.numerator > 0 && figures.plan.numerator > 0 && figures.inspection.numerator > 0) nonTrivial++;
        }
      }
    }
    expect(compared).toBe(1000);
    // The generator must produce covered items too, or the comparison proves little.
    expect(nonTrivial).toBeGreaterThan(100);
  });

  it("counts evidence exactly N days old and not N + 1 (the interval boundary)", () => {
    const input: CoverageInput = {
      systems: [system("a", 3), system("b", 3)],
      plans: [plan("pa", ["a"], { lastRevisionAt: d("2025-03-01") }), plan("pb", ["b"], { lastRevisionAt: d("2025-02-28") })],
      drills: [drill("pa", "2025-03-01"), drill("pb", "2025-02-28T23:00:00Z")],
      inspections: [inspection("a", "2026-01-30"), inspection("b", "2026-01-29")],
      runbooks: [],
    };
    // Tier 3: plan review and drill 365 days, inspection 30 days; as of 2026-03-01.
    expect(coverageFigures(input, d("2026-03-01"))).toEqual({
      plan: { value: 0.5, numerator: 1, denominator: 2 },
      drill: { value: 0.5, numerator: 1, denominator: 2 },
      inspection: { value: 0.5, numerator: 1, denominator: 2 },
      runbook: { value: 0, numerator: 0, denominator: 2 },
    });
  });
});
