import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { boot, type Runtime } from "../app/lib/runtime.server";

/**
 * Boots the real server runtime (app/lib/runtime.server.ts) for tests that call route modules or
 * the session guards, which find the database through `getRuntime()`:
 * - PGlite (default): a fresh temporary DATA_DIR;
 * - PostgreSQL (DATABASE_URL set): a fresh throwaway database on that server, like tests/db.ts,
 *   with DATABASE_URL pointed at it before booting.
 * `env` adds variables (e.g. SEED_DEMO, ANONYMOUS_READ). `close` stops the runtime and removes the
 * data directory or drops the database. One per test file (the runtime is a per-process singleton).
 */
export async function bootTestRuntime(env: Record<string, string> = {}): Promise<{ runtime: Runtime; close(): Promise<void> }> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "drillbook-runtime-"));
  process.env.DATA_DIR = dataDir;
  Object.assign(process.env, env);
  const url = process.env.DATABASE_URL;
  let dropDatabase = async () => {};
  if (url) {
    const name = `drillbook_test_${randomBytes(6).toString("hex")}`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const testUrl = new URL(url);
    testUrl.pathname = `/${name}`;
    process.env.DATABASE_URL = testUrl.toString();
    dropDatabase = async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
      process.env.DATABASE_URL = url;
    };
  }
  let runtime: Runtime;
  try {
    runtime = await boot({ log: () => {} });
  } catch (error) {
    await dropDatabase();
    throw error;
  }
  return {
    runtime,
    async close() {
      await runtime.close();
      await dropDatabase();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
