/**
 * The data version: one counter that every committed write to the tables the coverage and
 * reliability metrics read moves forward (statement-level triggers, migrations 0005 and 0006), the
 * log of what each move touched (`data_changes`: the earliest instant whose figures it can alter),
 * and a small cache of computed figures kept under them.
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
  /** The data version the value was computed at, or last found still valid at. */
  version: string;
}

/**
 * What a cached value depends on, besides its key:
 * - `{ dependsBefore: Date }`: only rows dated before that instant (figures as of it: a trend month
 *   computed as of its end). The entry stays valid across every later change whose `affected_from`
 *   (migration 0006) is after it: a drill held today leaves last year's months alone.
 * - `{ dependsBefore: null }`: no dated row at all, only what changes "everything" (the catalog).
 * - omitted: anything; every committed write to a watched table makes the entry stale.
 */
export interface CacheDependency {
  dependsBefore?: Date | null;
}

interface Entry<V> {
  pending: Promise<V>;
  version: bigint;
  /** Epoch ms of `dependsBefore`; null: depends on no dated row; undefined: on anything. */
  before: number | null | undefined;
}

/**
 * Whether a change since `version` can alter figures dated before `before` (null: only changes of
 * "everything"), read in one statement (one snapshot) with the current version. Stale as well when
 * the change log no longer holds every version since (it is pruned, migration 0006).
 */
async function changedSince(db: Database, version: bigint, before: number | null): Promise<{ current: bigint; stale: boolean }> {
  const bound = before === null ? sql`'-infinity'::timestamptz` : sql`${new Date(before).toISOString()}::timestamptz`;
  const [row] = rowsOf<{ current: string | number; touched: boolean; first_after: string | number | null }>(
    await db.execute(sql`
      select (select version from data_version where id = 1) as current,
             exists (select 1 from data_changes where version > ${String(version)}::int8 and affected_from <= ${bound}) as touched,
             (select min(version) from data_changes where version > ${String(version)}::int8) as first_after`),
  );
  const current = BigInt(row?.current ?? 0);
  if (current === version) return { current, stale: false };
  const complete = row?.first_after !== null && row?.first_after !== undefined && BigInt(row.first_after) === version + 1n;
  return { current, stale: !complete || Boolean(row?.touched) };
}

/**
 * A least-recently-used cache (lru-cache) of values computed from the database, each kept with the
 * data version it was computed at and what it depends on ({@link CacheDependency}): an entry that
 * depends on anything is stale after any write to a watched table; one that depends only on rows
 * dated before an instant is stale only after a change that reaches back before it (migration 0006's
 * change log), and is then found valid at the newer version without computing again. Concurrent
 * requests for the same missing entry share one computation; a computation that throws is not kept.
 * One per process: several server processes each keep their own.
 */
export class VersionedCache<V extends object> {
  private readonly entries: LRUCache<string, Entry<V>>;

  /** `max`: entries kept (each a whole computed result: keep it small). */
  constructor(options: { max: number }) {
    this.entries = new LRUCache<string, Entry<V>>({ max: options.max });
  }

  /**
   * The value of `key` valid at the current data version, computed with `compute` when not cached or
   * stale. `dependency` must be the same for every call with the same key (make it part of the key).
   * @throws whatever `compute` throws (nothing is cached then), or a database error.
   */
  async get(db: Database, key: string, compute: () => Promise<V>, dependency: CacheDependency = {}): Promise<Cached<V>> {
    const before = dependency.dependsBefore === undefined ? undefined : dependency.dependsBefore === null ? null : dependency.dependsBefore.getTime();
    const found = this.entries.get(key);
    let current: bigint;
    if (found && found.before !== undefined && before !== undefined) {
      const check = await changedSince(db, found.version, before);
      current = check.current;
      if (!check.stale && this.entries.get(key) === found) {
        // Still valid: later checks only look at changes after this version.
        if (current > found.version) found.version = current;
        return { value: await found.pending, hit: true, version: String(current) };
      }
    } else {
      current = BigInt(await readDataVersion(db));
    }
    // Another request may have started (or checked) this entry while the version was read.
    const latest = this.entries.get(key);
    if (latest && latest.version === current && latest.before === before) return { value: await latest.pending, hit: true, version: String(current) };
    // The version was read before the data `compute` reads: a write committing in between makes the
    // data newer than the entry's version, never older.
    const entry: Entry<V> = { pending: compute(), version: current, before };
    this.entries.set(key, entry);
    try {
      return { value: await entry.pending, hit: false, version: String(current) };
    } catch (error) {
      if (this.entries.get(key) === entry) this.entries.delete(key);
      throw error;
    }
  }

  /** Forgets every entry (benchmarks measure the cold path with it). */
  clear(): void {
    this.entries.clear();
  }

  /** Entries held now. */
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
