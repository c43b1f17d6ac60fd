/**
 * Writing corrective actions. Creation is shared by the drill, inspection and incident commands,
 * which call it inside their own transaction so a record and its actions land together or not at all.
 */
import type { Executor } from "../../db/client";
import { correctiveActions } from "../../db/schema/incidents";
import type { ActionSource } from "../../db/schema/enums";
import type { CorrectiveActionInput } from "./input";

/** Which record the actions follow up on. */
export interface ActionSourceRef {
  type: ActionSource;
  id: string;
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
    .values(
      items.map((item) => {
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
      }),
    )
    .returning({ id: correctiveActions.id });
  return rows.map((r) => r.id);
}
