import { and, asc, desc, eq, inArray, ne, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import {
  documentSystems,
  documentTags,
  documents,
  revisions,
  runbookAlerts,
  systems,
  teams,
  wikiLinks,
} from "../../db/schema";
import { extractWikiLinks } from "./markdown";

/**
 * A document with its current revision and everything its page and the API show.
 * Returns null when no document has this slug.
 */
export async function getDocument(db: Database, slug: string) {
  const [row] = await db
    .select({ document: documents, revision: revisions, owner: { slug: teams.slug, name: teams.name } })
    .from(documents)
    .innerJoin(revisions, and(eq(revisions.documentId, documents.id), eq(revisions.number, documents.currentRevision)))
    .leftJoin(teams, eq(teams.id, documents.ownerTeamId))
    .where(eq(documents.slug, slug));
  if (!row) return null;
  const id = row.document.id;
  const linkSlugs = [...new Set(extractWikiLinks(row.revision.body).map((l) => l.slug))];
  const [linkedSystems, tags, alerts, backlinks, targets] = await Promise.all([
    db
      .select({
        slug: systems.slug,
        name: systems.name,
        tier: systems.tier,
        lifecycle: systems.lifecycle,
        criticalWindows: systems.criticalWindows,
        escalation: systems.escalation,
      })
      .from(documentSystems)
      .innerJoin(systems, eq(systems.id, documentSystems.systemId))
      .where(eq(documentSystems.documentId, id))
      .orderBy(asc(systems.tier), asc(systems.name)),
    db.select({ tag: documentTags.tag }).from(documentTags).where(eq(documentTags.documentId, id)).orderBy(asc(documentTags.tag)),
    db
      .select({ name: runbookAlerts.alertName })
      .from(runbookAlerts)
      .where(eq(runbookAlerts.documentId, id))
      .orderBy(asc(runbookAlerts.alertName)),
    db
      .select({ slug: documents.slug, title: documents.title, kind: documents.kind })
      .from(wikiLinks)
      .innerJoin(documents, eq(documents.id, wikiLinks.sourceDocumentId))
      .where(eq(wikiLinks.targetSlug, slug))
      .orderBy(asc(documents.title)),
    linkSlugs.length > 0
      ? db.select({ slug: documents.slug, title: documents.title }).from(documents).where(inArray(documents.slug, linkSlugs))
      : Promise.resolve([]),
  ]);
  return {
    document: row.document,
    revision: row.revision,
    owner: row.owner?.slug ? row.owner : null,
    systems: linkedSystems,
    tags: tags.map((t) => t.tag),
    alerts: alerts.map((a) => a.name),
    backlinks,
    wikiTargets: new Map(targets.map((t) => [t.slug, { title: t.title }])),
  };
}
export type DocumentDetail = NonNullable<Awaited<ReturnType<typeof getDocument>>>;

/** The most recently changed documents (archived ones left out), newest first. */
export function recentDocuments(db: Database, limit = 10) {
  return db
    .select({
      slug: documents.slug,
      title: documents.title,
      kind: documents.kind,
      status: documents.status,
      updatedAt: documents.updatedAt,
      revision: documents.currentRevision,
    })
    .from(documents)
    .where(ne(documents.status, "archived"))
    .orderBy(desc(documents.updatedAt), asc(documents.slug))
    .limit(limit);
}

/**
 * Runbooks that answer `alertName` (case-insensitive), best first: published before draft before
 * archived, then the shortest slug (the main copy before translations), then the oldest.
 */
export function runbooksForAlert(db: Database, alertName: string) {
  return db
    .select({ slug: documents.slug, title: documents.title, status: documents.status })
    .from(runbookAlerts)
    .innerJoin(documents, eq(documents.id, runbookAlerts.documentId))
    .where(and(eq(runbookAlerts.alertKey, alertName.toLowerCase()), eq(documents.kind, "runbook")))
    .orderBy(
      sql`case ${documents.status} when 'published' then 0 when 'draft' then 1 else 2 end`,
      sql`length(${documents.slug})`,
      asc(documents.createdAt),
      asc(documents.slug),
    );
}

/** Total number of documents per kind (archived included), for the home page. */
export async function documentCountsByKind(db: Database): Promise<Record<string, number>> {
  const rows = await db.select({ kind: documents.kind, n: sql<number>`count(*)::int` }).from(documents).groupBy(documents.kind);
  return Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)]));
}
