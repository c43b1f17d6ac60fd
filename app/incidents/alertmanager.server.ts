/**
 * Opens and updates incidents from Alertmanager notifications (`POST /api/v1/alertmanager`).
 * One incident per alert group episode: a `firing` notification opens an incident, or updates the
 * open one of the same `groupKey`; a `resolved` notification (all alerts of the group resolved)
 * sets `resolved_at` to the latest `endsAt`. Alert names become timeline events (one per alert and
 * state, so repeated notifications add nothing) and link the runbooks that answer them
 * (runbook_alerts). Label mapping: alertmanager.ts. One transaction per notification, audited.
 */
import { createHash } from "node:crypto";
import { and, desc, eq, inArray, like, sql } from "drizzle-orm";
import type { Database, Executor } from "../../db/client";
import { documents, incidentEvents, incidentRunbooks, incidentSystems, incidents, runbookAlerts, systems } from "../../db/schema";
import { recordAudit } from "../audit/audit.server";
import { alertIdentity, describeAlert, mostSevere, severityFromLabels, systemLabels, type AlertmanagerPayload } from "./alertmanager";
import { incidentReference, timestampOrderProblems } from "./incident-input";
import { insertIncident, type IncidentActor } from "./incidents.server";

export interface AlertmanagerResult {
  number: number;
  /** `created`: a new incident; `updated`: something changed; `unchanged`: a repeat notification. */
  outcome: "created" | "updated" | "unchanged";
  /** Unknown system labels and the like, also recorded on the timeline. */
  warnings: string[];
}

/** externalKey prefix of a group's incidents: `alertmanager:<sha256(groupKey), 32 hex>/`. */
export function groupKeyPrefix(groupKey: string): string {
  return `alertmanager:${createHash("sha256").update(groupKey).digest("hex").slice(0, 32)}/`;
}

/**
 * Applies one Alertmanager notification (already validated with `alertmanagerPayload`).
 * @returns the incident number and what happened.
 */
export async function receiveAlertmanager(db: Database, payload: AlertmanagerPayload, actor: IncidentActor, now: Date = new Date()): Promise<AlertmanagerResult> {
  return db.transaction(async (tx) => {
    const prefix = groupKeyPrefix(payload.groupKey);
    const warnings: string[] = [];
    const firing = payload.alerts.filter((a) => a.status === "firing");
    const severity = mostSevere((firing.length ? firing : payload.alerts).map((a) => severityFromLabels({ ...payload.commonLabels, ...a.labels }).severity));
    const startedAt = new Date(Math.min(...payload.alerts.map((a) => Date.parse(a.startsAt))));

    const wanted = [...new Set([...systemLabels(payload.commonLabels), ...payload.alerts.flatMap((a) => systemLabels(a.labels))])];
    const known = wanted.length ? await tx.select({ id: systems.id, slug: systems.slug }).from(systems).where(inArray(sql`lower(${systems.slug})`, wanted)) : [];
    const unknown = wanted.filter((w) => !known.some((k) => k.slug.toLowerCase() === w));
    for (const value of unknown) warnings.push(`system label "${value}" names no system in the catalog; link the system on the incident's edit page`);
    if (wanted.length === 0) warnings.push("no system or service label; link the system on the incident's edit page");

    const alertNames = [...new Set(payload.alerts.map((a) => a.labels.alertname!))];
    const runbooks = await tx
      .selectDistinct({ id: documents.id })
      .from(runbookAlerts)
      .innerJoin(documents, eq(documents.id, runbookAlerts.documentId))
      .where(and(inArray(runbookAlerts.alertKey, alertNames.map((n) => n.toLowerCase())), eq(documents.kind, "runbook")));

    let [incident] = await tx
      .select()
      .from(incidents)
      .where(and(like(incidents.externalKey, `${prefix}%`), inArray(incidents.status, ["open", "mitigated"])))
      .orderBy(desc(incidents.startedAt))
      .limit(1);
    let outcome: AlertmanagerResult["outcome"] = "unchanged";
    if (!incident) {
      const key = `${prefix}${startedAt.toISOString()}`;
      [incident] = await tx.select().from(incidents).where(eq(incidents.externalKey, key));
      if (!incident) {
        const title = (payload.commonAnnotations.summary || `${alertNames.join(", ")}${known.length ? ` on ${known.map((k) => k.slug).join(", ")}` : ""}`).slice(0, 300);
        const created = await insertIncident(
          tx,
          {
            title,
            severity,
            systems: [],
            startedAt,
            detectedAt: startedAt,
            acknowledgedAt: null,
            mitigatedAt: null,
            resolvedAt: null,
            customerImpact: false,
            usersAffected: null,
            failedTransactions: null,
            financialImpact: null,
            financialImpactCurrency: null,
            detectionSource: "monitoring",
            rootCauseCategory: "unknown",
            recurrenceOf: null,
            status: "open",
            runbooks: [],
            summary: (payload.commonAnnotations.description ?? "").slice(0, 20_000),
            timezone: "UTC",
            events: [],
            actions: [],
          },
          actor,
          {
            origin: "webhook",
            externalKey: key,
            timestampSources: {
              startedAt: "Alertmanager: earliest startsAt of the group's alerts (the fault may have begun earlier)",
              detectedAt: "Alertmanager: earliest startsAt of the group's alerts",
            },
          },
        );
        if (!created.ok) throw new Error(`Could not open an incident: ${JSON.stringify(created.fieldErrors)}`);
        [incident] = await tx.select().from(incidents).where(eq(incidents.id, created.id));
        outcome = "created";
      }
    }
    const row = incident!;
    const changed: Record<string, { before: unknown; after: unknown }> = {};

    // Systems and runbooks are only added, never removed.
    if (known.length > 0) {
      const added = await tx
        .insert(incidentSystems)
        .values(known.map((k) => ({ incidentId: row.id, systemId: k.id })))
        .onConflictDoNothing()
        .returning({ systemId: incidentSystems.systemId });
      if (added.length > 0) changed.systems = { before: null, after: known.filter((k) => added.some((a) => a.systemId === k.id)).map((k) => k.slug) };
    }
    if (runbooks.length > 0) {
      const added = await tx
        .insert(incidentRunbooks)
        .values(runbooks.map((r) => ({ incidentId: row.id, documentId: r.id })))
        .onConflictDoNothing()
        .returning({ documentId: incidentRunbooks.documentId });
      if (added.length > 0) changed.runbooks = { before: null, after: added.length };
    }

    // Events: one per alert and state; warnings once each.
    const events = [
      ...payload.alerts.map((a) => ({
        at: new Date(a.status === "resolved" && a.endsAt ? a.endsAt : a.startsAt),
        text: `Alert ${a.status === "resolved" ? "resolved" : "firing"}: ${describeAlert(a)}`.slice(0, 2000),
        source: `alertmanager:${alertIdentity(a)}:${a.status}:${a.status === "resolved" ? a.endsAt : a.startsAt}`.slice(0, 500),
      })),
      ...warnings.map((w) => ({ at: now, text: `Alertmanager: ${w}`, source: `alertmanager:warning:${w}`.slice(0, 500) })),
    ];
    const existing = new Set(
      (await tx.select({ source: incidentEvents.source }).from(incidentEvents).where(and(eq(incidentEvents.incidentId, row.id), like(incidentEvents.source, "alertmanager:%")))).map(
        (e) => e.source,
      ),
    );
    const fresh = events.filter((e) => !existing.has(e.source));
    if (fresh.length > 0) {
      await tx.insert(incidentEvents).values(fresh.map((e) => ({ incidentId: row.id, ...e })));
      changed.events = { before: null, after: fresh.length };
    }

    const update: Partial<typeof incidents.$inferInsert> = {};
    if (outcome !== "created" && severity < row.severity) {
      update.severity = severity;
      changed.severity = { before: row.severity, after: severity };
    }
    if (payload.status === "resolved" && row.resolvedAt === null && (row.status === "open" || row.status === "mitigated")) {
      const ends = payload.alerts.map((a) => (a.endsAt ? Date.parse(a.endsAt) : NaN)).filter((t) => !Number.isNaN(t));
      const resolvedAt = new Date(ends.length ? Math.max(...ends) : now.getTime());
      const problems = timestampOrderProblems({ startedAt: row.startedAt, mitigatedAt: row.mitigatedAt, resolvedAt }, { now: new Date(now.getTime() + 86_400_000) });
      if (problems.length > 0) {
        warnings.push(`resolution not recorded: ${problems[0]!.message}`);
      } else {
        update.resolvedAt = resolvedAt;
        update.status = "resolved";
        update.timestampSources = { ...row.timestampSources, resolvedAt: "Alertmanager: latest endsAt of the resolved group" };
        changed.resolvedAt = { before: null, after: resolvedAt.toISOString() };
        changed.status = { before: row.status, after: "resolved" };
      }
    }
    if (Object.keys(update).length > 0) {
      await tx.update(incidents).set({ ...update, version: row.version + 1, updatedAt: now }).where(eq(incidents.id, row.id));
    }
    if (outcome === "created" || Object.keys(changed).length > 0) {
      if (outcome !== "created") outcome = "updated";
      await recordAudit(tx, {
        actorUserId: actor.userId,
        actor: actor.email,
        action: "incident.alertmanager",
        targetType: "incident",
        target: incidentReference(row.number),
        details: { groupKey: payload.groupKey, status: payload.status, receiver: payload.receiver, alerts: payload.alerts.length, changes: changed, warnings },
        ip: actor.ip,
      });
    }
    return { number: row.number, outcome, warnings };
  });
}
