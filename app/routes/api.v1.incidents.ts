import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireReader, requireRole } from "~/auth/session.server";
import { actorFromViewer } from "~/docs/save.server";
import { incidentJson, incidentListJson } from "~/incidents/api.server";
import { firstFieldError } from "~/incidents/incident-input";
import { createIncident, getIncident, listIncidents } from "~/incidents/incidents.server";
import { jsonError } from "~/lib/http.server";
import { getRuntime } from "~/lib/runtime.server";
import { INCIDENT_STATUSES, SEVERITY_LEVELS } from "../../db/schema/enums";

/**
 * GET /api/v1/incidents?severity=&status=&system=&from=&to=&limit=&offset= -> { incidents: [...], total },
 * newest first; severity/status repeat or take commas; from/to are ISO dates or instants bounding
 * startedAt (to exclusive); limit 1-200 (default 50). 400 { error } naming a bad parameter.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireReader(request);
  const q = new URL(request.url).searchParams;
  const list = (name: string, allowed: readonly string[]) => {
    const values = q.getAll(name).flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean);
    const bad = values.find((v) => !allowed.includes(v));
    return bad ? { error: `${name} must be one of ${allowed.join(", ")} (got "${bad}")` } : { values };
  };
  const severity = list("severity", SEVERITY_LEVELS);
  if ("error" in severity) return jsonError(400, severity.error!);
  const status = list("status", INCIDENT_STATUSES);
  if ("error" in status) return jsonError(400, status.error!);
  const instant = (name: string) => {
    const raw = q.get(name);
    if (!raw) return { value: null };
    const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00:00Z` : raw);
    return Number.isNaN(d.getTime()) ? { error: `${name} must be a date (YYYY-MM-DD) or an ISO 8601 instant` } : { value: d };
  };
  const from = instant("from");
  if ("error" in from) return jsonError(400, from.error!);
  const to = instant("to");
  if ("error" in to) return jsonError(400, to.error!);
  const limit = Number(q.get("limit") ?? 50);
  const offset = Number(q.get("offset") ?? 0);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) return jsonError(400, "limit must be a whole number from 1 to 200");
  if (!Number.isInteger(offset) || offset < 0 || offset % limit !== 0) return jsonError(400, "offset must be a multiple of limit (0, limit, 2 x limit, …)");
  const { db } = await getRuntime();
  const result = await listIncidents(db, {
    severity: severity.values,
    status: status.values,
    system: q.get("system") || null,
    from: from.value,
    to: to.value,
    page: offset / limit + 1,
    pageSize: limit,
  });
  return Response.json({ incidents: result.items.map(incidentListJson), total: result.total });
}

/**
 * POST /api/v1/incidents (editor role; a Bearer token with the write scope) with JSON as
 * incident-input.ts describes (timestamps as ISO 8601 instants with an offset) -> 201 with the
 * incident (as GET /api/v1/incidents/:number) and a Location header. 400 { error, fieldErrors }
 * naming each bad field; nothing is stored then.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = await requireRole(request, "editor");
  if (request.method.toUpperCase() !== "POST") return jsonError(405, "Use POST to record an incident", {}, { allow: "GET, POST" });
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return jsonError(400, "Send a JSON object in the request body (Content-Type: application/json).");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) return jsonError(400, "Send a JSON object in the request body.");
  const { db } = await getRuntime();
  const result = await createIncident(db, body, actorFromViewer(viewer, context), { origin: "api" });
  if (!result.ok) return jsonError(400, firstFieldError(result.fieldErrors), { fieldErrors: result.fieldErrors });
  const incident = await getIncident(db, result.number);
  return Response.json(incidentJson(incident!), { status: 201, headers: { location: `/api/v1/incidents/${result.number}` } });
}
