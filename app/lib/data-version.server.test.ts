import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { rowsOf, type DatabaseHandle } from "#db/client";
import { createTestDatabase } from "../../tests/db";
import { memoizedDigest, readDataVersion, VersionedCache } from "./data-version.server";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => {
  await handle.close();
});

const addTeam = (slug: string) => handle.db.execute(sql`insert into teams (slug, name) values (${slug}, ${slug})`);

describe("the data version", () => {
  it("moves forward with every committed write to a watched table, once per statement that changed rows", async () => {
    const before = BigInt(await readDataVersion(handle.db));
    await addTeam("dv-one");
    const afterOne = BigInt(await readDataVersion(handle.db));
    expect(afterOne).toBe(before + 1n);
    await handle.db.execute(sql`update teams set name = name || '!' where slug like 'dv-%'`);
    await handle.db.execute(sql`insert into teams (slug, name) values ('dv-a', 'a'), ('dv-b', 'b')`);
    expect(BigInt(await readDataVersion(handle.db))).toBe(afterOne + 2n);
    // A statement that changed nothing moves nothing.
    await handle.db.execute(sql`delete from teams where slug = 'dv-none'`);
    await handle.db.execute(sql`update teams set name = 'x' where false`);
    expect(BigInt(await readDataVersion(handle.db))).toBe(afterOne + 2n);
  });

  it("does not move for reads, nor for a rolled-back write", async () => {
    const before = await readDataVersion(handle.db);
    await handle.db.execute(sql`select count(*) from teams`);
    await expect(
      handle.db.transaction(async (tx) => {
        await tx.execute(sql`insert into teams (slug, name) values ('dv-rolled-back', 'x')`);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await readDataVersion(handle.db)).toBe(before);
    const rows = await handle.db.execute(sql`select 1 from teams where slug = 'dv-rolled-back'`);
    expect(Array.isArray(rows) ? rows.length : (rows as { rows: unknown[] }).rows.length).toBe(0);
  });
});

describe("VersionedCache", () => {
  it("computes once per key and version, and again after a write", async () => {
    const cache = new VersionedCache<{ n: number }>({ max: 4 });
    let computed = 0;
    const compute = async () => ({ n: ++computed });
    const first = await cache.get(handle.db, "k", compute);
    const second = await cache.get(handle.db, "k", compute);
    expect(first).toMatchObject({ value: { n: 1 }, hit: false });
    expect(second).toMatchObject({ value: { n: 1 }, hit: true });
    expect((await cache.get(handle.db, "other", compute)).value.n).toBe(2);

    await addTeam("dv-two");
    const third = await cache.get(handle.db, "k", compute);
    expect(third).toMatchObject({ value: { n: 3 }, hit: false });
    expect(BigInt(third.version)).toBeGreaterThan(BigInt(first.version));
  });

  it("shares one computation between concurrent requests and keeps nothing that failed", async () => {
    const cache = new VersionedCache<{ n: number }>({ max: 4 });
    let computed = 0;
    const slow = () => new Promise<{ n: number }>((resolve) => setTimeout(() => resolve({ n: ++computed }), 20));
    const [a, b] = await Promise.all([cache.get(handle.db, "k", slow), cache.get(handle.db, "k", slow)]);
    expect(computed).toBe(1);
    expect(a.value).toBe(b.value);

    await expect(cache.get(handle.db, "bad", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect((await cache.get(handle.db, "bad", async () => ({ n: 42 }))).value.n).toBe(42);
  });

  it("forgets everything on clear", async () => {
    const cache = new VersionedCache<{ n: number }>({ max: 4 });
    await cache.get(handle.db, "k", async () => ({ n: 1 }));
    cache.clear();
    expect(cache.size).toBe(0);
    expect((await cache.get(handle.db, "k", async () => ({ n: 2 }))).hit).toBe(false);
  });
});

/** The `affected_from` the statement `statement` logged (migration 0006), as ISO text or ±infinity. */
async function affectedFrom(statement: ReturnType<typeof sql>): Promise<string> {
  const before = BigInt(await readDataVersion(handle.db));
  await handle.db.execute(statement);
  const after = BigInt(await readDataVersion(handle.db));
  expect(after, "the statement moved the version once").toBe(before + 1n);
  return (await loggedSince(before))[0]!;
}

/** The `affected_from` of every version after `version`, oldest first, as ISO text or ±infinity. */
async function loggedSince(version: bigint): Promise<string[]> {
  const rows = rowsOf<{ at: string }>(
    await handle.db.execute(
      sql`select case when affected_from in ('infinity', '-infinity') then affected_from::text
                      else to_char(affected_from at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') end as at
          from data_changes where version > ${String(version)}::int8 order by version`,
    ),
  );
  return rows.map((r) => r.at);
}

describe("the change log (what each write can alter, migration 0006)", () => {
  let systemId: number;
  let planId: string;
  let incidentId: string;
  beforeAll(async () => {
    await handle.db.execute(sql`insert into slas (tier, availability, rto_minutes, rpo_minutes, drill_interval_days, inspection_interval_days, plan_review_interval_days, response_minutes)
      values (3, 0.995, 480, 60, 365, 30, 365, '{}') on conflict do nothing`);
    systemId = rowsOf<{ id: number }>(await handle.db.execute(sql`insert into systems (slug, name, tier) values ('dv-sys', 'DV', 3) returning id`))[0]!.id;
    await handle.db.execute(sql`insert into systems (slug, name, tier) values ('dv-other', 'DV other', 3)`);
    planId = rowsOf<{ id: string }>(
      await handle.db.execute(sql`insert into documents (slug, kind, title, current_revision) values ('dv-plan', 'contingency_plan', 'DV plan', 1) returning id`),
    )[0]!.id;
    incidentId = rowsOf<{ id: string }>(
      await handle.db.execute(sql`insert into incidents (title, severity, started_at, origin, created_by)
        values ('DV incident', 'SEV3', '2026-03-10T08:00:00Z', 'manual', 'test') returning id`),
    )[0]!.id;
  });

  it("dates a record's change by the record's own date", async () => {
    expect(
      await affectedFrom(sql`insert into drills (plan_document_id, plan_revision, scenario, held_at, type, outcome, origin, recorded_by)
        values (${planId}, 1, 's', '2026-05-04T09:00:00Z', 'tabletop', 'passed', 'manual', 'test'), (${planId}, 1, 's', '2026-02-01T09:00:00Z', 'tabletop', 'failed', 'manual', 'test')`),
    ).toBe("2026-02-01T09:00:00Z");
    expect(
      await affectedFrom(sql`insert into inspections (system_id, inspected_at, inspector, result, origin, recorded_by)
        values (${systemId}, '2026-06-01T10:00:00Z', 'x', 'ok', 'manual', 'test')`),
    ).toBe("2026-06-01T10:00:00Z");
    // An update counts the older of the old and the new row.
    expect(await affectedFrom(sql`update inspections set inspected_at = '2026-07-01T10:00:00Z' where system_id = ${systemId}`)).toBe("2026-06-01T10:00:00Z");
    expect(await affectedFrom(sql`update incidents set resolved_at = '2026-03-10T09:00:00Z' where id = ${incidentId}`)).toBe("2026-03-10T08:00:00Z");
    expect(await affectedFrom(sql`insert into incident_systems (incident_id, system_id) values (${incidentId}, ${systemId})`)).toBe("2026-03-10T08:00:00Z");
  });

  it("dates an action by its due day (two days early, for any time zone), and one with no due day as touching nothing", async () => {
    expect(
      await affectedFrom(sql`insert into corrective_actions (title, owner, due_date, incident_id, created_by) values ('a', 'o', '2026-04-20', ${incidentId}, 'test')`),
    ).toBe("2026-04-18T00:00:00Z");
    expect(await affectedFrom(sql`insert into corrective_actions (title, owner, incident_id, created_by) values ('b', 'o', ${incidentId}, 'test')`)).toBe("infinity");
    // An incident's systems scope its actions: the older of its start and its actions' due days.
    await handle.db.execute(sql`insert into corrective_actions (title, owner, due_date, incident_id, created_by) values ('c', 'o', '2026-01-05', ${incidentId}, 'test')`);
    expect(await affectedFrom(sql`delete from incident_systems where incident_id = ${incidentId}`)).toBe("2026-01-03T00:00:00Z");
  });

  it("dates an incident's deletion, with its cascaded systems and actions, by its start and its actions' due days", async () => {
    const [doomed] = rowsOf<{ id: string }>(
      await handle.db.execute(sql`insert into incidents (title, severity, started_at, origin, created_by)
        values ('DV doomed', 'SEV4', '2026-08-01T00:00:00Z', 'manual', 'test') returning id`),
    );
    await handle.db.execute(sql`insert into incident_systems (incident_id, system_id) values (${doomed!.id}, ${systemId})`);
    await handle.db.execute(sql`insert into corrective_actions (title, owner, due_date, incident_id, created_by) values ('d', 'o', '2026-08-20', ${doomed!.id}, 'test')`);
    const before = BigInt(await readDataVersion(handle.db));
    await handle.db.execute(sql`delete from incidents where id = ${doomed!.id}`);
    const logged = await loggedSince(before);
    // The incident, its systems and its action: three tables, three entries, none "everything".
    expect(logged).toHaveLength(3);
    expect(logged.filter((at) => at !== "infinity").sort()).toEqual(["2026-08-01T00:00:00Z", "2026-08-18T00:00:00Z"]);
  });

  it("counts catalog edits, moves of a record to another system and deletions of documents as touching everything", async () => {
    expect(await affectedFrom(sql`update systems set tier = 3 where slug = 'dv-sys'`)).toBe("-infinity");
    expect(await affectedFrom(sql`update inspections set system_id = (select id from systems where slug = 'dv-other') where system_id = ${systemId}`)).toBe("-infinity");
    expect(await affectedFrom(sql`update documents set title = 'DV plan (renamed)' where id = ${planId}`)).toBe("-infinity");
    expect(await affectedFrom(sql`truncate incident_runbooks`)).toBe("-infinity");
  });

  it("counts a new current revision of a document as touching today only", async () => {
    await handle.db.execute(sql`insert into revisions (document_id, number, title, body, metadata, author, content_hash, created_at)
      values (${planId}, 1, 'DV plan', 'x', ${JSON.stringify({ kind: "contingency_plan", status: "published", systems: ["dv-sys"], tags: [], alerts: [], owner: null, lastReviewed: null, extra: {} })}::jsonb, 'test', 'h', '2026-01-01T00:00:00Z')`);
    const day = (await affectedFrom(sql`update documents set current_revision = 1, updated_at = now() where id = ${planId}`)).slice(0, 10);
    expect(day).toBe(new Date().toISOString().slice(0, 10));
  });
});

describe("VersionedCache with a dependency on rows dated before an instant", () => {
  const may = new Date("2026-05-01T00:00:00Z");
  const addDrillLikeChange = (at: string) =>
    handle.db.execute(sql`insert into inspections (system_id, inspected_at, inspector, result, origin, recorded_by)
      values ((select id from systems where slug = 'dv-sys'), ${at}::timestamptz, 'x', 'ok', 'manual', 'test')`);

  it("keeps the entry across changes dated after the instant, and computes again after one dated before it", async () => {
    const cache = new VersionedCache<{ n: number }>({ max: 4 });
    let computed = 0;
    const compute = async () => ({ n: ++computed });
    const first = await cache.get(handle.db, "trend", compute, { dependsBefore: may });
    await addDrillLikeChange("2026-06-15T00:00:00Z");
    await addDrillLikeChange("2026-05-01T00:00:01Z");
    const second = await cache.get(handle.db, "trend", compute, { dependsBefore: may });
    expect(second).toMatchObject({ value: { n: 1 }, hit: true });
    expect(BigInt(second.version)).toBe(BigInt(first.version) + 2n);

    await addDrillLikeChange("2026-04-30T23:59:59Z");
    expect(await cache.get(handle.db, "trend", compute, { dependsBefore: may })).toMatchObject({ value: { n: 2 }, hit: false });
    // An entry that depends on anything is stale after any write.
    await cache.get(handle.db, "any", compute);
    await addDrillLikeChange("2026-06-16T00:00:00Z");
    expect(await cache.get(handle.db, "any", compute)).toMatchObject({ value: { n: 4 }, hit: false });
  });

  it("keeps a catalog-only entry (dependsBefore: null) across dated changes, not across a catalog edit", async () => {
    const cache = new VersionedCache<{ n: number }>({ max: 4 });
    let computed = 0;
    const compute = async () => ({ n: ++computed });
    await cache.get(handle.db, "catalog", compute, { dependsBefore: null });
    await addDrillLikeChange("2020-01-01T00:00:00Z");
    expect(await cache.get(handle.db, "catalog", compute, { dependsBefore: null })).toMatchObject({ value: { n: 1 }, hit: true });
    await handle.db.execute(sql`update systems set name = 'DV renamed' where slug = 'dv-sys'`);
    expect(await cache.get(handle.db, "catalog", compute, { dependsBefore: null })).toMatchObject({ value: { n: 2 }, hit: false });
  });

  it("keeps an entry that reads some tables across changes to the others", async () => {
    const cache = new VersionedCache<{ n: number }>({ max: 4 });
    let computed = 0;
    const compute = async () => ({ n: ++computed });
    const tables = ["teams", "slas", "systems", "inspections"];
    await cache.get(handle.db, "inspections-only", compute, { tables });
    await handle.db.execute(sql`insert into incidents (title, severity, started_at, origin, created_by) values ('DV other table', 'SEV4', now(), 'manual', 'test')`);
    expect(await cache.get(handle.db, "inspections-only", compute, { tables })).toMatchObject({ value: { n: 1 }, hit: true });
    await addDrillLikeChange("2026-06-20T00:00:00Z"); // an inspection
    expect(await cache.get(handle.db, "inspections-only", compute, { tables })).toMatchObject({ value: { n: 2 }, hit: false });
  });

  it("tells a refresh how far back each table's changes reach", async () => {
    const cache = new VersionedCache<{ seen: string[] }>({ max: 4 });
    const refresh = vi.fn(async (_previous: { seen: string[] }, since: Date, sinceIn: (tables: readonly string[]) => Date | null) => ({
      seen: [since.toISOString(), sinceIn(["inspections"])?.toISOString() ?? "none", sinceIn(["drills"])?.toISOString() ?? "none"],
    }));
    await cache.get(handle.db, "refreshed", async () => ({ seen: [] }), { refresh });
    await addDrillLikeChange("2026-06-21T00:00:00Z");
    await handle.db.execute(sql`insert into incidents (title, severity, started_at, origin, created_by) values ('DV refresh', 'SEV4', '2026-06-25T00:00:00Z', 'manual', 'test')`);
    const refreshed = await cache.get(handle.db, "refreshed", async () => ({ seen: ["computed"] }), { refresh });
    expect(refreshed).toMatchObject({ hit: false, refreshed: true });
    expect(refreshed.value.seen).toEqual(["2026-06-21T00:00:00.000Z", "2026-06-21T00:00:00.000Z", "none"]);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it("computes again when the change log no longer holds every version since the entry", async () => {
    const cache = new VersionedCache<{ n: number }>({ max: 4 });
    let computed = 0;
    const compute = async () => ({ n: ++computed });
    await cache.get(handle.db, "trend", compute, { dependsBefore: may });
    await addDrillLikeChange("2026-07-01T00:00:00Z");
    await addDrillLikeChange("2026-07-02T00:00:00Z");
    // As pruning does: the oldest entries of the log are gone.
    await handle.db.execute(sql`delete from data_changes where version = (select min(version) from data_changes where version > (select version from data_version) - 2)`);
    expect(await cache.get(handle.db, "trend", compute, { dependsBefore: may })).toMatchObject({ value: { n: 2 }, hit: false });
  });
});

describe("memoizedDigest", () => {
  it("digests an object's lines once, equal for equal lines and different otherwise", () => {
    let described = 0;
    const digest = memoizedDigest<{ systems: string[] }>((catalog) => {
      described++;
      return catalog.systems;
    });
    const catalog = { systems: ["core-ledger\t1", "swift\t2"] };
    expect(digest(catalog)).toBe(digest(catalog));
    expect(described).toBe(1);
    expect(digest({ systems: [...catalog.systems] })).toBe(digest(catalog));
    expect(digest({ systems: ["core-ledger\t1", "swift\t3"] })).not.toBe(digest(catalog));
    // Lines are separated, so moving text from one line to the next changes the digest.
    expect(digest({ systems: ["core-ledger\t1swift", "\t2"] })).not.toBe(digest(catalog));
  });
});
