import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { KIND_LABELS, KindBadge, StatusBadge, TierBadge } from "~/components/badges";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { getSystem } from "~/catalog/queries.server";
import { monthlyDowntimeBudgetMinutes } from "~/catalog/sla";
import { renderMarkdown } from "~/docs/markdown";
import { documentHref } from "~/docs/slug";
import { invariantResponse } from "~/lib/http.server";
import { requireReader, roleAtLeast } from "~/auth/session.server";
import { getRuntime } from "~/lib/runtime.server";
import { InspectionsPanel } from "~/components/continuity";
import { getSystemInspections } from "~/continuity/continuity.server";
import { SystemReliabilityPanels } from "~/components/reliability";
import { systemReliabilityPanel } from "~/metrics/reliability-page.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.system.name} · Systems · Drillbook` : "Not found · Drillbook" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requireReader(request);
  const { db } = await getRuntime();
  const detail = await getSystem(db, params.slug ?? "");
  invariantResponse(detail, `No system has the slug "${params.slug}". See the list of systems.`);
  const inspections = await getSystemInspections(db, detail.system, detail.sla?.inspectionIntervalDays ?? null, new Date(), {
    page: Number(new URL(request.url).searchParams.get("inspections")) || 1,
  });
  const reliability = await systemReliabilityPanel(db, detail.system.slug);
  return {
    ...detail,
    inspections,
    reliability,
    canRecordInspection: viewer !== null && roleAtLeast(viewer.role, "editor") && detail.system.lifecycle === "active",
    overridden: Object.keys(detail.system.slaOverrides),
    descriptionHtml: renderMarkdown(detail.system.description).html,
    canAdmin: viewer ? roleAtLeast(viewer.role, "admin") : false,
  };
}

function formatMinutes(minutes: number): string {
  if (minutes === 0) return "0 min";
  if (minutes < 120) return `${minutes} min`;
  if (minutes % 1440 === 0) return `${minutes / 1440} d`;
  return `${+(minutes / 60).toFixed(1)} h`;
}

export default function SystemPage() {
  const { system, owner, sla, dependsOn, dependents, documents, overridden, descriptionHtml, canAdmin, inspections, canRecordInspection, reliability } =
    useLoaderData<typeof loader>();
  const mark = (key: string) => (overridden.includes(key) ? " (system override)" : "");
  return (
    <>
      <p className="muted small">
        <Link to="/systems">Systems</Link> /
      </p>
      <h1>
        {system.name} <TierBadge tier={system.tier} />{" "}
        {system.lifecycle === "retired" ? <span className="badge badge-retired">retired</span> : null}
      </h1>
      {canAdmin ? (
        <p className="admin-links small">
          <Link to={`/admin/systems/${system.slug}`}>Edit this system</Link>
          <Link to={`/admin/audit?targetType=system&target=${encodeURIComponent(system.slug)}`}>Its audit log</Link>
        </p>
      ) : null}
      <div className="grid grid-2">
        <div>
          <section className="card markdown" dangerouslySetInnerHTML={{ __html: descriptionHtml || "<p>No description yet.</p>" }} />
          <h2>Documents</h2>
          {documents.length === 0 ? (
            <p className="empty">No runbook, contingency plan or postmortem covers this system yet.</p>
          ) : (
            (Object.keys(KIND_LABELS) as Array<keyof typeof KIND_LABELS>).filter((kind) => documents.some((d) => d.kind === kind)).map((kind) => (
              <section key={kind}>
                <h3>{KIND_LABELS[kind]}s</h3>
                <ul className="plain-list">
                  {documents
                    .filter((d) => d.kind === kind)
                    .map((d) => (
                      <li key={d.slug}>
                        <a href={documentHref(d.slug)}>{d.title}</a> <StatusBadge status={d.status} />
                        {d.lastReviewed ? <span className="muted small"> · reviewed {d.lastReviewed}</span> : null}
                      </li>
                    ))}
                </ul>
              </section>
            ))
          )}
          {!documents.some((d) => d.kind === "runbook" && d.status === "published") ? (
            <p className="review-stale">No published runbook: this system is a runbook-coverage gap.</p>
          ) : null}
          <InspectionsPanel data={inspections} system={system.slug} canRecord={canRecordInspection} />
        </div>
        <aside>
          <section className="card">
            <h2>Facts</h2>
            <dl className="facts">
              <dt>Owner</dt>
              <dd>{owner ? <Link to={`/teams#${owner.slug}`}>{owner.name}</Link> : "none"}</dd>
              <dt>Region</dt>
              <dd>{owner?.region ?? "—"}</dd>
              <dt>Lifecycle</dt>
              <dd>{system.lifecycle}</dd>
            </dl>
          </section>
          <section className="card" style={{ marginTop: "1rem" }}>
            <h2>SLA (tier {system.tier})</h2>
            {sla ? (
              <dl className="facts">
                <dt>Availability</dt>
                <dd>
                  {(sla.availability * 100).toFixed(2)}% ({formatMinutes(Math.round(monthlyDowntimeBudgetMinutes(sla.availability)))} / 30 days)
                  {mark("availability")}
                </dd>
                <dt>RTO</dt>
                <dd>
                  {formatMinutes(sla.rtoMinutes)}
                  {mark("rtoMinutes")}
                </dd>
                <dt>RPO</dt>
                <dd>
                  {formatMinutes(sla.rpoMinutes)}
                  {mark("rpoMinutes")}
                </dd>
                <dt>Response</dt>
                <dd>
                  {Object.entries(sla.responseMinutes)
                    .map(([sev, m]) => `${sev} ${formatMinutes(m)}`)
                    .join(" · ")}
                </dd>
                <dt>Drill every</dt>
                <dd>{sla.drillIntervalDays ? `${sla.drillIntervalDays} days` : "not required"}</dd>
                <dt>Inspect every</dt>
                <dd>{sla.inspectionIntervalDays} days</dd>
                <dt>Plan review</dt>
                <dd>every {sla.planReviewIntervalDays} days</dd>
              </dl>
            ) : (
              <p className="muted">No SLA defaults for tier {system.tier}.</p>
            )}
          </section>
          <section className="card" style={{ marginTop: "1rem" }}>
            <h2>Dependencies</h2>
            <h3 className="small">Depends on</h3>
            {dependsOn.length === 0 ? <p className="muted small">nothing</p> : <SystemList systems={dependsOn} />}
            <h3 className="small">Needed by</h3>
            {dependents.length === 0 ? <p className="muted small">nothing</p> : <SystemList systems={dependents} />}
          </section>
          <section className="card" style={{ marginTop: "1rem" }}>
            <h2>Critical windows</h2>
            {system.criticalWindows.length === 0 ? (
              <p className="muted small">None recorded.</p>
            ) : (
              <ul className="plain-list">
                {system.criticalWindows.map((w, i) => (
                  <li key={i}>
                    <strong>{w.name}</strong>
                    <div className="muted small">
                      {w.days.replace("_", " ")} {w.start}–{w.end} ({w.timezone})
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section className="card" style={{ marginTop: "1rem" }}>
            <h2>Escalation</h2>
            {system.escalation.length === 0 ? (
              <p className="muted small">No escalation matrix recorded.</p>
            ) : (
              <table className="data small">
                <tbody>
                  {system.escalation.map((level, i) => (
                    <tr key={i}>
                      <th scope="row">{level.level}</th>
                      <td>
                        {level.team}
                        <div className="muted">{[level.region, level.timezone, level.hours].filter(Boolean).join(" · ")}</div>
                        {level.contact ? <div>{level.contact}</div> : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <SystemReliabilityPanels systemSlug={system.slug} panel={reliability} />
        </aside>
      </div>
    </>
  );
}

function SystemList({ systems }: { systems: Array<{ slug: string; name: string; tier: number; lifecycle: string }> }) {
  return (
    <ul className="plain-list">
      {systems.map((s) => (
        <li key={s.slug}>
          <Link to={`/systems/${s.slug}`}>{s.name}</Link> <TierBadge tier={s.tier} />
        </li>
      ))}
    </ul>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
