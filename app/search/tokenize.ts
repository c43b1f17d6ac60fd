/**
 * Tokenizer shared by indexing and querying in the embedded engine (`embedded.server.ts`).
 *
 * - Text is NFKC-normalised first, so full-width `ＩＰｖ４` reads as `ipv4`.
 * - Latin (and every non-Han script): lower-cased, split on anything that is not a letter, mark or
 *   digit; digits stay with their word (`ipv4`, `5xx`); one-character tokens are dropped.
 *   CamelCase / PascalCase words (alert names) are kept whole AND split into their parts:
 *   `KubePodCrashLooping` -> `kubepodcrashlooping`, `kube`, `pod`, `crash`, `looping`.
 * - Han runs: segmented with jieba `cutForSearch` (fine-grained search mode, HMM on), which
 *   emits both the words and their dictionary sub-words (`数据库` -> `数据`, `据库`, `数据库`).
 *   A handful of single-character function words (的, 了, 和 ...) are dropped. Punctuation
 *   never reaches jieba because only Han runs are passed to it.
 *
 * `tokenize` is pure apart from the lazily created jieba instance (~200 ms and ~20 MB to load
 * the default dictionary once per process; `warmTokenizer()` does it ahead of time).
 */
import { Jieba } from "@node-rs/jieba";
// The package has no `exports` map, so plain Node ESM (the built server) needs the `.js`.
import { dict } from "@node-rs/jieba/dict.js";

let jieba: Jieba | undefined;

function getJieba(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

/** Loads the jieba dictionary now instead of on the first Chinese text. Idempotent. */
export function warmTokenizer(): void {
  getJieba();
}

/** A run of Han characters, or a run of other letters/marks/digits (one "word"). */
const WORD_OR_HAN_RUN = /\p{Script=Han}+|(?:(?!\p{Script=Han})[\p{L}\p{M}\p{N}])+/gu;
const HAN = /\p{Script=Han}/u;
/** Case boundaries inside a word: `podCrash`, `HTTPServer`, `v2Beta`. */
const CAMEL_PART = /\p{Lu}+(?=\p{Lu}\p{Ll})|\p{Lu}?[\p{Ll}\p{M}]+(?:\p{N}+[\p{Ll}\p{M}]*)*|\p{Lu}+\p{N}*|\p{N}+[\p{Ll}\p{M}]*/gu;

/**
 * Single-character Chinese function words that carry no meaning for search and would make an
 * AND query fail when a document happens not to contain them.
 */
const HAN_STOP = new Set(["的", "了", "和", "与", "及", "或", "是", "在", "对", "把", "被", "将", "请", "之", "也", "而", "并", "等"]);

/** True when `text` contains at least one Han character. */
export function hasHan(text: string): boolean {
  return HAN.test(text);
}

/**
 * Splits a Latin word at case boundaries, returning the parts with their offsets in `word`.
 * Returns an empty array when the word has no inner boundary (`kube`, `KUBE`, `ipv4`).
 */
export function camelParts(word: string): { text: string; start: number }[] {
  // Only mixed-case words are CamelCase; all-lower and ALL-CAPS words stay whole.
  if (!/\p{Ll}/u.test(word) || !/\p{Lu}/u.test(word.slice(1))) return [];
  const parts: { text: string; start: number }[] = [];
  for (const m of word.matchAll(CAMEL_PART)) parts.push({ text: m[0], start: m.index });
  // `IPv4` -> `I` + `Pv4` and `iOS` -> `i` + `OS` are acronyms, not CamelCase: keep them whole.
  return parts.filter((p) => p.text.length >= 2).length > 1 ? parts : [];
}

/**
 * Splits text into index/query terms.
 *
 * @param text any text (title, body, alert name, query).
 * @returns lower-cased terms in reading order, with duplicates (term frequency matters for
 *   BM25). CamelCase words yield the whole word followed by its parts of 2+ characters; Han runs
 *   yield jieba search-mode segments. Never throws.
 * @example tokenize("Pod 处于 KubePodCrashLooping 状态")
 *   // ["pod", "处于", "kubepodcrashlooping", "kube", "pod", "crash", "looping", "状态"]
 */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  if (!text) return out;
  for (const m of text.normalize("NFKC").matchAll(WORD_OR_HAN_RUN)) {
    const run = m[0];
    if (HAN.test(run[0])) {
      pushHan(run, out);
    } else {
      pushLatin(run, out);
    }
  }
  return out;
}

function pushLatin(word: string, out: string[]): void {
  if (word.length < 2) return;
  const lower = word.toLowerCase();
  out.push(lower);
  if (lower === word) return; // fast path: no capitals, no CamelCase
  for (const part of camelParts(word)) {
    if (part.text.length >= 2) out.push(part.text.toLowerCase());
  }
}

function pushHan(run: string, out: string[]): void {
  if (run.length === 1) {
    if (!HAN_STOP.has(run)) out.push(run);
    return;
  }
  for (const seg of getJieba().cutForSearch(run, true)) {
    if (seg.length === 1 && HAN_STOP.has(seg)) continue;
    out.push(seg);
  }
}

/**
 * One word of a query, as the embedded engine searches it.
 * `whole` must match; alternatively, for CamelCase words, all `parts` must match
 * (so `CrashLooping` finds `KubePodCrashLooping`, which is indexed as its parts).
 */
export interface QueryWord {
  /** The lower-cased word or Han segment. */
  whole: string;
  /** CamelCase parts (lower-cased, 2+ characters), empty when the word has none. */
  parts: string[];
  /** True for the word being typed (the last Latin word of the query): matched as a prefix. */
  prefix: boolean;
}

/**
 * Parses a free-text query into words for the embedded engine.
 *
 * @param q the raw query string.
 * @returns one `QueryWord` per Latin word (2+ characters) and per jieba search-mode segment of
 *   each Han run, in query order, without duplicates. The last Latin word gets `prefix: true`
 *   when it ends the query (search as you type); Han segments are never prefixes, since jieba
 *   already cuts them into dictionary words. Empty array for a blank query.
 */
export function queryWords(q: string): QueryWord[] {
  const words: QueryWord[] = [];
  const seen = new Set<string>();
  const text = q.normalize("NFKC");
  let lastLatin: QueryWord | undefined;
  let lastEnd = -1;
  for (const m of text.matchAll(WORD_OR_HAN_RUN)) {
    const run = m[0];
    if (HAN.test(run[0])) {
      const segs: string[] = [];
      pushHan(run, segs);
      for (const seg of segs) {
        if (seen.has(seg)) continue;
        seen.add(seg);
        words.push({ whole: seg, parts: [], prefix: false });
      }
      lastLatin = undefined;
    } else if (run.length >= 2) {
      const whole = run.toLowerCase();
      if (seen.has(whole)) continue;
      seen.add(whole);
      const parts = camelParts(run)
        .map((p) => p.text.toLowerCase())
        .filter((p) => p.length >= 2);
      const word: QueryWord = { whole, parts: parts.length > 1 ? parts : [], prefix: false };
      words.push(word);
      lastLatin = word;
      lastEnd = m.index + run.length;
    }
  }
  // Only the word at the very end of the query is still being typed.
  if (lastLatin && text.slice(lastEnd).trim() === "" && words[words.length - 1] === lastLatin) {
    lastLatin.prefix = true;
  }
  return words;
}

/**
 * The terms the engine reports as matched belong to these source texts; this finds where they
 * occur so they can be highlighted. A Latin term matches a whole word or a CamelCase part of one
 * (case-insensitively, at word or case boundaries); a Han term matches anywhere (jieba segments are
 * substrings of the original text). Where two terms start at the same place the longer one wins,
 * and the text a match covers is not searched again.
 *
 * The candidates are found with `indexOf` in a lower-cased copy of the text (no regular
 * expression to compile per set of terms, which cost more than the search itself); texts whose
 * lower-cased form has another length (a few non-Latin letters) are scanned with one
 * case-insensitive regular expression instead.
 *
 * @param text original (not normalised) text.
 * @param terms lower-cased index terms to find.
 * @param stopWithin when given, scanning stops as soon as the last `stopWithin` characters
 *   scanned hold every term (a snippet window cannot do better), which saves work on long bodies.
 * @returns non-overlapping `[start, end)` UTF-16 offsets into `text`, sorted, each with the term.
 */
export function findTermSpans(text: string, terms: Iterable<string>, stopWithin?: number): TermSpan[] {
  if (!text) return [];
  const list = sortedTerms(terms);
  if (list.length === 0) return [];
  const lower = new LowerPrefix(text);
  if (!lower.ok) return findTermSpansRegExp(text, list, stopWithin);

  // A merge of one `indexOf` cursor per term, in text order; at one start the longest term
  // (lowest index) is the candidate, as with the alternation `longest|...|shortest`. `next[u]` is
  // the next occurrence of term u at or after `from[u]`, -1 when there is none, or `PENDING` when
  // there is none in the part lower-cased so far (an occurrence is only taken once no pending
  // term could start before it).
  const T = list.length;
  const longest = list[0].length;
  const needles = list.map(foldSigma);
  const from = new Array<number>(T).fill(0);
  const next = needles.map((needle) => lower.find(needle, 0));
  const spans: TermSpan[] = [];
  const lastSeen = stopWithin === undefined ? undefined : new Map<string, number>();
  for (;;) {
    let t = -1;
    let pending = false;
    for (let u = 0; u < T; u++) {
      if (next[u] === PENDING) pending = true;
      else if (next[u] >= 0 && (t < 0 || next[u] < next[t])) t = u;
    }
    if (pending && (t < 0 || next[t] + longest > lower.end)) {
      if (!lower.extend()) return findTermSpansRegExp(text, list, stopWithin);
      for (let u = 0; u < T; u++) if (next[u] === PENDING) next[u] = lower.find(needles[u], from[u]);
      continue;
    }
    if (t < 0) break;
    const start = next[t];
    const term = list[t];
    const end = start + term.length;
    const match = HAN.test(term[0]) || (leftBoundary(text, start) && rightBoundary(text, end));
    // Like a regular expression's lastIndex: after a match, go on from its end, else from the
    // next character.
    const resume = match ? end : start + 1;
    for (let u = 0; u < T; u++) {
      if (next[u] === PENDING) from[u] = Math.max(from[u], resume);
      else if (next[u] >= 0 && next[u] < resume) next[u] = lower.find(needles[u], (from[u] = resume));
    }
    if (!match) continue;
    spans.push({ start, end, term });
    if (lastSeen && stopWithin !== undefined) {
      lastSeen.set(term, start);
      if (lastSeen.size >= T && allSeenWithin(lastSeen, end - stopWithin)) break;
    }
  }
  return mergeSpans(spans);
}

const PENDING = -2;

/**
 * `toLowerCase` picks final or medial sigma by context, where case-insensitive matching treats
 * them as one letter; both sides of a comparison go through this.
 */
function foldSigma(s: string): string {
  return s.includes("ς") ? s.replaceAll("ς", "σ") : s;
}

/**
 * The lower-cased start of a text (its first 1,024 characters, then all of it), so a scan that
 * stops early does not lower-case (copy) the whole text. `ok` is false when lower-casing changed the length (then
 * offsets in the copy are not offsets in the text).
 */
class LowerPrefix {
  private lower = "";
  /** Characters of the text lower-cased so far. */
  end = 0;
  ok: boolean;

  constructor(private readonly text: string) {
    this.ok = this.extend();
  }

  /** Lower-cases more of the text; false when that changed its length. */
  extend(): boolean {
    this.end = this.end === 0 ? Math.min(this.text.length, 1024) : this.text.length;
    this.lower = foldSigma(this.end === this.text.length ? this.text.toLowerCase() : this.text.slice(0, this.end).toLowerCase());
    return this.lower.length === this.end;
  }

  /** Next occurrence of `term` at or after `from`: its offset, -1, or `PENDING`. */
  find(term: string, from: number): number {
    const i = this.lower.indexOf(term, from);
    if (i >= 0) return i;
    return this.end === this.text.length ? -1 : PENDING;
  }
}

function allSeenWithin(lastSeen: ReadonlyMap<string, number>, from: number): boolean {
  for (const s of lastSeen.values()) if (s < from) return false;
  return true;
}

/** Distinct non-empty terms, longest first (then alphabetical). */
function sortedTerms(terms: Iterable<string>): string[] {
  const list = [...new Set(terms)].filter((t) => t.length > 0);
  return list.sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
}

/** `findTermSpans` for texts whose lower-cased form has another length. */
function findTermSpansRegExp(text: string, list: readonly string[], stopWithin?: number): TermSpan[] {
  const re = termsRegExp(list);
  if (!re) return [];
  const spans: TermSpan[] = [];
  const lastSeen = new Map<string, number>();
  const wanted = re.termCount;
  re.pattern.lastIndex = 0;
  for (let m = re.pattern.exec(text); m !== null; m = re.pattern.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    const isHan = HAN.test(m[0][0]);
    if (!isHan && !(leftBoundary(text, start) && rightBoundary(text, end))) {
      re.pattern.lastIndex = start + 1;
      continue;
    }
    const term = isHan ? m[0] : m[0].toLowerCase();
    spans.push({ start, end, term });
    if (stopWithin !== undefined) {
      lastSeen.set(term, start);
      if (lastSeen.size >= wanted && allSeenWithin(lastSeen, end - stopWithin)) break;
    }
  }
  return mergeSpans(spans);
}

const regExpCache = new Map<string, { pattern: RegExp; termCount: number }>();

/** One case-insensitive alternation of the terms (distinct, longest first); cached. */
function termsRegExp(list: readonly string[]): { pattern: RegExp; termCount: number } | undefined {
  if (list.length === 0) return undefined;
  const key = list.join("\u0000");
  let entry = regExpCache.get(key);
  if (!entry) {
    if (regExpCache.size >= 500) regExpCache.clear();
    entry = { pattern: new RegExp(list.map(escapeRegExp).join("|"), "giu"), termCount: list.length };
    regExpCache.set(key, entry);
  }
  return entry;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const ALNUM = /[\p{L}\p{M}\p{N}]/u;
/** Letter, mark or digit that is not Han (ASCII answered without a regular expression). */
const isAlnum = (c: string) => {
  const code = c.charCodeAt(0);
  if (code < 0x80) return (code >= 0x30 && code <= 0x39) || ((code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a);
  return ALNUM.test(c) && !HAN.test(c);
};
const isUpper = (c: string) => {
  const code = c.charCodeAt(0);
  if (code < 0x80) return code >= 0x41 && code <= 0x5a;
  return c !== c.toLowerCase();
};
const isLowerOrDigit = (c: string) => {
  const code = c.charCodeAt(0);
  if (code < 0x80) return (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39);
  return c !== c.toUpperCase();
};

/** True when a Latin match may start at `i`: after a non-word character or at a case boundary. */
function leftBoundary(text: string, i: number): boolean {
  if (i === 0) return true;
  const prev = text[i - 1];
  if (!isAlnum(prev)) return true;
  const cur = text[i];
  if (!isUpper(cur)) return false;
  // `podCrash` (lower -> Upper) or `HTTPServer` (the `S` of an Upper-lower run after capitals)
  return isLowerOrDigit(prev) || (isUpper(prev) && i + 1 < text.length && isLowerOrDigit(text[i + 1]) && !isUpper(text[i + 1]));
}

/** True when a Latin match may end before `i`: before a non-word character or a case boundary. */
function rightBoundary(text: string, i: number): boolean {
  if (i >= text.length) return true;
  const next = text[i];
  if (!isAlnum(next)) return true;
  if (!isUpper(next)) return false;
  const last = text[i - 1];
  return isLowerOrDigit(last) || (isUpper(last) && i + 1 < text.length && !isUpper(text[i + 1]) && isLowerOrDigit(text[i + 1]));
}

/** A highlighted range of a text: `[start, end)` UTF-16 offsets and the index term it matched. */
export interface TermSpan {
  start: number;
  end: number;
  term: string;
}

function mergeSpans(spans: TermSpan[]): TermSpan[] {
  if (spans.length < 2) return spans;
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: TermSpan[] = [spans[0]];
  for (let i = 1; i < spans.length; i++) {
    const s = spans[i];
    const last = out[out.length - 1];
    if (s.start < last.end) {
      if (s.end > last.end) last.end = s.end;
    } else if (s.start === last.end && s.term === last.term) {
      last.end = s.end;
    } else {
      out.push({ ...s });
    }
  }
  return out;
}
