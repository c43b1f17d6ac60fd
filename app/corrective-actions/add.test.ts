/**
 * The `addCorrectiveAction` command on a real database: validation names the field and writes
 * nothing, an unknown source is refused, a good action lands with its audit entry.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { auditLog } from "#db/schema/auth";
import { correctiveActions } from "#db/schema/incidents";
import { createTestDatabase } from "../../tests/db";
import { seedReliabilityFixture, type ReliabilityFixture } from "../../tests/reliability-fixtures";
import { ActionSourceNotFoundError, addCorrectiveAction } from "./add.server";

let handle: DatabaseHandle;
let fx: ReliabilityFixture;
const actor = { userId: null, email: "editor@bank.example", name: "Ed Itor", ip: "127.0.0.1" };

beforeAll(async () => {
  handle = await createTestDatabase();
  fx = await seedReliabilityFixture(handle.db);
});
afterAll(async () => {
  await handle?.close();
});

const count = async () => (await handle.db.select({ id: correctiveActions.id }).from(correctiveActions)).length;

describe("addCorrectiveAction", () => {
  it("adds an open action to an incident, audited, with its creator", async () => {
    const incident = Object.values(fx.incidents)[0]!;
    const before = await count();
    const result = await addCorrectiveAction(handle.db, { type: "incident", id: incident.id }, { title: "Rotate the TLS certificate automatically", owner: "Wang Hao", dueDate: "2026-12-31" }, actor);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [row] = await handle.db.select().from(correctiveActions).where(eq(correctiveActions.id, result.id));
    expect(row).toMatchObject({ incidentId: incident.id, drillId: null, status: "open", owner: "Wang Hao", dueDate: "2026-12-31", closedAt: null, createdBy: "Ed Itor" });
    expect(await count()).toBe(before + 1);
    const audit = await handle.db.select().from(auditLog).where(and(eq(auditLog.action, "corrective_action.create"), eq(auditLog.target, result.id)));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ source: { type: "incident", id: incident.id }, owner: "Wang Hao" });
  });

  it("names the bad field and writes nothing", async () => {
    const before = await count();
    const result = await addCorrectiveAction(handle.db, { type: "drill", id: fx.drillId }, { title: " ", owner: "Wang Hao", dueDate: "2026-02-30" }, actor);
    expect(result).toEqual({ ok: false, fieldErrors: { title: "title is required", dueDate: "dueDate is not a real calendar day" } });
    expect(await count()).toBe(before);
  });

  it("refuses a source that does not exist", async () => {
    const before = await count();
    await expect(
      addCorrectiveAction(handle.db, { type: "inspection", id: "00000000-0000-4000-8000-000000000000" }, { title: "x", owner: "y" }, actor),
    ).rejects.toBeInstanceOf(ActionSourceNotFoundError);
    expect(await count()).toBe(before);
  });
});
