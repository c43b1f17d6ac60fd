/**
 * A small incident and corrective-action history for the reliability loader and the action list
 * tests, written straight into the tables with drizzle (no commands). Slugs start with `rel-`.
 *
 * Catalog: teams rel-ops and rel-payments; systems rel-core (tier 1, rel-ops: availability 0.9995,
 * RTO 30, response SEV1 5 / SEV2 15 / SEV3 60), rel-pay (tier 2, rel-payments: 0.999, RTO 120,
 * response 15 / 30 / 120) and rel-old (tier 2, retired). The period the tests use is October 2026
 * (UTC), as of 2026-11-22T12:00Z. Incidents (numbers in insertion order on a fresh database):
 *
 * | key | systems       | sev  | impact | started (UTC)     | detect | ack   | mitigate | resolve       | cause         | note |
 * |-----|---------------|------|--------|-------------------|--------|-------|----------|---------------|---------------|------|
 * | i9  | rel-pay       | SEV3 | no     | 08-15 10:00       | +5     | +10   |          | +60           | capacity      | before P (look-back) |
 * | i1  | rel-core      | SEV1 | yes    | 09-30 23:00       | +5     | +10   |          | 10-01 01:00   | change        | spans the period start |
 * | i2  | rel-core      | SEV2 | yes    | 10-10 10:00       | +10    | +20   | +40      | +120          | configuration | overlaps i3 |
 * | i3  | rel-core      | SEV2 | yes    | 10-10 10:30       | +5     | —     |          | +30           | configuration | recurs of i2 |
 * | i4  | rel-pay       | SEV3 | no     | 10-20 08:00       | —      | —     |          | +60           | hardware      | marked recurrence of i1 |
 * | i10 | rel-pay       | SEV3 | no     | 10-25 06:00       | +20    | +50   |          | +120          | capacity      | recurs of i9 |
 * | i5  | rel-pay       | SEV1 | yes    | 10-31 23:30       | +1     | +20   |          | —             | software_defect | unresolved |
 * | i6  | rel-old       | SEV2 | yes    | 10-05 12:00       | +5     | +10   |          | +60           | change        | retired system only |
 * | i7  | rel-pay       | SEV4 | no     | 11-05 09:00       | +5     | +10   |          | +30           | hardware      | after P: recurs of i4 |
 *
 * Corrective actions (due day, status, closed):
 * a1 i2 10-15 done 10-14 · a2 i3 10-15 done 10-15T23:00 · a3 i4 10-20 done 10-25 · a4 i5 10-25 open ·
 * a5 i10 10-28 wont_do 10-27 · a6 drill (plan of rel-core) 10-10 in_progress · a7 inspection of rel-pay
 * 09-01 open · a8 i6 (retired) 10-05 open · a9 i2 12-10 open · a10 i2 no due date, open.
 */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client";
import { slas, systems, teams } from "#db/schema/catalog";
import { drills, inspections } from "#db/schema/continuity";
import { documents, documentSystems } from "#db/schema/documents";
import { correctiveActions, incidents, incidentSystems } from "#db/schema/incidents";

export const REL_AS_OF = new Date("2026-11-22T12:00:00Z");
export const REL_PERIOD = { from: new Date("2026-10-01T00:00:00Z"), to: new Date("2026-11-01T00:00:00Z") };

const at = (iso: string) => new Date(iso);
const plus = (base: string, minutes: number | null) => (minutes === null ? null : new Date(at(base).getTime() + minutes * 60_000));

interface IncidentSpec {
  key: string;
  systems: string[];
  severity: "SEV1" | "SEV2" | "SEV3" | "SEV4";
  impact: boolean;
  started: string;
  detect: number | null;
  ack: number | null;
  mitigate: number | null;
  resolve: number | null;
  cause: "capacity" | "change" | "configuration" | "hardware" | "software_defect";
  recurrenceOf?: string;
  postmortem?: boolean;
}

const INCIDENTS: IncidentSpec[] = [
  { key: "i9", systems: ["rel-pay"], severity: "SEV3", impact: false, started: "2026-08-15T10:00:00Z", detect: 5, ack: 10, mitigate: null, resolve: 60, cause: "capacity" },
  { key: "i1", systems: ["rel-core"], severity: "SEV1", impact: true, started: "2026-09-30T23:00:00Z", detect: 5, ack: 10, mitigate: null, resolve: 120, cause: "change" },
  { key: "i2", systems: ["rel-core"], severity: "SEV2", impact: true, started: "2026-10-10T10:00:00Z", detect: 10, ack: 20, mitigate: 40, resolve: 120, cause: "configuration", postmortem: true },
  { key: "i3", systems: ["rel-core"], severity: "SEV2", impact: true, started: "2026-10-10T10:30:00Z", detect: 5, ack: null, mitigate: null, resolve: 30, cause: "configuration" },
  { key: "i4", systems: ["rel-pay"], severity: "SEV3", impact: false, started: "2026-10-20T08:00:00Z", detect: null, ack: null, mitigate: null, resolve: 60, cause: "hardware", recurrenceOf: "i1" },
  { key: "i10", systems: ["rel-pay"], severity: "SEV3", impact: false, started: "2026-10-25T06:00:00Z", detect: 20, ack: 50, mitigate: null, resolve: 120, cause: "capacity" },
  { key: "i5", systems: ["rel-pay"], severity: "SEV1", impact: true, started: "2026-10-31T23:30:00Z", detect: 1, ack: 20, mitigate: null, resolve: null, cause: "software_defect" },
  { key: "i6", systems: ["rel-old"], severity: "SEV2", impact: true, started: "2026-10-05T12:00:00Z", detect: 5, ack: 10, mitigate: null, resolve: 60, cause: "change" },
  { key: "i7", systems: ["rel-pay"], severity: "SEV4", impact: false, started: "2026-11-05T09:00:00Z", detect: 5, ack: 10, mitigate: null, resolve: 30, cause: "hardware" },
];

export interface ReliabilityFixture {
  incidents: Record<string, { id: string; number: number }>;
  actions: Record<string, string>;
  drillId: string;
  inspectionId: string;
  postmortemId: string;
}

const RESPONSE = {
  1: { SEV1: 5, SEV2: 15, SEV3: 60, SEV4: 240 },
  2: { SEV1: 15, SEV2: 30, SEV3: 120, SEV4: 480 },
  3: { SEV1: 30, SEV2: 60, SEV3: 240, SEV4: 1440 },
  4: { SEV1: 60, SEV2: 120, SEV3: 480, SEV4: 2880 },
};

/** Writes the fixture (SLA defaults only where the tier has none yet). */
export async function seedReliabilityFixture(db: Database): Promise<ReliabilityFixture> {
  await db
    .insert(slas)
    .values([
      { tier: 1, availability: 0.9995, rtoMinutes: 30, rpoMinutes: 0, drillIntervalDays: 182, inspectionIntervalDays: 1, planReviewIntervalDays: 182, responseMinutes: RESPONSE[1] },
      { tier: 2, availability: 0.999, rtoMinutes: 120, rpoMinutes: 15, drillIntervalDays: 365, inspectionIntervalDays: 7, planReviewIntervalDays: 365, responseMinutes: RESPONSE[2] },
      { tier: 3, availability: 0.995, rtoMinutes: 480, rpoMinutes: 60, drillIntervalDays: 365, inspectionIntervalDays: 30, planReviewIntervalDays: 365, responseMinutes: RESPONSE[3] },
      { tier: 4, availability: 0.99, rtoMinutes: 1440, rpoMinutes: 1440, drillIntervalDays: null, inspectionIntervalDays: 90, planReviewIntervalDays: 730, responseMinutes: RESPONSE[4] },
    ])
    .onConflictDoNothing();
  const [ops, pay] = await db
    .insert(teams)
    .values([
      { slug: "rel-ops", name: "Rel Operations" },
      { slug: "rel-payments", name: "Rel Payments" },
    ])
    .returning({ id: teams.id });
  const systemRows = await db
    .insert(systems)
    .values([
      // Overrides pin the figures the tests compute with, whatever tier defaults the database has.
      { slug: "rel-core", name: "Rel Core", tier: 1, ownerTeamId: ops.id, slaOverrides: { availability: 0.9995, rtoMinutes: 30, responseMinutes: RESPONSE[1] } },
      { slug: "rel-pay", name: "Rel Pay", tier: 2, ownerTeamId: pay.id, slaOverrides: { availability: 0.999, rtoMinutes: 120, responseMinutes: RESPONSE[2] } },
      { slug: "rel-old", name: "Rel Old", tier: 2, lifecycle: "retired", ownerTeamId: ops.id },
    ])
    .returning({ id: systems.id, slug: systems.slug });
  const systemId = Object.fromEntries(systemRows.map((s) => [s.slug, s.id]));

  const [plan, postmortem] = await db
    .insert(documents)
    .values([
      { slug: "rel/plan-core", kind: "contingency_plan", title: "Rel core failover", currentRevision: 1 },
      { slug: "rel/postmortem-i2", kind: "postmortem", title: "Postmortem: rel-core configuration push", currentRevision: 1 },
    ])
    .returning({ id: documents.id });
  await db.insert(documentSystems).values({ documentId: plan.id, systemId: systemId["rel-core"] });
  const [drill] = await db
    .insert(drills)
    .values({ planDocumentId: plan.id, planRevision: 1, scenario: "Core DB failover", heldAt: at("2026-09-20T08:00:00Z"), type: "simulation", outcome: "partial", origin: "form", recordedBy: "test" })
    .returning({ id: drills.id });
  const [inspection] = await db
    .insert(inspections)
    .values({ systemId: systemId["rel-pay"], inspectedAt: at("2026-08-20T08:00:00Z"), inspector: "test", result: "warning", origin: "form", recordedBy: "test" })
    .returning({ id: inspections.id });

  const made: ReliabilityFixture["incidents"] = {};
  for (const spec of INCIDENTS) {
    const [row] = await db
      .insert(incidents)
      .values({
        title: `Rel incident ${spec.key}`,
        severity: spec.severity,
        status: spec.resolve === null ? "open" : "resolved",
        startedAt: at(spec.started),
        detectedAt: plus(spec.started, spec.detect),
        acknowledgedAt: plus(spec.started, spec.ack),
        mitigatedAt: plus(spec.started, spec.mitigate),
        resolvedAt: plus(spec.started, spec.resolve),
        customerImpact: spec.impact,
        rootCauseCategory: spec.cause,
        recurrenceOfId: spec.recurrenceOf ? made[spec.recurrenceOf].id : null,
        postmortemDocumentId: spec.postmortem ? postmortem.id : null,
        origin: "form",
        createdBy: "test",
      })
      .returning({ id: incidents.id, number: incidents.number });
    made[spec.key] = row;
    await db.insert(incidentSystems).values(spec.systems.map((slug) => ({ incidentId: row.id, systemId: systemId[slug] })));
  }

  const created = at("2026-10-01T00:00:00Z");
  const action = (
    key: string,
    source: { incidentId?: string; drillId?: string; inspectionId?: string },
    due: string | null,
    status: "open" | "in_progress" | "done" | "wont_do",
    closed: string | null,
    owner: string,
    createdAt = created,
  ) => ({ title: `Rel action ${key}`, owner, dueDate: due, status, closedAt: closed ? at(closed) : null, createdBy: "test", createdAt, ...source });
  const i = (key: string) => ({ incidentId: made[key].id });
  const rows = [
    ["a1", action("a1", i("i2"), "2026-10-15", "done", "2026-10-14T10:00:00Z", "ana@bank.example")],
    // Created a day after a1 (same due day), so the list's order between them is fixed.
    ["a2", action("a2", i("i3"), "2026-10-15", "done", "2026-10-15T23:00:00Z", "ana@bank.example", at("2026-10-02T00:00:00Z"))],
    ["a3", action("a3", i("i4"), "2026-10-20", "done", "2026-10-25T09:00:00Z", "li.wei@bank.example")],
    ["a4", action("a4", i("i5"), "2026-10-25", "open", null, "li.wei@bank.example")],
    ["a5", action("a5", i("i10"), "2026-10-28", "wont_do", "2026-10-27T09:00:00Z", "priya@bank.example")],
    ["a6", action("a6", { drillId: drill.id }, "2026-10-10", "in_progress", null, "priya@bank.example", at("2026-09-21T00:00:00Z"))],
    ["a7", action("a7", { inspectionId: inspection.id }, "2026-09-01", "open", null, "marek@bank.example", at("2026-08-21T00:00:00Z"))],
    ["a8", action("a8", i("i6"), "2026-10-05", "open", null, "marek@bank.example")],
    ["a9", action("a9", i("i2"), "2026-12-10", "open", null, "ana@bank.example")],
    ["a10", action("a10", i("i2"), null, "open", null, "ana@bank.example")],
  ] as const;
  const actionIds: Record<string, string> = {};
  for (const [key, values] of rows) {
    const [row] = await db.insert(correctiveActions).values(values).returning({ id: correctiveActions.id });
    actionIds[key] = row.id;
  }
  return { incidents: made, actions: actionIds, drillId: drill.id, inspectionId: inspection.id, postmortemId: postmortem.id };
}

/** The id of a system by slug (for tests that need it). */
export async function systemIdOf(db: Database, slug: string): Promise<number> {
  const [row] = await db.select({ id: systems.id }).from(systems).where(eq(systems.slug, slug));
  return row.id;
}
