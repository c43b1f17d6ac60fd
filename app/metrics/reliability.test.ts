/**
 * Reliability metrics on hand-computed fixtures (shared/domain.md, "Metrics" 5-9, "Trend views").
 * Every expected number is worked out in the comment next to its assertion.
 */
import { describe, expect, it } from "vitest";
import {
  actionClosure,
  availability,
  availabilityForSystems,
  findRecurrence,
  incidentsInScope,
  isRecurrenceOf,
  monthlyTrend,
  recurrenceRate,
  resolutionEffectiveness,
  responseWithinSla,
  restoredAt,
  timeToAcknowledge,
  timeToDetect,
  timeToRestore,
  type CorrectiveActionRow,
  type IncidentRow,
  type Period,
  type RootCauseCategory,
  type Severity,
  type SystemRow,
} from "./reliability";

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

const at = (iso: string) => new Date(iso);
type Ts = string | null | undefined;
const ts = (v: Ts) => (v == null ? null : new Date(v));

function inc(f: {
  id: string;
  startedAt: string;
  detectedAt?: Ts;
  acknowledgedAt?: Ts;
  mitigatedAt?: Ts;
  resolvedAt?: Ts;
  severity?: Severity;
  systems?: string[];
  customerImpact?: boolean;
  rootCauseCategory?: RootCauseCategory;
  recurrenceOf?: string | null;
}): IncidentRow {
  return {
    id: f.id,
    title: `Incident ${f.id}`,
    severity: f.severity ?? "SEV2",
    systems: f.systems ?? ["pay"],
    startedAt: new Date(f.startedAt),
    detectedAt: ts(f.detectedAt),
    acknowledgedAt: ts(f.acknowledgedAt),
    mitigatedAt: ts(f.mitigatedAt),
    resolvedAt: ts(f.resolvedAt),
    customerImpact: f.customerImpact ?? true,
    // "unknown" never matches implicitly, so fixtures only recur where a test says so.
    rootCauseCategory: f.rootCauseCategory ?? "unknown",
    recurrenceOf: f.recurrenceOf ?? null,
  };
}

function action(f: {
  id: string;
  dueDate: Ts;
  status: CorrectiveActionRow["status"];
  closedAt?: Ts;
}): CorrectiveActionRow {
  return {
    id: f.id,
    title: `Action ${f.id}`,
    owner: "wang.li",
    dueDate: ts(f.dueDate),
    status: f.status,
    closedAt: ts(f.closedAt),
    source: { type: "incident", id: "INC-1" },
  };
}

const pay: SystemRow = {
  slug: "pay",
  name: "Payments gateway",
  tier: 1,
  lifecycle: "active",
  ownerTeam: "payments-ops",
  sla: { availability: 0.9995, rtoMinutes: 30, responseMinutes: { SEV1: 5, SEV2: 15, SEV3: 30, SEV4: 60 } },
};
const ledger: SystemRow = {
  slug: "ledger",
  name: "Fund ledger",
  tier: 2,
  lifecycle: "active",
  ownerTeam: "custody-ops",
  sla: { availability: 0.999, rtoMinutes: 120, responseMinutes: { SEV1: 15, SEV2: 30, SEV3: 60, SEV4: 120 } },
};
const reports: SystemRow = {
  slug: "reports",
  name: "Legacy reports",
  tier: 3,
  lifecycle: "retired",
  ownerTeam: "custody-ops",
  sla: { availability: 0.995, rtoMinutes: 480, responseMinutes: { SEV1: 30, SEV2: 60, SEV3: 120, SEV4: 240 } },
};
const SYSTEMS = [pay, ledger, reports];

/** March 2026 in UTC: 31 days * 1440 = 44640 minutes. */
const MARCH: Period = { from: at("2026-03-01T00:00:00Z"), to: at("2026-04-01T00:00:00Z") };
const MARCH_MINUTES = 44640;
const LATER = at("2026-04-15T00:00:00Z");

// ---------------------------------------------------------------------------------------------
// 5. Availability
// ---------------------------------------------------------------------------------------------

describe("availability (Metrics 5)", () => {
  it("merges overlapping incidents on one system, uses mitigatedAt when earlier, ignores non-customer-impacting ones", () => {
    const incidents = [
      inc({ id: "A", startedAt: "2026-03-10T10:00:00Z", resolvedAt: "2026-03-10T10:30:00Z" }),
      inc({ id: "B", startedAt: "2026-03-10T10:20:00Z", resolvedAt: "2026-03-10T11:00:00Z" }),
      inc({ id: "C", startedAt: "2026-03-10T12:00:00Z", mitigatedAt: "2026-03-10T12:10:00Z", resolvedAt: "2026-03-10T13:00:00Z" }),
      inc({ id: "D", startedAt: "2026-03-10T14:00:00Z", resolvedAt: "2026-03-10T15:00:00Z", customerImpact: false }),
      inc({ id: "E", startedAt: "2026-03-20T00:00:00Z", resolvedAt: "2026-03-20T00:40:00Z", systems: ["ledger"] }),
    ];
    const r = availability(pay, incidents, MARCH, LATER);
    // A+B merge to [10:00, 11:00) = 60 (not 30 + 40 = 70); C is [12:00, 12:10) = 10; D no impact; E other system.
    expect(r.downtimeMinutes).toBe(70); // 60 + 10
    expect(r.downtime.map((d) => [d.minutes, d.incidents])).toEqual([
      [60, ["A", "B"]],
      [10, ["C"]],
    ]);
    expect(r.incidents).toEqual(["A", "B", "C"]);
    expect(r.periodMinutes).toBe(MARCH_MINUTES); // 31 * 1440
    expect(r.denominator).toBe(44640);
    expect(r.numerator).toBe(44570); // 44640 - 70 up minutes
    expect(r.value).toBeCloseTo(0.9984319, 7); // 1 - 70 / 44640 = 0.99843190...
    expect(r.target).toBe(0.9995);
    expect(r.meetsTarget).toBe(false); // 0.99843 < 0.9995
    expect(r.errorBudgetMinutes).toBeCloseTo(22.32, 9); // (1 - 0.9995) * 44640
    expect(r.errorBudgetMinutesLeft).toBeCloseTo(-47.68, 9); // 22.32 - 70
    expect(r.system).toBe("pay");
  });

  it("counts a non-customer-impacting incident as no downtime", () => {
    const r = availability(
      pay,
      [inc({ id: "D", startedAt: "2026-03-10T14:00:00Z", resolvedAt: "2026-03-10T15:00:00Z", customerImpact: false })],
      MARCH,
      LATER,
    );
    expect(r.downtimeMinutes).toBe(0);
    expect(r.incidents).toEqual([]);
    expect(r.value).toBe(1); // 1 - 0 / 44640
    expect(r.meetsTarget).toBe(true);
    expect(r.errorBudgetMinutesLeft).toBeCloseTo(22.32, 9); // 0.0005 * 44640 - 0
  });

  it("clips incidents spanning the period boundaries", () => {
    const incidents = [
      // Feb 28 23:00 -> Mar 1 01:00: only [Mar 1 00:00, 01:00) = 60 min is in March.
      inc({ id: "before", startedAt: "2026-02-28T23:00:00Z", resolvedAt: "2026-03-01T01:00:00Z" }),
      // Mar 31 23:30 -> Apr 1 00:45: only [23:30, 24:00) = 30 min is in March.
      inc({ id: "after", startedAt: "2026-03-31T23:30:00Z", resolvedAt: "2026-04-01T00:45:00Z" }),
      // Entirely in February.
      inc({ id: "feb", startedAt: "2026-02-27T10:00:00Z", resolvedAt: "2026-02-27T11:00:00Z" }),
    ];
    const r = availability(ledger, incidents.map((i) => ({ ...i, systems: ["ledger"] })), MARCH, LATER);
    expect(r.downtimeMinutes).toBe(90); // 60 + 30
    expect(r.incidents).toEqual(["before", "after"]);
    expect(r.errorBudgetMinutesLeft).toBeCloseTo(-45.36, 9); // 0.001 * 44640 = 44.64; 44.64 - 90
    expect(r.meetsTarget).toBe(false); // 1 - 90/44640 = 0.997984 < 0.999
  });

  it("counts an unresolved incident up to T, and up to the period end when T is later", () => {
    const open = inc({ id: "open", startedAt: "2026-03-31T20:00:00Z" });
    // Mitigated only after T = 21:30, so still down at T.
    const mitigatedLater = inc({ id: "late-fix", startedAt: "2026-03-31T21:00:00Z", mitigatedAt: "2026-03-31T23:00:00Z" });
    const notYet = inc({ id: "future", startedAt: "2026-03-31T22:00:00Z", resolvedAt: "2026-03-31T22:10:00Z" });

    const midway = availability(pay, [open, mitigatedLater, notYet], MARCH, at("2026-03-31T21:30:00Z"));
    // open [20:00, 21:30) = 90 min; late-fix [21:00, 21:30) overlaps it; "future" has not started at T.
    expect(midway.downtimeMinutes).toBe(90);
    expect(midway.incidents).toEqual(["open", "late-fix"]);
    expect(midway.periodMinutes).toBe(44640); // |P| is the whole period even when T is inside it

    const afterwards = availability(pay, [open, mitigatedLater, notYet], MARCH, LATER);
    // open counts to P.to = Apr 1 00:00: 4 h = 240 min; late-fix [21:00, 23:00) and future [22:00, 22:10) lie inside it.
    expect(afterwards.downtimeMinutes).toBe(240);
    expect(afterwards.value).toBeCloseTo(1 - 240 / 44640, 12); // 0.994623...
  });

  it("reads incidents in different time zones as UTC instants", () => {
    const incidents = [
      // 2026-03-01 07:30 Shanghai = Feb 28 23:30Z; 08:30 Shanghai = Mar 1 00:30Z.
      inc({ id: "sha", startedAt: "2026-03-01T07:30:00+08:00", resolvedAt: "2026-03-01T08:30:00+08:00" }),
      // 18:00 Shanghai = 10:00Z; resolved 11:45 Kraków (CET, +01:00) = 10:45Z -> 45 min.
      inc({ id: "krk", startedAt: "2026-03-10T18:00:00+08:00", resolvedAt: "2026-03-10T11:45:00+01:00" }),
    ];
    const utcMarch = availability(pay, incidents, MARCH, LATER);
    expect(utcMarch.downtimeMinutes).toBe(75); // sha: [00:00Z, 00:30Z) = 30 in UTC March; krk: 45

    const shanghaiMarch: Period = { from: at("2026-03-01T00:00:00+08:00"), to: at("2026-04-01T00:00:00+08:00") };
    const local = availability(pay, incidents, shanghaiMarch, LATER);
    expect(local.downtimeMinutes).toBe(105); // sha wholly inside Shanghai March: 60; krk: 45
    expect(local.periodMinutes).toBe(44640); // still 31 days
  });

  it("returns null values for an empty period and rejects a reversed one", () => {
    const empty: Period = { from: at("2026-03-01T00:00:00Z"), to: at("2026-03-01T00:00:00Z") };
    const r = availability(pay, [inc({ id: "A", startedAt: "2026-03-01T00:00:00Z" })], empty, LATER);
    expect(r.value).toBeNull();
    expect(r.meetsTarget).toBeNull();
    expect(r.periodMinutes).toBe(0);
    expect(r.downtimeMinutes).toBe(0);
    expect(r.errorBudgetMinutesLeft).toBe(0); // (1 - 0.9995) * 0 - 0
    expect(() => availability(pay, [], { from: MARCH.to, to: MARCH.from }, LATER)).toThrow(RangeError);
  });

  it("lists incidents restored before they started as ignored data errors", () => {
    const r = availability(
      pay,
      [inc({ id: "bad", startedAt: "2026-03-10T10:00:00Z", resolvedAt: "2026-03-10T09:00:00Z" })],
      MARCH,
      LATER,
    );
    expect(r.downtimeMinutes).toBe(0);
    expect(r.ignored).toEqual([{ id: "bad", reason: "negative_duration" }]);
  });

  it("summarises many systems, skipping retired ones", () => {
    const incidents = [
      inc({ id: "A", startedAt: "2026-03-10T10:00:00Z", resolvedAt: "2026-03-10T11:10:00Z", systems: ["pay"] }),
      inc({ id: "E", startedAt: "2026-03-20T00:00:00Z", resolvedAt: "2026-03-20T00:40:00Z", systems: ["ledger", "reports"] }),
    ];
    const s = availabilityForSystems(SYSTEMS, incidents, MARCH, LATER);
    expect(s.systems.map((r) => r.system)).toEqual(["pay", "ledger"]); // reports is retired
    // pay: 70 min > budget 22.32 -> below; ledger: 40 min <= budget 44.64 -> meets (1 - 40/44640 = 0.999104 >= 0.999).
    expect(s.systems[1].errorBudgetMinutesLeft).toBeCloseTo(4.64, 9); // 44.64 - 40
    expect(s.belowTarget).toEqual(["pay"]);
    expect(s.numerator).toBe(1);
    expect(s.denominator).toBe(2);
    expect(s.value).toBe(0.5); // 1 / 2
  });
});

// ---------------------------------------------------------------------------------------------
// 6. MTTD / MTTA / MTTR
// ---------------------------------------------------------------------------------------------

describe("time to detect / acknowledge / restore (Metrics 6)", () => {
  const incidents = [
    // SEV1 a: MTTD 4, MTTA 2, MTTR 20 (mitigated 00:20 is earlier than resolved 01:00).
    inc({ id: "S1a", severity: "SEV1", startedAt: "2026-03-02T00:00:00Z", detectedAt: "2026-03-02T00:04:00Z", acknowledgedAt: "2026-03-02T00:06:00Z", mitigatedAt: "2026-03-02T00:20:00Z", resolvedAt: "2026-03-02T01:00:00Z" }),
    // SEV1 b: MTTD 10, MTTA 5, MTTR 50 (no mitigation: resolved).
    inc({ id: "S1b", severity: "SEV1", startedAt: "2026-03-05T00:00:00Z", detectedAt: "2026-03-05T00:10:00Z", acknowledgedAt: "2026-03-05T00:15:00Z", resolvedAt: "2026-03-05T00:50:00Z" }),
    // SEV1 c: no detectedAt -> MTTD and MTTA incomplete; MTTR 120.
    inc({ id: "S1c", severity: "SEV1", startedAt: "2026-03-06T00:00:00Z", acknowledgedAt: "2026-03-06T00:30:00Z", resolvedAt: "2026-03-06T02:00:00Z" }),
    // SEV1 d: MTTD 1, MTTA 2, MTTR 40.
    inc({ id: "S1d", severity: "SEV1", startedAt: "2026-03-07T00:00:00Z", detectedAt: "2026-03-07T00:01:00Z", acknowledgedAt: "2026-03-07T00:03:00Z", resolvedAt: "2026-03-07T00:40:00Z" }),
    // SEV2 a: MTTD 20; acknowledged before detected -> MTTA negative, incomplete; MTTR 180.
    inc({ id: "S2a", severity: "SEV2", startedAt: "2026-03-10T00:00:00Z", detectedAt: "2026-03-10T00:20:00Z", acknowledgedAt: "2026-03-10T00:10:00Z", resolvedAt: "2026-03-10T03:00:00Z" }),
    // SEV2 b: MTTD 30; never acknowledged nor restored -> MTTA and MTTR incomplete.
    inc({ id: "S2b", severity: "SEV2", startedAt: "2026-03-11T00:00:00Z", detectedAt: "2026-03-11T00:30:00Z" }),
    // Outside March: started Feb 27, and started exactly at P.to (half-open).
    inc({ id: "feb", severity: "SEV1", startedAt: "2026-02-27T00:00:00Z", detectedAt: "2026-02-27T01:00:00Z", resolvedAt: "2026-02-27T02:00:00Z" }),
    inc({ id: "apr", severity: "SEV1", startedAt: "2026-04-01T00:00:00Z", detectedAt: "2026-04-01T01:00:00Z", resolvedAt: "2026-04-01T02:00:00Z" }),
  ];

  it("MTTD: mean and median per severity; a missing detectedAt is incomplete, not zero", () => {
    const r = timeToDetect(incidents, MARCH, LATER);
    const sev1 = r.bySeverity.SEV1;
    expect(sev1.incidents).toEqual([
      { id: "S1a", minutes: 4 },
      { id: "S1b", minutes: 10 },
      { id: "S1d", minutes: 1 },
    ]);
    expect(sev1.count).toBe(3);
    expect(sev1.totalMinutes).toBe(15); // 4 + 10 + 1
    expect(sev1.meanMinutes).toBe(5); // 15 / 3 (with S1c as zero it would be 15 / 4 = 3.75)
    expect(sev1.medianMinutes).toBe(4); // sorted 1, 4, 10
    expect(sev1.incomplete).toBe(1);
    expect(sev1.incompleteIncidents).toEqual([{ id: "S1c", reason: "missing_detected_at" }]);

    const sev2 = r.bySeverity.SEV2;
    expect(sev2.meanMinutes).toBe(25); // (20 + 30) / 2
    expect(sev2.medianMinutes).toBe(25); // even count: (20 + 30) / 2
    expect(sev2.incomplete).toBe(0);

    expect(r.bySeverity.SEV3).toEqual({
      meanMinutes: null,
      medianMinutes: null,
      totalMinutes: 0,
      count: 0,
      incomplete: 0,
      incidents: [],
      incompleteIncidents: [],
    });
    expect(r.all.count).toBe(5); // feb and apr are outside March
    expect(r.all.meanMinutes).toBe(13); // (4 + 10 + 1 + 20 + 30) / 5 = 65 / 5
    expect(r.all.medianMinutes).toBe(10); // sorted 1, 4, 10, 20, 30
    expect(r.all.incomplete).toBe(1); // S1c
  });

  it("MTTA: needs both detectedAt and acknowledgedAt; out-of-order timestamps are incomplete", () => {
    const r = timeToAcknowledge(incidents, MARCH, LATER);
    expect(r.bySeverity.SEV1.incidents.map((i) => i.minutes)).toEqual([2, 5, 2]); // S1a, S1b, S1d
    expect(r.bySeverity.SEV1.meanMinutes).toBe(3); // (2 + 5 + 2) / 3
    expect(r.bySeverity.SEV1.medianMinutes).toBe(2); // sorted 2, 2, 5
    expect(r.bySeverity.SEV1.incompleteIncidents).toEqual([{ id: "S1c", reason: "missing_detected_at" }]);
    expect(r.bySeverity.SEV2.count).toBe(0);
    expect(r.bySeverity.SEV2.meanMinutes).toBeNull();
    expect(r.bySeverity.SEV2.medianMinutes).toBeNull();
    expect(r.bySeverity.SEV2.incompleteIncidents).toEqual([
      { id: "S2a", reason: "negative_duration" }, // 00:10 - 00:20 = -10
      { id: "S2b", reason: "missing_acknowledged_at" },
    ]);
    expect(r.all.incomplete).toBe(3); // S1c, S2a, S2b
  });

  it("MTTR: earlier of mitigated/resolved; median of an even count; unrestored is incomplete", () => {
    const r = timeToRestore(incidents, MARCH, LATER);
    expect(r.bySeverity.SEV1.incidents.map((i) => i.minutes)).toEqual([20, 50, 120, 40]);
    expect(r.bySeverity.SEV1.meanMinutes).toBe(57.5); // (20 + 50 + 120 + 40) / 4 = 230 / 4
    expect(r.bySeverity.SEV1.medianMinutes).toBe(45); // sorted 20, 40, 50, 120 -> (40 + 50) / 2
    expect(r.bySeverity.SEV2.meanMinutes).toBe(180); // S2a only
    expect(r.bySeverity.SEV2.incompleteIncidents).toEqual([{ id: "S2b", reason: "not_restored" }]);
    expect(r.all.totalMinutes).toBe(410); // 230 + 180
    expect(r.all.meanMinutes).toBe(82); // 410 / 5
    expect(r.all.medianMinutes).toBe(50); // sorted 20, 40, 50, 120, 180
  });

  it("treats a detectedAt before startedAt as a data error", () => {
    const bad = inc({ id: "bad", severity: "SEV3", startedAt: "2026-03-12T00:00:00Z", detectedAt: "2026-03-11T23:55:00Z" });
    const r = timeToDetect([bad], MARCH, LATER);
    expect(r.bySeverity.SEV3.count).toBe(0);
    expect(r.bySeverity.SEV3.incompleteIncidents).toEqual([{ id: "bad", reason: "negative_duration" }]); // -5 min
  });

  it("as of T, timestamps after T have not happened yet and incidents after T do not exist", () => {
    const t = at("2026-03-05T00:12:00Z");
    // In March and started by T: S1a, S1b. S1b was detected at 00:10 (10 min) but acknowledged at 00:15 > T.
    expect(timeToDetect(incidents, MARCH, t).bySeverity.SEV1.incidents).toEqual([
      { id: "S1a", minutes: 4 },
      { id: "S1b", minutes: 10 },
    ]);
    const ack = timeToAcknowledge(incidents, MARCH, t).bySeverity.SEV1;
    expect(ack.meanMinutes).toBe(2); // S1a only
    expect(ack.incompleteIncidents).toEqual([{ id: "S1b", reason: "missing_acknowledged_at" }]);
    const restore = timeToRestore(incidents, MARCH, t).bySeverity.SEV1;
    expect(restore.meanMinutes).toBe(20); // S1a only
    expect(restore.incompleteIncidents).toEqual([{ id: "S1b", reason: "not_restored" }]);
  });

  it("period membership and durations across time zones", () => {
    const zoned = [
      // 07:30 Shanghai = Feb 28 23:30Z: outside UTC March, inside Shanghai March.
      inc({ id: "early", severity: "SEV1", startedAt: "2026-03-01T07:30:00+08:00", detectedAt: "2026-02-28T23:50:00Z" }),
      // 08:00 Shanghai = Mar 1 00:00Z: first instant of UTC March. Detected 01:15 Kraków (+01:00) = 00:15Z -> 15 min.
      inc({ id: "edge", severity: "SEV1", startedAt: "2026-03-01T08:00:00+08:00", detectedAt: "2026-03-01T01:15:00+01:00" }),
      // 05:30 Pune (+05:30) = Mar 1 00:00Z as well; detected 00:40Z -> 40 min.
      inc({ id: "pune", severity: "SEV1", startedAt: "2026-03-01T05:30:00+05:30", detectedAt: "2026-03-01T00:40:00Z" }),
    ];
    const utc = timeToDetect(zoned, MARCH, LATER).bySeverity.SEV1;
    expect(utc.incidents).toEqual([
      { id: "edge", minutes: 15 },
      { id: "pune", minutes: 40 },
    ]);
    const shanghai = timeToDetect(
      zoned,
      { from: at("2026-03-01T00:00:00+08:00"), to: at("2026-04-01T00:00:00+08:00") },
      LATER,
    ).bySeverity.SEV1;
    expect(shanghai.incidents.map((i) => i.id)).toEqual(["early", "edge", "pune"]);
    expect(shanghai.incidents[0].minutes).toBe(20); // 23:30Z -> 23:50Z
    expect(shanghai.meanMinutes).toBe(25); // (20 + 15 + 40) / 3
  });

  it("empty period gives null means and medians", () => {
    const r = timeToRestore(incidents, { from: MARCH.from, to: MARCH.from }, LATER);
    expect(r.all.meanMinutes).toBeNull();
    expect(r.all.medianMinutes).toBeNull();
    expect(r.all.count).toBe(0);
    expect(r.all.incomplete).toBe(0);
  });

  it("restoredAt picks the earlier of mitigated and resolved", () => {
    const i = inc({ id: "x", startedAt: "2026-03-01T00:00:00Z", mitigatedAt: "2026-03-01T02:00:00Z", resolvedAt: "2026-03-01T01:00:00Z" });
    expect(restoredAt(i, LATER)).toEqual(at("2026-03-01T01:00:00Z")); // resolved before "mitigated": use the earlier
    expect(restoredAt(i, at("2026-03-01T00:30:00Z"))).toBeNull(); // neither had happened at T
  });
});

// ---------------------------------------------------------------------------------------------
// 6. Response within SLA
// ---------------------------------------------------------------------------------------------

describe("response within SLA (Metrics 6)", () => {
  const T = at("2026-03-20T12:00:00Z");
  const incidents = [
    // ledger SEV1 target 15: detected 00:02, ack 00:12 -> 10 <= 15 within.
    inc({ id: "R1", severity: "SEV1", systems: ["ledger"], startedAt: "2026-03-10T00:00:00Z", detectedAt: "2026-03-10T00:02:00Z", acknowledgedAt: "2026-03-10T00:12:00Z", resolvedAt: "2026-03-10T01:00:00Z" }),
    // pay+ledger SEV1: strictest target = pay's 5; 10 > 5 -> breached.
    inc({ id: "R2", severity: "SEV1", systems: ["pay", "ledger"], startedAt: "2026-03-11T00:00:00Z", detectedAt: "2026-03-11T00:02:00Z", acknowledgedAt: "2026-03-11T00:12:00Z", resolvedAt: "2026-03-11T01:00:00Z" }),
    // pay SEV2 target 15, no detectedAt: clock from start, 00:00 -> 00:15 = 15 <= 15 within (inclusive).
    inc({ id: "R3", severity: "SEV2", systems: ["pay"], startedAt: "2026-03-12T00:00:00Z", acknowledgedAt: "2026-03-12T00:15:00Z", resolvedAt: "2026-03-12T01:00:00Z" }),
    // ledger SEV2 target 30, never acknowledged, still open at T: Mar 15 00:05 -> Mar 20 12:00 = 5 * 1440 + 715 = 7915 > 30 -> breached.
    inc({ id: "R4", severity: "SEV2", systems: ["ledger"], startedAt: "2026-03-15T00:00:00Z", detectedAt: "2026-03-15T00:05:00Z" }),
    // Resolved without any acknowledgement: cannot tell -> incomplete.
    inc({ id: "R5", severity: "SEV1", systems: ["ledger"], startedAt: "2026-03-16T00:00:00Z", detectedAt: "2026-03-16T00:01:00Z", resolvedAt: "2026-03-16T00:30:00Z" }),
    // Only an unknown system: no target -> incomplete.
    inc({ id: "R6", severity: "SEV1", systems: ["mainframe"], startedAt: "2026-03-16T01:00:00Z", acknowledgedAt: "2026-03-16T01:01:00Z" }),
    // Acknowledged before detected: data error -> incomplete.
    inc({ id: "R7", severity: "SEV2", systems: ["pay"], startedAt: "2026-03-17T00:00:00Z", detectedAt: "2026-03-17T00:10:00Z", acknowledgedAt: "2026-03-17T00:05:00Z" }),
    // Open, unacknowledged, detected 11:52, T 12:00: 8 <= 15 so far -> pending.
    inc({ id: "R8", severity: "SEV1", systems: ["ledger"], startedAt: "2026-03-20T11:50:00Z", detectedAt: "2026-03-20T11:52:00Z" }),
    // Outside March.
    inc({ id: "R0", severity: "SEV1", systems: ["pay"], startedAt: "2026-02-10T00:00:00Z", acknowledgedAt: "2026-02-10T03:00:00Z" }),
  ];

  it("classifies within, breached, pending and incomplete", () => {
    const r = responseWithinSla(incidents, SYSTEMS, MARCH, T);
    expect(r.within.map((i) => [i.id, i.minutes, i.targetMinutes])).toEqual([
      ["R1", 10, 15],
      ["R3", 15, 15],
    ]);
    expect(r.breached.map((i) => [i.id, i.minutes, i.targetMinutes, i.acknowledged])).toEqual([
      ["R2", 10, 5, true],
      ["R4", 7915, 30, false],
    ]);
    expect(r.pending.map((i) => [i.id, i.minutes, i.targetMinutes])).toEqual([["R8", 8, 15]]);
    expect(r.incomplete).toEqual([
      { id: "R5", reason: "missing_acknowledged_at" },
      { id: "R6", reason: "no_sla" },
      { id: "R7", reason: "negative_duration" },
    ]);
    expect(r.numerator).toBe(2); // R1, R3
    expect(r.denominator).toBe(4); // R1, R2, R3, R4
    expect(r.value).toBe(0.5); // 2 / 4
  });

  it("an acknowledgement after T does not count yet: pending, then breached once past target", () => {
    const i = inc({ id: "Q", severity: "SEV1", systems: ["pay"], startedAt: "2026-03-05T09:58:00Z", detectedAt: "2026-03-05T10:00:00Z", acknowledgedAt: "2026-03-05T10:20:00Z" });
    const early = responseWithinSla([i], SYSTEMS, MARCH, at("2026-03-05T10:03:00Z"));
    expect(early.pending.map((p) => p.minutes)).toEqual([3]); // 10:00 -> 10:03, target 5
    expect(early.value).toBeNull(); // 0 / 0
    const past = responseWithinSla([i], SYSTEMS, MARCH, at("2026-03-05T10:06:00Z"));
    expect(past.breached.map((p) => [p.minutes, p.acknowledged])).toEqual([[6, false]]); // 6 > 5, still unacknowledged
    const later = responseWithinSla([i], SYSTEMS, MARCH, LATER);
    expect(later.breached.map((p) => [p.minutes, p.acknowledged])).toEqual([[20, true]]); // 10:00 -> 10:20
    expect(later.value).toBe(0); // 0 / 1
  });

  it("empty period gives null", () => {
    const r = responseWithinSla(incidents, SYSTEMS, { from: MARCH.to, to: MARCH.to }, T);
    expect(r).toMatchObject({ value: null, numerator: 0, denominator: 0 });
  });
});

// ---------------------------------------------------------------------------------------------
// 7. Recurrence rate
// ---------------------------------------------------------------------------------------------

describe("recurrence rate (Metrics 7)", () => {
  const incidents = [
    // History before March.
    inc({ id: "H1", systems: ["pay"], rootCauseCategory: "software_defect", startedAt: "2026-01-05T00:00:00Z" }),
    inc({ id: "H2", systems: ["reports"], rootCauseCategory: "capacity", startedAt: "2025-12-01T00:00:00Z" }),
    inc({ id: "H4", systems: ["reports"], rootCauseCategory: "hardware", startedAt: "2025-12-31T00:00:00Z" }),
    // March.
    inc({ id: "H3", systems: ["pay"], rootCauseCategory: "unknown", startedAt: "2026-03-01T00:00:00Z" }),
    // Shares pay + software_defect with H1, 64 days earlier (Jan 5 -> Mar 10: 26 + 28 + 10) -> recurs.
    inc({ id: "X1", systems: ["pay", "ledger"], rootCauseCategory: "software_defect", startedAt: "2026-03-10T00:00:00Z" }),
    // Explicitly linked to X1 (different category) -> recurs by link.
    inc({ id: "X2", systems: ["ledger"], rootCauseCategory: "configuration", startedAt: "2026-03-12T00:00:00Z", recurrenceOf: "X1" }),
    // Linked to X9, which starts later: invalid link, no implicit match -> does not recur.
    inc({ id: "X3", systems: ["ledger"], rootCauseCategory: "change", startedAt: "2026-03-13T00:00:00Z", recurrenceOf: "X9" }),
    // Same system + category as H2 but 103 days later (Dec 1 -> Mar 15: 30 + 31 + 28 + 14) > 90 -> does not recur.
    inc({ id: "X4", systems: ["reports"], rootCauseCategory: "capacity", startedAt: "2026-03-15T00:00:00Z" }),
    // Same system as H3 but both "unknown": not evidence of one cause -> does not recur.
    inc({ id: "X5", systems: ["pay"], rootCauseCategory: "unknown", startedAt: "2026-03-20T00:00:00Z" }),
    inc({ id: "X9", systems: ["ledger"], rootCauseCategory: "hardware", startedAt: "2026-03-25T00:00:00Z" }),
    // Matches X1 (Mar 10) and H1 (Jan 5, 82 days); the most recent earlier one, X1, is named.
    inc({ id: "X6", systems: ["pay"], rootCauseCategory: "software_defect", startedAt: "2026-03-28T00:00:00Z" }),
    // Linked to an incident not among the rows: the link is trusted.
    inc({ id: "X7", systems: ["ledger"], rootCauseCategory: "dependency", startedAt: "2026-03-30T00:00:00Z", recurrenceOf: "OLD-1" }),
    // Exactly 90 days after H4 (Dec 31 -> Mar 31 = 31 + 28 + 31), same system + category -> recurs (inclusive).
    inc({ id: "X8", systems: ["reports"], rootCauseCategory: "hardware", startedAt: "2026-03-31T00:00:00Z" }),
  ];

  it("counts explicit links and shared system + category within 90 days, naming the earlier incident", () => {
    const r = recurrenceRate(incidents, MARCH, LATER);
    expect(r.incidents).toEqual(["H3", "X1", "X2", "X3", "X4", "X5", "X9", "X6", "X7", "X8"]);
    expect(r.recurring).toEqual([
      { id: "X1", reason: "shared_system_and_category", earlierIncident: "H1", sharedSystems: ["pay"], rootCauseCategory: "software_defect" },
      { id: "X2", reason: "explicit_link", earlierIncident: "X1", sharedSystems: ["ledger"], rootCauseCategory: null },
      { id: "X6", reason: "shared_system_and_category", earlierIncident: "X1", sharedSystems: ["pay"], rootCauseCategory: "software_defect" },
      { id: "X7", reason: "explicit_link", earlierIncident: "OLD-1", sharedSystems: [], rootCauseCategory: null },
      { id: "X8", reason: "shared_system_and_category", earlierIncident: "H4", sharedSystems: ["reports"], rootCauseCategory: "hardware" },
    ]);
    expect(r.numerator).toBe(5); // X1, X2, X6, X7, X8
    expect(r.denominator).toBe(10); // 10 incidents started in March
    expect(r.value).toBe(0.5); // 5 / 10
  });

  it("as of T sees only incidents started by T", () => {
    const r = recurrenceRate(incidents, MARCH, at("2026-03-11T00:00:00Z"));
    expect(r.incidents).toEqual(["H3", "X1"]);
    expect(r.value).toBe(0.5); // X1 recurs of H1: 1 / 2
  });

  it("just over 90 days does not recur; the same start instant is not 'earlier'", () => {
    const a = inc({ id: "a", systems: ["pay"], rootCauseCategory: "change", startedAt: "2025-12-30T23:59:00Z" });
    const b = inc({ id: "b", systems: ["pay"], rootCauseCategory: "change", startedAt: "2026-03-31T00:00:00Z" });
    expect(isRecurrenceOf(b, a)).toBeNull(); // 90 days + 1 minute
    const c = inc({ id: "c", systems: ["pay"], rootCauseCategory: "change", startedAt: "2026-03-31T00:00:00Z", recurrenceOf: "b" });
    expect(isRecurrenceOf(c, b)).toBeNull(); // same instant: b is not earlier
    expect(findRecurrence(c, [a, b, c])).toBeNull();
  });

  it("empty period gives null", () => {
    expect(recurrenceRate(incidents, { from: at("2026-05-01T00:00:00Z"), to: at("2026-06-01T00:00:00Z") }, LATER)).toEqual({
      value: null,
      numerator: 0,
      denominator: 0,
      incidents: [],
      recurring: [],
    });
  });
});

// ---------------------------------------------------------------------------------------------
// 8. Corrective-action closure
// ---------------------------------------------------------------------------------------------

describe("corrective-action closure (Metrics 8)", () => {
  const actions = [
    action({ id: "A1", dueDate: "2026-03-05T00:00:00Z", status: "done", closedAt: "2026-03-05T18:00:00Z" }), // on the due day: on time
    action({ id: "A2", dueDate: "2026-03-05T00:00:00Z", status: "done", closedAt: "2026-03-06T00:00:00Z" }), // first instant after the due day: late
    action({ id: "A3", dueDate: "2026-03-10T00:00:00Z", status: "done", closedAt: "2026-03-04T00:00:00Z" }), // early: on time
    action({ id: "A4", dueDate: "2026-03-15T00:00:00Z", status: "wont_do", closedAt: "2026-03-20T00:00:00Z" }), // leaves the denominator
    action({ id: "A5", dueDate: "2026-03-20T00:00:00Z", status: "in_progress" }), // late and overdue
    action({ id: "A6", dueDate: "2026-03-25T00:00:00Z", status: "open" }), // late and overdue
    action({ id: "A7", dueDate: "2026-02-10T00:00:00Z", status: "open" }), // due before March: only overdue
    action({ id: "A8", dueDate: "2026-04-20T00:00:00Z", status: "open" }), // not due yet at T
    action({ id: "A9", dueDate: null, status: "open" }), // no due date: never counted
    action({ id: "A10", dueDate: "2026-03-12T00:00:00Z", status: "done" }), // done without closedAt: incomplete
    action({ id: "A11", dueDate: "2026-04-10T00:00:00Z", status: "open" }), // due after March, before T: only overdue
  ];

  it("counts done on or before the due date; wont_do leaves the denominator; lists overdue oldest first", () => {
    const r = actionClosure(actions, MARCH, LATER);
    expect(r.onTime.map((a) => a.id)).toEqual(["A1", "A3"]);
    expect(r.late.map((a) => a.id)).toEqual(["A2", "A5", "A6"]);
    expect(r.wontDo).toEqual(["A4"]);
    expect(r.incomplete).toEqual([{ id: "A10", reason: "missing_closed_at" }]);
    expect(r.notYetDue).toEqual([]);
    expect(r.numerator).toBe(2); // A1, A3
    expect(r.denominator).toBe(5); // A1, A2, A3, A5, A6
    expect(r.value).toBe(0.4); // 2 / 5
    expect(r.overdue.map((a) => a.id)).toEqual(["A7", "A5", "A6", "A11"]); // Feb 10, Mar 20, Mar 25, Apr 10
    expect(r.overdue[0]).toMatchObject({ owner: "wang.li", closedAt: null, source: { type: "incident", id: "INC-1" } });
  });

  it("as of an earlier T: later closings are still open, open actions not yet due are pending, early closings count", () => {
    const r = actionClosure(actions, MARCH, at("2026-03-06T12:00:00Z"));
    // Due days ended by T: A1 and A2 (Mar 5). A3 was closed early (Mar 4): on time already.
    // A4 (wont_do only on Mar 20), A5, A6 are open and not yet due: pending. A10 has no closing time.
    expect(r.onTime.map((a) => a.id)).toEqual(["A1", "A3"]);
    expect(r.late.map((a) => a.id)).toEqual(["A2"]);
    expect(r.notYetDue).toEqual(["A4", "A5", "A6"]); // by due date: Mar 15, 20, 25
    expect(r.incomplete).toEqual([{ id: "A10", reason: "missing_closed_at" }]);
    expect(r.value).toBe(2 / 3); // A1, A3 of A1, A2, A3
    expect(r.overdue.map((a) => a.id)).toEqual(["A7"]);
  });

  it("an action closed late is overdue until it is closed, and late afterwards", () => {
    const a = action({ id: "L", dueDate: "2026-03-01T00:00:00Z", status: "done", closedAt: "2026-03-10T00:00:00Z" });
    const during = actionClosure([a], MARCH, at("2026-03-05T00:00:00Z"));
    expect(during.late.map((x) => [x.id, x.closedAt])).toEqual([["L", null]]); // not closed as of Mar 5
    expect(during.overdue.map((x) => x.id)).toEqual(["L"]);
    const after = actionClosure([a], MARCH, LATER);
    expect(after.late.map((x) => [x.id, x.closedAt])).toEqual([["L", at("2026-03-10T00:00:00Z")]]);
    expect(after.overdue).toEqual([]);
    expect(after.value).toBe(0); // 0 / 1
  });

  it("wont_do without closedAt leaves the denominator too; nothing due gives null", () => {
    const r = actionClosure([action({ id: "W", dueDate: "2026-03-03T00:00:00Z", status: "wont_do" })], MARCH, LATER);
    expect(r.wontDo).toEqual(["W"]);
    expect(r).toMatchObject({ value: null, numerator: 0, denominator: 0 });
    expect(r.overdue).toEqual([]);
  });

  it("due days in another time zone: a Shanghai due day ends at 16:00Z", () => {
    // Due 2026-03-31 in Shanghai = 2026-03-30T16:00Z (inside UTC March); the day ends 2026-03-31T16:00Z.
    const due = "2026-03-31T00:00:00+08:00";
    const r = actionClosure(
      [
        action({ id: "in-time", dueDate: due, status: "done", closedAt: "2026-03-31T23:59:00+08:00" }), // 15:59Z < 16:00Z
        action({ id: "too-late", dueDate: due, status: "done", closedAt: "2026-04-01T00:00:00+08:00" }), // 16:00Z, day over
      ],
      MARCH,
      LATER,
    );
    expect(r.onTime.map((a) => a.id)).toEqual(["in-time"]);
    expect(r.late.map((a) => a.id)).toEqual(["too-late"]);
    expect(r.value).toBe(0.5); // 1 / 2
  });
});

// ---------------------------------------------------------------------------------------------
// 9. Resolution effectiveness
// ---------------------------------------------------------------------------------------------

describe("resolution effectiveness (Metrics 9)", () => {
  const incidents = [
    // pay RTO 30: mitigated after 20 -> within; resolved Mar 2 02:00, window to Apr 1 02:00 < T -> final.
    inc({ id: "E1", systems: ["pay"], rootCauseCategory: "software_defect", startedAt: "2026-03-02T00:00:00Z", mitigatedAt: "2026-03-02T00:20:00Z", resolvedAt: "2026-03-02T02:00:00Z" }),
    // pay + ledger: strictest RTO 30 (pay); restored after 60 -> over RTO (though within ledger's 120).
    inc({ id: "E2", systems: ["pay", "ledger"], rootCauseCategory: "configuration", startedAt: "2026-03-03T00:00:00Z", resolvedAt: "2026-03-03T01:00:00Z" }),
    // ledger RTO 120: restored after 90 -> within, but E3b (same system + category) starts Mar 20 <= Mar 4 01:30 + 30 d.
    inc({ id: "E3", systems: ["ledger"], rootCauseCategory: "hardware", startedAt: "2026-03-04T00:00:00Z", resolvedAt: "2026-03-04T01:30:00Z" }),
    // 30 min within 120; resolved Mar 20 00:30 + 30 d = Apr 19 00:30 > T -> effective, provisional.
    inc({ id: "E3b", systems: ["ledger"], rootCauseCategory: "hardware", startedAt: "2026-03-20T00:00:00Z", resolvedAt: "2026-03-20T00:30:00Z" }),
    // 60 within 120; E4b links to it explicitly and starts exactly at resolved + 30 d (Apr 4 01:00) -> recurred (inclusive).
    inc({ id: "E4", systems: ["ledger"], rootCauseCategory: "capacity", startedAt: "2026-03-05T00:00:00Z", resolvedAt: "2026-03-05T01:00:00Z" }),
    inc({ id: "E4b", systems: ["ledger"], rootCauseCategory: "human_error", startedAt: "2026-04-04T01:00:00Z", resolvedAt: "2026-04-04T01:10:00Z", recurrenceOf: "E4" }),
    // 10 within 30; E5b (same system + category) starts Apr 5 00:11, one minute after resolved + 30 d -> not followed.
    inc({ id: "E5", systems: ["pay"], rootCauseCategory: "change", startedAt: "2026-03-06T00:00:00Z", resolvedAt: "2026-03-06T00:10:00Z" }),
    inc({ id: "E5b", systems: ["pay"], rootCauseCategory: "change", startedAt: "2026-04-05T00:11:00Z", resolvedAt: "2026-04-05T00:20:00Z" }),
    // Never restored; at T it has been down for weeks > 30.
    inc({ id: "E6", systems: ["pay"], rootCauseCategory: "dependency", startedAt: "2026-03-07T00:00:00Z" }),
    // Unknown system: no RTO.
    inc({ id: "E7", systems: ["mainframe"], startedAt: "2026-03-08T00:00:00Z", resolvedAt: "2026-03-08T00:05:00Z" }),
    // Resolved before it started: data error.
    inc({ id: "E8", systems: ["pay"], rootCauseCategory: "security", startedAt: "2026-03-08T12:00:00Z", resolvedAt: "2026-03-08T11:00:00Z" }),
    // Mitigated after 60 (within 120), resolved Mar 25. E10b starts Apr 12: 34 days after the start but 18 after the
    // resolution -> recurred (the window runs from the resolution).
    inc({ id: "E10", systems: ["ledger"], rootCauseCategory: "software_defect", startedAt: "2026-03-09T00:00:00Z", mitigatedAt: "2026-03-09T01:00:00Z", resolvedAt: "2026-03-25T00:00:00Z" }),
    inc({ id: "E10b", systems: ["ledger"], rootCauseCategory: "software_defect", startedAt: "2026-04-12T00:00:00Z", resolvedAt: "2026-04-12T00:30:00Z" }),
  ];

  it("restored within the strictest RTO and not followed by a recurrence within 30 days of resolution", () => {
    const r = resolutionEffectiveness(incidents, SYSTEMS, MARCH, LATER);
    expect(r.effective.map((i) => [i.id, i.restoreMinutes, i.rtoMinutes, i.provisional])).toEqual([
      ["E1", 20, 30, false],
      ["E5", 10, 30, false],
      ["E3b", 30, 120, true],
    ]);
    expect(r.shortfall.map((i) => [i.id, i.reasons, i.recurredBy])).toEqual([
      ["E2", ["restored_over_rto"], []],
      ["E3", ["recurred"], ["E3b"]],
      ["E4", ["recurred"], ["E4b"]],
      ["E6", ["unrestored_over_rto"], []],
      ["E10", ["recurred"], ["E10b"]],
    ]);
    expect(r.shortfall[0]).toMatchObject({ restoreMinutes: 60, rtoMinutes: 30 });
    expect(r.shortfall[3]).toMatchObject({ restoreMinutes: null, rtoMinutes: 30 });
    expect(r.incomplete).toEqual([
      { id: "E7", reason: "no_sla" },
      { id: "E8", reason: "negative_duration" },
    ]);
    expect(r.pending).toEqual([]);
    expect(r.numerator).toBe(3); // E1, E5, E3b
    expect(r.denominator).toBe(8); // 3 effective + 5 shortfall (E7, E8 incomplete)
    expect(r.value).toBe(0.375); // 3 / 8
  });

  it("as of the month end, recurrences after T are not seen yet and the outcome is provisional", () => {
    const r = resolutionEffectiveness(incidents, SYSTEMS, MARCH, MARCH.to);
    // E4b (Apr 4) and E10b (Apr 12) have not happened at Apr 1 00:00, so E4 and E10 count as effective for now.
    // Every window (resolution + 30 d) is still open at T: E1's runs to Apr 1 02:00, E5's to Apr 5 00:10, etc.
    expect(r.effective.map((i) => [i.id, i.provisional])).toEqual([
      ["E1", true],
      ["E4", true],
      ["E5", true],
      ["E10", true],
      ["E3b", true],
    ]);
    expect(r.shortfall.map((i) => [i.id, i.reasons])).toEqual([
      ["E2", ["restored_over_rto"]],
      ["E3", ["recurred"]], // E3b on Mar 20 has happened
      ["E6", ["unrestored_over_rto"]],
    ]);
    expect(r.value).toBe(5 / 8); // E1, E4, E5, E10, E3b of 8 decided
  });

  it("unrestored within its RTO is pending; restore exactly at the RTO is within", () => {
    const open = inc({ id: "open", systems: ["pay"], startedAt: "2026-03-07T00:00:00Z" });
    const exact = inc({ id: "exact", systems: ["pay"], startedAt: "2026-03-06T00:00:00Z", resolvedAt: "2026-03-06T00:30:00Z" });
    const at20 = resolutionEffectiveness([open, exact], SYSTEMS, MARCH, at("2026-03-07T00:20:00Z"));
    expect(at20.pending.map((i) => i.id)).toEqual(["open"]); // 20 <= 30, not restored yet
    expect(at20.effective.map((i) => [i.id, i.restoreMinutes])).toEqual([["exact", 30]]); // 30 <= 30
    expect(at20.value).toBe(1); // 1 / 1: pending is out of the denominator
    const at30 = resolutionEffectiveness([open], SYSTEMS, MARCH, at("2026-03-07T00:30:00Z"));
    expect(at30.pending.map((i) => i.id)).toEqual(["open"]); // exactly 30: not yet over
    const at31 = resolutionEffectiveness([open], SYSTEMS, MARCH, at("2026-03-07T00:31:00Z"));
    expect(at31.shortfall.map((i) => [i.id, i.reasons])).toEqual([["open", ["unrestored_over_rto"]]]); // 31 > 30
  });

  it("a recurrence decides a shortfall even while the RTO outcome is still pending", () => {
    const first = inc({ id: "first", systems: ["pay"], startedAt: "2026-03-07T00:00:00Z" });
    const again = inc({ id: "again", systems: ["ledger"], startedAt: "2026-03-07T00:15:00Z", recurrenceOf: "first" });
    const r = resolutionEffectiveness([first, again], SYSTEMS, MARCH, at("2026-03-07T00:20:00Z"));
    expect(r.shortfall.map((i) => [i.id, i.reasons])).toEqual([["first", ["recurred"]]]);
    expect(r.pending.map((i) => i.id)).toEqual(["again"]); // ledger RTO 120, 5 min in
    expect(r.value).toBe(0); // 0 / 1
  });

  it("empty period gives null", () => {
    const r = resolutionEffectiveness(incidents, SYSTEMS, { from: MARCH.from, to: MARCH.from }, LATER);
    expect(r).toMatchObject({ value: null, numerator: 0, denominator: 0, effective: [], shortfall: [] });
  });
});

// ---------------------------------------------------------------------------------------------
// Scope
// ---------------------------------------------------------------------------------------------

describe("incidentsInScope", () => {
  it("keeps incidents touching an active system in scope, with all their systems", () => {
    const kept = inc({ id: "k", systems: ["reports", "ledger"], startedAt: "2026-03-01T00:00:00Z" });
    const retiredOnly = inc({ id: "r", systems: ["reports"], startedAt: "2026-03-01T00:00:00Z" });
    const otherTeam = inc({ id: "o", systems: ["pay"], startedAt: "2026-03-01T00:00:00Z" });
    const scoped = incidentsInScope([kept, retiredOnly, otherTeam], [ledger, reports]);
    expect(scoped.map((i) => i.id)).toEqual(["k"]);
    expect(scoped[0].systems).toEqual(["reports", "ledger"]);
  });
});

// ---------------------------------------------------------------------------------------------
// Trend views
// ---------------------------------------------------------------------------------------------

describe("monthlyTrend (Trend views)", () => {
  const echo = (period: Period, asOf: Date) => ({ period, asOf });

  it("gives the last 12 complete calendar months, oldest first, each as of its last day", () => {
    const points = monthlyTrend(echo, at("2026-04-15T10:00:00Z"));
    expect(points).toHaveLength(12);
    expect(points.map((p) => p.month)).toEqual([
      "2025-04", "2025-05", "2025-06", "2025-07", "2025-08", "2025-09",
      "2025-10", "2025-11", "2025-12", "2026-01", "2026-02", "2026-03",
    ]);
    expect(points[0].period).toEqual({ from: at("2025-04-01T00:00:00Z"), to: at("2025-05-01T00:00:00Z") });
    expect(points[11].period).toEqual(MARCH);
    expect(points[11].asOf).toEqual(MARCH.to); // the end of March 31
    expect(points[11].result.asOf).toEqual(MARCH.to);
  });

  it("crosses the year boundary and counts a T on a month start as the start of that month", () => {
    expect(monthlyTrend(echo, at("2026-01-15T00:00:00Z"), { months: 2 }).map((p) => p.month)).toEqual(["2025-11", "2025-12"]);
    expect(monthlyTrend(echo, at("2026-04-01T00:00:00Z"), { months: 1 }).map((p) => p.month)).toEqual(["2026-03"]);
  });

  it("uses calendar months in a time zone, DST included", () => {
    // 2026-04-01 00:30 Shanghai = 2026-03-31T16:30Z: April in Shanghai, still March in UTC.
    const t = at("2026-04-01T00:30:00+08:00");
    const shanghai = monthlyTrend(echo, t, { months: 2, timeZone: "Asia/Shanghai" });
    expect(shanghai.map((p) => p.month)).toEqual(["2026-02", "2026-03"]);
    expect(shanghai[1].period).toEqual({ from: at("2026-02-28T16:00:00Z"), to: at("2026-03-31T16:00:00Z") });
    expect(monthlyTrend(echo, t, { months: 2 }).map((p) => p.month)).toEqual(["2026-01", "2026-02"]);

    // Kraków: CET (+01:00) until Mar 29 2026, then CEST (+02:00): March is 31 days - 1 h = 44580 minutes.
    const [warsaw] = monthlyTrend(echo, at("2026-04-10T00:00:00Z"), { months: 1, timeZone: "Europe/Warsaw" });
    expect(warsaw.period).toEqual({ from: at("2026-02-28T23:00:00Z"), to: at("2026-03-31T22:00:00Z") });
    expect((warsaw.period.to.getTime() - warsaw.period.from.getTime()) / 60_000).toBe(44580);

    // Pune (+05:30, no DST).
    const [pune] = monthlyTrend(echo, at("2026-04-10T00:00:00Z"), { months: 1, timeZone: "Asia/Kolkata" });
    expect(pune.period).toEqual({ from: at("2026-02-28T18:30:00Z"), to: at("2026-03-31T18:30:00Z") });
  });

  it("can add the current month to date, computed as of T", () => {
    const t = at("2026-04-15T10:00:00Z");
    const points = monthlyTrend(echo, t, { months: 1, includeCurrentMonth: true });
    expect(points.map((p) => p.month)).toEqual(["2026-03", "2026-04"]);
    expect(points[1].period).toEqual({ from: at("2026-04-01T00:00:00Z"), to: t });
    expect(points[1].asOf).toEqual(t);
    // T exactly on a month start: the current month has no time yet, so it is left out.
    expect(monthlyTrend(echo, at("2026-04-01T00:00:00Z"), { months: 1, includeCurrentMonth: true })).toHaveLength(1);
  });

  it("computes real metrics per month: a boundary-spanning outage and an incident still open at month end", () => {
    const incidents = [
      // Feb 28 23:00 -> Mar 1 01:00: 60 min in February and 60 in March.
      inc({ id: "span", systems: ["pay"], startedAt: "2026-02-28T23:00:00Z", resolvedAt: "2026-03-01T01:00:00Z" }),
      // Mar 31 23:00 -> Apr 1 02:00: as of the end of March (Apr 1 00:00) it is not restored.
      inc({ id: "eom", systems: ["pay"], startedAt: "2026-03-31T23:00:00Z", resolvedAt: "2026-04-01T02:00:00Z" }),
    ];
    const avail = monthlyTrend((p, t) => availability(pay, incidents, p, t), at("2026-04-20T00:00:00Z"), { months: 2 });
    expect(avail.map((p) => [p.month, p.result.periodMinutes, p.result.downtimeMinutes])).toEqual([
      ["2026-02", 40320, 60], // 28 * 1440; [Feb 28 23:00, Mar 1 00:00)
      ["2026-03", 44640, 120], // [Mar 1 00:00, 01:00) + [Mar 31 23:00, Apr 1 00:00 = T)
    ]);
    const mttr = monthlyTrend((p, t) => timeToRestore(incidents, p, t), at("2026-04-20T00:00:00Z"), { months: 2 });
    // As of the end of each month, neither incident had been restored yet: both are incomplete, not zero.
    expect(mttr.map((p) => [p.month, p.result.all.count, p.result.all.incompleteIncidents])).toEqual([
      ["2026-02", 0, [{ id: "span", reason: "not_restored" }]],
      ["2026-03", 0, [{ id: "eom", reason: "not_restored" }]],
    ]);
    // A caller that wants final figures per month passes its own T instead of the month end.
    const now = at("2026-04-20T00:00:00Z");
    const final = monthlyTrend((p) => timeToRestore(incidents, p, now), now, { months: 2 });
    expect(final.map((p) => p.result.all.meanMinutes)).toEqual([120, 180]); // span 23:00 -> 01:00; eom 23:00 -> 02:00
  });

  it("rejects a bad month count or time zone", () => {
    expect(() => monthlyTrend(echo, LATER, { months: 0 })).toThrow(RangeError);
    expect(() => monthlyTrend(echo, LATER, { months: 1.5 })).toThrow(RangeError);
    expect(() => monthlyTrend(echo, LATER, { timeZone: "Mars/Olympus" })).toThrow(RangeError);
  });
});
