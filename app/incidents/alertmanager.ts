/**
 * The Alertmanager webhook payload (version 4, https://prometheus.io/docs/alerting/latest/configuration/#webhook_config)
 * and how its labels map to an incident. Pure: the database side is alertmanager.server.ts.
 *
 * Mapping (decisions, also in the README):
 * - severity: label `drillbook_severity` (SEV1..SEV4 or 1..4) wins; else label `severity`:
 *   `critical` -> SEV2, `warning` -> SEV3, `info` -> SEV4, `sev1`..`sev4`/`SEV1`..`SEV4` as written;
 *   anything else or none -> SEV3. SEV1 is declared by a person (or `drillbook_severity: SEV1`),
 *   not by a single alert. The group's incident takes the most severe of its alerts and is never
 *   lowered by a later notification.
 * - systems: label `system`, else `service`, of each alert and of `commonLabels`, matched to system
 *   slugs (case-insensitive). Unknown values do not refuse the notification (an alert must never be
 *   lost): the incident opens with the systems that matched (possibly none) and a timeline event
 *   names each unknown value; the edit form then asks for a system.
 */
import { z } from "zod";
import { SEVERITY_LEVELS } from "../../db/schema/enums";

const labels = z.record(z.string(), z.string()).default({});
/** Go's zero time, which Alertmanager sends as `endsAt` of a firing alert. */
const ZERO_TIME = /^0001-01-01T/;

export const alertmanagerAlert = z.object({
  status: z.enum(["firing", "resolved"], { error: "must be firing or resolved" }),
  labels: labels.refine((l) => typeof l.alertname === "string" && l.alertname.length > 0, "must include alertname"),
  annotations: labels,
  startsAt: z.iso.datetime({ offset: true, error: "must be an RFC 3339 time" }),
  endsAt: z
    .string()
    .optional()
    .transform((v) => (v && !ZERO_TIME.test(v) ? v : null))
    .refine((v) => v === null || !Number.isNaN(Date.parse(v)), "must be an RFC 3339 time"),
  generatorURL: z.string().optional(),
  fingerprint: z.string().optional(),
});
export type AlertmanagerAlert = z.infer<typeof alertmanagerAlert>;

export const alertmanagerPayload = z.object({
  version: z.string({ error: 'is required ("4")' }).refine((v) => v === "4", 'must be "4" (Alertmanager webhook payload version 4)'),
  groupKey: z.string({ error: "is required" }).min(1, "is required"),
  status: z.enum(["firing", "resolved"], { error: "must be firing or resolved" }),
  receiver: z.string().default(""),
  groupLabels: labels,
  commonLabels: labels,
  commonAnnotations: labels,
  externalURL: z.string().optional(),
  truncatedAlerts: z.number().optional(),
  alerts: z.array(alertmanagerAlert, { error: "must be a list of alerts" }).min(1, "must hold at least one alert"),
});
export type AlertmanagerPayload = z.infer<typeof alertmanagerPayload>;

type Severity = (typeof SEVERITY_LEVELS)[number];

/** The severity one alert's labels ask for, and the rule that decided (see the mapping above). */
export function severityFromLabels(l: Record<string, string>): { severity: Severity; rule: string } {
  const explicit = /^(?:sev)?\s*([1-4])$/i.exec((l.drillbook_severity ?? "").trim());
  if (explicit) return { severity: `SEV${explicit[1]}` as Severity, rule: `drillbook_severity=${l.drillbook_severity}` };
  const value = (l.severity ?? "").trim().toLowerCase();
  const sev = /^sev\s*([1-4])$/.exec(value);
  if (sev) return { severity: `SEV${sev[1]}` as Severity, rule: `severity=${l.severity}` };
  const mapped: Record<string, Severity> = { critical: "SEV2", warning: "SEV3", info: "SEV4" };
  if (mapped[value]) return { severity: mapped[value]!, rule: `severity=${l.severity}` };
  return { severity: "SEV3", rule: value ? `severity=${l.severity} (unknown, default)` : "no severity label (default)" };
}

/** The most severe of several severities (SEV1 > SEV4). */
export function mostSevere(levels: Severity[]): Severity {
  return [...levels].sort()[0] ?? "SEV3";
}

/** Lower-cased system candidates named by an alert's labels (`system`, else `service`). */
export function systemLabels(l: Record<string, string>): string[] {
  const value = l.system ?? l.service;
  return value ? value.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean) : [];
}

/** A stable identity for an alert in the group (its fingerprint, else its sorted labels). */
export function alertIdentity(alert: AlertmanagerAlert): string {
  return alert.fingerprint || Object.entries(alert.labels).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`).join(",");
}

/** "KubePodCrashLooping (namespace=pay, pod=pgw-router-7)": the alert name with its other labels. */
export function describeAlert(alert: AlertmanagerAlert): string {
  const rest = Object.entries(alert.labels)
    .filter(([k]) => !["alertname", "severity", "drillbook_severity"].includes(k))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`);
  const summary = alert.annotations.summary ? `: ${alert.annotations.summary}` : "";
  return `${alert.labels.alertname}${rest.length ? ` (${rest.join(", ")})` : ""}${summary}`;
}
