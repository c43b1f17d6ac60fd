import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { createTestDatabase } from "../../tests/db";
import { readDataVersion, VersionedCache } from "./data-version.server";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => {
  await handle.close();
});

const addTeam = (slug: string) => handle.db.execute(sql`insert into teams (slug, name) values (${slug}, ${slug})`);

describe("the data version", () => {
  it("moves forward with every committed write to a watched table, once per statement", async () => {
    const before = BigInt(await readDataVersion(handle.db));
    await addTeam("dv-one");
    const afterOne = BigInt(await readDataVersion(handle.db));
    expect(afterOne).toBe(before + 1n);
    await handle.db.execute(sql`update teams set name = name || '!' where slug like 'dv-%'`);
    await handle.db.execute(sql`delete from teams where slug = 'dv-none'`);
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
