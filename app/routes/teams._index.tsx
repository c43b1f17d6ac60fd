import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { SystemLink, TierBadge } from "~/components/badges";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { listTeams } from "~/catalog/queries.server";
import { requireReader, roleAtLeast } from "~/auth/session.server";
import { getRuntime } from "~/lib/runtime.server";

export const meta: MetaFunction = () => [{ title: "Teams · Drillbook" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireReader(request);
  const { db } = await getRuntime();
  return { teams: await listTeams(db), canAdmin: viewer ? roleAtLeast(viewer.role, "admin") : false };
}

export default function TeamsPage() {
  const { teams, canAdmin } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Teams</h1>
      {canAdmin ? (
        <p className="admin-links small">
          <Link to="/admin/teams">Edit teams</Link>
          <Link to="/admin/audit?targetType=team">Audit log</Link>
        </p>
      ) : null}
      {teams.length === 0 ? (
        <p className="empty">
          No teams yet. Add them in <code>catalog/teams.yaml</code> (format in <code>content/README.md</code>) and import.
        </p>
      ) : (
        <div className="grid" style={{ gridTemplateColumns: "repeat(auto-fill, minmax(20rem, 1fr))" }}>
          {teams.map((team) => (
            <section key={team.slug} id={team.slug} className="card">
              <h2>{team.name}</h2>
              <p className="muted small">
                {[team.region, team.timezone].filter(Boolean).join(" · ")}
                {team.channel ? <> · {team.channel}</> : null}
                {team.email ? (
                  <>
                    {" "}
                    · <a href={`mailto:${team.email}`}>{team.email}</a>
                  </>
                ) : null}
              </p>
              {team.description ? <p>{team.description}</p> : null}
              <h3 className="small">Systems</h3>
              {team.systems.length === 0 ? (
                <p className="muted small">Owns no system.</p>
              ) : (
                <ul className="plain-list">
                  {team.systems.map((s) => (
                    <li key={s.slug}>
                      <SystemLink system={s} /> <TierBadge tier={s.tier} />
                    </li>
                  ))}
                </ul>
              )}
            </section>
          ))}
        </div>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
