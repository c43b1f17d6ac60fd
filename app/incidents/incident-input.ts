/**
 * The shape of an incident as it arrives from a form, a JSON payload (`POST /api/v1/incidents`) or
 * an import file, and the rules its timestamps must follow (shared/domain.md, "incident").
 * Pure: no database, usable in the browser. Catalog references (systems, runbooks, the incident a
 * recurrence points at) are checked by the commands in incidents.server.ts.
 *
 * Timestamp order (the decision, also in the README):
 * - every timestamp is at or after `startedAt` (the database checks this too);
 * - `acknowledgedAt` is not before `detectedAt` (nobody acknowledges what was not yet detected);
 * - `resolvedAt` is not before `mitigatedAt` (mitigation is a step on the way to resolution);
 * - allowed on purpose: mitigation before acknowledgement (automatic remediation), detection or
 *   acknowledgement after resolution (an incident found afterwards in the logs);
 * - no timestamp more than 5 minutes in the future.
 * A refused order names both fields: "resolved at (2026-03-01 10:00 UTC) is before mitigated at (…)".
 */
import { z } from "zod";
import { DETECTION_SOURCES, INCIDENT_STATUSES, ROOT_CAUSE_CATEGORIES, SEVERITY_LEVELS, type IncidentStatus } from "../../db/schema/enums";
import { correctiveActionInput } from "../corrective-actions/input";
import { DEFAULT_TIME_ZONE, formatInZone, isValidTimeZone, parseInZone, toDateTimeLocalValue } from "../lib/time";

/** The five incident timestamps in life-cycle order (same as db/schema/incidents.ts INCIDENT_TIMESTAMPS). */
export const TIMESTAMP_FIELDS = ["startedAt", "detectedAt", "acknowledgedAt", "mitigatedAt", "resolvedAt"] as const;
export type TimestampField = (typeof TIMESTAMP_FIELDS)[number];

/** How a timestamp field is named in messages and on the page. */
export const TIMESTAMP_LABELS: Record<TimestampField, string> = {
  startedAt: "started at",
  detectedAt: "detected at",
  acknowledgedAt: "acknowledged at",
  mitigatedAt: "mitigated at",
  resolvedAt: "resolved at",
};

export const MAX_INCIDENT_TITLE_LENGTH = 300;
export const MAX_INCIDENT_SUMMARY_LENGTH = 20_000;
/** Slack for clocks: a timestamp up to this far in the future is accepted. */
const FUTURE_SLACK_MS = 5 * 60_000;

/** "INC-42" for incident number 42. */
export function incidentReference(number: number): string {
  return `INC-${number}`;
}

/**
 * Reads a reference to an incident: "INC-42", "inc-42", "42" -> `{ number: 42 }`; a UUID -> `{ id }`;
 * anything else -> null.
 */
export function parseIncidentReference(value: string): { number: number } | { id: string } | null {
  const text = value.trim();
  const numbered = /^(?:inc-?)?(\d{1,9})$/i.exec(text);
  if (numbered) return { number: Number(numbered[1]) };
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text)) return { id: text.toLowerCase() };
  return null;
}

/** One problem with the order of an incident's timestamps; `field` is the later field, which is wrong. */
export interface TimestampOrderProblem {
  field: TimestampField;
  /** The field it was compared with. */
  other: TimestampField | null;
  message: string;
}

type Instants = Partial<Record<TimestampField, Date | null | undefined>>;

/**
 * The problems with the order of `times` (see the rules at the top of this file); [] when fine.
 * Messages show both instants in `zone` (default UTC). `now` bounds future timestamps.
 */
export function timestampOrderProblems(times: Instants, options: { zone?: string; now?: Date } = {}): TimestampOrderProblem[] {
  const zone = options.zone ?? DEFAULT_TIME_ZONE;
  const now = options.now ?? new Date();
  const problems: TimestampOrderProblem[] = [];
  const dateOf = (field: TimestampField) => {
    const value = times[field];
    return value instanceof Date && !Number.isNaN(value.getTime()) ? value : null;
  };
  const show = (field: TimestampField) => `${TIMESTAMP_LABELS[field]} (${formatInZone(dateOf(field)!, zone)})`;
  const before = (later: TimestampField, earlier: TimestampField) => {
    const a = dateOf(later);
    const b = dateOf(earlier);
    if (a && b && a.getTime() < b.getTime()) {
      problems.push({ field: later, other: earlier, message: `${show(later)} is before ${show(earlier)}` });
      return true;
    }
    return false;
  };
  for (const field of TIMESTAMP_FIELDS) {
    const value = dateOf(field);
    if (value && value.getTime() > now.getTime() + FUTURE_SLACK_MS) {
      problems.push({ field, other: null, message: `${show(field)} is in the future` });
    }
  }
  for (const field of TIMESTAMP_FIELDS.slice(1)) {
    if (before(field, "startedAt")) continue;
    if (field === "acknowledgedAt") before("acknowledgedAt", "detectedAt");
    if (field === "resolvedAt") before("resolvedAt", "mitigatedAt");
  }
  return problems;
}

const instant = z
  .string({ error: "must be an ISO 8601 instant with an offset, e.g. 2026-03-01T10:00:00Z" })
  .trim()
  .pipe(z.iso.datetime({ offset: true, error: "must be an ISO 8601 instant with an offset, e.g. 2026-03-01T10:00:00Z" }))
  .transform((s) => new Date(s));
const optionalInstant = z.preprocess((v) => (v === "" ? null : v), instant.nullish());
const count = z.preprocess(
  (v) => (v === "" ? null : v),
  z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(0, "cannot be negative").max(2_000_000_000, "is too large").nullish(),
);
const slugList = (what: string) =>
  z
    .union([z.string(), z.array(z.string({ error: `must be ${what} slugs` }))], { error: `must be a list of ${what} slugs` })
    .transform((v) => [...new Set((Array.isArray(v) ? v : v.split(/[,\n]/)).map((s) => s.trim().toLowerCase()).filter(Boolean))].sort());

/**
 * One incident as JSON (API, import file, and forms after their wall-clock times are converted):
 * `{ title, severity: SEV1..SEV4, systems: [slug, ...] (at least one), startedAt, detectedAt?,
 * acknowledgedAt?, mitigatedAt?, resolvedAt? (ISO 8601 instants with an offset), customerImpact?,
 * usersAffected?, failedTransactions?, financialImpact? (number >= 0), financialImpactCurrency?
 * (ISO 4217, required with an amount), detectionSource?, rootCauseCategory? (default unknown),
 * recurrenceOf? ("INC-12" or an id), status? (default: from the timestamps), runbooks? (slugs),
 * summary?, timezone? (IANA, default UTC), events? [{ at, text }], actions? (corrective actions) }`.
 * Refines: timestamp order (see top of file), a currency with every amount, status consistent with
 * the timestamps (resolved/closed need resolvedAt; open cannot have one).
 * `imported: true` (postmortem import only) allows no systems (a postmortem may name none) and a
 * closed incident without resolvedAt (a reviewed incident whose end the text does not state).
 */
export function incidentInputSchema(options: { now?: Date; imported?: boolean } = {}) {
  return z
    .object({
      title: z
        .string({ error: "is required" })
        .trim()
        .min(1, "is required")
        .max(MAX_INCIDENT_TITLE_LENGTH, `must be at most ${MAX_INCIDENT_TITLE_LENGTH} characters`),
      severity: z.preprocess(
        (v) => (typeof v === "string" ? v.trim().toUpperCase() : v),
        z.enum(SEVERITY_LEVELS, { error: `must be one of ${SEVERITY_LEVELS.join(", ")}` }),
      ),
      systems: slugList("system").refine((v) => options.imported || v.length >= 1, "name at least one affected system"),
      startedAt: instant,
      detectedAt: optionalInstant,
      acknowledgedAt: optionalInstant,
      mitigatedAt: optionalInstant,
      resolvedAt: optionalInstant,
      customerImpact: z.preprocess(
        (v) => (v === "yes" || v === "true" || v === "on" ? true : v === "no" || v === "false" || v === "" ? false : v),
        z.boolean({ error: "must be yes or no" }).default(false),
      ),
      usersAffected: count,
      failedTransactions: count,
      financialImpact: z.preprocess(
        (v) => (v === "" ? null : typeof v === "string" ? v.replace(/[,_\s]/g, "") : v),
        z.coerce.number({ error: "must be an amount, e.g. 12000.50" }).min(0, "cannot be negative").max(1e13, "is too large").nullish(),
      ),
      financialImpactCurrency: z.preprocess(
        (v) => (v === "" ? null : typeof v === "string" ? v.trim().toUpperCase() : v),
        z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as CNY, EUR, USD").nullish(),
      ),
      detectionSource: z.preprocess(
        (v) => (v === "" ? null : v),
        z.enum(DETECTION_SOURCES, { error: `must be one of ${DETECTION_SOURCES.join(", ")}` }).nullish(),
      ),
      rootCauseCategory: z.preprocess(
        (v) => (v === "" || v === null ? undefined : v),
        z.enum(ROOT_CAUSE_CATEGORIES, { error: `must be one of ${ROOT_CAUSE_CATEGORIES.join(", ")}` }).default("unknown"),
      ),
      recurrenceOf: z.preprocess(
        (v) => (v === "" ? null : typeof v === "number" ? String(v) : v),
        z
          .string()
          .trim()
          .refine((s) => parseIncidentReference(s) !== null, "must name an incident, e.g. INC-12")
          .nullish(),
      ),
      status: z.preprocess((v) => (v === "" ? undefined : v), z.enum(INCIDENT_STATUSES, { error: `must be one of ${INCIDENT_STATUSES.join(", ")}` }).optional()),
      runbooks: slugList("runbook").default([]),
      summary: z.string({ error: "must be text" }).trim().max(MAX_INCIDENT_SUMMARY_LENGTH, `must be at most ${MAX_INCIDENT_SUMMARY_LENGTH} characters`).default(""),
      timezone: z.preprocess(
        (v) => (v === "" || v === null ? undefined : v),
        z
          .string({ error: "must be an IANA time zone such as Asia/Shanghai" })
          .trim()
          .refine(isValidTimeZone, "must be an IANA time zone such as Asia/Shanghai")
          .default(DEFAULT_TIME_ZONE),
      ),
      events: z
        .array(
          z.object({
            at: instant,
            text: z.string({ error: "is required" }).trim().min(1, "is required").max(2000, "must be at most 2000 characters"),
          }),
        )
        .max(500, "at most 500 events")
        .default([]),
      actions: z.array(correctiveActionInput).max(100, "at most 100 corrective actions").default([]),
    })
    .superRefine((value, ctx) => {
      for (const problem of timestampOrderProblems(value, { zone: value.timezone, now: options.now })) {
        ctx.addIssue({ code: "custom", path: [problem.field], message: problem.message });
      }
      if (value.financialImpact != null && !value.financialImpactCurrency) {
        ctx.addIssue({ code: "custom", path: ["financialImpactCurrency"], message: "is required with a financial impact amount (e.g. CNY)" });
      }
      if ((value.status === "resolved" || (value.status === "closed" && !options.imported)) && !value.resolvedAt) {
        ctx.addIssue({ code: "custom", path: ["resolvedAt"], message: `is required when the status is ${value.status}` });
      }
      if (value.status === "open" && value.resolvedAt) {
        ctx.addIssue({ code: "custom", path: ["status"], message: "is open but resolved at is set: choose resolved or closed, or clear resolved at" });
      }
    })
    .transform((value) => ({ ...value, status: value.status ?? statusFromTimestamps(value) }));
}
export type IncidentInput = z.output<ReturnType<typeof incidentInputSchema>>;

/** The status implied by the timestamps when none is given: resolved, mitigated, or open. */
export function statusFromTimestamps(times: { mitigatedAt?: Date | null; resolvedAt?: Date | null }): IncidentStatus {
  if (times.resolvedAt) return "resolved";
  if (times.mitigatedAt) return "mitigated";
  return "open";
}

/** Field name -> first message, for forms and the API's `fieldErrors`. Nested paths are dotted ("actions.0.owner"). */
export type IncidentFieldErrors = Record<string, string>;

/** The messages of a failed parse, one per field (the first), keyed by the dotted path. */
export function fieldErrorsOf(error: z.ZodError): IncidentFieldErrors {
  const errors: IncidentFieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".") || "form";
    errors[key] ??= issue.message;
  }
  return errors;
}

/** The first field error as one line naming the field: "resolvedAt: resolved at (…) is before …". */
export function firstFieldError(errors: IncidentFieldErrors): string {
  const [field, message] = Object.entries(errors)[0] ?? ["form", "is invalid"];
  return `${field}: ${message}`;
}

/** What the incident form holds, as typed (strings), so a refused form shows it again. */
export interface IncidentFormValues {
  title: string;
  severity: string;
  systems: string[];
  startedAt: string;
  detectedAt: string;
  acknowledgedAt: string;
  mitigatedAt: string;
  resolvedAt: string;
  /** Zone the five wall-clock times above are in. */
  timezone: string;
  customerImpact: string;
  usersAffected: string;
  failedTransactions: string;
  financialImpact: string;
  financialImpactCurrency: string;
  detectionSource: string;
  rootCauseCategory: string;
  recurrenceOf: string;
  status: string;
  runbooks: string[];
  summary: string;
}

/** An empty form, its times in `zone` (the viewer's). */
export function emptyIncidentForm(zone: string): IncidentFormValues {
  return {
    title: "",
    severity: "SEV3",
    systems: [],
    startedAt: "",
    detectedAt: "",
    acknowledgedAt: "",
    mitigatedAt: "",
    resolvedAt: "",
    timezone: zone,
    customerImpact: "no",
    usersAffected: "",
    failedTransactions: "",
    financialImpact: "",
    financialImpactCurrency: "",
    detectionSource: "",
    rootCauseCategory: "unknown",
    recurrenceOf: "",
    status: "",
    runbooks: [],
    summary: "",
  };
}

/** Reads the incident form (FormData or plain entries) into its typed values. */
export function readIncidentForm(form: { get(name: string): unknown; getAll(name: string): unknown[] }, fallbackZone: string): IncidentFormValues {
  const text = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : "";
  };
  const list = (name: string) =>
    form
      .getAll(name)
      .flatMap((v) => (typeof v === "string" ? v.split(",") : []))
      .map((s) => s.trim())
      .filter(Boolean);
  const values = emptyIncidentForm(text("timezone").trim() || fallbackZone);
  for (const key of Object.keys(values) as Array<keyof IncidentFormValues>) {
    if (key === "systems" || key === "runbooks") values[key] = list(key);
    else if (key !== "timezone") values[key] = text(key);
  }
  return values;
}

/**
 * Turns form values into validated input: the wall-clock times are read in the form's zone
 * (`parseInZone`, DST-aware), then everything goes through `incidentInputSchema`.
 * @returns `{ ok: true, input, raw }` (`raw`: the JSON shape, for the commands, which validate
 *   again) or `{ ok: false, errors }` naming each bad field.
 */
export function incidentInputFromForm(
  values: IncidentFormValues,
  options: { now?: Date } = {},
): { ok: true; input: IncidentInput; raw: Record<string, unknown> } | { ok: false; errors: IncidentFieldErrors } {
  const errors: IncidentFieldErrors = {};
  const zone = values.timezone.trim();
  if (!isValidTimeZone(zone)) errors.timezone = "must be an IANA time zone such as Asia/Shanghai";
  const instants: Record<string, string | null> = {};
  for (const field of TIMESTAMP_FIELDS) {
    const raw = values[field].trim();
    if (raw === "") {
      instants[field] = null;
      if (field === "startedAt") errors.startedAt = "is required";
      continue;
    }
    if (errors.timezone) {
      instants[field] = null;
      continue;
    }
    try {
      instants[field] = parseInZone(raw, zone).toISOString();
    } catch (error) {
      errors[field] = (error as Error).message;
      instants[field] = null;
    }
  }
  const raw: Record<string, unknown> = { ...values, ...instants, startedAt: instants.startedAt ?? "", timezone: zone };
  const parsed = incidentInputSchema(options).safeParse(raw);
  if (!parsed.success) {
    for (const [key, message] of Object.entries(fieldErrorsOf(parsed.error))) errors[key] ??= message;
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, input: parsed.data, raw };
}

/** Form values showing a stored incident, its times in `zone`. */
export function incidentFormValues(
  incident: {
    title: string;
    severity: string;
    systems: string[];
    startedAt: Date | string;
    detectedAt: Date | string | null;
    acknowledgedAt: Date | string | null;
    mitigatedAt: Date | string | null;
    resolvedAt: Date | string | null;
    customerImpact: boolean;
    usersAffected: number | null;
    failedTransactions: number | null;
    financialImpact: string | number | null;
    financialImpactCurrency: string | null;
    detectionSource: string | null;
    rootCauseCategory: string;
    recurrenceOf: string | null;
    status: string;
    runbooks: string[];
    summary: string;
  },
  zone: string,
): IncidentFormValues {
  const local = (v: Date | string | null) => (v === null ? "" : toDateTimeLocalValue(v, zone));
  return {
    title: incident.title,
    severity: incident.severity,
    systems: incident.systems,
    startedAt: local(incident.startedAt),
    detectedAt: local(incident.detectedAt),
    acknowledgedAt: local(incident.acknowledgedAt),
    mitigatedAt: local(incident.mitigatedAt),
    resolvedAt: local(incident.resolvedAt),
    timezone: zone,
    customerImpact: incident.customerImpact ? "yes" : "no",
    usersAffected: incident.usersAffected?.toString() ?? "",
    failedTransactions: incident.failedTransactions?.toString() ?? "",
    financialImpact: incident.financialImpact?.toString() ?? "",
    financialImpactCurrency: incident.financialImpactCurrency ?? "",
    detectionSource: incident.detectionSource ?? "",
    rootCauseCategory: incident.rootCauseCategory,
    recurrenceOf: incident.recurrenceOf ?? "",
    status: incident.status,
    runbooks: incident.runbooks,
    summary: incident.summary,
  };
}

/** Minutes between two instants (b - a), rounded; null when either is missing. */
export function minutesBetween(a: Date | string | null | undefined, b: Date | string | null | undefined): number | null {
  if (!a || !b) return null;
  return Math.round((new Date(b).getTime() - new Date(a).getTime()) / 60_000);
}

/** "1 h 05 min", "3 d 2 h", "12 min" for a number of minutes. */
export function formatMinutes(minutes: number): string {
  const sign = minutes < 0 ? "-" : "";
  let m = Math.abs(minutes);
  const days = Math.floor(m / 1440);
  m -= days * 1440;
  const hours = Math.floor(m / 60);
  m -= hours * 60;
  if (days > 0) return `${sign}${days} d ${hours} h`;
  if (hours > 0) return `${sign}${hours} h ${String(m).padStart(2, "0")} min`;
  return `${sign}${m} min`;
}
