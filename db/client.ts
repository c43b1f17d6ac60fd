import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import * as schema from "./schema";

export type Schema = typeof schema;
/** A drizzle database on either driver; domain code takes this and never knows which. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle; also accepted wherever a `Database` is. */
export type Transaction = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type Executor = Database | Transaction;

export interface DatabaseHandle {
  db: Database;
  driver: "pglite" | "postgres";
  /** Closes the connection pool or the embedded database. */
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** postgres:// URL; when absent, PGlite is used. */
  databaseUrl?: string;
  /** PGlite data directory; `undefined` with no URL means an in-memory database (tests). */
  dataDir?: string;
  /** Default: `<cwd>/db/migrations`. */
  migrationsFolder?: string;
  /** Pool size for PostgreSQL; default 10. */
  maxConnections?: number;
}

/**
 * Opens PostgreSQL (postgres.js) when `databaseUrl` is given, else PGlite (persisted in `dataDir`,
 * or in memory when that is absent too), and applies every pending drizzle-kit migration.
 * Callers that use a PGlite `dataDir` must hold its process lock (`app/lib/data-lock.server.ts`):
 * PGlite allows one process per data directory.
 * @throws when the database cannot be reached or a migration fails.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const migrationsFolder = options.migrationsFolder ?? path.resolve(process.cwd(), "db/migrations");
  if (options.databaseUrl) {
    const client = postgres(options.databaseUrl, {
      max: options.maxConnections ?? 10,
      onnotice: () => {},
    });
    const db = drizzlePostgres(client, { schema });
    try {
      await migratePostgres(db, { migrationsFolder });
    } catch (error) {
      await client.end({ timeout: 1 });
      throw error;
    }
    return { db: db as unknown as Database, driver: "postgres", close: () => client.end({ timeout: 5 }) };
  }
  const client = options.dataDir ? new PGlite(options.dataDir) : new PGlite();
  const db = drizzlePglite(client, { schema });
  try {
    await migratePglite(db, { migrationsFolder });
  } catch (error) {
    await client.close();
    throw error;
  }
  return { db: db as unknown as Database, driver: "pglite", close: () => client.close() };
}

/** `db.execute` returns an array on postgres.js and `{ rows }` on PGlite; this gives the rows either way. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
