/**
 * The Markdown pipeline: Markdown source -> safe HTML, table of contents, wiki links, plain text.
 *
 * Pure (no database, no file system), so it runs in loaders, in the importer, in the search indexer
 * and in tests alike. One MarkdownIt instance is built at module load and reused for every call.
 *
 * Pipeline for `renderMarkdown`:
 *   1. drop frontmatter (by `splitFrontmatter`'s rules, the importer's);
 *   2. markdown-it with `html: false` (raw HTML in the source is shown as text), GFM tables and
 *      strikethrough, `linkify` for bare `https://` URLs, plugins for heading ids
 *      (markdown-it-anchor), task lists (@mdit/plugin-tasklist) and callouts (@mdit/plugin-alert),
 *      plus our own inline rule for `[[wiki links]]`;
 *   3. link and image URLs are checked against an allow-list of schemes (http, https, mailto,
 *      relative, `#`; images: http, https, relative) after entity and percent decoding;
 *   4. the HTML passes through sanitize-html with an explicit allow-list of the tags, attributes and
 *      classes this module emits, so a bug in any step above cannot become script execution.
 *
 * Hugo shortcodes (`{{< ref "x" >}}`) and Go template placeholders (`{{.Name}}`) need no special
 * handling: with `html: false` they are ordinary text and render as such.
 */

import MarkdownIt from "markdown-it";
import type { Env, RendererRule, StateInline, Token } from "markdown-it";
import anchor from "markdown-it-anchor";
import { alert } from "@mdit/plugin-alert";
import { tasklist } from "@mdit/plugin-tasklist";
import hljs from "highlight.js/lib/core";
import apache from "highlight.js/lib/languages/apache";
import bash from "highlight.js/lib/languages/bash";
import c from "highlight.js/lib/languages/c";
import cpp from "highlight.js/lib/languages/cpp";
import csharp from "highlight.js/lib/languages/csharp";
import css from "highlight.js/lib/languages/css";
import diff from "highlight.js/lib/languages/diff";
import dockerfile from "highlight.js/lib/languages/dockerfile";
import dos from "highlight.js/lib/languages/dos";
import go from "highlight.js/lib/languages/go";
import http from "highlight.js/lib/languages/http";
import ini from "highlight.js/lib/languages/ini";
import java from "highlight.js/lib/languages/java";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import kotlin from "highlight.js/lib/languages/kotlin";
import makefile from "highlight.js/lib/languages/makefile";
import markdown from "highlight.js/lib/languages/markdown";
import nginx from "highlight.js/lib/languages/nginx";
import perl from "highlight.js/lib/languages/perl";
import pgsql from "highlight.js/lib/languages/pgsql";
import plaintext from "highlight.js/lib/languages/plaintext";
import powershell from "highlight.js/lib/languages/powershell";
import properties from "highlight.js/lib/languages/properties";
import python from "highlight.js/lib/languages/python";
import ruby from "highlight.js/lib/languages/ruby";
import rust from "highlight.js/lib/languages/rust";
import shell from "highlight.js/lib/languages/shell";
import sql from "highlight.js/lib/languages/sql";
import typescript from "highlight.js/lib/languages/typescript";
import xml from "highlight.js/lib/languages/xml";
import yaml from "highlight.js/lib/languages/yaml";
import sanitizeHtml from "sanitize-html";
import { FrontmatterError, splitFrontmatter } from "./frontmatter";
import { documentHref, slugSegment } from "./slug";

// ---------------------------------------------------------------------------------------------
// Public types

/** One heading in a document's table of contents. */
export interface TocEntry {
  /** Heading level, 1-6 (see `renderMarkdown` for which levels are listed). */
  level: number;
  /** Heading text without markup, entities decoded. */
  text: string;
  /** The heading's `id` attribute in the rendered HTML (link target `#${id}`). */
  id: string;
}

/** A `[[slug]]` or `[[slug|label]]` link found in a document. */
export interface WikiLink {
  /** Normalised target slug (see `normalizeWikiSlug`). */
  slug: string;
  /** The explicit label after `|`, or null when none was written. */
  label: string | null;
}

/** Output of `renderMarkdown`. */
export interface RenderedMarkdown {
  /** Sanitised HTML, safe to insert with `dangerouslySetInnerHTML`. */
  html: string;
  /** Headings for the table of contents, in document order. */
  toc: TocEntry[];
  /** Wiki links in document order, unique by slug (first occurrence wins). */
  wikiLinks: WikiLink[];
}

/** Options of `renderMarkdown`. */
export interface RenderMarkdownOptions {
  /**
   * Documents that exist, by normalised slug. When given, wiki links to other slugs render as
   * broken (`wiki-link-broken`), and links without a label show the target's title.
   * When omitted, no link is marked broken.
   */
  wikiTargets?: ReadonlyMap<string, { title: string }>;
  /** URL of a document page. Default: `/docs/<slug>` with each path segment percent-encoded. */
  docHref?: (slug: string) => string;
}

// ---------------------------------------------------------------------------------------------
// Constants

/** Longest `[[...]]` body we look at; bounds the work an unclosed `[[` can cause. */
const MAX_WIKI_LINK_LENGTH = 300;

const CALLOUT_TITLES: Readonly<Record<string, string>> = {
  note: "Note",
  tip: "Tip",
  important: "Important",
  warning: "Warning",
  caution: "Caution",
  danger: "Danger",
};

/** Schemes allowed in link `href`s; anything without a scheme (relative, `#`) is allowed too. */
const LINK_SCHEMES: ReadonlySet<string> = new Set(["http", "https", "mailto"]);
/** Schemes allowed in image `src`s; relative URLs are allowed too. */
const IMAGE_SCHEMES: ReadonlySet<string> = new Set(["http", "https"]);

// A curated set instead of all ~190 highlight.js languages: what runbooks and postmortems in a
// bank's operations teams contain, at a fraction of the load time. Add a language here when needed.
const LANGUAGES = {
  apache, bash, c, cpp, csharp, css, diff, dockerfile, dos, go, http, ini, java, javascript, json,
  kotlin, makefile, markdown, nginx, perl, pgsql, plaintext, powershell, properties, python, ruby,
  rust, shell, sql, typescript, xml, yaml,
};
for (const [name, language] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, language);

// ---------------------------------------------------------------------------------------------
// Small pure helpers

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (ch) =>
    ch === "&" ? "&amp;" : ch === "<" ? "&lt;" : ch === ">" ? "&gt;" : ch === '"' ? "&quot;" : "&#39;",
  );

/**
 * Normalises the target of a wiki link to a document slug, by the same rules as slugs made from
 * file paths (`slug.ts`): trimmed, lower-case, whitespace and punctuation runs -> `-`, per `/`
 * segment; empty, `.` and `..` segments dropped (a link cannot climb out of `/docs/`).
 * `" Core Ledger / DR "` -> `"core-ledger/dr"`. Returns `""` when nothing is left. Never throws.
 */
export function normalizeWikiSlug(raw: string): string {
  return raw.trim().normalize("NFC").split("/").map(slugSegment).filter((segment) => segment !== "").join("/");
}

/**
 * Heading text -> id: lower-case, letters (any script, so Chinese stays), digits and marks kept,
 * whitespace runs -> `-`, everything else dropped. Empty results become `section`.
 * Duplicates are numbered by markdown-it-anchor (`impact`, `impact-1`, ...).
 */
function slugifyHeading(text: string): string {
  const slug = text
    .normalize("NFC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, "")
    .trim()
    .replace(/\s+/g, "-")
    .replace(/-{2,}/g, "-");
  return slug || "section";
}

/**
 * Whether a URL may appear in an `href` (or `src`, with `IMAGE_SCHEMES`). Decodes percent escapes
 * and removes whitespace and control characters first, the way browsers forgive them, so
 * `java\tscript:`, `%6Aavascript:` and ` JAVASCRIPT:` are all caught. (HTML entities are already
 * decoded by markdown-it when it parses a link destination.)
 */
function isAllowedUrl(url: string, schemes: ReadonlySet<string>): boolean {
  let decoded = url;
  try {
    decoded = decodeURIComponent(url);
  } catch {
    // Malformed escapes: judge the raw text.
  }
  // eslint-disable-next-line no-control-regex
  const compact = decoded.replace(/[\u0000-\u0020\u007f-\u009f\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f\u3000\ufeff]+/g, "").toLowerCase();
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(compact);
  if (scheme) return schemes.has(scheme[1]);
  // No scheme: relative, `#fragment` or `//host` (protocol-relative, which is http(s)).
  // A colon before any `/`, `?` or `#` would make the browser see a scheme after all.
  return !/^[^/?#]*:/.test(compact);
}

/** A token attribute as a string (markdown-it types allow numbers), or null when absent. */
function attrString(token: Token, name: string): string | null {
  const value = token.attrGet(name);
  return value === null ? null : String(value);
}

/** Plain text of inline tokens: text, code spans, image alt text, wiki link text. */
function inlineText(children: readonly Token[] | null, env?: DocEnv): string {
  if (!children) return "";
  let out = "";
  for (const token of children) {
    switch (token.type) {
      case "text":
      case "code_inline":
        out += token.content;
        break;
      case "softbreak":
      case "hardbreak":
        out += " ";
        break;
      case "image":
        out += inlineText(token.children, env);
        break;
      case "wiki_link":
        out += wikiLinkText(token.meta as unknown as WikiLinkMeta, env);
        break;
      default:
        break;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Frontmatter: one definition for the whole app (`frontmatter.ts`); rendering never throws on it

/**
 * The Markdown without its frontmatter, as `splitFrontmatter` (the importer's rules) sees it.
 * Stored revisions normally hold the body only; this protects renders of raw files and pastes.
 * Broken delimited YAML is the importer's error to report, so here the text is kept as it is.
 */
function withoutFrontmatter(markdown: string): string {
  try {
    return splitFrontmatter(markdown).body;
  } catch (error) {
    if (error instanceof FrontmatterError) return markdown;
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Wiki links: our own inline rule (no maintained markdown-it plugin fits `[[slug|label]]` + broken)

interface WikiLinkMeta {
  slug: string;
  label: string | null;
  /** The target as written (trimmed), shown when there is neither label nor known title. */
  written: string;
}

interface DocEnv extends Env {
  wikiTargets?: ReadonlyMap<string, { title: string }>;
  docHref?: (slug: string) => string;
}

function wikiLinkText(meta: WikiLinkMeta, env?: DocEnv): string {
  return meta.label ?? env?.wikiTargets?.get(meta.slug)?.title ?? meta.written;
}

/** Inline rule for `[[slug]]` and `[[slug|label]]`. Code spans are consumed earlier by `backticks`. */
function wikiLinkRule(state: StateInline, silent: boolean): boolean {
  const { src, pos } = state;
  if (src.charCodeAt(pos) !== 0x5b /* [ */ || src.charCodeAt(pos + 1) !== 0x5b) return false;
  if (state.linkLevel > 0) return false; // no links inside link text
  const limit = Math.min(state.posMax, pos + 2 + MAX_WIKI_LINK_LENGTH);
  let end = -1;
  for (let i = pos + 2; i < limit; i++) {
    const ch = src.charCodeAt(i);
    if (ch === 0x5d /* ] */) {
      if (src.charCodeAt(i + 1) === 0x5d && i + 1 < state.posMax) end = i;
      break;
    }
    if (ch === 0x5b /* [ */ || ch === 0x0a /* \n */) break;
  }
  if (end < 0) return false;
  const body = src.slice(pos + 2, end);
  const bar = body.indexOf("|");
  // Inside a GFM table cell the separator has to be written `\|`; the backslash is not the slug's.
  const targetEnd = bar > 0 && body.charCodeAt(bar - 1) === 0x5c /* \ */ ? bar - 1 : bar;
  const written = (bar >= 0 ? body.slice(0, targetEnd) : body).trim();
  const slug = normalizeWikiSlug(written);
  if (!slug) return false;
  if (!silent) {
    const label = bar >= 0 ? state.md.utils.unescapeAll(body.slice(bar + 1)).trim() : "";
    const token = state.push("wiki_link", "a", 0);
    token.markup = "[[";
    token.meta = { slug, label: label || null, written } satisfies WikiLinkMeta;
  }
  state.pos = end + 2;
  return true;
}

const renderWikiLink: RendererRule = (tokens, idx, _options, env) => {
  const meta = tokens[idx].meta as unknown as WikiLinkMeta;
  const docEnv = (env ?? {}) as DocEnv;
  const broken = docEnv.wikiTargets !== undefined && !docEnv.wikiTargets.has(meta.slug);
  const href = (docEnv.docHref ?? documentHref)(meta.slug);
  const hrefAttr = isAllowedUrl(href, LINK_SCHEMES) ? ` href="${escapeHtml(href)}"` : "";
  const text = escapeHtml(wikiLinkText(meta, docEnv));
  return broken
    ? `<a class="wiki-link wiki-link-broken"${hrefAttr} title="${escapeHtml(`No document with slug “${meta.slug}”`)}">${text}</a>`
    : `<a class="wiki-link"${hrefAttr}>${text}</a>`;
};

// ---------------------------------------------------------------------------------------------
// Code blocks: highlight.js when the language is known, a copy button for a client script

function renderCodeBlock(code: string, info: string): string {
  const lang = info.trim().split(/\s+/)[0]?.toLowerCase() ?? "";
  const langClass = /^[a-z0-9_+#.-]{1,40}$/.test(lang) ? ` language-${lang}` : "";
  let body: string;
  if (lang && hljs.getLanguage(lang)) {
    try {
      body = hljs.highlight(code, { language: lang, ignoreIllegals: true }).value;
    } catch {
      body = escapeHtml(code);
    }
  } else {
    body = escapeHtml(code);
  }
  return (
    `<div class="code-block"><button type="button" class="copy-button" data-copy>Copy</button>` +
    `<pre><code class="hljs${langClass}">${body}</code></pre></div>\n`
  );
}

// ---------------------------------------------------------------------------------------------
// The one MarkdownIt instance

const md = new MarkdownIt({ html: false, linkify: true, typographer: false });
// Only explicit `http(s)://` and `mailto:` URLs become links: `NodeFilesystemFilesFillingUp.md`
// (.md is a country TLD) must stay text.
md.linkify.set({ fuzzyLink: false, fuzzyEmail: false, fuzzyIP: false });
md.validateLink = (url) => isAllowedUrl(url, LINK_SCHEMES);

md.use(anchor, {
  level: [1, 2, 3, 4, 5, 6],
  slugify: slugifyHeading,
  getTokensText: (tokens) => inlineText(tokens),
  tabIndex: false,
});
md.use(tasklist, {
  disabled: true,
  label: true,
  containerClass: "task-list-container",
  itemClass: "task-list-item",
  checkboxClass: "task-list-item-checkbox",
  labelClass: "task-list-item-label",
});
md.use(alert, {
  alertNames: Object.keys(CALLOUT_TITLES),
  deep: true,
  openRender: (tokens: Token[], idx: number) => `<div class="callout callout-${tokens[idx].markup}">\n`,
  closeRender: () => "</div>\n",
  titleRender: (tokens: Token[], idx: number) =>
    `<p class="callout-title">${escapeHtml(CALLOUT_TITLES[tokens[idx].markup] ?? tokens[idx].markup)}</p>\n`,
});
md.inline.ruler.before("link", "wiki_link", wikiLinkRule);
md.renderer.rules.wiki_link = renderWikiLink;

// Table alignment: markdown-it emits `style="text-align:…"`, which the sanitiser drops; use classes.
md.core.ruler.push("table_align_class", (state) => {
  for (const token of state.tokens) {
    if (token.type !== "th_open" && token.type !== "td_open") continue;
    const style = attrString(token, "style");
    if (style === null) continue;
    token.attrs = (token.attrs ?? []).filter(([name]) => name !== "style");
    const align = /text-align:\s*(left|center|right)/.exec(style);
    if (align) token.attrJoin("class", `align-${align[1]}`);
  }
});

md.renderer.rules.fence = (tokens, idx) => renderCodeBlock(tokens[idx].content, md.utils.unescapeAll(tokens[idx].info));
md.renderer.rules.code_block = (tokens, idx) => renderCodeBlock(tokens[idx].content, "");

md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  const token = tokens[idx];
  const href = attrString(token, "href");
  if (href === null || href === "" || !isAllowedUrl(href, LINK_SCHEMES)) {
    token.attrs = (token.attrs ?? []).filter(([name]) => name !== "href");
  }
  return self.renderToken(tokens, idx, options);
};

const defaultImage = md.renderer.rules.image;
md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  const src = attrString(token, "src");
  if (src === null || src === "" || !isAllowedUrl(src, IMAGE_SCHEMES)) {
    // No source worth loading: show the alt text instead of a broken image.
    return escapeHtml(inlineText(token.children, env as DocEnv));
  }
  return defaultImage ? defaultImage(tokens, idx, options, env, self) : self.renderToken(tokens, idx, options);
};

// ---------------------------------------------------------------------------------------------
// Sanitiser: the allow-list of everything the renderer above emits, and nothing else

const HEADING_TAGS = ["h1", "h2", "h3", "h4", "h5", "h6"] as const;

const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    ...HEADING_TAGS, "p", "br", "hr", "blockquote", "ul", "ol", "li", "pre", "code", "span", "em",
    "strong", "s", "a", "img", "table", "thead", "tbody", "tr", "th", "td", "div", "button", "input",
    "label",
  ],
  allowedAttributes: {
    ...Object.fromEntries(HEADING_TAGS.map((tag) => [tag, ["id"]])),
    a: ["href", "title", "class", "rel"],
    img: ["src", "alt", "title", "loading", "referrerpolicy"],
    ol: ["start", "class"],
    ul: ["class"],
    li: ["class"],
    input: [{ name: "type", values: ["checkbox"] }, "class", "id", "checked", "disabled"],
    label: ["class", "for"],
    button: [{ name: "type", values: ["button"] }, "class", "data-copy"],
    div: ["class"],
    p: ["class"],
    code: ["class"],
    span: ["class"],
    th: ["class"],
    td: ["class"],
  },
  allowedClasses: {
    a: ["wiki-link", "wiki-link-broken"],
    div: ["code-block", "callout", "callout-*"],
    p: ["callout-title"],
    button: ["copy-button"],
    code: ["hljs", "language-*"],
    // highlight.js scopes: `hljs-keyword`, sub-languages `language-xml`, modifiers `function_`.
    span: ["hljs-*", "language-*", "*_"],
    ul: ["task-list-container"],
    ol: ["task-list-container"],
    li: ["task-list-item"],
    input: ["task-list-item-checkbox"],
    label: ["task-list-item-label"],
    th: ["align-left", "align-center", "align-right"],
    td: ["align-left", "align-center", "align-right"],
  },
  allowedSchemes: [...LINK_SCHEMES],
  allowedSchemesByTag: { img: [...IMAGE_SCHEMES] },
  allowedSchemesAppliedToAttributes: ["href", "src"],
  allowProtocolRelative: true,
  disallowedTagsMode: "discard",
  transformTags: {
    a: (tagName, attribs) => {
      const { rel: _ignored, ...rest } = attribs;
      const href = (rest.href ?? "").trim().toLowerCase();
      const external = /^(?:https?:)?\/\//.test(href);
      return { tagName, attribs: external ? { ...rest, rel: "noopener noreferrer" } : rest };
    },
    img: (tagName, attribs) => ({
      tagName,
      attribs: { ...attribs, loading: "lazy", referrerpolicy: "no-referrer" },
    }),
  },
};

// ---------------------------------------------------------------------------------------------
// Public functions

/**
 * Renders a document's Markdown to sanitised HTML, with its table of contents and wiki links.
 *
 * - Frontmatter is dropped first (by `splitFrontmatter`'s rules).
 * - `toc`: headings h2-h4; when the document has more than one h1 (h1 used as sections, as in the
 *   SOC 2 policies), h1 headings are listed too. `id`s are unique within the document.
 * - `wikiLinks`: `[[slug]]` / `[[slug|label]]` outside code, unique by slug, in order.
 * - `html`: callouts as `<div class="callout callout-{note,tip,important,warning,caution,danger}">`
 *   with a `<p class="callout-title">`; code as `<div class="code-block">` with a copy button;
 *   task lists as disabled `input.task-list-item-checkbox`; wiki links as `a.wiki-link` (plus
 *   `wiki-link-broken` and a `title` when `wikiTargets` is given and lacks the slug).
 *
 * Input is untrusted: raw HTML is shown as text, unsafe URLs are dropped, and the result passes
 * an allow-list sanitiser. Throws only if `options.docHref` throws.
 */
export function renderMarkdown(markdown: string, options: RenderMarkdownOptions = {}): RenderedMarkdown {
  const env: DocEnv = { wikiTargets: options.wikiTargets, docHref: options.docHref ?? documentHref };
  const tokens = md.parse(withoutFrontmatter(markdown), env);

  const headings: TocEntry[] = [];
  const wikiLinks = new Map<string, WikiLink>();
  let h1Count = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.type === "heading_open") {
      const level = Number(token.tag.slice(1));
      if (level === 1) h1Count++;
      const text = inlineText(tokens[i + 1]?.children ?? null, env).trim();
      headings.push({ level, text, id: attrString(token, "id") ?? "" });
    } else if (token.type === "inline") {
      collectWikiLinks(token.children, wikiLinks);
    }
  }
  const minLevel = h1Count > 1 ? 1 : 2;
  const toc = headings.filter((h) => h.level >= minLevel && h.level <= 4);

  const rawHtml = md.renderer.render(tokens, md.options, env);
  return { html: sanitizeRenderedHtml(rawHtml), toc, wikiLinks: [...wikiLinks.values()] };
}

/**
 * The last step of `renderMarkdown`, exported so tests can attack it on its own: keeps only the
 * tags, attributes and classes the renderer emits; `href` only http, https, mailto, relative and
 * `#`; `src` only http, https and relative; never `style`, `target` or `on*`. External links get
 * `rel="noopener noreferrer"`, images `loading="lazy"` and `referrerpolicy="no-referrer"`.
 * Returns HTML; never throws.
 */
export function sanitizeRenderedHtml(html: string): string {
  return sanitizeHtml(html, SANITIZE_OPTIONS);
}

/**
 * Renders one line of text as inline Markdown (emphasis, code spans, links, `[[wiki links]]`) to
 * sanitised HTML with no block wrapper (no `<p>`), for short texts shown inside other markup, such
 * as incident timeline entries parsed from a postmortem's table row. Same instance, URL checks and
 * sanitiser as `renderMarkdown`; raw HTML is shown as text (`html: false`). Block syntax (`# `,
 * lists, tables) is not interpreted. Returns HTML; never throws (unless `options.docHref` does).
 */
export function renderInlineMarkdown(text: string, options: RenderMarkdownOptions = {}): string {
  const env: DocEnv = { wikiTargets: options.wikiTargets, docHref: options.docHref ?? documentHref };
  return sanitizeRenderedHtml(md.renderInline(text, env));
}

function collectWikiLinks(children: readonly Token[] | null, into: Map<string, WikiLink>): void {
  for (const child of children ?? []) {
    if (child.type === "wiki_link") {
      const meta = child.meta as unknown as WikiLinkMeta;
      if (!into.has(meta.slug)) into.set(meta.slug, { slug: meta.slug, label: meta.label });
    } else if (child.children) {
      collectWikiLinks(child.children, into);
    }
  }
}

/**
 * The wiki links of a document, for recording backlinks at save time: `[[slug]]` and
 * `[[slug|label]]` outside code spans and code blocks, slugs normalised (`normalizeWikiSlug`),
 * unique by slug (first occurrence wins), in document order. Never throws.
 */
export function extractWikiLinks(markdown: string): WikiLink[] {
  const tokens = md.parse(withoutFrontmatter(markdown), {});
  const links = new Map<string, WikiLink>();
  for (const token of tokens) if (token.type === "inline") collectWikiLinks(token.children, links);
  return [...links.values()];
}

/**
 * Plain text for the search index.
 * - `text`: every block's text in order, one block per line, without Markdown markup; HTML
 *   entities decoded; code spans and code blocks kept as text; wiki links as their label (or the
 *   target as written); image alt text kept; heading text included; frontmatter excluded.
 * - `headings`: the text of every heading (all levels), in order.
 * Never throws.
 */
export function markdownToPlainText(markdown: string): { text: string; headings: string[] } {
  const tokens = md.parse(withoutFrontmatter(markdown), {});
  const parts: string[] = [];
  const headings: string[] = [];
  let inHeading = false;
  for (const token of tokens) {
    switch (token.type) {
      case "heading_open":
        inHeading = true;
        break;
      case "heading_close":
        inHeading = false;
        break;
      case "inline": {
        const text = inlineText(token.children).trim();
        if (inHeading) headings.push(text);
        if (text) parts.push(text);
        break;
      }
      case "fence":
      case "code_block": {
        const code = token.content.replace(/\n+$/, "");
        if (code.trim()) parts.push(code);
        break;
      }
      default:
        break;
    }
  }
  return { text: parts.join("\n"), headings };
}

/**
 * Text of the document's first level-1 heading (`# Title`, or a `===` setext heading), without
 * markup and with entities decoded; frontmatter and leading blank lines are skipped, and `#` lines
 * inside code blocks do not count. Returns null when there is no non-empty h1. Never throws.
 */
export function firstHeading(markdown: string): string | null {
  const src = withoutFrontmatter(markdown).replace(/\r\n?/g, "\n").replace(/\0/g, "\uFFFD");
  const env = {};
  const blocks: Token[] = [];
  md.block.parse(src, md, env, blocks); // block structure only; inline parsing just for the h1
  for (let i = 0; i < blocks.length; i++) {
    if (blocks[i].type !== "heading_open" || blocks[i].tag !== "h1") continue;
    const inline = md.parseInline(blocks[i + 1]?.content ?? "", env)[0];
    const text = inlineText(inline?.children ?? null).trim();
    if (text) return text;
  }
  return null;
}
