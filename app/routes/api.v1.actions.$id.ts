import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/auth/session.server";
import { CorrectiveActionConflictError, CorrectiveActionNotFoundError, updateCorrectiveAction } from "~/corrective-actions/actions.server";
import { correctiveActionUpdate } from "~/corrective-actions/input";
import { actorFromViewer } from "~/docs/save.server";
import { jsonError } from "~/lib/http.server";
import { getRuntime } from "~/lib/runtime.server";

/** GET is not served here: the list is /actions (and /actions.csv). */
export function loader(_: LoaderFunctionArgs) {
  return jsonError(405, "Use PATCH with JSON { version, status?, owner?, dueDate?, notes? }", {}, { allow: "PATCH" });
}

/**
 * PATCH /api/v1/actions/:id (editor, write-scope token) with JSON `{ version, status?, owner?,
 * dueDate?: "YYYY-MM-DD" | null, notes? }` -> 200 `{ outcome: "updated" | "unchanged", action: { id,
 * status, owner, dueDate, notes, version, closedAt } }`; 400 `{ error, fieldErrors }`; 404 unknown id;
 * 409 `{ error, current: { status, owner, dueDate, notes, version, updatedAt }, yours }` when
 * `version` is not the current one; 405 for other methods.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = await requireRole(request, "editor");
  if (request.method.toUpperCase() !== "PATCH") return jsonError(405, "Use PATCH", {}, { allow: "PATCH" });
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return jsonError(400, "The body must be JSON: { version, status?, owner?, dueDate?, notes? }");
  }
  const parsed = correctiveActionUpdate.safeParse(body);
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0] ?? "body")] ??= issue.message;
    return jsonError(400, `Invalid: ${Object.entries(fieldErrors).map(([f, m]) => `${f} ${m}`).join("; ")}`, { fieldErrors });
  }
  const { db } = await getRuntime();
  try {
    const result = await updateCorrectiveAction(db, params.id ?? "", parsed.data, actorFromViewer(viewer, context));
    return Response.json({ outcome: result.outcome, action: { ...result.action, closedAt: result.action.closedAt?.toISOString() ?? null } });
  } catch (error) {
    if (error instanceof CorrectiveActionNotFoundError) return jsonError(404, error.message);
    if (error instanceof CorrectiveActionConflictError) {
      return jsonError(409, error.message, { current: { ...error.current, updatedAt: error.current.updatedAt.toISOString() }, yours: error.yours });
    }
    throw error;
  }
}
