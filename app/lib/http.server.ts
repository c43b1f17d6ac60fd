/**
 * Throws `new Response(message, { status })` when `condition` is falsy; Remix renders the route's
 * ErrorBoundary with it (Epic Stack's invariantResponse).
 */
export function invariantResponse(condition: unknown, message: string, init: ResponseInit = { status: 404 }): asserts condition {
  if (!condition) throw new Response(message, { ...init, headers: { "content-type": "text/plain; charset=utf-8", ...init.headers } });
}

/** A JSON error body `{ error }` with the given status (and extra headers, e.g. `allow` on a 405), for the HTTP API. */
export function jsonError(status: number, error: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Response {
  return Response.json({ error, ...extra }, { status, headers: { "cache-control": "no-store", ...headers } });
}
