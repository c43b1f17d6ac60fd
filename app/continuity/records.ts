/**
 * The shapes of a drill and an inspection as they arrive from a form, the JSON API or an import file
 * (shared/domain.md, "drill" 演练 and "inspection" 巡检), and the field-named errors a refusal carries.
 * Pure: no database, no clock; usable in the browser for form hints. Checks that need the database
 * (the plan exists, the system is active, the date is not in the future) are the commands' job
 * (app/continuity/continuity.server.ts).
 *
 * Field names are camelCase in JSON and in the YAML record files alike, so one schema serves both.
 */
import { z } from "zod";
import { DRILL_OUTCOMES, DRILL_TYPES, INSPECTION_RESULTS, type InspectionResult } from "../../db/schema/enums";
import { correctiveActionInput, type CorrectiveActionInput } from "../corrective-actions/input";

export const MAX_LIST_ENTRIES = 100;
export const MAX_CHECKLIST_ITEMS = 200;
export const MAX_CORRECTIVE_ACTIONS = 50;
export const MAX_NOTES_LENGTH = 20_000;

/** A field-named problem: `{ field: "checklist[2].result", message: "must be one of ok, warning, failed" }`. */
export interface FieldError {
  /** Path of the field in the input: dots for object keys, `[n]` for list positions (0-based). */
  field: string;
  message: string;
}

const oneOf = (values: readonly string[]) => `must be one of ${values.join(", ")}`;

/** A document slug as written in a record (the plan); letters of any script, `/`-separated segments. */
const documentSlug = z
  .string({ error: "is required: the contingency plan's slug, e.g. plan-swift-outage" })
  .trim()
  .toLowerCase()
  .min(1, "is required: the contingency plan's slug, e.g. plan-swift-outage")
  .max(300, "must be at most 300 characters");

const systemSlug = z
  .string({ error: "is required: the system's slug, e.g. core-ledger" })
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9-]*$/, "must be a system slug such as core-ledger");

const requiredText = (max: number, what = "is required") =>
  z.string({ error: what }).trim().min(1, what).max(max, `must be at most ${max} characters`);

/** Free text that may be left out (default ""). */
const optionalText = (max: number) =>
  z
    .string({ error: "must be text" })
    .trim()
    .max(max, `must be at most ${max} characters`)
    .nullish()
    .transform((v) => v ?? "");

/** A list of short texts (participants, findings); blank entries are dropped. */
const textList = (maxLength: number) =>
  z
    .array(z.string({ error: "must be text" }).trim().max(maxLength, `must be at most ${maxLength} characters`), {
      error: "must be a list of texts",
    })
    .max(MAX_LIST_ENTRIES, `must have at most ${MAX_LIST_ENTRIES} entries`)
    .nullish()
    .transform((list) => (list ?? []).filter((s) => s !== ""));

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
const INSTANT_HINT = "must be a date (2026-03-01, taken as 00:00 UTC) or an ISO 8601 instant with a zone (2026-03-01T10:00:00Z, 2026-03-01T18:00:00+08:00)";

/**
 * When something happened: `YYYY-MM-DD` (midnight UTC) or an ISO 8601 date-time with `Z` or an offset
 * (a time without a zone is refused: it would be read in nobody's zone). A `Date` passes as is.
 * Output: a `Date` (UTC instant).
 */
export const instantInput = z
  .union([z.string({ error: INSTANT_HINT }), z.date({ error: INSTANT_HINT })], { error: INSTANT_HINT })
  .transform((value, ctx) => {
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) ctx.addIssue({ code: "custom", message: INSTANT_HINT });
      return value;
    }
    const s = value.trim();
    let date: Date | null = null;
    if (DATE_ONLY.test(s)) {
      const d = new Date(`${s}T00:00:00Z`);
      if (!Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s) date = d;
      else {
        ctx.addIssue({ code: "custom", message: "is not a real calendar day" });
        return z.NEVER;
      }
    } else if (DATE_TIME.test(s)) {
      const d = new Date(s);
      if (!Number.isNaN(d.getTime()) && new Date(`${s.slice(0, 10)}T00:00:00Z`).toISOString().slice(0, 10) === s.slice(0, 10)) date = d;
    }
    if (!date) {
      ctx.addIssue({ code: "custom", message: INSTANT_HINT });
      return z.NEVER;
    }
    return date;
  });

const externalKey = z
  .string({ error: "must be text" })
  .trim()
  .min(1, "must not be empty")
  .max(200, "must be at most 200 characters")
  .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces, e.g. nightly-check-2026-03-01")
  .optional();

const correctiveActions = z
  .array(correctiveActionInput, { error: "must be a list of corrective actions { title, owner, dueDate?, status?, notes? }" })
  .max(MAX_CORRECTIVE_ACTIONS, `must have at most ${MAX_CORRECTIVE_ACTIONS} entries`)
  .nullish()
  .transform((list): CorrectiveActionInput[] => list ?? []);

/**
 * A drill as submitted: `{ plan, planRevision?, scenario, heldAt, type, outcome, recoveryMinutes?,
 * participants?, findings?, notes?, correctiveActions?, externalKey? }`.
 * - `plan`: slug of a contingency plan; `planRevision`: the revision exercised (default: the current one).
 * - `heldAt`: see `instantInput` (date-only = 00:00 UTC).
 * - `recoveryMinutes`: achieved recovery time in whole minutes (>= 0), or null/absent when not measured
 *   (a tabletop exercise).
 * Unknown keys are refused (a typo such as `outcom` must not be dropped silently).
 */
export const drillInput = z.strictObject(
  {
    plan: documentSlug,
    planRevision: z
      .number({ error: "must be a revision number (1, 2, …)" })
      .int("must be a revision number (1, 2, …)")
      .min(1, "must be a revision number (1, 2, …)")
      .nullish()
      .transform((v) => v ?? undefined),
    scenario: requiredText(500, "is required: which scenario of the plan was exercised"),
    heldAt: instantInput,
    type: z.enum(DRILL_TYPES, { error: oneOf(DRILL_TYPES) }),
    outcome: z.enum(DRILL_OUTCOMES, { error: oneOf(DRILL_OUTCOMES) }),
    recoveryMinutes: z
      .number({ error: "must be a whole number of minutes (0 or more), or null when not measured" })
      .int("must be a whole number of minutes")
      .min(0, "cannot be negative")
      .max(525_600, "must be at most 525600 (a year)")
      .nullish()
      .transform((v) => v ?? null),
    participants: textList(200),
    findings: textList(2000),
    notes: optionalText(MAX_NOTES_LENGTH),
    correctiveActions,
    externalKey,
  },
  { error: "must be an object { plan, scenario, heldAt, type, outcome, … }" },
);
export type DrillInput = z.output<typeof drillInput>;

const checklistItem = z.strictObject(
  {
    item: requiredText(300, "is required: what was checked"),
    result: z.enum(INSPECTION_RESULTS, { error: oneOf(INSPECTION_RESULTS) }),
    note: optionalText(2000),
  },
  { error: "must be an object { item, result, note? }" },
);

const RESULT_RANK: Record<InspectionResult, number> = { ok: 0, warning: 1, failed: 2 };

/** The worst of some results (`failed` > `warning` > `ok`); `ok` for none. */
export function worstResult(results: readonly InspectionResult[]): InspectionResult {
  return results.reduce<InspectionResult>((worst, r) => (RESULT_RANK[r] > RESULT_RANK[worst] ? r : worst), "ok");
}

/**
 * An inspection as submitted: `{ system, inspectedAt, inspector, result, checklist?: [{ item, result,
 * note? }], findings?, notes?, correctiveActions?, externalKey? }`. `inspectedAt`: see `instantInput`.
 * The overall `result` may not be better than its worst checklist item (an inspection with a failed
 * check is not `ok`). Unknown keys are refused.
 */
export const inspectionInput = z
  .strictObject(
    {
      system: systemSlug,
      inspectedAt: instantInput,
      inspector: requiredText(200, "is required: who (or which job) inspected"),
      result: z.enum(INSPECTION_RESULTS, { error: oneOf(INSPECTION_RESULTS) }),
      checklist: z
        .array(checklistItem, { error: "must be a list of { item, result, note? }" })
        .max(MAX_CHECKLIST_ITEMS, `must have at most ${MAX_CHECKLIST_ITEMS} items`)
        .nullish()
        .transform((list) => list ?? []),
      findings: textList(2000),
      notes: optionalText(MAX_NOTES_LENGTH),
      correctiveActions,
      externalKey,
    },
    { error: "must be an object { system, inspectedAt, inspector, result, … }" },
  )
  .superRefine((value, ctx) => {
    const worst = worstResult(value.checklist.map((c) => c.result));
    if (RESULT_RANK[worst] > RESULT_RANK[value.result]) {
      const index = value.checklist.findIndex((c) => c.result === worst);
      ctx.addIssue({
        code: "custom",
        path: ["result"],
        message: `cannot be ${value.result} when checklist[${index}] is ${worst}; use ${worst}`,
      });
    }
  });
export type InspectionInput = z.output<typeof inspectionInput>;

/** `["checklist", 2, "result"]` -> `checklist[2].result`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}

/**
 * zod issues as `{ field, message }[]`, in input order, one entry per problem. An unknown key becomes
 * an error on that key ("is not a field of …"). `prefix` is put before every path (e.g. `records[3]`).
 */
export function issuesToFieldErrors(issues: readonly z.core.$ZodIssue[], prefix = ""): FieldError[] {
  const join = (path: string) => (prefix && path ? `${prefix}.${path}`.replace(/\.\[/g, "[") : prefix || path);
  const errors: FieldError[] = [];
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        errors.push({ field: join(fieldPath([...issue.path, key])), message: "is not a known field (check the spelling; see the format in content/README.md)" });
      }
      continue;
    }
    errors.push({ field: join(fieldPath(issue.path)) || "(record)", message: issue.message });
  }
  return errors;
}

/** "checklist[2].result must be one of ok, warning, failed; heldAt is required" */
export function describeFieldErrors(errors: readonly FieldError[]): string {
  return errors.map((e) => `${e.field} ${e.message}`).join("; ");
}

/** What a parse gives: the typed record, or the field-named errors. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** Validates an unknown value (JSON body, YAML entry, form mapping) as a drill. */
export function parseDrill(raw: unknown): ParseResult<DrillInput> {
  const result = drillInput.safeParse(raw);
  return result.success ? { ok: true, value: result.data } : { ok: false, errors: issuesToFieldErrors(result.error.issues) };
}

/** Validates an unknown value as an inspection. */
export function parseInspection(raw: unknown): ParseResult<InspectionInput> {
  const result = inspectionInput.safeParse(raw);
  return result.success ? { ok: true, value: result.data } : { ok: false, errors: issuesToFieldErrors(result.error.issues) };
}
