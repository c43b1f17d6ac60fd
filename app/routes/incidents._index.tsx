import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { SystemLink, Timestamp } from "~/components/badges";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { IncidentStatusBadge, SeverityBadge } from "~/components/incidents";
import { choicesOf, SelectField, slugChoices, TextField } from "~/components/ui/field";
import { CheckboxGroup, FilterBar } from "~/components/ui/filter-bar";
import { Pager } from "~/components/ui/pager";
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
  return (
    <>
      <h1>Incidents</h1>
      {canCreate ? (
        <p className="admin-links small">
          <Link to="/incidents/new">Record an incident</Link>
        </p>
      ) : null}
      <FilterBar label="Filter incidents" clearTo="/incidents" canClear={filtered}>
        <CheckboxGroup legend="Severity" name="severity" choices={choicesOf(SEVERITY_LEVELS)} checked={values.severity} layout="inline" />
        <CheckboxGroup legend="Status" name="status" choices={choicesOf(INCIDENT_STATUSES)} checked={values.status} layout="inline" />
        <SelectField prefix="incidents" name="system" label="System" value={values.system} choices={[{ value: "", label: "all" }, ...slugChoices(systems)]} />
        <TextField prefix="incidents" name="from" label="Started from" type="date" value={values.from} />
        <TextField prefix="incidents" name="to" label="to" type="date" value={values.to} />
      </FilterBar>
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
      <Pager page={page} pages={pages} search={query} path="/incidents" order="newest-first" />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
