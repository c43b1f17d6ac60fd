/**
 * The coverage dashboard's parts (shared/domain.md "Metrics" 1-4): metric cards with their shortfall
 * lists, the systems x (plan, drill, inspection, runbook) matrix and the trend (chart + table).
 * Used by /coverage and /coverage/print; all data comes shaped from app/metrics/coverage-page.server.ts.
 * States are shown as text and colour (never colour alone).
 */
import { Link } from "@remix-run/react";
import { TierBadge } from "~/components/badges";

type State = "current" | "due_soon" | "overdue" | "missing" | "not_required";
type MetricKey = "plan" | "drill" | "inspection" | "runbook";
const KEYS: MetricKey[] = ["plan", "drill", "inspection", "runbook"];
const COLUMN_LABELS: Record<MetricKey, string> = { plan: "Contingency plan", drill: "Drill", inspection: "Inspection", runbook: "Runbook" };

export interface ShortfallItem {
  system: { slug: string; name: string } | null;
  plan: { slug: string; title: string; href: string } | null;
  systems: Array<{ slug: string; name: string }>;
  reason: string;
  dueSince: string | null;
  overdueDays: number | null;
}

export interface MetricCardData {
  key: MetricKey;
  label: string;
  unit: string;
  value: number | null;
  numerator: number;
  denominator: number;
  shortfalls: ShortfallItem[];
  /** All shortfalls, when `shortfalls` is cut short. */
  shortfallTotal: number;
}

export interface MatrixRowData {
  system: string;
  name: string;
  tier: number;
  ownerTeam: string | null;
  cells: Record<MetricKey, { state: State; label: string; dueDate: string | null; lastDate: string | null; refs: string[] }>;
}

export interface TrendPointData {
  month: string;
  asOf: string;
  partial: boolean;
  figures: Record<MetricKey, { value: number | null; numerator: number; denominator: number }>;
}

export const percent = (value: number | null) => (value === null ? "n/a" : `${(Math.round(value * 1000) / 10).toFixed(1)} %`);

function overdueText(s: ShortfallItem): string {
  if (s.dueSince === null) return "missing";
  return `overdue ${s.overdueDays} ${s.overdueDays === 1 ? "day" : "days"} (due ${s.dueSince})`;
}

function ShortfallList({ metric, moreHref }: { metric: MetricCardData; moreHref?: string }) {
  if (metric.shortfallTotal === 0) return <p className="small muted">Nothing falls short.</p>;
  return (
    <>
      <ul className="coverage-shortfalls small">
        {metric.shortfalls.map((s, i) => (
          <li key={`${s.plan?.slug ?? ""}:${s.system?.slug ?? ""}:${i}`}>
            {s.plan ? (
              <>
                <Link to={s.plan.href}>{s.plan.title}</Link>
                {s.systems.length > 0 ? (
                  <span className="muted">
                    {" "}
                    (
                    {s.systems.map((x, j) => (
                      <span key={x.slug}>
                        {j > 0 ? ", " : ""}
                        <Link to={`/systems/${x.slug}`}>{x.name}</Link>
                      </span>
                    ))}
                    )
                  </span>
                ) : null}
              </>
            ) : s.system ? (
              <Link to={`/systems/${s.system.slug}`}>{s.system.name}</Link>
            ) : null}
            : {s.reason} <span className={s.dueSince === null ? "coverage-tag coverage-missing" : "coverage-tag coverage-overdue"}>{overdueText(s)}</span>
          </li>
        ))}
      </ul>
      {metric.shortfallTotal > metric.shortfalls.length ? (
        <p className="small">
          {metric.shortfalls.length} of {metric.shortfallTotal} shown.{" "}
          {moreHref ? <a href={moreHref}>Show all</a> : null}
        </p>
      ) : null}
    </>
  );
}

/** The four metric cards: value, numerator/denominator and what falls short. */
export function MetricCards({ metrics, moreHref, csvHref }: { metrics: MetricCardData[]; moreHref?: string; csvHref?: (key: MetricKey) => string }) {
  return (
    <div className="coverage-cards">
      {metrics.map((m) => (
        <section key={m.key} className="coverage-card" aria-labelledby={`coverage-${m.key}`}>
          <h2 id={`coverage-${m.key}`}>{m.label}</h2>
          <p className="coverage-value">
            <strong>{percent(m.value)}</strong>{" "}
            <span className="muted">
              {m.numerator} of {m.denominator} {m.unit}
            </span>
          </p>
          <h3 className="small">Falls short ({m.shortfallTotal})</h3>
          <ShortfallList metric={m} moreHref={moreHref} />
          {csvHref ? (
            <p className="small no-print">
              <a href={csvHref(m.key)} download>
                Download CSV
              </a>
            </p>
          ) : null}
        </section>
      ))}
    </div>
  );
}

function cellDetail(cell: MatrixRowData["cells"][MetricKey]): string {
  if (cell.state === "not_required") return "no drill interval";
  if (cell.state === "missing") return "";
  if (cell.dueDate) return cell.state === "overdue" ? `due ${cell.dueDate}` : `until ${cell.dueDate}`;
  return "";
}

/**
 * The matrix: one row per system in scope, one column per coverage area, each cell a state label
 * with its due date. `sortHref(sort)` gives the link of a sortable column header.
 */
export function CoverageMatrix({
  rows,
  sort,
  dir,
  sortHref,
}: {
  rows: MatrixRowData[];
  sort?: "tier" | "name";
  dir?: "asc" | "desc";
  sortHref?: (sort: "tier" | "name") => string;
}) {
  const header = (key: "tier" | "name", label: string) => {
    if (!sortHref) return label;
    const active = sort === key;
    const arrow = active ? (dir === "desc" ? " ↓" : " ↑") : "";
    return (
      <a href={sortHref(key)} aria-label={`Sort by ${key}${active ? (dir === "desc" ? ", descending" : ", ascending") : ""}`}>
        {label}
        {arrow}
      </a>
    );
  };
  const ariaSort = (key: "tier" | "name") => (sort === key ? (dir === "desc" ? "descending" : "ascending") : undefined);
  return (
    <table className="data coverage-matrix">
      <caption className="visually-hidden">Coverage of each system in scope</caption>
      <thead>
        <tr>
          <th scope="col" aria-sort={ariaSort("name")}>
            {header("name", "System")}
          </th>
          <th scope="col" aria-sort={ariaSort("tier")}>
            {header("tier", "Tier")}
          </th>
          {KEYS.map((k) => (
            <th key={k} scope="col">
              {COLUMN_LABELS[k]}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.system}>
            <th scope="row">
              <Link to={`/systems/${r.system}`}>{r.name}</Link>
            </th>
            <td>
              <TierBadge tier={r.tier} />
            </td>
            {KEYS.map((k) => {
              const cell = r.cells[k];
              const detail = cellDetail(cell);
              return (
                <td key={k} className={`coverage-cell coverage-${cell.state.replace("_", "-")}`}>
                  <span className="coverage-state">{cell.label}</span>
                  {detail ? <span className="coverage-detail small">{detail}</span> : null}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One chart per metric (server-rendered SVG), each followed by the same figures as a table. */
export function CoverageTrend({ trend, charts, labels }: { trend: TrendPointData[]; charts: Record<MetricKey, string>; labels: Record<MetricKey, string> }) {
  return (
    <div className="coverage-trend">
      {KEYS.map((k) => (
        <figure key={k} className="coverage-chart">
          {/* echarts output (our own figures and labels), rendered on the server: */}
          <div className="chart-svg" aria-hidden="true" dangerouslySetInnerHTML={{ __html: charts[k] }} />
          <figcaption>
            <table className="data small">
              <caption>{labels[k]}, by month (as of each month's last day; * month to date)</caption>
              <thead>
                <tr>
                  <th scope="col">Month</th>
                  <th scope="col">Value</th>
                  <th scope="col">Covered</th>
                  <th scope="col">In scope</th>
                </tr>
              </thead>
              <tbody>
                {trend.map((p) => (
                  <tr key={p.month}>
                    <th scope="row">
                      {p.month}
                      {p.partial ? "*" : ""}
                    </th>
                    <td>{percent(p.figures[k].value)}</td>
                    <td>{p.figures[k].numerator}</td>
                    <td>{p.figures[k].denominator}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </figcaption>
        </figure>
      ))}
    </div>
  );
}
