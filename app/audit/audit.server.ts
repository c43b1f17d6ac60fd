import type { Executor } from "../../db/client";
import { auditLog } from "../../db/schema/auth";

/** One audit entry; see the `audit_log` table for the meaning of each field. */
export interface AuditInput {
  actorUserId?: string | null;
  /** E-mail of the user, or `importer` / `system` / `anonymous`. */
  actor: string;
  action: string;
  targetType?: string | null;
  target?: string | null;
  revision?: number | null;
  details?: Record<string, unknown>;
  ip?: string | null;
}

/**
 * Appends an entry to the audit log (through `tx`, so it commits or rolls back with the change it
 * records). The table is append-only: a trigger refuses UPDATE and DELETE.
 */
export async function recordAudit(tx: Executor, entry: AuditInput): Promise<void> {
  await tx.insert(auditLog).values({
    actorUserId: entry.actorUserId ?? null,
    actor: entry.actor,
    action: entry.action,
    targetType: entry.targetType ?? null,
    target: entry.target ?? null,
    revision: entry.revision ?? null,
    details: entry.details ?? {},
    ip: entry.ip ?? null,
  });
}
