import { randomBytes } from "node:crypto";
import path from "node:path";
import { count } from "drizzle-orm";
import { openDatabase, type Database } from "../../db/client";
import { documents, teams, users } from "../../db/schema";
import { createLucia, type AppLucia } from "../auth/lucia.server";
import { formatImportSummary, importContent } from "../docs/import.server";
import { createEmbeddedSearchEngine } from "../search/embedded.server";
import { createMeilisearchEngine } from "../search/meilisearch.server";
import { drainOutbox, rebuildSearchIndex, startOutboxWorker, type OutboxWorker } from "../search/outbox.server";
import type { SearchEngine } from "../search/types";
import { acquireDataLock, type DataLock } from "./data-lock.server";
import { loadEnv, type AppEnv } from "./env.server";

/** Everything a request handler needs, created once per server process by `boot`. */
export interface Runtime {
  env: AppEnv;
  db: Database;
  driver: "pglite" | "postgres";
  search: SearchEngine;
  outbox: OutboxWorker;
  lucia: AppLucia;
  /** Bearer token for commands handed over by the CLI (see app/lib/commands.server.ts). */
  commandToken: string;
  /**
   * One-time token of the setup link that creates the first admin, while there is no user
   * (printed on the console at start, like Gitea and Grafana); null once used or when users exist.
   */
  setupToken: string | null;
  startedAt: Date;
  close(): Promise<void>;
}

const GLOBAL_KEY = "__drillbookRuntime";
type GlobalWithRuntime = typeof globalThis & { [GLOBAL_KEY]?: Promise<Runtime> };

/**
 * Starts the server side once per process (later calls return the same runtime): validates the
 * configuration, takes the PGlite data-directory lock, opens the database and applies migrations,
 * imports `content/` into an empty database (SEED_DEMO), prepares the search engine (embedded:
 * built from the database; Meilisearch: settings applied and outbox applied), and starts the
 * outbox worker.
 * @throws ConfigError, DataDirBusyError, or a database/search error; the process should exit.
 */
export function boot(options: { port?: number; log?: (line: string) => void } = {}): Promise<Runtime> {
  const g = globalThis as GlobalWithRuntime;
  g[GLOBAL_KEY] ??= start(options).catch((error) => {
    delete g[GLOBAL_KEY];
    throw error;
  });
  return g[GLOBAL_KEY];
}

/** The runtime, booting it on first use (dev server, tests of routes). */
export function getRuntime(): Promise<Runtime> {
  return boot();
}

async function start(options: { port?: number; log?: (line: string) => void }): Promise<Runtime> {
  const log = options.log ?? ((line: string) => console.log(`[drillbook] ${line}`));
  const env = loadEnv();
  const commandToken = randomBytes(24).toString("hex");
  let lock: DataLock | null = null;
  if (!env.databaseUrl) {
    lock = await acquireDataLock(env.dataDir, {
      kind: "server",
      description: "server",
      port: options.port ?? env.port,
      token: commandToken,
    });
  }
  try {
    const handle = await openDatabase({ databaseUrl: env.databaseUrl, dataDir: env.databaseUrl ? undefined : env.dataDir });
    log(`database: ${handle.driver === "pglite" ? `PGlite in ${env.dataDir}` : "PostgreSQL"}`);
    if (env.seedDemo) await seedDemoContent(handle.db, log);

    const search = env.meili
      ? createMeilisearchEngine({ url: env.meili.url, apiKey: env.meili.apiKey, indexUid: env.meili.index })
      : createEmbeddedSearchEngine();
    await search.init();
    const started = performance.now();
    if (search.name === "embedded") {
      const n = await rebuildSearchIndex(handle.db, search);
      log(`search: embedded index built with ${n} documents in ${Math.round(performance.now() - started)} ms`);
    } else {
      const result = await drainOutbox(handle.db, search);
      log(`search: Meilisearch at ${env.meili!.url}, ${result.applied} pending change(s) applied`);
    }
    const outbox = startOutboxWorker(handle.db, search);
    const [{ n: userCount } = { n: 0 }] = await handle.db.select({ n: count() }).from(users);
    const setupToken = Number(userCount) === 0 ? randomBytes(24).toString("base64url") : null;
    if (setupToken) {
      log("no accounts yet. Create the first admin with this one-time link:");
      log(`  ${env.publicUrl}/setup?token=${setupToken}`);
    }
    return {
      env,
      db: handle.db,
      driver: handle.driver,
      search,
      outbox,
      lucia: createLucia(handle.db),
      commandToken,
      setupToken,
      startedAt: new Date(),
      async close() {
        outbox.stop();
        await handle.close();
        await lock?.release();
      },
    };
  } catch (error) {
    await lock?.release();
    throw error;
  }
}

/** Imports `content/` when the database has neither teams nor documents (a first start). */
async function seedDemoContent(db: Database, log: (line: string) => void): Promise<void> {
  const [[docs], [teamCount]] = await Promise.all([
    db.select({ n: count() }).from(documents),
    db.select({ n: count() }).from(teams),
  ]);
  if ((docs?.n ?? 0) > 0 || (teamCount?.n ?? 0) > 0) return;
  log("first start: importing the demo organisation from content/");
  const summary = await importContent(db, { root: path.resolve(process.cwd(), "content"), prefix: "", author: "importer" }, log);
  for (const line of formatImportSummary(summary)) log(line);
}
