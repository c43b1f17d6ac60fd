import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDocument } from "~/docs/queries.server";
import { renderMarkdown } from "~/docs/markdown";
import { jsonError } from "~/lib/http.server";
import { requireReader } from "~/auth/session.server";
import { getRuntime } from "~/lib/runtime.server";

/**
 * GET /api/v1/documents/:slug (the slug may contain "/")
 * -> { slug, title, kind, status, systems, tags, alerts, sourcePath, lastReviewed, owner,
 *      revision: { number, createdAt, author }, markdown, html }; 404 { error } for an unknown slug.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireReader(request);
  const slug = (params["*"] ?? "").replace(/\/+$/, "");
  if (!slug) return jsonError(400, "Give a document slug: /api/v1/documents/<slug>");
  const { db } = await getRuntime();
  const detail = await getDocument(db, slug);
  if (!detail) return jsonError(404, `No document with slug "${slug}"`);
  return Response.json({
    slug: detail.document.slug,
    title: detail.revision.title,
    kind: detail.document.kind,
    status: detail.document.status,
    systems: detail.systems.map((s) => s.slug),
    tags: detail.tags,
    alerts: detail.alerts,
    sourcePath: detail.document.sourcePath,
    lastReviewed: detail.document.lastReviewed,
    owner: detail.owner?.slug ?? null,
    revision: {
      number: detail.revision.number,
      createdAt: detail.revision.createdAt.toISOString(),
      author: detail.revision.author,
    },
    markdown: detail.revision.body,
    html: renderMarkdown(detail.revision.body, { wikiTargets: detail.wikiTargets }).html,
  });
}
