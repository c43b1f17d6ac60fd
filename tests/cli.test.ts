import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acquireDataLock, type DataLock } from "../app/lib/data-lock.server";
import { runScript } from "./e2e/harness";
import { CORPORA } from "./paths";

/** The command-line tools against a PGlite data directory, as separate processes. */
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "drillbook-cli-"));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe("npm run import on PGlite (the CLI strips DATABASE_URL)", () => {
  it("imports into a fresh data directory (migrating it first) and prints the summary", async () => {
    const run = await runScript("scripts/import.ts", [path.join(CORPORA, "dfds-postmortems"), "--kind", "postmortem"], { DATA_DIR: dataDir });
    expect(run.output).toMatch(/created 41, updated 0, unchanged 0, skipped 0/);
    expect(run.code).toBe(0);
  });

  it("refuses at once, saying what to do, while another command holds the data directory", async () => {
    let lock: DataLock | undefined;
    try {
      lock = await acquireDataLock(dataDir, { kind: "command", description: "export" });
      const started = Date.now();
      const run = await runScript("scripts/import.ts", [path.join(CORPORA, "dfds-postmortems")], { DATA_DIR: dataDir });
      expect(run.code).toBe(3);
      expect(run.output).toContain("in use by another command (export)");
      expect(run.output).toContain("one process per data directory");
      expect(Date.now() - started).toBeLessThan(30_000);
    } finally {
      await lock?.release();
    }
  });

  it("rejects an unknown folder and a bad --kind with a message", async () => {
    const missing = await runScript("scripts/import.ts", ["/no/such/folder"], { DATA_DIR: dataDir });
    expect(missing.code).toBe(1);
    expect(missing.output).toContain("no such folder: /no/such/folder");
    const badKind = await runScript("scripts/import.ts", [CORPORA, "--kind", "recipe"], { DATA_DIR: dataDir });
    expect(badKind.code).toBe(1);
    expect(badKind.output).toContain("--kind must be one of");
  });

  it("npm run reindex queues a rebuild of the embedded index, which lives in the server", async () => {
    const run = await runScript("scripts/reindex.ts", [], { DATA_DIR: dataDir });
    expect(run.code).toBe(0);
    expect(run.output).toContain("Reindex queued");
  });
});
