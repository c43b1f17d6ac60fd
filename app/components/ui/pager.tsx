import { Link } from "@remix-run/react";
import type { ReactNode } from "react";

/**
 * Page navigation for lists that grow (incidents, corrective actions, the audit log, search results,
 * the drill and inspection histories of the plan and system pages).
 */

/**
 * The link to page `page` of a list: `search` (the list's query string, with or without "?") with
 * `param` set to the page and every other parameter kept in its place; `path` "" keeps the current
 * path. E.g. `pageHref("owner=x&page=1", 2)` is `"?owner=x&page=2"`.
 */
export function pageHref(search: string, page: number, { param = "page", path = "", hash }: { param?: string; path?: string; hash?: string } = {}): string {
  const params = new URLSearchParams(search);
  params.set(param, String(page));
  return `${path}?${params}${hash ? `#${hash}` : ""}`;
}

const LABELS = {
  "newest-first": ["← Newer", "Older →"],
  sequential: ["← Previous", "Next →"],
} as const;

export interface PagerNavProps {
  /** Link to the previous page; null on the first. */
  prevHref: string | null;
  /** Link to the next page; null on the last. */
  nextHref: string | null;
  /** Where the reader is: "Page 2 of 5", "21–40 of 110". */
  status: ReactNode;
  /** "newest-first" (default "sequential") labels the links "← Newer" / "Older →" instead of "← Previous" / "Next →". */
  order?: "newest-first" | "sequential";
  /**
   * "page" (default): a list page's pager, a missing link is left out, the status muted.
   * "panel": a compact pager inside a card, a missing link shown greyed so the row keeps its shape.
   */
  variant?: "page" | "panel";
  /** The navigation's accessible name, default "Pages"; name it after the list where a page has several ("Matrix pages"). */
  label?: string;
}

/**
 * `<nav class="pager" aria-label="Pages">` (or `label`) with a previous link, the status and a next link. The
 * links are ordinary `<a href>` (Remix `Link`): reachable with Tab, followed with Enter, working
 * without JavaScript; a greyed label is plain text, never a disabled link.
 */
export function PagerNav({ prevHref, nextHref, status, order = "sequential", variant = "page", label = "Pages" }: PagerNavProps) {
  const [prev, next] = LABELS[order];
  const panel = variant === "panel";
  const missing = (label: string) => (panel ? <span className="muted">{label}</span> : null);
  return (
    <nav className={panel ? "pager small" : "pager"} aria-label={label}>
      {prevHref !== null ? <Link to={prevHref}>{prev}</Link> : missing(prev)}
      <span className={panel ? undefined : "muted small"}>{status}</span>
      {nextHref !== null ? <Link to={nextHref}>{next}</Link> : missing(next)}
    </nav>
  );
}

export interface PagerProps extends Omit<PagerNavProps, "prevHref" | "nextHref" | "status"> {
  /** The current page, 1-based. */
  page: number;
  /** How many pages there are; nothing is rendered when there is only one. */
  pages: number;
  /** The list's query string: its parameters (filters) are kept in the links; default none. */
  search?: string;
  /** The query parameter holding the page number; default "page". */
  param?: string;
  /** Path of the links; default "" (the current page). */
  path?: string;
  /** Fragment the links jump to (a panel's id), without "#". */
  hash?: string;
}

/** "← Previous · Page 2 of 5 · Next →" for a list counted in pages (see `PagerNav`, `pageHref`). */
export function Pager({ page, pages, search = "", param, path, hash, ...nav }: PagerProps) {
  if (pages <= 1) return null;
  const href = (n: number) => pageHref(search, n, { param, path, hash });
  return (
    <PagerNav
      {...nav}
      prevHref={page > 1 ? href(page - 1) : null}
      nextHref={page < pages ? href(page + 1) : null}
      status={
        <>
          Page {page} of {pages}
        </>
      }
    />
  );
}
