/**
 * actionClosureCounts (the trend's corrective-action closure counted in SQL) must give exactly the
 * numerator and denominator of the pure actionClosure (shared/domain.md "Metrics" 8) over the
 * actions the loader reads, for every month of a trend (UTC and a zone whose months do not start
 * at UTC midnight) and for periods whose T falls inside them, per scope. Runs on PGlite, or on
 * PostgreSQL with DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededRandom } from "../../tests/random";
import type { DatabaseHandle } from "#db/client";
import { correctiveActions } from "#db/schema/incidents";
import { createTestDatabase } from "../../tests/db";
import { REL_AS_OF, seedReliabilityFixture, type ReliabilityFixture } from "../../tests/reliability-fixtures";
import { actionClosure, monthlyTrend, type Period } from "./reliability";
import { actionClosureCounts, loadActions, loadCatalogSystems, scopeSystems, type ReliabilityScope } from "./reliability.server";

let handle: DatabaseHandle;
let fx: ReliabilityFixture;


const DAY = 86_400_000;

beforeAll(async () => {
  handle = await createTestDatabase();
  fx = await seedReliabilityFixture(handle.db);
  // 400 more actions from the fixture's incidents (one on a retired system), drill and inspection:
  // due days over 13 months, closed before, on, just after and long after the due day, after T.
  const rnd = seededRandom(7);
  const sources = [
    ...Object.values(fx.incidents).map((i) => ({ incidentId: i.id })),
    { drillId: fx.drillId },
    { inspectionId: fx.inspectionId },
  ];
  const start = Date.parse("2025-10-01T00:00:00Z");
  const rows = Array.from({ length: 400 }, (_, k) => {
    const due = start + Math.floor(rnd() * 420) * DAY;
    const status = (["open", "in_progress", "done", "done", "done", "wont_do"] as const)[Math.floor(rnd() * 6)];
    const roll = rnd();
    const closed =
      roll < 0.1 ? due + DAY // exactly when the due day ends: late
        : roll < 0.2 ? due + DAY - 1 // the last millisecond of the due day: on time
          : due + Math.floor((rnd() * 30 - 20) * DAY);
    return {
      title: `Closure ${k}`,
      owner: "test@bank.example",
      dueDate: new Date(due).toISOString().slice(0, 10),
      status,
      closedAt: status === "done" || status === "wont_do" ? new Date(closed) : null,
      createdBy: "test",
      ...sources[Math.floor(rnd() * sources.length)],
    };
  });
  await handle.db.insert(correctiveActions).values(rows);
});
afterAll(async () => {
  await handle?.close();
});

async function compare(scope: ReliabilityScope, periods: Array<{ period: Period; asOf: Date }>) {
  const ids = scopeSystems(await loadCatalogSystems(handle.db), scope).map((s) => s.id);
  const counts = await actionClosureCounts(handle.db, periods, ids);
  const loaded = await loadActions(handle.db, { dueFrom: "2000-01-01", dueTo: "2100-01-01", openDueBefore: "2000-01-01", detailFrom: "2000-01-01" }, ids);
  const expected = periods.map(({ period, asOf }) => {
    const r = actionClosure(loaded, period, asOf);
    return { onTime: r.onTime.length, late: r.late.length };
  });
  expect(counts).toEqual(expected);
  return expected;
}

describe("actionClosureCounts equals actionClosure over the loaded actions", () => {
  for (const scope of [{}, { team: "rel-payments" }, { system: "rel-core" }] as ReliabilityScope[]) {
    for (const timeZone of ["UTC", "Asia/Shanghai", "America/New_York"]) {
      it(`12 trend months in ${timeZone}, scope ${JSON.stringify(scope)}`, async () => {
        const months = monthlyTrend((period, asOf) => ({ period, asOf }), REL_AS_OF, { months: 12, timeZone, includeCurrentMonth: true }).map((m) => m.result);
        const expected = await compare(scope, months);
        // The fixture exercises both outcomes.
        expect(expected.some((e) => e.onTime > 0 && e.late > 0)).toBe(true);
      });
    }
    it(`periods with T inside or before them, scope ${JSON.stringify(scope)}`, async () => {
      await compare(scope, [
        { period: { from: new Date("2026-04-01T00:00:00Z"), to: new Date("2026-07-01T00:00:00Z") }, asOf: new Date("2026-05-20T13:00:00Z") },
        { period: { from: new Date("2026-04-01T00:00:00Z"), to: new Date("2026-07-01T00:00:00Z") }, asOf: new Date("2026-03-20T13:00:00Z") },
        { period: { from: new Date("2026-01-10T06:00:00Z"), to: new Date("2026-02-10T06:00:00Z") }, asOf: new Date("2026-10-01T00:00:00Z") },
        { period: { from: new Date("2026-02-01T00:00:00Z"), to: new Date("2026-02-01T00:00:00Z") }, asOf: new Date("2026-03-01T00:00:00Z") },
      ]);
    });
  }

  it("returns zeros without systems and nothing without periods", async () => {
    const p = { period: { from: new Date("2026-10-01T00:00:00Z"), to: new Date("2026-11-01T00:00:00Z") }, asOf: REL_AS_OF };
    expect(await actionClosureCounts(handle.db, [p], [])).toEqual([{ onTime: 0, late: 0 }]);
    expect(await actionClosureCounts(handle.db, [], [1])).toEqual([]);
  });
});
