import type { SlaFileEntry, SystemFileEntry, TeamFileEntry } from "./catalog-file";

/**
 * The admin catalog forms: form fields <-> catalog file entries. Inputs are named by the entry's
 * paths (`name`, `sla.rto_minutes`, `critical_windows.0.start`), so a validation error's path is
 * the name of the field it belongs to. Form values are kept as typed (strings) so a refused form
 * shows what the person entered. Pure functions, used by routes on both sides.
 */

export const SLA_FIELDS = [
  "availability",
  "rto_minutes",
  "rpo_minutes",
  "drill_interval_days",
  "inspection_interval_days",
  "plan_review_interval_days",
] as const;
export const SEVERITIES = ["SEV1", "SEV2", "SEV3", "SEV4"] as const;
export const WINDOW_FIELDS = ["name", "days", "start", "end", "timezone"] as const;
export const ESCALATION_FIELDS = ["level", "team", "region", "timezone", "hours", "contact"] as const;
export const TEAM_FIELDS = ["slug", "name", "region", "timezone", "channel", "email", "description"] as const;

type SlaField = (typeof SLA_FIELDS)[number];
type SlaKey = SlaField | `response_minutes.${(typeof SEVERITIES)[number]}`;
export const SLA_KEYS: SlaKey[] = [...SLA_FIELDS, ...SEVERITIES.map((s) => `response_minutes.${s}` as const)];

export type SlaFormValues = Record<SlaKey, string>;
export type WindowRow = Record<(typeof WINDOW_FIELDS)[number], string>;
export type EscalationRow = Record<(typeof ESCALATION_FIELDS)[number], string>;
export type TeamFormValues = Record<(typeof TEAM_FIELDS)[number], string>;

export interface SystemFormValues {
  slug: string;
  name: string;
  description: string;
  tier: string;
  lifecycle: string;
  owner: string;
  /** Overrides of the tier defaults; blank = the tier's default. */
  sla: SlaFormValues;
  depends_on: string[];
  critical_windows: WindowRow[];
  escalation: EscalationRow[];
}

export const REPEATABLE = ["critical_windows", "escalation"] as const;
type Repeatable = (typeof REPEATABLE)[number];

const blankRow = (fields: readonly string[]) => Object.fromEntries(fields.map((f) => [f, ""]));
const text = (value: unknown) => (value === undefined || value === null ? "" : String(value));

// -------------------------------------------------------------------------------- entry -> form

/** Form values showing a system entry (or a blank new system). */
export function systemFormValues(entry: SystemFileEntry | null): SystemFormValues {
  return {
    slug: entry?.slug ?? "",
    name: entry?.name ?? "",
    description: entry?.description ?? "",
    tier: text(entry?.tier ?? 3),
    lifecycle: entry?.lifecycle ?? "active",
    owner: entry?.owner ?? "",
    sla: slaValues(entry?.sla ?? {}),
    depends_on: [...(entry?.depends_on ?? [])],
    critical_windows: (entry?.critical_windows ?? []).map((w) => ({ ...w })),
    escalation: (entry?.escalation ?? []).map((level) => ({
      level: level.level,
      team: level.team,
      region: text(level.region),
      timezone: text(level.timezone),
      hours: text(level.hours),
      contact: text(level.contact),
    })),
  };
}

/** Form values showing a team entry (or a blank new team). */
export function teamFormValues(entry: TeamFileEntry | null): TeamFormValues {
  return Object.fromEntries(TEAM_FIELDS.map((f) => [f, text(entry?.[f])])) as TeamFormValues;
}

/** Form values showing a tier's SLA defaults (or blanks when the tier has none). */
export function slaFormValues(entry: SlaFileEntry | null): SlaFormValues {
  return slaValues(entry ?? {});
}

/** SLA figures as form text; `drill_interval_days: null` reads "none" (no drill required). */
function slaValues(sla: Partial<Omit<SlaFileEntry, "tier">>): SlaFormValues {
  const out = Object.fromEntries(SLA_KEYS.map((k) => [k, ""])) as SlaFormValues;
  for (const field of SLA_FIELDS) {
    const value = sla[field];
    if (value === null) out[field] = "none";
    else if (value !== undefined) out[field] = String(value);
  }
  for (const sev of SEVERITIES) if (sla.response_minutes) out[`response_minutes.${sev}`] = String(sla.response_minutes[sev]);
  return out;
}

// ----------------------------------------------------------------------------- FormData -> form

const field = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};

/**
 * The system form as submitted. Repeatable rows (`critical_windows.N.*`, `escalation.N.*`) keep
 * their order; rows left entirely blank are dropped, so an added row that was not filled in is no error.
 */
export function readSystemForm(form: FormData): SystemFormValues {
  return {
    slug: field(form, "slug").trim(),
    name: field(form, "name"),
    description: field(form, "description"),
    tier: field(form, "tier"),
    lifecycle: field(form, "lifecycle"),
    owner: field(form, "owner"),
    sla: Object.fromEntries(SLA_KEYS.map((k) => [k, field(form, `sla.${k}`)])) as SlaFormValues,
    depends_on: form.getAll("depends_on").filter((v): v is string => typeof v === "string" && v !== ""),
    critical_windows: readRows(form, "critical_windows", WINDOW_FIELDS) as WindowRow[],
    escalation: readRows(form, "escalation", ESCALATION_FIELDS) as EscalationRow[],
  };
}

function readRows(form: FormData, group: string, fields: readonly string[]): Array<Record<string, string>> {
  const indexes = new Set<number>();
  for (const key of form.keys()) {
    const match = new RegExp(`^${group}\\.(\\d+)\\.`).exec(key);
    if (match) indexes.add(Number(match[1]));
  }
  return [...indexes]
    .sort((a, b) => a - b)
    .map((i) => Object.fromEntries(fields.map((f) => [f, field(form, `${group}.${i}.${f}`)])))
    .filter((row) => Object.values(row).some((v) => v.trim() !== ""));
}

/** The team form as submitted. */
export function readTeamForm(form: FormData): TeamFormValues {
  return Object.fromEntries(TEAM_FIELDS.map((f) => [f, field(form, f)])) as TeamFormValues;
}

/** An SLA tier's form as submitted. */
export function readSlaForm(form: FormData): SlaFormValues {
  return Object.fromEntries(SLA_KEYS.map((k) => [k, field(form, k)])) as SlaFormValues;
}

/**
 * Applies a row button of the system form (`add:escalation`, `remove:critical_windows:2`,
 * `up:escalation:1`) and returns the new values, or null when `intent` is not a row button.
 * Works without JavaScript: the buttons submit the form and the server answers with the new rows.
 */
export function applyRowIntent(values: SystemFormValues, intent: string): SystemFormValues | null {
  const match = /^(add|remove|up):(critical_windows|escalation)(?::(\d+))?$/.exec(intent);
  if (!match) return null;
  const [, op, group, index] = match as unknown as [string, "add" | "remove" | "up", Repeatable, string | undefined];
  const rows = [...values[group]] as Array<Record<string, string>>;
  const i = Number(index ?? -1);
  if (op === "add") rows.push(blankRow(group === "critical_windows" ? WINDOW_FIELDS : ESCALATION_FIELDS));
  else if (op === "remove" && i >= 0 && i < rows.length) rows.splice(i, 1);
  else if (op === "up" && i > 0 && i < rows.length) [rows[i - 1], rows[i]] = [rows[i]!, rows[i - 1]!];
  return { ...values, [group]: rows };
}

// ------------------------------------------------------------------------------ form -> entry

/** Blank -> undefined; a number as typed -> that number; anything else stays text (the schema says "enter a number"). */
function numberOrText(value: string): number | string | undefined {
  const v = value.trim();
  if (v === "") return undefined;
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v) ? Number(v) : v;
}

const optional = (value: string) => (value.trim() === "" ? undefined : value.trim());

/**
 * SLA figures from form values. `blank` says what an empty drill interval means: on a tier "none"
 * (null), on a system "the tier's default" (left out). "none" always means no drill required.
 */
function slaFromForm(values: SlaFormValues, blank: "null" | "omit"): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of SLA_FIELDS) {
    const raw = values[f].trim();
    if (f === "drill_interval_days" && (/^none$/i.test(raw) || (raw === "" && blank === "null"))) out[f] = null;
    else {
      const v = numberOrText(raw);
      if (v !== undefined) out[f] = v;
    }
  }
  const response = SEVERITIES.map((s) => numberOrText(values[`response_minutes.${s}`]));
  // On a system, all four blank = the tier's targets; some filled = all four are needed (the schema says which).
  if (blank === "null" || response.some((r) => r !== undefined)) {
    out.response_minutes = Object.fromEntries(SEVERITIES.map((s, i) => [s, response[i]]));
  }
  return out;
}

/** A `catalog/systems.yaml` entry from form values, for systemFileSchema to validate. */
export function systemEntryFromForm(v: SystemFormValues): Record<string, unknown> {
  const sla = slaFromForm(v.sla, "omit");
  return {
    slug: v.slug.trim(),
    name: v.name.trim(),
    description: v.description.trim(),
    tier: numberOrText(v.tier),
    lifecycle: v.lifecycle || undefined,
    owner: optional(v.owner),
    sla: Object.keys(sla).length > 0 ? sla : undefined,
    depends_on: [...new Set(v.depends_on)].sort(),
    critical_windows: v.critical_windows.map((w) => ({
      name: w.name.trim(),
      days: w.days,
      start: w.start.trim(),
      end: w.end.trim(),
      timezone: w.timezone.trim(),
    })),
    escalation: v.escalation.map((e) => ({
      level: e.level,
      team: e.team.trim(),
      region: optional(e.region),
      timezone: optional(e.timezone),
      hours: optional(e.hours),
      contact: optional(e.contact),
    })),
  };
}

/** A `catalog/teams.yaml` entry from form values. */
export function teamEntryFromForm(v: TeamFormValues): Record<string, unknown> {
  return {
    slug: v.slug.trim(),
    name: v.name.trim(),
    region: optional(v.region),
    timezone: optional(v.timezone),
    channel: optional(v.channel),
    email: optional(v.email),
    description: optional(v.description),
  };
}

/** The figures of a `catalog/slas.yaml` entry from form values (the tier is added by the command). */
export function slaEntryFromForm(v: SlaFormValues): Record<string, unknown> {
  return slaFromForm(v, "null");
}

// ------------------------------------------------------------------------- concurrent edits

/** Name of an edit form's hidden field holding the entry as the form was opened (see mergeConcurrentEdit in admin.server.ts). */
export const BASE_FIELD = "base";

/** The hidden `base` value of an edit form: the entry as loaded, as JSON. */
export function baseFieldValue(entry: object): string {
  return JSON.stringify(entry);
}

/**
 * Reads an edit form's `base` field. Absent or empty: null (the save replaces every field, as a
 * script's would). @returns `{ ok: false }` when it is present but not a JSON object (a damaged form).
 */
export function readEditBase(form: FormData): { ok: true; base: Record<string, unknown> | null } | { ok: false } {
  const raw = form.get(BASE_FIELD);
  if (typeof raw !== "string" || raw.trim() === "") return { ok: true, base: null };
  try {
    const parsed: unknown = JSON.parse(raw);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return { ok: true, base: parsed as Record<string, unknown> };
  } catch {
    // fall through
  }
  return { ok: false };
}
