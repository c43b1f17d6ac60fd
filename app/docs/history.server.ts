import { and, desc, eq } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { documents, revisions, type RevisionMetadata } from "../../db/schema";
import { diffRevisions, type RevisionDiff } from "./diff";

/** One revision as the history, compare and conflict views need it. */
export interface RevisionDetail {
  number: number;
  title: string;
  body: string;
  metadata: RevisionMetadata;
  author: string;
  message: string;
  createdAt: Date;
}

/** One line of a document's history (no body). */
export interface RevisionSummary {
  number: number;
  title: string;
  author: string;
  message: string;
  createdAt: Date;
}

const detailColumns = {
  number: revisions.number,
  title: revisions.title,
  body: revisions.body,
  metadata: revisions.metadata,
  author: revisions.author,
  message: revisions.message,
  createdAt: revisions.createdAt,
};

/** Revision `number` of the document `slug`, or null when either does not exist. */
export async function getRevision(db: Executor, slug: string, number: number): Promise<RevisionDetail | null> {
  const [row] = await db
    .select(detailColumns)
    .from(revisions)
    .innerJoin(documents, eq(documents.id, revisions.documentId))
    .where(and(eq(documents.slug, slug), eq(revisions.number, number)));
  return row ?? null;
}

/** The current (latest) revision of the document `slug`, or null when there is no such document. */
export async function getCurrentRevision(db: Executor, slug: string): Promise<RevisionDetail | null> {
  const [row] = await db
    .select(detailColumns)
    .from(revisions)
    .innerJoin(documents, and(eq(documents.id, revisions.documentId), eq(revisions.number, documents.currentRevision)))
    .where(eq(documents.slug, slug));
  return row ?? null;
}

/**
 * A document's identity and every revision, newest first; null when there is no such document.
 */
export async function listRevisions(db: Executor, slug: string) {
  const [document] = await db
    .select({ id: documents.id, slug: documents.slug, title: documents.title, kind: documents.kind, currentRevision: documents.currentRevision })
    .from(documents)
    .where(eq(documents.slug, slug));
  if (!document) return null;
  const rows: RevisionSummary[] = await db
    .select({
      number: revisions.number,
      title: revisions.title,
      author: revisions.author,
      message: revisions.message,
      createdAt: revisions.createdAt,
    })
    .from(revisions)
    .where(eq(revisions.documentId, document.id))
    .orderBy(desc(revisions.number));
  return { document, revisions: rows };
}

/**
 * The diff between revisions `from` and `to` of `slug` (any two, either order), with both
 * revisions; null when the document or either revision does not exist.
 */
export async function compareRevisions(db: Executor, slug: string, from: number, to: number) {
  const [a, b] = await Promise.all([getRevision(db, slug, from), getRevision(db, slug, to)]);
  if (!a || !b) return null;
  const diff: RevisionDiff = diffRevisions(a, b);
  return { from: a, to: b, diff };
}

/** Sub-resources of a document in the HTTP API: `/api/v1/documents/<slug>/<sub>`. */
export const DOCUMENT_SUBRESOURCES = ["revisions", "diff", "restore"] as const;
export type DocumentSubresource = (typeof DOCUMENT_SUBRESOURCES)[number];

/**
 * Splits an API path after `/api/v1/documents/` into a slug and a sub-resource. Slugs contain "/",
 * so `a/b/diff` is the `diff` of document `a/b` only when `a/b` exists; otherwise the whole path is
 * the slug (a document may be called `diff`).
 */
export async function resolveDocumentPath(
  db: Executor,
  path: string,
): Promise<{ slug: string; subresource: DocumentSubresource | null }> {
  const slug = path.replace(/^\/+|\/+$/g, "");
  const cut = slug.lastIndexOf("/");
  const last = slug.slice(cut + 1);
  if (cut > 0 && (DOCUMENT_SUBRESOURCES as readonly string[]).includes(last)) {
    const prefix = slug.slice(0, cut);
    const [row] = await db.select({ id: documents.id }).from(documents).where(eq(documents.slug, prefix));
    if (row) return { slug: prefix, subresource: last as DocumentSubresource };
  }
  return { slug, subresource: null };
}
