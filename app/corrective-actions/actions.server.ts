/**
 * Writing corrective actions. Creation is shared by the drill, inspection and incident commands,
 * which call it inside their own transaction so a record and its actions land together or not at all.
 * Editing one action (status, owner, due date, notes) is the `updateCorrectiveAction` command.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Database, Executor } from "../../db/client";
import { correctiveActions } from "../../db/schema/incidents";
import type { ActionSource } from "../../db/schema/enums";
import { recordAudit } from "../audit/audit.server";
import type { CorrectiveActionInput, CorrectiveActionUpdate, EditableActionFields } from "./input";

/** Which record the actions follow up on. */
export interface ActionSourceRef {
  type: ActionSource;
  id: string;
}

/** The row of one new action: a `done`/`wont_do` action without `closedAt` is closed at `now`. */
function newActionRow(source: ActionSourceRef, item: CorrectiveActionInput, createdBy: string, now: Date) {
  const closed = item.status === "done" || item.status === "wont_do";
  return {
    title: item.title,
    owner: item.owner,
    dueDate: item.dueDate ?? null,
    status: item.status,
    closedAt: closed ? (item.closedAt ? new Date(item.closedAt) : now) : null,
    notes: item.notes,
    incidentId: source.type === "incident" ? source.id : null,
    drillId: source.type === "drill" ? source.id : null,
    inspectionId: source.type === "inspection" ? source.id : null,
    createdBy,
  };
}

/**
 * Inserts already-validated actions (see `correctiveActionInput`) for one source, through `tx`.
 * A `done`/`wont_do` action without `closedAt` is closed at `now`. Returns the new ids in input order.
 * Audit entries are the caller's: it records the drill/inspection/incident with its actions.
 */
export async function insertCorrectiveActions(
  tx: Executor,
  source: ActionSourceRef,
  items: readonly CorrectiveActionInput[],
  createdBy: string,
  now: Date = new Date(),
): Promise<string[]> {
  if (items.length === 0) return [];
  const rows = await tx
    .insert(correctiveActions)
    .values(items.map((item) => newActionRow(source, item, createdBy, now)))
    .returning({ id: correctiveActions.id });
  return rows.map((r) => r.id);
}

/**
 * The importers' bulk form of {@link insertCorrectiveActions}: actions of many sources in ONE
 * statement (`jsonb_to_recordset`, because thousands of bound parameters are slow on PGlite),
 * inserted in the order given. Same rules for `closedAt`; returns nothing. `raisedAt` (UTC) becomes
 * the action's `created_at`, so its age counts from when the record raised it (the drill, the
 * inspection, the incident's resolution), not from the import; default now.
 */
export async function insertCorrectiveActionsInBulk(
  tx: Executor,
  entries: ReadonlyArray<{ source: ActionSourceRef; item: CorrectiveActionInput; raisedAt?: Date }>,
  createdBy: string,
  now: Date = new Date(),
): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map(({ source, item, raisedAt }, ord) => {
    const row = newActionRow(source, item, createdBy, now);
    return {
      ord,
      created_at: (raisedAt ?? now).toISOString(),
      title: row.title,
      owner: row.owner,
      due_date: row.dueDate,
      status: row.status,
      closed_at: row.closedAt?.toISOString() ?? null,
      notes: row.notes,
      incident_id: row.incidentId,
      drill_id: row.drillId,
      inspection_id: row.inspectionId,
    };
  });
  await tx.execute(sql`
    insert into ${correctiveActions} (title, owner, due_date, status, closed_at, notes, incident_id, drill_id, inspection_id, created_by, created_at)
    select title, owner, due_date, status, closed_at, notes, incident_id, drill_id, inspection_id, ${createdBy}, created_at
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(ord integer, created_at timestamptz, title text, owner text, due_date date, status text,
      closed_at timestamptz, notes text, incident_id uuid, drill_id uuid, inspection_id uuid)
    order by ord`);
}

/** Thrown when an edit names a version the action has moved past; carries both sides. */
export class CorrectiveActionConflictError extends Error {
  constructor(
    readonly current: EditableActionFields & { version: number; updatedAt: Date },
    readonly yours: Partial<EditableActionFields>,
  ) {
    super(
      `Someone changed this corrective action since you opened it (now version ${current.version}). ` +
        "Check their values, then save yours again if they should still win.",
    );
    this.name = "CorrectiveActionConflictError";
  }
}

/** Thrown when no corrective action has the id. */
export class CorrectiveActionNotFoundError extends Error {
  constructor(readonly id: string) {
    super(`No corrective action has the id ${id}.`);
    this.name = "CorrectiveActionNotFoundError";
  }
}

export interface UpdateCorrectiveActionResult {
  outcome: "updated" | "unchanged";
  action: EditableActionFields & { id: string; version: number; closedAt: Date | null };
  /** Changed fields with before and after (as in the audit entry). */
  changes: Record<string, { before: unknown; after: unknown }>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CLOSED = new Set(["done", "wont_do"]);

/**
 * The `updateCorrectiveAction` command: applies an already-validated edit (`correctiveActionUpdate`)
 * to one action in ONE transaction with its audit entry (`corrective_action.update`, details: each
 * changed field with `before` and `after`).
 * - The row is locked and its `version` compared with `input.version`: a mismatch throws
 *   CorrectiveActionConflictError with the current values and the edit's, and writes nothing.
 * - Reaching `done`/`wont_do` from an open status sets `closedAt` to `now`; re-opening clears it;
 *   moving between `done` and `wont_do` keeps it.
 * - An edit that changes nothing writes nothing ("unchanged").
 * @throws CorrectiveActionNotFoundError for an unknown id (or one that is not a UUID).
 */
export async function updateCorrectiveAction(
  db: Database,
  id: string,
  input: CorrectiveActionUpdate,
  actor: { userId: string | null; email: string; ip: string | null },
  now: Date = new Date(),
): Promise<UpdateCorrectiveActionResult> {
  if (!UUID.test(id)) throw new CorrectiveActionNotFoundError(id);
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(correctiveActions).where(eq(correctiveActions.id, id)).for("update");
    if (!row) throw new CorrectiveActionNotFoundError(id);
    const before: EditableActionFields = { status: row.status, owner: row.owner, dueDate: row.dueDate, notes: row.notes };
    const yours: Partial<EditableActionFields> = {};
    if (input.status !== undefined) yours.status = input.status;
    if (input.owner !== undefined) yours.owner = input.owner;
    if (input.dueDate !== undefined) yours.dueDate = input.dueDate;
    if (input.notes !== undefined) yours.notes = input.notes;
    if (row.version !== input.version) {
      throw new CorrectiveActionConflictError({ ...before, version: row.version, updatedAt: row.updatedAt }, yours);
    }
    const after: EditableActionFields = { ...before, ...yours };
    const changes: UpdateCorrectiveActionResult["changes"] = {};
    for (const key of ["status", "owner", "dueDate", "notes"] as const) {
      if (before[key] !== after[key]) changes[key] = { before: before[key], after: after[key] };
    }
    if (Object.keys(changes).length === 0) {
      return { outcome: "unchanged", action: { id, ...before, version: row.version, closedAt: row.closedAt }, changes };
    }
    const wasClosed = CLOSED.has(before.status);
    const isClosed = CLOSED.has(after.status);
    const closedAt = isClosed ? (wasClosed ? row.closedAt : now) : null;
    if ((closedAt?.getTime() ?? null) !== (row.closedAt?.getTime() ?? null)) {
      changes.closedAt = { before: row.closedAt?.toISOString() ?? null, after: closedAt?.toISOString() ?? null };
    }
    const [updated] = await tx
      .update(correctiveActions)
      .set({ ...after, closedAt, version: row.version + 1, updatedAt: now })
      .where(and(eq(correctiveActions.id, id), eq(correctiveActions.version, row.version)))
      .returning({ version: correctiveActions.version });
    await recordAudit(tx, {
      actorUserId: actor.userId,
      actor: actor.email,
      action: "corrective_action.update",
      targetType: "corrective_action",
      target: id,
      details: changes,
      ip: actor.ip,
    });
    return { outcome: "updated", action: { id, ...after, version: updated.version, closedAt }, changes };
  });
}
