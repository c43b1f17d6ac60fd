import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireReader, roleAtLeast } from "~/auth/session.server";
import { Timestamp } from "~/components/badges";
import { ActionList, OutcomeBadge, RecoveryVsRto } from "~/components/continuity";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { getDrill } from "~/continuity/continuity.server";
import { documentHref } from "~/docs/slug";
import { invariantResponse } from "~/lib/http.server";
import { getRuntime } from "~/lib/runtime.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Drill of ${data.drill.plan.title} · Drillbook` : "Not found · Drillbook" },
];

/** GET /drills/:id (readers): one drill with its plan, recovery time vs RTO, findings and corrective actions. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requireReader(request);
  const { db } = await getRuntime();
  const drill = await getDrill(db, params.id ?? "");
  invariantResponse(drill, `No drill has the id "${params.id}". Drills are listed on their contingency plan's page.`);
  return { drill, canEdit: viewer !== null && roleAtLeast(viewer.role, "editor") };
}

export default function DrillPage() {
  const { drill, canEdit } = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  return (
    <div className="narrow-wide">
      <p className="muted small">
        <Link to={`${documentHref(drill.plan.slug)}#continuity`}>{drill.plan.title}</Link> / drills /
      </p>
      {search.get("recorded") ? (
        <p className="form-note" role="status">
          Drill recorded.
        </p>
      ) : null}
      <h1>
        Drill: {drill.scenario} <OutcomeBadge outcome={drill.outcome} />
      </h1>
      <dl className="facts card">
        <dt>When</dt>
        <dd>
          <Timestamp value={drill.heldAt} />
        </dd>
        <dt>Type</dt>
        <dd>{drill.type.replace("_", " ")}</dd>
        <dt>Plan</dt>
        <dd>
          <Link to={documentHref(drill.plan.slug)}>{drill.plan.title}</Link>, revision {drill.planRevision}
          {drill.planRevision < drill.plan.currentRevision ? (
            <span className="continuity-changed"> (the plan has changed since: revision {drill.plan.currentRevision} is current)</span>
          ) : null}
        </dd>
        <dt>Recovery time</dt>
        <dd>
          <RecoveryVsRto minutes={drill.recoveryMinutes} rto={drill.rto?.minutes ?? null} within={drill.withinRto} />
          {drill.rto ? <span className="muted small"> · RTO set by {drill.rto.system}</span> : null}
        </dd>
        <dt>Participants</dt>
        <dd>{drill.participants.length > 0 ? drill.participants.join(", ") : <span className="muted">not recorded</span>}</dd>
        <dt>Recorded</dt>
        <dd>
          by {drill.recordedBy} (<Timestamp value={drill.createdAt} />, {drill.origin})
          {drill.externalKey ? <span className="muted small"> · key <code>{drill.externalKey}</code></span> : null}
        </dd>
      </dl>
      <h2>Findings</h2>
      {drill.findings.length === 0 ? (
        <p className="empty">No findings recorded.</p>
      ) : (
        <ul>
          {drill.findings.map((f, i) => (
            <li key={i}>{f}</li>
          ))}
        </ul>
      )}
      {drill.notes ? (
        <>
          <h2>Notes</h2>
          <p style={{ whiteSpace: "pre-wrap" }}>{drill.notes}</p>
        </>
      ) : null}
      <h2>Corrective actions</h2>
      <ActionList actions={drill.correctiveActions} />
      {canEdit ? (
        <p>
          <Link to={`/drills/new?plan=${encodeURIComponent(drill.plan.slug)}`}>Record another drill of this plan</Link>
        </p>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
