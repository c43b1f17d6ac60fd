/**
 * Pieces of the reliability figures shared by /reliability and the system page: number formats,
 * an availability value that says in words whether it meets its target, a share with its numerator,
 * denominator and the incidents or actions behind it, and the system page's quarter card.
 */
import { Link } from "@remix-run/react";
import { CompactActionList, type ActionView } from "./corrective-actions";
import { SeverityBadge } from "./incidents";

/** "99.972 %" (fraction in, percent out); "—" for null. */
export function formatPercent(value: number | null, digits = 2): string {
  return value === null ? "—" : `${(value * 100).toFixed(digits)} %`;
}

/** Minutes as "42 min", "3.5 h" or "2.1 d"; negative keeps its sign; "—" for null. */
export function formatMinutes(minutes: number | null): string {
  if (minutes === null) return "—";
  const sign = minutes < 0 ? "−" : "";
  const m = Math.abs(minutes);
  if (m < 120) return `${sign}${m < 10 ? +m.toFixed(1) : Math.round(m)} min`;
  if (m < 2 * 1440) return `${sign}${+(m / 60).toFixed(1)} h`;
  return `${sign}${+(m / 1440).toFixed(1)} d`;
}

/** The availability with "meets target" / "below target" in words (colour is only a second signal). */
export function AvailabilityValue({ value, meetsTarget }: { value: number | null; meetsTarget: boolean | null }) {
  return (
    <span className={meetsTarget === false ? "below-target-text" : undefined}>
      {formatPercent(value, 3)}
      {meetsTarget === false ? " (below target)" : meetsTarget === true ? " (meets target)" : ""}
    </span>
  );
}

/** An incident named next to a figure (IncidentRef once its title is filled). */
export interface IncidentRefView {
  id: string;
  number: number;
  title: string;
  severity?: string;
  href: string;
}

/**
 * The incidents behind an availability figure: each linked "INC-n" with its severity and title, so
 * a reader sees what cost the downtime without opening each one. "—" when there are none.
 */
export function AvailabilityIncidents({ incidents }: { incidents: IncidentRefView[] }) {
  if (incidents.length === 0) return <>—</>;
  return (
    <ul className="plain small availability-incidents">
      {incidents.map((i) => (
        <li key={i.id}>
          <Link to={i.href}>{`INC-${i.number}`}</Link>
          {i.severity ? (
            <>
              {" "}
              <SeverityBadge severity={i.severity} />
            </>
          ) : null}
          {i.title ? ` ${i.title}` : null}
        </li>
      ))}
    </ul>
  );
}

interface RatioItemView {
  outcome: string;
  detail: string;
  incident?: { id: string; number: number; title: string; href: string };
  action?: { id: string; title: string; owner: string | null; dueDate: string | null; source: { label: string; href: string } };
}

const OUTCOME_LABELS: Record<string, string> = {
  within: "Within the target",
  breached: "Breached",
  pending: "Pending (out of the denominator)",
  incomplete: "Incomplete data (out of the denominator)",
  recurs: "Recur",
  no_recurrence: "Do not recur",
  on_time: "Done on time",
  late: "Late or not done",
  wont_do: "Won't do (out of the denominator)",
  not_yet_due: "Not due yet (out of the denominator)",
  effective: "Effective",
  shortfall: "Fell short",
};

/** A share: value, "n of d", and each outcome group of incidents or actions, linked, in a disclosure. */
export function RatioSection({
  id,
  title,
  explanation,
  ratio,
}: {
  id: string;
  title: string;
  explanation: string;
  ratio: { value: number | null; numerator: number; denominator: number; groups: Array<{ outcome: string; total: number; items: RatioItemView[] }> };
}) {
  return (
    <section className="ratio card" aria-labelledby={id}>
      <h3 id={id}>
        {title}: {formatPercent(ratio.value, 1)}
      </h3>
      <p className="small">
        <strong>{ratio.numerator}</strong> of <strong>{ratio.denominator}</strong>. {explanation}
      </p>
      {ratio.groups.length === 0 ? (
        <p className="muted small">Nothing in this period.</p>
      ) : (
        ratio.groups.map((group) => (
          <details key={group.outcome}>
            <summary>
              {OUTCOME_LABELS[group.outcome] ?? group.outcome}: {group.total}
            </summary>
            <ul className="plain small">
              {group.items.map((item, k) => (
                <li key={item.incident?.id ?? item.action?.id ?? k}>
                  {item.incident ? (
                    <>
                      <Link to={item.incident.href}>INC-{item.incident.number}</Link> {item.incident.title}
                    </>
                  ) : item.action ? (
                    <>
                      {item.action.title} ({item.action.owner}, due {item.action.dueDate}) · <Link to={item.action.source.href}>{item.action.source.label}</Link>
                    </>
                  ) : null}
                  {item.detail ? <span className="muted"> — {item.detail}</span> : null}
                </li>
              ))}
              {group.total > group.items.length ? <li className="muted">… and {group.total - group.items.length} more (in the CSV)</li> : null}
            </ul>
          </details>
        ))
      )}
    </section>
  );
}

/** What the system page shows of this quarter (serialised SystemQuarterAvailability). */
export interface QuarterAvailabilityView {
  quarter: string;
  value: number | null;
  target: number;
  meetsTarget: boolean | null;
  downtimeMinutes: number;
  errorBudgetMinutes: number;
  errorBudgetMinutesLeft: number;
  incidents: IncidentRefView[];
}

/** The system page's card: this quarter's availability vs SLA target and the error budget left. */
export function SystemAvailabilityCard({ availability, systemSlug }: { availability: QuarterAvailabilityView | null; systemSlug: string }) {
  return (
    <section className="card" style={{ marginTop: "1rem" }} aria-labelledby="system-availability">
      <h2 id="system-availability">Availability {availability ? `(${availability.quarter} so far)` : ""}</h2>
      {availability ? (
        <dl className="facts">
          <dt>Availability</dt>
          <dd>
            <AvailabilityValue value={availability.value} meetsTarget={availability.meetsTarget} />
          </dd>
          <dt>Target</dt>
          <dd>{formatPercent(availability.target, 3)}</dd>
          <dt>Downtime</dt>
          <dd>{formatMinutes(availability.downtimeMinutes)}</dd>
          <dt>Error budget left</dt>
          <dd className={availability.errorBudgetMinutesLeft < 0 ? "below-target-text" : undefined}>
            {formatMinutes(availability.errorBudgetMinutesLeft)} of {formatMinutes(availability.errorBudgetMinutes)}
            {availability.errorBudgetMinutesLeft < 0 ? " (overspent)" : ""}
          </dd>
          {availability.incidents.length > 0 ? (
            <>
              <dt>Incidents</dt>
              <dd>
                <AvailabilityIncidents incidents={availability.incidents} />
              </dd>
            </>
          ) : null}
        </dl>
      ) : (
        <p className="muted small">No SLA target for this system&apos;s tier.</p>
      )}
      <p className="small">
        <Link to={`/reliability?system=${encodeURIComponent(systemSlug)}`}>Reliability figures for this system</Link>
      </p>
    </section>
  );
}

/** The system page's reliability panels: this quarter's availability and the open corrective actions. */
export function SystemReliabilityPanels({
  systemSlug,
  panel,
}: {
  systemSlug: string;
  panel: { availability: QuarterAvailabilityView | null; openActions: { items: ActionView[]; total: number } };
}) {
  return (
    <>
      <SystemAvailabilityCard availability={panel.availability} systemSlug={systemSlug} />
      <section className="card" style={{ marginTop: "1rem" }} aria-labelledby="system-open-actions">
        <h2 id="system-open-actions">Open corrective actions</h2>
        <CompactActionList actions={panel.openActions.items} empty="No open corrective action for this system." />
        {panel.openActions.total > 0 ? (
          <p className="small">
            <Link to={`/actions?system=${encodeURIComponent(systemSlug)}`}>
              {panel.openActions.total > panel.openActions.items.length ? `All ${panel.openActions.total} open actions` : "In the action list"}
            </Link>
          </p>
        ) : null}
      </section>
    </>
  );
}

/** The postmortem page's list of its incident's corrective actions, with status. */
export function PostmortemActions({ actions }: { actions: ActionView[] }) {
  return (
    <section aria-labelledby="postmortem-actions">
      <h2 id="postmortem-actions">Corrective actions</h2>
      <CompactActionList actions={actions} empty="No corrective action recorded on this postmortem's incident yet." />
    </section>
  );
}
