import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { auditLog, correctiveActions, incidentEvents, incidents, incidentSystems } from "#db/schema";
import { createTestDatabase } from "../../tests/db";
import { ALICE, BOGDAN, seedDocsCatalog } from "../../tests/docs-fixtures";
import { addIncidentEvent, createIncident, getIncident, IncidentConflictError, listIncidents, updateIncident } from "./incidents.server";

let handle: DatabaseHandle;
let db: DatabaseHandle["db"];
beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
  await seedDocsCatalog(db);
});
afterAll(() => handle.close());

const input = {
  title: "Ledger postings time out",
  severity: "SEV2",
  systems: ["core-ledger"],
  startedAt: "2026-06-13T14:31:00Z",
  detectedAt: "2026-06-13T14:34:00Z",
  customerImpact: true,
  actions: [{ title: "Enable Patroni watchdog", owner: "Li Na", dueDate: "2026-09-30" }],
  events: [{ at: "2026-06-13T14:41:00Z", text: "Manual promote on ledger-db-02" }],
};
const audits = async (action: string) => (await db.select({ n: count() }).from(auditLog).where(eq(auditLog.action, action)))[0]!.n;

describe("incident commands", () => {
  it("creates an incident with systems, events, actions and an audit entry, in one go", async () => {
    const result = await createIncident(db, input, ALICE, { origin: "form" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const detail = (await getIncident(db, result.number))!;
    expect(detail).toMatchObject({ title: input.title, status: "open", version: 1, createdBy: ALICE.email });
    expect(detail.systems.map((s) => s.slug)).toEqual(["core-ledger"]);
    expect(detail.events).toMatchObject([{ text: "Manual promote on ledger-db-02", source: "form" }]);
    expect(detail.actions).toMatchObject([{ title: "Enable Patroni watchdog", status: "open" }]);
    const [entry] = await db.select().from(auditLog).where(and(eq(auditLog.action, "incident.create"), eq(auditLog.target, `INC-${result.number}`)));
    expect(entry).toMatchObject({ actor: ALICE.email, ip: ALICE.ip, targetType: "incident" });
  });

  it("refuses unknown systems and out-of-order timestamps, naming the field, and stores nothing", async () => {
    const before = (await db.select({ n: count() }).from(incidents))[0]!.n;
    const unknown = await createIncident(db, { ...input, systems: ["core-ledger", "no-such"] }, ALICE, { origin: "api" });
    expect(unknown).toEqual({ ok: false, fieldErrors: { systems: expect.stringContaining("not in the catalog: no-such") } });
    const order = await createIncident(db, { ...input, resolvedAt: "2026-06-13T14:00:00Z" }, ALICE, { origin: "api" });
    expect(!order.ok && order.fieldErrors.resolvedAt).toMatch(/resolved at .* is before started at/);
    const badAction = await createIncident(db, { ...input, actions: [{ title: "x", owner: "" }] }, ALICE, { origin: "api" });
    expect(!badAction.ok && Object.keys(badAction.fieldErrors)).toEqual(["actions.0.owner"]);
    expect((await db.select({ n: count() }).from(incidents))[0]!.n).toBe(before);
    expect((await db.select({ n: count() }).from(correctiveActions))[0]!.n).toBe(1);
  });

  it("saves an edit on the current version, auditing each changed field", async () => {
    const created = await createIncident(db, { ...input, title: "Edit me" }, ALICE, { origin: "form" });
    if (!created.ok) throw new Error("setup");
    const saved = await updateIncident(db, created.number, { ...input, title: "Edited", severity: "SEV1", mitigatedAt: "2026-06-13T15:38:00Z" }, 1, BOGDAN);
    expect(saved).toMatchObject({ ok: true, version: 2, changed: ["title", "severity", "status", "mitigatedAt"] });
    const [entry] = await db.select().from(auditLog).where(and(eq(auditLog.action, "incident.update"), eq(auditLog.target, `INC-${created.number}`)));
    expect(entry!.details).toMatchObject({ baseVersion: 1, version: 2, changes: { severity: { before: "SEV2", after: "SEV1" }, status: { before: "open", after: "mitigated" } } });
    const same = await updateIncident(db, created.number, { ...input, title: "Edited", severity: "SEV1", mitigatedAt: "2026-06-13T15:38:00Z" }, 2, BOGDAN);
    expect(same).toMatchObject({ ok: true, version: 2, changed: [] });
  });

  it("refuses an edit based on an old version, carrying both sides, and writes nothing", async () => {
    const created = await createIncident(db, { ...input, title: "Race" }, ALICE, { origin: "form" });
    if (!created.ok) throw new Error("setup");
    await updateIncident(db, created.number, { ...input, title: "Alice's title" }, 1, ALICE);
    const updatesBefore = await audits("incident.update");
    const error = await updateIncident(db, created.number, { ...input, title: "Bogdan's title", systems: ["payment-gateway"] }, 1, BOGDAN).catch((e) => e);
    expect(error).toBeInstanceOf(IncidentConflictError);
    expect(error.current).toMatchObject({ title: "Alice's title", version: 2 });
    expect(error.yours).toMatchObject({ title: "Bogdan's title" });
    const detail = (await getIncident(db, created.number))!;
    expect(detail.title).toBe("Alice's title");
    expect(detail.systems.map((s) => s.slug)).toEqual(["core-ledger"]);
    expect(await audits("incident.update")).toBe(updatesBefore);
  });

  it("adds timeline events with an audit entry", async () => {
    const created = await createIncident(db, { ...input, title: "Events" }, ALICE, { origin: "form" });
    if (!created.ok) throw new Error("setup");
    expect(await addIncidentEvent(db, created.number, { at: "2026-06-13T14:50:00Z", text: "" }, ALICE)).toEqual({ ok: false, fieldErrors: { text: "is required: what happened" } });
    const added = await addIncidentEvent(db, created.number, { at: "2026-06-13T14:50:00Z", text: "Escalated to DBA" }, ALICE);
    expect(added.ok).toBe(true);
    expect((await getIncident(db, created.number))!.events.map((e) => e.text)).toEqual(["Manual promote on ledger-db-02", "Escalated to DBA"]);
    expect(await audits("incident.event")).toBe(1);
  });

  it("lists newest first with filters and pages", async () => {
    await createIncident(db, { ...input, title: "Gateway", systems: ["payment-gateway"], severity: "SEV4", startedAt: "2026-07-01T00:00:00Z", detectedAt: null, events: [] }, ALICE, { origin: "form" });
    const all = await listIncidents(db, { pageSize: 2 });
    expect(all.total).toBe(5);
    expect(all.items.map((i) => i.title)).toEqual(["Gateway", "Events"]);
    expect((await listIncidents(db, { pageSize: 2, page: 3 })).items).toHaveLength(1);
    expect((await listIncidents(db, { severity: ["SEV4"] })).items.map((i) => i.title)).toEqual(["Gateway"]);
    expect((await listIncidents(db, { system: "payment-gateway" })).total).toBe(1);
    expect((await listIncidents(db, { from: new Date("2026-06-14T00:00:00Z") })).total).toBe(1);
    expect((await listIncidents(db, { status: ["mitigated"] })).items.map((i) => i.title)).toEqual(["Edited"]);
    expect((await db.select({ n: count() }).from(incidentSystems))[0]!.n).toBe(5);
    expect((await db.select({ n: count() }).from(incidentEvents))[0]!.n).toBe(5); // 4 from input, 1 added
  });
});
