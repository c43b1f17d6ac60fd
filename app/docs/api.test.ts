import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiTokens, auditLog, users } from "#db/schema";
import { generateToken, hashToken } from "../auth/session.server";
import type { Runtime } from "../lib/runtime.server";
import * as documentsApi from "../routes/api.v1.documents.$";
import * as previewApi from "../routes/api.v1.preview";
import * as editPage from "../routes/edit.$";
import * as historyPage from "../routes/history.$";
import * as newPage from "../routes/new";
import { pendingOutboxCount } from "../search/outbox.server";
import { bootTestRuntime } from "../../tests/runtime";
import { seedDocsCatalog } from "../../tests/docs-fixtures";

/**
 * The documents API (PUT, revisions, diff, restore), the preview endpoint and the editor and
 * history page actions, called as route modules with real Requests against a booted runtime
 * (real database, sessions, tokens and search outbox).
 */

const ORIGIN = "http://localhost";
let env: Awaited<ReturnType<typeof bootTestRuntime>>;
let runtime: Runtime;
const cookies: Record<"editor" | "viewer", string> = { editor: "", viewer: "" };
const tokens: Record<"read" | "write", string> = { read: "", write: "" };

beforeAll(async () => {
  env = await bootTestRuntime({ SEED_DEMO: "false" });
  runtime = env.runtime;
  const { db, lucia } = runtime;
  await seedDocsCatalog(db);
  await db.insert(users).values([
    { id: "u-editor", email: "editor@lhb.example", name: "Eda Editor", role: "editor" },
    { id: "u-viewer", email: "viewer@lhb.example", name: "Vic Viewer", role: "viewer" },
  ]);
  for (const role of ["editor", "viewer"] as const) {
    const session = await lucia.createSession(`u-${role}`, {});
    cookies[role] = `drillbook_session=${session.id}`;
  }
  for (const scope of ["read", "write"] as const) {
    tokens[scope] = generateToken();
    await db.insert(apiTokens).values({ userId: "u-editor", name: `ci ${scope}`, scope, tokenHash: hashToken(tokens[scope]), prefix: tokens[scope].slice(0, 12) });
  }
});
afterAll(() => env?.close());

type As = "editor" | "viewer" | "anonymous" | "write-token" | "read-token";

function request(method: string, path: string, options: { body?: unknown; as?: As; origin?: string | null; form?: Record<string, string | string[]> } = {}) {
  const headers = new Headers();
  const as = options.as ?? "editor";
  if (as === "editor" || as === "viewer") headers.set("cookie", cookies[as]);
  if (as === "write-token") headers.set("authorization", `Bearer ${tokens.write}`);
  if (as === "read-token") headers.set("authorization", `Bearer ${tokens.read}`);
  if (options.origin !== null && (as === "editor" || as === "viewer")) headers.set("origin", options.origin ?? ORIGIN);
  let body: BodyInit | undefined;
  if (options.form) {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(options.form)) for (const item of [v].flat()) form.append(k, item);
    body = form;
  } else if (options.body !== undefined) {
    headers.set("content-type", "application/json");
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  }
  return new Request(`${ORIGIN}${path}`, { method, headers, body });
}

/** Calls a loader or action the way Remix does; a thrown Response (guards, 404s) is returned. */
async function call(fn: (args: LoaderFunctionArgs & ActionFunctionArgs) => unknown, req: Request, splat?: string): Promise<unknown> {
  try {
    return await fn({ request: req, params: splat === undefined ? {} : { "*": splat }, context: { clientIp: "192.0.2.10" } } as LoaderFunctionArgs & ActionFunctionArgs);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function api(method: string, slugPath: string, options: Parameters<typeof request>[2] = {}) {
  const req = request(method, `/api/v1/documents/${slugPath}`, options);
  const fn = method === "GET" ? documentsApi.loader : documentsApi.action;
  const response = (await call(fn as never, req, slugPath.split("?")[0])) as Response;
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

/** The `data()` result of a page action: its payload and status. */
function pageData<T>(result: unknown): { data: T; status: number } {
  const r = result as { type?: string; data: T; init: { status?: number } | null };
  if (r?.type === "DataWithResponseInit") return { data: r.data, status: r.init?.status ?? 200 };
  return { data: result as T, status: 200 };
}

const PLAN = "plans/db-failover";
const V1 = "## Trigger\n\nPrimary down for 5 minutes.\n\n## Recovery steps\n\n- [ ] Promote the standby\n";
const V2 = "## Trigger\n\nPrimary down for 10 minutes.\n\n## Recovery steps\n\n- [ ] Promote the standby\n- [ ] Repoint the apps\n";

describe("PUT /api/v1/documents/:slug", () => {
  it("creates a document without baseRevision (200 { revision }), audited with the client IP, and applies the search outbox", async () => {
    const res = await api("PUT", PLAN, {
      body: { title: "Core ledger DB failover", markdown: V1, message: "First draft", kind: "contingency_plan", systems: ["core-ledger"], owner: "core-banking-ops" },
    });
    expect(res).toMatchObject({ status: 200, body: { revision: 1, outcome: "created" } });
    const [audit] = await runtime.db.select().from(auditLog).where(and(eq(auditLog.target, PLAN), eq(auditLog.action, "document.create")));
    expect(audit).toMatchObject({ actor: "editor@lhb.example", actorUserId: "u-editor", revision: 1, ip: "192.0.2.10" });
    expect(await pendingOutboxCount(runtime.db)).toBe(0);
    const got = await api("GET", PLAN);
    expect(got.body).toMatchObject({ slug: PLAN, title: "Core ledger DB failover", kind: "contingency_plan", systems: ["core-ledger"], markdown: V1, revision: { number: 1, author: "Eda Editor" } });
  });

  it("answers 409 with both texts when creating a slug that exists", async () => {
    const res = await api("PUT", PLAN, { body: { title: "Another", markdown: "mine\n" } });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: expect.stringMatching(/already exists/), current: { number: 1, markdown: V1 }, yours: { markdown: "mine\n" } });
  });

  it("saves a new revision on the current base, keeping metadata it leaves out", async () => {
    const res = await api("PUT", PLAN, { body: { baseRevision: 1, title: "Core ledger DB failover", markdown: V2, message: "Longer wait, repoint apps" } });
    expect(res).toMatchObject({ status: 200, body: { revision: 2, outcome: "updated" } });
    expect((await api("GET", PLAN)).body).toMatchObject({ kind: "contingency_plan", owner: "core-banking-ops", markdown: V2 });
  });

  it("answers a stale base with 409 { error, current: { number, markdown }, yours: { markdown } } and saves nothing", async () => {
    const res = await api("PUT", PLAN, { body: { baseRevision: 1, title: "Core ledger DB failover", markdown: "my stale edit\n" } });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      error: expect.stringMatching(/revision 2.*based on revision 1/),
      current: { number: 2, title: "Core ledger DB failover", markdown: V2, author: "Eda Editor", createdAt: expect.any(String) },
      yours: { title: "Core ledger DB failover", markdown: "my stale edit\n" },
    });
    expect((await api("GET", `${PLAN}/revisions`)).body).toHaveLength(2);
  });

  it("answers bad input with 400 { error, fieldErrors } naming the fields", async () => {
    const res = await api("PUT", PLAN, { body: { baseRevision: 2, title: "", markdown: V2, alerts: ["not an alert"], lastReviewed: "yesterday" } });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.fieldErrors).sort()).toEqual(["alerts", "lastReviewed", "title"]);
    expect(res.body.error).toMatch(/title: Give a title/);
    expect((await api("PUT", PLAN, { body: "{not json" })).status).toBe(400);
    expect((await api("PUT", PLAN, { body: [1, 2] })).status).toBe(400);
  });

  it("answers 404 for a baseRevision on a document that does not exist", async () => {
    const res = await api("PUT", "plans/nothing-here", { body: { baseRevision: 1, title: "X", markdown: "x" } });
    expect(res.status).toBe(404);
  });

  it("needs the editor role: 401 anonymous, 403 viewer, 403 without Origin, 403 read token; a write token works", async () => {
    const body = { baseRevision: 2, title: "Core ledger DB failover", markdown: `${V2}\nExtra line.\n` };
    expect((await api("PUT", PLAN, { body, as: "anonymous" })).status).toBe(401);
    expect((await api("PUT", PLAN, { body, as: "viewer" })).status).toBe(403);
    expect((await api("PUT", PLAN, { body, origin: null })).status).toBe(403);
    expect((await api("PUT", PLAN, { body, origin: "https://evil.example" })).status).toBe(403);
    expect((await api("PUT", PLAN, { body, as: "read-token" })).status).toBe(403);
    expect(await api("PUT", PLAN, { body, as: "write-token" })).toMatchObject({ status: 200, body: { revision: 3 } });
  });

  it("refuses other methods with 405 and an Allow header", async () => {
    const res = await api("DELETE", PLAN, { body: {} });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, PUT");
    expect((await api("GET", `${PLAN}/restore`)).status).toBe(405);
    expect((await api("PUT", `${PLAN}/revisions`, { body: {} })).status).toBe(405);
  });
});

describe("revisions, diff and restore sub-resources", () => {
  it("lists every revision, oldest first", async () => {
    const res = await api("GET", `${PLAN}/revisions`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      { number: 1, author: "Eda Editor", createdAt: expect.any(String), message: "First draft" },
      { number: 2, author: "Eda Editor", createdAt: expect.any(String), message: "Longer wait, repoint apps" },
      { number: 3, author: "Eda Editor", createdAt: expect.any(String), message: "" },
    ]);
  });

  it("diffs any two revisions with word-level segments and metadata changes", async () => {
    const res = await api("GET", `${PLAN}/diff?from=1&to=3`, {});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ slug: PLAN, from: 1, to: 3, metadata: [] });
    const changed = res.body.lines.find((l: { type: string }) => l.type === "changed");
    expect(changed).toMatchObject({ oldText: "Primary down for 5 minutes.", newText: "Primary down for 10 minutes." });
    expect(changed.segments).toContainEqual({ type: "removed", text: "5" });
    expect(res.body.lines.filter((l: { type: string }) => l.type === "added").map((l: { text: string }) => l.text)).toContain("- [ ] Repoint the apps");
    expect((await api("GET", `${PLAN}/diff`)).body).toMatchObject({ from: 2, to: 3 });
    expect((await api("GET", `${PLAN}/diff?from=x`)).status).toBe(400);
    expect((await api("GET", `${PLAN}/diff?from=1&to=9`)).status).toBe(404);
  });

  it("restores an old revision as a new one (POST .../restore { revision })", async () => {
    const res = await api("POST", `${PLAN}/restore`, { body: { revision: 1 } });
    expect(res).toMatchObject({ status: 200, body: { revision: 4, outcome: "updated" } });
    expect((await api("GET", PLAN)).body).toMatchObject({ markdown: V1, revision: { number: 4 } });
    expect((await api("GET", `${PLAN}/revisions`)).body.at(-1)).toMatchObject({ number: 4, message: "Restored revision 1" });
    expect((await api("POST", `${PLAN}/restore`, { body: { revision: 2, baseRevision: 3 } })).status).toBe(409);
    expect((await api("POST", `${PLAN}/restore`, { body: { revision: 99 } })).status).toBe(404);
    expect((await api("POST", `${PLAN}/restore`, { body: { revision: "first" } })).status).toBe(400);
    expect((await api("POST", `${PLAN}/restore`, { body: { revision: 1 }, as: "viewer" })).status).toBe(403);
  });

  it("treats a trailing /diff as part of the slug when the rest is not a document", async () => {
    const res = await api("GET", "plans/unknown/diff");
    expect(res).toMatchObject({ status: 404, body: { error: 'No document with slug "plans/unknown/diff"' } });
  });
});

describe("POST /api/v1/preview", () => {
  it("renders Markdown with the page's pipeline, marking broken wiki links, for editors only", async () => {
    const req = (as: As) => request("POST", "/api/v1/preview", { body: { markdown: `## Steps\n\n[[${PLAN}]] and [[no-such-doc]]\n<script>x</script>` }, as });
    const response = (await call(previewApi.action as never, req("editor"))) as Response;
    expect(response.status).toBe(200);
    const body = (await response.json()) as { html: string; toc: Array<{ text: string }> };
    expect(body.toc.map((t) => t.text)).toEqual(["Steps"]);
    expect(body.html).toContain("wiki-link-broken");
    expect(body.html).toContain("Core ledger DB failover");
    expect(body.html).not.toContain("<script>");
    expect(((await call(previewApi.action as never, req("viewer"))) as Response).status).toBe(403);
  });
});

describe("editor and history pages (form posts, no JavaScript)", () => {
  const form = (values: Record<string, string | string[]>) => ({
    title: "Core ledger DB failover",
    kind: "contingency_plan",
    status: "published",
    systems: ["core-ledger"],
    tags: "",
    alerts: "",
    owner: "core-banking-ops",
    lastReviewed: "",
    message: "",
    intent: "save",
    ...values,
  });

  it("Preview re-renders the page with the typed text and saves nothing", async () => {
    const result = await call(editPage.action as never, request("POST", `/edit/${PLAN}`, { form: form({ baseRevision: "4", markdown: "## New heading\n", intent: "preview" }) }), PLAN);
    const { data, status } = pageData<{ preview: { html: string }; values: { markdown: string } }>(result);
    expect(status).toBe(200);
    expect(data.preview.html).toContain("New heading");
    expect(data.values.markdown).toBe("## New heading\n");
    expect((await api("GET", `${PLAN}/revisions`)).body).toHaveLength(4);
  });

  it("a refused form keeps everything typed and names the field (400)", async () => {
    const typed = form({ baseRevision: "4", markdown: "my long text\n", title: "", tags: "a, b", alerts: "Bad Name" });
    const { data, status } = pageData<{ values: Record<string, unknown>; fieldErrors: Record<string, string> }>(
      await call(editPage.action as never, request("POST", `/edit/${PLAN}`, { form: typed }), PLAN),
    );
    expect(status).toBe(400);
    expect(Object.keys(data.fieldErrors).sort()).toEqual(["alerts", "title"]);
    expect(data.values).toMatchObject({ markdown: "my long text\n", tags: "a, b", alerts: "Bad Name", systems: ["core-ledger"] });
  });

  it("a stale save shows the conflict view: their change, the current text, my text kept, base moved on", async () => {
    // Someone else saves revision 5 while I edit revision 4.
    await api("PUT", PLAN, { body: { baseRevision: 4, title: "Core ledger DB failover", markdown: `${V1}- [ ] Tell the regulator\n` }, as: "write-token" });
    const mine = `${V1}- [ ] Page the DBA\r\n`;
    const { data, status } = pageData<{
      values: { markdown: string };
      baseRevision: number;
      conflict: { base: number; current: { number: number; markdown: string }; lines: Array<{ type: string; text?: string }> };
    }>(await call(editPage.action as never, request("POST", `/edit/${PLAN}`, { form: form({ baseRevision: "4", markdown: mine }) }), PLAN));
    expect(status).toBe(409);
    expect(data.values.markdown).toBe(mine);
    expect(data.baseRevision).toBe(5);
    expect(data.conflict).toMatchObject({ base: 4, current: { number: 5, markdown: `${V1}- [ ] Tell the regulator\n` } });
    expect(data.conflict.lines).toContainEqual({ type: "added", newLine: 8, text: "- [ ] Tell the regulator" });

    // Merging and saving again on the new base succeeds and lands on the document page.
    const merged = `${V1}- [ ] Tell the regulator\n- [ ] Page the DBA\n`;
    const saved = (await call(editPage.action as never, request("POST", `/edit/${PLAN}`, { form: form({ baseRevision: "5", markdown: merged }) }), PLAN)) as Response;
    expect(saved.status).toBe(302);
    expect(saved.headers.get("location")).toBe(`/docs/${PLAN}`);
    expect((await api("GET", PLAN)).body).toMatchObject({ markdown: merged, revision: { number: 6 } });
  });

  it("creating on a taken slug is a slug field error; an empty slug comes from the title", async () => {
    const taken = pageData<{ fieldErrors: Record<string, string> }>(
      await call(newPage.action as never, request("POST", "/new", { form: form({ slug: PLAN, markdown: "x\n" }) })),
    );
    expect(taken.status).toBe(409);
    expect(taken.data.fieldErrors.slug).toMatch(/already has the address/);
    const created = (await call(newPage.action as never, request("POST", "/new", { form: form({ slug: "", title: "Swift Outage Plan", markdown: "x\n" }) }))) as Response;
    expect(created.headers.get("location")).toBe("/docs/swift-outage-plan");
  });

  it("the new page starts from the kind's template; edit and new need the editor role", async () => {
    const loaded = (await call(newPage.loader as never, request("GET", "/new?kind=postmortem"))) as { state: { values: { markdown: string; kind: string } } };
    expect(loaded.state.values.kind).toBe("postmortem");
    for (const section of ["## Summary", "## Impact", "## Timeline", "## Root cause", "## Contributing factors", "## What went well", "## Corrective actions"]) {
      expect(loaded.state.values.markdown).toContain(section);
    }
    expect(((await call(newPage.loader as never, request("GET", "/new", { as: "viewer" }))) as Response).status).toBe(403);
    expect(((await call(editPage.loader as never, request("GET", `/edit/${PLAN}`, { as: "anonymous" }), PLAN)) as Response).status).toBe(302);
  });

  it("the history page restores with a POST and refuses a stale page with 409", async () => {
    const current = ((await api("GET", PLAN)).body as { revision: { number: number } }).revision.number;
    const restored = (await call(historyPage.action as never, request("POST", `/history/${PLAN}`, { form: { revision: "2", baseRevision: String(current) } }), PLAN)) as Response;
    expect(restored.status).toBe(302);
    expect((await api("GET", PLAN)).body).toMatchObject({ markdown: V2, revision: { number: current + 1 } });
    const stale = pageData<{ error: string }>(await call(historyPage.action as never, request("POST", `/history/${PLAN}`, { form: { revision: "1", baseRevision: String(current) } }), PLAN));
    expect(stale.status).toBe(409);
    expect(stale.data.error).toMatch(/after this page was loaded/);
  });
});
