/**
 * The data version: one counter that every committed write to the tables the coverage and
 * reliability metrics read moves forward (statement-level triggers, migrations 0005 and 0006), the
 * log of what each move touched (`data_changes`: the earliest instant whose figures it can alter),
 * and a small cache of computed figures kept under them.
 *
 * A write still uncommitted is neither in the data nor in the version nor in the log (the counter
 * is a row updated in the writing transaction, not a sequence; versions follow commit order because
 * each writer holds that row until it commits).
 */
import { createHash } from "node:crypto";
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

/** The catalog tables (teams, SLAs, systems): what a cached catalog reads; their changes count as "everything" (migration 0006). */
export const CATALOG_TABLES = ["teams", "slas", "systems"] as const;

/** What {@link VersionedCache.get} returns: the value and whether it came from the cache. */
export interface Cached<V> {
  value: V;
  /** Found valid in the cache (not computed, not refreshed). */
  hit: boolean;
  /** Brought up to date from a cached value by the caller's `refresh` (see {@link CacheDependency}). */
  refreshed: boolean;
  /** The data version the value was computed at, or last found still valid at. */
  version: string;
}

/**
 * What a cached value depends on, besides its key:
 * - `tables`: the tables it reads (catalog tables included: their changes count as "everything");
 *   changes to other tables leave it valid. Omitted: every watched table.
 * - `dependsBefore: Date`: only rows dated before that instant (figures as of it: a trend month
 *   computed as of its end). The entry stays valid across every later change whose `affected_from`
 *   (migration 0006) is after it: a drill held today leaves last year's months alone.
 * - `dependsBefore: null`: no dated row at all, only what changes "everything" (the catalog).
 * - `dependsBefore` omitted: any dated row; a later change makes the entry stale, unless it touched
 *   no figure (`affected_from` = infinity).
 * `refresh(previous, since, sinceIn)`: when every relevant change since the entry reaches back no
 * further than `since` (a finite instant), brings the stale value up to date by reading only what is
 * dated from `since` on, instead of computing it again; `sinceIn(tables)` is the same bound over
 * changes to those tables only (null: none changed). It must give what `compute` would.
 */
export interface CacheDependency<V> {
  tables?: readonly string[];
  dependsBefore?: Date | null;
  refresh?: (previous: V, since: Date, sinceIn: (tables: readonly string[]) => Date | null) => Promise<V>;
}

interface Entry<V> {
  pending: Promise<V>;
  version: bigint;
}

/**
 * The changes since `version`, read in one statement (one snapshot) with the current version: per
 * table written, the earliest `affected_from` among them (epoch ms; ±Infinity), and whether the
 * change log still holds every version since (it is pruned, migration 0006).
 */
async function changesSince(db: Database, version: bigint): Promise<{ current: bigint; earliest: Map<string, number>; complete: boolean }> {
  const [row] = rowsOf<{ current: string | number; earliest: string | null; first_after: string | number | null }>(
    await db.execute(sql`
      select (select version from data_version where id = 1) as current,
             (select json_agg(json_build_array(relation, case when m = '-infinity' then '-Infinity' when m = 'infinity' then 'Infinity'
                                                             else (extract(epoch from m) * 1000)::text end))::text
              from (select relation, min(affected_from) as m from data_changes where version > ${String(version)}::int8 group by relation) x) as earliest,
             (select min(version) from data_changes where version > ${String(version)}::int8) as first_after`),
  );
  const current = BigInt(row?.current ?? 0);
  const pairs = row?.earliest ? (JSON.parse(row.earliest) as Array<[string, string]>) : [];
  const firstAfter = row?.first_after === null || row?.first_after === undefined ? null : BigInt(row.first_after);
  return {
    current,
    earliest: new Map(pairs.map(([relation, at]) => [relation, Number(at)])),
    complete: current === version || firstAfter === version + 1n,
  };
}

/** The earliest of `earliest`'s instants over `tables` (every table when omitted); null when none changed. */
function earliestIn(earliest: Map<string, number>, tables: readonly string[] | undefined): number | null {
  let found: number | null = null;
  for (const [relation, at] of earliest) {
    if (tables && !tables.includes(relation)) continue;
    if (found === null || at < found) found = at;
  }
  return found;
}

/**
 * A least-recently-used cache (lru-cache) of values computed from the database, each kept with the
 * data version it was computed at (or last found valid at) and checked against the change log
 * (migration 0006) on every lookup, as its {@link CacheDependency} says. Concurrent requests for
 * the same missing entry share one computation; a computation that throws is not kept. One per
 * process: several server processes each keep their own.
 *
 * Why it is safe: the version is read BEFORE the data. A write that commits in between makes the
 * data newer than the entry's version, never older; the next lookup sees that write in the log and
 * judges the entry by it (computing or refreshing again changes nothing the write did not touch).
 */
export class VersionedCache<V extends object> {
  private readonly entries: LRUCache<string, Entry<V>>;

  /** `max`: entries kept (each a whole computed result: keep it small). */
  constructor(options: { max: number }) {
    this.entries = new LRUCache<string, Entry<V>>({ max: options.max });
  }

  /**
   * The value of `key` valid at the current data version: from the cache, refreshed, or computed
   * with `compute`. `dependency` must be the same for every call with the same key (make it part of the key).
   * @throws whatever `compute` or `refresh` throws (nothing is cached then), or a database error.
   */
  async get(db: Database, key: string, compute: () => Promise<V>, dependency: CacheDependency<V> = {}): Promise<Cached<V>> {
    const limit = dependency.dependsBefore === undefined ? Infinity : dependency.dependsBefore === null ? -Infinity : dependency.dependsBefore.getTime();
    const found = this.entries.get(key);
    let current: bigint;
    let refreshFrom: number | null = null;
    let changed = new Map<string, number>();
    if (found) {
      const check = await changesSince(db, found.version);
      current = check.current;
      changed = check.earliest;
      const earliest = earliestIn(check.earliest, dependency.tables);
      const untouched = earliest === null || earliest === Infinity || earliest > limit;
      if (check.complete && untouched && this.entries.get(key) === found) {
        // Still valid: later lookups only look at changes after this version.
        if (current > found.version) found.version = current;
        return { value: await found.pending, hit: true, refreshed: false, version: String(current) };
      }
      if (check.complete && dependency.refresh && earliest !== null && Number.isFinite(earliest)) refreshFrom = earliest;
    } else {
      current = BigInt(await readDataVersion(db));
    }
    // Another request may have computed (or checked) this entry meanwhile.
    const latest = this.entries.get(key);
    if (latest && latest !== found && latest.version === current) {
      return { value: await latest.pending, hit: true, refreshed: false, version: String(current) };
    }
    const refresh = dependency.refresh;
    const sinceIn = (tables: readonly string[]) => {
      const at = earliestIn(changed, tables);
      return at === null || at === Infinity ? null : new Date(Math.max(at, -8.64e15));
    };
    const pending =
      found && refresh && refreshFrom !== null ? found.pending.then((previous) => refresh(previous, new Date(refreshFrom!), sinceIn)) : compute();
    const entry: Entry<V> = { pending, version: current };
    this.entries.set(key, entry);
    try {
      return { value: await entry.pending, hit: false, refreshed: refreshFrom !== null, version: String(current) };
    } catch (error) {
      if (this.entries.get(key) === entry) this.entries.delete(key);
      throw error;
    }
  }

  /** Whether an entry for `key` is held (valid or not: {@link get} decides). */
  has(key: string): boolean {
    return this.entries.has(key);
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
 * A digest function for cache keys: `digest(value)` is the sha1 (base64) of the lines `lines(value)`
 * gives, computed once per object (a WeakMap). Dashboards key cached figures by a digest of the
 * catalog they were computed with, so figures computed from a catalog read just before a catalog
 * edit committed are never taken for the edited catalog's.
 */
export function memoizedDigest<T extends object>(lines: (value: T) => Iterable<string>): (value: T) => string {
  const digests = new WeakMap<T, string>();
  return (value) => {
    let found = digests.get(value);
    if (found === undefined) {
      const hash = createHash("sha1");
      for (const line of lines(value)) hash.update(`${line}\n`);
      found = hash.digest("base64");
      digests.set(value, found);
    }
    return found;
  };
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
