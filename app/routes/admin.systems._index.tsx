import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { SystemLink, TierBadge } from "~/components/badges";
import { AdminNav } from "~/components/catalog-forms";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { requireRole } from "~/auth/session.server";
import { listSystems } from "~/catalog/queries.server";
import { getRuntime } from "~/lib/runtime.server";

export const meta: MetaFunction = () => [{ title: "Edit systems · Admin · Drillbook" }];

/** GET /admin/systems (admins): every system with a link to edit it, and "New system". */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const { db } = await getRuntime();
  return { systems: await listSystems(db) };
}

export default function AdminSystemsPage() {
  const { systems } = useLoaderData<typeof loader>();
  return (
    <>
      <AdminNav />
      <h1>Edit systems</h1>
      <p className="muted">
        Changes are saved to the catalog and recorded in the <Link to="/admin/audit?targetType=system">audit log</Link>. To keep the
        catalog in git, use <code>npm run export</code>.
      </p>
      <p>
        <Link to="/admin/systems/new" className="button">
          New system
        </Link>
      </p>
      <table className="data">
        <thead>
          <tr>
            <th scope="col">System</th>
            <th scope="col">Slug</th>
            <th scope="col">Tier</th>
            <th scope="col">Owner</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {systems.map((s) => (
            <tr key={s.slug}>
              <td>
                <SystemLink system={s} />
              </td>
              <td>
                <code>{s.slug}</code>
              </td>
              <td>
                <TierBadge tier={s.tier} />
              </td>
              <td>{s.owner?.name ?? <span className="muted">none</span>}</td>
              <td>
                <Link to={`/admin/systems/${s.slug}`} aria-label={`Edit ${s.name}`}>
                  Edit
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
