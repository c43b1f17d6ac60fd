import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { AdminNav, SlaForm } from "~/components/catalog-forms";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { clientIp, requireRole } from "~/auth/session.server";
import { baseFieldValue, readEditBase, readSlaForm, slaEntryFromForm, slaFormValues } from "~/catalog/admin-form";
import { adminActor, listSlaEntries, updateSla } from "~/catalog/admin.server";
import { getRuntime } from "~/lib/runtime.server";

export const meta: MetaFunction = () => [{ title: "SLA defaults · Admin · Drillbook" }];

/** GET /admin/slas (admins): the SLA defaults of tiers 1-4, one form each. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const { db } = await getRuntime();
  const tiers = await listSlaEntries(db);
  return { tiers: tiers.map((t) => ({ tier: t.tier, values: slaFormValues(t.entry), base: baseFieldValue(t.entry ?? { tier: t.tier }), missing: t.entry === null })) };
}

/**
 * POST /admin/slas (admins): `tier=N` plus the figures sets that tier's defaults (sla.update,
 * audited) and returns to the page with `?saved=N`; a refused save answers 400 with field errors.
 * The hidden `base` merges a save someone else made meanwhile; a figure both changed is refused
 * (see admin.systems.$slug).
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = await requireRole(request, "admin");
  const form = await request.formData();
  const tier = Number(form.get("tier"));
  const values = readSlaForm(form);
  const formKey = crypto.randomUUID();
  const base = String(form.get("base") ?? "");
  const posted = readEditBase(form);
  if (![1, 2, 3, 4].includes(tier) || !posted.ok) {
    const message = posted.ok ? "tier must be 1, 2, 3 or 4; reload the page" : "this form is damaged (its base is not readable); reload the page";
    return data({ tier, values, base, errors: { form: message } as Record<string, string>, formKey }, { status: 400 });
  }
  const { db } = await getRuntime();
  const result = await updateSla(db, tier, slaEntryFromForm(values), adminActor(viewer, clientIp(context)), { base: posted.base });
  if (!result.ok) return data({ tier, values, base: result.current ? baseFieldValue(result.current) : base, errors: result.errors, formKey }, { status: 400 });
  return redirect(`/admin/slas?saved=${tier}#tier-${tier}`);
}

export default function AdminSlasPage() {
  const { tiers } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  const saved = search.get("saved");
  return (
    <>
      <AdminNav />
      <h1>SLA defaults by tier</h1>
      <p className="muted">
        The defaults every system of a tier gets unless it overrides them (on its edit page). Availability is a fraction (0.9995 =
        99.95%); RTO, RPO and response targets in minutes; intervals in days. Changes are recorded in the{" "}
        <Link to="/admin/audit?targetType=sla">audit log</Link>.
      </p>
      {saved && !result ? (
        <p className="form-note" role="status">
          Saved tier {saved}.
        </p>
      ) : null}
      {result?.errors.form ? (
        <p className="form-error" role="alert">
          {result.errors.form}
        </p>
      ) : null}
      {tiers.map((t) => {
        const mine = result && result.tier === t.tier;
        return (
          <section key={t.tier} id={`tier-${t.tier}`} className="card admin-card">
            <h2>Tier {t.tier}</h2>
            {t.missing ? <p className="muted small">This tier has no defaults yet; systems of this tier show no SLA.</p> : null}
            <SlaForm
              key={mine ? result.formKey : "loaded"}
              tier={t.tier}
              values={mine ? result.values : t.values}
              base={mine ? result.base : t.base}
              errors={mine ? result.errors : {}}
            />
          </section>
        );
      })}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
