import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { AdminNav, NEW_TEAM_FORM, TeamForm, TimeZoneList } from "~/components/catalog-forms";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { clientIp, requireRole } from "~/auth/session.server";
import { baseFieldValue, readEditBase, readTeamForm, teamEntryFromForm, teamFormValues } from "~/catalog/admin-form";
import { adminActor, CatalogNotFoundError, createTeam, listTeamEntries, timeZoneChoices, updateTeam } from "~/catalog/admin.server";
import { getRuntime } from "~/lib/runtime.server";

export const meta: MetaFunction = () => [{ title: "Edit teams · Admin · Drillbook" }];

/** GET /admin/teams (admins): a form per team and one for a new team. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const { db } = await getRuntime();
  const teams = await listTeamEntries(db);
  return { teams: teams.map((t) => ({ slug: t.slug, values: teamFormValues(t), base: baseFieldValue(t) })), timeZones: timeZoneChoices() };
}

/**
 * POST /admin/teams (admins): `form=<team slug>` updates that team (team.update), `form=(new)`
 * creates one (team.create); both audited, then back to the list with `?saved=<slug>`. A refused
 * save answers 400 with the field errors and what was typed, on that team's form. An update's hidden
 * `base` merges a save someone else made meanwhile; a field both changed is refused (see admin.systems.$slug).
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = await requireRole(request, "admin");
  const form = await request.formData();
  const which = String(form.get("form") ?? "");
  const values = readTeamForm(form);
  const formKey = crypto.randomUUID();
  const base = String(form.get("base") ?? "");
  const posted = readEditBase(form);
  if (!which || !posted.ok) {
    return data({ form: which, values, base, errors: { form: !which ? "this form is missing its team; reload the page" : "this form is damaged (its base is not readable); reload the page" }, formKey }, { status: 400 });
  }
  const { db } = await getRuntime();
  const who = adminActor(viewer, clientIp(context));
  try {
    const result =
      which === NEW_TEAM_FORM ? await createTeam(db, teamEntryFromForm(values), who) : await updateTeam(db, which, teamEntryFromForm(values), who, { base: posted.base });
    if (!result.ok) return data({ form: which, values, base: result.current ? baseFieldValue(result.current) : base, errors: result.errors, formKey }, { status: 400 });
    const slug = which === NEW_TEAM_FORM ? values.slug.trim() : which;
    return redirect(`/admin/teams?saved=${encodeURIComponent(slug)}#team-${slug}`);
  } catch (error) {
    if (error instanceof CatalogNotFoundError) throw new Response(error.message, { status: 404 });
    throw error;
  }
}

export default function AdminTeamsPage() {
  const { teams, timeZones } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  const saved = search.get("saved");
  const formProps = (slug: string | null, loaded: ReturnType<typeof teamFormValues>, base: string) =>
    result && result.form === (slug ?? NEW_TEAM_FORM)
      ? { key: result.formKey, values: result.values, base: result.base, errors: result.errors }
      : { key: "loaded", values: loaded, base, errors: {} };
  return (
    <>
      <AdminNav />
      <h1>Edit teams</h1>
      <p className="muted">
        Changes are recorded in the <Link to="/admin/audit?targetType=team">audit log</Link>. A team's slug cannot change: systems and
        documents refer to it.
      </p>
      {saved && !result ? (
        <p className="form-note" role="status">
          Saved {saved}.
        </p>
      ) : null}
      {result?.errors.form ? (
        <p className="form-error" role="alert">
          {result.errors.form}
        </p>
      ) : null}
      {teams.map((team) => {
        const { key, ...props } = formProps(team.slug, team.values, team.base);
        return (
          <section key={team.slug} id={`team-${team.slug}`} className="card admin-card">
            <h2>
              {team.values.name} <code className="small muted">{team.slug}</code>
            </h2>
            <TeamForm key={key} slug={team.slug} {...props} />
          </section>
        );
      })}
      <section id="team-new" className="card admin-card">
        <h2>New team</h2>
        {(() => {
          const { key, ...props } = formProps(null, teamFormValues(null), "");
          return <TeamForm key={key} slug={null} {...props} />;
        })()}
      </section>
      <TimeZoneList zones={timeZones} />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
