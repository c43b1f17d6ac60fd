import { and, count, desc, eq, inArray, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { auditLog, documentSystems, searchOutbox, slas, systems, teams } from "#db/schema";
import { createTestDatabase } from "../../tests/db";
import { CONTENT_DIR } from "../../tests/paths";
import { importContent } from "../docs/import.server";
import {
  applyRowIntent,
  readSystemForm,
  slaEntryFromForm,
  slaFormValues,
  systemEntryFromForm,
  systemFormValues,
  teamEntryFromForm,
  teamFormValues,
} from "./admin-form";
import {
  CatalogNotFoundError,
  createSystem,
  createTeam,
  getSystemEntry,
  listSlaEntries,
  listTeamEntries,
  updateSla,
  updateSystem,
  updateTeam,
  type AdminActor,
} from "./admin.server";

let handle: DatabaseHandle;
const admin: AdminActor = { actor: "admin@lhb.example", actorUserId: "user-admin", ip: "10.0.0.7" };

beforeAll(async () => {
  handle = await createTestDatabase();
  await importContent(handle.db, { root: CONTENT_DIR, prefix: "" });
});
afterAll(async () => {
  await handle?.close();
});

async function auditCount() {
  const [row] = await handle.db.select({ n: count() }).from(auditLog);
  return Number(row!.n);
}

async function lastAudit(action: string) {
  const [row] = await handle.db.select().from(auditLog).where(eq(auditLog.action, action)).orderBy(desc(auditLog.id)).limit(1);
  return row;
}

/** The form of an existing system, as the browser would post it. */
async function systemForm(slug: string) {
  return systemFormValues(await getSystemEntry(handle.db, slug));
}

describe("form <-> entry mapping", () => {
  it("shows every demo system in the form and reads it back unchanged", async () => {
    const all = await handle.db.select({ slug: systems.slug }).from(systems);
    for (const { slug } of all) {
      const entry = (await getSystemEntry(handle.db, slug))!;
      const values = systemFormValues(entry);
      const form = new FormData();
      for (const [key, value] of Object.entries(values)) {
        if (key === "sla") for (const [k, v] of Object.entries(value as Record<string, string>)) form.set(`sla.${k}`, v);
        else if (key === "depends_on") for (const d of value as string[]) form.append("depends_on", d);
        else if (Array.isArray(value)) value.forEach((row, i) => Object.entries(row).forEach(([k, v]) => form.set(`${key}.${i}.${k}`, v as string)));
        else form.set(key, value as string);
      }
      const result = await updateSystem(handle.db, slug, systemEntryFromForm(readSystemForm(form)), admin);
      expect(result, slug).toEqual({ ok: true, changes: {} });
    }
  });

  it("adds, moves and removes repeatable rows, and drops rows left blank", () => {
    const values = systemFormValues(null);
    const added = applyRowIntent(applyRowIntent(values, "add:escalation")!, "add:escalation")!;
    expect(added.escalation).toHaveLength(2);
    added.escalation[1]!.team = "second";
    expect(applyRowIntent(added, "up:escalation:1")!.escalation.map((r) => r.team)).toEqual(["second", ""]);
    expect(applyRowIntent(added, "remove:escalation:0")!.escalation.map((r) => r.team)).toEqual(["second"]);
    expect(applyRowIntent(added, "save")).toBeNull();

    const form = new FormData();
    form.set("critical_windows.0.name", "");
    form.set("critical_windows.0.start", " ");
    form.set("critical_windows.3.name", "Month-end");
    expect(readSystemForm(form).critical_windows).toEqual([{ name: "Month-end", days: "", start: "", end: "", timezone: "" }]);
  });
});

describe("validation errors name the field and write nothing", () => {
  it("system: bad tier, time, time zone, partial response targets, unknown owner and dependency", async () => {
    const before = await auditCount();
    const values = await systemForm("core-ledger");
    values.tier = "seven";
    values.name = " ";
    values.sla["response_minutes.SEV1"] = "3";
    values.critical_windows[0]!.start = "25:00";
    values.escalation[0]!.timezone = "Mars/Olympus";
    const result = await updateSystem(handle.db, "core-ledger", systemEntryFromForm(values), admin);
    expect(result.ok).toBe(false);
    const errors = !result.ok ? result.errors : {};
    expect(errors).toMatchObject({
      name: "required",
      tier: "enter a number",
      "sla.response_minutes.SEV2": "required",
      "critical_windows.0.start": expect.stringContaining("HH:MM"),
      "escalation.0.timezone": expect.stringContaining("IANA"),
    });

    const refs = await systemForm("core-ledger");
    refs.owner = "ghost-team";
    refs.depends_on = ["core-ledger"];
    const refResult = await updateSystem(handle.db, "core-ledger", systemEntryFromForm(refs), admin);
    expect(refResult).toEqual({
      ok: false,
      errors: { owner: expect.stringContaining("ghost-team"), depends_on: "a system cannot depend on itself" },
    });
    expect(await auditCount()).toBe(before);
  });

  it("system create: taken, reserved and malformed slugs", async () => {
    const values = systemFormValues(null);
    values.name = "X";
    for (const [slug, message] of [
      ["core-ledger", /exists/],
      ["new", /reserved/],
      ["Bad Slug", /lower-case/],
    ] as const) {
      const result = await createSystem(handle.db, systemEntryFromForm({ ...values, slug }), admin);
      expect(result.ok ? null : result.errors.slug).toMatch(message);
    }
  });

  it("team and SLA: e-mail, time zone, availability", async () => {
    const team = teamFormValues((await listTeamEntries(handle.db)).find((t) => t.slug === "platform-sre")!);
    const teamResult = await updateTeam(handle.db, "platform-sre", teamEntryFromForm({ ...team, email: "not-an-address", timezone: "Pune" }), admin);
    expect(teamResult).toEqual({ ok: false, errors: { email: "use an e-mail address", timezone: expect.stringContaining("IANA") } });

    const tier1 = slaFormValues((await listSlaEntries(handle.db))[0]!.entry);
    const slaResult = await updateSla(handle.db, 1, slaEntryFromForm({ ...tier1, availability: "1.5", rto_minutes: "-1" }), admin);
    expect(slaResult).toEqual({
      ok: false,
      errors: { availability: expect.stringContaining("fraction"), rto_minutes: "minutes cannot be negative" },
    });
  });

  it("throws CatalogNotFoundError for an unknown slug", async () => {
    const values = { ...systemFormValues(null), name: "Ghost" };
    await expect(updateSystem(handle.db, "no-such-system", systemEntryFromForm(values), admin)).rejects.toBeInstanceOf(CatalogNotFoundError);
    await expect(updateTeam(handle.db, "no-such-team", { name: "Ghost" }, admin)).rejects.toBeInstanceOf(CatalogNotFoundError);
  });
});

describe("changes are audited with before and after", () => {
  it("team.update lists only the changed fields; an unchanged save writes nothing", async () => {
    const team = teamFormValues((await listTeamEntries(handle.db)).find((t) => t.slug === "platform-sre")!);
    const result = await updateTeam(handle.db, "platform-sre", teamEntryFromForm({ ...team, channel: "#sre-oncall" }), admin);
    expect(result).toEqual({ ok: true, changes: { channel: { before: team.channel, after: "#sre-oncall" } } });
    const entry = await lastAudit("team.update");
    expect(entry).toMatchObject({
      actor: "admin@lhb.example",
      actorUserId: "user-admin",
      ip: "10.0.0.7",
      targetType: "team",
      target: "platform-sre",
      details: { channel: { before: team.channel, after: "#sre-oncall" } },
    });
    const [row] = await handle.db.select().from(teams).where(eq(teams.slug, "platform-sre"));
    expect(row!.channel).toBe("#sre-oncall");

    const before = await auditCount();
    const again = await updateTeam(handle.db, "platform-sre", teamEntryFromForm({ ...team, channel: "#sre-oncall" }), admin);
    expect(again).toEqual({ ok: true, changes: {} });
    expect(await auditCount()).toBe(before);
  });

  it("team.create and system.create record every field", async () => {
    const team = await createTeam(handle.db, { slug: "vendor-desk", name: "Vendor Desk", timezone: "Europe/Warsaw" }, admin);
    expect(team.ok).toBe(true);
    expect((await lastAudit("team.create"))?.details).toEqual({
      slug: { before: null, after: "vendor-desk" },
      name: { before: null, after: "Vendor Desk" },
      timezone: { before: null, after: "Europe/Warsaw" },
    });

    const values = systemFormValues(null);
    Object.assign(values, { slug: "fx-pricing", name: "FX Pricing", tier: "2", owner: "vendor-desk", depends_on: ["market-data-feed"] });
    values.critical_windows = [{ name: "London fix", days: "business_days", start: "15:55", end: "16:05", timezone: "Europe/London" }];
    const created = await createSystem(handle.db, systemEntryFromForm(values), admin);
    expect(created.ok).toBe(true);
    const audit = await lastAudit("system.create");
    expect(audit).toMatchObject({ target: "fx-pricing", targetType: "system" });
    expect(audit!.details).toMatchObject({
      name: { before: null, after: "FX Pricing" },
      tier: { before: null, after: 2 },
      owner: { before: null, after: "vendor-desk" },
      depends_on: { before: null, after: ["market-data-feed"] },
    });
    expect(await getSystemEntry(handle.db, "fx-pricing")).toMatchObject({ owner: "vendor-desk", depends_on: ["market-data-feed"], lifecycle: "active" });
  });

  it("sla.update records the changed figures; blank drill interval on a tier means none", async () => {
    const tier4 = slaFormValues((await listSlaEntries(handle.db))[3]!.entry);
    expect(tier4.drill_interval_days).toBe("none");
    const result = await updateSla(handle.db, 4, slaEntryFromForm({ ...tier4, rto_minutes: "720", drill_interval_days: "" }), admin);
    expect(result).toEqual({ ok: true, changes: { rto_minutes: { before: 1440, after: 720 } } });
    expect(await lastAudit("sla.update")).toMatchObject({ target: "4", targetType: "sla", details: { rto_minutes: { before: 1440, after: 720 } } });
    const [row] = await handle.db.select().from(slas).where(eq(slas.tier, 4));
    expect(row).toMatchObject({ rtoMinutes: 720, drillIntervalDays: null });
  });

  it("system.update: SLA overrides, windows and escalation; blank override = tier default", async () => {
    const values = await systemForm("swift-connector");
    values.sla = { ...values.sla, rto_minutes: "", rpo_minutes: "5", drill_interval_days: "none" };
    values.escalation = [...values.escalation].reverse();
    const before = (await getSystemEntry(handle.db, "swift-connector"))!;
    const result = await updateSystem(handle.db, "swift-connector", systemEntryFromForm(values), admin);
    expect(result.ok).toBe(true);
    const after = (await getSystemEntry(handle.db, "swift-connector"))!;
    expect(after.sla?.rto_minutes).toBeUndefined();
    expect(after.sla).toMatchObject({ rpo_minutes: 5, drill_interval_days: null });
    expect(after.escalation).toEqual([...before.escalation].reverse());
    const audit = await lastAudit("system.update");
    expect(Object.keys(audit!.details).sort()).toEqual(["escalation", "sla"]);
    expect(audit!.details.sla).toEqual({ before: before.sla ?? null, after: after.sla });
  });
});

describe("search reindexing", () => {
  async function pendingFor(documentIds: string[]) {
    const rows = await handle.db
      .select({ documentId: searchOutbox.documentId })
      .from(searchOutbox)
      .where(and(isNull(searchOutbox.processedAt), inArray(searchOutbox.documentId, documentIds)));
    return new Set(rows.map((r) => r.documentId));
  }

  it("renaming a system queues its linked documents; a description change does not", async () => {
    const [ledger] = await handle.db.select().from(systems).where(eq(systems.slug, "core-ledger"));
    const linked = (await handle.db.select({ id: documentSystems.documentId }).from(documentSystems).where(eq(documentSystems.systemId, ledger!.id))).map((r) => r.id);
    expect(linked.length).toBeGreaterThan(0);
    await handle.db.update(searchOutbox).set({ processedAt: new Date() }).where(isNull(searchOutbox.processedAt));

    const values = await systemForm("core-ledger");
    values.description = `${values.description}\n\nEdited.`;
    expect((await updateSystem(handle.db, "core-ledger", systemEntryFromForm(values), admin)).ok).toBe(true);
    expect((await pendingFor(linked)).size).toBe(0);

    values.name = "Core Ledger (GL)";
    const result = await updateSystem(handle.db, "core-ledger", systemEntryFromForm(values), admin);
    expect(result).toEqual({ ok: true, changes: { name: { before: "Core Ledger", after: "Core Ledger (GL)" } } });
    expect([...(await pendingFor(linked))].sort()).toEqual([...linked].sort());
    expect(await lastAudit("system.update")).toMatchObject({ target: "core-ledger", details: { name: { before: "Core Ledger", after: "Core Ledger (GL)" } } });
  });
});
