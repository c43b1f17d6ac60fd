/**
 * The compact inverted index behind the embedded engine (`embedded.server.ts`).
 *
 * Why not MiniSearch's own index: MiniSearch keeps a `Map` of document -> term frequency per
 * (term, field) and scores every posting of every query term into `Map`s of result objects
 * before intersecting and sorting. On 10,000 runbooks a common word ("database") has thousands of
 * postings, so one query allocated tens of thousands of objects (p95 ~64 ms, ~140 MB of heap for
 * the index alone). This index keeps the same model and the same scores, in typed arrays:
 *
 * - Documents live in dense *slots* (0, 1, 2, ...): `fieldLength[field][slot]` is the number of
 *   distinct terms of the field (MiniSearch's field length), `alive[slot]` says whether the slot
 *   still holds a document. Removing a document only clears its slot.
 * - Terms get ids (`terms[id]`); MiniSearch's radix tree (`SearchableMap`) maps a term to its id
 *   and answers fuzzy (Levenshtein) look-ups; prefix look-ups binary-search an array of the ids
 *   sorted by term.
 * - Postings are keyed by `term * F + field` and stored CSR-style: `mainStart[key]` ..
 *   `mainStart[key + 1]` index `mainSlots` (ascending) and `mainTfs` (term frequency). Documents
 *   added since the last compaction are appended to a log (`logKey`, `logSlot`, `logTf`) that
 *   searches read too; `compact()` merges the log into the CSR arrays, drops the postings of
 *   removed documents and renumbers the slots densely. `replaceAll` compacts once at the end;
 *   upserts and removals compact when the log plus the dead postings exceed an eighth of the
 *   index (at least `compactAfter` postings).
 * - `docFreq[key]` is the number of documents with the term in the field. Like MiniSearch's
 *   `discard`, removals do not decrement it until the next compaction (so a removed document
 *   still counts in its terms' IDF for a while); the document count and average field lengths
 *   are always exact.
 *
 * Scoring is MiniSearch's BM25+ (k 1.2, b 0.7, d 0.5) summed over fields with a boost per field,
 * times a weight per matched vocabulary term (1 for the exact term, less for prefix and fuzzy
 * expansions; see `embedded.server.ts`). `score()` accumulates one query term into dense scratch
 * arrays and returns the matching slots in ascending order, skipping slots not allowed by the
 * caller's `allow` mask (filters, or the candidates of an AND query).
 */
import SearchableMap from "minisearch/SearchableMap";

/** MiniSearch's BM25+ defaults. */
export const BM25 = { k: 1.2, b: 0.7, d: 0.5 } as const;

/** A vocabulary term a query term expands to, and the weight of its matches. */
export interface Expansion {
  term: number;
  weight: number;
}

/** Documents matched by (part of) a query, ascending by slot. */
export interface Hits {
  slots: Int32Array;
  scores: Float64Array;
  /** Bit set of the query's source terms that matched the document. */
  masks: Uint32Array;
}

export const NO_HITS: Hits = { slots: new Int32Array(0), scores: new Float64Array(0), masks: new Uint32Array(0) };

export interface InvertedIndexOptions {
  /** Minimum number of log + dead postings before a write compacts (default 50,000). */
  compactAfter?: number;
}

/** The first `k` items of `items` in `compare` order (a bounded heap; `items` is reordered). */
export function selectTop<T>(items: T[], k: number, compare: (a: T, b: T) => number): T[] {
  if (items.length <= k) return items.sort(compare);
  // Max-heap (by `compare`, the worst item on top) of the best k seen so far.
  const heap = items.slice(0, k);
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      if (l >= k) return;
      const c = l + 1 < k && compare(heap[l + 1], heap[l]) > 0 ? l + 1 : l;
      if (compare(heap[c], heap[i]) <= 0) return;
      [heap[c], heap[i]] = [heap[i], heap[c]];
      i = c;
    }
  };
  for (let i = (k >> 1) - 1; i >= 0; i--) down(i);
  for (let i = k; i < items.length; i++) {
    if (compare(items[i], heap[0]) < 0) {
      heap[0] = items[i];
      down(0);
    }
  }
  return heap.sort(compare);
}

type TypedArray = Int32Array | Uint32Array | Uint16Array | Uint8Array | Float64Array;

/** Returns `a`, or a copy of it with room for at least `min` elements (capacity doubles). */
export function ensure<A extends TypedArray>(a: A, min: number): A {
  if (a.length >= min) return a;
  let n = Math.max(64, a.length * 2);
  while (n < min) n *= 2;
  const b = new (a.constructor as new (length: number) => A)(n);
  b.set(a as never);
  return b;
}

export class InvertedIndex<T> {
  readonly fieldCount: number;
  private readonly boosts: Float64Array;
  private readonly compactAfter: number;

  // Documents, by slot.
  private slotsUsed = 0;
  private liveCount = 0;
  private readonly ids: (string | undefined)[] = [];
  private readonly payloads: (T | undefined)[] = [];
  private readonly slotById = new Map<string, number>();
  private alive = new Uint8Array(0);
  /** Per field, by slot (field-major, so scoring a posting list reads it in order). */
  private fieldLength: Uint32Array[];
  private postingsOf = new Uint32Array(0);
  private readonly totalLength: Float64Array;

  // Vocabulary.
  private readonly terms: string[] = [];
  private readonly termIds = new SearchableMap<number>();
  /** Ids `0 .. sortedCount - 1`, sorted by term; later ids are scanned linearly until compaction. */
  private sorted = new Int32Array(0);
  private sortedCount = 0;

  // Postings.
  private docFreq = new Int32Array(0);
  /** Per term: postings over all fields (like `docFreq`, removals count until compaction). */
  private termPostings = new Int32Array(0);
  private mainKeys = 0;
  private mainStart = new Int32Array(1);
  private mainSlots = new Int32Array(0);
  private mainTfs = new Uint16Array(0);
  private logKey = new Int32Array(0);
  private logSlot = new Int32Array(0);
  private logTf = new Uint16Array(0);
  private logLength = 0;
  /**
   * Log positions by key: built by the first search that needs it (not during a bulk load, which
   * no search reads before `compact`), then kept up to date by `add`.
   */
  private logByKey: Map<number, number[]> | undefined;
  private deadPostings = 0;

  // Scratch for `score` (searches are synchronous, so one set per index is enough).
  private acc = new Float64Array(0);
  private seen = new Uint8Array(0);
  private stamp = new Uint32Array(0);
  private touched = new Int32Array(0);
  private epoch = 0;
  private readonly counts = new Map<string, number>();

  /** @param boosts score multiplier of each field, in field order. */
  constructor(boosts: readonly number[], options: InvertedIndexOptions = {}) {
    this.fieldCount = boosts.length;
    this.boosts = Float64Array.from(boosts);
    this.totalLength = new Float64Array(boosts.length);
    this.fieldLength = boosts.map(() => new Uint32Array(0));
    this.compactAfter = options.compactAfter ?? 50_000;
  }

  /** Number of documents. */
  get size(): number {
    return this.liveCount;
  }

  /** Slots are `0 .. slotCount - 1`; some may be empty. */
  get slotCount(): number {
    return this.slotsUsed;
  }

  has(id: string): boolean {
    return this.slotById.has(id);
  }

  payload(slot: number): T | undefined {
    return this.payloads[slot];
  }

  slotOf(id: string): number | undefined {
    return this.slotById.get(id);
  }

  /**
   * Indexes a document. `fields[f]` are the terms of field `f` in order, with repetitions.
   * The id must not be in the index (remove it first). Returns the document's slot (the next
   * one: slots only grow until `compact`).
   */
  add(id: string, fields: readonly (readonly string[])[], payload: T): number {
    if (this.slotById.has(id)) throw new Error(`InvertedIndex: duplicate id ${id}`);
    const F = this.fieldCount;
    const slot = this.slotsUsed++;
    this.alive = ensure(this.alive, slot + 1);
    this.postingsOf = ensure(this.postingsOf, slot + 1);
    for (let f = 0; f < F; f++) this.fieldLength[f] = ensure(this.fieldLength[f], slot + 1);
    let postings = 0;
    const counts = this.counts;
    for (let f = 0; f < F; f++) {
      counts.clear();
      for (const t of fields[f] ?? []) counts.set(t, (counts.get(t) ?? 0) + 1);
      this.fieldLength[f][slot] = counts.size;
      this.totalLength[f] += counts.size;
      for (const [t, tf] of counts) {
        const id = this.intern(t);
        const key = id * F + f;
        this.docFreq[key]++;
        this.termPostings[id]++;
        this.appendLog(key, slot, tf);
        postings++;
      }
    }
    counts.clear();
    this.postingsOf[slot] = postings;
    this.alive[slot] = 1;
    this.liveCount++;
    this.ids[slot] = id;
    this.payloads[slot] = payload;
    this.slotById.set(id, slot);
    return slot;
  }

  /** Removes a document; false when the id is unknown. */
  remove(id: string): boolean {
    const slot = this.slotById.get(id);
    if (slot === undefined) return false;
    const F = this.fieldCount;
    for (let f = 0; f < F; f++) this.totalLength[f] -= this.fieldLength[f][slot];
    this.alive[slot] = 0;
    this.liveCount--;
    this.deadPostings += this.postingsOf[slot];
    this.ids[slot] = undefined;
    this.payloads[slot] = undefined;
    this.slotById.delete(id);
    return true;
  }

  /** Compacts when the log and the removed documents' postings have grown large; true if it did. */
  maybeCompact(): boolean {
    const pending = this.logLength + this.deadPostings;
    if (pending === 0 || pending < Math.max(this.compactAfter, this.mainSlots.length / 8)) return false;
    this.compact();
    return true;
  }

  /**
   * Merges the log into the CSR arrays, drops removed documents' postings, renumbers slots
   * densely (in their current order) and recounts document frequencies. Slots change: callers
   * must drop anything cached by slot.
   */
  compact(): void {
    const F = this.fieldCount;
    const oldSlots = this.slotsUsed;
    const renumber = new Int32Array(oldSlots);
    let live = 0;
    for (let s = 0; s < oldSlots; s++) renumber[s] = this.alive[s] ? live++ : -1;

    const keys = this.terms.length * F;
    const start = new Int32Array(keys + 1);
    const { mainStart, mainSlots, mainTfs, logKey, logSlot, logTf, alive } = this;
    for (let key = 0; key < this.mainKeys; key++) {
      let n = 0;
      for (let p = mainStart[key]; p < mainStart[key + 1]; p++) n += alive[mainSlots[p]];
      start[key + 1] = n;
    }
    for (let i = 0; i < this.logLength; i++) if (alive[logSlot[i]]) start[logKey[i] + 1]++;
    const docFreq = new Int32Array(Math.max(this.docFreq.length, keys));
    const termPostings = new Int32Array(Math.max(this.termPostings.length, this.terms.length));
    for (let key = 0; key < keys; key++) {
      docFreq[key] = start[key + 1];
      termPostings[(key / F) | 0] += start[key + 1];
      start[key + 1] += start[key];
    }
    const total = start[keys];
    const slots = new Int32Array(total);
    const tfs = new Uint16Array(total);
    const cursor = start.slice(0, keys);
    for (let key = 0; key < this.mainKeys; key++) {
      let c = cursor[key];
      for (let p = mainStart[key]; p < mainStart[key + 1]; p++) {
        const s = mainSlots[p];
        if (!alive[s]) continue;
        slots[c] = renumber[s];
        tfs[c++] = mainTfs[p];
      }
      cursor[key] = c;
    }
    // Log slots are all above the CSR's and ascending, so appending keeps each key sorted.
    for (let i = 0; i < this.logLength; i++) {
      const s = logSlot[i];
      if (!alive[s]) continue;
      const c = cursor[logKey[i]]++;
      slots[c] = renumber[s];
      tfs[c] = logTf[i];
    }

    const fieldLength = this.fieldLength.map(() => new Uint32Array(live));
    const postingsOf = new Uint32Array(live);
    for (let s = 0; s < oldSlots; s++) {
      const to = renumber[s];
      if (to < 0) continue;
      for (let f = 0; f < F; f++) fieldLength[f][to] = this.fieldLength[f][s];
      postingsOf[to] = this.postingsOf[s];
      this.ids[to] = this.ids[s];
      this.payloads[to] = this.payloads[s];
      this.slotById.set(this.ids[to]!, to);
    }
    this.ids.length = live;
    this.payloads.length = live;

    this.mainKeys = keys;
    this.mainStart = start;
    this.mainSlots = slots;
    this.mainTfs = tfs;
    this.docFreq = docFreq;
    this.termPostings = termPostings;
    this.fieldLength = fieldLength;
    this.postingsOf = postingsOf;
    this.alive = new Uint8Array(live).fill(1);
    this.slotsUsed = live;
    this.logKey = new Int32Array(0);
    this.logSlot = new Int32Array(0);
    this.logTf = new Uint16Array(0);
    this.logLength = 0;
    this.logByKey = undefined;
    this.deadPostings = 0;
    this.acc = new Float64Array(0);
    this.seen = new Uint8Array(0);
    this.stamp = new Uint32Array(0);
    this.touched = new Int32Array(0);
    this.sortTerms();
  }

  // -------------------------------------------------------------------------------------------
  // Vocabulary

  /** The id of an indexed term (ever indexed since the index was created), or undefined. */
  termId(term: string): number | undefined {
    return this.termIds.get(term);
  }

  term(id: number): string {
    return this.terms[id];
  }

  /**
   * Ids of the vocabulary terms longer than `prefix` that start with it: all of them, or when
   * there are more than `limit`, the `limit` with most postings (ties in term order).
   */
  extensions(prefix: string, limit: number): number[] {
    const { terms, sorted, termPostings } = this;
    // Every term starting with `prefix` sorts in [prefix, prefix + U+FFFF), `prefix` itself first.
    let from = this.lowerBound(prefix);
    const to = this.lowerBound(`${prefix}\uffff`);
    if (from < to && terms[sorted[from]] === prefix) from++;
    const out: number[] = [];
    for (let i = from; i < to; i++) out.push(sorted[i]);
    for (let id = this.sortedCount; id < terms.length; id++) {
      if (terms[id].length > prefix.length && terms[id].startsWith(prefix)) out.push(id);
    }
    if (out.length <= limit) return out;
    const order: number[] = [];
    for (let i = 0; i < out.length; i++) order.push(i);
    // Most postings first; `out` is in term order (the unsorted tail last), so index breaks ties.
    return selectTop(order, limit, (a, b) => termPostings[out[b]] - termPostings[out[a]] || a - b).map((i) => out[i]);
  }

  /** Position in `sorted` of the first term not below `key`. */
  private lowerBound(key: string): number {
    const { terms, sorted } = this;
    let lo = 0;
    let hi = this.sortedCount;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (terms[sorted[mid]] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Vocabulary terms within `maxDistance` edits of `term`: term -> [id, distance]. */
  fuzzy(term: string, maxDistance: number): Map<string, [number, number]> {
    return this.termIds.fuzzyGet(term, maxDistance);
  }

  /** Upper bound of the documents a term matches, over all fields (its postings). */
  postingCount(id: number): number {
    return this.termPostings[id];
  }

  /** True when some document in the index (not a removed one) contains the term. */
  hasDocuments(id: number): boolean {
    const { alive } = this;
    for (let f = 0, key = id * this.fieldCount; f < this.fieldCount; f++, key++) {
      if (!this.docFreq[key]) continue;
      if (key < this.mainKeys) {
        for (let p = this.mainStart[key]; p < this.mainStart[key + 1]; p++) if (alive[this.mainSlots[p]]) return true;
      }
      for (const i of this.logPositions(key)) if (alive[this.logSlot[i]]) return true;
    }
    return false;
  }

  // -------------------------------------------------------------------------------------------
  // Scoring

  /**
   * BM25+ scores of the documents matching any of `expansions` (one query term), summed over
   * expansions and fields. Only slots with `allow[slot] === 1` are scored. Every returned mask is
   * `bit`.
   */
  score(expansions: readonly Expansion[], allow: Uint8Array, bit: number): Hits {
    const N = this.liveCount;
    if (N === 0 || expansions.length === 0) return NO_HITS;
    this.prepareScratch();
    let postings = 0;
    for (const { term } of expansions) postings += this.postingCount(term);
    // Many postings: accumulate densely and collect with one pass over the slots; few: remember
    // the slots touched (so a rare term does not pay for clearing and scanning every slot).
    return postings > this.slotsUsed >>> 3 ? this.scoreDense(expansions, allow, bit) : this.scoreSparse(expansions, allow, bit);
  }

  private scoreDense(expansions: readonly Expansion[], allow: Uint8Array, bit: number): Hits {
    const size = this.slotsUsed;
    const { acc, seen, mainStart, mainSlots, mainTfs, logSlot, logTf, docFreq } = this;
    acc.fill(0, 0, size);
    seen.fill(0, 0, size);
    const N = this.liveCount;
    const F = this.fieldCount;
    const { k, b, d } = BM25;
    const k1 = k + 1;
    const kb = k * (1 - b);
    let n = 0;
    for (const { term, weight } of expansions) {
      for (let f = 0; f < F; f++) {
        const key = term * F + f;
        const df = docFreq[key];
        if (df === 0) continue;
        const c = weight * this.boosts[f] * Math.log(1 + (N - df + 0.5) / (df + 0.5));
        const avg = this.totalLength[f] / N;
        const kl = avg > 0 ? (k * b) / avg : 0;
        const lengths = this.fieldLength[f];
        if (key < this.mainKeys) {
          for (let p = mainStart[key], end = mainStart[key + 1]; p < end; p++) {
            const s = mainSlots[p];
            if (allow[s] === 0) continue;
            const tf = mainTfs[p];
            acc[s] += c * (d + (tf * k1) / (tf + kb + kl * lengths[s]));
            n += 1 - seen[s];
            seen[s] = 1;
          }
        }
        if (this.logLength > 0) {
          for (const i of this.logPositions(key)) {
            const s = logSlot[i];
            if (allow[s] === 0) continue;
            const tf = logTf[i];
            acc[s] += c * (d + (tf * k1) / (tf + kb + kl * lengths[s]));
            n += 1 - seen[s];
            seen[s] = 1;
          }
        }
      }
    }
    if (n === 0) return NO_HITS;
    const slots = new Int32Array(n);
    const scores = new Float64Array(n);
    for (let s = 0, j = 0; j < n; s++) {
      if (seen[s] === 0) continue;
      slots[j] = s;
      scores[j++] = acc[s];
    }
    return { slots, scores, masks: new Uint32Array(n).fill(bit) };
  }

  private scoreSparse(expansions: readonly Expansion[], allow: Uint8Array, bit: number): Hits {
    if (this.epoch >= 0xfffffff0) {
      this.stamp.fill(0);
      this.epoch = 0;
    }
    const epoch = ++this.epoch;
    const { acc, stamp, touched, mainStart, mainSlots, mainTfs, logSlot, logTf, docFreq } = this;
    const N = this.liveCount;
    const F = this.fieldCount;
    const { k, b, d } = BM25;
    const k1 = k + 1;
    const kb = k * (1 - b);
    let n = 0;
    const add = (s: number, v: number) => {
      if (stamp[s] === epoch) acc[s] += v;
      else {
        stamp[s] = epoch;
        acc[s] = v;
        touched[n++] = s;
      }
    };
    for (const { term, weight } of expansions) {
      for (let f = 0; f < F; f++) {
        const key = term * F + f;
        const df = docFreq[key];
        if (df === 0) continue;
        const c = weight * this.boosts[f] * Math.log(1 + (N - df + 0.5) / (df + 0.5));
        const avg = this.totalLength[f] / N;
        const kl = avg > 0 ? (k * b) / avg : 0;
        const lengths = this.fieldLength[f];
        if (key < this.mainKeys) {
          for (let p = mainStart[key], end = mainStart[key + 1]; p < end; p++) {
            const s = mainSlots[p];
            if (allow[s] === 0) continue;
            const tf = mainTfs[p];
            add(s, c * (d + (tf * k1) / (tf + kb + kl * lengths[s])));
          }
        }
        for (const i of this.logPositions(key)) {
          const s = logSlot[i];
          if (allow[s] === 0) continue;
          const tf = logTf[i];
          add(s, c * (d + (tf * k1) / (tf + kb + kl * lengths[s])));
        }
      }
    }
    if (n === 0) return NO_HITS;
    const slots = touched.slice(0, n).sort();
    const scores = new Float64Array(n);
    for (let j = 0; j < n; j++) scores[j] = acc[slots[j]];
    return { slots, scores, masks: new Uint32Array(n).fill(bit) };
  }

  /**
   * Calls `fn(slot, term, field)` for each posting of the given terms in the given fields whose
   * slot is marked in `mark` (used to find which expansions matched the documents of a page).
   */
  forEachPosting(terms: readonly number[], fields: readonly number[], mark: Uint8Array, fn: (slot: number, term: number, field: number) => void): void {
    const F = this.fieldCount;
    for (const term of terms) {
      for (const f of fields) {
        const key = term * F + f;
        if (this.docFreq[key] === 0) continue;
        if (key < this.mainKeys) {
          for (let p = this.mainStart[key], end = this.mainStart[key + 1]; p < end; p++) {
            const s = this.mainSlots[p];
            if (mark[s] === 1) fn(s, term, f);
          }
        }
        for (const i of this.logPositions(key)) if (mark[this.logSlot[i]] === 1) fn(this.logSlot[i], term, f);
      }
    }
  }

  // -------------------------------------------------------------------------------------------

  private intern(t: string): number {
    let id = this.termIds.get(t);
    if (id === undefined) {
      id = this.terms.length;
      this.terms.push(t);
      this.termIds.set(t, id);
      this.docFreq = ensure(this.docFreq, (id + 1) * this.fieldCount);
      this.termPostings = ensure(this.termPostings, id + 1);
    }
    return id;
  }

  private appendLog(key: number, slot: number, tf: number): void {
    const i = this.logLength++;
    if (i >= this.logKey.length) {
      this.logKey = ensure(this.logKey, i + 1);
      this.logSlot = ensure(this.logSlot, i + 1);
      this.logTf = ensure(this.logTf, i + 1);
    }
    this.logKey[i] = key;
    this.logSlot[i] = slot;
    this.logTf[i] = tf > 0xffff ? 0xffff : tf;
    if (this.logByKey) {
      const list = this.logByKey.get(key);
      if (list) list.push(i);
      else this.logByKey.set(key, [i]);
    }
  }

  private static readonly NONE: readonly number[] = [];

  private logPositions(key: number): readonly number[] {
    if (this.logLength === 0) return InvertedIndex.NONE;
    if (!this.logByKey) {
      const byKey = new Map<number, number[]>();
      for (let i = 0; i < this.logLength; i++) {
        const list = byKey.get(this.logKey[i]);
        if (list) list.push(i);
        else byKey.set(this.logKey[i], [i]);
      }
      this.logByKey = byKey;
    }
    return this.logByKey.get(key) ?? InvertedIndex.NONE;
  }

  private prepareScratch(): void {
    const n = this.slotsUsed;
    if (this.acc.length < n) {
      const cap = Math.max(64, n + (n >>> 2));
      this.acc = new Float64Array(cap);
      this.seen = new Uint8Array(cap);
      this.stamp = new Uint32Array(cap);
      this.touched = new Int32Array(cap);
      this.epoch = 0;
    }
  }

  /** Merges the ids added since the last sort into `sorted`. */
  private sortTerms(): void {
    const { terms } = this;
    if (this.sortedCount === terms.length) return;
    const byTerm = (a: number, b: number) => (terms[a] < terms[b] ? -1 : terms[a] > terms[b] ? 1 : 0);
    const tail = Array.from({ length: terms.length - this.sortedCount }, (_, i) => this.sortedCount + i).sort(byTerm);
    const merged = new Int32Array(terms.length);
    let i = 0;
    let j = 0;
    let o = 0;
    while (i < this.sortedCount && j < tail.length) merged[o++] = byTerm(this.sorted[i], tail[j]) <= 0 ? this.sorted[i++] : tail[j++];
    while (i < this.sortedCount) merged[o++] = this.sorted[i++];
    while (j < tail.length) merged[o++] = tail[j++];
    this.sorted = merged;
    this.sortedCount = terms.length;
  }
}
