import type { LoaderFunctionArgs } from "@remix-run/node";
import { getRecord } from "~/continuity/api.server";

/** GET /api/v1/drills/:id (readers): the drill as POST answers it; 404 `{ error }` for an unknown id. */
export function loader({ request, params }: LoaderFunctionArgs) {
  return getRecord("drill", request, params.id ?? "");
}
