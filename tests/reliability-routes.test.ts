/**
 * The reliability and corrective-action routes called as route modules with real Requests
 * against a booted runtime (real database, sessions and tokens): JSON shape and 400s of
 * GET /api/v1/metrics/reliability, the CSV downloads, the /actions inline edit (saved, refused as
 * stale with both values, invalid) and PATCH /api/v1/actions/:id.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiTokens, auditLog, correctiveActions, users } from "#db/schema";
import { generateToken, hashToken } from "../app/auth/session.server";
import * as actionsApi from "../app/routes/api.v1.actions.$id";
import * as reliabilityApi from "../app/routes/api.v1.metrics.reliability";
import * as actionsPage from "../app/routes/actions";
import * as actionsCsv from "../app/routes/actions[.]csv";
import * as reliabilityCsv from "../app/routes/reliability[.]csv";
import * as reliabilityPage from "../app/routes/reliability";
import { bootTestRuntime } from "./runtime";
import { seedReliabilityFixture, type ReliabilityFixture } from "./reliability-fixtures";

const ORIGIN = "http://localhost";
let env: Awaited<ReturnType<typeof bootTestRuntime>>;
let fx: ReliabilityFixture;
let cookie = "";
const token = generateToken();

beforeAll(async () => {
  env = await bootTestRuntime({ SEED_DEMO: "false" });
  const { db, lucia } = env.runtime;
  fx = await seedReliabilityFixture(db);
  await db.insert(users).values({ id: "u-rel-editor", email: "editor@rel.example", name: "Rel Editor", role: "editor" });
  cookie = `drillbook_session=${(await lucia.createSession("u-rel-editor", {})).id}`;
  await db.insert(apiTokens).values({ userId: "u-rel-editor", name: "write", scope: "write", tokenHash: hashToken(token), prefix: token.slice(0, 12) });
});
afterAll(() => env?.close());

type Handler = (args: LoaderFunctionArgs | ActionFunctionArgs) => unknown;
async function call(handler: Handler, request: Request, params: Record<string, string> = {}): Promise<Response> {
  try {
    const result = await handler({ request, params, context: { clientIp: "10.0.0.9" } } as never);
    if (result instanceof Response) return result;
    const wrapped = result as { type?: string; data?: unknown; init?: ResponseInit };
    if (wrapped?.type === "DataWithResponseInit") return Response.json(wrapped.data, wrapped.init ?? {});
    return Response.json(result);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
const get = (path: string) => new Request(`${ORIGIN}${path}`, { headers: { cookie } });

describe("GET /api/v1/metrics/reliability", () => {
  it("answers the documented shape for a period", async () => {
    const res = await call(reliabilityApi.loader, get("/api/v1/metrics/reliability?from=2026-10-01&to=2026-10-31"));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ from: "2026-10-01T00:00:00.000Z", to: "2026-11-01T00:00:00.000Z" });
    expect(Object.keys(body)).toEqual(
      expect.arrayContaining(["from", "to", "availability", "mttd", "mtta", "mttr", "responseWithinSla", "recurrenceRate", "actionClosure", "resolutionEffectiveness"]),
    );
    const core = body.availability.find((a: { system: string }) => a.system === "rel-core");
    expect(core).toMatchObject({ target: 0.9995, downtimeMinutes: 120 });
    expect(core.errorBudgetMinutesLeft).toBeCloseTo(0.0005 * 44640 - 120, 6);
    expect(Object.keys(core)).toEqual(expect.arrayContaining(["system", "value", "target", "downtimeMinutes", "errorBudgetMinutesLeft"]));
    expect(body.mttr.SEV2).toEqual({ meanMinutes: 35, medianMinutes: 35, count: 2, incomplete: 0 });
    for (const key of ["responseWithinSla", "recurrenceRate", "actionClosure", "resolutionEffectiveness"]) {
      expect(Object.keys(body[key]).sort()).toEqual(["denominator", "items", "numerator", "value"]);
    }
    expect(body.recurrenceRate).toMatchObject({ numerator: 3, denominator: 5, value: 0.6 });
    const i10 = body.recurrenceRate.items.find((i: { incident: { number: number } }) => i.incident.number === fx.incidents.i10.number);
    expect(i10).toMatchObject({ outcome: "recurs", inNumerator: true, incident: { url: `/incidents/${fx.incidents.i10.number}`, title: "Rel incident i10" } });
    expect(body.actionClosure.items.find((i: { outcome: string }) => i.outcome === "wont_do").action.title).toBe("Rel action a5");
  });

  it("filters by team and tier", async () => {
    const body = await (await call(reliabilityApi.loader, get("/api/v1/metrics/reliability?from=2026-10-01&to=2026-10-31&team=rel-payments&tier=2"))).json();
    expect(body.availability.map((a: { system: string }) => a.system)).toEqual(["rel-pay"]);
  });

  it.each([
    ["from=2026-10-01", "to"],
    ["from=2026-13-01&to=2026-12-31", "from"],
    ["from=2026-10-31&to=2026-10-01", "to"],
    ["preset=yesterday", "preset"],
    ["tier=5", "tier"],
    ["team=nobody", "team"],
    ["system=rel-old", "system"],
  ])("refuses %s with a 400 naming %s", async (query, parameter) => {
    const res = await call(reliabilityApi.loader, get(`/api/v1/metrics/reliability?${query}`));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.parameter).toBe(parameter);
    expect(body.error).toContain(parameter);
  });
});

describe("CSV downloads", () => {
  it("/reliability.csv gives each table, and refuses an unknown one", async () => {
    const ratios = await call(reliabilityCsv.loader, get("/reliability.csv?table=ratios&from=2026-10-01&to=2026-10-31"));
    expect(ratios.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(ratios.headers.get("content-disposition")).toBe('attachment; filename="reliability-ratios-2026-10-01-2026-10-31.csv"');
    const text = await ratios.text();
    expect(text.split("\r\n")[0]).toBe("metric,value_pct,numerator,denominator");
    expect(text).toContain("Recurrence rate,60,3,5\r\n");
    const trend = await (await call(reliabilityCsv.loader, get("/reliability.csv?table=trend&from=2026-10-01&to=2026-10-31"))).text();
    expect(trend.trimEnd().split("\r\n")).toHaveLength(13);
    expect((await call(reliabilityCsv.loader, get("/reliability.csv?table=secrets"))).status).toBe(400);
  });

  it("/actions.csv applies the page's filters", async () => {
    const res = await call(actionsCsv.loader, get("/actions.csv?source=drill"));
    const lines = (await res.text()).trimEnd().split("\r\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain("Rel action a6");
    expect((await call(actionsCsv.loader, get("/actions.csv?status=closed"))).status).toBe(400);
  });
});

describe("pages", () => {
  it("/reliability answers with the report, and 400 with the typed values for a bad period", async () => {
    const ok = await (await call(reliabilityPage.loader, get("/reliability?from=2026-10-01&to=2026-10-31&team=rel-ops"))).json();
    expect(ok.report.availability.systems.map((s: { system: string }) => s.system)).toEqual(["rel-core"]);
    expect(ok.report.charts).toHaveLength(3);
    const bad = await call(reliabilityPage.loader, get("/reliability?from=2026-10-01&to=nope&team=rel-ops"));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ values: { from: "2026-10-01", to: "nope", team: "rel-ops" }, report: null });
  });
});

describe("the /reliability availability table", () => {
  it("names each incident behind a system's downtime with its title and severity", async () => {
    const ok = await (await call(reliabilityPage.loader, get("/reliability?from=2026-10-01&to=2026-10-31&team=rel-ops"))).json();
    const core = ok.report.availability.systems.find((s: { system: string }) => s.system === "rel-core");
    const byNumber = new Map(core.incidents.map((i: { number: number }) => [i.number, i]));
    expect(byNumber.get(fx.incidents.i2.number)).toMatchObject({ title: "Rel incident i2", severity: "SEV2", href: `/incidents/${fx.incidents.i2.number}` });
    expect(byNumber.get(fx.incidents.i1.number)).toMatchObject({ title: "Rel incident i1", severity: "SEV1" });
    for (const i of core.incidents) expect(i.title).not.toBe("");
  });
});

describe("editing an action", () => {
  const post = (fields: Record<string, string>) =>
    new Request(`${ORIGIN}/actions?status=open`, { method: "POST", headers: { cookie, origin: ORIGIN }, body: new URLSearchParams(fields) });

  it("saves an inline edit from the /actions page and audits it", async () => {
    const res = await call(actionsPage.action, post({ id: fx.actions.a4, version: "1", status: "in_progress", owner: "li.wei@bank.example", dueDate: "2026-12-01" }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, outcome: "updated", version: 2 });
    const [row] = await env.runtime.db.select().from(correctiveActions).where(eq(correctiveActions.id, fx.actions.a4));
    expect(row).toMatchObject({ status: "in_progress", dueDate: "2026-12-01", version: 2 });
    const [entry] = await env.runtime.db.select().from(auditLog).where(eq(auditLog.target, fx.actions.a4));
    expect(entry).toMatchObject({ actor: "editor@rel.example", action: "corrective_action.update", ip: "10.0.0.9" });
  });

  it("refuses a stale row with 409, showing the saved values and keeping the typed ones", async () => {
    const res = await call(actionsPage.action, post({ id: fx.actions.a4, version: "1", status: "done", owner: "someone@bank.example", dueDate: "" }));
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({
      ok: false,
      kind: "conflict",
      current: { status: "in_progress", owner: "li.wei@bank.example", dueDate: "2026-12-01", version: 2 },
      values: { status: "done", owner: "someone@bank.example", dueDate: "" },
    });
    const [row] = await env.runtime.db.select().from(correctiveActions).where(eq(correctiveActions.id, fx.actions.a4));
    expect(row.status).toBe("in_progress");
  });

  it("refuses an invalid edit with 400 naming the field", async () => {
    const res = await call(actionsPage.action, post({ id: fx.actions.a4, version: "2", status: "in_progress", owner: "", dueDate: "2026-02-30" }));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(Object.keys(body.fieldErrors).sort()).toEqual(["dueDate", "owner"]);
    expect(body.values).toMatchObject({ owner: "", dueDate: "2026-02-30" });
  });

  it("PATCH /api/v1/actions/:id with a write token: saved, then 409 when stale, 404 unknown, 400 invalid", async () => {
    const patch = (id: string, body: unknown) =>
      call(
        actionsApi.action,
        new Request(`${ORIGIN}/api/v1/actions/${id}`, { method: "PATCH", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) }),
        { id },
      );
    const saved = await patch(fx.actions.a7, { version: 1, status: "done" });
    expect(saved.status).toBe(200);
    const body = await saved.json();
    expect(body).toMatchObject({ outcome: "updated", action: { status: "done", version: 2 } });
    expect(body.action.closedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const stale = await patch(fx.actions.a7, { version: 1, status: "open" });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ current: { status: "done", version: 2 }, yours: { status: "open" } });
    expect((await patch("00000000-0000-4000-8000-000000000000", { version: 1 })).status).toBe(404);
    const invalid = await patch(fx.actions.a7, { version: 2, dueDate: "soon" });
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).fieldErrors).toHaveProperty("dueDate");
  });
});
