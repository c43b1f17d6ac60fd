import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { SystemLink, Timestamp } from "~/components/badges";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { IncidentStatusBadge, SeverityBadge } from "~/components/incidents";
import { requireReader, roleAtLeast } from "~/auth/session.server";
import { incidentFormChoices, listIncidents } from "~/incidents/incidents.server";
import { getRuntime } from "~/lib/runtime.server";
import { INCIDENT_STATUSES, SEVERITY_LEVELS } from "../../db/schema/enums";

export const meta: MetaFunction = () => [{ title: "Incidents · Drillbook" }];

const PAGE_SIZE = 25;

/**
 * GET /incidents?severity=&status=&system=&from=&to=&page=: incidents, newest first, 25 a page.
 * `from`/`to` are UTC days (inclusive) bounding the start; severity and status may repeat.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireReader(request);
  const url = new URL(request.url);
  const q = url.searchParams;
  const day = (name: string, end = false) => {
    const v = q.get(name) ?? "";
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return null;
    const d = new Date(`${v}T00:00:00Z`);
    if (Number.isNaN(d.getTime())) return null;
    return end ? new Date(d.getTime() + 86_400_000) : d;
  };
  const filters = {
    severity: q.getAll("severity").filter((s) => (SEVERITY_LEVELS as readonly string[]).includes(s)),
    status: q.getAll("status").filter((s) => (INCIDENT_STATUSES as readonly string[]).includes(s)),
    system: q.get("system") || null,
    from: day("from"),
    to: day("to", true),
    page: Math.max(1, Number.parseInt(q.get("page") ?? "1", 10) || 1),
    pageSize: PAGE_SIZE,
  };
  const { db } = await getRuntime();
  const [result, choices] = await Promise.all([listIncidents(db, filters), incidentFormChoices(db)]);
  return {
    ...result,
    values: { severity: filters.severity, status: filters.status, system: filters.system ?? "", from: q.get("from") ?? "", to: q.get("to") ?? "" },
    systems: choices.systems,
    filtered: [...q.keys()].some((k) => k !== "page"),
    query: q.toString(),
    canCreate: viewer !== null && roleAtLeast(viewer.role, "editor"),
  };
}

export default function IncidentsPage() {
  const { items, total, page, pageSize, values, systems, filtered, query, canCreate } = useLoaderData<typeof loader>();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const pageHref = (n: number) => {
    const params = new URLSearchParams(query);
    params.set("page", String(n));
    return `/incidents?${params}`;
  };
  return (
    <>
      <h1>Incidents</h1>
      {canCreate ? (
        <p className="admin-links small">
          <Link to="/incidents/new">Record an incident</Link>
        </p>
      ) : null}
      <Form method="get" className="form form-inline" aria-label="Filter incidents">
        <fieldset className="field">
          <legend>Severity</legend>
          {SEVERITY_LEVELS.map((s) => (
            <label key={s} className="inline-check">
              <input type="checkbox" name="severity" value={s} defaultChecked={values.severity.includes(s)} /> {s}
            </label>
          ))}
        </fieldset>
        <fieldset className="field">
          <legend>Status</legend>
          {INCIDENT_STATUSES.map((s) => (
            <label key={s} className="inline-check">
              <input type="checkbox" name="status" value={s} defaultChecked={values.status.includes(s)} /> {s}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="incidents-system">System</label>
          <select id="incidents-system" name="system" defaultValue={values.system}>
            <option value="">all</option>
            {systems.map((s) => (
              <option key={s.slug} value={s.slug}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="incidents-from">Started from</label>
          <input id="incidents-from" type="date" name="from" defaultValue={values.from} />
        </div>
        <div className="field">
          <label htmlFor="incidents-to">to</label>
          <input id="incidents-to" type="date" name="to" defaultValue={values.to} />
        </div>
        <button type="submit">Filter</button>
        {filtered ? (
          <Link to="/incidents" className="button secondary">
            Clear
          </Link>
        ) : null}
      </Form>
      {items.length === 0 ? (
        <p className="empty">
          {filtered ? "No incident matches these filters." : "No incidents recorded yet."}{" "}
          {canCreate ? <Link to="/incidents/new">Record an incident</Link> : null}
          {!filtered ? (
            <>
              {" "}
              Incidents also arrive from Alertmanager (<code>POST /api/v1/alertmanager</code>) and from imported postmortems.
            </>
          ) : null}
        </p>
      ) : (
        <>
          <p className="small muted">
            {total} {total === 1 ? "incident" : "incidents"}, newest first
          </p>
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Incident</th>
                <th scope="col">Severity</th>
                <th scope="col">Status</th>
                <th scope="col">Systems</th>
                <th scope="col">Started</th>
                <th scope="col">Postmortem</th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr key={i.number}>
                  <td>
                    <Link to={`/incidents/${i.number}`}>INC-{i.number}</Link> {i.title}
                    {i.customerImpact ? <span className="badge incident-customer"> customers</span> : null}
                  </td>
                  <td>
                    <SeverityBadge severity={i.severity} />
                  </td>
                  <td>
                    <IncidentStatusBadge status={i.status} />
                  </td>
                  <td>
                    {i.systems.length === 0 ? (
                      <span className="muted">none</span>
                    ) : (
                      i.systems.map((s, n) => (
                        <span key={s.slug}>
                          {n > 0 ? ", " : ""}
                          <SystemLink system={{ ...s, lifecycle: "active" }} />
                        </span>
                      ))
                    )}
                  </td>
                  <td>
                    <Timestamp value={i.startedAt} />
                  </td>
                  <td>{i.postmortemSlug ? <Link to={`/docs/${i.postmortemSlug}`}>postmortem</Link> : <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {pages > 1 ? (
        <nav className="pager" aria-label="Pages">
          {page > 1 ? <Link to={pageHref(page - 1)}>← Newer</Link> : null}
          <span className="muted small">
            Page {page} of {pages}
          </span>
          {page < pages ? <Link to={pageHref(page + 1)}>Older →</Link> : null}
        </nav>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
