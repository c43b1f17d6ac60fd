import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireReader } from "~/auth/session.server";
import { incidentJson } from "~/incidents/api.server";
import { parseIncidentReference } from "~/incidents/incident-input";
import { getIncident } from "~/incidents/incidents.server";
import { jsonError } from "~/lib/http.server";
import { getRuntime } from "~/lib/runtime.server";

/** GET /api/v1/incidents/:number (42 or INC-42) -> the incident (see incidentJson); 404 { error } when unknown. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireReader(request);
  const ref = parseIncidentReference(params.number ?? "");
  if (!ref || !("number" in ref)) return jsonError(400, "Give an incident number: /api/v1/incidents/42 or /api/v1/incidents/INC-42");
  const { db } = await getRuntime();
  const incident = await getIncident(db, ref.number);
  if (!incident) return jsonError(404, `No incident INC-${ref.number}`);
  return Response.json(incidentJson(incident));
}
