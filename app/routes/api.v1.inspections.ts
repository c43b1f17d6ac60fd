import type { ActionFunctionArgs } from "@remix-run/node";
import { onlyPost, postRecord } from "~/continuity/api.server";

/** GET /api/v1/inspections: 405 (use POST, or GET /api/v1/inspections/:id). */
export function loader() {
  return onlyPost("inspection");
}

/**
 * POST /api/v1/inspections (editor; Bearer token with the write scope): JSON `{ system, inspectedAt,
 * inspector, result, checklist?: [{ item, result, note? }], findings?, notes?, correctiveActions?,
 * externalKey? }`, optional `Idempotency-Key` header -> 201 with the inspection and its URL;
 * 400 `{ error, fields }`; 409 when the key was used for different content (see app/continuity/api.server.ts).
 */
export function action({ request, context }: ActionFunctionArgs) {
  return postRecord("inspection", request, context);
}
