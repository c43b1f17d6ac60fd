/**
 * The search boundary. Every engine (embedded, Meilisearch) implements `SearchEngine`
 * and passes the same contract suite (`app/search/contract.ts`).
 *
 * Data flows one way: document command -> database + outbox row (same transaction) ->
 * outbox worker -> `SearchEngine.upsert/remove`. Nothing else writes to an engine.
 */

import type { DocumentKind, DocumentStatus } from "../../db/schema/documents";

export { DOCUMENT_KINDS, DOCUMENT_STATUSES } from "../../db/schema/documents";
export type { DocumentKind, DocumentStatus };

/** One document as the search engines see it: flat, denormalised, plain text. */
export interface SearchDocument {
  /** Document id (stable across revisions). */
  id: string;
  slug: string;
  title: string;
  kind: DocumentKind;
  status: DocumentStatus;
  /** Slugs of the linked systems. */
  systems: string[];
  /** Display names of the linked systems (searchable, so "core ledger" finds its runbooks). */
  systemNames: string[];
  /** Team slugs: the document's owner team and the owner teams of its systems. */
  teams: string[];
  /** Tiers (1-4) of the linked systems. */
  tiers: number[];
  tags: string[];
  /** Alert names this runbook answers, as written (e.g. `KubePodCrashLooping`). */
  alerts: string[];
  /** Text of the Markdown headings, in order. */
  headings: string[];
  /** Plain text of the body (Markdown stripped). */
  body: string;
  /** Path relative to the import root when the document came from a file, else null. */
  sourcePath: string | null;
  /** ISO 8601 UTC time of the current revision. */
  updatedAt: string;
}

export const FACET_NAMES = ["kind", "system", "team", "tier", "status"] as const;
export type FacetName = (typeof FACET_NAMES)[number];

export interface SearchFilters {
  kind?: string[];
  system?: string[];
  team?: string[];
  tier?: number[];
  /** When absent, archived documents are left out. */
  status?: string[];
}

export interface SearchQuery {
  /** Free text; may be empty (then all documents matching the filters, newest first). */
  q: string;
  filters?: SearchFilters;
  /** Default 20, at most 100. */
  limit?: number;
  offset?: number;
}

export interface SearchHit {
  id: string;
  slug: string;
  title: string;
  /** Title with matches wrapped in `<mark>`; HTML-escaped otherwise. */
  titleHtml: string;
  kind: DocumentKind;
  status: DocumentStatus;
  systems: string[];
  alerts: string[];
  /** About 160 characters of body around the best match, HTML-escaped, matches in `<mark>`. */
  snippet: string;
  sourcePath: string | null;
  updatedAt: string;
}

/** Facet value -> number of matching documents (counted over all matches, not just the page). */
export type Facets = Record<FacetName, Record<string, number>>;

export interface SearchResult {
  hits: SearchHit[];
  /** Total number of matching documents (estimated by Meilisearch for large sets). */
  total: number;
  facets: Facets;
  /** Engine time in milliseconds. */
  tookMs: number;
}

export interface SearchHealth {
  ok: boolean;
  engine: "embedded" | "meilisearch";
  documents: number;
  detail?: string;
}

export interface SearchEngine {
  readonly name: "embedded" | "meilisearch";
  /** Prepares the index (creates it, applies settings). Idempotent. */
  init(): Promise<void>;
  /** Adds or replaces documents by id. Resolves when they are searchable. */
  upsert(docs: SearchDocument[]): Promise<void>;
  /** Removes documents by id; unknown ids are ignored. Resolves when they are gone. */
  remove(ids: string[]): Promise<void>;
  /** Replaces the whole index with `docs` (used by reindex). */
  replaceAll(docs: SearchDocument[]): Promise<void>;
  search(query: SearchQuery): Promise<SearchResult>;
  health(): Promise<SearchHealth>;
}
