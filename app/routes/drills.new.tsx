import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/session.server";
import { DrillForm } from "~/components/continuity";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { listDrillablePlans, recordDrill } from "~/continuity/continuity.server";
import { addRow, emptyDrillForm, readDrillForm, type FormErrors } from "~/continuity/forms";
import { actorFromViewer } from "~/docs/save.server";
import { documentHref } from "~/docs/slug";
import { getRuntime } from "~/lib/runtime.server";
import { timeZoneFromCookie } from "~/lib/time";

export const meta: MetaFunction = () => [{ title: "Record a drill · Drillbook" }];

/** GET /drills/new?plan=<slug> (editors): the "Record drill" form, the plan chosen when given. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "editor");
  const { db } = await getRuntime();
  const zone = timeZoneFromCookie(request.headers.get("cookie"));
  const plan = new URL(request.url).searchParams.get("plan") ?? "";
  return { values: emptyDrillForm(plan, new Date(), zone), plans: await listDrillablePlans(db), timeZone: zone };
}

/**
 * POST /drills/new (editors): records the drill (`recordDrill`, one transaction, audited) and redirects
 * to its page; a refused form answers 400 with the field errors and what was typed. `intent=add-action`
 * answers the form with one more corrective-action row.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = await requireRole(request, "editor");
  const form = await request.formData();
  const zone = timeZoneFromCookie(request.headers.get("cookie"));
  const { values, raw, errorsFor } = readDrillForm(form, zone);
  const formKey = crypto.randomUUID();
  const added = addRow(values, String(form.get("intent") ?? "save"));
  if (added) return { values: added, errors: {} as FormErrors, formKey };
  const { db } = await getRuntime();
  const result = await recordDrill(db, raw, actorFromViewer(viewer, context), { origin: "form" });
  if (!result.ok) return data({ values, errors: errorsFor(result.errors), formKey }, { status: 400 });
  return redirect(`/drills/${result.id}?recorded=1`);
}

export default function NewDrillPage() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const values = result?.values ?? loaded.values;
  const plan = loaded.plans.find((p) => p.slug === values.plan);
  return (
    <div className="narrow-wide">
      <p className="muted small">
        {plan ? <Link to={`${documentHref(plan.slug)}#continuity`}>{plan.title}</Link> : <Link to="/search?kind=contingency_plan">Contingency plans</Link>} /
      </p>
      <h1>Record a drill</h1>
      <DrillForm key={result?.formKey ?? "loaded"} values={values} errors={result?.errors ?? {}} plans={loaded.plans} timeZone={loaded.timeZone} />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
