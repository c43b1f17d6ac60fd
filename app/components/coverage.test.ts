/**
 * The coverage dashboard's components rendered to HTML (react-dom/server inside a memory router, as
 * Remix renders them on the server): states are written out as text, sort links keep the filters,
 * each chart is followed by a table of the same figures, shortfall lists say how overdue.
 */
import { createElement as h, type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { MemoryRouter } from "react-router-dom";
import { describe, expect, it } from "vitest";
import { CoverageMatrix, CoverageTrend, MetricCards, type MatrixRowData, type MetricCardData, type TrendPointData } from "./coverage";

const cell = (state: MatrixRowData["cells"]["plan"]["state"], label: string, dueDate: string | null = null) => ({ state, label, dueDate, lastDate: null, refs: [] });

const rows: MatrixRowData[] = [
  {
    system: "core-ledger",
    name: "Core ledger",
    tier: 1,
    ownerTeam: "ops",
    cells: {
      plan: cell("current", "Current", "2027-01-10"),
      drill: cell("overdue", "Overdue", "2026-10-01"),
      inspection: cell("missing", "Missing"),
      runbook: cell("not_required", "Not required"),
    },
  },
];

const metric: MetricCardData = {
  key: "inspection",
  label: "Inspection coverage",
  unit: "systems",
  value: 0.5,
  numerator: 1,
  denominator: 2,
  shortfallTotal: 3,
  shortfalls: [
    { system: { slug: "core-ledger", name: "Core ledger" }, plan: null, systems: [], reason: "inspection overdue", dueSince: "2026-11-08", overdueDays: 14 },
    { system: { slug: "fx", name: "FX <gateway>" }, plan: null, systems: [], reason: "never inspected", dueSince: null, overdueDays: null },
  ],
};

const render = (node: ReactNode) => renderToString(h(MemoryRouter, null, node));

describe("coverage components", () => {
  it("writes each matrix state as text, with its class and due date, and links the sort headers", () => {
    const html = render(h(CoverageMatrix, { rows, sort: "tier", dir: "asc", sortHref: (key) => `?team=ops&sort=${key}&dir=desc` }));
    expect(html).toContain('class="coverage-cell coverage-overdue"><span class="coverage-state">Overdue</span><span class="coverage-detail small">due 2026-10-01</span>');
    expect(html).toContain('<span class="coverage-state">Missing</span>');
    expect(html).toContain('<span class="coverage-state">Not required</span>');
    expect(html).toContain('href="?team=ops&amp;sort=name&amp;dir=desc"');
    expect(html).toContain('aria-sort="ascending"');
  });

  it("shows value, numerator/denominator, how overdue each shortfall is, escapes names, and offers the rest", () => {
    const html = render(h(MetricCards, { metrics: [metric], moreHref: "?all=1", csvHref: (k) => `/coverage.csv?table=${k}` }));
    expect(html).toContain("50.0 %");
    expect(html).toMatch(/1<!-- --> of <!-- -->2<!-- --> <!-- -->systems/);
    expect(html).toMatch(/overdue 14 days \(due 2026-11-08\)/);
    expect(html).toContain("FX &lt;gateway&gt;");
    expect(html).toMatch(/2<!-- --> of <!-- -->3<!-- --> shown/);
    expect(html).toContain('href="?all=1"');
    expect(html).toContain('href="/coverage.csv?table=inspection"');
  });

  it("follows each chart with a table of the same figures, marking the month to date", () => {
    const trend: TrendPointData[] = [
      { month: "2026-10", asOf: "2026-10-31", partial: false, figures: { plan: { value: 1, numerator: 2, denominator: 2 }, drill: { value: null, numerator: 0, denominator: 0 }, inspection: { value: 0.5, numerator: 1, denominator: 2 }, runbook: { value: 0, numerator: 0, denominator: 2 } } },
      { month: "2026-11", asOf: "2026-11-22", partial: true, figures: { plan: { value: 0.5, numerator: 1, denominator: 2 }, drill: { value: 1, numerator: 1, denominator: 1 }, inspection: { value: 1, numerator: 2, denominator: 2 }, runbook: { value: 0, numerator: 0, denominator: 2 } } },
    ];
    const charts = { plan: "<svg id=plan></svg>", drill: "<svg id=drill></svg>", inspection: "<svg></svg>", runbook: "<svg></svg>" };
    const labels = { plan: "Contingency-plan coverage", drill: "Drill coverage", inspection: "Inspection coverage", runbook: "Runbook coverage" };
    const html = render(h(CoverageTrend, { trend, charts, labels }));
    expect(html.match(/<figure/g)).toHaveLength(4);
    expect(html).toContain("<svg id=drill></svg>");
    expect(html).toMatch(/Drill coverage<!-- -->, by month/);
    expect(html).toMatch(/2026-11<!-- -->\*/);
    expect(html).toContain("n/a");
  });
});
