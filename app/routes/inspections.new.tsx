import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/session.server";
import { InspectionForm } from "~/components/continuity";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { listInspectableSystems, recordInspection } from "~/continuity/continuity.server";
import { addRow, emptyInspectionForm, readInspectionForm, type FormErrors } from "~/continuity/forms";
import { actorFromViewer } from "~/docs/save.server";
import { getRuntime } from "~/lib/runtime.server";
import { timeZoneFromCookie } from "~/lib/time";

export const meta: MetaFunction = () => [{ title: "Record an inspection · Drillbook" }];

/** GET /inspections/new?system=<slug> (editors): the "Record inspection" form, the system chosen when given. */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireRole(request, "editor");
  const { db } = await getRuntime();
  const zone = timeZoneFromCookie(request.headers.get("cookie"));
  const system = new URL(request.url).searchParams.get("system") ?? "";
  return { values: emptyInspectionForm(system, new Date(), zone, viewer.name), systems: await listInspectableSystems(db), timeZone: zone };
}

/**
 * POST /inspections/new (editors): records the inspection (`recordInspection`, one transaction,
 * audited) and redirects to its page; a refused form answers 400 with the field errors and what was
 * typed. `intent=add-checklist` / `add-action` answer the form with one more row.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = await requireRole(request, "editor");
  const form = await request.formData();
  const zone = timeZoneFromCookie(request.headers.get("cookie"));
  const { values, raw, errorsFor } = readInspectionForm(form, zone);
  const formKey = crypto.randomUUID();
  const added = addRow(values, String(form.get("intent") ?? "save"));
  if (added) return { values: added, errors: {} as FormErrors, formKey };
  const { db } = await getRuntime();
  const result = await recordInspection(db, raw, actorFromViewer(viewer, context), { origin: "form" });
  if (!result.ok) return data({ values, errors: errorsFor(result.errors), formKey }, { status: 400 });
  return redirect(`/inspections/${result.id}?recorded=1`);
}

export default function NewInspectionPage() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const values = result?.values ?? loaded.values;
  const system = loaded.systems.find((s) => s.slug === values.system);
  return (
    <div className="narrow-wide">
      <p className="muted small">
        <Link to="/systems">Systems</Link> / {system ? <Link to={`/systems/${system.slug}#inspections`}>{system.name}</Link> : null}
      </p>
      <h1>Record an inspection</h1>
      <InspectionForm key={result?.formKey ?? "loaded"} values={values} errors={result?.errors ?? {}} systems={loaded.systems} timeZone={loaded.timeZone} />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
