/**
 * The HTTP API of drills and inspections (`POST /api/v1/drills`, `POST /api/v1/inspections`,
 * `GET /api/v1/drills/:id`, `GET /api/v1/inspections/:id`): one handler shape for both kinds, so
 * their answers agree.
 */
import { requireReader, requireRole } from "../auth/session.server";
import { actorFromViewer } from "../docs/save.server";
import { jsonError } from "../lib/http.server";
import { getRuntime } from "../lib/runtime.server";
import {
  getDrill,
  getInspection,
  IdempotencyConflictError,
  recordDrill,
  recordInspection,
  type CommandResult,
} from "./continuity.server";
import { describeFieldErrors } from "./records";

type Kind = "drill" | "inspection";

const COMMANDS = { drill: recordDrill, inspection: recordInspection } as const;
const GETTERS = { drill: getDrill, inspection: getInspection } as const;
const EXAMPLES: Record<Kind, string> = {
  drill: '{ "plan": "plan-swift-outage", "scenario": "…", "heldAt": "2026-11-20T07:00:00Z", "type": "simulation", "outcome": "passed", "recoveryMinutes": 27 }',
  inspection: '{ "system": "core-ledger", "inspectedAt": "2026-11-22T01:30:00Z", "inspector": "daily-check", "result": "ok" }',
};

/**
 * POST: records one drill or inspection from a JSON body (editor role: a session with this site's
 * Origin, or a Bearer token with the write scope). Optional `Idempotency-Key` header (or `externalKey`
 * in the body). Answers:
 * - 201 `{ outcome: "created", ...record }` with `Location`; 200 `{ outcome: "unchanged", ...record }`
 *   when the key names a record with the same content;
 * - 400 `{ error, fields: [{ field, message }] }` naming each bad field (nothing stored);
 * - 409 `{ error, existing, differences }` when the key names a record with different content;
 * - 405 for other methods.
 */
export async function postRecord(kind: Kind, request: Request, context: unknown): Promise<Response> {
  const viewer = await requireRole(request, "editor");
  if (request.method.toUpperCase() !== "POST") return jsonError(405, `Use POST with a JSON body, e.g. ${EXAMPLES[kind]}`, {}, { allow: "POST" });
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return jsonError(400, `Send a JSON object in the request body (Content-Type: application/json), e.g. ${EXAMPLES[kind]}`, {
      fields: [{ field: "(body)", message: "is not valid JSON" }],
    });
  }
  const { db } = await getRuntime();
  let result: CommandResult;
  try {
    result = await COMMANDS[kind](db, body, actorFromViewer(viewer, context), {
      origin: "api",
      externalKey: request.headers.get("idempotency-key"),
    });
  } catch (error) {
    if (error instanceof IdempotencyConflictError) {
      return jsonError(409, error.message, { existing: `/${kind}s/${error.existingId}`, differences: error.differences });
    }
    throw error;
  }
  if (!result.ok) return jsonError(400, `Not recorded: ${describeFieldErrors(result.errors)}`, { fields: result.errors });
  const record = await GETTERS[kind](db, result.id);
  const location = new URL(`/${kind}s/${result.id}`, request.url).toString();
  return Response.json(
    { outcome: result.outcome, ...record },
    { status: result.outcome === "created" ? 201 : 200, headers: { location, "cache-control": "no-store" } },
  );
}

/** GET one record as JSON (readers); 404 `{ error }` for an unknown id. */
export async function getRecord(kind: Kind, request: Request, id: string): Promise<Response> {
  await requireReader(request);
  const { db } = await getRuntime();
  const record = await GETTERS[kind](db, id);
  if (!record) return jsonError(404, `No ${kind} has the id "${id}"`);
  return Response.json(record, { headers: { "cache-control": "no-store" } });
}

/** The answer to GET on a collection that only takes POST. */
export function onlyPost(kind: Kind): Response {
  return jsonError(405, `Use POST with a JSON body, e.g. ${EXAMPLES[kind]}; GET /api/v1/${kind}s/<id> reads one`, {}, { allow: "POST" });
}
