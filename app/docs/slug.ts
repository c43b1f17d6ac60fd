/**
 * Document slugs: lower-case path segments of letters (any script, so Chinese file names work),
 * digits, `-`, `_` and `.`, joined by `/`. Example: `kubesphere-alert-runbooks/content/runbooks/kubepodcrashlooping`.
 */
export const SLUG_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}._-]*(\/[\p{L}\p{N}][\p{L}\p{N}._-]*)*$/u;

/** True when `slug` is a valid document slug (see SLUG_PATTERN). */
export function isValidSlug(slug: string): boolean {
  return slug.length > 0 && slug.length <= 300 && SLUG_PATTERN.test(slug);
}

/**
 * Turns a relative file path into a slug: drops a `.md`/`.markdown` extension, lower-cases, turns
 * spaces and other punctuation into `-`, and collapses repeats. `_index.md` names its folder
 * (a Hugo section page). Returns "" when nothing usable is left.
 */
export function slugFromPath(relativePath: string): string {
  const segments = relativePath
    .normalize("NFC")
    .replace(/\\/g, "/")
    .replace(/\.(md|markdown)$/i, "")
    .split("/")
    .filter((s) => s !== "" && s !== ".");
  if (segments.length > 1 && segments[segments.length - 1] === "_index") segments.pop();
  return segments
    .map(slugSegment)
    .filter((s) => s !== "")
    .join("/");
}

/** One path segment as a slug segment (see slugFromPath). */
export function slugSegment(segment: string): string {
  return segment
    .toLowerCase()
    .replace(/[^\p{L}\p{N}._-]+/gu, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[-._]+|[-._]+$/g, "");
}

/** `/docs/<slug>` with each segment percent-encoded. */
export function documentHref(slug: string): string {
  return `/docs/${slug.split("/").map(encodeURIComponent).join("/")}`;
}

/** `/edit/<slug>`, segments percent-encoded: the editor for a document. */
export function editHref(slug: string): string {
  return `/edit/${encodeSlug(slug)}`;
}

/** `/history/<slug>`, segments percent-encoded: a document's revisions. */
export function historyHref(slug: string): string {
  return `/history/${encodeSlug(slug)}`;
}

/** `/compare/<slug>?from=&to=`, segments percent-encoded: the diff between two revisions (without them: the form's action). */
export function compareHref(slug: string, from?: number, to?: number): string {
  const query = from !== undefined && to !== undefined ? `?from=${from}&to=${to}` : "";
  return `/compare/${encodeSlug(slug)}${query}`;
}

function encodeSlug(slug: string): string {
  return slug.split("/").map(encodeURIComponent).join("/");
}
