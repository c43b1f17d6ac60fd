import { and, count, desc, eq, gte, ilike, like, lt, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Database, Executor } from "../../db/client";
import { auditLog, type AuditEntry } from "../../db/schema/auth";
import { canonicalJson } from "../docs/revision";
import { csvRow } from "./csv";

/**
 * Reading the audit log (the table is append-only; nothing here or anywhere changes a row):
 * filters shared by the admin page, its CSV download and `GET /api/v1/audit`.
 */

export interface AuditFilters {
  /** Part of the actor (e-mail, `importer`, `system`), case-insensitive. */
  actor?: string;
  /** Start of the action: `system` matches `system.create` and `system.update`. */
  action?: string;
  /** Exact target type: `document`, `system`, `team`, `sla`, `user`, `token`, `session`, … */
  targetType?: string;
  /** Exact target (slug, id or e-mail). */
  target?: string;
  /** Entries at or after this instant. */
  from?: Date;
  /** Entries before this instant. */
  toExclusive?: Date;
}

export const AUDIT_PAGE_SIZE = 50;
/** Most rows a CSV download holds; the newest are kept. */
export const AUDIT_CSV_MAX_ROWS = 100_000;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

const text = (name: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${name} is at most ${max} characters`)
    .transform((v) => v || undefined)
    .optional();

/** A date (YYYY-MM-DD, a whole UTC day) or an ISO date-time with an offset. */
const instant = (name: string) =>
  z
    .string()
    .trim()
    .transform((v) => v || undefined)
    .refine(
      (v) => v === undefined || (DATE_ONLY.test(v) ? isRealDate(v) : z.iso.datetime({ offset: true }).safeParse(v).success),
      `${name} must be a date YYYY-MM-DD (UTC) or an ISO date-time such as 2026-11-22T08:00:00Z`,
    )
    .optional();

const filterSchema = z.object({
  actor: text("actor", 320),
  action: text("action", 100),
  targetType: text("targetType", 50),
  target: text("target", 500),
  from: instant("from"),
  to: instant("to"),
});

const pagingSchema = z.object({
  limit: z.coerce
    .number({ error: "limit must be a whole number from 1 to 500" })
    .int("limit must be a whole number from 1 to 500")
    .min(1, "limit must be from 1 to 500")
    .max(500, "limit must be from 1 to 500")
    .default(AUDIT_PAGE_SIZE),
  offset: z.coerce
    .number({ error: "offset must be a whole number" })
    .int("offset must be a whole number")
    .min(0, "offset cannot be negative")
    .default(0),
});

/** The filters as given, for re-showing them in a form (blank when absent). */
export interface AuditFilterValues {
  actor: string;
  action: string;
  targetType: string;
  target: string;
  from: string;
  to: string;
}

export type ParsedAuditParams =
  | { ok: true; filters: AuditFilters; values: AuditFilterValues; limit: number; offset: number }
  | { ok: false; error: string; values: AuditFilterValues };

/**
 * Reads `actor, action, targetType, target, from, to, limit, offset` from URL parameters. `from`
 * and `to` take a date (a whole UTC day, both inclusive) or an ISO date-time (to: inclusive).
 * Blank parameters count as absent; others are ignored.
 * @returns the filters, or the message of the first bad parameter (it names the parameter).
 */
export function parseAuditParams(params: URLSearchParams): ParsedAuditParams {
  const get = (name: string) => params.get(name) ?? undefined;
  const values: AuditFilterValues = {
    actor: get("actor") ?? "",
    action: get("action") ?? "",
    targetType: get("targetType") ?? "",
    target: get("target") ?? "",
    from: get("from") ?? "",
    to: get("to") ?? "",
  };
  const filters = filterSchema.safeParse(values);
  if (!filters.success) return { ok: false, error: filters.error.issues[0]!.message, values };
  const paging = pagingSchema.safeParse({ limit: get("limit") || undefined, offset: get("offset") || undefined });
  if (!paging.success) return { ok: false, error: paging.error.issues[0]!.message, values };

  const { from, to, ...rest } = filters.data;
  const result: AuditFilters = { ...rest };
  if (from) result.from = new Date(DATE_ONLY.test(from) ? `${from}T00:00:00Z` : from);
  if (to) result.toExclusive = DATE_ONLY.test(to) ? new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000) : new Date(Date.parse(to) + 1);
  if (result.from && result.toExclusive && result.from >= result.toExclusive) {
    return { ok: false, error: "from must be before to", values };
  }
  return { ok: true, filters: result, values, limit: paging.data.limit, offset: paging.data.offset };
}

function isRealDate(v: string): boolean {
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
}

/** `%`, `_` and `\` match themselves in a LIKE pattern. */
function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function whereOf(filters: AuditFilters): SQL | undefined {
  const conditions: SQL[] = [];
  if (filters.actor) conditions.push(ilike(auditLog.actor, `%${escapeLike(filters.actor)}%`));
  if (filters.action) conditions.push(like(auditLog.action, `${escapeLike(filters.action)}%`));
  if (filters.targetType) conditions.push(eq(auditLog.targetType, filters.targetType));
  if (filters.target) conditions.push(eq(auditLog.target, filters.target));
  if (filters.from) conditions.push(gte(auditLog.at, filters.from));
  if (filters.toExclusive) conditions.push(lt(auditLog.at, filters.toExclusive));
  return conditions.length > 0 ? and(...conditions) : undefined;
}

/** The entries matching `filters`, newest first (`limit` from `offset`), and how many match in all. */
export async function listAuditEntries(
  db: Executor,
  filters: AuditFilters,
  page: { limit: number; offset: number },
): Promise<{ entries: AuditEntry[]; total: number }> {
  const where = whereOf(filters);
  const [entries, [totalRow]] = await Promise.all([
    db.select().from(auditLog).where(where).orderBy(desc(auditLog.at), desc(auditLog.id)).limit(page.limit).offset(page.offset),
    db.select({ n: count() }).from(auditLog).where(where),
  ]);
  return { entries, total: Number(totalRow!.n) };
}

/** One entry as the API returns it (times as ISO 8601 UTC). */
export function auditEntryJson(entry: AuditEntry) {
  return {
    id: entry.id,
    at: entry.at.toISOString(),
    actor: entry.actor,
    actorUserId: entry.actorUserId,
    action: entry.action,
    targetType: entry.targetType,
    target: entry.target,
    revision: entry.revision,
    details: entry.details,
    ip: entry.ip,
  };
}

export const AUDIT_CSV_COLUMNS = ["id", "at", "actor", "actor_user_id", "action", "target_type", "target", "revision", "ip", "details"];

/**
 * The entries matching `filters` as CSV (RFC 4180, CRLF, header row), newest first, at most
 * AUDIT_CSV_MAX_ROWS, read from one snapshot. Cells that a spreadsheet would run as a formula are
 * defused (see csv.ts).
 * @returns the CSV text, the number of rows, and whether rows were left out.
 */
export async function auditCsv(db: Database, filters: AuditFilters): Promise<{ csv: string; rows: number; truncated: boolean }> {
  const where = whereOf(filters);
  return db.transaction(
    async (tx) => {
      const parts = [csvRow(AUDIT_CSV_COLUMNS)];
      const batch = 2000;
      let rows = 0;
      let truncated = false;
      for (let offset = 0; ; offset += batch) {
        const entries = await tx.select().from(auditLog).where(where).orderBy(desc(auditLog.at), desc(auditLog.id)).limit(batch).offset(offset);
        for (const e of entries) {
          if (rows === AUDIT_CSV_MAX_ROWS) {
            truncated = true;
            break;
          }
          parts.push(
            csvRow([e.id, e.at.toISOString(), e.actor, e.actorUserId, e.action, e.targetType, e.target, e.revision, e.ip, canonicalJson(e.details)]),
          );
          rows++;
        }
        if (truncated || entries.length < batch) break;
      }
      return { csv: parts.join(""), rows, truncated };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

/** Actions and target types that occur in the log, sorted, for the filter form's suggestions. */
export async function auditVocabulary(db: Executor): Promise<{ actions: string[]; targetTypes: string[] }> {
  const [actions, targetTypes] = await Promise.all([
    db.selectDistinct({ v: auditLog.action }).from(auditLog).orderBy(auditLog.action).limit(500),
    db.selectDistinct({ v: auditLog.targetType }).from(auditLog).orderBy(auditLog.targetType).limit(100),
  ]);
  return {
    actions: actions.map((r) => r.v),
    targetTypes: targetTypes.map((r) => r.v).filter((v): v is string => v !== null),
  };
}
