/**
 * The drill and inspection forms: what the browser posts (plain strings, so the forms work without
 * JavaScript) mapped to the objects `drillInput` / `inspectionInput` validate, and field errors
 * mapped back to the form's inputs. Pure; safe in the browser.
 *
 * - Date-times are typed in the viewer's time zone (`<input type="datetime-local">`) and converted to
 *   UTC instants with `parseInZone` (app/lib/time.ts).
 * - Participants and findings: one per line in a textarea.
 * - Checklist items and corrective actions: N rows of inputs named `checklist[2].result`,
 *   `correctiveActions[0].title`…; blank rows are left out, and errors on kept rows are reported on
 *   the row the person typed in (a blank row above does not shift them).
 * - "Add a row" buttons post `intent=add-checklist` / `intent=add-action`, which answers the same
 *   values with one more empty row.
 */
import { ACTION_STATUSES, DRILL_OUTCOMES, DRILL_TYPES, INSPECTION_RESULTS } from "../../db/schema/enums";
import { parseInZone, toDateTimeLocalValue } from "../lib/time";
import type { FieldError } from "./records";

export { ACTION_STATUSES, DRILL_OUTCOMES, DRILL_TYPES, INSPECTION_RESULTS };

export const DEFAULT_ACTION_ROWS = 2;
export const DEFAULT_CHECKLIST_ROWS = 4;
export const MAX_FORM_ROWS = 50;

export interface ActionRow {
  title: string;
  owner: string;
  dueDate: string;
  status: string;
}

export interface ChecklistRow {
  item: string;
  result: string;
  note: string;
}

export interface DrillFormValues {
  plan: string;
  planRevision: string;
  scenario: string;
  /** datetime-local value, in the viewer's zone. */
  heldAt: string;
  type: string;
  outcome: string;
  recoveryMinutes: string;
  /** One per line. */
  participants: string;
  findings: string;
  notes: string;
  correctiveActions: ActionRow[];
}

export interface InspectionFormValues {
  system: string;
  inspectedAt: string;
  inspector: string;
  result: string;
  checklist: ChecklistRow[];
  findings: string;
  notes: string;
  correctiveActions: ActionRow[];
}

/** Field errors keyed by input name (`checklist[2].result`), one message each. */
export type FormErrors = Record<string, string>;

const blankAction = (): ActionRow => ({ title: "", owner: "", dueDate: "", status: "open" });
const blankCheck = (): ChecklistRow => ({ item: "", result: "ok", note: "" });

/** An empty drill form for `plan` at `now` (shown in `zone`). */
export function emptyDrillForm(plan: string, now: Date, zone: string): DrillFormValues {
  return {
    plan,
    planRevision: "",
    scenario: "",
    heldAt: toDateTimeLocalValue(now, zone),
    type: "simulation",
    outcome: "passed",
    recoveryMinutes: "",
    participants: "",
    findings: "",
    notes: "",
    correctiveActions: Array.from({ length: DEFAULT_ACTION_ROWS }, blankAction),
  };
}

/** An empty inspection form for `system` at `now`, inspected by `inspector`. */
export function emptyInspectionForm(system: string, now: Date, zone: string, inspector: string): InspectionFormValues {
  return {
    system,
    inspectedAt: toDateTimeLocalValue(now, zone),
    inspector,
    result: "ok",
    checklist: Array.from({ length: DEFAULT_CHECKLIST_ROWS }, blankCheck),
    findings: "",
    notes: "",
    correctiveActions: Array.from({ length: DEFAULT_ACTION_ROWS }, blankAction),
  };
}

type FormLike = { get(name: string): FormDataEntryValue | null; keys(): IterableIterator<string> | Iterable<string> };

const text = (form: FormLike, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
};

function rowCount(form: FormLike, list: string): number {
  let max = -1;
  const pattern = new RegExp(`^${list}\\[(\\d+)\\]\\.`);
  for (const key of form.keys()) {
    const m = pattern.exec(key);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return Math.min(max + 1, MAX_FORM_ROWS);
}

function readActions(form: FormLike): ActionRow[] {
  return Array.from({ length: rowCount(form, "correctiveActions") }, (_, i) => ({
    title: text(form, `correctiveActions[${i}].title`),
    owner: text(form, `correctiveActions[${i}].owner`),
    dueDate: text(form, `correctiveActions[${i}].dueDate`),
    status: text(form, `correctiveActions[${i}].status`) || "open",
  }));
}

const lines = (value: string) =>
  value
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean);

/** A datetime-local value read in `zone` as an ISO instant; the typed text itself when it cannot be read (the schema then names the field). */
function instant(local: string, zone: string): string | undefined {
  if (local.trim() === "") return undefined;
  try {
    return parseInZone(local, zone).toISOString();
  } catch {
    return local;
  }
}

function number(value: string): number | string | null {
  const v = value.trim();
  if (v === "") return null;
  return /^-?\d+$/.test(v) ? Number(v) : v;
}

/** Kept rows and where each came from, so errors land on the typed row. */
function keep<T>(rows: T[], isBlank: (row: T) => boolean): { kept: T[]; origin: number[] } {
  const kept: T[] = [];
  const origin: number[] = [];
  rows.forEach((row, i) => {
    if (isBlank(row)) return;
    kept.push(row);
    origin.push(i);
  });
  return { kept, origin };
}

const actionIsBlank = (a: ActionRow) => !a.title.trim() && !a.owner.trim() && !a.dueDate.trim();
const actionInput = (a: ActionRow) => ({ title: a.title, owner: a.owner, dueDate: a.dueDate.trim() || null, status: a.status || "open" });

function remap(errors: readonly FieldError[], origins: Record<string, number[]>): FormErrors {
  const out: FormErrors = {};
  const rewrite = (text: string) =>
    text.replace(/\b(\w+)\[(\d+)\]/g, (whole, list: string, index: string) => {
      const origin = origins[list]?.[Number(index)];
      return origin === undefined ? whole : `${list}[${origin}]`;
    });
  for (const e of errors) out[rewrite(e.field)] ??= rewrite(e.message);
  return out;
}

/**
 * Reads a posted drill form. Returns what was typed (to show again), the object to validate with
 * `drillInput`, and `errorsFor` to turn `{ field, message }[]` into errors keyed by input name.
 */
export function readDrillForm(form: FormLike, zone: string) {
  const values: DrillFormValues = {
    plan: text(form, "plan"),
    planRevision: text(form, "planRevision"),
    scenario: text(form, "scenario"),
    heldAt: text(form, "heldAt"),
    type: text(form, "type"),
    outcome: text(form, "outcome"),
    recoveryMinutes: text(form, "recoveryMinutes"),
    participants: text(form, "participants"),
    findings: text(form, "findings"),
    notes: text(form, "notes"),
    correctiveActions: readActions(form),
  };
  const actions = keep(values.correctiveActions, actionIsBlank);
  const revision = number(values.planRevision);
  const raw = {
    plan: values.plan,
    planRevision: revision === null ? undefined : revision,
    scenario: values.scenario,
    heldAt: instant(values.heldAt, zone),
    type: values.type,
    outcome: values.outcome,
    recoveryMinutes: number(values.recoveryMinutes),
    participants: lines(values.participants),
    findings: lines(values.findings),
    notes: values.notes,
    correctiveActions: actions.kept.map(actionInput),
  };
  return { values, raw, errorsFor: (errors: readonly FieldError[]) => remap(errors, { correctiveActions: actions.origin }) };
}

/** Reads a posted inspection form; see `readDrillForm`. */
export function readInspectionForm(form: FormLike, zone: string) {
  const checklistRows: ChecklistRow[] = Array.from({ length: rowCount(form, "checklist") }, (_, i) => ({
    item: text(form, `checklist[${i}].item`),
    result: text(form, `checklist[${i}].result`) || "ok",
    note: text(form, `checklist[${i}].note`),
  }));
  const values: InspectionFormValues = {
    system: text(form, "system"),
    inspectedAt: text(form, "inspectedAt"),
    inspector: text(form, "inspector"),
    result: text(form, "result"),
    checklist: checklistRows,
    findings: text(form, "findings"),
    notes: text(form, "notes"),
    correctiveActions: readActions(form),
  };
  const checklist = keep(values.checklist, (c) => !c.item.trim() && !c.note.trim());
  const actions = keep(values.correctiveActions, actionIsBlank);
  const raw = {
    system: values.system,
    inspectedAt: instant(values.inspectedAt, zone),
    inspector: values.inspector,
    result: values.result,
    checklist: checklist.kept.map((c) => ({ item: c.item, result: c.result, note: c.note })),
    findings: lines(values.findings),
    notes: values.notes,
    correctiveActions: actions.kept.map(actionInput),
  };
  return {
    values,
    raw,
    errorsFor: (errors: readonly FieldError[]) => remap(errors, { checklist: checklist.origin, correctiveActions: actions.origin }),
  };
}

/** The values with one more blank row when `intent` asks for it (`add-checklist`, `add-action`); null otherwise. */
export function addRow<T extends { correctiveActions: ActionRow[]; checklist?: ChecklistRow[] }>(values: T, intent: string): T | null {
  if (intent === "add-action" && values.correctiveActions.length < MAX_FORM_ROWS) {
    return { ...values, correctiveActions: [...values.correctiveActions, blankAction()] };
  }
  if (intent === "add-checklist" && values.checklist && values.checklist.length < MAX_FORM_ROWS) {
    return { ...values, checklist: [...values.checklist, blankCheck()] };
  }
  return null;
}
