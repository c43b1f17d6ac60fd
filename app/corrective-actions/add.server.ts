/**
 * The `addCorrectiveAction` command: one new corrective action on an existing incident, drill or
 * inspection (the "Add corrective action" forms), validated, inserted and audited in ONE transaction.
 */
import { eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { drills, inspections } from "../../db/schema/continuity";
import { incidents } from "../../db/schema/incidents";
import { recordAudit } from "../audit/audit.server";
import { insertCorrectiveActions, type ActionSourceRef } from "./actions.server";
import { correctiveActionInput } from "./input";

export type AddCorrectiveActionResult =
  | { ok: true; id: string }
  | { ok: false; fieldErrors: Record<string, string> };

/** Thrown when the incident, drill or inspection the action is for does not exist. */
export class ActionSourceNotFoundError extends Error {
  constructor(readonly source: ActionSourceRef) {
    super(`No ${source.type} ${source.id}: the corrective action was not recorded.`);
    this.name = "ActionSourceNotFoundError";
  }
}

const SOURCE_TABLES = { incident: incidents, drill: drills, inspection: inspections } as const;

/**
 * Validates `raw` with `correctiveActionInput` (title, owner, dueDate YYYY-MM-DD, status, notes) and
 * inserts it for `source`, with an audit entry `corrective_action.create` (target: the new action's
 * id; details: source, title, owner, due date, status).
 * @returns `{ ok: false, fieldErrors }` keyed by field name when the input is invalid (nothing written).
 * @throws ActionSourceNotFoundError when the source record does not exist.
 */
export async function addCorrectiveAction(
  db: Database,
  source: ActionSourceRef,
  raw: unknown,
  actor: { userId: string | null; email: string; name: string; ip: string | null },
): Promise<AddCorrectiveActionResult> {
  const parsed = correctiveActionInput.safeParse(raw);
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "form");
      fieldErrors[field] ??= `${field} ${issue.message}`;
    }
    return { ok: false, fieldErrors };
  }
  return db.transaction(async (tx) => {
    const table = SOURCE_TABLES[source.type];
    const [found] = await tx.select({ id: table.id }).from(table).where(eq(table.id, source.id));
    if (!found) throw new ActionSourceNotFoundError(source);
    const [id] = await insertCorrectiveActions(tx, source, [parsed.data], actor.name);
    await recordAudit(tx, {
      actorUserId: actor.userId,
      actor: actor.email,
      action: "corrective_action.create",
      targetType: "corrective_action",
      target: id!,
      details: { source, title: parsed.data.title, owner: parsed.data.owner, dueDate: parsed.data.dueDate ?? null, status: parsed.data.status },
      ip: actor.ip,
    });
    return { ok: true as const, id: id! };
  });
}
