import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiTokens, correctiveActions, drills, inspections, planReviews, systems, users } from "#db/schema";
import { bootTestRuntime } from "../../tests/runtime";
import { generateToken, hashToken } from "../auth/session.server";
import type { Runtime } from "../lib/runtime.server";
import * as drillsApi from "../routes/api.v1.drills";
import * as drillApi from "../routes/api.v1.drills.$id";
import * as inspectionsApi from "../routes/api.v1.inspections";
import * as inspectionApi from "../routes/api.v1.inspections.$id";
import * as docPage from "../routes/docs.$";
import * as drillForm from "../routes/drills.new";
import * as inspectionForm from "../routes/inspections.new";
import * as reviewForm from "../routes/plan-reviews.new";
import * as systemPage from "../routes/systems.$slug";
import { getSystemInspections } from "./continuity.server";

/**
 * The drill and inspection API, the form pages and the plan/system panels, called as route modules
 * with real Requests against a booted runtime with the demo content (including content/drills and
 * content/inspections).
 */

const ORIGIN = "http://localhost";
let env: Awaited<ReturnType<typeof bootTestRuntime>>;
let runtime: Runtime;
let editorCookie = "";
const tokens: Record<"read" | "write", string> = { read: "", write: "" };

beforeAll(async () => {
  env = await bootTestRuntime({ SEED_DEMO: "true" });
  runtime = env.runtime;
  await runtime.db.insert(users).values({ id: "u-editor", email: "editor@lhb.example", name: "Eda Editor", role: "editor" });
  editorCookie = `drillbook_session=${(await runtime.lucia.createSession("u-editor", {})).id}`;
  for (const scope of ["read", "write"] as const) {
    tokens[scope] = generateToken();
    await runtime.db.insert(apiTokens).values({ userId: "u-editor", name: `ci ${scope}`, scope, tokenHash: hashToken(tokens[scope]), prefix: tokens[scope].slice(0, 12) });
  }
});
afterAll(() => env?.close());

type Handler = (args: LoaderFunctionArgs & ActionFunctionArgs) => unknown;

async function call(fn: Handler, req: Request, params: Record<string, string> = {}): Promise<Response | unknown> {
  try {
    return await fn({ request: req, params, context: { clientIp: "192.0.2.10" } } as LoaderFunctionArgs & ActionFunctionArgs);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

function post(path: string, body: unknown, options: { token?: "read" | "write"; headers?: Record<string, string> } = {}) {
  const headers = new Headers({ "content-type": "application/json", ...options.headers });
  headers.set("authorization", `Bearer ${tokens[options.token ?? "write"]}`);
  return new Request(`${ORIGIN}${path}`, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) });
}

function formPost(path: string, fields: Record<string, string>) {
  return new Request(`${ORIGIN}${path}`, {
    method: "POST",
    headers: { cookie: editorCookie, origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });
}

const get = (path: string) => new Request(`${ORIGIN}${path}`, { headers: { cookie: editorCookie } });

async function tableCount(table: typeof drills | typeof inspections | typeof correctiveActions | typeof planReviews) {
  const [row] = await runtime.db.select({ n: count() }).from(table);
  return Number(row!.n);
}

/** Remix `data()` results carry their status in `init`. */
function dataOf(result: unknown): { status: number; body: Record<string, unknown> } {
  const r = result as { type?: string; data?: Record<string, unknown>; init?: ResponseInit | null };
  if (r && r.type === "DataWithResponseInit") return { status: r.init?.status ?? 200, body: r.data! };
  return { status: 200, body: result as Record<string, unknown> };
}

describe("POST /api/v1/inspections", () => {
  const body = { system: "trading-oms", inspectedAt: "2026-11-22T02:00:00Z", inspector: "oms-nightly", result: "ok" };

  it("records an inspection from a write token: 201 with the record, its URL and Location", async () => {
    const response = (await call(inspectionsApi.action as Handler, post("/api/v1/inspections", body))) as Response;
    expect(response.status).toBe(201);
    const json = (await response.json()) as { id: string; url: string; outcome: string; system: { slug: string }; origin: string; recordedBy: string };
    expect(json).toMatchObject({ outcome: "created", url: `/inspections/${json.id}`, system: { slug: "trading-oms" }, origin: "api", recordedBy: "Eda Editor" });
    expect(response.headers.get("location")).toBe(`${ORIGIN}/inspections/${json.id}`);
    const read = (await call(inspectionApi.loader as Handler, get(`/api/v1/inspections/${json.id}`), { id: json.id })) as Response;
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ id: json.id, inspector: "oms-nightly" });
    // trading-oms had never been inspected in the demo; now it is current.
    const [oms] = await runtime.db.select().from(systems).where(eq(systems.slug, "trading-oms"));
    const panel = await getSystemInspections(runtime.db, oms!, 7, new Date("2026-11-22T06:00:00Z"));
    expect(panel.latest?.id).toBe(json.id);
  });

  it("answers 400 naming the field, and stores nothing", async () => {
    const before = [await tableCount(inspections), await tableCount(correctiveActions)];
    const response = (await call(
      inspectionsApi.action as Handler,
      post("/api/v1/inspections", {
        ...body,
        result: "warning",
        checklist: [{ item: "FIX sessions", result: "warning" }, { item: "Order backlog", result: "so-so" }],
        correctiveActions: [{ title: "Restart FIX gateway", owner: "Wang Hao" }],
      }),
    )) as Response;
    expect(response.status).toBe(400);
    const json = (await response.json()) as { error: string; fields: Array<{ field: string; message: string }> };
    expect(json.fields).toEqual([{ field: "checklist[1].result", message: "must be one of ok, warning, failed" }]);
    expect(json.error).toContain("checklist[1].result must be one of ok, warning, failed");
    expect([await tableCount(inspections), await tableCount(correctiveActions)]).toEqual(before);
  });

  it("answers 400 for a body that is not JSON, 403 for a read token, 405 for GET", async () => {
    expect(((await call(inspectionsApi.action as Handler, post("/api/v1/inspections", "{oops"))) as Response).status).toBe(400);
    expect(((await call(inspectionsApi.action as Handler, post("/api/v1/inspections", body, { token: "read" }))) as Response).status).toBe(403);
    expect(((await inspectionsApi.loader()) as Response).status).toBe(405);
    expect(((await call(inspectionApi.loader as Handler, get("/api/v1/inspections/nope"), { id: "nope" })) as Response).status).toBe(404);
  });

  it("honours Idempotency-Key: a retry answers 200 unchanged, different content 409", async () => {
    const keyed = { ...body, inspectedAt: "2026-11-21T02:00:00Z" };
    const headers = { "idempotency-key": "oms-2026-11-21" };
    const first = (await call(inspectionsApi.action as Handler, post("/api/v1/inspections", keyed, { headers }))) as Response;
    expect(first.status).toBe(201);
    const count = await tableCount(inspections);
    const retry = (await call(inspectionsApi.action as Handler, post("/api/v1/inspections", keyed, { headers }))) as Response;
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ outcome: "unchanged", externalKey: "oms-2026-11-21" });
    const conflict = (await call(inspectionsApi.action as Handler, post("/api/v1/inspections", { ...keyed, result: "failed" }, { headers }))) as Response;
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({ differences: ["result"], existing: expect.stringMatching(/^\/inspections\//) });
    expect(await tableCount(inspections)).toBe(count);
  });
});

describe("POST /api/v1/drills", () => {
  it("records a drill with corrective actions (201); a bad action stores no drill (400)", async () => {
    const drill = {
      plan: "plan-market-data-vendor-outage",
      scenario: "彭博数据中断",
      heldAt: "2026-11-21",
      type: "simulation",
      outcome: "passed",
      recoveryMinutes: 25,
      correctiveActions: [{ title: "Update the field mapping table", owner: "Zhou Jie", dueDate: "2026-12-31" }],
    };
    const before = await tableCount(drills);
    const bad = (await call(drillsApi.action as Handler, post("/api/v1/drills", { ...drill, correctiveActions: [{ title: "x", owner: "y", dueDate: "2026-13-01" }] }))) as Response;
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { fields: Array<{ field: string }> }).fields.map((f) => f.field)).toEqual(["correctiveActions[0].dueDate"]);
    expect(await tableCount(drills)).toBe(before);

    const ok = (await call(drillsApi.action as Handler, post("/api/v1/drills", drill))) as Response;
    expect(ok.status).toBe(201);
    const json = (await ok.json()) as { id: string; heldAt: string; withinRto: boolean; correctiveActions: unknown[]; plan: { slug: string } };
    expect(json).toMatchObject({ heldAt: "2026-11-21T00:00:00.000Z", withinRto: true, plan: { slug: "plan-market-data-vendor-outage" } });
    expect(json.correctiveActions).toHaveLength(1);
    const read = (await call(drillApi.loader as Handler, get(`/api/v1/drills/${json.id}`), { id: json.id })) as Response;
    expect(await read.json()).toMatchObject({ id: json.id, scenario: "彭博数据中断" });
  });
});

describe("forms and panels", () => {
  it("a refused drill form keeps what was typed and names the fields; a good one redirects to the drill", async () => {
    const typed = {
      plan: "plan-swift-outage",
      planRevision: "",
      scenario: "MQ queue manager failure",
      heldAt: "2026-11-20T15:00",
      type: "simulation",
      outcome: "passed",
      recoveryMinutes: "twenty",
      participants: "Anna Kowalska\nWang Hao",
      findings: "",
      notes: "",
      "correctiveActions[0].title": "",
      "correctiveActions[0].owner": "",
      "correctiveActions[0].dueDate": "",
      "correctiveActions[0].status": "open",
    };
    const refused = dataOf(await call(drillForm.action as Handler, formPost("/drills/new", typed)));
    expect(refused.status).toBe(400);
    expect(Object.keys(refused.body.errors as object)).toEqual(["recoveryMinutes"]);
    expect(refused.body.values).toMatchObject({ scenario: "MQ queue manager failure", participants: "Anna Kowalska\nWang Hao", recoveryMinutes: "twenty" });

    const added = dataOf(await call(drillForm.action as Handler, formPost("/drills/new", { ...typed, intent: "add-action" })));
    expect((added.body.values as { correctiveActions: unknown[] }).correctiveActions).toHaveLength(2);

    const saved = (await call(drillForm.action as Handler, formPost("/drills/new", { ...typed, recoveryMinutes: "20" }))) as Response;
    expect(saved.status).toBe(302);
    expect(saved.headers.get("location")).toMatch(/^\/drills\/[0-9a-f-]{36}\?recorded=1$/);
  });

  it("the inspection form records from the system page's link", async () => {
    const loaded = (await call(inspectionForm.loader as Handler, get("/inspections/new?system=cmdb"))) as { values: { system: string; inspector: string } };
    expect(loaded.values).toMatchObject({ system: "cmdb", inspector: "Eda Editor" });
    const saved = (await call(
      inspectionForm.action as Handler,
      formPost("/inspections/new", {
        system: "cmdb",
        inspectedAt: "2026-11-22T09:00",
        inspector: "Eda Editor",
        result: "warning",
        "checklist[0].item": "Discovery job",
        "checklist[0].result": "warning",
        "checklist[0].note": "ran late",
        findings: "Discovery ran 2 h late",
      }),
    )) as Response;
    expect(saved.status).toBe(302);
  });

  it("Mark reviewed records an attestation and returns to the plan page; a stale revision is refused with the comment kept", async () => {
    const before = await tableCount(planReviews);
    const stale = dataOf(await call(reviewForm.action as Handler, formPost("/plan-reviews/new?plan=plan-swift-outage", { revision: "0", comment: "read it" })));
    expect(stale.status).toBe(400);
    expect(stale.body).toMatchObject({ values: { comment: "read it" }, errors: { revision: expect.any(String) } });
    const done = (await call(reviewForm.action as Handler, formPost("/plan-reviews/new?plan=plan-swift-outage", { revision: "1", comment: "Still valid" }))) as Response;
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toMatch(/^\/docs\/plan-swift-outage\?reviewed=\d+#continuity$/);
    expect(await tableCount(planReviews)).toBe(before + 1);
    const page = (await call(docPage.loader as Handler, get("/docs/plan-swift-outage"), { "*": "plan-swift-outage" })) as {
      continuity: { review: { basis: string; overdue: boolean; lastReviewedDay: string | null; history: Array<{ comment: string }> } };
    };
    expect(page.continuity.review).toMatchObject({ basis: "review", overdue: false, lastReviewedDay: null });
    expect(page.continuity.review.history[0]!.comment).toBe("Still valid");
  });

  it("the demo tells its story: a plan whose last drill failed, an overdue plan, a tier-1 system no longer inspected", async () => {
    const plan = (slug: string) =>
      call(docPage.loader as Handler, get(`/docs/${slug}`), { "*": slug }) as Promise<{ continuity: { drill: Record<string, unknown>; review: Record<string, unknown> } }>;
    const dataCentre = (await plan("plan-data-centre-loss")).continuity;
    expect(dataCentre.drill).toMatchObject({ lastOutcome: "failed", overdue: true, changedSinceLastDrill: true });
    // Its last review is the plan's own `last_reviewed` day (no attestation yet): shown as a day, overdue.
    expect(dataCentre.review).toMatchObject({ lastReviewedDay: "2025-09-18", basis: "review", overdue: true });
    expect((await plan("plan-core-ledger-db-failover")).continuity.drill).toMatchObject({ lastOutcome: "passed", changedSinceLastDrill: false });
    const runbook = (await call(docPage.loader as Handler, get("/docs/swift-queue-backlog"), { "*": "swift-queue-backlog" })) as { continuity: unknown };
    expect(runbook.continuity).toBeNull();
    const custody = (await call(systemPage.loader as Handler, get("/systems/custody-settlement"), { slug: "custody-settlement" })) as {
      inspections: { latest: { inspectedAt: string }; total: number; pages: number; items: unknown[] };
    };
    expect(custody.inspections.latest.inspectedAt.slice(0, 10)).toBe("2026-11-13");
    expect(custody.inspections.items).toHaveLength(20);
    expect(custody.inspections.pages).toBeGreaterThan(20);
    const page2 = (await call(systemPage.loader as Handler, get("/systems/custody-settlement?inspections=2"), { slug: "custody-settlement" })) as typeof custody;
    expect(page2.inspections.latest.inspectedAt).toBe(custody.inspections.latest.inspectedAt);
    expect(page2.inspections.items).not.toEqual(custody.inspections.items);
  });
});
