/**
 * GET /robots.txt — a knowledge base of internal operations procedures is not for search engines.
 * (Also the "trivial route" the HTTP benchmark compares document pages with.)
 */
export function loader() {
  return new Response("User-agent: *\nDisallow: /\n", {
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "public, max-age=86400" },
  });
}
