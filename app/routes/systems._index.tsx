import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { SystemLink, TierBadge } from "~/components/badges";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { listSystems } from "~/catalog/queries.server";
import { requireReader, roleAtLeast } from "~/auth/session.server";
import { getRuntime } from "~/lib/runtime.server";

export const meta: MetaFunction = () => [{ title: "Systems · Drillbook" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireReader(request);
  const { db } = await getRuntime();
  return { systems: await listSystems(db), canAdmin: viewer ? roleAtLeast(viewer.role, "admin") : false };
}

export default function SystemsPage() {
  const { systems, canAdmin } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Systems</h1>
      {canAdmin ? (
        <p className="admin-links small">
          <Link to="/admin/systems">Edit systems</Link>
          <Link to="/admin/systems/new">New system</Link>
          <Link to="/admin/slas">SLA defaults</Link>
          <Link to="/admin/audit">Audit log</Link>
        </p>
      ) : null}
      <p className="muted">The catalog: every system with its tier, owner team and the documents that cover it.</p>
      {systems.length === 0 ? (
        <p className="empty">
          The catalog is empty. Describe your systems in <code>catalog/systems.yaml</code> (format in <code>content/README.md</code>) and
          run <code>npm run import -- &lt;dir&gt;</code>.
        </p>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">System</th>
              <th scope="col">Tier</th>
              <th scope="col">Owner</th>
              <th scope="col">Runbooks</th>
              <th scope="col">Contingency plans</th>
              <th scope="col">Postmortems</th>
            </tr>
          </thead>
          <tbody>
            {systems.map((s) => (
              <tr key={s.slug}>
                <td>
                  <SystemLink system={s} />
                </td>
                <td>
                  <TierBadge tier={s.tier} />
                </td>
                <td>{s.owner ? <Link to={`/teams#${s.owner.slug}`}>{s.owner.name}</Link> : <span className="muted">none</span>}</td>
                <td className={s.documentCounts.runbook ? undefined : "review-stale"}>{s.documentCounts.runbook ?? 0}</td>
                <td>{s.documentCounts.contingency_plan ?? 0}</td>
                <td>{s.documentCounts.postmortem ?? 0}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
