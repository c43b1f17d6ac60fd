import type { LoaderFunctionArgs } from "@remix-run/node";
import { documentHref } from "~/docs/slug";
import { jsonError } from "~/lib/http.server";
import { requireReader } from "~/auth/session.server";
import { getRuntime } from "~/lib/runtime.server";
import { parseSearchParams } from "~/search/params";

/**
 * GET /api/v1/search?q=&kind=&system=&team=&tier=&status=&limit=&offset=
 * -> { hits: [{ slug, title, kind, status, systems, alerts, snippet, url, sourcePath }], total, facets, tookMs }
 * 400 { error } on a bad parameter.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireReader(request);
  const parsed = parseSearchParams(new URL(request.url).searchParams);
  if (!parsed.ok) return jsonError(400, parsed.error);
  const { search } = await getRuntime();
  const result = await search.search(parsed.query);
  return Response.json(
    {
      hits: result.hits.map((hit) => ({
        slug: hit.slug,
        title: hit.title,
        kind: hit.kind,
        status: hit.status,
        systems: hit.systems,
        alerts: hit.alerts,
        snippet: hit.snippet,
        url: documentHref(hit.slug),
        sourcePath: hit.sourcePath,
      })),
      total: result.total,
      facets: result.facets,
      tookMs: result.tookMs,
    },
    { headers: { "cache-control": "no-store" } },
  );
}
