/**
 * trendCalculator (figures only, for the 12-month trend) must give exactly what the pure functions
 * of ./reliability.ts give for the same rows, period and as-of instant (shared/domain.md "Metrics"
 * 5-9, "Trend views"). Random histories with the awkward cases (missing and out-of-order
 * timestamps, explicit links to earlier, later, unknown and unread incidents, retired and unknown
 * systems, category "unknown", actions closed late, after T, without a closing time or a due date)
 * are compared figure by figure, with exact equality (same summation order), over monthly trends in
 * two time zones and over periods whose T falls inside or before them.
 */
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../tests/random";
import {
  actionClosure,
  availabilityForSystems,
  incidentsInScope,
  monthlyTrend,
  recurrenceRate,
  resolutionEffectiveness,
  responseWithinSla,
  ROOT_CAUSE_CATEGORIES,
  timeToAcknowledge,
  timeToDetect,
  timeToRestore,
  type CorrectiveActionRow,
  type IncidentRow,
  type Period,
  type SystemRow,
} from "./reliability";
import { orderedBy, trendCalculator, type TrendFigures, type TrendInput } from "./reliability-trend";


const SLUGS = ["a", "b", "c", "d", "e", "f"];
const SYSTEMS: SystemRow[] = SLUGS.map((slug, k) => ({
  slug,
  name: slug,
  tier: 1 + (k % 4),
  lifecycle: k === 4 ? "retired" : "active",
  ownerTeam: k % 2 === 0 ? "even" : "odd",
  sla: {
    availability: [0.9995, 0.999, 0.995, 0.99, 0.999, 0.98][k],
    rtoMinutes: 30 + k * 90,
    responseMinutes: { SEV1: 5 + k, SEV2: 15 + k * 5, SEV3: 60, SEV4: 240 },
  },
}));
const MIN = 60_000;
const DAY = 86_400_000;

function history(seed: number, n: number): { incidents: IncidentRow[]; actions: CorrectiveActionRow[] } {
  const rnd = seededRandom(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)];
  const start = Date.parse("2025-09-01T00:00:00Z");
  const incidents: IncidentRow[] = [];
  const after = (at: number, maxMinutes: number, missing = 0.1) => (rnd() < missing ? null : new Date(at + Math.floor(rnd() * maxMinutes) * MIN));
  for (let k = 0; k < n; k++) {
    // Whole-day starts make ties (the id tie-break) and month-boundary starts likely.
    const s = start + Math.floor(rnd() * 420) * DAY + (rnd() < 0.2 ? 0 : Math.floor(rnd() * DAY));
    const detectedAt = after(s, 40);
    const acknowledgedAt = rnd() < 0.05 ? new Date(s - 5 * MIN) : after((detectedAt ?? new Date(s)).getTime(), 300);
    const restore = rnd() < 0.03 ? new Date(s - 10 * MIN) : after(s, 2_000, 0.12);
    const systems = [...new Set([pick([...SLUGS, "unknown-system"]), ...(rnd() < 0.3 ? [pick(SLUGS)] : [])])];
    const linkRoll = rnd();
    incidents.push({
      id: `i${String(k).padStart(4, "0")}`,
      title: "",
      severity: pick(["SEV1", "SEV2", "SEV3", "SEV4"] as const),
      systems,
      startedAt: new Date(s),
      detectedAt,
      acknowledgedAt,
      mitigatedAt: rnd() < 0.5 ? restore : rnd() < 0.2 ? after(s, 3_000) : null,
      resolvedAt: restore,
      customerImpact: rnd() < 0.7,
      rootCauseCategory: pick(ROOT_CAUSE_CATEGORIES.slice(0, 3).concat(["unknown"] as const)),
      // Links to any incident (earlier, later or itself), to an unread one, or none.
      recurrenceOf: linkRoll < 0.08 && k > 0 ? `i${String(Math.floor(rnd() * n)).padStart(4, "0")}` : linkRoll < 0.1 ? "not-loaded" : linkRoll < 0.11 ? `i${String(k).padStart(4, "0")}` : null,
    });
  }
  const actions: CorrectiveActionRow[] = [];
  for (let k = 0; k < n * 2; k++) {
    const due = rnd() < 0.03 ? null : new Date(start + Math.floor(rnd() * 430) * DAY);
    const status = pick(["open", "in_progress", "done", "done", "done", "wont_do"] as const);
    const closedAt =
      status === "done" || status === "wont_do"
        ? rnd() < 0.05
          ? null
          : new Date((due?.getTime() ?? start) + Math.floor((rnd() * 40 - 25) * DAY) + Math.floor(rnd() * DAY))
        : null;
    actions.push({ id: `a${k}`, title: "", owner: null, dueDate: due, status, closedAt, source: { type: "incident", id: "" } });
  }
  return { incidents, actions };
}

/** The figures the way the report used to compute them: the pure functions over every row. */
function reference(input: TrendInput, scopedRows: IncidentRow[], p: Period, t: Date): TrendFigures {
  const share = (ids: string[], pick: (id: string) => boolean) => {
    const kept = ids.filter((id) => input.scoped.has(id));
    return kept.length === 0 ? null : kept.filter(pick).length / kept.length;
  };
  const avail = availabilityForSystems(input.scopeSystems, scopedRows, p, t);
  const mttr = timeToRestore(scopedRows, p, t).all;
  const recurrence = recurrenceRate(input.incidents, p, t);
  const recurring = new Set(recurrence.recurring.map((r) => r.id));
  const resolution = resolutionEffectiveness(input.incidents, input.systems, p, t);
  const effective = new Set(resolution.effective.map((r) => r.id));
  return {
    availabilityMet: avail.value,
    downtimeMinutes: avail.systems.reduce((sum, s) => sum + s.downtimeMinutes, 0),
    mttdMinutes: timeToDetect(scopedRows, p, t).all.meanMinutes,
    mttaMinutes: timeToAcknowledge(scopedRows, p, t).all.meanMinutes,
    mttrMinutes: mttr.meanMinutes,
    mttrMedianMinutes: mttr.medianMinutes,
    incidents: mttr.count + mttr.incomplete,
    responseWithinSla: responseWithinSla(scopedRows, input.systems, p, t).value,
    recurrenceRate: share(recurrence.incidents, (id) => recurring.has(id)),
    actionClosure: actionClosure(input.actions, p, t).value,
    resolutionEffectiveness: share(
      [...resolution.effective, ...resolution.shortfall].map((r) => r.id),
      (id) => effective.has(id),
    ),
  };
}

const SCOPES: Array<{ name: string; systems: SystemRow[] }> = [
  { name: "whole catalog", systems: SYSTEMS },
  { name: "team even", systems: SYSTEMS.filter((s) => s.ownerTeam === "even") },
  { name: "one system", systems: SYSTEMS.filter((s) => s.slug === "b") },
];

describe("trendCalculator gives the pure functions' figures", () => {
  for (const seed of [11, 12, 13]) {
    const { incidents, actions } = history(seed, 700);
    for (const scope of SCOPES) {
      const scopedRows = incidentsInScope(incidents, scope.systems);
      const input: TrendInput = {
        incidents,
        scoped: new Set(scopedRows.map((i) => i.id)),
        systems: SYSTEMS,
        scopeSystems: scope.systems,
        actions,
      };
      const calculate = trendCalculator(input);

      for (const timeZone of ["UTC", "Asia/Shanghai"]) {
        it(`12-month trend, seed ${seed}, ${scope.name}, ${timeZone}`, () => {
          const asOf = new Date("2026-09-17T08:30:00Z");
          const fast = monthlyTrend(calculate, asOf, { months: 12, timeZone, includeCurrentMonth: true });
          const slow = monthlyTrend((p, t) => reference(input, scopedRows, p, t), asOf, { months: 12, timeZone, includeCurrentMonth: true });
          expect(fast.map((m) => m.result)).toEqual(slow.map((m) => m.result));
          // The fixture must exercise every figure.
          const months = slow.map((m) => m.result);
          expect(months.some((m) => (m.recurrenceRate ?? 0) > 0)).toBe(true);
          expect(months.some((m) => m.actionClosure !== null && m.actionClosure > 0 && m.actionClosure < 1)).toBe(true);
          expect(months.some((m) => m.downtimeMinutes > 0)).toBe(true);
        });
      }

      it(`periods with T inside, before and after them, seed ${seed}, ${scope.name}`, () => {
        const periods: Array<[Period, Date]> = [
          [{ from: new Date("2026-04-01T00:00:00Z"), to: new Date("2026-07-01T00:00:00Z") }, new Date("2026-05-20T13:00:00Z")],
          [{ from: new Date("2026-04-01T00:00:00Z"), to: new Date("2026-07-01T00:00:00Z") }, new Date("2026-03-20T13:00:00Z")],
          [{ from: new Date("2026-01-10T06:00:00Z"), to: new Date("2026-02-10T06:00:00Z") }, new Date("2026-10-01T00:00:00Z")],
          [{ from: new Date("2026-02-01T00:00:00Z"), to: new Date("2026-02-01T00:00:00Z") }, new Date("2026-03-01T00:00:00Z")],
        ];
        for (const [p, t] of periods) expect(calculate(p, t)).toEqual(reference(input, scopedRows, p, t));
      });
    }
  }

  it("refuses a period that ends before it starts, as the pure functions do", () => {
    const calculate = trendCalculator({ incidents: [], scoped: new Set(), systems: SYSTEMS, scopeSystems: SYSTEMS, actions: [] });
    expect(() => calculate({ from: new Date("2026-02-01"), to: new Date("2026-01-01") }, new Date("2026-03-01"))).toThrow(RangeError);
  });
});

describe("orderedBy", () => {
  const rows = [
    { key: 3, id: "b", n: 0 },
    { key: 1, id: "z", n: 1 },
    { key: 3, id: "a", n: 2 },
    { key: 1, id: "z", n: 3 },
    { key: -Infinity, id: "x", n: 4 },
  ];
  it("orders by key like a stable sort, ties by the tie-break then input order", () => {
    expect(orderedBy(rows, (r) => r.key).map((r) => r.n)).toEqual([4, 1, 3, 0, 2]);
    expect(orderedBy(rows, (r) => r.key, (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((r) => r.n)).toEqual([4, 1, 3, 2, 0]);
  });
  it("returns a new array and leaves the input alone, sorted or not", () => {
    const sorted = [rows[4], rows[1], rows[3]];
    const out = orderedBy(sorted, (r) => r.key);
    expect(out).toEqual(sorted);
    expect(out).not.toBe(sorted);
    orderedBy(rows, (r) => r.key);
    expect(rows.map((r) => r.n)).toEqual([0, 1, 2, 3, 4]);
  });
});
