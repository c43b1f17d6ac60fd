import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireReader, roleAtLeast } from "~/auth/session.server";
import { TierBadge, Timestamp } from "~/components/badges";
import { ActionList, ResultBadge } from "~/components/continuity";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { getInspection } from "~/continuity/continuity.server";
import { invariantResponse } from "~/lib/http.server";
import { getRuntime } from "~/lib/runtime.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Inspection of ${data.inspection.system.name} · Drillbook` : "Not found · Drillbook" },
];

/** GET /inspections/:id (readers): one inspection with its checklist, findings and corrective actions. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requireReader(request);
  const { db } = await getRuntime();
  const inspection = await getInspection(db, params.id ?? "");
  invariantResponse(inspection, `No inspection has the id "${params.id}". Inspections are listed on their system's page.`);
  return { inspection, canEdit: viewer !== null && roleAtLeast(viewer.role, "editor") };
}

export default function InspectionPage() {
  const { inspection: i, canEdit } = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  return (
    <div className="narrow-wide">
      <p className="muted small">
        <Link to="/systems">Systems</Link> / <Link to={`/systems/${i.system.slug}#inspections`}>{i.system.name}</Link> / inspections /
      </p>
      {search.get("recorded") ? (
        <p className="form-note" role="status">
          Inspection recorded.
        </p>
      ) : null}
      <h1>
        Inspection of {i.system.name} <TierBadge tier={i.system.tier} /> <ResultBadge result={i.result} />
      </h1>
      <dl className="facts card">
        <dt>When</dt>
        <dd>
          <Timestamp value={i.inspectedAt} />
        </dd>
        <dt>Inspector</dt>
        <dd>{i.inspector}</dd>
        <dt>Recorded</dt>
        <dd>
          by {i.recordedBy} (<Timestamp value={i.createdAt} />, {i.origin})
          {i.externalKey ? <span className="muted small"> · key <code>{i.externalKey}</code></span> : null}
        </dd>
      </dl>
      <h2>Checklist</h2>
      {i.checklist.length === 0 ? (
        <p className="empty">No checklist items recorded{i.result === "ok" ? " (every check was ok)" : ""}.</p>
      ) : (
        <table className="data small">
          <thead>
            <tr>
              <th scope="col">Check</th>
              <th scope="col">Result</th>
              <th scope="col">Note</th>
            </tr>
          </thead>
          <tbody>
            {i.checklist.map((c, n) => (
              <tr key={n}>
                <td>{c.item}</td>
                <td>
                  <ResultBadge result={c.result} />
                </td>
                <td>{c.note}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Findings</h2>
      {i.findings.length === 0 ? (
        <p className="empty">No findings.</p>
      ) : (
        <ul>
          {i.findings.map((f, n) => (
            <li key={n}>{f}</li>
          ))}
        </ul>
      )}
      {i.notes ? (
        <>
          <h2>Notes</h2>
          <p style={{ whiteSpace: "pre-wrap" }}>{i.notes}</p>
        </>
      ) : null}
      <h2>Corrective actions</h2>
      <ActionList actions={i.correctiveActions} />
      {canEdit && i.system.lifecycle === "active" ? (
        <p>
          <Link to={`/inspections/new?system=${encodeURIComponent(i.system.slug)}`}>Record another inspection of this system</Link>
        </p>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
