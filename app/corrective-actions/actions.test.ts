/**
 * Corrective actions on a real database: the list (filters, overdue-first order, pagination, CSV)
 * and the `updateCorrectiveAction` command (version check, closedAt, audit in the same transaction).
 * Fixture: tests/reliability-fixtures.ts, as of 2026-11-22 12:00 UTC.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { auditLog } from "#db/schema/auth";
import { correctiveActions } from "#db/schema/incidents";
import { createTestDatabase } from "../../tests/db";
import { REL_AS_OF, seedReliabilityFixture, type ReliabilityFixture } from "../../tests/reliability-fixtures";
import { CorrectiveActionConflictError, CorrectiveActionNotFoundError, updateCorrectiveAction } from "./actions.server";
import { actionFiltersQuery, parseActionFilters, type ActionFilters } from "./filters";
import { correctiveActionUpdate } from "./input";
import { actionsForPostmortem, correctiveActionsCsv, listCorrectiveActions, openActionsForSystem } from "./queries.server";

let handle: DatabaseHandle;
let fx: ReliabilityFixture;
const actor = { userId: null, email: "editor@bank.example", ip: "127.0.0.1" };

beforeAll(async () => {
  handle = await createTestDatabase();
  fx = await seedReliabilityFixture(handle.db);
});
afterAll(async () => {
  await handle?.close();
});

const filters = (f: Partial<ActionFilters> = {}): ActionFilters => ({ system: null, team: null, owner: null, statuses: ["open", "in_progress"], source: null, ...f });
const titles = (items: Array<{ title: string }>) => items.map((i) => i.title.replace("Rel action ", ""));

describe("the corrective-action list", () => {
  it("puts overdue actions first, oldest due date first, then the rest by due date (none last)", async () => {
    const { items, total } = await listCorrectiveActions(handle.db, filters(), { now: REL_AS_OF });
    // Open/in progress: a7 (09-01), a8 (10-05), a6 (10-10), a4 (10-25) overdue; a9 (12-10); a10 (no due date).
    expect(titles(items)).toEqual(["a7", "a8", "a6", "a4", "a9", "a10"]);
    expect(total).toBe(6);
    expect(items.slice(0, 4).every((a) => a.overdue)).toBe(true);
    expect(items[4].overdue).toBe(false);
    expect(items[0]).toMatchObject({ daysOverdue: 82, ageDays: 93 }); // due 09-01 ended 09-02 00:00; created 08-21
    expect(items[0].source).toMatchObject({ type: "inspection", href: `/inspections/${fx.inspectionId}` });
    expect(items[0].systems.map((s) => s.slug)).toEqual(["rel-pay"]);
    expect(items[2].source).toMatchObject({ type: "drill", href: `/drills/${fx.drillId}` });
    expect(items[2].systems).toEqual([expect.objectContaining({ slug: "rel-core", team: "rel-ops" })]);
    expect(items[3].source).toMatchObject({ type: "incident", href: `/incidents/${fx.incidents.i5.number}` });
  });

  it("filters by system (through the incident, the drill's plan or the inspection), team, owner, status and source", async () => {
    const list = async (f: Partial<ActionFilters>) => titles((await listCorrectiveActions(handle.db, filters(f), { now: REL_AS_OF })).items);
    expect(await list({ system: "rel-core" })).toEqual(["a6", "a9", "a10"]);
    expect(await list({ team: "rel-payments" })).toEqual(["a7", "a4"]);
    expect(await list({ owner: "LI.WEI" })).toEqual(["a4"]);
    expect(await list({ owner: "%" })).toEqual([]); // LIKE wildcards are matched literally
    expect(await list({ source: "drill" })).toEqual(["a6"]);
    expect(await list({ statuses: ["done", "wont_do"] })).toEqual(["a1", "a2", "a3", "a5"]);
    expect(await list({ statuses: ["done"], system: "rel-pay" })).toEqual(["a3"]);
  });

  it("pages", async () => {
    const page2 = await listCorrectiveActions(handle.db, filters(), { now: REL_AS_OF, page: 2, pageSize: 4 });
    expect(titles(page2.items)).toEqual(["a9", "a10"]);
    expect(page2.total).toBe(6);
  });

  it("reads filters from the query string and refuses bad ones naming the parameter", () => {
    const ok = parseActionFilters(new URLSearchParams("status=done,wont_do&status=open&team=rel-ops&page=2"));
    expect(ok).toMatchObject({ ok: true, page: 2, filters: { statuses: ["done", "wont_do", "open"], team: "rel-ops" } });
    if (ok.ok) expect(actionFiltersQuery(ok.values)).toBe("team=rel-ops&status=done&status=wont_do&status=open");
    expect(parseActionFilters(new URLSearchParams(""))).toMatchObject({ ok: true, filters: { statuses: ["open", "in_progress"] } });
    expect(parseActionFilters(new URLSearchParams("status=closed"))).toMatchObject({ ok: false, parameter: "status" });
    expect(parseActionFilters(new URLSearchParams("source=audit"))).toMatchObject({ ok: false, parameter: "source" });
    expect(parseActionFilters(new URLSearchParams("page=0"))).toMatchObject({ ok: false, parameter: "page" });
  });

  it("gives the same rows as CSV, in the same order, with spreadsheet formulas defused", async () => {
    await handle.db.update(correctiveActions).set({ notes: "=HYPERLINK(\"x\")" }).where(eq(correctiveActions.id, fx.actions.a7));
    const { csv, truncated } = await correctiveActionsCsv(handle.db, filters({ team: "rel-payments" }), REL_AS_OF);
    const lines = csv.trimEnd().split("\r\n");
    expect(truncated).toBe(false);
    expect(lines[0]).toBe("id,title,owner,due_date,status,overdue,days_overdue,age_days,created_at,closed_at,source_type,source,source_url,systems,teams,notes");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`${fx.actions.a7},Rel action a7,marek@bank.example,2026-09-01,open,yes,82,`);
    expect(lines[1]).toContain(`/inspections/${fx.inspectionId},rel-pay,rel-payments,"'=HYPERLINK(""x"")"`);
    expect(lines[2]).toContain(",Rel action a4,");
  });

  it("gives a system's open actions and a postmortem's actions", async () => {
    const open = await openActionsForSystem(handle.db, "rel-pay", 20, REL_AS_OF);
    expect(titles(open.items)).toEqual(["a7", "a4"]);
    // The postmortem belongs to i2, which has a1 (done), a9 and a10.
    const pm = await actionsForPostmortem(handle.db, fx.postmortemId, REL_AS_OF);
    expect(titles(pm).sort()).toEqual(["a1", "a10", "a9"]);
    expect(pm.find((a) => a.title.endsWith("a1"))?.status).toBe("done");
  });
});

describe("updateCorrectiveAction", () => {
  const input = (v: unknown) => correctiveActionUpdate.parse(v);

  it("saves status, owner and due date with one audit entry holding before and after, and sets closedAt on done", async () => {
    const id = fx.actions.a9;
    const now = new Date("2026-11-22T13:00:00Z");
    const result = await updateCorrectiveAction(handle.db, id, input({ version: 1, status: "done", owner: "li.wei@bank.example", dueDate: "2026-12-01" }), actor, now);
    expect(result).toMatchObject({ outcome: "updated", action: { status: "done", owner: "li.wei@bank.example", dueDate: "2026-12-01", version: 2 } });
    const [row] = await handle.db.select().from(correctiveActions).where(eq(correctiveActions.id, id));
    expect(row).toMatchObject({ status: "done", version: 2, dueDate: "2026-12-01" });
    expect(row.closedAt?.toISOString()).toBe(now.toISOString());
    const audit = await handle.db.select().from(auditLog).where(eq(auditLog.target, id));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "corrective_action.update", targetType: "corrective_action", actor: "editor@bank.example" });
    expect(audit[0].details).toEqual({
      status: { before: "open", after: "done" },
      owner: { before: "ana@bank.example", after: "li.wei@bank.example" },
      dueDate: { before: "2026-12-10", after: "2026-12-01" },
      closedAt: { before: null, after: now.toISOString() },
    });
  });

  it("keeps closedAt from done to wont_do and clears it when re-opened", async () => {
    const id = fx.actions.a9;
    const [before] = await handle.db.select().from(correctiveActions).where(eq(correctiveActions.id, id));
    await updateCorrectiveAction(handle.db, id, input({ version: 2, status: "wont_do" }), actor, new Date("2026-11-23T00:00:00Z"));
    const [closed] = await handle.db.select().from(correctiveActions).where(eq(correctiveActions.id, id));
    expect(closed.closedAt?.getTime()).toBe(before.closedAt?.getTime());
    await updateCorrectiveAction(handle.db, id, input({ version: 3, status: "in_progress" }), actor);
    const [reopened] = await handle.db.select().from(correctiveActions).where(eq(correctiveActions.id, id));
    expect(reopened).toMatchObject({ status: "in_progress", closedAt: null, version: 4 });
  });

  it("refuses a stale version with both values and writes nothing", async () => {
    const id = fx.actions.a10;
    await updateCorrectiveAction(handle.db, id, input({ version: 1, owner: "priya@bank.example" }), actor);
    const auditBefore = (await handle.db.select().from(auditLog).where(eq(auditLog.target, id))).length;
    const stale = updateCorrectiveAction(handle.db, id, input({ version: 1, owner: "marek@bank.example", status: "done" }), actor);
    await expect(stale).rejects.toBeInstanceOf(CorrectiveActionConflictError);
    const error = (await stale.catch((e) => e)) as CorrectiveActionConflictError;
    expect(error.current).toMatchObject({ owner: "priya@bank.example", status: "open", version: 2 });
    expect(error.yours).toEqual({ owner: "marek@bank.example", status: "done" });
    const [row] = await handle.db.select().from(correctiveActions).where(eq(correctiveActions.id, id));
    expect(row).toMatchObject({ owner: "priya@bank.example", status: "open", version: 2, closedAt: null });
    expect((await handle.db.select().from(auditLog).where(eq(auditLog.target, id))).length).toBe(auditBefore);
  });

  it("writes nothing for an edit that changes nothing, and refuses unknown ids", async () => {
    const id = fx.actions.a4;
    const result = await updateCorrectiveAction(handle.db, id, input({ version: 1, status: "open", owner: "li.wei@bank.example" }), actor);
    expect(result.outcome).toBe("unchanged");
    expect(await handle.db.select().from(auditLog).where(eq(auditLog.target, id))).toHaveLength(0);
    await expect(updateCorrectiveAction(handle.db, "00000000-0000-4000-8000-000000000000", input({ version: 1 }), actor)).rejects.toBeInstanceOf(
      CorrectiveActionNotFoundError,
    );
    await expect(updateCorrectiveAction(handle.db, "not-a-uuid", input({ version: 1 }), actor)).rejects.toBeInstanceOf(CorrectiveActionNotFoundError);
  });

  it("validates the edit naming each field", () => {
    const bad = correctiveActionUpdate.safeParse({ version: "x", status: "closed", owner: " ", dueDate: "2026-02-30" });
    expect(bad.success).toBe(false);
    const fields = Object.fromEntries((bad.error?.issues ?? []).map((i) => [i.path[0], i.message]));
    expect(Object.keys(fields).sort()).toEqual(["dueDate", "owner", "status", "version"]);
    expect(correctiveActionUpdate.parse({ version: "3", dueDate: "" })).toEqual({ version: 3, dueDate: null });
  });
});
