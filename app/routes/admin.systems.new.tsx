import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { AdminNav, SystemForm } from "~/components/catalog-forms";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { clientIp, requireRole } from "~/auth/session.server";
import { applyRowIntent, readSystemForm, systemEntryFromForm, systemFormValues } from "~/catalog/admin-form";
import { adminActor, createSystem, systemFormChoices } from "~/catalog/admin.server";
import { getRuntime } from "~/lib/runtime.server";

export const meta: MetaFunction = () => [{ title: "New system · Admin · Drillbook" }];

/** GET /admin/systems/new (admins): a blank system form. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const { db } = await getRuntime();
  return { values: systemFormValues(null), choices: await systemFormChoices(db) };
}

/**
 * POST /admin/systems/new (admins): `intent=save` creates the system (system.create, audited) and
 * redirects to its page; row buttons answer with the changed rows; a refused save answers 400.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = await requireRole(request, "admin");
  const form = await request.formData();
  const values = readSystemForm(form);
  const formKey = crypto.randomUUID();
  const rows = applyRowIntent(values, String(form.get("intent") ?? "save"));
  if (rows) return { values: rows, errors: {} as Record<string, string>, formKey };
  const { db } = await getRuntime();
  const result = await createSystem(db, systemEntryFromForm(values), adminActor(viewer, clientIp(context)));
  if (!result.ok) return data({ values, errors: result.errors, formKey }, { status: 400 });
  return redirect(`/systems/${values.slug}`);
}

export default function NewSystemPage() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <AdminNav />
      <p className="muted small">
        <Link to="/admin/systems">Edit systems</Link> /
      </p>
      <h1>New system</h1>
      <SystemForm
        key={result?.formKey ?? "blank"}
        mode="new"
        values={result?.values ?? loaded.values}
        errors={result?.errors ?? {}}
        choices={loaded.choices}
      />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
