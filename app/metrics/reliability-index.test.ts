/**
 * The look-up index inside recurrenceRate, resolutionEffectiveness and availabilityForSystems
 * (added for 100,000 incidents, scripts/bench-reliability.ts) must not change any result. Random
 * histories are checked against references written the plain O(n²) way from the exported
 * building blocks (isRecurrenceOf, findRecurrence, availability): shared/domain.md "Metrics" 5, 7, 9.
 */
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../tests/random";
import {
  availability,
  availabilityForSystems,
  findRecurrence,
  isRecurrenceOf,
  recurrenceRate,
  resolutionEffectiveness,
  ROOT_CAUSE_CATEGORIES,
  type IncidentRow,
  type SystemRow,
} from "./reliability";


const SLUGS = ["a", "b", "c", "d", "e"];
const SYSTEMS: SystemRow[] = SLUGS.map((slug, k) => ({
  slug,
  name: slug,
  tier: 1 + (k % 4),
  lifecycle: k === 4 ? "retired" : "active",
  ownerTeam: null,
  sla: { availability: 0.999, rtoMinutes: 30 + k * 60, responseMinutes: { SEV1: 5, SEV2: 15, SEV3: 60, SEV4: 240 } },
}));

function history(seed: number, n: number): IncidentRow[] {
  const rnd = seededRandom(seed);
  const start = Date.parse("2026-01-01T00:00:00Z");
  const rows: IncidentRow[] = [];
  for (let k = 0; k < n; k++) {
    // Some incidents share a start instant, to exercise the id tie-break.
    const startedAt = new Date(start + Math.floor(rnd() * 200) * 86_400_000 + (rnd() < 0.2 ? 0 : Math.floor(rnd() * 86_400_000)));
    const restore = rnd() < 0.1 ? null : new Date(startedAt.getTime() + Math.floor(rnd() * 600) * 60_000);
    const systems = [...new Set([SLUGS[Math.floor(rnd() * 5)], ...(rnd() < 0.3 ? [SLUGS[Math.floor(rnd() * 5)]] : [])])];
    rows.push({
      id: `i${String(k).padStart(3, "0")}`,
      title: "",
      severity: (["SEV1", "SEV2", "SEV3", "SEV4"] as const)[Math.floor(rnd() * 4)],
      systems,
      startedAt,
      detectedAt: null,
      acknowledgedAt: null,
      mitigatedAt: rnd() < 0.5 ? restore : null,
      resolvedAt: restore,
      customerImpact: rnd() < 0.7,
      rootCauseCategory: ROOT_CAUSE_CATEGORIES[Math.floor(rnd() * 4)],
      recurrenceOf: rows.length > 0 && rnd() < 0.1 ? rows[Math.floor(rnd() * rows.length)].id : rnd() < 0.02 ? "not-loaded" : null,
    });
  }
  return rows;
}

const period = { from: new Date("2026-03-01T00:00:00Z"), to: new Date("2026-05-01T00:00:00Z") };

describe("the index changes no result", () => {
  for (const seed of [1, 2, 3, 4]) {
    const rows = history(seed, 400);
    for (const asOf of [new Date("2026-04-15T00:00:00Z"), new Date("2026-09-01T00:00:00Z")]) {
      it(`recurrence rate, seed ${seed}, as of ${asOf.toISOString().slice(0, 10)}`, () => {
        const seen = rows.filter((i) => i.startedAt <= asOf);
        const inP = seen.filter((i) => i.startedAt >= period.from && i.startedAt < period.to);
        const expected = inP.flatMap((i) => {
          const match = findRecurrence(i, seen);
          return match ? [i.id] : [];
        });
        const result = recurrenceRate(rows, period, asOf);
        expect(result.recurring.map((r) => r.id).sort()).toEqual(expected.sort());
        expect(result.denominator).toBe(inP.length);
        for (const r of result.recurring) {
          const i = rows.find((x) => x.id === r.id)!;
          expect(r).toMatchObject(findRecurrence(i, seen)!);
        }
      });

      it(`resolution effectiveness recurrences, seed ${seed}, as of ${asOf.toISOString().slice(0, 10)}`, () => {
        const seen = rows.filter((i) => i.startedAt <= asOf);
        const result = resolutionEffectiveness(rows, SYSTEMS, period, asOf);
        for (const item of [...result.effective, ...result.shortfall, ...result.pending]) {
          const incident = rows.find((x) => x.id === item.id)!;
          const resolved = incident.resolvedAt && incident.resolvedAt <= asOf ? incident.resolvedAt.getTime() + 30 * 86_400_000 : Infinity;
          const expected = seen
            .filter((later) => later.startedAt.getTime() <= resolved && isRecurrenceOf(later, incident) !== null)
            .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || (a.id < b.id ? -1 : 1))
            .map((later) => later.id);
          expect(item.recurredBy).toEqual(expected);
        }
      });

      it(`availability for systems, seed ${seed}, as of ${asOf.toISOString().slice(0, 10)}`, () => {
        const summary = availabilityForSystems(SYSTEMS, rows, period, asOf);
        const expected = SYSTEMS.filter((s) => s.lifecycle === "active").map((s) => availability(s, rows, period, asOf));
        expect(summary.systems).toEqual(expected);
      });
    }
  }
});
