import { Form, Link } from "@remix-run/react";
import type { PlanContinuity, SystemInspections } from "~/continuity/continuity.server";
import {
  ACTION_STATUSES,
  DRILL_OUTCOMES,
  DRILL_TYPES,
  INSPECTION_RESULTS,
  type ActionRow,
  type ChecklistRow,
  type DrillFormValues,
  type FormErrors,
  type InspectionFormValues,
} from "~/continuity/forms";
import { Timestamp } from "./badges";
import { ErrorSummary } from "./ui/error-summary";
import { CellField, choicesOf, SelectField, TextAreaField, TextField, type FieldErrors } from "./ui/field";
import { Pager } from "./ui/pager";
import { DefaultSave, SaveButton } from "./ui/save-buttons";

/**
 * Contingency-plan reviews, drills and inspections: the panel on a contingency plan's page, the
 * inspections panel on a system page, the findings trend, and the drill and inspection forms. The
 * forms work without JavaScript (textareas one per line, fixed rows plus "Add a row" buttons that
 * submit the form).
 */

const words = (s: string) => s.replace(/_/g, " ");

export function OutcomeBadge({ outcome }: { outcome: string }) {
  return <span className={`badge badge-outcome-${outcome}`}>{words(outcome)}</span>;
}

export function ResultBadge({ result }: { result: string }) {
  return <span className={`badge badge-result-${result}`}>{result}</span>;
}

function formatMinutes(minutes: number): string {
  if (minutes < 120) return `${minutes} min`;
  return `${+(minutes / 60).toFixed(1)} h`;
}

/** "22 min (RTO 15 min: over)" */
export function RecoveryVsRto({ minutes, rto, within }: { minutes: number | null; rto: number | null; within: boolean | null }) {
  if (minutes === null) return <span className="muted">not measured</span>;
  return (
    <span className={within === false ? "continuity-over" : undefined}>
      {formatMinutes(minutes)}
      {rto !== null ? <span className="muted small"> (RTO {formatMinutes(rto)}{within === false ? ": over" : within ? ": within" : ""})</span> : null}
    </span>
  );
}

// ------------------------------------------------------------------------------------- plan panel

/** The contingency-plan panel of a plan's document page: metadata, review and drill status, forms and history. */
export function PlanContinuityPanel({ plan, canEdit, reviewed }: { plan: PlanContinuity; canEdit: boolean; reviewed: boolean }) {
  const { review, drill } = plan;
  return (
    <section className="card continuity-panel" id="continuity" aria-labelledby="continuity-title">
      <h2 id="continuity-title">Contingency plan</h2>
      {reviewed ? (
        <p className="form-note" role="status">
          Marked reviewed. Thank you.
        </p>
      ) : null}
      <div className="continuity-columns">
        <dl className="facts">
          <dt>Scenarios</dt>
          <dd>
            {plan.scenarios.length === 0 ? (
              <span className="muted">none listed (add <code>scenarios:</code> to the frontmatter)</span>
            ) : (
              <ul className="continuity-scenarios">
                {plan.scenarios.map((s, i) => (
                  <li key={i}>{s}</li>
                ))}
              </ul>
            )}
          </dd>
          <dt>Approver</dt>
          <dd>{plan.approver ?? <span className="muted">not named</span>}</dd>
          <dt>RTO to meet</dt>
          <dd>{plan.rto ? `${formatMinutes(plan.rto.value)} (${plan.rto.system}, strictest linked system)` : <span className="muted">no linked active system</span>}</dd>
        </dl>
        <dl className="facts">
          <dt>Last review</dt>
          <dd>
            {review.lastReviewedDay ? (
              <>
                {review.lastReviewedDay} <span className="muted small">(the plan's last_reviewed)</span>
              </>
            ) : review.lastReviewedAt ? (
              <Timestamp value={review.lastReviewedAt} />
            ) : (
              <span className="muted">none recorded; counting from the revision of <Timestamp value={review.evidenceAt} /></span>
            )}
          </dd>
          <dt>Next review due</dt>
          <dd>
            {review.nextReviewDue ? (
              <>
                <span className={review.overdue ? "review-stale" : undefined}>{review.nextReviewDue}</span>
                {review.overdue ? <span className="review-stale"> · overdue by {review.overdueDays} days</span> : null}
                <div className="muted small">
                  every {review.intervalDays} days ({review.intervalSystem})
                </div>
              </>
            ) : (
              <span className="muted">no linked active system sets an interval</span>
            )}
          </dd>
          <dt>Drills</dt>
          <dd>
            {drill.intervalDays === null ? (
              <span className="muted">no drill required by the linked systems</span>
            ) : drill.lastCounting ? (
              <>
                last passed/partial <Timestamp value={drill.lastCounting.heldAt} />; next due{" "}
                <span className={drill.overdue ? "review-stale" : undefined}>{drill.nextDrillDue}</span>
                {drill.overdue ? <span className="review-stale"> · overdue</span> : null}
                <div className="muted small">
                  every {drill.intervalDays} days ({drill.intervalSystem})
                </div>
              </>
            ) : (
              <span className="review-stale">{plan.drillTotal > 0 ? "no passed or partial drill yet" : "never drilled"}</span>
            )}
            {drill.lastOutcome === "failed" ? <div className="review-stale small">The last drill failed.</div> : null}
            {drill.changedSinceLastDrill ? (
              <div className="continuity-changed small">
                Changed since last drill: revision {plan.currentRevision} is current, the last drill exercised revision{" "}
                {drill.lastCounting?.planRevision ?? "?"}.
              </div>
            ) : null}
          </dd>
        </dl>
      </div>
      {canEdit ? (
        <div className="continuity-actions">
          {plan.status !== "archived" ? (
            <Form method="post" action={`/plan-reviews/new?plan=${encodeURIComponent(plan.slug)}`} className="form-inline continuity-review-form">
              <input type="hidden" name="revision" value={plan.currentRevision} />
              <label htmlFor="review-comment" className="visually-hidden">
                Review comment
              </label>
              <input id="review-comment" type="text" name="comment" placeholder="Comment (optional): what you checked" maxLength={2000} />
              <button type="submit">Mark reviewed (revision {plan.currentRevision})</button>
            </Form>
          ) : null}
          <Link className="button secondary" to={`/drills/new?plan=${encodeURIComponent(plan.slug)}`}>
            Record drill
          </Link>
        </div>
      ) : null}
      <details open className="continuity-details">
        <summary>
          Drills ({plan.drillTotal})
        </summary>
        {plan.drills.length === 0 ? (
          <p className="empty">No drill recorded for this plan yet.</p>
        ) : (
          <table className="data small">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Scenario</th>
                <th scope="col">Type</th>
                <th scope="col">Outcome</th>
                <th scope="col">Recovery</th>
                <th scope="col">Revision</th>
                <th scope="col">Findings / actions</th>
              </tr>
            </thead>
            <tbody>
              {plan.drills.map((d) => (
                <tr key={d.id}>
                  <td>
                    <Link to={`/drills/${d.id}`}>
                      <Timestamp value={d.heldAt} />
                    </Link>
                  </td>
                  <td>{d.scenario}</td>
                  <td>{words(d.type)}</td>
                  <td>
                    <OutcomeBadge outcome={d.outcome} />
                  </td>
                  <td>
                    <RecoveryVsRto minutes={d.recoveryMinutes} rto={plan.rto?.value ?? null} within={d.withinRto} />
                  </td>
                  <td>
                    {d.planRevision}
                    {d.planRevision < plan.currentRevision ? <span className="muted"> (older)</span> : null}
                  </td>
                  <td>
                    {d.findings} / {d.correctiveActions}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Pager page={plan.drillPage} pages={plan.drillPages} param="drills" hash="continuity" order="newest-first" variant="panel" />
      </details>
      <details className="continuity-details">
        <summary>Review history ({review.total})</summary>
        {review.history.length === 0 ? (
          <p className="empty">No "Mark reviewed" attestation yet{review.lastReviewedAt ? "; the last review date comes from the frontmatter (last_reviewed)" : ""}.</p>
        ) : (
          <ul className="plain-list small">
            {review.history.map((r) => (
              <li key={r.id}>
                <Timestamp value={r.reviewedAt} /> · {r.reviewer} · revision {r.revision}
                {r.comment ? <div className="muted">{r.comment}</div> : null}
              </li>
            ))}
          </ul>
        )}
      </details>
    </section>
  );
}

// ------------------------------------------------------------------------------- system panel

/** Findings per month as a small bar chart (inline SVG) with the same figures as a table for screen readers. */
export function FindingsTrend({ trend }: { trend: SystemInspections["trend"] }) {
  const max = Math.max(1, ...trend.map((m) => m.findings));
  const w = 12;
  const gap = 4;
  const h = 40;
  return (
    <figure className="continuity-trend">
      <svg width={trend.length * (w + gap)} height={h + 14} role="img" aria-label="Findings per month, last 12 months">
        {trend.map((m, i) => {
          const bar = Math.round((m.findings / max) * h);
          return (
            <g key={m.month}>
              <rect x={i * (w + gap)} y={h - bar} width={w} height={Math.max(bar, 1)} className={m.failed > 0 ? "trend-bar trend-bar-failed" : "trend-bar"}>
                <title>
                  {m.month}: {m.findings} findings in {m.inspections} inspections ({m.warning} warning, {m.failed} failed)
                </title>
              </rect>
              {i % 3 === 0 ? (
                <text x={i * (w + gap)} y={h + 12} fontSize="9" className="trend-label">
                  {m.month.slice(2)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption className="muted small">Findings per month (red: a failed inspection that month)</figcaption>
      <table className="visually-hidden">
        <caption>Findings per month</caption>
        <thead>
          <tr>
            <th scope="col">Month</th>
            <th scope="col">Inspections</th>
            <th scope="col">Findings</th>
            <th scope="col">Warning</th>
            <th scope="col">Failed</th>
          </tr>
        </thead>
        <tbody>
          {trend.map((m) => (
            <tr key={m.month}>
              <th scope="row">{m.month}</th>
              <td>{m.inspections}</td>
              <td>{m.findings}</td>
              <td>{m.warning}</td>
              <td>{m.failed}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** The inspections panel of a system page: latest result, coverage state, findings trend, paginated history. */
export function InspectionsPanel({ data, system, canRecord }: { data: SystemInspections; system: string; canRecord: boolean }) {
  return (
    <section id="inspections" aria-labelledby="inspections-title">
      <h2 id="inspections-title">Inspections</h2>
      <div className="continuity-columns">
        <dl className="facts">
          <dt>Latest</dt>
          <dd>
            {data.latest ? (
              <>
                <ResultBadge result={data.latest.result} />{" "}
                <Link to={`/inspections/${data.latest.id}`}>
                  <Timestamp value={data.latest.inspectedAt} />
                </Link>
              </>
            ) : (
              <span className="review-stale">never inspected</span>
            )}
          </dd>
          <dt>Next due</dt>
          <dd>
            {data.nextDue ? (
              <span className={data.overdueDays ? "review-stale" : undefined}>
                {data.nextDue}
                {data.overdueDays ? ` · overdue by ${data.overdueDays} days` : ""}
              </span>
            ) : (
              "—"
            )}
            {data.intervalDays ? <div className="muted small">every {data.intervalDays === 1 ? "day" : `${data.intervalDays} days`}</div> : null}
          </dd>
        </dl>
        <FindingsTrend trend={data.trend} />
      </div>
      {canRecord ? (
        <p>
          <Link className="button secondary" to={`/inspections/new?system=${encodeURIComponent(system)}`}>
            Record inspection
          </Link>
        </p>
      ) : null}
      {data.items.length === 0 ? (
        <p className="empty">No inspection recorded for this system.</p>
      ) : (
        <table className="data small">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Result</th>
              <th scope="col">Inspector</th>
              <th scope="col">Checks not ok</th>
              <th scope="col">Findings</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((i) => (
              <tr key={i.id}>
                <td>
                  <Link to={`/inspections/${i.id}`}>
                    <Timestamp value={i.inspectedAt} />
                  </Link>
                </td>
                <td>
                  <ResultBadge result={i.result} />
                </td>
                <td>{i.inspector}</td>
                <td>{i.notOk}</td>
                <td>{i.findings}</td>
                <td>{i.correctiveActions}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="muted small">{data.total} inspections in all.</p>
      <Pager page={data.page} pages={data.pages} param="inspections" hash="inspections" order="newest-first" variant="panel" />
    </section>
  );
}

// ------------------------------------------------------------------------------------- forms

const FIELD_LABELS: Record<string, string> = {
  plan: "Contingency plan",
  planRevision: "Plan revision",
  scenario: "Scenario",
  heldAt: "When",
  type: "Type",
  outcome: "Outcome",
  recoveryMinutes: "Recovery time",
  participants: "Participants",
  findings: "Findings",
  notes: "Notes",
  system: "System",
  inspectedAt: "When",
  inspector: "Inspector",
  result: "Result",
  externalKey: "Key",
};

function labelFor(key: string): string {
  const m = /^(checklist|correctiveActions)\[(\d+)\]\.?(\w*)/.exec(key);
  if (m) return `${m[1] === "checklist" ? "Checklist item" : "Corrective action"} ${Number(m[2]) + 1}${m[3] ? `: ${m[3]}` : ""}`;
  return FIELD_LABELS[key] ?? key;
}

/** The errors of a refused drill, inspection or review form, each linking to its input (see `ErrorSummary`). */
export function RecordErrorSummary({ errors, prefix }: { errors: FieldErrors; prefix: string }) {
  return <ErrorSummary errors={errors} prefix={prefix} labelFor={labelFor} />;
}

function ActionRows({ prefix, rows, errors }: { prefix: string; rows: ActionRow[]; errors: FormErrors }) {
  return (
    <fieldset className="continuity-rows">
      <legend>Corrective actions</legend>
      <p className="muted small">Blank rows are left out. Each action needs a title and an owner.</p>
      <table className="data small">
        <thead>
          <tr>
            <th scope="col">Title</th>
            <th scope="col">Owner</th>
            <th scope="col">Due</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              <CellField prefix={prefix} name={`correctiveActions[${i}].title`} label={`Corrective action ${i + 1}: title`} value={row.title} errors={errors} />
              <CellField prefix={prefix} name={`correctiveActions[${i}].owner`} label={`Corrective action ${i + 1}: owner`} value={row.owner} errors={errors} />
              <CellField prefix={prefix} name={`correctiveActions[${i}].dueDate`} label={`Corrective action ${i + 1}: due date`} value={row.dueDate} errors={errors} type="date" />
              <CellField prefix={prefix} name={`correctiveActions[${i}].status`} label={`Corrective action ${i + 1}: status`} value={row.status} errors={errors} choices={choicesOf(ACTION_STATUSES, words)} />
            </tr>
          ))}
        </tbody>
      </table>
      <button type="submit" name="intent" value="add-action" className="secondary small" formNoValidate>
        Add a corrective action row
      </button>
    </fieldset>
  );
}

function ChecklistRows({ prefix, rows, errors }: { prefix: string; rows: ChecklistRow[]; errors: FormErrors }) {
  return (
    <fieldset className="continuity-rows">
      <legend>Checklist</legend>
      <p className="muted small">One row per check, with its own result. Blank rows are left out.</p>
      <table className="data small">
        <thead>
          <tr>
            <th scope="col">Check</th>
            <th scope="col">Result</th>
            <th scope="col">Note</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              <CellField prefix={prefix} name={`checklist[${i}].item`} label={`Checklist item ${i + 1}: check`} value={row.item} errors={errors} />
              <CellField prefix={prefix} name={`checklist[${i}].result`} label={`Checklist item ${i + 1}: result`} value={row.result} errors={errors} choices={choicesOf(INSPECTION_RESULTS, words)} />
              <CellField prefix={prefix} name={`checklist[${i}].note`} label={`Checklist item ${i + 1}: note`} value={row.note} errors={errors} />
            </tr>
          ))}
        </tbody>
      </table>
      <button type="submit" name="intent" value="add-checklist" className="secondary small" formNoValidate>
        Add a checklist row
      </button>
    </fieldset>
  );
}

/** The "Record drill" form. */
export function DrillForm({
  values,
  errors,
  plans,
  timeZone,
}: {
  values: DrillFormValues;
  errors: FormErrors;
  plans: Array<{ slug: string; title: string; currentRevision: number }>;
  timeZone: string;
}) {
  const p = "drill";
  const current = plans.find((pl) => pl.slug === values.plan);
  return (
    <Form method="post" className="form continuity-form" noValidate>
      <DefaultSave />
      <RecordErrorSummary errors={errors} prefix={p} />
      <SelectField
        prefix={p}
        name="plan"
        label="Contingency plan"
        value={values.plan}
        errors={errors}
        choices={[{ value: "", label: "Choose a plan…" }, ...plans.map((pl) => ({ value: pl.slug, label: pl.title }))]}
      />
      <div className="continuity-grid">
        <TextField
          prefix={p}
          name="planRevision"
          label="Plan revision exercised"
          value={values.planRevision}
          errors={errors}
          inputMode="numeric"
          hint={current ? `Blank: the current revision (${current.currentRevision}).` : "Blank: the current revision."}
        />
        <TextField prefix={p} name="heldAt" label="When" type="datetime-local" value={values.heldAt} errors={errors} hint={`Your time zone: ${timeZone}.`} required />
        <SelectField prefix={p} name="type" label="Type" value={values.type} errors={errors} choices={choicesOf(DRILL_TYPES, words)} />
        <SelectField prefix={p} name="outcome" label="Outcome" value={values.outcome} errors={errors} choices={choicesOf(DRILL_OUTCOMES)} />
        <TextField
          prefix={p}
          name="recoveryMinutes"
          label="Achieved recovery time (minutes)"
          value={values.recoveryMinutes}
          errors={errors}
          inputMode="numeric"
          hint="Blank when not measured (a tabletop exercise)."
        />
      </div>
      <TextField prefix={p} name="scenario" label="Scenario exercised" value={values.scenario} errors={errors} required />
      <div className="continuity-grid">
        <TextAreaField prefix={p} name="participants" label="Participants" value={values.participants} errors={errors} hint="One per line." rows={4} />
        <TextAreaField prefix={p} name="findings" label="Findings" value={values.findings} errors={errors} hint="One per line." rows={4} />
      </div>
      <TextAreaField prefix={p} name="notes" label="Notes" value={values.notes} errors={errors} />
      <ActionRows prefix={p} rows={values.correctiveActions} errors={errors} />
      <SaveButton label="Record drill" />
    </Form>
  );
}

/** The "Record inspection" form. */
export function InspectionForm({
  values,
  errors,
  systems,
  timeZone,
}: {
  values: InspectionFormValues;
  errors: FormErrors;
  systems: Array<{ slug: string; name: string; tier: number }>;
  timeZone: string;
}) {
  const p = "inspection";
  return (
    <Form method="post" className="form continuity-form" noValidate>
      <DefaultSave />
      <RecordErrorSummary errors={errors} prefix={p} />
      <div className="continuity-grid">
        <SelectField
          prefix={p}
          name="system"
          label="System"
          value={values.system}
          errors={errors}
          choices={[{ value: "", label: "Choose a system…" }, ...systems.map((s) => ({ value: s.slug, label: `${s.name} (tier ${s.tier})` }))]}
        />
        <TextField prefix={p} name="inspectedAt" label="When" type="datetime-local" value={values.inspectedAt} errors={errors} hint={`Your time zone: ${timeZone}.`} required />
        <TextField prefix={p} name="inspector" label="Inspector" value={values.inspector} errors={errors} required />
        <SelectField
          prefix={p}
          name="result"
          label="Result"
          value={values.result}
          errors={errors}
          choices={choicesOf(INSPECTION_RESULTS)}
          hint="At least as bad as the worst checklist item."
        />
      </div>
      <ChecklistRows prefix={p} rows={values.checklist} errors={errors} />
      <TextAreaField prefix={p} name="findings" label="Findings" value={values.findings} errors={errors} hint="One per line." rows={4} />
      <TextAreaField prefix={p} name="notes" label="Notes" value={values.notes} errors={errors} />
      <ActionRows prefix={p} rows={values.correctiveActions} errors={errors} />
      <SaveButton label="Record inspection" />
    </Form>
  );
}

/** The corrective actions of a drill or inspection. */
export function ActionList({ actions }: { actions: Array<{ id: string; title: string; owner: string; dueDate: string | null; status: string; notes: string }> }) {
  if (actions.length === 0) return <p className="empty">No corrective action.</p>;
  return (
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
        {actions.map((a) => (
          <tr key={a.id}>
            <td>
              {a.title}
              {a.notes ? <div className="muted">{a.notes}</div> : null}
            </td>
            <td>{a.owner}</td>
            <td>{a.dueDate ?? "—"}</td>
            <td>{words(a.status)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
