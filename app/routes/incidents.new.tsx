import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { IncidentForm } from "~/components/incidents";
import { requireRole } from "~/auth/session.server";
import { actorFromViewer } from "~/docs/save.server";
import { emptyIncidentForm, incidentInputFromForm, readIncidentForm } from "~/incidents/incident-input";
import { createIncident, incidentFormChoices } from "~/incidents/incidents.server";
import { getRuntime } from "~/lib/runtime.server";
import { timeZoneFromCookie } from "~/lib/time";

export const meta: MetaFunction = () => [{ title: "Record an incident · Drillbook" }];

/** GET /incidents/new (editors): an empty form, times in the viewer's zone. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "editor");
  const { db } = await getRuntime();
  return { values: emptyIncidentForm(timeZoneFromCookie(request.headers.get("cookie"))), choices: await incidentFormChoices(db) };
}

/** POST /incidents/new (editors): creates the incident (audited) and redirects to it; 400 keeps what was typed. */
export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = await requireRole(request, "editor");
  const values = readIncidentForm(await request.formData(), timeZoneFromCookie(request.headers.get("cookie")));
  const parsed = incidentInputFromForm(values);
  if (!parsed.ok) return data({ values, errors: parsed.errors }, { status: 400 });
  const { db } = await getRuntime();
  const result = await createIncident(db, parsed.raw, actorFromViewer(viewer, context), { origin: "form" });
  if (!result.ok) return data({ values, errors: result.fieldErrors }, { status: 400 });
  return redirect(`/incidents/${result.number}`);
}

export default function NewIncidentPage() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <p className="muted small">
        <Link to="/incidents">Incidents</Link> /
      </p>
      <h1>Record an incident</h1>
      <IncidentForm values={result?.values ?? loaded.values} errors={result?.errors ?? {}} choices={loaded.choices} submitLabel="Record incident" />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
