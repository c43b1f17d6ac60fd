import type { ActionFunctionArgs } from "@remix-run/node";
import { onlyPost, postRecord } from "~/continuity/api.server";

/** GET /api/v1/drills: 405 (use POST, or GET /api/v1/drills/:id). */
export function loader() {
  return onlyPost("drill");
}

/**
 * POST /api/v1/drills (editor; Bearer token with the write scope): JSON `{ plan, planRevision?,
 * scenario, heldAt, type, outcome, recoveryMinutes?, participants?, findings?, notes?,
 * correctiveActions?, externalKey? }`, optional `Idempotency-Key` header -> 201 with the drill and its
 * URL; 400 `{ error, fields }`; 409 when the key was used for different content (see app/continuity/api.server.ts).
 */
export function action({ request, context }: ActionFunctionArgs) {
  return postRecord("drill", request, context);
}
