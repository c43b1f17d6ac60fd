import { inArray } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { documents } from "../../db/schema";
import { extractWikiLinks, renderMarkdown, type RenderedMarkdown } from "./markdown";
import { withoutLeadingTitle } from "./render.server";

/**
 * Renders unsaved Markdown exactly as the document page will (same pipeline, a leading `# ` heading
 * equal to `title` left out, wiki links resolved against the documents that exist now, so a broken
 * `[[link]]` shows as broken in the editor). Returns sanitised HTML and the table of contents.
 */
export async function renderPreview(db: Executor, markdown: string, title = ""): Promise<Pick<RenderedMarkdown, "html" | "toc">> {
  const body = markdown.replace(/\r\n?/g, "\n");
  const slugs = [...new Set(extractWikiLinks(body).map((link) => link.slug))];
  const targets =
    slugs.length > 0
      ? await db.select({ slug: documents.slug, title: documents.title }).from(documents).where(inArray(documents.slug, slugs.slice(0, 500)))
      : [];
  const rendered = renderMarkdown(withoutLeadingTitle(body, title), { wikiTargets: new Map(targets.map((t) => [t.slug, { title: t.title }])) });
  return { html: rendered.html, toc: rendered.toc };
}
