import { and, eq, inArray, sql } from "drizzle-orm";
import { rowsOf, type Executor } from "../../db/client";
import {
  documentSystems,
  documentTags,
  documents,
  revisions,
  runbookAlerts,
  searchOutbox,
  systems,
  teams,
  wikiLinks,
  type RevisionMetadata,
} from "../../db/schema";
import { extractWikiLinks } from "./markdown";
import { contentHash } from "./revision";

/** What a new revision says. Metadata lists must already be normalised (uniqueSorted). */
export interface RevisionInput {
  slug: string;
  title: string;
  body: string;
  metadata: RevisionMetadata;
  /** A user's display name, or `importer`. */
  author: string;
  message: string;
  /** Path relative to the import root; omit to keep the document's current one. */
  sourcePath?: string | null;
  /**
   * The revision the change was based on. When given and the document has moved on, the save is
   * refused with a RevisionConflictError. Omit for imports (files are the source of truth).
   */
  baseRevision?: number;
}

/** The document's current state as saveRevision needs it; load many at once with loadCurrentStates. */
export interface CurrentState {
  id: string;
  currentRevision: number;
  contentHash: string;
}

export interface SaveOutcome {
  documentId: string;
  /** Number of the document's current revision after the save. */
  revision: number;
  outcome: "created" | "updated" | "unchanged";
}

/** The document changed since the revision a save was based on. Nothing was written. */
export class RevisionConflictError extends Error {
  override name = "RevisionConflictError";
  constructor(
    readonly slug: string,
    readonly baseRevision: number,
    readonly currentRevision: number,
  ) {
    super(`Document ${slug} is at revision ${currentRevision}; this change was based on revision ${baseRevision}.`);
  }
}

/** Slug -> id maps used to resolve metadata references; see loadCatalogIds. */
export interface CatalogIds {
  systems: Map<string, number>;
  teams: Map<string, number>;
}

/** All system and team ids by slug. */
export async function loadCatalogIds(db: Executor): Promise<CatalogIds> {
  const [systemRows, teamRows] = await Promise.all([
    db.select({ id: systems.id, slug: systems.slug }).from(systems),
    db.select({ id: teams.id, slug: teams.slug }).from(teams),
  ]);
  return {
    systems: new Map(systemRows.map((r) => [r.slug, r.id])),
    teams: new Map(teamRows.map((r) => [r.slug, r.id])),
  };
}

/** Current id, revision number and content hash of the documents with these slugs. */
export async function loadCurrentStates(db: Executor, slugs: readonly string[]): Promise<Map<string, CurrentState>> {
  const result = new Map<string, CurrentState>();
  for (let i = 0; i < slugs.length; i += 500) {
    const chunk = slugs.slice(i, i + 500);
    const rows = await db
      .select({
        slug: documents.slug,
        id: documents.id,
        currentRevision: documents.currentRevision,
        contentHash: revisions.contentHash,
      })
      .from(documents)
      .innerJoin(revisions, and(eq(revisions.documentId, documents.id), eq(revisions.number, documents.currentRevision)))
      .where(inArray(documents.slug, chunk));
    for (const row of rows) result.set(row.slug, row);
  }
  return result;
}

/**
 * Saves a new immutable revision of the document `input.slug`, creating the document when it does
 * not exist, and brings the link tables (systems, tags, alerts, wiki links) and the search outbox in
 * line, all through `tx` (call it inside one transaction). Identical content writes nothing.
 *
 * `current` is the document's state from loadCurrentStates (null: it does not exist); pass
 * `undefined` to have it loaded here, locking the document row against concurrent saves.
 * @throws RevisionConflictError when `input.baseRevision` is stale.
 * @throws Error when metadata names a system or team that is not in the catalog.
 */
export async function saveRevision(
  tx: Executor,
  input: RevisionInput,
  catalog: CatalogIds,
  current?: CurrentState | null,
): Promise<SaveOutcome> {
  const state = current === undefined ? await lockCurrentState(tx, input.slug) : current;
  const hash = contentHash(input.title, input.body, input.metadata);
  if (state && input.baseRevision !== undefined && input.baseRevision !== state.currentRevision) {
    throw new RevisionConflictError(input.slug, input.baseRevision, state.currentRevision);
  }
  if (state && state.contentHash === hash) {
    return { documentId: state.id, revision: state.currentRevision, outcome: "unchanged" };
  }

  const systemIds = input.metadata.systems.map((slug) => {
    const id = catalog.systems.get(slug);
    if (id === undefined) throw new Error(`Unknown system "${slug}" in document ${input.slug}`);
    return id;
  });
  const ownerTeamId = input.metadata.owner === null ? null : catalog.teams.get(input.metadata.owner);
  if (ownerTeamId === undefined) throw new Error(`Unknown owner team "${input.metadata.owner}" in document ${input.slug}`);

  const number = state ? state.currentRevision + 1 : 1;
  const now = new Date();
  const columns = {
    kind: input.metadata.kind,
    title: input.title,
    status: input.metadata.status,
    ownerTeamId,
    currentRevision: number,
    lastReviewed: input.metadata.lastReviewed,
    updatedAt: now,
    ...(input.sourcePath !== undefined ? { sourcePath: input.sourcePath } : {}),
  };
  let documentId: string;
  if (state) {
    documentId = state.id;
    await tx.update(documents).set(columns).where(eq(documents.id, documentId));
  } else {
    const [row] = await tx
      .insert(documents)
      .values({ slug: input.slug, createdAt: now, ...columns })
      .returning({ id: documents.id });
    documentId = row!.id;
  }
  await tx.insert(revisions).values({
    documentId,
    number,
    title: input.title,
    body: input.body,
    metadata: input.metadata,
    author: input.author,
    message: input.message,
    contentHash: hash,
    createdAt: now,
  });

  if (state) {
    await Promise.all([
      tx.delete(documentSystems).where(eq(documentSystems.documentId, documentId)),
      tx.delete(documentTags).where(eq(documentTags.documentId, documentId)),
      tx.delete(runbookAlerts).where(eq(runbookAlerts.documentId, documentId)),
      tx.delete(wikiLinks).where(eq(wikiLinks.sourceDocumentId, documentId)),
    ]);
  }
  if (systemIds.length > 0) {
    await tx.insert(documentSystems).values(systemIds.map((systemId) => ({ documentId, systemId })));
  }
  if (input.metadata.tags.length > 0) {
    await tx.insert(documentTags).values(input.metadata.tags.map((tag) => ({ documentId, tag })));
  }
  const alertKeys = new Map(input.metadata.alerts.map((name) => [name.toLowerCase(), name]));
  if (alertKeys.size > 0) {
    await tx
      .insert(runbookAlerts)
      .values([...alertKeys].map(([alertKey, alertName]) => ({ documentId, alertKey, alertName })));
  }
  const targets = [...new Set(extractWikiLinks(input.body).map((link) => link.slug))].filter((s) => s !== input.slug);
  if (targets.length > 0) {
    await tx.insert(wikiLinks).values(targets.map((targetSlug) => ({ sourceDocumentId: documentId, targetSlug })));
  }
  await enqueueSearchUpdates(tx, [documentId]);
  return { documentId, revision: number, outcome: state ? "updated" : "created" };
}

/**
 * Locks the document row, then reads its current revision's hash. Two statements on purpose: on
 * PostgreSQL (READ COMMITTED) a `FOR UPDATE` that waited for another save re-checks the locked
 * row's new version against the OTHER rows of a join as they were in its old snapshot, so a join
 * with `revisions` on `current_revision` finds no row and the document would look absent. The
 * second statement takes a fresh snapshot and sees the revision the other save committed.
 */
async function lockCurrentState(tx: Executor, slug: string): Promise<CurrentState | null> {
  const locked = await tx.execute(sql`
    select id, current_revision from ${documents} where slug = ${slug} for update`);
  const doc = rowsOf<{ id: string; current_revision: number }>(locked)[0];
  if (!doc) return null;
  const [revision] = await tx
    .select({ contentHash: revisions.contentHash })
    .from(revisions)
    .where(and(eq(revisions.documentId, doc.id), eq(revisions.number, doc.current_revision)));
  return { id: doc.id, currentRevision: doc.current_revision, contentHash: revision?.contentHash ?? "" };
}

/** Queues search-index upserts for these documents (same transaction as the change). */
export async function enqueueSearchUpdates(tx: Executor, documentIds: readonly string[]): Promise<void> {
  if (documentIds.length === 0) return;
  await tx.insert(searchOutbox).values(documentIds.map((documentId) => ({ op: "upsert" as const, documentId })));
}
