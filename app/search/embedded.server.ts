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
 * - A CamelCase query word matches as a whole (`KubePodCrashLooping`, also with typos or as a
 *   prefix); only when the whole word matches nothing are its parts AND-ed instead
 *   (`CrashLooping` finds `KubePodCrashLooping`, which is indexed with its parts too).
 * - Typos: see `typoBudget`, applied only to query words that are not in the index vocabulary
 *   (a word that exists is taken as meant; this keeps common words from dragging in their
 *   neighbours' posting lists). Prefix: the last word of the query (see `EmbeddedSearchOptions`).
 * - Filters: values within one filter are OR-ed, filters are AND-ed; archived documents are left
 *   out unless `filters.status` is given. Facets count every match after filters.
 * - Empty query: all documents that pass the filters, newest `updatedAt` first.
 *
 * Memory: the source documents are kept once, in a `Map` (id -> entry), for filters, facets,
 * snippets and hits; MiniSearch stores no fields of its own (filters read the entry through
 * MiniSearch's `filter` option). A `Map` of indexed terms to occurrence counts backs the typo rule
 * above and the choice of the rarest query word; it only grows until the next `replaceAll`.
 * Measured with `scripts/bench-search.ts`: about 140 MB of live heap for 10,000 documents of
 * 300-800 words.
 */
export function createEmbeddedSearchEngine(options: EmbeddedSearchOptions = {}): SearchEngine {
  const prefixMode = options.prefix ?? "last";
  const facetIds = new FacetRegistry();
  let state = emptyState();
  // Writes are applied one after another so a replaceAll cannot interleave with an upsert.
  let writes: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => T | Promise<T>): Promise<T> => {
    const next = writes.then(fn, fn);
    writes = next.catch(() => undefined);
    return next;
  };

  const entryOf = (doc: SearchDocument): Entry => ({
    doc,
    updated: Date.parse(doc.updatedAt) || 0,
    facets: facetIds.idsOf(doc),
  });

  function search(query: SearchQuery): SearchResult {
    const t0 = performance.now();
    const current = state;
    const { index, entries, vocabulary } = current;
    const limit = clampInt(query.limit, DEFAULT_LIMIT, 0, MAX_LIMIT);
    const offset = clampInt(query.offset, 0, 0, Number.MAX_SAFE_INTEGER);
    const accept = filterPredicate(query.filters);
    const words = queryWords(query.q ?? "");

    let matched: { entry: Entry; result?: MiniResult }[];
    if (words.length === 0) {
      current.newest ??= [...entries.values()].sort((a, b) => b.updated - a.updated || (a.doc.id < b.doc.id ? -1 : 1));
      matched = [];
      for (const entry of current.newest) if (accept(entry.doc)) matched.push({ entry });
    } else {
      const fuzzy = (term: string) => (vocabulary.has(term) ? false : typoBudget(term));
      const prefix = prefixFor(words, prefixMode);
      const filter = (r: MiniResult) => {
        const entry = entries.get(r.id as string);
        if (entry === undefined || !accept(entry.doc)) return false;
        r.entry = entry; // saves a second lookup below
        return true;
      };
      // CamelCase words: the whole word when it matches anything, else its parts.
      const resolved = words.map((w) => {
        if (w.parts.length === 0) return w;
        const wholeMatches = vocabulary.has(w.whole) || index.search(w.whole, { fuzzy, prefix }).length > 0;
        return wholeMatches ? { ...w, parts: [] } : w;
      });
      const options = { filter, boost: EMBEDDED_FIELD_BOOSTS, fuzzy, prefix };
      // MiniSearch scores every posting of every term before intersecting. Documents outside a
      // candidate set (the matches of the rarest word, or the filtered documents) are skipped
      // early through `boostDocument`, which makes AND queries with one rare word or a selective
      // filter cost about as much as their result.
      const candidates = candidateIds(resolved, vocabulary, entries, accept, query.filters, (q) => index.search(q, options));
      const boostDocument = candidates ? (id: unknown) => (candidates.has(id as string) ? 1 : 0) : undefined;
      let results = index.search(buildQuery(resolved, "AND"), { ...options, boostDocument });
      if (results.length === 0 && resolved.length > 1) {
        results = index.search(buildQuery(resolved, "OR"), options);
      }
      matched = results.map((result) => ({ entry: result.entry as Entry, result }));
    }

    const facets = facetIds.count(matched.map((m) => m.entry));
    const hits = matched.slice(offset, offset + limit).map(({ entry, result }) => toHit(entry.doc, result));
    return { hits, total: matched.length, facets, tookMs: performance.now() - t0 };
  }

  return {
    name: "embedded",

    async init() {
      warmTokenizer();
    },

    upsert(input) {
      return serial(() => {
        const { index, entries } = state;
        for (const doc of input) {
          if (entries.has(doc.id)) index.discard(doc.id);
          index.add(doc);
          entries.set(doc.id, entryOf(doc));
        }
        state.newest = undefined;
      });
    },

    remove(ids) {
      return serial(() => {
        const { index, entries } = state;
        for (const id of ids) {
          if (!entries.has(id)) continue;
          index.discard(id);
          entries.delete(id);
        }
        state.newest = undefined;
      });
    },

    replaceAll(input) {
      return serial(async () => {
        // Build aside and swap, so searches keep answering from the old index meanwhile.
        const next = emptyState();
        for (const doc of input) next.entries.set(doc.id, entryOf(doc));
        await next.index.addAllAsync([...next.entries.values()].map((e) => e.doc), { chunkSize: 50 });
        state = next;
      });
    },

    async search(query) {
      return search(query);
    },

    async health(): Promise<SearchHealth> {
      return { ok: true, engine: "embedded", documents: state.entries.size };
    },
  };
}

/** A document with what search needs precomputed. */
interface Entry {
  doc: SearchDocument;
  /** `updatedAt` in epoch milliseconds. */
  updated: number;
  /** Facet value ids (see `FacetRegistry`), each once. */
  facets: number[];
}

interface State {
  index: MiniSearch<SearchDocument>;
  entries: Map<string, Entry>;
  /** Every term ever indexed into `index` -> number of occurrences (removals do not decrement). */
  vocabulary: Map<string, number>;
  /** Entries sorted newest first, for empty queries; cleared by every write. */
  newest?: Entry[];
}

function emptyState(): State {
  const vocabulary = new Map<string, number>();
  return { index: newIndex(vocabulary), entries: new Map(), vocabulary };
}

/**
 * Numbers every (facet, value) pair once, so counting facets over thousands of matches is a loop
 * of typed-array increments.
 */
class FacetRegistry {
  private readonly ids = new Map<string, number>();
  private readonly facet: FacetName[] = [];
  private readonly value: string[] = [];

  idsOf(doc: SearchDocument): number[] {
    const out: number[] = [];
    const add = (facet: FacetName, value: string | number) => {
      const key = `${facet}\u0000${value}`;
      let id = this.ids.get(key);
      if (id === undefined) {
        id = this.facet.length;
        this.ids.set(key, id);
        this.facet.push(facet);
        this.value.push(String(value));
      }
      if (!out.includes(id)) out.push(id);
    };
    add("kind", doc.kind);
    add("status", doc.status);
    for (const v of doc.systems) add("system", v);
    for (const v of doc.teams) add("team", v);
    for (const v of doc.tiers) add("tier", v);
    return out;
  }

  count(entries: readonly Entry[]): Facets {
    const counts = new Uint32Array(this.facet.length);
    for (const entry of entries) {
      const ids = entry.facets;
      for (let i = 0; i < ids.length; i++) counts[ids[i]]++;
    }
    const facets: Facets = { kind: {}, system: {}, team: {}, tier: {}, status: {} };
    for (let id = 0; id < counts.length; id++) {
      if (counts[id] > 0) facets[this.facet[id]][this.value[id]] = counts[id];
    }
    return facets;
  }
}

function newIndex(vocabulary: Map<string, number>): MiniSearch<SearchDocument> {
  return new MiniSearch<SearchDocument>({
    idField: "id",
    fields: FIELDS,
    storeFields: [],
    extractField: (doc, field) => {
      const value = (doc as unknown as Record<string, unknown>)[field];
      return Array.isArray(value) ? value.join("\n") : value;
    },
    tokenize: (text) => {
      const terms = tokenize(text);
      for (const t of terms) vocabulary.set(t, (vocabulary.get(t) ?? 0) + 1);
      return terms;
    },
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

/**
 * Ids that can possibly match an AND query, when that set is small enough to be worth pruning
 * with (under a quarter of the documents); `undefined` otherwise.
 *
 * Source: the rarest exact (non-prefix, known) word's own matches (`searchWord`), else the
 * documents that pass the filters when filters were given.
 */
function candidateIds(
  words: readonly QueryWord[],
  vocabulary: ReadonlyMap<string, number>,
  entries: ReadonlyMap<string, Entry>,
  accept: (doc: SearchDocument) => boolean,
  filters: SearchFilters | undefined,
  searchWord: (query: Query) => MiniResult[],
): Set<string> | undefined {
  const budget = entries.size / 4;
  if (words.length > 1) {
    let rarest: QueryWord | undefined;
    let rarestCount = Infinity;
    for (const w of words) {
      const count = vocabulary.get(w.whole);
      if (w.prefix || w.parts.length > 0 || count === undefined) continue;
      if (count < rarestCount) {
        rarest = w;
        rarestCount = count;
      }
    }
    // Occurrences bound the number of documents from above.
    if (rarest && rarestCount < budget) {
      return new Set(searchWord(buildQuery([rarest], "AND")).map((r) => r.id as string));
    }
  }
  const filtered = filters && Object.values(filters).some((v) => Array.isArray(v) && v.length > 0);
  if (!filtered) return undefined;
  const ids = new Set<string>();
  for (const [id, entry] of entries) {
    if (accept(entry.doc) && ids.add(id).size > budget) return undefined;
  }
  return ids;
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
