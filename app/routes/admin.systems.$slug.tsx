import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { AdminNav, SystemForm } from "~/components/catalog-forms";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { clientIp, requireRole } from "~/auth/session.server";
import { applyRowIntent, baseFieldValue, readEditBase, readSystemForm, systemEntryFromForm, systemFormValues } from "~/catalog/admin-form";
import { adminActor, CatalogNotFoundError, getSystemEntry, systemFormChoices, updateSystem } from "~/catalog/admin.server";
import { invariantResponse } from "~/lib/http.server";
import { getRuntime } from "~/lib/runtime.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Edit ${data.values.name} · Admin · Drillbook` : "Not found · Drillbook" }];

/** GET /admin/systems/:slug (admins): the system's edit form. 404 for an unknown slug. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const { db } = await getRuntime();
  const entry = await getSystemEntry(db, params.slug ?? "");
  invariantResponse(entry, `No system has the slug "${params.slug}". See the list at /admin/systems.`);
  return { values: systemFormValues(entry), base: baseFieldValue(entry), choices: await systemFormChoices(db) };
}

/**
 * POST /admin/systems/:slug (admins): `intent=save` saves (system.update, audited) and redirects
 * back with `?saved=`; a row button (`add:…`, `remove:…:N`, `up:…:N`) answers with the changed rows;
 * a refused save answers 400 with the field errors and what was typed. The hidden `base` (the entry
 * as the form was opened) merges a save someone else made meanwhile; a field both changed is
 * refused naming the stored value, and the answer's `base` is the stored entry, so saving again replaces it.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = await requireRole(request, "admin");
  const slug = params.slug ?? "";
  const form = await request.formData();
  const values = { ...readSystemForm(form), slug };
  const formKey = crypto.randomUUID();
  const posted = readEditBase(form);
  const base = String(form.get("base") ?? "");
  if (!posted.ok) return data({ values, base, errors: { form: "this form is damaged (its base is not readable); reload the page" } as Record<string, string>, formKey }, { status: 400 });
  const rows = applyRowIntent(values, String(form.get("intent") ?? "save"));
  if (rows) return { values: rows, base, errors: {} as Record<string, string>, formKey };
  const { db } = await getRuntime();
  try {
    const result = await updateSystem(db, slug, systemEntryFromForm(values), adminActor(viewer, clientIp(context)), { base: posted.base });
    if (!result.ok) return data({ values, base: result.current ? baseFieldValue(result.current) : base, errors: result.errors, formKey }, { status: 400 });
    return redirect(`/admin/systems/${slug}?saved=${encodeURIComponent(Object.keys(result.changes).join(",") || "-")}`);
  } catch (error) {
    if (error instanceof CatalogNotFoundError) throw new Response(error.message, { status: 404 });
    throw error;
  }
}

export default function EditSystemPage() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  const saved = search.get("saved");
  const values = result?.values ?? loaded.values;
  return (
    <>
      <AdminNav />
      <p className="muted small">
        <Link to="/admin/systems">Edit systems</Link> /
      </p>
      <h1>Edit {loaded.values.name}</h1>
      {saved && !result ? (
        <p className="form-note" role="status">
          {saved === "-" ? "Nothing changed." : `Saved: ${saved.split(",").join(", ")}.`}{" "}
          <Link to={`/systems/${loaded.values.slug}`}>View the system page</Link>
        </p>
      ) : null}
      <SystemForm key={result?.formKey ?? "loaded"} mode="edit" values={values} base={result?.base ?? loaded.base} errors={result?.errors ?? {}} choices={loaded.choices} />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
