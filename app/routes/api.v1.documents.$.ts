import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { getDocument } from "~/docs/queries.server";
import { compareRevisions, listRevisions, resolveDocumentPath } from "~/docs/history.server";
import { renderMarkdown } from "~/docs/markdown";
import {
  actorFromViewer,
  DocumentConflictError,
  DocumentNotFoundError,
  restoreRevision,
  saveDocument,
  type SaveDocumentResult,
} from "~/docs/save.server";
import { jsonError } from "~/lib/http.server";
import { requireReader, requireRole } from "~/auth/session.server";
import { getRuntime } from "~/lib/runtime.server";

/**
 * GET /api/v1/documents/:slug (the slug may contain "/")
 * -> { slug, title, kind, status, systems, tags, alerts, sourcePath, lastReviewed, owner,
 *      revision: { number, createdAt, author }, markdown, html }; 404 { error } for an unknown slug.
 * GET /api/v1/documents/:slug/revisions -> [{ number, author, createdAt, message }], oldest first.
 * GET /api/v1/documents/:slug/diff?from=&to= -> { slug, from, to, metadata: [{ field, label, from, to,
 *      added?, removed? }], lines: [{ type: "same"|"added"|"removed"|"changed", ... }], stats }
 *      (see app/docs/diff.ts; `to` defaults to the current revision, `from` to the one before).
 * A path ending in /revisions, /diff or /restore is a sub-resource only when the rest names a document.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireReader(request);
  if (!(params["*"] ?? "").replace(/\/+$/, "")) return jsonError(400, "Give a document slug: /api/v1/documents/<slug>");
  const { db } = await getRuntime();
  const { slug, subresource } = await resolveDocumentPath(db, params["*"] ?? "");
  if (subresource === "revisions") {
    const history = await listRevisions(db, slug);
    if (!history) return jsonError(404, `No document with slug "${slug}"`);
    return Response.json(
      history.revisions
        .map((r) => ({ number: r.number, author: r.author, createdAt: r.createdAt.toISOString(), message: r.message }))
        .reverse(),
    );
  }
  if (subresource === "diff") return diffResponse(slug, new URL(request.url).searchParams);
  if (subresource === "restore") return jsonError(405, "Use POST with JSON { revision }", {}, { allow: "POST" });
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

const revisionNumber = z.coerce.number({ error: "must be a revision number" }).int("must be a revision number").min(1, "must be a revision number");

async function diffResponse(slug: string, query: URLSearchParams): Promise<Response> {
  const { db } = await getRuntime();
  const param = (name: string) => {
    const raw = query.get(name);
    return raw === null || raw === "" ? { success: true as const, data: undefined } : revisionNumber.safeParse(raw);
  };
  const from = param("from");
  const to = param("to");
  if (!from.success) return jsonError(400, "from must be a revision number, e.g. ?from=1&to=3");
  if (!to.success) return jsonError(400, "to must be a revision number, e.g. ?from=1&to=3");
  const history = await listRevisions(db, slug);
  if (!history) return jsonError(404, `No document with slug "${slug}"`);
  const toNumber = to.data ?? history.document.currentRevision;
  const fromNumber = from.data ?? Math.max(1, toNumber - 1);
  const compared = await compareRevisions(db, slug, fromNumber, toNumber);
  if (!compared) return jsonError(404, `${slug} has revisions 1 to ${history.document.currentRevision}`);
  return Response.json({ slug, ...compared.diff });
}

const restoreBody = z.object({ revision: revisionNumber, baseRevision: revisionNumber.optional() });

/**
 * PUT /api/v1/documents/:slug with JSON { baseRevision?, title, markdown, message?, kind?, systems?,
 *   tags?, alerts?, status?, owner?, lastReviewed? } (editor role; a session with Origin, or a
 *   Bearer token with the write scope): without baseRevision creates the document (409 when it
 *   exists), with it saves a new revision -> 200 { revision, outcome }. Omitted metadata keeps its value.
 * POST /api/v1/documents/:slug/restore with JSON { revision, baseRevision? } -> 200 { revision, outcome }:
 *   a new revision equal to the old one.
 * Errors: 400 { error, fieldErrors } for bad input; 404 { error } for an unknown document or revision;
 *   409 { error, current: { number, title, markdown, author, createdAt }, yours: { title, markdown } }
 *   when the document moved past baseRevision (or the slug is taken): nothing was saved, and both
 *   texts are in the answer.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = await requireRole(request, "editor");
  const { db, outbox } = await getRuntime();
  const { slug, subresource } = await resolveDocumentPath(db, params["*"] ?? "");
  const method = request.method.toUpperCase();
  if (!slug) return jsonError(400, "Give a document slug: /api/v1/documents/<slug>");
  if (subresource === "restore" ? method !== "POST" : subresource !== null || method !== "PUT") {
    const allow = subresource === "restore" ? "POST" : subresource ? "GET" : "GET, PUT";
    return jsonError(405, `Use ${allow} on this address`, {}, { allow });
  }
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return jsonError(400, "Send a JSON object in the request body (Content-Type: application/json).");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) return jsonError(400, "Send a JSON object in the request body.");
  const actor = actorFromViewer(viewer, context);
  try {
    let result: SaveDocumentResult;
    if (subresource === "restore") {
      const parsed = restoreBody.safeParse(body);
      if (!parsed.success) {
        const fieldErrors = Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message]));
        return jsonError(400, "Send { revision: <number>, baseRevision?: <number> }", { fieldErrors });
      }
      result = await restoreRevision(db, { slug, ...parsed.data }, actor);
    } else {
      result = await saveDocument(db, { ...(body as Record<string, unknown>), slug } as Parameters<typeof saveDocument>[1], actor);
    }
    if (!result.ok) {
      const summary = Object.entries(result.fieldErrors)
        .map(([field, message]) => `${field}: ${message}`)
        .join("; ");
      return jsonError(400, `Not saved. ${summary}`, { fieldErrors: result.fieldErrors });
    }
    if (result.outcome !== "unchanged") await outbox.kick();
    return Response.json({ revision: result.revision, outcome: result.outcome }, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    if (error instanceof DocumentConflictError) return jsonError(409, error.message, conflictBody(error));
    if (error instanceof DocumentNotFoundError) return jsonError(404, error.message);
    throw error;
  }
}

function conflictBody(error: DocumentConflictError) {
  return {
    current: {
      number: error.current.number,
      title: error.current.title,
      markdown: error.current.body,
      author: error.current.author,
      createdAt: error.current.createdAt.toISOString(),
    },
    yours: { title: error.yours.title, markdown: error.yours.markdown },
  };
}
