/**
 * "Write postmortem": a draft postmortem document for an incident, from the postmortem template
 * (app/docs/templates.ts) pre-filled with the incident's facts, timeline and corrective actions,
 * linked both ways: incidents.postmortem_document_id points at the document, and the document's
 * frontmatter (metadata.extra) carries `incident: INC-<n>` (so an export and re-import links again).
 */
import { eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { incidents } from "../../db/schema";
import { recordAudit } from "../audit/audit.server";
import { loadCatalogIds, saveRevision } from "../docs/documents.server";
import type { Actor } from "../docs/save.server";
import { DOCUMENT_TEMPLATES } from "../docs/templates";
import { formatMinutes, incidentReference, minutesBetween, TIMESTAMP_FIELDS, TIMESTAMP_LABELS } from "./incident-input";
import { getIncident, IncidentNotFoundError, type IncidentDetail } from "./incidents.server";

const utc = (d: Date) => `${d.toISOString().slice(0, 16).replace("T", " ")}`;
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");

/** The Markdown of a new postmortem for `incident` (pure; times in UTC, as the template says). */
export function postmortemMarkdown(incident: IncidentDetail): string {
  const template = DOCUMENT_TEMPLATES.postmortem;
  const afterTimeline = template.slice(template.indexOf("## Root cause"));
  const rootCause = afterTimeline.slice(0, afterTimeline.indexOf("## Corrective actions"));
  const impact = [
    `- Severity: ${incident.severity}; systems: ${incident.systems.map((s) => s.name).join(", ") || "none linked"}`,
    `- Customer impact: ${incident.customerImpact ? "yes" : "no"}`,
    incident.usersAffected !== null ? `- Users affected: ${incident.usersAffected}` : null,
    incident.failedTransactions !== null ? `- Failed transactions: ${incident.failedTransactions}` : null,
    incident.financialImpact !== null ? `- Financial impact (estimate): ${incident.financialImpactCurrency ?? ""} ${incident.financialImpact}` : null,
    (() => {
      const restore = incident.mitigatedAt ?? incident.resolvedAt;
      const minutes = minutesBetween(incident.startedAt, restore);
      return minutes !== null ? `- Time to restore: ${formatMinutes(minutes)}` : "- Time to restore: _not restored yet_";
    })(),
  ].filter(Boolean);
  const rows: Array<{ at: Date; text: string }> = [
    ...TIMESTAMP_FIELDS.flatMap((f) => (incident[f] ? [{ at: incident[f]!, text: `**${TIMESTAMP_LABELS[f].replace(/ at$/, "").replace(/^./, (c) => c.toUpperCase())}.**` }] : [])),
    ...incident.events.map((e) => ({ at: e.at, text: e.text })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
  const actions = incident.actions.length
    ? incident.actions.map((a) => `| ${cell(a.title)} | ${cell(a.owner)} | ${a.dueDate ?? ""} | ${a.status} |`)
    : ["| | | | open |"];
  return [
    `## Summary`,
    "",
    incident.summary || "_Two or three sentences: what happened, how long, the effect._",
    "",
    `Incident: [${incidentReference(incident.number)}](/incidents/${incident.number}) — ${incident.title}`,
    "",
    "## Impact",
    "",
    ...impact,
    "",
    "## Timeline",
    "",
    "All times UTC.",
    "",
    "| time (UTC) | event |",
    "|---|---|",
    ...rows.map((r) => `| ${utc(r.at)} | ${cell(r.text)} |`),
    "",
    rootCause.replace("_The underlying cause, not the trigger._", `_The underlying cause, not the trigger._ Category recorded on the incident: **${incident.rootCauseCategory}**.`).trimEnd(),
    "",
    "## Corrective actions",
    "",
    "| action | owner | due | status |",
    "|---|---|---|---|",
    ...actions,
    "",
  ].join("\n");
}

/**
 * Creates the draft postmortem of incident `number` (slug `postmortems/inc-<n>`) and links it, in
 * one transaction with audit entries (`document.create`, `incident.link_postmortem`). When the
 * incident already has a postmortem, nothing is written and its slug is returned.
 * @returns `{ slug, created }`.
 * @throws IncidentNotFoundError for an unknown number.
 */
export async function writePostmortem(db: Database, number: number, actor: Actor): Promise<{ slug: string; created: boolean }> {
  const incident = await getIncident(db, number);
  if (!incident) throw new IncidentNotFoundError(`No incident ${incidentReference(number)}.`);
  if (incident.postmortem) return { slug: incident.postmortem.slug, created: false };
  const catalog = await loadCatalogIds(db);
  let slug = `postmortems/inc-${number}`;
  return db.transaction(async (tx) => {
    const [taken] = await tx.select({ id: incidents.id }).from(incidents).where(eq(incidents.id, incident.id)).for("update");
    if (!taken) throw new IncidentNotFoundError(`No incident ${incidentReference(number)}.`);
    const current = await getIncident(tx, number);
    if (current!.postmortem) return { slug: current!.postmortem.slug, created: false };
    for (let n = 2; (await tx.query.documents.findFirst({ where: (d, { eq }) => eq(d.slug, slug), columns: { id: true } })) !== undefined; n++) {
      slug = `postmortems/inc-${number}-${n}`;
    }
    const saved = await saveRevision(
      tx,
      {
        slug,
        title: `Postmortem: ${incident.title}`.slice(0, 200),
        body: postmortemMarkdown(current!),
        metadata: {
          kind: "postmortem",
          status: "draft",
          systems: current!.systems.map((s) => s.slug).filter((s) => catalog.systems.has(s)).sort(),
          tags: [],
          alerts: [],
          owner: null,
          lastReviewed: null,
          extra: { incident: incidentReference(number) },
        },
        author: actor.name,
        message: `Postmortem of ${incidentReference(number)}`,
      },
      catalog,
      null,
    );
    await tx.update(incidents).set({ postmortemDocumentId: saved.documentId, updatedAt: new Date() }).where(eq(incidents.id, incident.id));
    await recordAudit(tx, {
      actorUserId: actor.userId,
      actor: actor.email,
      action: "document.create",
      targetType: "document",
      target: slug,
      revision: saved.revision,
      details: { message: `Postmortem of ${incidentReference(number)}` },
      ip: actor.ip,
    });
    await recordAudit(tx, {
      actorUserId: actor.userId,
      actor: actor.email,
      action: "incident.link_postmortem",
      targetType: "incident",
      target: incidentReference(number),
      details: { postmortem: slug },
      ip: actor.ip,
    });
    return { slug, created: true };
  });
}
