import { and, asc, eq, inArray, isNull, lte, sql } from "drizzle-orm";
import type { Database, Executor } from "../../db/client";
import {
  documentSystems,
  documentTags,
  documents,
  revisions,
  runbookAlerts,
  searchOutbox,
  systems,
  teams,
} from "../../db/schema";
import { markdownToPlainText } from "../docs/markdown";
import type { SearchDocument, SearchEngine } from "./types";

/**
 * Loads documents as the search engines see them (current revision, systems with names, tiers and
 * owner teams, tags, alerts). `ids` undefined loads every document.
 */
export async function loadSearchDocuments(db: Executor, ids?: readonly string[]): Promise<SearchDocument[]> {
  if (ids && ids.length === 0) return [];
  if (ids && ids.length > 500) {
    const out: SearchDocument[] = [];
    for (let i = 0; i < ids.length; i += 500) out.push(...(await loadSearchDocuments(db, ids.slice(i, i + 500))));
    return out;
  }
  const docFilter = ids ? inArray(documents.id, [...ids]) : undefined;
  const [docRows, systemRows, tagRows, alertRows] = await Promise.all([
    db
      .select({
        id: documents.id,
        slug: documents.slug,
        title: documents.title,
        kind: documents.kind,
        status: documents.status,
        sourcePath: documents.sourcePath,
        updatedAt: documents.updatedAt,
        body: revisions.body,
        ownerTeam: teams.slug,
      })
      .from(documents)
      .innerJoin(revisions, and(eq(revisions.documentId, documents.id), eq(revisions.number, documents.currentRevision)))
      .leftJoin(teams, eq(teams.id, documents.ownerTeamId))
      .where(docFilter),
    db
      .select({
        documentId: documentSystems.documentId,
        slug: systems.slug,
        name: systems.name,
        tier: systems.tier,
        team: teams.slug,
      })
      .from(documentSystems)
      .innerJoin(systems, eq(systems.id, documentSystems.systemId))
      .leftJoin(teams, eq(teams.id, systems.ownerTeamId))
      .where(ids ? inArray(documentSystems.documentId, [...ids]) : undefined),
    db
      .select()
      .from(documentTags)
      .where(ids ? inArray(documentTags.documentId, [...ids]) : undefined),
    db
      .select({ documentId: runbookAlerts.documentId, alertName: runbookAlerts.alertName })
      .from(runbookAlerts)
      .where(ids ? inArray(runbookAlerts.documentId, [...ids]) : undefined),
  ]);
  const group = <T extends { documentId: string }>(rows: T[]) => {
    const map = new Map<string, T[]>();
    for (const row of rows) map.set(row.documentId, [...(map.get(row.documentId) ?? []), row]);
    return map;
  };
  const systemsByDoc = group(systemRows);
  const tagsByDoc = group(tagRows);
  const alertsByDoc = group(alertRows);
  return docRows.map((doc) => {
    const linked = systemsByDoc.get(doc.id) ?? [];
    const plain = markdownToPlainText(doc.body);
    const teamSlugs = [doc.ownerTeam, ...linked.map((s) => s.team)].filter((t): t is string => !!t);
    return {
      id: doc.id,
      slug: doc.slug,
      title: doc.title,
      kind: doc.kind,
      status: doc.status,
      systems: linked.map((s) => s.slug).sort(),
      systemNames: linked.map((s) => s.name).sort(),
      teams: [...new Set(teamSlugs)].sort(),
      tiers: [...new Set(linked.map((s) => s.tier))].sort(),
      tags: (tagsByDoc.get(doc.id) ?? []).map((t) => t.tag).sort(),
      alerts: (alertsByDoc.get(doc.id) ?? []).map((a) => a.alertName).sort(),
      headings: plain.headings,
      body: plain.text,
      sourcePath: doc.sourcePath,
      updatedAt: doc.updatedAt.toISOString(),
    };
  });
}

/**
 * Rebuilds the whole index from the database and marks every outbox row written before the rebuild
 * as processed. Returns the number of documents indexed.
 */
export async function rebuildSearchIndex(db: Database, engine: SearchEngine): Promise<number> {
  const [{ maxId }] = (await db.select({ maxId: sql<number | null>`max(${searchOutbox.id})` }).from(searchOutbox)) as [
    { maxId: number | null },
  ];
  const docs = await loadSearchDocuments(db);
  await engine.replaceAll(docs);
  if (maxId !== null) {
    await db
      .update(searchOutbox)
      .set({ processedAt: new Date() })
      .where(and(isNull(searchOutbox.processedAt), lte(searchOutbox.id, Number(maxId))));
  }
  return docs.length;
}

export interface DrainResult {
  /** Outbox rows applied. */
  applied: number;
  /** Rows still pending because the engine failed; their attempts and last_error were recorded. */
  failed: number;
}

/**
 * Applies pending outbox rows to the engine, oldest first, in batches of `batchSize`, until none
 * are left or the engine fails (then the batch stays pending with its error recorded, and is
 * retried on the next call). Documents that no longer exist are removed from the index.
 */
export async function drainOutbox(db: Database, engine: SearchEngine, batchSize = 500): Promise<DrainResult> {
  let applied = 0;
  for (;;) {
    const rows = await db
      .select({ id: searchOutbox.id, op: searchOutbox.op, documentId: searchOutbox.documentId })
      .from(searchOutbox)
      .where(isNull(searchOutbox.processedAt))
      .orderBy(asc(searchOutbox.id))
      .limit(batchSize);
    if (rows.length === 0) return { applied, failed: 0 };
    const rowIds = rows.map((r) => r.id);
    try {
      if (rows.some((r) => r.op === "reindex")) {
        await rebuildSearchIndex(db, engine);
      } else {
        const ids = [...new Set(rows.map((r) => r.documentId).filter((id): id is string => id !== null))];
        const docs = await loadSearchDocuments(db, ids);
        const found = new Set(docs.map((d) => d.id));
        if (docs.length > 0) await engine.upsert(docs);
        const gone = ids.filter((id) => !found.has(id));
        if (gone.length > 0) await engine.remove(gone);
      }
    } catch (error) {
      await db
        .update(searchOutbox)
        .set({ attempts: sql`${searchOutbox.attempts} + 1`, lastError: String((error as Error).message ?? error).slice(0, 1000) })
        .where(inArray(searchOutbox.id, rowIds));
      return { applied, failed: rows.length };
    }
    await db.update(searchOutbox).set({ processedAt: new Date() }).where(inArray(searchOutbox.id, rowIds));
    applied += rows.length;
  }
}

/** Number of outbox rows not yet applied (for /healthz). */
export async function pendingOutboxCount(db: Database): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(searchOutbox).where(isNull(searchOutbox.processedAt));
  return Number(row?.n ?? 0);
}

/** Queues a full rebuild of the search index (picked up by the server's outbox worker). */
export async function requestReindex(db: Executor): Promise<void> {
  await db.insert(searchOutbox).values({ op: "reindex" });
}

export interface OutboxWorker {
  /** Applies pending rows now (and waits for it); used after a write for read-your-writes. */
  kick(): Promise<void>;
  stop(): void;
}

/**
 * Polls the outbox every `intervalMs` and applies it. Failures back off up to 30 s and are logged
 * once per streak; the rows stay pending, so nothing is lost while the engine is down.
 */
export function startOutboxWorker(db: Database, engine: SearchEngine, intervalMs = 1000): OutboxWorker {
  let running: Promise<void> | null = null;
  let stopped = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  const run = (): Promise<void> => {
    if (running) return running;
    running = (async () => {
      try {
        const result = await drainOutbox(db, engine);
        if (result.failed > 0) {
          if (failures === 0) console.error(`[drillbook] search index update failed; ${result.failed} change(s) pending, retrying`);
          failures++;
        } else {
          if (failures > 0) console.log("[drillbook] search index caught up");
          failures = 0;
        }
      } catch (error) {
        failures++;
        console.error(`[drillbook] search outbox worker: ${(error as Error).message}`);
      } finally {
        running = null;
      }
    })();
    return running;
  };
  const schedule = () => {
    if (stopped) return;
    const delay = failures === 0 ? intervalMs : Math.min(30_000, intervalMs * 2 ** Math.min(failures, 5));
    timer = setTimeout(() => void run().then(schedule), delay);
    timer.unref();
  };
  schedule();
  return {
    async kick() {
      // A run already under way may have read the outbox before the caller's write: run again after it.
      if (running) await running;
      await run();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
