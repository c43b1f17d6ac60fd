import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiTokens, auditLog, documents, incidents, revisions, users } from "#db/schema";
import { generateToken, hashToken } from "../auth/session.server";
import { saveDocument } from "../docs/save.server";
import type { Runtime } from "../lib/runtime.server";
import * as alertmanagerApi from "../routes/api.v1.alertmanager";
import * as incidentApi from "../routes/api.v1.incidents.$number";
import * as incidentsApi from "../routes/api.v1.incidents";
import * as docsPage from "../routes/docs.$";
import * as incidentPage from "../routes/incidents.$number";
import * as editIncidentPage from "../routes/incidents.$number_.edit";
import * as newIncidentPage from "../routes/incidents.new";
import { bootTestRuntime } from "../../tests/runtime";
import { ALICE, seedDocsCatalog } from "../../tests/docs-fixtures";

/**
 * The incident API, the Alertmanager webhook and the incident pages' actions, called as route
 * modules with real Requests against a booted runtime (real database, sessions and tokens).
 */
const ORIGIN = "http://localhost";
let env: Awaited<ReturnType<typeof bootTestRuntime>>;
let runtime: Runtime;
let cookie = "";
const tokens = { read: generateToken(), write: generateToken() };

beforeAll(async () => {
  env = await bootTestRuntime({ SEED_DEMO: "false" });
  runtime = env.runtime;
  const { db, lucia } = runtime;
  await seedDocsCatalog(db);
  await db.insert(users).values({ id: "u-editor", email: "editor@lhb.example", name: "Eda Editor", role: "editor" });
  cookie = `drillbook_session=${(await lucia.createSession("u-editor", {})).id}`;
  for (const scope of ["read", "write"] as const) {
    await db.insert(apiTokens).values({ userId: "u-editor", name: scope, scope, tokenHash: hashToken(tokens[scope]), prefix: tokens[scope].slice(0, 12) });
  }
  const saved = await saveDocument(
    db,
    { slug: "ledger-lag", title: "Ledger replication lag", markdown: "## Steps\n", kind: "runbook", systems: ["core-ledger"], alerts: "LedgerReplicationLagHigh" },
    ALICE,
  );
  expect(saved.ok).toBe(true);
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
const api = (path: string, body: unknown, token: "read" | "write" = "write") =>
  new Request(`${ORIGIN}${path}`, { method: "POST", headers: { authorization: `Bearer ${tokens[token]}`, "content-type": "application/json" }, body: JSON.stringify(body) });
const page = (path: string, form?: Record<string, string | string[]>) => {
  const headers = { cookie, origin: ORIGIN };
  if (!form) return new Request(`${ORIGIN}${path}`, { headers });
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const item of [v].flat()) body.append(k, item);
  return new Request(`${ORIGIN}${path}`, { method: "POST", headers, body });
};

/** An Alertmanager v4 notification as Alertmanager 0.27 sends it. */
function notification(status: "firing" | "resolved", alerts: Array<{ status: "firing" | "resolved"; name: string; fingerprint: string; startsAt: string; endsAt?: string; labels?: Record<string, string> }>) {
  return {
    receiver: "drillbook",
    status,
    alerts: alerts.map((a) => ({
      status: a.status,
      labels: { alertname: a.name, severity: "critical", system: "core-ledger", instance: "ledger-db-01:9187", ...a.labels },
      annotations: { summary: `${a.name} on ledger-db-01`, runbook_url: "https://drillbook.example/api/v1/runbooks/by-alert/" + a.name },
      startsAt: a.startsAt,
      endsAt: a.endsAt ?? "0001-01-01T00:00:00Z",
      generatorURL: "http://prometheus:9090/graph?g0.expr=pg_replication_lag",
      fingerprint: a.fingerprint,
    })),
    groupLabels: { alertname: alerts[0]!.name },
    commonLabels: { alertname: alerts[0]!.name, severity: "critical", system: "core-ledger" },
    commonAnnotations: { summary: "Ledger replica lag above 30 s" },
    externalURL: "http://alertmanager:9093",
    version: "4",
    groupKey: '{}/{team="core-banking-ops"}:{alertname="LedgerReplicationLagHigh"}',
    truncatedAlerts: 0,
  };
}

describe("Alertmanager webhook", () => {
  let number = 0;
  it("opens an incident from a firing group, with its system, events and the runbook for the alert", async () => {
    const res = await call(alertmanagerApi.action, api("/api/v1/alertmanager", notification("firing", [{ status: "firing", name: "LedgerReplicationLagHigh", fingerprint: "a1b2c3", startsAt: "2026-11-20T14:37:00.000Z" }])));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ outcome: "created", warnings: [] });
    number = body.number;
    const detail = await (await call(incidentApi.loader, new Request(`${ORIGIN}/api/v1/incidents/${number}`, { headers: { authorization: `Bearer ${tokens.read}` } }), { number: String(number) })).json();
    expect(detail).toMatchObject({
      title: "Ledger replica lag above 30 s",
      severity: "SEV2",
      status: "open",
      origin: "webhook",
      startedAt: "2026-11-20T14:37:00.000Z",
      detectedAt: "2026-11-20T14:37:00.000Z",
      detectionSource: "monitoring",
      systems: ["core-ledger"],
      runbooks: ["ledger-lag"],
      resolvedAt: null,
    });
    expect(detail.events.map((e: { text: string }) => e.text)).toEqual(["Alert firing: LedgerReplicationLagHigh (instance=ledger-db-01:9187, system=core-ledger): LedgerReplicationLagHigh on ledger-db-01"]);
  });

  it("updates the open incident of the same group: a repeat adds nothing, a new alert adds an event and raises severity", async () => {
    const first = { status: "firing" as const, name: "LedgerReplicationLagHigh", fingerprint: "a1b2c3", startsAt: "2026-11-20T14:37:00.000Z" };
    const repeat = await (await call(alertmanagerApi.action, api("/api/v1/alertmanager", notification("firing", [first])))).json();
    expect(repeat).toMatchObject({ number, outcome: "unchanged" });
    const second = { status: "firing" as const, name: "LedgerPostingErrors", fingerprint: "d4e5f6", startsAt: "2026-11-20T14:34:00.000Z", labels: { drillbook_severity: "SEV1" } };
    const grown = await (await call(alertmanagerApi.action, api("/api/v1/alertmanager", notification("firing", [first, second])))).json();
    expect(grown).toMatchObject({ number, outcome: "updated" });
    const [row] = await runtime.db.select().from(incidents).where(eq(incidents.number, number));
    expect(row).toMatchObject({ severity: "SEV1", version: 2 });
  });

  it("sets resolved_at from endsAt when every alert of the group is resolved", async () => {
    const res = await call(
      alertmanagerApi.action,
      api(
        "/api/v1/alertmanager",
        notification("resolved", [
          { status: "resolved", name: "LedgerReplicationLagHigh", fingerprint: "a1b2c3", startsAt: "2026-11-20T14:37:00.000Z", endsAt: "2026-11-20T15:38:00.000Z" },
          { status: "resolved", name: "LedgerPostingErrors", fingerprint: "d4e5f6", startsAt: "2026-11-20T14:34:00.000Z", endsAt: "2026-11-20T15:31:00.000Z" },
        ]),
      ),
    );
    expect(await res.json()).toMatchObject({ number, outcome: "updated" });
    const [row] = await runtime.db.select().from(incidents).where(eq(incidents.number, number));
    expect(row!.resolvedAt!.toISOString()).toBe("2026-11-20T15:38:00.000Z");
    expect(row!.status).toBe("resolved");
    expect(row!.timestampSources.resolvedAt).toMatch(/endsAt/);
    const audits = await runtime.db.select().from(auditLog).where(and(eq(auditLog.target, `INC-${number}`), eq(auditLog.action, "incident.alertmanager")));
    expect(audits.length).toBe(3); // created, grown, resolved; the repeat wrote nothing
    // The group fires again later: a new incident, not the resolved one re-opened.
    const again = await (await call(alertmanagerApi.action, api("/api/v1/alertmanager", notification("firing", [{ status: "firing", name: "LedgerReplicationLagHigh", fingerprint: "a1b2c3", startsAt: "2026-11-21T09:00:00.000Z" }])))).json();
    expect(again.outcome).toBe("created");
    expect(again.number).not.toBe(number);
  });

  it("keeps an alert with an unknown system and says so; refuses a malformed payload with the field; needs a write token", async () => {
    const unknown = notification("firing", [{ status: "firing", name: "DiskWillFill", fingerprint: "ff01", startsAt: "2026-11-21T10:00:00.000Z", labels: { system: "mainframe" } }]);
    const body = await (await call(alertmanagerApi.action, api("/api/v1/alertmanager", { ...unknown, groupKey: "other", commonLabels: {} }))).json();
    expect(body.outcome).toBe("created");
    expect(body.warnings).toEqual(['system label "mainframe" names no system in the catalog; link the system on the incident\'s edit page']);
    const bad = await call(alertmanagerApi.action, api("/api/v1/alertmanager", { ...unknown, alerts: [{ ...unknown.alerts[0], startsAt: "yesterday" }] }));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ field: "alerts.0.startsAt" });
    expect((await call(alertmanagerApi.action, api("/api/v1/alertmanager", unknown, "read"))).status).toBe(403);
  });
});

describe("incident API", () => {
  const valid = { title: "Payment gateway 5xx", severity: "SEV2", systems: ["payment-gateway"], startedAt: "2026-11-01T08:00:00Z", resolvedAt: "2026-11-01T08:40:00Z" };
  it("creates with 201 and a Location, and answers 400 naming the field without storing anything", async () => {
    const before = (await runtime.db.select({ id: incidents.id }).from(incidents)).length;
    const created = await call(incidentsApi.action, api("/api/v1/incidents", valid));
    expect(created.status).toBe(201);
    const body = await created.json();
    expect(created.headers.get("location")).toBe(`/api/v1/incidents/${body.number}`);
    expect(body).toMatchObject({ title: valid.title, status: "resolved", origin: "api", systems: ["payment-gateway"] });
    const order = await call(incidentsApi.action, api("/api/v1/incidents", { ...valid, resolvedAt: "2026-11-01T07:00:00Z" }));
    expect(order.status).toBe(400);
    expect(await order.json()).toMatchObject({ error: expect.stringMatching(/^resolvedAt: resolved at .* is before started at/), fieldErrors: { resolvedAt: expect.any(String) } });
    const unknown = await call(incidentsApi.action, api("/api/v1/incidents", { ...valid, systems: ["nope"], actions: [{ title: "x", owner: "y" }] }));
    expect((await unknown.json()).fieldErrors.systems).toMatch(/not in the catalog: nope/);
    const missing = await call(incidentsApi.action, api("/api/v1/incidents", {}));
    expect(Object.keys((await missing.json()).fieldErrors).sort()).toEqual(["severity", "startedAt", "systems", "title"]);
    expect((await runtime.db.select({ id: incidents.id }).from(incidents)).length).toBe(before + 1);
    const list = await (await call(incidentsApi.loader, new Request(`${ORIGIN}/api/v1/incidents?severity=SEV2&system=payment-gateway`, { headers: { authorization: `Bearer ${tokens.read}` } }))).json();
    expect(list.incidents.map((i: { title: string }) => i.title)).toEqual(["Payment gateway 5xx"]);
    expect((await call(incidentsApi.loader, new Request(`${ORIGIN}/api/v1/incidents?severity=SEV9`, { headers: { authorization: `Bearer ${tokens.read}` } }))).status).toBe(400);
  });
});

describe("incident pages", () => {
  it("records an incident from the form in the viewer's zone, and keeps what was typed when refused", async () => {
    const form = { title: "NAV late", severity: "SEV2", systems: "core-ledger", timezone: "Asia/Shanghai", startedAt: "2026-11-14T16:30", resolvedAt: "2026-11-14T16:00", customerImpact: "yes" };
    const refused = await call(newIncidentPage.action, page("/incidents/new", form));
    expect(refused.status).toBe(400);
    const body = await refused.json();
    expect(body.errors.resolvedAt).toBe("resolved at (2026-11-14 16:00 GMT+8) is before started at (2026-11-14 16:30 GMT+8)");
    expect(body.values).toMatchObject({ title: "NAV late", startedAt: "2026-11-14T16:30", timezone: "Asia/Shanghai" });
    const saved = await call(newIncidentPage.action, page("/incidents/new", { ...form, resolvedAt: "2026-11-14T22:35" }));
    expect(saved.status).toBe(302);
    const number = Number(saved.headers.get("location")!.split("/").pop());
    const [row] = await runtime.db.select().from(incidents).where(eq(incidents.number, number));
    expect(row!.startedAt.toISOString()).toBe("2026-11-14T08:30:00.000Z");
    expect(row!.timezone).toBe("Asia/Shanghai");
  });

  it("shows both versions when an edit conflicts", async () => {
    const created = await (await call(incidentsApi.action, api("/api/v1/incidents", { title: "Conflict", severity: "SEV3", systems: ["core-ledger"], startedAt: "2026-11-02T08:00:00Z" }))).json();
    const form = { version: "1", title: "Mine", severity: "SEV3", systems: "core-ledger", timezone: "UTC", startedAt: "2026-11-02T08:00" };
    expect((await call(editIncidentPage.action, page(`/incidents/${created.number}/edit`, { ...form, title: "Theirs" }), { number: String(created.number) })).status).toBe(302);
    const conflict = await call(editIncidentPage.action, page(`/incidents/${created.number}/edit`, form), { number: String(created.number) });
    expect(conflict.status).toBe(409);
    const body = await conflict.json();
    expect(body).toMatchObject({ version: 2, theirs: { title: "Theirs" }, values: { title: "Mine" } });
    const [row] = await runtime.db.select().from(incidents).where(eq(incidents.number, created.number));
    expect(row!.title).toBe("Theirs");
  });

  it("writes the postmortem from the incident and links both ways", async () => {
    const created = await (
      await call(
        incidentsApi.action,
        api("/api/v1/incidents", {
          title: "Ledger split-brain",
          severity: "SEV1",
          systems: ["core-ledger"],
          startedAt: "2026-06-13T14:31:00Z",
          detectedAt: "2026-06-13T14:34:00Z",
          mitigatedAt: "2026-06-13T15:38:00Z",
          runbooks: ["ledger-lag"],
          events: [{ at: "2026-06-13T14:41:00Z", text: "Manual promote | VIP moved" }],
          actions: [{ title: "Enable the Patroni watchdog", owner: "Li Na", dueDate: "2026-09-30" }],
        }),
      )
    ).json();
    const res = await call(incidentPage.action, page(`/incidents/${created.number}`, { intent: "postmortem" }), { number: String(created.number) });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/edit/postmortems/inc-${created.number}`);
    const [doc] = await runtime.db.select().from(documents).where(eq(documents.slug, `postmortems/inc-${created.number}`));
    expect(doc).toMatchObject({ kind: "postmortem", status: "draft" });
    const [revision] = await runtime.db.select().from(revisions).where(eq(revisions.documentId, doc!.id));
    expect(revision!.metadata.extra).toEqual({ incident: `INC-${created.number}` });
    expect(revision!.body).toContain("| 2026-06-13 14:41 | Manual promote \\| VIP moved |");
    expect(revision!.body).toContain("| Enable the Patroni watchdog | Li Na | 2026-09-30 | open |");
    const [row] = await runtime.db.select().from(incidents).where(eq(incidents.number, created.number));
    expect(row!.postmortemDocumentId).toBe(doc!.id);
    // Again: no second document.
    const again = await call(incidentPage.action, page(`/incidents/${created.number}`, { intent: "postmortem" }), { number: String(created.number) });
    expect(again.headers.get("location")).toBe(`/edit/postmortems/inc-${created.number}`);
    // The postmortem's page links its incident; the runbook's page lists the incident.
    const pm = await (await call(docsPage.loader, page(`/docs/postmortems/inc-${created.number}`), { "*": `postmortems/inc-${created.number}` })).json();
    expect(pm.incidents).toMatchObject({ kind: "postmortem", incident: { number: created.number, title: "Ledger split-brain" } });
    const runbook = await (await call(docsPage.loader, page("/docs/ledger-lag"), { "*": "ledger-lag" })).json();
    expect(runbook.incidents.kind).toBe("runbook");
    expect(runbook.incidents.incidents.map((i: { number: number }) => i.number)).toContain(created.number);
  });
});
