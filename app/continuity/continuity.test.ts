import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { auditLog, correctiveActions, drills, inspections, planReviews } from "#db/schema";
import { createTestDatabase } from "../../tests/db";
import { EDITOR, seedContinuity } from "../../tests/continuity-fixtures";
import { saveDocument } from "../docs/save.server";
import {
  getDrill,
  getInspection,
  getPlanContinuity,
  getSystemInspections,
  IdempotencyConflictError,
  recordDrill,
  recordInspection,
  recordPlanReview,
  recordValidDrill,
} from "./continuity.server";
import { parseDrill, type DrillInput } from "./records";

/**
 * The continuity commands (recordDrill, recordInspection, recordPlanReview) and queries against a real
 * PGlite database with the demo catalog and a small set of plans (tests/continuity-fixtures.ts).
 */

let handle: DatabaseHandle;
const NOW = new Date("2026-11-22T06:00:00Z");

beforeAll(async () => {
  handle = await createTestDatabase();
  await seedContinuity(handle.db);
});
afterAll(() => handle?.close());

async function rows(table: typeof drills | typeof inspections | typeof correctiveActions | typeof planReviews) {
  const [row] = await handle.db.select({ n: count() }).from(table);
  return Number(row!.n);
}
async function auditCount(action: string) {
  const [row] = await handle.db.select({ n: count() }).from(auditLog).where(eq(auditLog.action, action));
  return Number(row!.n);
}

const drill = {
  plan: "plan-ledger",
  scenario: "Primary database host lost",
  heldAt: "2026-11-20T17:00:00Z",
  type: "live_failover",
  outcome: "partial",
  recoveryMinutes: 22,
  participants: ["Chen Wei", "Zhang Min"],
  findings: ["VIP move script hung"],
};
const inspection = { system: "core-ledger", inspectedAt: "2026-11-21T01:30:00Z", inspector: "ledger-daily-check", result: "ok" };

describe("recordDrill", () => {
  it("stores the drill of the current revision with its corrective actions and one audit entry", async () => {
    const before = await auditCount("drill.record");
    const result = await recordDrill(
      handle.db,
      { ...drill, correctiveActions: [{ title: "Add a timeout to the VIP script", owner: "Zhang Min", dueDate: "2026-12-15" }] },
      EDITOR,
      { origin: "form", now: NOW },
    );
    expect(result).toMatchObject({ ok: true, outcome: "created" });
    if (!result.ok) return;
    const detail = await getDrill(handle.db, result.id);
    expect(detail).toMatchObject({
      planRevision: 1,
      outcome: "partial",
      recoveryMinutes: 22,
      rto: { minutes: 15, system: "core-ledger" }, // strictest of core-ledger (15) and swift-connector (60)
      withinRto: false,
      recordedBy: "Eda Editor",
      origin: "form",
    });
    expect(detail!.correctiveActions).toMatchObject([{ title: "Add a timeout to the VIP script", owner: "Zhang Min", status: "open" }]);
    expect(await auditCount("drill.record")).toBe(before + 1);
  });

  it("names the field for an unknown plan, a runbook, an archived plan, a missing revision and a future date", async () => {
    const errorsOf = async (patch: Record<string, unknown>) => {
      const r = await recordDrill(handle.db, { ...drill, ...patch }, EDITOR, { origin: "api", now: NOW });
      return r.ok ? [] : r.errors;
    };
    expect(await errorsOf({ plan: "plan-nope" })).toMatchObject([{ field: "plan", message: expect.stringContaining("no document") }]);
    expect(await errorsOf({ plan: "ledger-lag" })).toMatchObject([{ field: "plan", message: expect.stringContaining("not a contingency plan") }]);
    expect(await errorsOf({ plan: "plan-old" })).toMatchObject([{ field: "plan", message: expect.stringContaining("archived") }]);
    expect(await errorsOf({ planRevision: 7 })).toMatchObject([{ field: "planRevision", message: expect.stringContaining("revisions 1 to 1") }]);
    expect(await errorsOf({ heldAt: "2026-11-24T00:00:00Z" })).toMatchObject([{ field: "heldAt", message: expect.stringContaining("future") }]);
    // One day ahead is still accepted (time zones, clock skew).
    expect(await errorsOf({ heldAt: "2026-11-23T05:00:00Z", scenario: "tomorrow morning in Shanghai" })).toEqual([]);
  });

  it("stores nothing when a corrective action is invalid, naming it", async () => {
    const [drillsBefore, actionsBefore] = [await rows(drills), await rows(correctiveActions)];
    const result = await recordDrill(
      handle.db,
      { ...drill, correctiveActions: [{ title: "Fine", owner: "Li Na" }, { title: "No owner" }] },
      EDITOR,
      { origin: "api", now: NOW },
    );
    expect(result).toEqual({ ok: false, errors: [{ field: "correctiveActions[1].owner", message: "is required: who is responsible" }] });
    expect([await rows(drills), await rows(correctiveActions)]).toEqual([drillsBefore, actionsBefore]);
  });

  it("rolls the drill back when the database refuses a corrective action (one transaction)", async () => {
    const [drillsBefore, auditBefore] = [await rows(drills), await auditCount("drill.record")];
    const parsed = parseDrill({ ...drill, scenario: "rollback check" });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    // Past the schema, an action the table refuses (owner is NOT NULL): the drill insert before it must not survive.
    const input: DrillInput = { ...parsed.value, correctiveActions: [{ title: "x", owner: null as unknown as string, status: "open", notes: "" }] };
    await expect(recordValidDrill(handle.db, input, EDITOR, { origin: "api", now: NOW })).rejects.toThrow();
    expect(await rows(drills)).toBe(drillsBefore);
    expect(await auditCount("drill.record")).toBe(auditBefore);
  });

  it("is idempotent by key: the same content writes nothing, different content is refused", async () => {
    const first = await recordDrill(handle.db, { ...drill, scenario: "keyed" }, EDITOR, { origin: "api", externalKey: "ci-drill-1", now: NOW });
    expect(first).toMatchObject({ ok: true, outcome: "created" });
    const count = await rows(drills);
    const again = await recordDrill(handle.db, { ...drill, scenario: "keyed", externalKey: "ci-drill-1" }, EDITOR, { origin: "api", now: NOW });
    expect(again).toEqual({ ok: true, id: (first as { id: string }).id, outcome: "unchanged" });
    expect(await rows(drills)).toBe(count);
    const changed = recordDrill(handle.db, { ...drill, scenario: "keyed", outcome: "failed" }, EDITOR, { origin: "api", externalKey: "ci-drill-1", now: NOW });
    await expect(changed).rejects.toBeInstanceOf(IdempotencyConflictError);
    await expect(changed).rejects.toMatchObject({ differences: ["outcome"] });
    expect((await getDrill(handle.db, (first as { id: string }).id))!.outcome).toBe("partial");
    // A header key and a different body key are refused, naming the field.
    const mismatch = await recordDrill(handle.db, { ...drill, externalKey: "a" }, EDITOR, { origin: "api", externalKey: "b", now: NOW });
    expect(mismatch.ok ? [] : mismatch.errors.map((e) => e.field)).toEqual(["externalKey"]);
  });
});

describe("recordInspection", () => {
  it("stores an inspection with its checklist and actions, and refuses a retired or unknown system by field", async () => {
    const result = await recordInspection(
      handle.db,
      {
        ...inspection,
        result: "warning",
        checklist: [{ item: "Replication lag", result: "warning", note: "45 s" }],
        findings: ["同步备库复制延迟超过 30 秒"],
        correctiveActions: [{ title: "Tune wal_sender_timeout", owner: "Li Na", status: "done", closedAt: "2026-11-21T08:00:00Z" }],
      },
      EDITOR,
      { origin: "api", now: NOW },
    );
    expect(result).toMatchObject({ ok: true, outcome: "created" });
    if (!result.ok) return;
    const detail = await getInspection(handle.db, result.id);
    expect(detail).toMatchObject({ result: "warning", checklist: [{ item: "Replication lag", result: "warning", note: "45 s" }], findings: ["同步备库复制延迟超过 30 秒"] });
    expect(detail!.correctiveActions).toMatchObject([{ status: "done" }]);
    expect(await auditCount("inspection.record")).toBeGreaterThan(0);

    const retired = await recordInspection(handle.db, { ...inspection, system: "fax-confirmation-gateway" }, EDITOR, { origin: "api", now: NOW });
    expect(retired.ok ? [] : retired.errors).toMatchObject([{ field: "system", message: expect.stringContaining("retired") }]);
    const unknown = await recordInspection(handle.db, { ...inspection, system: "nope" }, EDITOR, { origin: "api", now: NOW });
    expect(unknown.ok ? [] : unknown.errors.map((e) => e.field)).toEqual(["system"]);
  });

  it("is idempotent by key", async () => {
    const body = { ...inspection, inspectedAt: "2026-11-19T01:30:00Z", externalKey: "nightly-2026-11-19" };
    const first = await recordInspection(handle.db, body, EDITOR, { origin: "api", now: NOW });
    const second = await recordInspection(handle.db, body, EDITOR, { origin: "api", now: NOW });
    expect(second).toEqual({ ok: true, id: (first as { id: string }).id, outcome: "unchanged" });
    await expect(recordInspection(handle.db, { ...body, result: "failed" }, EDITOR, { origin: "api", now: NOW })).rejects.toBeInstanceOf(IdempotencyConflictError);
  });
});

describe("recordPlanReview and the plan panel", () => {
  it("records who, when, which revision and a comment, audited; the text is not changed", async () => {
    const result = await recordPlanReview(handle.db, { plan: "plan-ledger", revision: 1, comment: "Checked the VIP steps" }, EDITOR, NOW);
    expect(result).toMatchObject({ ok: true, revision: 1 });
    const [review] = await handle.db.select().from(planReviews).where(eq(planReviews.reviewer, "Eda Editor"));
    expect(review).toMatchObject({ revision: 1, comment: "Checked the VIP steps", reviewerUserId: "user-eda" });
    expect(review!.reviewedAt.toISOString()).toBe(NOW.toISOString());
    const [entry] = await handle.db.select().from(auditLog).where(and(eq(auditLog.action, "plan.review"), eq(auditLog.target, "plan-ledger")));
    expect(entry).toMatchObject({ actor: "eda@lhb.example", revision: 1 });
    const plan = await getPlanContinuity(handle.db, "plan-ledger", NOW);
    expect(plan!.currentRevision).toBe(1);
  });

  it("refuses a runbook, an archived plan, an unknown slug and a revision that is not current", async () => {
    const fieldsOf = async (raw: Record<string, unknown>) => {
      const r = await recordPlanReview(handle.db, raw, EDITOR, NOW);
      return r.ok ? [] : r.errors.map((e) => e.field);
    };
    const before = await rows(planReviews);
    expect(await fieldsOf({ plan: "ledger-lag" })).toEqual(["plan"]);
    expect(await fieldsOf({ plan: "plan-old" })).toEqual(["plan"]);
    expect(await fieldsOf({ plan: "nope" })).toEqual(["plan"]);
    expect(await fieldsOf({ plan: "plan-ledger", revision: 2 })).toEqual(["revision"]);
    expect(await rows(planReviews)).toBe(before);
  });

  it("shows scenarios, approver, the review due date from the strictest interval, and flags overdue", async () => {
    const plan = await getPlanContinuity(handle.db, "plan-ledger", NOW);
    expect(plan).toMatchObject({
      scenarios: ["Primary database host lost", "主库存储故障"],
      approver: "Chen Wei, Head of Core Banking Operations",
      rto: { value: 15, system: "core-ledger" },
    });
    // Reviewed at NOW (previous test); core-ledger (tier 1) reviews every 182 days, swift-connector (tier 2) 365.
    expect(plan!.review).toMatchObject({ intervalDays: 182, intervalSystem: "core-ledger", basis: "review", nextReviewDue: "2027-05-23", overdue: false });
    expect(plan!.review.history[0]).toMatchObject({ reviewer: "Eda Editor", comment: "Checked the VIP steps" });
    const later = await getPlanContinuity(handle.db, "plan-ledger", new Date("2027-06-01T00:00:00Z"));
    expect(later!.review).toMatchObject({ overdue: true, overdueDays: 9 });
    expect(await getPlanContinuity(handle.db, "ledger-lag", NOW)).toBeNull();
  });

  it("lists drills with recovery vs RTO and flags a plan changed since its last drill", async () => {
    const before = await getPlanContinuity(handle.db, "plan-ledger", NOW);
    expect(before!.drill.changedSinceLastDrill).toBe(false);
    expect(before!.drills[0]).toMatchObject({ recoveryMinutes: 22, withinRto: false });
    expect(before!.drill).toMatchObject({ intervalDays: 182, lastOutcome: "partial" });
    const saved = await saveDocument(
      handle.db,
      { slug: "plan-ledger", baseRevision: 1, title: "Ledger failover", markdown: "# Ledger failover\n\nNew steps.\n" },
      EDITOR,
    );
    expect(saved).toMatchObject({ ok: true, revision: 2 });
    const after = await getPlanContinuity(handle.db, "plan-ledger", NOW);
    expect(after!.drill.changedSinceLastDrill).toBe(true);
    expect(after!.drill.lastCounting!.planRevision).toBe(1);
  });
});

describe("system inspections panel", () => {
  it("gives the latest result, the due date, the history newest first and findings per month", async () => {
    const data = await getSystemInspections(handle.db, { id: await systemId("core-ledger"), slug: "core-ledger" }, 1, NOW);
    expect(data.latest).toMatchObject({ result: "warning", inspectedAt: "2026-11-21T01:30:00.000Z" });
    expect(data.items.map((i) => i.inspectedAt)).toEqual(["2026-11-21T01:30:00.000Z", "2026-11-19T01:30:00.000Z"]);
    expect(data.nextDue).toBe("2026-11-22");
    expect(data.overdueDays).toBeNull();
    expect(data.trend).toHaveLength(12);
    expect(data.trend.at(-1)).toEqual({ month: "2026-11", inspections: 2, findings: 1, warning: 1, failed: 0 });
    expect(data.trend[0]!.month).toBe("2025-12");
    const overdue = await getSystemInspections(handle.db, { id: await systemId("core-ledger"), slug: "core-ledger" }, 1, new Date("2026-11-25T00:00:00Z"));
    expect(overdue.overdueDays).toBe(3);
  });
});

async function systemId(slug: string): Promise<number> {
  const { systems } = await import("#db/schema");
  const [row] = await handle.db.select({ id: systems.id }).from(systems).where(eq(systems.slug, slug));
  return row!.id;
}
