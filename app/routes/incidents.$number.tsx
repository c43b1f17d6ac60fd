import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { TextField } from "~/components/ui/field";
import { SystemLink, TierBadge, Timestamp, useTimeZone } from "~/components/badges";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { IncidentLink, IncidentStatusBadge, IncidentTimeline, ROOT_CAUSE_LABELS, SeverityBadge } from "~/components/incidents";
import { requireReader, requireRole, roleAtLeast } from "~/auth/session.server";
import { actorFromViewer } from "~/docs/save.server";
import { editHref } from "~/docs/slug";
import { incidentReference } from "~/incidents/incident-input";
import { addIncidentEvent, getIncident, IncidentNotFoundError } from "~/incidents/incidents.server";
import { writePostmortem } from "~/incidents/postmortem.server";
import { addCorrectiveAction } from "~/corrective-actions/add.server";
import { stepDurations, timelineEntries } from "~/incidents/timeline-view";
import { invariantResponse } from "~/lib/http.server";
import { getRuntime } from "~/lib/runtime.server";
import { parseInZone, timeZoneFromCookie, toDateTimeLocalValue } from "~/lib/time";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `INC-${data.incident.number} ${data.incident.title} · Drillbook` : "Not found · Drillbook" },
];

function numberOf(param: string | undefined): number {
  const n = /^(?:inc-)?(\d{1,9})$/i.exec(param ?? "");
  invariantResponse(n, `No incident "${param}". Incident addresses look like /incidents/42.`);
  return Number(n[1]);
}

/** GET /incidents/:number: the incident, its timeline with durations, links, actions. 404 when unknown. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requireReader(request);
  const number = numberOf(params.number);
  const { db } = await getRuntime();
  const incident = await getIncident(db, number);
  invariantResponse(incident, `No incident ${incidentReference(number)}.`);
  return {
    incident,
    entries: timelineEntries(incident, incident.events),
    durations: stepDurations(incident),
    canEdit: viewer !== null && roleAtLeast(viewer.role, "editor"),
    now: toDateTimeLocalValue(new Date(), timeZoneFromCookie(request.headers.get("cookie"))),
  };
}

/**
 * POST /incidents/:number (editors): `intent=postmortem` creates the draft postmortem (or finds the
 * existing one) and redirects to its editor; `intent=event` adds a timeline entry (`at` wall-clock in
 * `timezone`, `text`); 400 with field errors otherwise.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = await requireRole(request, "editor");
  const number = numberOf(params.number);
  const form = await request.formData();
  const { db, outbox } = await getRuntime();
  const actor = actorFromViewer(viewer, context);
  const incident = await getIncident(db, number);
  invariantResponse(incident, `No incident ${incidentReference(number)}.`);
  try {
    if (form.get("intent") === "postmortem") {
      const { slug, created } = await writePostmortem(db, number, actor);
      if (created) await outbox.kick();
      return redirect(editHref(slug));
    }
    if (form.get("intent") === "event") {
      const zone = String(form.get("timezone") || timeZoneFromCookie(request.headers.get("cookie")));
      const local = String(form.get("at") ?? "");
      let at: Date | null = null;
      try {
        at = parseInZone(local, zone);
      } catch (error) {
        return data({ errors: { at: (error as Error).message } as Record<string, string>, text: String(form.get("text") ?? ""), at: local, actionValues: undefined }, { status: 400 });
      }
      const result = await addIncidentEvent(db, number, { at, text: form.get("text") }, actor);
      if (!result.ok) return data({ errors: result.fieldErrors as Record<string, string>, text: String(form.get("text") ?? ""), at: local, actionValues: undefined }, { status: 400 });
      return redirect(`/incidents/${number}#timeline`);
    }
    if (form.get("intent") === "action") {
      const values = {
        title: String(form.get("title") ?? ""),
        owner: String(form.get("owner") ?? ""),
        dueDate: String(form.get("dueDate") ?? ""),
      };
      const result = await addCorrectiveAction(
        db,
        { type: "incident", id: incident.id },
        { title: values.title, owner: values.owner, dueDate: values.dueDate || null },
        actor,
      );
      if (!result.ok) {
        const errors = Object.fromEntries(Object.entries(result.fieldErrors).map(([k, v]) => [`action.${k}`, v]));
        return data({ errors, text: "", at: "", actionValues: values }, { status: 400 });
      }
      return redirect(`/incidents/${number}#actions`);
    }
    return data({ errors: { intent: "Choose what to do: intent=postmortem, intent=event or intent=action" } as Record<string, string>, text: "", at: "", actionValues: undefined }, { status: 400 });
  } catch (error) {
    if (error instanceof IncidentNotFoundError) throw new Response(error.message, { status: 404 });
    throw error;
  }
}

export default function IncidentPage() {
  const { incident, entries, durations, canEdit, now } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const zone = useTimeZone();
  return (
    <div className="doc-layout">
      <article>
        <p className="muted small">
          <Link to="/incidents">Incidents</Link> /
        </p>
        <header className="doc-header">
          <div className="meta">
            <SeverityBadge severity={incident.severity} />
            <IncidentStatusBadge status={incident.status} />
            {incident.customerImpact ? <span className="badge incident-customer">customers impacted</span> : null}
            <span className="muted small">
              version {incident.version} · recorded by {incident.createdBy} ({incident.origin})
            </span>
            {canEdit ? (
              <span className="doc-actions">
                <Link to={`/incidents/${incident.number}/edit`}>Edit</Link>
              </span>
            ) : null}
          </div>
          <h1>
            INC-{incident.number} {incident.title}
          </h1>
        </header>
        {incident.summary ? <p className="incident-summary">{incident.summary}</p> : <p className="muted">No summary yet.</p>}

        <h2 id="timeline">Timeline</h2>
        <p className="muted small">Times in your zone ({zone}); the incident's own zone is {incident.timezone}.</p>
        <IncidentTimeline entries={entries} durations={durations} />
        {canEdit ? (
          <Form method="post" className="form form-inline" aria-label="Add a timeline entry">
            <input type="hidden" name="intent" value="event" />
            <input type="hidden" name="timezone" value={zone} />
            <div className="field">
              <label htmlFor="event-at">When ({zone})</label>
              <input id="event-at" type="datetime-local" name="at" defaultValue={result?.at || now} aria-invalid={result?.errors.at ? true : undefined} />
              {result?.errors.at ? <p className="field-error">{result.errors.at}</p> : null}
            </div>
            <div className="field">
              <label htmlFor="event-text">What happened</label>
              <input id="event-text" type="text" name="text" defaultValue={result?.text ?? ""} size={50} aria-invalid={result?.errors.text ? true : undefined} />
              {result?.errors.text ? <p className="field-error">{result.errors.text}</p> : null}
            </div>
            <button type="submit" className="secondary">
              Add to timeline
            </button>
          </Form>
        ) : null}

        <h2 id="actions">Corrective actions</h2>
        {incident.actions.length === 0 ? (
          <p className="muted">No corrective actions recorded.</p>
        ) : (
          <table className="data small">
            <thead>
              <tr>
                <th scope="col">Action</th>
                <th scope="col">Owner</th>
                <th scope="col">Due</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {incident.actions.map((a) => (
                <tr key={a.id}>
                  <td>{a.title}</td>
                  <td>{a.owner}</td>
                  <td>{a.dueDate ?? "—"}</td>
                  <td>
                    {a.status}
                    {a.closedAt ? (
                      <span className="muted">
                        {" "}
                        (<Timestamp value={a.closedAt} />)
                      </span>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {incident.actions.length > 0 ? (
          <p className="small">
            Status, owner and due date are edited in the <Link to="/actions?source=incident">corrective-action list</Link>.
          </p>
        ) : null}
        {canEdit ? <AddActionForm errors={result?.errors ?? {}} values={result?.actionValues} /> : null}
      </article>
      <aside className="doc-aside">
        <section>
          <h2>Postmortem</h2>
          {incident.postmortem ? (
            <p>
              <Link to={`/docs/${incident.postmortem.slug}`}>{incident.postmortem.title}</Link>
            </p>
          ) : canEdit ? (
            <Form method="post">
              <input type="hidden" name="intent" value="postmortem" />
              <button type="submit">Write postmortem</button>
              <p className="muted small">A draft from the template, with this incident's facts and timeline.</p>
            </Form>
          ) : (
            <p className="muted">Not written yet.</p>
          )}
        </section>
        <section>
          <h2>Systems</h2>
          {incident.systems.length === 0 ? (
            <p className="muted">No system linked{canEdit ? "; add one on the edit page" : ""}.</p>
          ) : (
            <ul className="plain-list">
              {incident.systems.map((s) => (
                <li key={s.slug}>
                  <SystemLink system={s} /> <TierBadge tier={s.tier} />
                </li>
              ))}
            </ul>
          )}
        </section>
        <section>
          <h2>Facts</h2>
          <dl className="facts small">
            <dt>Root cause</dt>
            <dd>{ROOT_CAUSE_LABELS[incident.rootCauseCategory] ?? incident.rootCauseCategory}</dd>
            <dt>Detected by</dt>
            <dd>{incident.detectionSource ?? "not recorded"}</dd>
            {incident.usersAffected !== null ? (
              <>
                <dt>Users affected</dt>
                <dd>{incident.usersAffected.toLocaleString("en")}</dd>
              </>
            ) : null}
            {incident.failedTransactions !== null ? (
              <>
                <dt>Failed transactions</dt>
                <dd>{incident.failedTransactions.toLocaleString("en")}</dd>
              </>
            ) : null}
            {incident.financialImpact !== null ? (
              <>
                <dt>Financial impact (estimate)</dt>
                <dd>
                  {incident.financialImpactCurrency} {Number(incident.financialImpact).toLocaleString("en")}
                </dd>
              </>
            ) : null}
            {incident.recurrenceOf ? (
              <>
                <dt>Recurrence of</dt>
                <dd>
                  <IncidentLink number={incident.recurrenceOf.number} title={incident.recurrenceOf.title} />
                </dd>
              </>
            ) : null}
            {incident.recurrences.length > 0 ? (
              <>
                <dt>Recurred as</dt>
                {incident.recurrences.map((r) => (
                  <dd key={r.number}>
                    <IncidentLink number={r.number} title={r.title} />
                  </dd>
                ))}
              </>
            ) : null}
          </dl>
        </section>
        <section>
          <h2>Runbooks used</h2>
          {incident.runbooks.length === 0 ? (
            <p className="muted">None recorded.</p>
          ) : (
            <ul className="plain-list">
              {incident.runbooks.map((r) => (
                <li key={r.slug}>
                  <Link to={`/docs/${r.slug}`}>{r.title}</Link>
                </li>
              ))}
            </ul>
          )}
        </section>
      </aside>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}

/** "Add corrective action": title, owner, due date; keeps what was typed when refused. */
function AddActionForm({ errors, values }: { errors: Record<string, string>; values?: { title: string; owner: string; dueDate: string } }) {
  // The action answers `action.title`, `action.owner`, `action.dueDate`; the inputs are `action-title`, ….
  const fieldErrors = Object.fromEntries(Object.entries(errors).map(([key, message]) => [key.replace(/^action\./, ""), message]));
  const field = (name: "title" | "owner" | "dueDate", label: string, type = "text") => (
    <TextField prefix="action" name={name} label={label} type={type} value={values?.[name] ?? ""} errors={fieldErrors} />
  );
  return (
    <Form method="post" className="form form-inline" aria-label="Add a corrective action">
      <input type="hidden" name="intent" value="action" />
      {field("title", "Corrective action")}
      {field("owner", "Owner")}
      {field("dueDate", "Due date", "date")}
      <button type="submit" className="secondary">
        Add corrective action
      </button>
    </Form>
  );
}
