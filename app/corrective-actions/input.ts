/**
 * The shape of a new corrective action as it arrives from a form, a JSON payload or an import file,
 * shared by drills, inspections and incidents (shared/domain.md, "corrective action").
 * Pure: no database, usable in the browser for form hints.
 */
import { z } from "zod";
import { ACTION_STATUSES } from "../../db/schema/enums";

export const MAX_ACTION_TITLE_LENGTH = 300;

/** A calendar day written YYYY-MM-DD that exists (2026-02-30 is refused). */
export const isoDay = z
  .string({ error: "must be a date written YYYY-MM-DD" })
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date written YYYY-MM-DD")
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, "is not a real calendar day");

/**
 * One corrective action: `{ title, owner, dueDate?: "YYYY-MM-DD" | null, status?: open|in_progress|done|wont_do,
 * notes? }`. A `done`/`wont_do` action may say when it was closed (`closedAt`, ISO 8601 instant);
 * otherwise it is closed at the time it is recorded.
 */
export const correctiveActionInput = z.object({
  title: z
    .string({ error: "is required" })
    .trim()
    .min(1, "is required")
    .max(MAX_ACTION_TITLE_LENGTH, `must be at most ${MAX_ACTION_TITLE_LENGTH} characters`),
  owner: z.string({ error: "is required: who is responsible" }).trim().min(1, "is required: who is responsible").max(200),
  dueDate: isoDay.nullish(),
  status: z.enum(ACTION_STATUSES, { error: `must be one of ${ACTION_STATUSES.join(", ")}` }).default("open"),
  closedAt: z.iso.datetime({ offset: true, error: "must be an ISO 8601 instant, e.g. 2026-03-01T10:00:00Z" }).nullish(),
  notes: z.string().trim().max(5000).default(""),
});
export type CorrectiveActionInput = z.infer<typeof correctiveActionInput>;

/**
 * An edit of an existing action from the /actions row form, `PATCH /api/v1/actions/:id` or a
 * script: `{ version, status?, owner?, dueDate?: "YYYY-MM-DD" | "" | null, notes? }`. `version` is
 * the one the edit was based on (a stale one is refused). Omitted fields keep their value;
 * `dueDate: ""` or `null` clears the due date.
 */
export const correctiveActionUpdate = z.object({
  version: z.coerce
    .number({ error: "is required: the version you edited (a whole number)" })
    .int("must be a whole number")
    .min(1, "must be 1 or more"),
  status: z.enum(ACTION_STATUSES, { error: `must be one of ${ACTION_STATUSES.join(", ")}` }).optional(),
  owner: z.string().trim().min(1, "is required: who is responsible").max(200, "must be at most 200 characters").optional(),
  dueDate: z.union([z.literal("").transform(() => null), z.null(), isoDay]).optional(),
  notes: z.string().trim().max(5000, "must be at most 5000 characters").optional(),
});
export type CorrectiveActionUpdate = z.infer<typeof correctiveActionUpdate>;

/** The fields of an action an edit can change, as stored. */
export interface EditableActionFields {
  status: (typeof ACTION_STATUSES)[number];
  owner: string;
  dueDate: string | null;
  notes: string;
}
