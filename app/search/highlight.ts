/**
 * HTML for search hits: escaping, `<mark>` highlighting and body snippets. Pure functions, used by
 * the embedded engine; the Meilisearch engine only needs `escapeHtml` and `markSentinels`.
 */
import { findTermSpans, type TermSpan } from "./tokenize";

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes `& < > " '` so `text` can be placed in HTML text or attribute context. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** Default snippet length in characters (UTF-16 code units), before the `…` markers. */
export const SNIPPET_CHARS = 160;

/**
 * Escapes `text[from, to)` and wraps the given spans in `<mark>`; runs of whitespace become one
 * space so a snippet reads as one line.
 *
 * @param spans sorted, non-overlapping ranges (from `findTermSpans`); parts outside
 *   `[from, to)` are clipped.
 */
export function markSpans(text: string, spans: readonly TermSpan[], from = 0, to = text.length): string {
  let html = "";
  let pos = from;
  for (const span of spans) {
    const start = Math.max(span.start, from);
    const end = Math.min(span.end, to);
    if (end <= start || start < pos) continue;
    html += plain(text.slice(pos, start));
    html += `<mark>${plain(text.slice(start, end))}</mark>`;
    pos = end;
  }
  return html + plain(text.slice(pos, to));
}

/** Special characters, runs of whitespace and whitespace other than a space, in one pass. */
const PLAIN = /[&<>"']|\s{2,}|[^\S ]/g;

function plain(s: string): string {
  return s.replace(PLAIN, (m) => HTML_ESCAPES[m] ?? " ");
}

/**
 * The whole of `text`, HTML-escaped, with occurrences of `terms` wrapped in `<mark>`.
 *
 * @param terms lower-cased index terms that matched in this text (reported by the engine).
 */
export function highlightHtml(text: string, terms: Iterable<string>): string {
  return markSpans(text, findTermSpans(text, terms));
}

/**
 * About `maxChars` characters of `text` around its best match, HTML-escaped, matches in `<mark>`,
 * with `…` where text was cut. "Best" is the window holding the most distinct matched terms, the
 * earliest one on ties. Without a match, the start of the text. Cuts fall between words.
 *
 * @param terms lower-cased index terms that matched in this text.
 * @returns HTML; an empty string for empty text.
 */
export function snippetHtml(text: string, terms: Iterable<string>, maxChars = SNIPPET_CHARS): string {
  if (!text) return "";
  const spans = findTermSpans(text, terms, maxChars);
  if (text.length <= maxChars) return markSpans(text, spans).trim();

  let start = 0;
  let end = maxChars;
  if (spans.length > 0) {
    const [first, last] = bestWindow(spans, maxChars);
    const covered = spans[last].end - spans[first].start;
    const lead = Math.min(Math.floor((maxChars - covered) / 2), 60);
    start = Math.max(0, spans[first].start - Math.max(lead, 0));
    end = Math.min(text.length, start + maxChars);
    start = Math.max(0, Math.min(start, end - maxChars));
    // Do not cut into the matches themselves.
    end = Math.max(end, Math.min(spans[last].end, spans[first].start + maxChars));
    [start, end] = wordBoundaries(text, start, end, spans[first].start, spans[last].end);
  } else {
    [start, end] = wordBoundaries(text, 0, maxChars, 0, 0);
  }
  const html = markSpans(text, spans, start, end).trim();
  return `${start > 0 ? "…" : ""}${html}${end < text.length ? "…" : ""}`;
}

/** Indexes `[first, last]` of the span window of at most `maxChars` with most distinct terms. */
function bestWindow(spans: readonly TermSpan[], maxChars: number): [number, number] {
  const counts = new Map<string, number>();
  let best: [number, number] = [0, 0];
  let bestDistinct = 0;
  let j = 0;
  for (let i = 0; i < spans.length; i++) {
    while (j < spans.length && spans[j].end - spans[i].start <= maxChars) {
      counts.set(spans[j].term, (counts.get(spans[j].term) ?? 0) + 1);
      j++;
    }
    if (j === i) {
      // A single span longer than the window: take it alone.
      if (bestDistinct === 0) best = [i, i];
      j = i + 1;
      continue;
    }
    if (counts.size > bestDistinct) {
      bestDistinct = counts.size;
      best = [i, j - 1];
    }
    const t = spans[i].term;
    const n = (counts.get(t) ?? 1) - 1;
    if (n === 0) counts.delete(t);
    else counts.set(t, n);
  }
  return best;
}

const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;

/** Moves `start` forward / `end` back so neither cuts a Latin word or a surrogate pair. */
function wordBoundaries(text: string, start: number, end: number, keepFrom: number, keepTo: number): [number, number] {
  const isWord = (i: number) => i >= 0 && i < text.length && WORD_CHAR.test(text[i]) && text.charCodeAt(i) < 0x2e80;
  if (start > 0 && isWord(start - 1) && isWord(start)) {
    let s = start;
    while (s < keepFrom && isWord(s)) s++;
    if (s - start < 30 && s <= keepFrom) start = s;
  }
  if (end < text.length && isWord(end - 1) && isWord(end)) {
    let e = end;
    while (e > keepTo && isWord(e - 1)) e--;
    if (end - e < 30 && e >= keepTo) end = e;
  }
  if (start > 0 && isLowSurrogate(text.charCodeAt(start))) start++;
  if (end < text.length && isLowSurrogate(text.charCodeAt(end))) end--;
  return [start, end];
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * Turns engine output that marks matches with sentinel characters (Meilisearch `_formatted` with
 * `highlightPreTag: pre, highlightPostTag: post`) into safe HTML: escape first, then swap the
 * sentinels for `<mark>` / `</mark>`. Unbalanced sentinels are dropped.
 */
export function markSentinels(text: string, pre: string, post: string): string {
  let html = "";
  let open = false;
  for (const piece of text.split(new RegExp(`(${escapeRegExp(pre)}|${escapeRegExp(post)})`))) {
    if (piece === pre) {
      if (!open) html += "<mark>";
      open = true;
    } else if (piece === post) {
      if (open) html += "</mark>";
      open = false;
    } else {
      html += plain(piece);
    }
  }
  return (open ? `${html}</mark>` : html).trim();
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
