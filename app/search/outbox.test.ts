import { count, countDistinct, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { searchOutbox } from "#db/schema";
import { createTestDatabase } from "../../tests/db";
import { CONTENT_DIR } from "../../tests/paths";
import { loadCatalogIds, saveRevision } from "../docs/documents.server";
import { importContent } from "../docs/import.server";
import { createEmbeddedSearchEngine } from "./embedded.server";
import { drainOutbox, rebuildSearchIndex, requestReindex } from "./outbox.server";
import type { SearchEngine } from "./types";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
  await importContent(handle.db, { root: CONTENT_DIR, prefix: "" });
});
afterAll(() => handle.close());

async function pending() {
  const [row] = await handle.db.select({ n: count() }).from(searchOutbox).where(isNull(searchOutbox.processedAt));
  return Number(row!.n);
}

/** The real embedded engine behind a switch that makes every write fail (an unreachable Meilisearch cannot run here). */
function flakyEngine(inner: SearchEngine) {
  const state = { down: false };
  const guard = () => {
    if (state.down) throw new Error("connect ECONNREFUSED 127.0.0.1:7700");
  };
  const engine: SearchEngine = {
    name: inner.name,
    init: () => inner.init(),
    upsert: async (docs) => (guard(), inner.upsert(docs)),
    remove: async (ids) => (guard(), inner.remove(ids)),
    replaceAll: async (docs) => (guard(), inner.replaceAll(docs)),
    search: (q) => inner.search(q),
    health: () => inner.health(),
  };
  return { engine, state };
}

async function editRunbook(title: string) {
  return handle.db.transaction(async (tx) =>
    saveRevision(
      tx,
      {
        slug: "core-ledger-replication-lag",
        title,
        body: `# ${title}\n\nCheck pg_stat_replication on ledger-db-02.\n`,
        metadata: { kind: "runbook", status: "published", systems: ["core-ledger"], tags: [], alerts: ["LedgerReplicationLagHigh"], owner: "core-banking-ops", lastReviewed: null, extra: {} },
        author: "test",
        message: "edit",
      },
      await loadCatalogIds(tx),
    ),
  );
}

describe("search outbox", () => {
  it("every imported document is queued in the same transaction, and draining indexes them all", async () => {
    const { engine } = flakyEngine(createEmbeddedSearchEngine());
    await engine.init();
    const queued = await pending();
    // A document imported with earlier revisions (revisions/<slug>/<n>.md) is queued once per revision saved.
    const [docs] = await handle.db.select({ n: countDistinct(searchOutbox.documentId) }).from(searchOutbox).where(isNull(searchOutbox.processedAt));
    const queuedDocuments = Number(docs!.n);
    expect(queuedDocuments).toBeGreaterThanOrEqual(30);
    const result = await drainOutbox(handle.db, engine, 7);
    expect(result).toEqual({ applied: queued, failed: 0 });
    expect(await pending()).toBe(0);
    expect((await engine.health()).documents).toBe(queuedDocuments);
  });

  it("loses nothing while the engine is unreachable and catches up when it returns", async () => {
    const { engine, state } = flakyEngine(createEmbeddedSearchEngine());
    await engine.init();
    await rebuildSearchIndex(handle.db, engine);

    state.down = true;
    await editRunbook("Ledger standby replay lag, Zebrafinch edition");
    const failed = await drainOutbox(handle.db, engine);
    expect(failed).toEqual({ applied: 0, failed: 1 });
    expect(await pending()).toBe(1);
    const [row] = await handle.db.select().from(searchOutbox).where(isNull(searchOutbox.processedAt));
    expect(row!.attempts).toBe(1);
    expect(row!.lastError).toContain("ECONNREFUSED");
    expect((await engine.search({ q: "Zebrafinch" })).total).toBe(0);

    state.down = false;
    expect(await drainOutbox(handle.db, engine)).toEqual({ applied: 1, failed: 0 });
    const found = await engine.search({ q: "Zebrafinch" });
    expect(found.hits[0]?.slug).toBe("core-ledger-replication-lag");
  });

  it("a queued reindex rebuilds the whole index", async () => {
    const { engine } = flakyEngine(createEmbeddedSearchEngine());
    await engine.init();
    await requestReindex(handle.db);
    const result = await drainOutbox(handle.db, engine);
    expect(result.applied).toBe(1);
    expect((await engine.health()).documents).toBeGreaterThanOrEqual(30);
  });
});
