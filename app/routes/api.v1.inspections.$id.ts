import type { LoaderFunctionArgs } from "@remix-run/node";
import { getRecord } from "~/continuity/api.server";

/** GET /api/v1/inspections/:id (readers): the inspection as POST answers it; 404 `{ error }` for an unknown id. */
export function loader({ request, params }: LoaderFunctionArgs) {
  return getRecord("inspection", request, params.id ?? "");
}
