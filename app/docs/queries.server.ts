import { and, asc, desc, eq, ne, sql } from "drizzle-orm";
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
import type { CriticalWindow, EscalationLevel } from "../../db/schema/catalog";
import type { DocumentKind } from "../../db/schema/enums";

/**
 * A document with its current revision and everything its page and the API show, in one query
 * (linked systems, tags, alerts, backlinks and the titles of its wiki-link targets as JSON
 * sub-selects: PGlite runs one query at a time, so round trips dominate page time).
 * Returns null when no document has this slug.
 */
export async function getDocument(db: Database, slug: string) {
  const [row] = await db
    .select({
      document: documents,
      revision: revisions,
      owner: { slug: teams.slug, name: teams.name },
      systems: sql<LinkedSystem[]>`(
        select coalesce(json_agg(json_build_object(
          'slug', s.slug, 'name', s.name, 'tier', s.tier, 'lifecycle', s.lifecycle,
          'criticalWindows', s.critical_windows, 'escalation', s.escalation) order by s.tier, s.name), '[]'::json)
        from ${documentSystems} ds join ${systems} s on s.id = ds.system_id
        where ds.document_id = ${documents.id})`,
      tags: sql<string[]>`(
        select coalesce(json_agg(t.tag order by t.tag), '[]'::json) from ${documentTags} t where t.document_id = ${documents.id})`,
      alerts: sql<string[]>`(
        select coalesce(json_agg(a.alert_name order by a.alert_name), '[]'::json)
        from ${runbookAlerts} a where a.document_id = ${documents.id})`,
      backlinks: sql<Array<{ slug: string; title: string; kind: DocumentKind }>>`(
        select coalesce(json_agg(json_build_object('slug', b.slug, 'title', b.title, 'kind', b.kind) order by b.title, b.slug), '[]'::json)
        from ${wikiLinks} w join ${documents} b on b.id = w.source_document_id
        where w.target_slug = ${documents.slug})`,
      targets: sql<Array<{ slug: string; title: string }>>`(
        select coalesce(json_agg(json_build_object('slug', x.slug, 'title', x.title)), '[]'::json)
        from ${wikiLinks} w join ${documents} x on x.slug = w.target_slug
        where w.source_document_id = ${documents.id})`,
    })
    .from(documents)
    .innerJoin(revisions, and(eq(revisions.documentId, documents.id), eq(revisions.number, documents.currentRevision)))
    .leftJoin(teams, eq(teams.id, documents.ownerTeamId))
    .where(eq(documents.slug, slug));
  if (!row) return null;
  return {
    document: row.document,
    revision: row.revision,
    owner: row.owner?.slug ? row.owner : null,
    systems: parseJson(row.systems),
    tags: parseJson(row.tags),
    alerts: parseJson(row.alerts),
    backlinks: parseJson(row.backlinks),
    wikiTargets: new Map(parseJson(row.targets).map((t) => [t.slug, { title: t.title }])),
  };
}

/** A linked system as the document page shows it. */
export interface LinkedSystem {
  slug: string;
  name: string;
  tier: number;
  lifecycle: "active" | "retired";
  criticalWindows: CriticalWindow[];
  escalation: EscalationLevel[];
}

/** json columns come back parsed from both drivers; a string (some driver settings) is parsed here. */
function parseJson<T>(value: T | string): T {
  return typeof value === "string" ? (JSON.parse(value) as T) : value;
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
