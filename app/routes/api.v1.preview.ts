import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireRole } from "~/auth/session.server";
import { renderPreview } from "~/docs/preview.server";
import { MAX_MARKDOWN_BYTES } from "~/docs/save.server";
import { jsonError } from "~/lib/http.server";
import { getRuntime } from "~/lib/runtime.server";

const previewSchema = z.object({
  markdown: z
    .string({ error: "Send { markdown: string }" })
    .refine((s) => Buffer.byteLength(s, "utf8") <= MAX_MARKDOWN_BYTES, "markdown is over 1 MB"),
  title: z.string().max(1000).optional(),
});

/**
 * POST /api/v1/preview with JSON { markdown, title? } (editor role)
 * -> { html, toc: [{ level, text, id }] }: the Markdown rendered by the document page's pipeline,
 * for the editor's live preview. 400 { error } for a bad body.
 */
export async function action({ request }: ActionFunctionArgs) {
  await requireRole(request, "editor");
  if (request.method !== "POST") return jsonError(405, "Use POST with JSON { markdown }");
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return jsonError(400, "Send JSON: { markdown: string, title?: string }");
  }
  const parsed = previewSchema.safeParse(body);
  if (!parsed.success) return jsonError(400, parsed.error.issues[0]!.message);
  const { db } = await getRuntime();
  const preview = await renderPreview(db, parsed.data.markdown, parsed.data.title);
  return Response.json(preview, { headers: { "cache-control": "no-store" } });
}

/** GET is not supported: previews are POSTed. */
export function loader() {
  return jsonError(405, "Use POST with JSON { markdown }");
}
