/**
 * Incident UI: severity and status badges, the incident form (new and edit), the timeline view and
 * the small panels for document pages (a postmortem's incident, the incidents a runbook was used in).
 */
import { Form, Link } from "@remix-run/react";
import { DETECTION_SOURCES, INCIDENT_STATUSES, ROOT_CAUSE_CATEGORIES, SEVERITY_LEVELS } from "../../db/schema/enums";
import { formatMinutes, type IncidentFieldErrors, type IncidentFormValues } from "../incidents/incident-input";
import type { StepDuration, TimelineEntry } from "../incidents/timeline-view";
import { Timestamp } from "./badges";
import { TimelineText } from "./timeline-text";
import { ErrorSummary } from "./ui/error-summary";
import { choicesOf, SelectField, TextAreaField, TextField } from "./ui/field";

export const ROOT_CAUSE_LABELS: Record<string, string> = {
  change: "Change",
  capacity: "Capacity",
  hardware: "Hardware",
  software_defect: "Software defect",
  configuration: "Configuration",
  dependency: "Dependency or vendor",
  human_error: "Human error",
  security: "Security",
  unknown: "Unknown",
};

export function SeverityBadge({ severity }: { severity: string }) {
  return (
    <span className={`badge badge-${severity.toLowerCase()}`} title={`Severity ${severity} (SEV1 is most severe)`}>
      {severity}
    </span>
  );
}

export function IncidentStatusBadge({ status }: { status: string }) {
  return <span className={`badge incident-status-${status}`}>{status}</span>;
}

/** "INC-42" linking to the incident. */
export function IncidentLink({ number, title }: { number: number; title?: string }) {
  return (
    <Link to={`/incidents/${number}`}>
      INC-{number}
      {title ? ` ${title}` : ""}
    </Link>
  );
}

const COMMON_ZONES = ["UTC", "Asia/Shanghai", "Europe/Warsaw", "Asia/Kolkata", "Europe/Copenhagen", "Europe/London", "America/New_York"];

interface FormChoices {
  systems: Array<{ slug: string; name: string; lifecycle: string }>;
  runbooks: Array<{ slug: string; title: string }>;
}

/**
 * The incident form: wall-clock times in the zone chosen on the form (default the viewer's),
 * labels on every field, errors beside each field and summarised at the top.
 */
export function IncidentForm({
  values,
  errors,
  choices,
  version,
  submitLabel,
}: {
  values: IncidentFormValues;
  errors: IncidentFieldErrors;
  choices: FormChoices;
  version?: number;
  submitLabel: string;
}) {
  const prefix = "incident";
  const field = (name: keyof IncidentFormValues, label: string, extra: Record<string, unknown> = {}) => (
    <TextField prefix={prefix} name={name} label={label} value={String(values[name] ?? "")} errors={errors} {...extra} />
  );
  return (
    <Form method="post" className="form incident-form" noValidate>
      <ErrorSummary errors={errors} prefix={prefix} />
      {version !== undefined ? <input type="hidden" name="version" value={version} /> : null}
      {field("title", "Title", { required: true })}
      <div className="form-row">
        <SelectField prefix={prefix} name="severity" label="Severity" value={values.severity} errors={errors} choices={choicesOf(SEVERITY_LEVELS)} />
        <SelectField
          prefix={prefix}
          name="status"
          label="Status"
          value={values.status}
          errors={errors}
          choices={[{ value: "", label: "from the times (open, mitigated, resolved)" }, ...choicesOf(INCIDENT_STATUSES)]}
        />
      </div>
      <SelectField
        prefix={prefix}
        name="systems"
        label="Affected systems"
        hint="At least one. Hold Ctrl (⌘ on a Mac) to choose several."
        value={values.systems}
        errors={errors}
        multiple
        size={listBoxSize(choices.systems.length)}
        filterLabel="Filter systems"
        choices={choices.systems.map((s) => ({ value: s.slug, label: `${s.name}${s.lifecycle === "retired" ? " (retired)" : ""}` }))}
      />
      <fieldset className="incident-times">
        <legend>Times</legend>
        <TextField
          prefix={prefix}
          name="timezone"
          label="Time zone of the times below"
          value={values.timezone}
          errors={errors}
          list="incident-zones"
          hint="An IANA zone; times are stored in UTC and shown to each reader in their own zone."
        />
        <datalist id="incident-zones">
          {COMMON_ZONES.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
        <div className="form-row">
          {field("startedAt", "Started", { type: "datetime-local", required: true })}
          {field("detectedAt", "Detected", { type: "datetime-local" })}
          {field("acknowledgedAt", "Acknowledged", { type: "datetime-local" })}
        </div>
        <div className="form-row">
          {field("mitigatedAt", "Mitigated", { type: "datetime-local" })}
          {field("resolvedAt", "Resolved", { type: "datetime-local" })}
        </div>
      </fieldset>
      <fieldset>
        <legend>Impact</legend>
        <div className="form-row">
          <SelectField
            prefix={prefix}
            name="customerImpact"
            label="Customers impacted"
            value={values.customerImpact}
            errors={errors}
            choices={[
              { value: "no", label: "No" },
              { value: "yes", label: "Yes" },
            ]}
          />
          {field("usersAffected", "Users affected", { inputMode: "numeric" })}
          {field("failedTransactions", "Failed transactions", { inputMode: "numeric" })}
        </div>
        <div className="form-row">
          {field("financialImpact", "Financial impact (estimate)", { inputMode: "decimal" })}
          {field("financialImpactCurrency", "Currency (ISO 4217)", { placeholder: "CNY" })}
        </div>
      </fieldset>
      <div className="form-row">
        <SelectField
          prefix={prefix}
          name="detectionSource"
          label="Detected by"
          value={values.detectionSource}
          errors={errors}
          choices={[{ value: "", label: "not recorded" }, ...choicesOf(DETECTION_SOURCES)]}
        />
        <SelectField
          prefix={prefix}
          name="rootCauseCategory"
          label="Root-cause category"
          value={values.rootCauseCategory}
          errors={errors}
          choices={choicesOf(ROOT_CAUSE_CATEGORIES, (c) => ROOT_CAUSE_LABELS[c] ?? c)}
        />
        {field("recurrenceOf", "Recurrence of", { placeholder: "INC-12", hint: "The earlier incident this one repeats, if any." })}
      </div>
      <SelectField
        prefix={prefix}
        name="runbooks"
        label="Runbooks used"
        value={values.runbooks}
        errors={errors}
        multiple
        size={listBoxSize(choices.runbooks.length)}
        filterLabel="Filter runbooks"
        choices={choices.runbooks.map((r) => ({ value: r.slug, label: r.title }))}
      />
      <TextAreaField prefix={prefix} name="summary" label="Summary" value={values.summary} errors={errors} rows={5} />
      <button type="submit">{submitLabel}</button>
    </Form>
  );
}

/** Rows of a multiple select: as many as there are choices, 3 to 8. */
const listBoxSize = (choices: number) => Math.min(8, Math.max(3, choices));

/** The timeline: timestamps and events in order, each with where it came from; then the step durations. */
export function IncidentTimeline({ entries, durations }: { entries: TimelineEntry[]; durations: StepDuration[] }) {
  return (
    <>
      {entries.length === 0 ? (
        <p className="empty">No timeline yet.</p>
      ) : (
        <ol className="incident-timeline">
          {entries.map((e, i) => (
            <li key={i} className={e.kind === "event" ? "timeline-event" : "timeline-step"}>
              <Timestamp value={e.at} /> {e.kind === "event" ? <TimelineText text={e.text} html={e.html} /> : <strong>{e.label}</strong>}
              {e.source ? <div className="muted small timeline-source">{e.source}</div> : null}
            </li>
          ))}
        </ol>
      )}
      <table className="data small incident-durations">
        <caption className="muted small">Durations between the steps</caption>
        <tbody>
          {durations.map((d) => (
            <tr key={d.label}>
              <th scope="row">{d.label}</th>
              <td>{d.minutes === null ? <span className="muted">missing a time</span> : formatMinutes(d.minutes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** Panel for a postmortem's page: the incident it reviews. */
export function PostmortemIncidentPanel({ incident }: { incident: { number: number; title: string; severity: string; status: string } | null }) {
  return (
    <section>
      <h2>Incident</h2>
      {incident ? (
        <p>
          <IncidentLink number={incident.number} /> <SeverityBadge severity={incident.severity} /> <IncidentStatusBadge status={incident.status} />
          <br />
          <span className="small">{incident.title}</span>
        </p>
      ) : (
        <p className="muted">Not linked to an incident.</p>
      )}
    </section>
  );
}

/** Panel for a runbook's page: incidents in which it was used, newest first. */
export function RunbookIncidentsPanel({ incidents }: { incidents: Array<{ number: number; title: string; severity: string; startedAt: Date | string }> }) {
  return (
    <section>
      <h2>Used in incidents</h2>
      {incidents.length === 0 ? (
        <p className="muted">Not recorded in any incident yet.</p>
      ) : (
        <ul className="plain-list">
          {incidents.map((i) => (
            <li key={i.number}>
              <IncidentLink number={i.number} /> <SeverityBadge severity={i.severity} />
              <br />
              <span className="small">{i.title}</span> <span className="muted small">· <Timestamp value={i.startedAt} /></span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The document page's incident panel: a postmortem's incident, or the incidents a runbook was used in. */
export function DocumentIncidentPanel({
  data,
}: {
  data:
    | { kind: "postmortem"; incident: { number: number; title: string; severity: string; status: string } | null }
    | { kind: "runbook"; incidents: Array<{ number: number; title: string; severity: string; startedAt: Date | string }> }
    | null;
}) {
  if (!data) return null;
  return data.kind === "postmortem" ? <PostmortemIncidentPanel incident={data.incident} /> : <RunbookIncidentsPanel incidents={data.incidents} />;
}
