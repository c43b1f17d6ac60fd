import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { IncidentForm } from "~/components/incidents";
import { requireRole } from "~/auth/session.server";
import { actorFromViewer } from "~/docs/save.server";
import { incidentFormValues, incidentInputFromForm, incidentReference, readIncidentForm, TIMESTAMP_FIELDS, type IncidentFormValues } from "~/incidents/incident-input";
import { getIncident, IncidentConflictError, IncidentNotFoundError, incidentFormChoices, updateIncident, type IncidentDetail } from "~/incidents/incidents.server";
import { invariantResponse } from "~/lib/http.server";
import { getRuntime } from "~/lib/runtime.server";
import { timeZoneFromCookie } from "~/lib/time";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Edit INC-${data.number} · Drillbook` : "Not found · Drillbook" }];

function numberOf(param: string | undefined): number {
  const n = /^(?:inc-)?(\d{1,9})$/i.exec(param ?? "");
  invariantResponse(n, `No incident "${param}".`);
  return Number(n[1]);
}

function valuesOf(incident: IncidentDetail, zone: string): IncidentFormValues {
  return incidentFormValues(
    {
      ...incident,
      systems: incident.systems.map((s) => s.slug),
      runbooks: incident.runbooks.map((r) => r.slug),
      recurrenceOf: incident.recurrenceOf ? incidentReference(incident.recurrenceOf.number) : null,
    },
    zone,
  );
}

/** GET /incidents/:number/edit (editors): the form with the incident's values, times in the viewer's zone. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "editor");
  const number = numberOf(params.number);
  const { db } = await getRuntime();
  const incident = await getIncident(db, number);
  invariantResponse(incident, `No incident ${incidentReference(number)}.`);
  return {
    number,
    version: incident.version,
    values: valuesOf(incident, timeZoneFromCookie(request.headers.get("cookie"))),
    choices: await incidentFormChoices(db),
  };
}

/**
 * POST /incidents/:number/edit (editors): saves the edit made on `version` (audited) and redirects
 * to the incident. 400 keeps what was typed; 409 when someone saved in between: their values are
 * shown beside the typed ones, and the form carries the new version so saving again is deliberate.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = await requireRole(request, "editor");
  const number = numberOf(params.number);
  const form = await request.formData();
  const zone = timeZoneFromCookie(request.headers.get("cookie"));
  const values = readIncidentForm(form, zone);
  const version = Number.parseInt(String(form.get("version") ?? ""), 10);
  if (!Number.isInteger(version) || version < 1) {
    return data({ values, errors: { version: "missing: reload the page and edit again" } as Record<string, string>, version: null as number | null, theirs: null as IncidentFormValues | null, changedBy: null as string | null }, { status: 400 });
  }
  const parsed = incidentInputFromForm(values);
  if (!parsed.ok) return data({ values, errors: parsed.errors, version, theirs: null, changedBy: null }, { status: 400 });
  const { db } = await getRuntime();
  try {
    const result = await updateIncident(db, number, parsed.raw, version, actorFromViewer(viewer, context));
    if (!result.ok) return data({ values, errors: result.fieldErrors, version, theirs: null, changedBy: null }, { status: 400 });
    return redirect(`/incidents/${number}`);
  } catch (error) {
    if (error instanceof IncidentNotFoundError) throw new Response(error.message, { status: 404 });
    if (error instanceof IncidentConflictError) {
      return data(
        { values, errors: {} as Record<string, string>, version: error.current.version, theirs: valuesOf(error.current, values.timezone), changedBy: null },
        { status: 409 },
      );
    }
    throw error;
  }
}

const LABELS: Partial<Record<keyof IncidentFormValues, string>> = {
  title: "Title",
  severity: "Severity",
  status: "Status",
  systems: "Systems",
  startedAt: "Started",
  detectedAt: "Detected",
  acknowledgedAt: "Acknowledged",
  mitigatedAt: "Mitigated",
  resolvedAt: "Resolved",
  customerImpact: "Customers impacted",
  usersAffected: "Users affected",
  failedTransactions: "Failed transactions",
  financialImpact: "Financial impact",
  financialImpactCurrency: "Currency",
  detectionSource: "Detected by",
  rootCauseCategory: "Root cause",
  recurrenceOf: "Recurrence of",
  runbooks: "Runbooks",
  summary: "Summary",
};

export default function EditIncidentPage() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const values = result?.values ?? loaded.values;
  const theirs = result?.theirs ?? null;
  const show = (v: unknown) => (Array.isArray(v) ? v.join(", ") : String(v ?? "")) || "—";
  const differing = theirs ? (Object.keys(LABELS) as Array<keyof IncidentFormValues>).filter((k) => show(theirs[k]) !== show(values[k])) : [];
  return (
    <>
      <p className="muted small">
        <Link to="/incidents">Incidents</Link> / <Link to={`/incidents/${loaded.number}`}>INC-{loaded.number}</Link> /
      </p>
      <h1>Edit INC-{loaded.number}</h1>
      {theirs ? (
        <div className="form-error" role="alert" tabIndex={-1}>
          <p style={{ margin: 0 }}>
            <strong>Not saved: someone changed this incident while you were editing</strong> (now version {result?.version}). Your values are
            still in the form below. Compare, adjust, and save again to replace theirs, or <Link to={`/incidents/${loaded.number}`}>leave without saving</Link>.
          </p>
          <table className="data small">
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Saved by them</th>
                <th scope="col">Yours</th>
              </tr>
            </thead>
            <tbody>
              {differing.map((k) => (
                <tr key={k}>
                  <th scope="row">{LABELS[k]}{(TIMESTAMP_FIELDS as readonly string[]).includes(k) ? ` (${values.timezone})` : ""}</th>
                  <td>{show(theirs[k])}</td>
                  <td>{show(values[k])}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <IncidentForm
        key={result?.version ?? "loaded"}
        values={values}
        errors={result?.errors ?? {}}
        choices={loaded.choices}
        version={result?.version ?? loaded.version}
        submitLabel="Save"
      />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
