import { renderMarkdown, type RenderedMarkdown } from "./markdown";

const CACHE_LIMIT = 500;
const cache = new Map<string, RenderedMarkdown>();

/**
 * Renders a revision's body for its page, memoised per revision and set of existing wiki-link
 * targets with their titles (revisions are immutable, so only link targets change the HTML).
 * A leading `# ` heading that repeats the title (ignoring case and spaces) is left out, since the
 * page shows the title already.
 */
export function renderRevision(
  revisionId: number,
  title: string,
  body: string,
  wikiTargets: ReadonlyMap<string, { title: string }>,
): RenderedMarkdown {
  const targets = [...wikiTargets].map(([slug, t]) => `${slug}=${t.title}`).sort();
  const key = `${revisionId}\u0000${targets.join("\u0000")}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const rendered = renderMarkdown(withoutLeadingTitle(body, title), { wikiTargets });
  cache.set(key, rendered);
  if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  return rendered;
}

/** The body without a first-line `# Heading` equal to `title` (case, spaces and punctuation ignored). */
export function withoutLeadingTitle(body: string, title: string): string {
  const match = /^\s*#[ \t]+(.+?)[ \t#]*(?:\n|$)/.exec(body);
  if (!match) return body;
  const squash = (s: string) => s.toLowerCase().replace(/[\s\p{P}]+/gu, "");
  return squash(match[1]!) === squash(title) ? body.slice(match[0].length) : body;
}
