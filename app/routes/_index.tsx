import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { KindBadge, StatusBadge, Timestamp } from "~/components/badges";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { systemsByTier } from "~/catalog/queries.server";
import { documentCountsByKind, recentDocuments } from "~/docs/queries.server";
import { documentHref } from "~/docs/slug";
import { requireReader } from "~/auth/session.server";
import { getRuntime } from "~/lib/runtime.server";

export const meta: MetaFunction = () => [{ title: "Drillbook" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireReader(request);
  const { db } = await getRuntime();
  const [recent, tiers, counts] = await Promise.all([recentDocuments(db, 12), systemsByTier(db), documentCountsByKind(db)]);
  return { recent, tiers, counts };
}

export default function Home() {
  const { recent, tiers, counts } = useLoaderData<typeof loader>();
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return (
    <>
      <section className="search-hero">
        <h1>Find the runbook</h1>
        <form action="/search" method="get" role="search">
          <input
            type="search"
            name="q"
            placeholder="Alert name, symptom or system — e.g. KubePodCrashLooping, 主备延迟"
            aria-label="Search"
            autoFocus
            data-search-input
            autoComplete="off"
          />
          <button type="submit">Search</button>
        </form>
        <p className="muted small">
          {total} documents: {counts.runbook ?? 0} runbooks, {counts.contingency_plan ?? 0} contingency plans,{" "}
          {counts.postmortem ?? 0} postmortems. Press <kbd>/</kbd> anywhere to search.
        </p>
      </section>
      <div className="grid grid-2">
        <section className="card">
          <h2>Recent changes</h2>
          {recent.length === 0 ? (
            <p className="empty">
              No documents yet. Import a folder of Markdown with <code>npm run import -- &lt;dir&gt;</code>.
            </p>
          ) : (
            <ul className="plain-list">
              {recent.map((doc) => (
                <li key={doc.slug}>
                  <a href={documentHref(doc.slug)}>{doc.title}</a> <KindBadge kind={doc.kind} /> <StatusBadge status={doc.status} />
                  <div className="muted small">
                    revision {doc.revision} · <Timestamp value={doc.updatedAt} />
                  </div>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="card">
          <h2>Systems by tier</h2>
          {tiers.length === 0 ? (
            <p className="empty">No systems in the catalog yet. Add them in <code>catalog/systems.yaml</code> and import.</p>
          ) : (
            tiers.map((group) => (
              <div key={group.tier}>
                <h3>Tier {group.tier}</h3>
                <ul className="plain-list">
                  {group.systems.map((s) => (
                    <li key={s.slug}>
                      <Link to={`/systems/${s.slug}`}>{s.name}</Link>
                    </li>
                  ))}
                </ul>
              </div>
            ))
          )}
        </section>
      </div>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
