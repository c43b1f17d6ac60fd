import { sql, type InferSelectModel } from "drizzle-orm";
import { date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { systems, teams } from "./catalog";

import { DOCUMENT_KINDS, DOCUMENT_STATUSES, type DocumentKind, type DocumentStatus } from "./enums";

export { DOCUMENT_KINDS, DOCUMENT_STATUSES, type DocumentKind, type DocumentStatus };

/**
 * Everything about a document that is not its title or body, frozen in each revision.
 * `extra` keeps frontmatter keys Drillbook does not model yet (a plan's scenarios, a postmortem's
 * timestamps), so nothing a team wrote is dropped.
 */
export interface RevisionMetadata {
  kind: DocumentKind;
  status: DocumentStatus;
  /** System slugs. */
  systems: string[];
  tags: string[];
  alerts: string[];
  /** Owner team slug. */
  owner: string | null;
  /** Date (YYYY-MM-DD, UTC) of the last review, if recorded. */
  lastReviewed: string | null;
  extra: Record<string, unknown>;
}

/**
 * A document's identity and a denormalised copy of its current revision's metadata, for queries.
 * The text lives only in `revisions`.
 */
export const documents = pgTable(
  "documents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slug: text("slug").notNull().unique(),
    kind: text("kind", { enum: DOCUMENT_KINDS }).notNull(),
    title: text("title").notNull(),
    status: text("status", { enum: DOCUMENT_STATUSES }).notNull().default("published"),
    ownerTeamId: integer("owner_team_id").references(() => teams.id),
    currentRevision: integer("current_revision").notNull(),
    lastReviewed: date("last_reviewed", { mode: "string" }),
    /** Path relative to the import root, for documents that came from a file. */
    sourcePath: text("source_path"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("documents_kind_idx").on(t.kind), index("documents_updated_idx").on(t.updatedAt)],
);
export type Document = InferSelectModel<typeof documents>;

/** Immutable saved versions. Rows are only ever inserted. */
export const revisions = pgTable(
  "revisions",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    documentId: uuid("document_id")
      .notNull()
      .references(() => documents.id, { onDelete: "cascade" }),
    number: integer("number").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    metadata: jsonb("metadata").$type<RevisionMetadata>().notNull(),
    /** Who saved it: a user's name, or `importer` for files. */
    author: text("author").notNull(),
    message: text("message").notNull().default(""),
    /** sha256 hex of title, body and metadata (see `contentHash`). */
    contentHash: text("content_hash").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("revisions_document_number").on(t.documentId, t.number)],
);
export type Revision = InferSelectModel<typeof revisions>;

export const documentSystems = pgTable(
  "document_systems",
  {
    documentId: uuid("document_id")
      .notNull()
      .references(() => documents.id, { onDelete: "cascade" }),
    systemId: integer("system_id")
      .notNull()
      .references(() => systems.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.documentId, t.systemId] }), index("document_systems_system_idx").on(t.systemId)],
);

export const documentTags = pgTable(
  "document_tags",
  {
    documentId: uuid("document_id")
      .notNull()
      .references(() => documents.id, { onDelete: "cascade" }),
    tag: text("tag").notNull(),
  },
  (t) => [primaryKey({ columns: [t.documentId, t.tag] }), index("document_tags_tag_idx").on(t.tag)],
);

/** Alert names a runbook answers; `alertKey` is the lower-cased name for case-insensitive lookup. */
export const runbookAlerts = pgTable(
  "runbook_alerts",
  {
    documentId: uuid("document_id")
      .notNull()
      .references(() => documents.id, { onDelete: "cascade" }),
    alertName: text("alert_name").notNull(),
    alertKey: text("alert_key").notNull(),
  },
  (t) => [primaryKey({ columns: [t.documentId, t.alertKey] }), index("runbook_alerts_key_idx").on(t.alertKey)],
);

/** `[[slug]]` links in a document's current revision; the target may not exist (a broken link). */
export const wikiLinks = pgTable(
  "wiki_links",
  {
    sourceDocumentId: uuid("source_document_id")
      .notNull()
      .references(() => documents.id, { onDelete: "cascade" }),
    targetSlug: text("target_slug").notNull(),
  },
  (t) => [primaryKey({ columns: [t.sourceDocumentId, t.targetSlug] }), index("wiki_links_target_idx").on(t.targetSlug)],
);

export const SEARCH_OUTBOX_OPS = ["upsert", "delete", "reindex"] as const;

/**
 * Search index changes, written in the same transaction as the document change, applied by the
 * outbox worker. An unreachable engine leaves rows pending; nothing is lost.
 */
export const searchOutbox = pgTable(
  "search_outbox",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    op: text("op", { enum: SEARCH_OUTBOX_OPS }).notNull(),
    /** Null for `reindex`. */
    documentId: uuid("document_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp("processed_at", { withTimezone: true }),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
  },
  (t) => [index("search_outbox_pending_idx").on(t.id).where(sql`${t.processedAt} is null`)],
);
