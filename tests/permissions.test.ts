/**
 * THE PERMISSION MATRIX: who may read (loader) and change (action) each route.
 *
 * Every route module in app/routes must have an entry below, or this file fails: a new route is
 * classified here when it is added. Route modules are called directly (loader/action with a
 * Request), against the real runtime booted on a fresh database with the demo content.
 *
 * Outcomes: "ok" = the guard let the request through (any status but 401/403/404/405 and no
 * redirect to the sign-in page; a 400 for the minimal invalid form counts as ok), "login" = 302
 * to /login?redirectTo=…, "401"/"403"/"404"/"405" = that status.
 */
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { users } from "#db/schema";
import { CLI_ACTOR, createApiToken, createUser } from "../app/auth/users.server";
import type { Runtime } from "../app/lib/runtime.server";
import { recordIdForKey } from "../app/continuity/references.server";
import { ROOT } from "./paths";
import { bootTestRuntime } from "./runtime";

type Outcome = "ok" | "login" | "401" | "403" | "404" | "405";
/**
 * `anonymousRead`: no credentials while ANONYMOUS_READ=true. `readToken`/`writeToken` belong to the
 * editor; `adminReadToken` is an admin's read-scope token.
 */
const ACTORS = ["anonymous", "anonymousRead", "viewer", "editor", "admin", "readToken", "writeToken", "adminReadToken"] as const;
type Actor = (typeof ACTORS)[number];
type Expect = Record<Actor, Outcome>;
const TOKEN_ACTORS: Actor[] = ["readToken", "writeToken", "adminReadToken"];

const ORIGIN = "http://drillbook.test";
const DOC = "swift-queue-backlog"; // a runbook of the demo content
const SYSTEM = "swift-connector";
const ALERT = "SwiftQueueBacklog";
// Continuity records of the demo content (content/drills, content/inspections): imported records have ids derived from their keys.
const PLAN = "plan-swift-outage";
const DRILL_ID = recordIdForKey("drill", "import:drill:plan-swift-outage@2026-09-12T07:00:00.000Z");
const INSPECTION_ID = recordIdForKey("inspection", "import:inspection:swift-connector@2026-11-19T08:42:00.000Z");

// Common rows of the matrix.
const ALL = (o: Outcome): Expect => Object.fromEntries(ACTORS.map((a) => [a, o])) as Expect;
/** Pages: signed in (or ANONYMOUS_READ) to read; anonymous goes to the sign-in page. */
const READ_PAGE: Expect = { ...ALL("ok"), anonymous: "login" };
/** API reads: anonymous gets 401 JSON. */
const READ_API: Expect = { ...ALL("ok"), anonymous: "401" };
/** Browser forms open to anyone from this site; a script (token, no Origin header) is refused. */
const BROWSER_FORM: Expect = { ...ALL("ok"), readToken: "403", writeToken: "403", adminReadToken: "403" };
/** Signed-in people in the browser only (API tokens cannot manage themselves). */
const SESSION_ONLY: Expect = { ...ALL("ok"), anonymous: "login", anonymousRead: "login", readToken: "403", writeToken: "403", adminReadToken: "403" };
/** Editor writes from a page: viewers and read tokens refused. */
const EDITOR_WRITE_PAGE: Expect = { ...SESSION_ONLY, viewer: "403", writeToken: "ok" };
/** Editor pages (the editor form): GET needs the editor role; read tokens may load them (GET is reading), not post them. */
const EDITOR_PAGE_GET: Expect = { ...EDITOR_WRITE_PAGE, readToken: "ok", adminReadToken: "ok" };
/** Editor writes on the API. */
const EDITOR_WRITE_API: Expect = { ...EDITOR_WRITE_PAGE, anonymous: "401", anonymousRead: "401" };
/** Admin-only reading, pages (an admin's read token may GET; the editor's tokens are refused by role). */
const ADMIN_PAGE_GET: Expect = { ...ALL("403"), anonymous: "login", anonymousRead: "login", admin: "ok", adminReadToken: "ok" };
/** Admin-only reading, API. */
const ADMIN_API_GET: Expect = { ...ADMIN_PAGE_GET, anonymous: "401", anonymousRead: "401" };
/** Admin-only writes, pages (no token here can: the editor's by role, the admin's by scope). */
const ADMIN_WRITE_PAGE: Expect = { ...ADMIN_PAGE_GET, adminReadToken: "403" };
/** Admin-only writes, API. */
const ADMIN_WRITE_API: Expect = { ...ADMIN_WRITE_PAGE, anonymous: "401", anonymousRead: "401" };

interface Case {
  /** Path (and query) requested. */
  url: string;
  params?: Record<string, string>;
  /** Expected outcome of GET (the module's loader); omit when it has none. */
  loader?: Expect;
  /** Expected outcome of POST (the module's action); omit when it has none. */
  action?: Expect;
  /** Body of the POST: a minimal valid or invalid form. Default: empty form. */
  body?: () => BodyInit;
  method?: "POST" | "PUT" | "DELETE" | "PATCH";
  contentType?: string;
  /** About the signed-in person themselves (not content): stays closed under ANONYMOUS_READ. */
  personal?: boolean;
  /** Why the route looks the way it does in the matrix. */
  note?: string;
}

/** One case per route module, or several when it serves sub-resources (e.g. /revisions, /restore). */
const MATRIX: Record<string, Case | Case[]> = {
  "$.tsx": { url: "/no/such/page", params: { "*": "no/such/page" }, loader: ALL("404"), note: "catch-all 404, nothing to read" },
  "_index.tsx": { url: "/", loader: READ_PAGE },
  "search.tsx": { url: "/search?q=swift", loader: READ_PAGE },
  "docs.$.tsx": { url: `/docs/${DOC}`, params: { "*": DOC }, loader: READ_PAGE },
  "systems._index.tsx": { url: "/systems", loader: READ_PAGE },
  "systems.$slug.tsx": { url: `/systems/${SYSTEM}`, params: { slug: SYSTEM }, loader: READ_PAGE },
  "teams._index.tsx": { url: "/teams", loader: READ_PAGE },
  "api.v1.search.ts": { url: "/api/v1/search?q=swift", loader: READ_API },
  "api.v1.documents.$.ts": [
    { url: `/api/v1/documents/${DOC}`, params: { "*": DOC }, loader: READ_API, action: EDITOR_WRITE_API, method: "PUT", ...json({}) },
    { url: `/api/v1/documents/${DOC}/revisions`, params: { "*": `${DOC}/revisions` }, loader: READ_API },
    { url: `/api/v1/documents/${DOC}/diff?from=1&to=1`, params: { "*": `${DOC}/diff` }, loader: READ_API },
    { url: `/api/v1/documents/${DOC}/restore`, params: { "*": `${DOC}/restore` }, action: EDITOR_WRITE_API, ...json({}) },
  ],
  "api.v1.preview.ts": { url: "/api/v1/preview", loader: ALL("405"), action: EDITOR_WRITE_API, ...json({}), note: "the editor's live preview" },
  "new.tsx": { url: "/new?kind=runbook", loader: EDITOR_PAGE_GET, action: EDITOR_WRITE_PAGE },
  "edit.$.tsx": { url: `/edit/${DOC}`, params: { "*": DOC }, loader: EDITOR_PAGE_GET, action: EDITOR_WRITE_PAGE },
  "history.$.tsx": { url: `/history/${DOC}`, params: { "*": DOC }, loader: READ_PAGE, action: EDITOR_WRITE_PAGE, note: "restore is the action" },
  "admin.audit[.]csv.ts": { url: "/admin/audit.csv", loader: ADMIN_PAGE_GET, note: "audit export" },
  "api.v1.audit.ts": { url: "/api/v1/audit", loader: ADMIN_API_GET },
  "admin.audit.tsx": { url: "/admin/audit?action=system", loader: ADMIN_PAGE_GET },
  "admin.systems._index.tsx": { url: "/admin/systems", loader: ADMIN_PAGE_GET },
  "admin.systems.new.tsx": { url: "/admin/systems/new", loader: ADMIN_PAGE_GET, action: ADMIN_WRITE_PAGE, note: "an empty form gets 400 field errors" },
  "admin.systems.$slug.tsx": {
    url: `/admin/systems/${SYSTEM}`,
    params: { slug: SYSTEM },
    loader: ADMIN_PAGE_GET,
    action: ADMIN_WRITE_PAGE,
    note: "an empty form gets 400 field errors",
  },
  "admin.teams.tsx": { url: "/admin/teams", loader: ADMIN_PAGE_GET, action: ADMIN_WRITE_PAGE, note: "an empty form gets 400" },
  "admin.slas.tsx": { url: "/admin/slas", loader: ADMIN_PAGE_GET, action: ADMIN_WRITE_PAGE, note: "an empty form gets 400" },
  "compare.$.tsx": { url: `/compare/${DOC}?from=1&to=1`, params: { "*": DOC }, loader: READ_PAGE },
  "api.v1.runbooks.by-alert.$alertName.ts": { url: `/api/v1/runbooks/by-alert/${ALERT}`, params: { alertName: ALERT }, loader: READ_API },
  "healthz.ts": { url: "/healthz", loader: ALL("ok"), note: "public health check for load balancers" },
  "robots[.]txt.ts": { url: "/robots.txt", loader: ALL("ok") },
  "internal.commands.$name.ts": {
    url: "/internal/commands/reindex",
    params: { name: "reindex" },
    loader: ALL("405"),
    action: ALL("403"),
    body: () => "{}",
    contentType: "application/json",
    note: "only the per-process command token of DATA_DIR/holder.json; sessions and API tokens are refused",
  },
  "login.tsx": { url: "/login", loader: ALL("ok"), action: BROWSER_FORM, note: "public; an empty form gets 400 field errors" },
  "logout.tsx": { url: "/logout", action: BROWSER_FORM, note: "public POST (same origin); ends the session if there is one" },
  "setup.tsx": {
    url: "/setup?token=guess",
    loader: ALL("ok"),
    action: BROWSER_FORM,
    note: "guarded by the one-time setup token; accounts exist here, so it answers 'done' (409)",
  },
  "settings.tokens.tsx": { url: "/settings/tokens", loader: SESSION_ONLY, action: SESSION_ONLY, personal: true },
  // Coverage dashboard (issue 4, section 4).
  "coverage._index.tsx": { url: "/coverage", loader: READ_PAGE },
  "coverage.print.tsx": { url: "/coverage/print", loader: READ_PAGE, note: "the printable report for auditors" },
  "coverage[.]csv.ts": { url: "/coverage.csv?table=matrix", loader: READ_PAGE, note: "CSV of each dashboard table" },
  "api.v1.metrics.coverage.ts": { url: "/api/v1/metrics/coverage", loader: READ_API },
  // Corrective actions and reliability (issue 5, sections 3-4).
  "actions.tsx": { url: "/actions?status=open", loader: READ_PAGE, action: EDITOR_WRITE_PAGE, note: "inline edit of one row; an empty form gets 400" },
  "actions[.]csv.ts": { url: "/actions.csv", loader: READ_PAGE, note: "the action list as CSV" },
  "reliability.tsx": { url: "/reliability?preset=last_30_days", loader: READ_PAGE },
  "reliability[.]csv.ts": { url: "/reliability.csv?table=ratios", loader: READ_PAGE },
  "api.v1.metrics.reliability.ts": { url: "/api/v1/metrics/reliability", loader: READ_API },
  "api.v1.actions.$id.ts": {
    url: "/api/v1/actions/00000000-0000-4000-8000-000000000000",
    params: { id: "00000000-0000-4000-8000-000000000000" },
    loader: ALL("405"),
    action: EDITOR_WRITE_API,
    method: "PATCH",
    ...json({}),
    note: "scripts change an action's status/owner/due date; an empty body gets 400",
  },
  "drills.new.tsx": { url: `/drills/new?plan=${PLAN}`, loader: EDITOR_PAGE_GET, action: EDITOR_WRITE_PAGE, note: "an empty form gets 400 field errors" },
  "drills.$id.tsx": { url: `/drills/${DRILL_ID}`, params: { id: DRILL_ID }, loader: READ_PAGE },
  "inspections.new.tsx": { url: `/inspections/new?system=${SYSTEM}`, loader: EDITOR_PAGE_GET, action: EDITOR_WRITE_PAGE, note: "an empty form gets 400 field errors" },
  "inspections.$id.tsx": { url: `/inspections/${INSPECTION_ID}`, params: { id: INSPECTION_ID }, loader: READ_PAGE },
  "plan-reviews.new.tsx": {
    url: `/plan-reviews/new?plan=${PLAN}`,
    loader: EDITOR_PAGE_GET,
    action: EDITOR_WRITE_PAGE,
    body: () => new URLSearchParams({ revision: "99", comment: "" }),
    note: "Mark reviewed; a revision that does not exist gets 400 (nothing recorded)",
  },
  "api.v1.drills.ts": { url: "/api/v1/drills", loader: ALL("405"), action: EDITOR_WRITE_API, ...json({}), note: "an empty object gets 400 naming the fields" },
  "api.v1.drills.$id.ts": { url: `/api/v1/drills/${DRILL_ID}`, params: { id: DRILL_ID }, loader: READ_API },
  "api.v1.inspections.ts": { url: "/api/v1/inspections", loader: ALL("405"), action: EDITOR_WRITE_API, ...json({}), note: "an empty object gets 400 naming the fields" },
  "api.v1.inspections.$id.ts": { url: `/api/v1/inspections/${INSPECTION_ID}`, params: { id: INSPECTION_ID }, loader: READ_API },
  // Incidents (INC-1 exists: the demo's postmortems and incidents/*.yaml are imported at boot).
  "incidents._index.tsx": { url: "/incidents", loader: READ_PAGE },
  "incidents.new.tsx": { url: "/incidents/new", loader: EDITOR_PAGE_GET, action: EDITOR_WRITE_PAGE, note: "an empty form gets 400 field errors" },
  "incidents.$number.tsx": {
    url: "/incidents/1",
    params: { number: "1" },
    loader: READ_PAGE,
    action: EDITOR_WRITE_PAGE,
    note: "Write postmortem (intent=postmortem) and timeline entries (intent=event); an empty form gets 400",
  },
  "incidents.$number_.edit.tsx": { url: "/incidents/1/edit", params: { number: "1" }, loader: EDITOR_PAGE_GET, action: EDITOR_WRITE_PAGE, note: "an empty form gets 400 (no version)" },
  "api.v1.incidents.ts": { url: "/api/v1/incidents", loader: READ_API, action: EDITOR_WRITE_API, ...json({}), note: "an empty object gets 400 naming the fields" },
  "api.v1.incidents.$number.ts": { url: "/api/v1/incidents/1", params: { number: "1" }, loader: READ_API },
  "api.v1.alertmanager.ts": {
    url: "/api/v1/alertmanager",
    loader: ALL("405"),
    action: EDITOR_WRITE_API,
    ...json({}),
    note: "Alertmanager webhook (Authorization: Bearer <write token>); an empty object gets 400",
  },
};

/** A JSON body for a case. */
function json(value: unknown): Pick<Case, "body" | "contentType"> {
  return { body: () => JSON.stringify(value), contentType: "application/json" };
}
const casesOf = (key: string): Case[] => [MATRIX[key]!].flat();
const allCases = (): Array<[string, Case]> => Object.keys(MATRIX).flatMap((key) => casesOf(key).map((c): [string, Case] => [key, c]));

let runtime: Runtime;
let close: () => Promise<void>;
const userIds: Record<"viewer" | "editor" | "admin", string> = { viewer: "", editor: "", admin: "" };
const tokens: Record<"readToken" | "writeToken" | "adminReadToken", string> = { readToken: "", writeToken: "", adminReadToken: "" };

beforeAll(async () => {
  ({ runtime, close } = await bootTestRuntime({ SEED_DEMO: "true", ANONYMOUS_READ: "false" }));
  for (const role of ["viewer", "editor", "admin"] as const) {
    userIds[role] = (await createUser(runtime.db, { email: `${role}@lhb.example`, role, password: `${role}-password-1` }, CLI_ACTOR)).id;
  }
  for (const [actor, owner, scope] of [["readToken", "editor", "read"], ["writeToken", "editor", "write"], ["adminReadToken", "admin", "read"]] as const) {
    tokens[actor] = (await createApiToken(runtime.db, { userId: userIds[owner], name: actor, scope }, CLI_ACTOR)).token;
  }
});
afterAll(async () => {
  runtime.env.anonymousRead = false;
  await close?.();
});

function routeFiles(): Array<{ key: string; file: string }> {
  const dir = path.join(ROOT, "app/routes");
  return readdirSync(dir)
    .filter((name) => !name.startsWith("."))
    .flatMap((name) => {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) {
        const route = readdirSync(full).find((f) => /^route\.(tsx?|jsx?)$/.test(f));
        return route ? [{ key: name, file: path.join(full, route) }] : [];
      }
      return /\.(tsx?|jsx?)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [{ key: name, file: full }] : [];
    });
}

/** Headers an actor sends; session actors get a fresh session each time (logout ends it). */
async function credentials(actor: Actor): Promise<Record<string, string>> {
  if (actor === "readToken" || actor === "writeToken" || actor === "adminReadToken") return { authorization: `Bearer ${tokens[actor]}` };
  if (actor === "viewer" || actor === "editor" || actor === "admin") {
    const session = await runtime.lucia.createSession(userIds[actor], {});
    return { cookie: `drillbook_session=${session.id}` };
  }
  return {};
}

type Handler = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => unknown;

/** Calls a loader or action and classifies what it returned or threw. */
async function outcome(handler: Handler, request: Request, params: Record<string, string>): Promise<Outcome> {
  let result: unknown;
  try {
    result = await handler({ request, params, context: { clientIp: "127.0.0.1" } });
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    result = thrown;
  }
  let status = 200;
  let location: string | null = null;
  if (result instanceof Response) {
    status = result.status;
    location = result.headers.get("location");
  } else if (result && typeof result === "object" && (result as { type?: string }).type === "DataWithResponseInit") {
    status = (result as { init: ResponseInit | null }).init?.status ?? 200;
  }
  if (status >= 300 && status < 400 && location?.startsWith("/login?redirectTo=")) return "login";
  if ([401, 403, 404, 405].includes(status)) return String(status) as Outcome;
  return "ok";
}

async function request(c: Case, actor: Actor, kind: "loader" | "action", origin = ORIGIN): Promise<Request> {
  const headers: Record<string, string> = await credentials(actor);
  if (kind === "loader") return new Request(`${ORIGIN}${c.url}`, { headers });
  const isToken = TOKEN_ACTORS.includes(actor);
  // Browsers send Origin on every POST; scripts with a token usually do not.
  if (!isToken) headers.origin = origin;
  const body = c.body ? c.body() : new URLSearchParams();
  if (c.contentType) headers["content-type"] = c.contentType;
  return new Request(`${ORIGIN}${c.url}`, { method: c.method ?? "POST", headers, body });
}

const modules = new Map<string, { loader?: Handler; action?: Handler }>();
async function load(key: string) {
  if (!modules.has(key)) {
    const entry = routeFiles().find((r) => r.key === key)!;
    modules.set(key, await import(/* @vite-ignore */ entry.file));
  }
  return modules.get(key)!;
}

describe("permission matrix", () => {
  it("classifies every route module in app/routes (add new routes to MATRIX)", async () => {
    const files = routeFiles().map((r) => r.key).sort();
    const missing = files.filter((f) => !MATRIX[f]);
    const stale = Object.keys(MATRIX).filter((k) => !files.includes(k));
    expect(missing, `routes without an entry in tests/permissions.test.ts MATRIX: ${missing.join(", ")}`).toEqual([]);
    expect(stale, `MATRIX entries for routes that no longer exist: ${stale.join(", ")}`).toEqual([]);
    for (const key of files) {
      const mod = await load(key);
      expect(!!mod.loader, `${key}: loader in the module vs loader in MATRIX`).toBe(casesOf(key).some((c) => c.loader));
      expect(!!mod.action, `${key}: action in the module vs action in MATRIX`).toBe(casesOf(key).some((c) => c.action));
    }
  });

  for (const [key, c] of allCases()) {
    for (const kind of ["loader", "action"] as const) {
      const expected = c[kind];
      if (!expected) continue;
      it(`${key} ${kind === "loader" ? "GET" : c.method ?? "POST"} ${c.url}`, async () => {
        const handler = (await load(key))[kind]!;
        const actual = {} as Expect;
        for (const actor of ACTORS) {
          runtime.env.anonymousRead = actor === "anonymousRead";
          try {
            actual[actor] = await outcome(handler, await request(c, actor, kind), c.params ?? {});
          } finally {
            runtime.env.anonymousRead = false;
          }
        }
        expect(actual).toEqual(expected);
      });
    }
  }
});

describe("cross-site requests and anonymous reading", () => {
  it("refuses a cross-origin POST carrying a valid session cookie on every route with an action (403)", async () => {
    const refused: Record<string, Outcome> = {};
    for (const [key, c] of allCases()) {
      if (!c.action) continue;
      const handler = (await load(key)).action!;
      refused[`${key} ${c.url}`] = await outcome(handler, await request(c, "admin", "action", "https://evil.example"), c.params ?? {});
      // No Origin and no Referer: refused too (browsers always send Origin on POST).
      const bare = await request(c, "admin", "action");
      const headers = new Headers(bare.headers);
      headers.delete("origin");
      const noOrigin = await outcome(handler, new Request(bare.url, { method: bare.method, headers, body: c.body ? c.body() : new URLSearchParams() }), c.params ?? {});
      expect(noOrigin, `${key} ${c.url} without Origin`).toBe("403");
    }
    expect(Object.values(refused).every((o) => o === "403"), JSON.stringify(refused)).toBe(true);
  });

  it("with ANONYMOUS_READ (set on the booted runtime's configuration) anonymous readers read every content page but change nothing", async () => {
    for (const [key, c] of allCases()) {
      // Whatever a signed-in viewer may read, an anonymous reader may read too (except pages about oneself).
      if (c.loader?.viewer === "ok" && !c.personal) expect(c.loader.anonymousRead, `${key}: anonymous reading`).not.toMatch(/^(login|401|403)$/);
      if (c.action) {
        const writes = c.action.editor === "ok" || c.action.admin === "ok";
        const publicForm = ["login.tsx", "logout.tsx", "setup.tsx"].includes(key);
        if (writes && !publicForm) expect(c.action.anonymousRead, `${key}: anonymous writing`).toMatch(/^(login|401|403)$/);
      }
    }
    // And for real: the guard itself, not only the table.
    runtime.env.anonymousRead = true;
    try {
      const home = await load("_index.tsx");
      expect(await outcome(home.loader!, new Request(`${ORIGIN}/`), {})).toBe("ok");
      const tokensPage = await load("settings.tokens.tsx");
      const post = new Request(`${ORIGIN}/settings/tokens`, { method: "POST", headers: { origin: ORIGIN }, body: new URLSearchParams({ name: "x", scope: "write" }) });
      expect(await outcome(tokensPage.action!, post, {})).toBe("login");
    } finally {
      runtime.env.anonymousRead = false;
    }
  });

  it("the root loader gives the header the viewer's id, name, e-mail and role only", async () => {
    const root = (await import("../app/root")) as unknown as { loader: Handler };
    const session = await runtime.lucia.createSession(userIds.admin, {});
    const signedIn = (await root.loader({ request: new Request(`${ORIGIN}/`, { headers: { cookie: `drillbook_session=${session.id}; tz=Asia%2FShanghai` } }), params: {}, context: {} })) as object;
    expect(signedIn).toEqual({ viewer: { id: userIds.admin, name: "admin", email: "admin@lhb.example", role: "admin" }, anonymousRead: false, timeZone: "Asia/Shanghai" });
    expect(await root.loader({ request: new Request(`${ORIGIN}/`), params: {}, context: {} })).toEqual({ viewer: null, anonymousRead: false, timeZone: "UTC" });
  });

  it("a disabled user's session and token are nobody", async () => {
    const user = await createUser(runtime.db, { email: "leaver@lhb.example", role: "admin", password: "leaver-password" }, CLI_ACTOR);
    const session = await runtime.lucia.createSession(user.id, {});
    const { token } = await createApiToken(runtime.db, { userId: user.id, name: "leaver", scope: "write" }, CLI_ACTOR);
    await runtime.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, user.id));
    const home = await load("_index.tsx");
    expect(await outcome(home.loader!, new Request(`${ORIGIN}/`, { headers: { cookie: `drillbook_session=${session.id}` } }), {})).toBe("login");
    const api = await load("api.v1.search.ts");
    expect(await outcome(api.loader!, new Request(`${ORIGIN}/api/v1/search?q=x`, { headers: { authorization: `Bearer ${token}` } }), {})).toBe("401");
  });
});
