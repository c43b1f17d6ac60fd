/**
 * The data version: one counter that every committed write to the tables the coverage and
 * reliability metrics read moves forward (statement-level triggers, migration 0005), and a small
 * cache of computed figures kept under it.
 *
 * Why it is safe: the version is read BEFORE the data. A write that commits in between makes the
 * data newer than the version the result is stored under, never older, and the next read sees the
 * new version and computes again. A write still uncommitted is neither in the data nor in the
 * version (the counter is a row updated in the writing transaction, not a sequence).
 */
import { LRUCache } from "lru-cache";
import { sql } from "drizzle-orm";
import { rowsOf, type Database } from "../../db/client";

/**
 * The current data version (a decimal string of a bigint), read in its own statement.
 * @throws when the database cannot be reached or migration 0005 has not run.
 */
export async function readDataVersion(db: Database): Promise<string> {
  const rows = rowsOf<{ version: string | number }>(await db.execute(sql`select version from data_version where id = 1`));
  return String(rows[0]?.version ?? "0");
}

/** What {@link VersionedCache.get} returns: the value and whether it came from the cache. */
export interface Cached<V> {
  value: V;
  hit: boolean;
  /** The data version the value was computed at (or found under). */
  version: string;
}

/**
 * A least-recently-used cache (lru-cache) of values computed from the database, keyed by the
 * caller's key AND the data version: any write to a watched table makes every older entry
 * unreachable (they age out). Concurrent requests for the same missing entry share one computation;
 * a computation that throws is not kept. One per process: several server processes each keep their own.
 */
export class VersionedCache<V extends object> {
  private readonly entries: LRUCache<string, Promise<V>>;

  /** `max`: entries kept (each a whole computed result: keep it small). */
  constructor(options: { max: number }) {
    this.entries = new LRUCache<string, Promise<V>>({ max: options.max });
  }

  /**
   * The value of `key` at the current data version, computed with `compute` when not cached.
   * @throws whatever `compute` throws (nothing is cached then).
   */
  async get(db: Database, key: string, compute: () => Promise<V>): Promise<Cached<V>> {
    const version = await readDataVersion(db);
    const full = `${version}\u0000${key}`;
    const cached = this.entries.get(full);
    if (cached) return { value: await cached, hit: true, version };
    const pending = compute();
    this.entries.set(full, pending);
    try {
      return { value: await pending, hit: false, version };
    } catch (error) {
      if (this.entries.get(full) === pending) this.entries.delete(full);
      throw error;
    }
  }

  /** Forgets every entry (benchmarks measure the cold path with it). */
  clear(): void {
    this.entries.clear();
  }

  /** Entries held now (any version). */
  get size(): number {
    return this.entries.size;
  }
}

/**
 * One set of caches per database object, made by `make` on first use: a test process opens many
 * databases whose data versions are unrelated, so their cached figures must never meet.
 * `clear()` forgets every set (benchmarks measure the cold path with it).
 */
export function cachesPerDatabase<T>(make: () => T): { of(db: Database): T; clear(): void } {
  let byDatabase = new WeakMap<Database, T>();
  return {
    of(db) {
      let found = byDatabase.get(db);
      if (!found) {
        found = make();
        byDatabase.set(db, found);
      }
      return found;
    },
    clear() {
      byDatabase = new WeakMap();
    },
  };
}
