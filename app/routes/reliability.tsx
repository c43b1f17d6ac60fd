import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { AvailabilityIncidents, AvailabilityValue, formatMinutes, formatPercent, RatioSection } from "~/components/reliability";
import { choicesOf, SelectField, slugChoices, TextField } from "~/components/ui/field";
import { FilterBar } from "~/components/ui/filter-bar";
import { requireReader } from "~/auth/session.server";
import { getRuntime } from "~/lib/runtime.server";
import { formatInZone, timeZoneFromCookie } from "~/lib/time";
import { PERIOD_PRESETS, PRESET_LABELS } from "~/metrics/period";
import { queryString, RATIO_KEYS, RATIO_LABELS } from "~/metrics/reliability-page";
import { reliabilityPageData } from "~/metrics/reliability-page.server";

export const meta: MetaFunction = () => [{ title: "Reliability · Drillbook" }];

/**
 * GET /reliability?from=&to=&preset=&team=&tier=&system= : availability against each SLA, MTTD/
 * MTTA/MTTR per severity, the four shares with the incidents and actions behind them, and 12-month
 * trends (shared/domain.md "Metrics" 5-9). Days are in the viewer's time zone; default: this quarter.
 * A bad parameter shows its message (400).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireReader(request);
  const { db } = await getRuntime();
  const timeZone = timeZoneFromCookie(request.headers.get("cookie"));
  const result = await reliabilityPageData(db, { searchParams: new URL(request.url).searchParams, now: new Date(), timeZone });
  if (!result.ok) {
    return data({ error: result.error, values: result.values, options: result.options, report: null, timeZone }, { status: 400 });
  }
  return { error: null, values: result.data.values, options: result.options, report: result.data, timeZone };
}

const SEVERITY_ROWS = ["SEV1", "SEV2", "SEV3", "SEV4", "all"] as const;
const TIER_CHOICES = [{ value: "", label: "all tiers" }, ...choicesOf(["1", "2", "3", "4"], (t) => `Tier ${t}`)];

export default function ReliabilityPage() {
  const { error, values, options, report, timeZone } = useLoaderData<typeof loader>();
  const formValues = report ? { ...values, from: report.period.fromDay, to: report.period.toDay, preset: "" } : values;
  const scopeQuery = queryString({ ...values, from: "", to: "", preset: "" });
  const csv = (table: string) => `/reliability.csv?${queryString({ ...values, ...(report ? { from: report.period.fromDay, to: report.period.toDay, preset: "" } : {}) }, {})}&table=${table}`;
  return (
    <div className="reliability">
      <h1>Reliability</h1>
      <nav className="presets small no-print" aria-label="Period presets">
        {PERIOD_PRESETS.map((p) => (
          <Link key={p} to={`?${[scopeQuery, `preset=${p}`].filter(Boolean).join("&")}`} aria-current={report?.period.preset === p ? "page" : undefined}>
            {PRESET_LABELS[p]}
          </Link>
        ))}
      </nav>
      <FilterBar
        label="Period and scope"
        className="no-print"
        submitLabel="Show"
        clearTo="/reliability"
        canClear={false}
        after={
          <button type="button" className="secondary" onClick={() => window.print()}>
            Print
          </button>
        }
      >
        <TextField prefix="rel" name="from" label="From" type="date" value={formValues.from} />
        <TextField prefix="rel" name="to" label="To (inclusive)" type="date" value={formValues.to} />
        <SelectField prefix="rel" name="team" label="Team" value={values.team} choices={[{ value: "", label: "all teams" }, ...slugChoices(options.teams)]} />
        <SelectField prefix="rel" name="tier" label="Tier" value={values.tier} choices={TIER_CHOICES} />
        <SelectField prefix="rel" name="system" label="System" value={values.system} choices={[{ value: "", label: "all systems" }, ...slugChoices(options.systems)]} />
      </FilterBar>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {report ? (
        <>
          <p className="period-line">
            <strong>
              {report.period.fromDay} – {report.period.toDay}
            </strong>{" "}
            <span className="muted small">
              ({timeZone}; measured to {formatInZone(report.measuredTo, timeZone)}) · {report.scopeSystems} active{" "}
              {report.scopeSystems === 1 ? "system" : "systems"} in scope
            </span>
          </p>

          <section aria-labelledby="rel-availability">
            <h2 id="rel-availability">Availability against SLA</h2>
            <p className="small">
              {report.availability.meeting} of {report.availability.measured} systems meet their availability target. Downtime counts customer-impacting
              incidents from start to mitigation (or resolution), overlaps merged, clipped to the period; unresolved ones run to now. The error budget is
              the whole period&apos;s. <a href={csv("availability")}>CSV</a>
            </p>
            {report.availability.systems.length === 0 ? (
              <p className="empty">No active system in this scope.</p>
            ) : (
              <table className="data small">
                <thead>
                  <tr>
                    <th scope="col">System</th>
                    <th scope="col">Availability</th>
                    <th scope="col">Target</th>
                    <th scope="col">Downtime</th>
                    <th scope="col">Error budget left</th>
                    <th scope="col">Incidents behind it</th>
                  </tr>
                </thead>
                <tbody>
                  {[...report.availability.systems]
                    .sort((a, b) => a.errorBudgetMinutesLeft - b.errorBudgetMinutesLeft || a.name.localeCompare(b.name))
                    .map((s) => (
                      <tr key={s.system} className={s.meetsTarget === false ? "below-target" : undefined}>
                        <th scope="row">
                          <Link to={`/systems/${s.system}`}>{s.name}</Link> <span className="muted">tier {s.tier}</span>
                        </th>
                        <td>
                          <AvailabilityValue value={s.value} meetsTarget={s.meetsTarget} />
                        </td>
                        <td>{formatPercent(s.target, 3)}</td>
                        <td>{formatMinutes(s.downtimeMinutes)}</td>
                        <td>
                          {formatMinutes(s.errorBudgetMinutesLeft)}
                          <span className="muted"> of {formatMinutes(s.errorBudgetMinutes)}</span>
                        </td>
                        <td>
                          <AvailabilityIncidents incidents={s.incidents} />
                        </td>
                      </tr>
                    ))}
                </tbody>
              </table>
            )}
          </section>

          <section aria-labelledby="rel-durations">
            <h2 id="rel-durations">Time to detect, acknowledge and restore</h2>
            <p className="small">
              Over incidents that started in the period. Incidents missing a timestamp are left out of the mean and counted as incomplete.{" "}
              <a href={csv("durations")}>CSV</a>
            </p>
            <div className="grid grid-3">
              {(
                [
                  ["mttd", "MTTD (detected − started)"],
                  ["mtta", "MTTA (acknowledged − detected)"],
                  ["mttr", "MTTR (mitigated or resolved − started)"],
                ] as const
              ).map(([key, label]) => (
                <table key={key} className="data small">
                  <caption>{label}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Severity</th>
                      <th scope="col">Mean</th>
                      <th scope="col">Median</th>
                      <th scope="col">Count</th>
                      <th scope="col">Incomplete</th>
                    </tr>
                  </thead>
                  <tbody>
                    {SEVERITY_ROWS.map((sev) => {
                      const d = report[key][sev];
                      return (
                        <tr key={sev}>
                          <th scope="row">{sev === "all" ? "All" : sev}</th>
                          <td>{formatMinutes(d.meanMinutes)}</td>
                          <td>{formatMinutes(d.medianMinutes)}</td>
                          <td>{d.count}</td>
                          <td>
                            {d.incomplete === 0 ? (
                              0
                            ) : (
                              <details>
                                <summary>{d.incomplete}</summary>
                                <ul className="plain">
                                  {d.incompleteIncidents.map((i) => (
                                    <li key={i.id}>
                                      <Link to={i.href}>INC-{i.number}</Link> <span className="muted">{i.reason}</span>
                                    </li>
                                  ))}
                                </ul>
                              </details>
                            )}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              ))}
            </div>
          </section>

          <section aria-labelledby="rel-ratios">
            <h2 id="rel-ratios">Response, recurrence, follow-through</h2>
            <p className="small">
              <a href={csv("ratios")}>CSV of the figures</a> · <a href={csv("items")}>CSV of every incident and action behind them</a>
            </p>
            {RATIO_KEYS.map((key) => (
              <RatioSection key={key} id={`rel-${key}`} title={RATIO_LABELS[key]} ratio={report[key]} explanation={EXPLANATIONS[key]} />
            ))}
            <h3 id="rel-overdue">Overdue corrective actions</h3>
            {report.overdueActions.total === 0 ? (
              <p className="muted small">No open action in scope is past its due date.</p>
            ) : (
              <>
                <p className="small">
                  {report.overdueActions.total} open {report.overdueActions.total === 1 ? "action is" : "actions are"} past their due date, oldest first.{" "}
                  <a href={csv("overdue")}>CSV</a> · <Link to={`/actions?${new URLSearchParams(Object.entries({ team: values.team, system: values.system }).filter(([, v]) => v)).toString()}`}>Open the action list</Link>
                </p>
                <ul className="plain-list small">
                  {report.overdueActions.items.map((a) => (
                    <li key={a.id}>
                      <strong>{a.title}</strong> · {a.owner} · due {a.dueDate} · <Link to={a.source.href}>{a.source.label}</Link>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>

          <section aria-labelledby="rel-trends" className="trends">
            <h2 id="rel-trends">12-month trends</h2>
            <p className="small">
              Each calendar month ({timeZone}) computed as of its last day. <a href={csv("trend")}>CSV</a>
            </p>
            {report.charts.map((chart) => (
              <figure key={chart.id} className="trend-chart">
                <div className="chart-svg" role="img" aria-label={chart.title} dangerouslySetInnerHTML={{ __html: chart.svg }} />
                <figcaption>
                  <table className="data small">
                    <caption className="visually-hidden">{chart.title}</caption>
                    <thead>
                      <tr>
                        <th scope="col">Month</th>
                        {chart.columns.map((c) => (
                          <th key={c.key} scope="col">
                            {c.label}
                          </th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {report.trend.map((row) => (
                        <tr key={row.month}>
                          <th scope="row">{row.month}</th>
                          {chart.columns.map((c) => {
                            const v = row[c.key] as number | null;
                            return <td key={c.key}>{c.unit === "percent" ? formatPercent(v, 1) : c.unit === "minutes" ? formatMinutes(v) : (v ?? "—")}</td>;
                          })}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </figcaption>
              </figure>
            ))}
          </section>
        </>
      ) : null}
    </div>
  );
}

const EXPLANATIONS: Record<(typeof RATIO_KEYS)[number], string> = {
  responseWithinSla:
    "Incidents that started in the period and were acknowledged within the response target for their severity (the strictest among their systems), from detection.",
  recurrenceRate:
    "Incidents that started in the period and recur: marked as a recurrence, or an earlier incident within 90 days shares a system and the root-cause category.",
  actionClosure: "Actions due in the period that were done on or before their due date; won't-do actions leave the denominator.",
  resolutionEffectiveness:
    "Incidents that started in the period, were restored within the RTO of their strictest system and did not recur within 30 days of resolution.",
};

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
