/**
 * The coverage dashboard's routes, called as Remix loaders against the real runtime (tests/runtime.ts,
 * demo content, ANONYMOUS_READ so no sign-in is needed; who may read is tests/permissions.test.ts's
 * job) with the fixture of tests/coverage-fixtures.ts: the JSON API (shape, filters, 400s), the CSV
 * export (header, rows, formula escaping), the page and the printable report.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systems, teams } from "#db/schema/catalog";
import { eq } from "drizzle-orm";
import type { Runtime } from "../lib/runtime.server";
import { bootTestRuntime } from "../../tests/runtime";
import { seedCoverageFixture } from "../../tests/coverage-fixtures";
import { loader as apiLoader } from "../routes/api.v1.metrics.coverage";
import { loader as csvLoader } from "../routes/coverage[.]csv";
import { loader as pageLoader } from "../routes/coverage._index";
import { loader as printLoader } from "../routes/coverage.print";

let runtime: Runtime;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ runtime, close } = await bootTestRuntime({ ANONYMOUS_READ: "true" }));
  await seedCoverageFixture(runtime.db);
  // A system whose name a spreadsheet would run as a formula; never inspected, so it is a shortfall.
  const [teamB] = await runtime.db.select({ id: teams.id }).from(teams).where(eq(teams.slug, "cov-team-b"));
  await runtime.db.insert(systems).values({ slug: "cov-formula", name: '=HYPERLINK("http://x","y")', tier: 3, ownerTeamId: teamB!.id });
}, 120_000);

afterAll(async () => {
  await close?.();
});

const call = async <T>(loader: (args: LoaderFunctionArgs) => Promise<T>, path: string) =>
  loader({ request: new Request(`http://drillbook.test${path}`), params: {}, context: {} });

/** A loader's plain result, or the data and status of a `data(..., { status })` one. */
function unwrap(result: unknown): { status: number; body: any } {
  if (result && typeof result === "object" && (result as { type?: string }).type === "DataWithResponseInit") {
    const r = result as { data: unknown; init: { status?: number } | null };
    return { status: r.init?.status ?? 200, body: r.data };
  }
  return { status: 200, body: result };
}

describe("GET /api/v1/metrics/coverage", () => {
  it("answers the four metrics with value, numerator, denominator and shortfalls", async () => {
    const res = (await call(apiLoader, "/api/v1/metrics/coverage?asOf=2026-11-22&team=cov-team-a")) as Response;
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(Object.keys(body)).toEqual(["asOf", "scope", "planCoverage", "drillCoverage", "inspectionCoverage", "runbookCoverage"]);
    expect(body.asOf).toBe("2026-11-22");
    // Team A: alpha (tier 1, inspected today) and beta (tier 2, last inspected 1 Nov, due 8 Nov).
    expect(body.inspectionCoverage).toEqual({
      value: 0.5,
      numerator: 1,
      denominator: 2,
      shortfalls: [{ system: "cov-beta", reason: "inspection overdue", dueSince: "2026-11-08", overdueDays: 14 }],
    });
    // Drill shortfalls name the plan and its systems in scope: plan-ledger (beta, gamma) has failed drills only;
    // plan-new links eps and alpha, of which only alpha is team A's.
    expect(body.drillCoverage.shortfalls).toEqual([
      { system: "cov-beta", plan: "cov/plan-ledger", systems: ["cov-beta"], reason: "no passed or partial drill (only failed drills)", dueSince: null, overdueDays: null },
      { system: "cov-alpha", plan: "cov/plan-new", systems: ["cov-alpha"], reason: "never drilled", dueSince: null, overdueDays: null },
    ]);
    expect(body.drillCoverage).toMatchObject({ numerator: 1, denominator: 3 });
  });

  it("takes repeated and comma-separated filter values alike", async () => {
    const a = await ((await call(apiLoader, "/api/v1/metrics/coverage?asOf=2026-07-31&team=cov-team-a&team=cov-team-b&tier=2&tier=4")) as Response).json();
    const b = await ((await call(apiLoader, "/api/v1/metrics/coverage?asOf=2026-07-31&team=cov-team-a,cov-team-b&tier=2,4")) as Response).json();
    expect(a).toEqual(b);
    expect(a.scope).toEqual({ team: ["cov-team-a", "cov-team-b"], tier: [2, 4], system: [] });
    // Tiers 2 and 4 of the two teams: beta, eps, gamma.
    expect(a.runbookCoverage.denominator).toBe(3);
  });

  it("an as-of date in the past sees the past: as of 2026-03-15 plan-ledger was still a draft", async () => {
    const body = await ((await call(apiLoader, "/api/v1/metrics/coverage?asOf=2026-03-15&system=cov-beta")) as Response).json();
    expect(body.planCoverage.shortfalls).toEqual([{ system: "cov-beta", reason: "no published contingency plan", dueSince: null, overdueDays: null }]);
    expect(body.drillCoverage.denominator).toBe(0);
    expect(body.drillCoverage.value).toBeNull();
  });

  it.each([
    ["asOf=2026-02-30", "asOf"],
    ["asOf=yesterday", "asOf"],
    ["asOf=2099-01-01", "asOf"],
    ["tier=5", "tier"],
    ["tier=one", "tier"],
    ["team=no-such-team", "team"],
    ["system=cov-alpha,no-such-system", "system"],
  ])("refuses %s with a 400 naming %s", async (query, parameter) => {
    const res = (await call(apiLoader, `/api/v1/metrics/coverage?${query}`)) as Response;
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.parameter).toBe(parameter);
    expect(body.error).toContain(parameter);
  });
});

describe("GET /coverage.csv", () => {
  it("exports a metric's shortfalls with a header, one row each, and defused formula cells", async () => {
    const res = (await call(csvLoader, "/coverage.csv?table=inspection&asOf=2026-11-22&team=cov-team-b")) as Response;
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="coverage-inspection-2026-11-22.csv"');
    const lines = (await res.text()).split("\r\n");
    expect(lines[0]).toBe("metric,system,system_name,plan,plan_title,linked_systems,reason,due_since,overdue_days");
    // Team B, active: gamma (never inspected), eps (18 Nov, tier 2: due 25 Nov, fine), and the formula system.
    expect(lines.slice(1, -1)).toEqual([
      `inspection,cov-formula,"'=HYPERLINK(""http://x"",""y"")",,,cov-formula,never inspected,,`,
      "inspection,cov-gamma,Gamma,,,cov-gamma,never inspected,,",
    ]);
    expect(lines.at(-1)).toBe("");
  });

  it("exports the matrix in the asked order and the trend with 12 months", async () => {
    const matrix = await ((await call(csvLoader, "/coverage.csv?table=matrix&asOf=2026-11-22&team=cov-team-a&sort=name&dir=desc")) as Response).text();
    const rows = matrix.trim().split("\r\n");
    expect(rows[0]!.split(",").slice(0, 6)).toEqual(["system", "name", "tier", "owner_team", "plan_state", "plan_due"]);
    expect(rows.slice(1).map((r) => r.split(",")[0])).toEqual(["cov-beta", "cov-alpha"]);
    const trend = await ((await call(csvLoader, "/coverage.csv?table=trend&asOf=2026-11-22&system=cov-alpha")) as Response).text();
    const trendRows = trend.trim().split("\r\n");
    expect(trendRows).toHaveLength(13);
    expect(trendRows.at(-1)!.startsWith("2026-11,2026-11-22,yes,")).toBe(true);
  });

  it("refuses an unknown table or a bad filter with a 400 naming it", async () => {
    const res = (await call(csvLoader, "/coverage.csv?table=everything")) as Response;
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("table must be one of");
    const bad = (await call(csvLoader, "/coverage.csv?table=matrix&tier=9")) as Response;
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("tier");
  });
});

describe("/coverage page and /coverage/print", () => {
  it("loads the cards, the matrix sorted by tier, the trend with its charts", async () => {
    const { status, body } = unwrap(await call(pageLoader, "/coverage?asOf=2026-11-22&team=cov-team-a&team=cov-team-b"));
    expect(status).toBe(200);
    expect(body.ok).toBe(true);
    expect(body.metrics.map((m: { key: string }) => m.key)).toEqual(["plan", "drill", "inspection", "runbook"]);
    expect(body.matrix.map((r: { system: string }) => r.system)).toEqual(["cov-alpha", "cov-beta", "cov-eps", "cov-formula", "cov-gamma"]);
    const beta = body.matrix.find((r: { system: string }) => r.system === "cov-beta");
    expect(beta.cells.inspection).toEqual({ state: "overdue", label: "Overdue", dueDate: "2026-11-08", lastDate: "2026-11-01", refs: ["00000000-0000-4000-8000-000000001007"] });
    // Gamma is tier 4 (no drill interval) but shares plan-ledger with tier-2 beta, so the plan must be
    // drilled yearly and its failed drills leave gamma's drill cell missing, not "not required".
    expect(body.matrix.find((r: { system: string }) => r.system === "cov-gamma").cells.drill).toMatchObject({ state: "missing", refs: ["cov/plan-ledger"] });
    expect(body.trend).toHaveLength(12);
    expect(body.charts.drill).toContain("<svg");
    expect(body.values).toMatchObject({ asOf: "2026-11-22", team: ["cov-team-a", "cov-team-b"] });
  });

  it("sorts the matrix by name, descending, through the query string", async () => {
    const { body } = unwrap(await call(pageLoader, "/coverage?asOf=2026-11-22&team=cov-team-a,cov-team-b&sort=name&dir=desc"));
    expect(body.matrix.map((r: { name: string }) => r.name)).toEqual(["Gamma", "Epsilon", "Beta", "Alpha", '=HYPERLINK("http://x","y")']);
  });

  it("keeps what was typed and names the bad filter (400)", async () => {
    const { status, body } = unwrap(await call(pageLoader, "/coverage?asOf=2026-11-31&tier=2&system=cov-beta"));
    expect(status).toBe(400);
    expect(body.ok).toBe(false);
    expect(body.parameter).toBe("asOf");
    expect(body.values).toMatchObject({ asOf: "2026-11-31", tier: ["2"], system: "cov-beta" });
  });

  it("has an empty state when no active system is in scope (a retired system only)", async () => {
    const { body } = unwrap(await call(pageLoader, "/coverage?system=cov-delta"));
    expect(body.ok).toBe(true);
    expect(body.matrixTotal).toBe(0);
    expect(body.metrics.every((m: { denominator: number }) => m.denominator === 0)).toBe(true);
  });

  it("prints the whole report: as-of date, scope, generated time, every shortfall, the matrix", async () => {
    const body = (await call(printLoader, "/coverage/print?asOf=2026-11-22&tier=2")) as any;
    expect(body.asOf).toBe("2026-11-22");
    expect(body.scope).toBe("tier 2");
    expect(body.generatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(body.matrix.map((r: { system: string }) => r.system)).toContain("cov-beta");
    for (const m of body.metrics) expect(m.shortfalls).toHaveLength(m.shortfallTotal);
  });
});
