/**
 * JSON shapes of the incident API (`/api/v1/incidents`), shared by its routes.
 */
import { incidentReference } from "./incident-input";
import type { IncidentDetail, IncidentListItem } from "./incidents.server";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** One incident of the list: `{ number, reference, title, severity, status, startedAt, resolvedAt, customerImpact, rootCauseCategory, systems, postmortem, url }`. */
export function incidentListJson(item: IncidentListItem) {
  return {
    number: item.number,
    reference: incidentReference(item.number),
    title: item.title,
    severity: item.severity,
    status: item.status,
    startedAt: iso(item.startedAt),
    resolvedAt: iso(item.resolvedAt),
    customerImpact: item.customerImpact,
    rootCauseCategory: item.rootCauseCategory,
    systems: item.systems.map((s) => s.slug),
    postmortem: item.postmortemSlug,
    url: `/incidents/${item.number}`,
  };
}

/**
 * One incident in full: the list fields plus `version, summary, timezone, detectedAt,
 * acknowledgedAt, mitigatedAt, usersAffected, failedTransactions, financialImpact
 * ({ amount, currency } | null), detectionSource, recurrenceOf, runbooks, timestampSources,
 * events [{ at, text, source }], actions [{ title, owner, dueDate, status, closedAt }]` (instants UTC).
 */
export function incidentJson(incident: IncidentDetail) {
  return {
    number: incident.number,
    reference: incidentReference(incident.number),
    version: incident.version,
    title: incident.title,
    severity: incident.severity,
    status: incident.status,
    summary: incident.summary,
    timezone: incident.timezone,
    startedAt: iso(incident.startedAt),
    detectedAt: iso(incident.detectedAt),
    acknowledgedAt: iso(incident.acknowledgedAt),
    mitigatedAt: iso(incident.mitigatedAt),
    resolvedAt: iso(incident.resolvedAt),
    timestampSources: incident.timestampSources,
    customerImpact: incident.customerImpact,
    usersAffected: incident.usersAffected,
    failedTransactions: incident.failedTransactions,
    financialImpact: incident.financialImpact === null ? null : { amount: Number(incident.financialImpact), currency: incident.financialImpactCurrency },
    detectionSource: incident.detectionSource,
    rootCauseCategory: incident.rootCauseCategory,
    recurrenceOf: incident.recurrenceOf ? incidentReference(incident.recurrenceOf.number) : null,
    origin: incident.origin,
    systems: incident.systems.map((s) => s.slug),
    runbooks: incident.runbooks.map((r) => r.slug),
    postmortem: incident.postmortem?.slug ?? null,
    events: incident.events.map((e) => ({ at: e.at.toISOString(), text: e.text, source: e.source })),
    actions: incident.actions.map((a) => ({ title: a.title, owner: a.owner, dueDate: a.dueDate, status: a.status, closedAt: iso(a.closedAt) })),
    url: `/incidents/${incident.number}`,
  };
}
