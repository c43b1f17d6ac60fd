import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { createTestDatabase } from "../../tests/db";
import { CONTENT_DIR } from "../../tests/paths";
import { importContent } from "../docs/import.server";
import { slaEntryFromForm, slaFormValues, systemEntryFromForm, systemFormValues, teamEntryFromForm, teamFormValues } from "./admin-form";
import { getSystemEntry, listSlaEntries, listTeamEntries, mergeConcurrentEdit, updateSla, updateSystem, updateTeam, type AdminActor } from "./admin.server";

let handle: DatabaseHandle;
const alice: AdminActor = { actor: "alice@lhb.example", actorUserId: "user-alice", ip: null };
const bob: AdminActor = { actor: "bob@lhb.example", actorUserId: "user-bob", ip: null };

beforeAll(async () => {
  handle = await createTestDatabase();
  await importContent(handle.db, { root: CONTENT_DIR, prefix: "" });
});
afterAll(async () => {
  await handle?.close();
});

describe("mergeConcurrentEdit", () => {
  const base = { name: "Core ledger", tier: 1, sla: { rto_minutes: 30, response_minutes: { SEV1: 5, SEV2: 15 } }, depends_on: ["a"] };

  it("keeps each side's change when they touched different fields, down to nested figures", () => {
    const theirs = { ...base, tier: 2, sla: { ...base.sla, response_minutes: { SEV1: 10, SEV2: 15 } } };
    const yours = { ...base, name: "Core ledger (GL)", sla: { ...base.sla, rto_minutes: 45 } };
    const { merged, conflicts } = mergeConcurrentEdit(base, theirs, yours);
    expect(conflicts).toEqual({});
    expect(merged).toEqual({ name: "Core ledger (GL)", tier: 2, sla: { rto_minutes: 45, response_minutes: { SEV1: 10, SEV2: 15 } }, depends_on: ["a"] });
  });

  it("reports a field both changed to different values, and accepts both making the same change", () => {
    const theirs = { ...base, tier: 2, depends_on: ["a", "b"] };
    const yours = { ...base, tier: 3, depends_on: ["a", "b"] };
    const { conflicts, merged } = mergeConcurrentEdit(base, theirs, yours);
    expect(Object.keys(conflicts)).toEqual(["tier"]);
    expect(conflicts.tier).toContain("changed this to 2");
    expect(merged.tier).toBe(3);
    expect(merged.depends_on).toEqual(["a", "b"]);
  });
});

describe("concurrent admin edits", () => {
  it("merges a system edit with someone else's save of another field", async () => {
    const opened = (await getSystemEntry(handle.db, "core-ledger"))!;
    const aliceForm = systemFormValues(opened);
    const bobForm = systemFormValues(opened);
    const newTier = opened.tier === 1 ? "2" : "1";
    expect((await updateSystem(handle.db, "core-ledger", systemEntryFromForm({ ...bobForm, tier: newTier }), bob, { base: opened })).ok).toBe(true);
    const result = await updateSystem(handle.db, "core-ledger", systemEntryFromForm({ ...aliceForm, description: "General ledger of record" }), alice, { base: opened });
    expect(result).toMatchObject({ ok: true });
    const stored = (await getSystemEntry(handle.db, "core-ledger"))!;
    expect(stored.tier).toBe(Number(newTier));
    expect(stored.description).toBe("General ledger of record");
  });

  it("refuses a system field both changed, names it, keeps the stored value, and saves on the second try", async () => {
    const opened = (await getSystemEntry(handle.db, "swift-connector"))!;
    const form = systemFormValues(opened);
    expect((await updateSystem(handle.db, "swift-connector", systemEntryFromForm({ ...form, name: "SWIFT gateway" }), bob, { base: opened })).ok).toBe(true);
    const refused = await updateSystem(handle.db, "swift-connector", systemEntryFromForm({ ...form, name: "SWIFT Alliance connector" }), alice, { base: opened });
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.errors.name).toContain("SWIFT gateway");
    expect(refused.errors.form).toMatch(/Someone else saved this system/);
    expect((await getSystemEntry(handle.db, "swift-connector"))!.name).toBe("SWIFT gateway");
    // The form now carries the stored entry as its base: saving again is a deliberate replacement.
    const again = await updateSystem(handle.db, "swift-connector", systemEntryFromForm({ ...form, name: "SWIFT Alliance connector" }), alice, { base: refused.current });
    expect(again.ok).toBe(true);
    expect((await getSystemEntry(handle.db, "swift-connector"))!.name).toBe("SWIFT Alliance connector");
  });

  it("does the same for teams and SLA tiers", async () => {
    const team = (await listTeamEntries(handle.db))[0]!;
    const teamForm = teamFormValues(team);
    expect((await updateTeam(handle.db, team.slug, teamEntryFromForm({ ...teamForm, channel: "#bob" }), bob, { base: team })).ok).toBe(true);
    const teamMerged = await updateTeam(handle.db, team.slug, teamEntryFromForm({ ...teamForm, description: "Alice's words" }), alice, { base: team });
    expect(teamMerged.ok).toBe(true);
    const teamNow = (await listTeamEntries(handle.db)).find((t) => t.slug === team.slug)!;
    expect([teamNow.channel, teamNow.description]).toEqual(["#bob", "Alice's words"]);
    const teamRefused = await updateTeam(handle.db, team.slug, teamEntryFromForm({ ...teamForm, channel: "#alice" }), alice, { base: team });
    expect(teamRefused.ok ? null : Object.keys(teamRefused.errors)).toContain("channel");

    const tier = (await listSlaEntries(handle.db)).find((t) => t.tier === 2)!.entry!;
    const slaForm = slaFormValues(tier);
    expect((await updateSla(handle.db, 2, slaEntryFromForm({ ...slaForm, rto_minutes: "100" }), bob, { base: tier })).ok).toBe(true);
    const slaRefused = await updateSla(handle.db, 2, slaEntryFromForm({ ...slaForm, rto_minutes: "90" }), alice, { base: tier });
    expect(slaRefused.ok ? null : slaRefused.errors.rto_minutes).toContain("100");
    const slaMerged = await updateSla(handle.db, 2, slaEntryFromForm({ ...slaForm, rpo_minutes: "7" }), alice, { base: tier });
    expect(slaMerged.ok).toBe(true);
    const slaNow = (await listSlaEntries(handle.db)).find((t) => t.tier === 2)!.entry!;
    expect([slaNow.rto_minutes, slaNow.rpo_minutes]).toEqual([100, 7]);
  });
});
