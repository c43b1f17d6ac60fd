import type { ActionFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/auth/session.server";
import { actorFromViewer } from "~/docs/save.server";
import { alertmanagerPayload } from "~/incidents/alertmanager";
import { receiveAlertmanager } from "~/incidents/alertmanager.server";
import { incidentReference } from "~/incidents/incident-input";
import { jsonError } from "~/lib/http.server";
import { getRuntime } from "~/lib/runtime.server";

/** GET is not served: Alertmanager posts. */
export function loader() {
  return jsonError(405, "Alertmanager posts its webhook here: POST /api/v1/alertmanager", {}, { allow: "POST" });
}

/**
 * POST /api/v1/alertmanager: an Alertmanager webhook notification (payload version 4), with
 * `Authorization: Bearer <token>` of an editor's write-scope token (http_config.authorization).
 * Firing opens an incident or updates the group's open one; resolved sets resolved_at. 200
 * `{ incident: "INC-n", number, outcome: created|updated|unchanged, warnings, url }`; 400 { error,
 * field } naming the first bad field of the payload (Alertmanager does not retry a 4xx).
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = await requireRole(request, "editor");
  if (request.method.toUpperCase() !== "POST") return jsonError(405, "Use POST", {}, { allow: "POST" });
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return jsonError(400, "Send the Alertmanager webhook JSON in the request body.");
  }
  const parsed = alertmanagerPayload.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join(".") || "(body)";
    return jsonError(400, `${field}: ${issue.message}`, { field });
  }
  const { db } = await getRuntime();
  const result = await receiveAlertmanager(db, parsed.data, actorFromViewer(viewer, context));
  return Response.json({ incident: incidentReference(result.number), number: result.number, outcome: result.outcome, warnings: result.warnings, url: `/incidents/${result.number}` });
}
