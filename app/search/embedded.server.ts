/**
 * Embedded search engine: an in-process index for single-node installs and tests. Nothing is
 * persisted; the outbox worker or `reindex` fills it at start-up.
 *
 * Ranking follows Meilisearch's spirit with field boosts (title > alerts, tags > headings >
 * system names > body), typo tolerance by word length and prefix search on the word being typed.
 *
 * Scoring is MiniSearch's model (BM25+ per field times the field's boost; prefix and typo matches
 * weighted down; AND/OR trees whose scores add up; times the number of query terms matched), but
 * we compute it ourselves over the compact typed-array index of `inverted-index.ts`. That index
 * keeps MiniSearch's radix tree (`SearchableMap`) for term look-up and typo tolerance. MiniSearch
 * scored every posting of every query term into `Map`s of result objects before intersecting, so
 * a query with a common word took tens of milliseconds, and its index held most of the heap.
 * Here:
 * - an AND query scores its cheapest word first and then each other word only over the documents
 *   still in the running (scores are added in query order, so the result is the same);
 * - filters are a byte mask per document, built from per-value document lists and checked per
 *   posting;
 * - only the requested page is selected (a bounded heap) and explained (which of the terms it
 *   matched to highlight);
 * - facets are counted from flat per-document id arrays (`SlotTable`), or, when a query matches
 *   most documents, as the visible documents' counts minus the others';
 * - a prefix or a typo expands to at most 50 vocabulary terms (the most frequent, the closest).
 *
 * The results were checked identical to the MiniSearch implementation (totals, facets, order,
 * highlights) on the benchmark's documents and queries. `scripts/bench-search.ts` on 10,000
 * generated documents: p95 went from 64 ms to under 5 ms, RSS after queries from ~550 MB to
 * ~250 MB.
 */
import { highlightHtml, snippetHtml, escapeHtml, SNIPPET_CHARS } from "./highlight";
import { ensure, InvertedIndex, NO_HITS, selectTop, type Expansion, type Hits } from "./inverted-index";
import { queryWords, tokenize, warmTokenizer, type QueryWord } from "./tokenize";
import {
  FACET_NAMES,
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
const TITLE = FIELDS.indexOf("title");
const BODY = FIELDS.indexOf("body");
const HIGHLIGHTED_FIELDS = [TITLE, BODY];

/** MiniSearch's default weights of prefix and fuzzy matches (before the length adjustment). */
const PREFIX_WEIGHT = 0.375;
const FUZZY_WEIGHT = 0.45;

/**
 * A query term matches at most this many longer terms as a prefix, and as many terms within its
 * typo budget: the most frequent ones (typing `inc` should not score 20,000 ticket numbers
 * `INC1234567`, each in one or two documents).
 */
const MAX_EXPANSIONS = 50;

/**
 * At most this many distinct query terms (words and CamelCase parts) are searched; later words
 * are ignored (Meilisearch stops at 10 words). A 32-bit mask per document tracks them.
 */
const MAX_QUERY_TERMS = 32;

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
 * @returns `false` or the maximum Levenshtein distance (1 or 2).
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
 *   first, because the score is multiplied by the number of matched query terms).
 * - A CamelCase query word matches as a whole (`KubePodCrashLooping`, also with typos or as a
 *   prefix); only when the whole word matches nothing are its parts AND-ed instead
 *   (`CrashLooping` finds `KubePodCrashLooping`, which is indexed with its parts too).
 * - Typos: see `typoBudget`, applied only to query words that are not in the index vocabulary
 *   (a word that exists is taken as meant; this keeps common words from dragging in their
 *   neighbours' posting lists). Prefix: the last word of the query (see `EmbeddedSearchOptions`);
 *   every vocabulary term starting with it matches, weighted down by the characters it adds.
 * - Filters: values within one filter are OR-ed, filters are AND-ed; archived documents are left
 *   out unless `filters.status` is given. Facets count every match after filters.
 * - Empty query: all documents that pass the filters, newest `updatedAt` first.
 * - Equal scores rank in indexing order.
 *
 * Memory: the source documents are kept once, as the index's per-document payload (for facets,
 * snippets and hits); the index itself is typed arrays (see `inverted-index.ts`). The vocabulary
 * only grows until the next `replaceAll`.
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

  const removeDocument = (target: State, id: string) => {
    const slot = target.index.slotOf(id);
    if (slot === undefined) return;
    target.table.remove(slot);
    target.index.remove(id);
  };

  const addDocument = (target: State, doc: SearchDocument) => {
    removeDocument(target, doc.id);
    const entry: Entry = { doc, updated: Date.parse(doc.updatedAt) || 0, facets: facetIds.idsOf(doc), archived: doc.status === "archived" };
    const slot = target.index.add(
      doc.id,
      FIELDS.map((field) => tokenize(fieldText(doc, field))),
      entry,
    );
    target.table.add(slot, entry);
  };

  /** Compaction moves slots: the table follows. */
  const compacted = (target: State) => {
    target.table = SlotTable.of(target.index);
  };

  function search(query: SearchQuery): SearchResult {
    const t0 = performance.now();
    const { index, table } = state;
    const limit = clampInt(query.limit, DEFAULT_LIMIT, 0, MAX_LIMIT);
    const offset = clampInt(query.offset, 0, 0, Number.MAX_SAFE_INTEGER);
    const allow = hasFilters(query.filters) ? facetIds.allowMask(table, query.filters) : table.visible;
    const words = queryWords(query.q ?? "");

    let matched: Int32Array;
    let hits: SearchHit[];
    if (words.length === 0) {
      const newest = table.newest();
      matched = new Int32Array(newest.length);
      let n = 0;
      for (let i = 0; i < newest.length; i++) if (allow[newest[i]] === 1) matched[n++] = newest[i];
      matched = matched.subarray(0, n);
      hits = Array.from(matched.subarray(offset, offset + limit), (slot) => toHit(index.payload(slot)!.doc));
    } else {
      const plan = new QueryPlan(index, words, prefixMode);
      let tree = plan.tree("AND");
      let found = evaluate(index, tree, allow);
      if (found.slots.length === 0 && plan.wordCount > 1) {
        tree = plan.tree("OR");
        found = evaluate(index, tree, allow);
      }
      matched = found.slots;
      const ranked = rank(found, offset + limit).subarray(offset);
      const terms = matchedTerms(index, tree, found, ranked);
      hits = Array.from(ranked, (i, j) => toHit(index.payload(found.slots[i])!.doc, terms.title[j], terms.body[j]));
    }

    const facets = facetIds.count(table, matched, allow === table.visible);
    return { hits, total: matched.length, facets, tookMs: performance.now() - t0 };
  }

  return {
    name: "embedded",

    async init() {
      warmTokenizer();
    },

    upsert(input) {
      return serial(() => {
        for (const doc of input) addDocument(state, doc);
        if (state.index.maybeCompact()) compacted(state);
      });
    },

    remove(ids) {
      return serial(() => {
        for (const id of ids) removeDocument(state, id);
        if (state.index.maybeCompact()) compacted(state);
      });
    },

    replaceAll(input) {
      return serial(async () => {
        // Build aside and swap, so searches keep answering from the old index meanwhile.
        const next = emptyState();
        let added = 0;
        for (const doc of input) {
          addDocument(next, doc);
          if (++added % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
        }
        next.index.compact();
        compacted(next);
        state = next;
      });
    },

    async search(query) {
      return search(query);
    },

    async health(): Promise<SearchHealth> {
      return { ok: true, engine: "embedded", documents: state.index.size };
    },
  };
}

/** What search needs of a document, kept as the index payload. */
interface Entry {
  doc: SearchDocument;
  /** `updatedAt` in epoch milliseconds. */
  updated: number;
  /** Facet value ids (see `FacetRegistry`), each once. */
  facets: number[];
  archived: boolean;
}

interface State {
  index: InvertedIndex<Entry>;
  table: SlotTable;
}

function emptyState(): State {
  return { index: new InvertedIndex<Entry>(FIELDS.map((f) => EMBEDDED_FIELD_BOOSTS[f])), table: new SlotTable() };
}

/**
 * Per-slot data that filters and facets read for thousands of documents per query, in flat
 * typed arrays (following each document's own objects costs a cache miss or three per
 * document). Kept up to date by every write; rebuilt when the index compacts (slots move).
 */
class SlotTable {
  /** 1 for the slots of non-archived documents (the unfiltered `allow` mask). */
  visible = new Uint8Array(0);
  /** 1 for the slots of archived documents. */
  archived = new Uint8Array(0);
  visibleCount = 0;
  /** Facet value ids of slot `s`: `facetIds[facetStart[s] .. facetStart[s + 1]]`. */
  facetStart = new Int32Array(1);
  facetIds = new Uint32Array(0);
  /** Slots with facet value id `v`, ascending (removed ones too, until the next rebuild). */
  valueSlots: number[][] = [];
  /** Facet counts over the visible documents, by value id. */
  visibleCounts = new Uint32Array(0);
  private size = 0;
  private updated = new Float64Array(0);
  private readonly ids: string[] = [];
  /** Slots of all documents, newest first (then by id); built by the first empty query. */
  private newestOrder: number[] | undefined;

  static of(index: InvertedIndex<Entry>): SlotTable {
    const table = new SlotTable();
    for (let slot = 0; slot < index.slotCount; slot++) {
      const entry = index.payload(slot);
      if (entry) table.add(slot, entry);
    }
    return table;
  }

  /** Records the document in `slot`, which is above every slot added before. */
  add(slot: number, entry: Entry): void {
    this.visible = ensure(this.visible, slot + 1);
    this.archived = ensure(this.archived, slot + 1);
    this.updated = ensure(this.updated, slot + 1);
    this.facetStart = ensure(this.facetStart, slot + 2);
    for (let s = this.size; s < slot; s++) this.facetStart[s + 1] = this.facetStart[s];
    this.size = slot + 1;
    const start = this.facetStart[slot];
    this.facetIds = ensure(this.facetIds, start + entry.facets.length);
    entry.facets.forEach((v, i) => {
      this.facetIds[start + i] = v;
      (this.valueSlots[v] ??= []).push(slot);
    });
    this.facetStart[slot + 1] = start + entry.facets.length;
    this.updated[slot] = entry.updated;
    this.ids[slot] = entry.doc.id;
    if (entry.archived) {
      this.archived[slot] = 1;
    } else {
      this.visible[slot] = 1;
      this.visibleCount++;
      this.countVisible(slot, 1);
    }
    if (this.newestOrder) this.newestOrder.splice(this.newestPosition(slot), 0, slot);
  }

  remove(slot: number): void {
    if (this.newestOrder) {
      const i = this.newestPosition(slot);
      if (this.newestOrder[i] === slot) this.newestOrder.splice(i, 1);
    }
    if (this.visible[slot] === 1) {
      this.visible[slot] = 0;
      this.visibleCount--;
      this.countVisible(slot, -1);
    }
    this.archived[slot] = 0;
  }

  /** Slots of all documents (archived ones too), newest first. */
  newest(): readonly number[] {
    if (!this.newestOrder) {
      const slots: number[] = [];
      for (let slot = 0; slot < this.size; slot++) if (this.visible[slot] === 1 || this.archived[slot] === 1) slots.push(slot);
      this.newestOrder = slots.sort((a, b) => this.compareNewest(a, b));
    }
    return this.newestOrder;
  }

  private compareNewest(a: number, b: number): number {
    return this.updated[b] - this.updated[a] || (this.ids[a] < this.ids[b] ? -1 : this.ids[a] > this.ids[b] ? 1 : 0);
  }

  /** Where `slot` is, or would go, in `newestOrder`. */
  private newestPosition(slot: number): number {
    const order = this.newestOrder!;
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compareNewest(order[mid], slot) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private countVisible(slot: number, delta: number): void {
    for (let p = this.facetStart[slot]; p < this.facetStart[slot + 1]; p++) {
      const v = this.facetIds[p];
      this.visibleCounts = ensure(this.visibleCounts, v + 1);
      this.visibleCounts[v] += delta;
    }
  }
}

function fieldText(doc: SearchDocument, field: IndexedField): string {
  const value = doc[field];
  return Array.isArray(value) ? value.join("\n") : value;
}

function hasFilters(filters: SearchFilters | undefined): filters is SearchFilters {
  return !!filters && Object.values(filters).some((v) => Array.isArray(v) && v.length > 0);
}

/**
 * Numbers every (facet, value) pair once, so filtering and counting facets over thousands of
 * matches are loops over small typed arrays.
 */
class FacetRegistry {
  private readonly ids = new Map<string, number>();
  private readonly facet: FacetName[] = [];
  private readonly value: string[] = [];

  private key(facet: FacetName, value: string | number): string {
    return `${facet}\u0000${value}`;
  }

  idsOf(doc: SearchDocument): number[] {
    const out: number[] = [];
    const add = (facet: FacetName, value: string | number) => {
      const key = this.key(facet, value);
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

  /**
   * 1 for the slots whose document passes `filters` (archived ones only with a status filter).
   * Walks the slot lists of the requested values only: `passed[slot]` counts the filters a slot
   * has passed so far, in order, so each filter counts once however many of its values match.
   */
  allowMask(table: SlotTable, filters: SearchFilters): Uint8Array {
    const { visible, archived, valueSlots } = table;
    const passed = new Uint8Array(visible.length);
    let groups = 0;
    for (const facet of FACET_NAMES) {
      const values = filters[facet];
      if (!values || values.length === 0) continue;
      for (const v of values) {
        const id = this.ids.get(this.key(facet, v));
        const slots = id === undefined ? undefined : valueSlots[id];
        if (!slots) continue;
        for (let i = 0; i < slots.length; i++) {
          const slot = slots[i];
          if (passed[slot] === groups) passed[slot] = groups + 1;
        }
      }
      groups++;
    }
    const archivedToo = !!filters.status && filters.status.length > 0;
    for (let slot = 0; slot < passed.length; slot++) {
      passed[slot] = passed[slot] === groups && (visible[slot] === 1 || (archivedToo && archived[slot] === 1)) ? 1 : 0;
    }
    return passed;
  }

  /**
   * Facet counts over `slots` (distinct). When they are most of the visible documents (an
   * unfiltered empty or broad query), the visible documents' counts minus those of the others.
   */
  count(table: SlotTable, slots: ArrayLike<number>, unfiltered: boolean): Facets {
    let counts: Uint32Array;
    if (unfiltered && slots.length * 2 > table.visibleCount) {
      counts = new Uint32Array(this.facet.length);
      counts.set(table.visibleCounts.subarray(0, counts.length));
      if (slots.length < table.visibleCount) {
        const matched = new Uint8Array(table.visible.length);
        for (let i = 0; i < slots.length; i++) matched[slots[i]] = 1;
        const { visible, facetStart, facetIds } = table;
        for (let slot = 0; slot < visible.length; slot++) {
          if (visible[slot] === 0 || matched[slot] === 1) continue;
          for (let p = facetStart[slot], end = facetStart[slot + 1]; p < end; p++) counts[facetIds[p]]--;
        }
      }
    } else {
      counts = new Uint32Array(this.facet.length);
      const { facetStart, facetIds } = table;
      for (let i = 0; i < slots.length; i++) {
        for (let p = facetStart[slots[i]], end = facetStart[slots[i] + 1]; p < end; p++) counts[facetIds[p]]++;
      }
    }
    const facets: Facets = { kind: {}, system: {}, team: {}, tier: {}, status: {} };
    for (let id = 0; id < counts.length; id++) {
      if (counts[id] > 0) facets[this.facet[id]][this.value[id]] = counts[id];
    }
    return facets;
  }
}

// ---------------------------------------------------------------------------------------------
// Queries

/** A query tree: a leaf is one query term with its vocabulary expansions. */
type QueryNode = QueryLeaf | { op: "AND" | "OR"; children: QueryNode[]; cost: number };

interface QueryLeaf {
  op: "TERM";
  /** This term's bit in `Hits.masks`. */
  bit: number;
  expansions: Expansion[];
  /** Postings to read: an upper bound of the documents it matches. */
  cost: number;
}

/** The words of one query, resolved against the vocabulary. */
class QueryPlan {
  private readonly words: QueryWord[];
  private readonly prefixed: Set<string>;
  private readonly expanded = new Map<string, Expansion[]>();
  private readonly bits = new Map<string, number>();

  constructor(
    private readonly index: InvertedIndex<Entry>,
    words: readonly QueryWord[],
    prefixMode: "last" | "all",
  ) {
    this.prefixed = prefixedTerms(words, prefixMode);
    // CamelCase words: the whole word when it matches anything, else its parts.
    const resolved = words.map((w) => (w.parts.length > 0 && this.matchesAnything(w.whole) ? { ...w, parts: [] } : w));
    const terms = new Set<string>();
    this.words = [];
    for (const w of resolved) {
      const next = new Set([...terms, w.whole, ...w.parts]);
      if (next.size > MAX_QUERY_TERMS) break;
      for (const t of next) terms.add(t);
      this.words.push(w);
    }
  }

  get wordCount(): number {
    return this.words.length;
  }

  /** `op` over the words; a CamelCase word is OR(whole, AND(parts)). */
  tree(op: "AND" | "OR"): QueryNode {
    return branch(
      op,
      this.words.map((w) =>
        w.parts.length > 0 ? branch("OR", [this.leaf(w.whole), branch("AND", w.parts.map((p) => this.leaf(p)))]) : this.leaf(w.whole),
      ),
    );
  }

  private leaf(term: string): QueryLeaf {
    let bit = this.bits.get(term);
    if (bit === undefined) {
      bit = (1 << this.bits.size) >>> 0;
      this.bits.set(term, bit);
    }
    const expansions = this.expansions(term);
    let cost = 0;
    for (const e of expansions) cost += this.index.postingCount(e.term);
    return { op: "TERM", bit, expansions, cost };
  }

  private matchesAnything(term: string): boolean {
    return this.index.termId(term) !== undefined || this.expansions(term).some((e) => this.index.hasDocuments(e.term));
  }

  /**
   * The vocabulary terms a query term matches: itself (weight 1); when it is being typed, the
   * longer terms it starts (MiniSearch's prefix weight, lower the more characters are added); when
   * it is not in the vocabulary, the terms within its typo budget (MiniSearch's fuzzy weight).
   * Prefix and typo matches are each capped at `MAX_EXPANSIONS` (the most frequent, the closest).
   */
  private expansions(term: string): Expansion[] {
    let out = this.expanded.get(term);
    if (out) return out;
    const index = this.index;
    out = [];
    const id = index.termId(term);
    if (id !== undefined) out.push({ term: id, weight: 1 });
    const prefix = this.prefixed.has(term);
    if (prefix) {
      for (const t of index.extensions(term, MAX_EXPANSIONS)) {
        const length = index.term(t).length;
        out.push({ term: t, weight: (PREFIX_WEIGHT * length) / (length + 0.3 * (length - term.length)) });
      }
    }
    const typos = id === undefined ? typoBudget(term) : false;
    if (typos) {
      const near: { term: number; distance: number; postings: number; text: string }[] = [];
      for (const [t, [tid, distance]] of index.fuzzy(term, typos)) {
        // A term the prefix matches counts as a prefix match.
        if (distance === 0 || (prefix && t.startsWith(term))) continue;
        near.push({ term: tid, distance, postings: index.postingCount(tid), text: t });
      }
      const closest = selectTop(near, MAX_EXPANSIONS, (a, b) => a.distance - b.distance || b.postings - a.postings || (a.text < b.text ? -1 : 1));
      for (const { term: tid, distance, text } of closest) {
        out.push({ term: tid, weight: (FUZZY_WEIGHT * text.length) / (text.length + distance) });
      }
    }
    this.expanded.set(term, out);
    return out;
  }
}

function branch(op: "AND" | "OR", children: QueryNode[]): QueryNode {
  if (children.length === 1) return children[0];
  let cost = op === "AND" ? Infinity : 0;
  for (const c of children) cost = op === "AND" ? Math.min(cost, c.cost) : cost + c.cost;
  return { op, children, cost };
}

/** The query terms matched as prefixes: those of the word being typed, or all Latin terms. */
function prefixedTerms(words: readonly QueryWord[], mode: "last" | "all"): Set<string> {
  const prefixed = new Set<string>();
  for (const w of words) {
    if (mode === "all" ? !/\p{Script=Han}/u.test(w.whole) : w.prefix) {
      prefixed.add(w.whole);
      // Only the last part of a CamelCase word is incomplete (`KubePodCra` -> `cra`).
      if (w.parts.length > 0) prefixed.add(w.parts[w.parts.length - 1]);
    }
  }
  return prefixed;
}

/**
 * Matches and scores of a query tree among the `allow`ed slots. An AND scores its cheapest child
 * first and each further child only over the documents that are still candidates, then adds the
 * children's scores up in query order (so the result does not depend on the evaluation order).
 */
function evaluate(index: InvertedIndex<Entry>, node: QueryNode, allow: Uint8Array): Hits {
  if (node.op === "TERM") return index.score(node.expansions, allow, node.bit);
  if (node.op === "OR") {
    let out = NO_HITS;
    for (const child of node.children) out = combine(out, evaluate(index, child, allow), false);
    return out;
  }
  const order = node.children.map((_, i) => i).sort((a, b) => node.children[a].cost - node.children[b].cost);
  const results: Hits[] = new Array(order.length);
  let candidates = allow;
  for (let i = 0; i < order.length; i++) {
    const hits = evaluate(index, node.children[order[i]], candidates);
    if (hits.slots.length === 0) return NO_HITS;
    results[order[i]] = hits;
    if (i < order.length - 1) {
      candidates = new Uint8Array(allow.length);
      for (let j = 0; j < hits.slots.length; j++) candidates[hits.slots[j]] = 1;
    }
  }
  return results.reduce((a, b) => combine(a, b, true));
}

/** Intersection (`and`) or union of two sorted hit lists; scores add up, masks are OR-ed. */
function combine(a: Hits, b: Hits, and: boolean): Hits {
  if (!and && a.slots.length === 0) return b;
  if (!and && b.slots.length === 0) return a;
  const cap = and ? Math.min(a.slots.length, b.slots.length) : a.slots.length + b.slots.length;
  const slots = new Int32Array(cap);
  const scores = new Float64Array(cap);
  const masks = new Uint32Array(cap);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.slots.length && j < b.slots.length) {
    const x = a.slots[i];
    const y = b.slots[j];
    if (x === y) {
      slots[n] = x;
      scores[n] = a.scores[i] + b.scores[j];
      masks[n++] = a.masks[i++] | b.masks[j++];
    } else if (x < y) {
      if (!and) {
        slots[n] = x;
        scores[n] = a.scores[i];
        masks[n++] = a.masks[i];
      }
      i++;
    } else {
      if (!and) {
        slots[n] = y;
        scores[n] = b.scores[j];
        masks[n++] = b.masks[j];
      }
      j++;
    }
  }
  if (!and) {
    for (; i < a.slots.length; i++, n++) {
      slots[n] = a.slots[i];
      scores[n] = a.scores[i];
      masks[n] = a.masks[i];
    }
    for (; j < b.slots.length; j++, n++) {
      slots[n] = b.slots[j];
      scores[n] = b.scores[j];
      masks[n] = b.masks[j];
    }
  }
  return { slots: slots.subarray(0, n), scores: scores.subarray(0, n), masks: masks.subarray(0, n) };
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/**
 * Indexes into `hits` of the best `k` documents, best first: score times the number of query
 * terms matched (MiniSearch's "quality"), then indexing order. Selects with a bounded heap, so
 * only `k` of possibly thousands of matches are sorted.
 */
function rank(hits: Hits, k: number): Uint32Array {
  const n = hits.slots.length;
  k = Math.min(k, n);
  const score = new Float64Array(n);
  for (let i = 0; i < n; i++) score[i] = hits.scores[i] * popcount(hits.masks[i]);
  // `hits` is ascending by slot, so the index breaks ties by indexing order.
  const before = (a: number, b: number) => score[a] > score[b] || (score[a] === score[b] && a < b);
  if (k === 0) return new Uint32Array(0);
  if (k * 4 >= n) {
    const all = new Uint32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    all.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
    return all.subarray(0, k);
  }
  // Max-heap on "worst first" of the k best so far.
  const heap = new Uint32Array(k);
  let size = 0;
  const siftDown = (from: number) => {
    let p = from;
    for (;;) {
      const l = 2 * p + 1;
      if (l >= size) break;
      const r = l + 1;
      const worst = r < size && before(heap[l], heap[r]) ? r : l;
      if (!before(heap[p], heap[worst])) break;
      [heap[p], heap[worst]] = [heap[worst], heap[p]];
      p = worst;
    }
  };
  for (let i = 0; i < n; i++) {
    if (size < k) {
      let c = size++;
      heap[c] = i;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!before(heap[p], heap[c])) break;
        [heap[p], heap[c]] = [heap[c], heap[p]];
        c = p;
      }
    } else if (before(i, heap[0])) {
      heap[0] = i;
      siftDown(0);
    }
  }
  return heap.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
}

/**
 * The vocabulary terms to highlight in the title and body of the ranked documents: the
 * expansions of every query term the document matched, found in its own postings.
 */
function matchedTerms(index: InvertedIndex<Entry>, tree: QueryNode, hits: Hits, ranked: Uint32Array): { title: string[][]; body: string[][] } {
  const title = Array.from(ranked, () => [] as string[]);
  const body = Array.from(ranked, () => [] as string[]);
  if (ranked.length === 0) return { title, body };
  const mark = new Uint8Array(index.slotCount);
  const position = new Map<number, number>();
  ranked.forEach((i, j) => {
    mark[hits.slots[i]] = 1;
    position.set(hits.slots[i], j);
  });
  const visit = (node: QueryNode) => {
    if (node.op !== "TERM") return node.children.forEach(visit);
    const terms = node.expansions.map((e) => e.term);
    index.forEachPosting(terms, HIGHLIGHTED_FIELDS, mark, (slot, term, field) => {
      const j = position.get(slot)!;
      if ((hits.masks[ranked[j]] & node.bit) === 0) return;
      const list = field === TITLE ? title[j] : body[j];
      const text = index.term(term);
      if (!list.includes(text)) list.push(text);
    });
  };
  visit(tree);
  return { title, body };
}

function toHit(doc: SearchDocument, titleTerms: readonly string[] = [], bodyTerms: readonly string[] = []): SearchHit {
  return {
    id: doc.id,
    slug: doc.slug,
    title: doc.title,
    titleHtml: titleTerms.length > 0 ? highlightHtml(doc.title, titleTerms) : escapeHtml(doc.title),
    kind: doc.kind,
    status: doc.status,
    systems: doc.systems,
    alerts: doc.alerts,
    snippet: snippetHtml(doc.body, bodyTerms, SNIPPET_CHARS),
    sourcePath: doc.sourcePath,
    updatedAt: doc.updatedAt,
  };
}

function clampInt(value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.floor(value)));
}
