/**
 * Embedded search engine: an in-process MiniSearch index (BM25+), for single-node installs and
 * tests. Nothing is persisted; the outbox worker or `reindex` fills it at start-up.
 *
 * Ranking follows Meilisearch's spirit with field boosts (title > alerts, tags > headings >
 * system names > body), typo tolerance by word length and prefix search on the word being typed.
 */
import MiniSearch, { type Query, type SearchResult as MiniResult } from "minisearch";
import { highlightHtml, snippetHtml, escapeHtml, SNIPPET_CHARS } from "./highlight";
import { queryWords, tokenize, warmTokenizer, type QueryWord } from "./tokenize";
import {
  type FacetName,
  type Facets,
  type SearchDocument,
  type SearchEngine,
  type SearchFilters,
  type SearchHealth,
  type SearchHit,
  type SearchQuery,
  type SearchResult,
} from "./types";

/** Indexed fields and their boosts (multipliers of the BM25+ score of a match in that field). */
export const EMBEDDED_FIELD_BOOSTS = {
  title: 10,
  alerts: 6,
  tags: 5,
  headings: 3,
  systemNames: 2,
  body: 1,
} as const satisfies Record<string, number>;

type IndexedField = keyof typeof EMBEDDED_FIELD_BOOSTS;
const FIELDS = Object.keys(EMBEDDED_FIELD_BOOSTS) as IndexedField[];

/** Default and maximum page sizes (`SearchQuery.limit`). */
export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

export interface EmbeddedSearchOptions {
  /**
   * Which query words are matched as prefixes: only the last one while it is being typed
   * (default, as Meilisearch does) or every Latin word. Measured with `scripts/bench-search.ts`.
   */
  prefix?: "last" | "all";
}

/**
 * Typo budget per query term, as Meilisearch's defaults (`minWordSizeForTypos` 5 and 9):
 * 0 typos below 5 characters, 1 typo for 5-8 characters, 2 typos from 9 characters.
 * Han terms get none (a 2-character Chinese word with 1 edit is another word).
 *
 * @returns a MiniSearch `fuzzy` value: `false` or a Levenshtein distance (1 or 2).
 */
export function typoBudget(term: string): false | 1 | 2 {
  if (/\p{Script=Han}/u.test(term)) return false;
  if (term.length >= 9) return 2;
  if (term.length >= 5) return 1;
  return false;
}

/**
 * Creates the embedded engine.
 *
 * Search semantics:
 * - Query words are combined with AND; when AND matches nothing, the same words are combined
 *   with OR (so a stray word does not empty the result, and documents matching more words rank
 *   first, because MiniSearch multiplies the score by the number of matched words).
 * - A CamelCase query word matches its whole form OR all of its parts (`CrashLooping` finds
 *   `KubePodCrashLooping`).
 * - Typos: see `typoBudget`. Prefix: the last word of the query (see `EmbeddedSearchOptions`).
 * - Filters: values within one filter are OR-ed, filters are AND-ed; archived documents are left
 *   out unless `filters.status` is given. Facets count every match after filters.
 * - Empty query: all documents that pass the filters, newest `updatedAt` first.
 *
 * Memory: the source documents are kept once, in a `Map` (id -> document), for filters,
 * snippets and hits; MiniSearch stores no fields of its own.
 */
export function createEmbeddedSearchEngine(options: EmbeddedSearchOptions = {}): SearchEngine {
  const prefixMode = options.prefix ?? "last";
  let docs = new Map<string, SearchDocument>();
  let index = newIndex();
  // Writes are applied one after another so a replaceAll cannot interleave with an upsert.
  let writes: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => T | Promise<T>): Promise<T> => {
    const next = writes.then(fn, fn);
    writes = next.catch(() => undefined);
    return next;
  };

  function search(query: SearchQuery): SearchResult {
    const t0 = performance.now();
    const limit = clampInt(query.limit, DEFAULT_LIMIT, 0, MAX_LIMIT);
    const offset = clampInt(query.offset, 0, 0, Number.MAX_SAFE_INTEGER);
    const accept = filterPredicate(query.filters);
    const words = queryWords(query.q ?? "");

    let matched: { doc: SearchDocument; result?: MiniResult }[];
    if (words.length === 0) {
      matched = [];
      for (const doc of docs.values()) if (accept(doc)) matched.push({ doc });
      matched.sort((a, b) => compareDesc(a.doc.updatedAt, b.doc.updatedAt) || a.doc.id.localeCompare(b.doc.id));
    } else {
      const filter = (r: MiniResult) => {
        const doc = docs.get(r.id as string);
        return doc !== undefined && accept(doc);
      };
      const searchOptions = {
        filter,
        boost: EMBEDDED_FIELD_BOOSTS,
        fuzzy: (term: string) => typoBudget(term),
        prefix: prefixFor(words, prefixMode),
      };
      let results = index.search(buildQuery(words, "AND"), searchOptions);
      if (results.length === 0 && words.length > 1) {
        results = index.search(buildQuery(words, "OR"), searchOptions);
      }
      matched = results.map((result) => ({ doc: docs.get(result.id as string)!, result }));
    }

    const facets = countFacets(matched.map((m) => m.doc));
    const hits = matched.slice(offset, offset + limit).map(({ doc, result }) => toHit(doc, result));
    return { hits, total: matched.length, facets, tookMs: performance.now() - t0 };
  }

  return {
    name: "embedded",

    async init() {
      warmTokenizer();
    },

    upsert(input) {
      return serial(() => {
        for (const doc of input) {
          if (docs.has(doc.id)) index.discard(doc.id);
          index.add(doc);
          docs.set(doc.id, doc);
        }
      });
    },

    remove(ids) {
      return serial(() => {
        for (const id of ids) {
          if (!docs.has(id)) continue;
          index.discard(id);
          docs.delete(id);
        }
      });
    },

    replaceAll(input) {
      return serial(async () => {
        // Build aside and swap, so searches keep answering from the old index meanwhile.
        const nextDocs = new Map<string, SearchDocument>();
        for (const doc of input) nextDocs.set(doc.id, doc);
        const next = newIndex();
        await next.addAllAsync([...nextDocs.values()], { chunkSize: 200 });
        index = next;
        docs = nextDocs;
      });
    },

    async search(query) {
      return search(query);
    },

    async health(): Promise<SearchHealth> {
      return { ok: true, engine: "embedded", documents: docs.size };
    },
  };
}

function newIndex(): MiniSearch<SearchDocument> {
  return new MiniSearch<SearchDocument>({
    idField: "id",
    fields: FIELDS,
    storeFields: [],
    extractField: (doc, field) => {
      const value = (doc as unknown as Record<string, unknown>)[field];
      return Array.isArray(value) ? value.join("\n") : value;
    },
    tokenize: (text) => tokenize(text),
    // `tokenize` already lower-cases and normalises; query terms arrive processed too.
    processTerm: (term) => term,
    searchOptions: { tokenize: (text) => [text], processTerm: (term) => term },
  });
}

/**
 * The MiniSearch query tree: `op` over the words; a CamelCase word is OR(whole, AND(parts)).
 * Leaves are single, already-processed terms (the search-time tokenizer is the identity).
 */
function buildQuery(words: readonly QueryWord[], op: "AND" | "OR"): Query {
  return {
    combineWith: op,
    queries: words.map((w) =>
      w.parts.length > 0 ? { combineWith: "OR", queries: [w.whole, { combineWith: "AND", queries: w.parts }] } : w.whole,
    ),
  };
}

/** MiniSearch `prefix` option: the terms of the word being typed, or all Latin terms. */
function prefixFor(words: readonly QueryWord[], mode: "last" | "all"): (term: string) => boolean {
  const prefixed = new Set<string>();
  for (const w of words) {
    if (mode === "all" ? !/\p{Script=Han}/u.test(w.whole) : w.prefix) {
      prefixed.add(w.whole);
      // Only the last part of a CamelCase word is incomplete (`KubePodCra` -> `cra`).
      if (w.parts.length > 0) prefixed.add(w.parts[w.parts.length - 1]);
    }
  }
  return (term) => prefixed.has(term);
}

/** Returns a predicate for `filters`; archived documents fail unless a status filter is given. */
function filterPredicate(filters: SearchFilters | undefined): (doc: SearchDocument) => boolean {
  const kind = nonEmptySet(filters?.kind);
  const system = nonEmptySet(filters?.system);
  const team = nonEmptySet(filters?.team);
  const tier = nonEmptySet(filters?.tier);
  const status = nonEmptySet(filters?.status);
  return (doc) =>
    (status ? status.has(doc.status) : doc.status !== "archived") &&
    (!kind || kind.has(doc.kind)) &&
    (!system || doc.systems.some((s) => system.has(s))) &&
    (!team || doc.teams.some((t) => team.has(t))) &&
    (!tier || doc.tiers.some((t) => tier.has(t)));
}

function nonEmptySet<T>(values: readonly T[] | undefined): Set<T> | undefined {
  return values && values.length > 0 ? new Set(values) : undefined;
}

function countFacets(matches: readonly SearchDocument[]): Facets {
  const kind: Record<string, number> = {};
  const status: Record<string, number> = {};
  const system: Record<string, number> = {};
  const team: Record<string, number> = {};
  const tier: Record<string, number> = {};
  for (const doc of matches) {
    kind[doc.kind] = (kind[doc.kind] ?? 0) + 1;
    status[doc.status] = (status[doc.status] ?? 0) + 1;
    countDistinct(system, doc.systems);
    countDistinct(team, doc.teams);
    countDistinct(tier, doc.tiers);
  }
  return { kind, system, team, tier, status } satisfies Record<FacetName, Record<string, number>>;
}

/** Adds 1 to each distinct value of `values` (a document counts once per value). */
function countDistinct(bucket: Record<string, number>, values: readonly (string | number)[]): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (values.indexOf(v) !== i) continue; // duplicate within this document
    bucket[v] = (bucket[v] ?? 0) + 1;
  }
}

function toHit(doc: SearchDocument, result: MiniResult | undefined): SearchHit {
  let titleHtml: string;
  let snippet: string;
  if (result) {
    const titleTerms: string[] = [];
    const bodyTerms: string[] = [];
    for (const [term, fields] of Object.entries(result.match)) {
      if (fields.includes("title")) titleTerms.push(term);
      if (fields.includes("body")) bodyTerms.push(term);
    }
    titleHtml = titleTerms.length > 0 ? highlightHtml(doc.title, titleTerms) : escapeHtml(doc.title);
    snippet = snippetHtml(doc.body, bodyTerms, SNIPPET_CHARS);
  } else {
    titleHtml = escapeHtml(doc.title);
    snippet = snippetHtml(doc.body, [], SNIPPET_CHARS);
  }
  return {
    id: doc.id,
    slug: doc.slug,
    title: doc.title,
    titleHtml,
    kind: doc.kind,
    status: doc.status,
    systems: doc.systems,
    alerts: doc.alerts,
    snippet,
    sourcePath: doc.sourcePath,
    updatedAt: doc.updatedAt,
  };
}

function clampInt(value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.floor(value)));
}

function compareDesc(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}
