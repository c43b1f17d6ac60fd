import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CORPORA } from "../paths";
import { launchBrowser, runScript, startServer, type RunningServer } from "./harness";

/**
 * The foundation issue's "done means", driven as a newcomer would: the production server on a fresh
 * data directory (demo content seeded on first start), the import command run beside it (handed to
 * the server, since PGlite allows one process per data directory), then the HTTP API and the pages
 * in Chromium.
 */
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer({ ANONYMOUS_READ: "true" });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

interface SearchBody {
  hits: Array<{ slug: string; title: string; kind: string; url: string; snippet: string; sourcePath: string | null }>;
  total: number;
  facets: Record<string, Record<string, number>>;
  tookMs: number;
}

async function search(query: string, extra = ""): Promise<SearchBody> {
  const response = await fetch(`${server.url}/api/v1/search?q=${encodeURIComponent(query)}${extra}`);
  expect(response.status).toBe(200);
  return (await response.json()) as SearchBody;
}

describe("first start and the import command", () => {
  it("seeds the demo organisation on first start", async () => {
    expect(server.output()).toContain("first start: importing the demo organisation");
    const health = await (await fetch(`${server.url}/healthz`)).json();
    expect(health).toMatchObject({ status: "ok", database: { ok: true, driver: "pglite" }, search: { ok: true, engine: "embedded" } });
    expect(health.search.documents).toBeGreaterThanOrEqual(30);
  });

  it("imports the three corpora through the running server, then reports them unchanged", async () => {
    const env = { DATA_DIR: server.dataDir };
    const runs = [
      ["kubesphere-alert-runbooks", "--kind", "runbook"],
      ["dfds-postmortems", "--kind", "postmortem"],
      ["strongdm-comply-soc2"],
    ];
    for (const [dir, ...flags] of runs) {
      const first = await runScript("scripts/import.ts", [path.join(CORPORA, dir!), ...flags], env);
      expect(first.output).toContain("handing \"import\" to it");
      expect(first.output).toMatch(/created [1-9]\d*, updated 0, unchanged 0, skipped 0/);
      expect(first.code).toBe(0);
    }
    for (const [dir, ...flags] of runs) {
      const again = await runScript("scripts/import.ts", [path.join(CORPORA, dir!), ...flags], env);
      expect(again.output).toMatch(/created 0, updated 0, unchanged [1-9]\d*, skipped 0/);
      expect(again.code).toBe(0);
    }
  });

  it("refuses a second server on the same data directory instead of corrupting it", async () => {
    const second = await runScript("scripts/server.ts", [], { DATA_DIR: server.dataDir, PORT: "1", NODE_ENV: "production" });
    expect(second.code).not.toBe(0);
    expect(second.output).toContain("is in use by the Drillbook server");
  });

  it("rejects invalid configuration with a message naming the variable", async () => {
    const run = await runScript("scripts/import.ts", ["content"], { DATA_DIR: server.dataDir, DATABASE_URL: "mysql://nope" });
    expect(run.code).toBe(2);
    expect(run.output).toContain("DATABASE_URL must look like postgres://");
  });
});

describe("HTTP API", () => {
  it("finds an alert runbook despite a typo", async () => {
    const body = await search("KubePodCrashLoping");
    const top3 = body.hits.slice(0, 3).map((h) => h.slug);
    expect(top3.some((slug) => slug.endsWith("/kubepodcrashlooping") || slug === "kubernetes-pod-crashloop")).toBe(true);
    expect(body.hits[0]).toMatchObject({ kind: "runbook" });
    expect(body.hits[0]!.url).toBe(`/docs/${body.hits[0]!.slug}`);
  });

  it("finds runbooks by an English symptom and by a Chinese phrase", async () => {
    const symptom = await search("filesystem almost out of space");
    expect(symptom.hits.slice(0, 3).map((h) => h.slug)).toContain(
      "kubesphere-alert-runbooks/content/runbooks/node/nodefilesystemalmostoutofspace",
    );
    const chinese = await search("主备延迟");
    expect(chinese.hits.slice(0, 3).map((h) => h.slug)).toContain("core-ledger-replication-lag");
    const corpusChinese = await search("证书过期");
    expect(corpusChinese.hits.slice(0, 3).some((h) => h.slug === "certificate-expiring-soon" || h.slug.includes("certificateexpiration"))).toBe(true);
  });

  it("filters by kind and returns facet counts and highlighted snippets", async () => {
    const body = await search("database failover", "&kind=contingency_plan");
    expect(body.total).toBeGreaterThan(0);
    expect(body.hits.every((h) => h.kind === "contingency_plan")).toBe(true);
    expect(body.facets.kind).toEqual({ contingency_plan: body.total });
    expect(body.hits.some((h) => h.snippet.includes("<mark>"))).toBe(true);
  });

  it("redirects an alert name to its runbook, case-insensitively, and 404s an unknown alert", async () => {
    const redirect = await fetch(`${server.url}/api/v1/runbooks/by-alert/KubePodCrashLooping`, { redirect: "manual" });
    expect(redirect.status).toBe(302);
    const location = redirect.headers.get("location")!;
    const runbook = await (await fetch(`${server.url}/api/v1/documents/${location.replace(/^.*\/docs\//, "")}`)).json();
    expect(runbook).toMatchObject({ kind: "runbook" });
    expect(runbook.alerts).toContain("KubePodCrashLooping");

    const lower = await fetch(`${server.url}/api/v1/runbooks/by-alert/kubepodcrashlooping`, { redirect: "manual" });
    expect(lower.headers.get("location")).toBe(location);

    const missing = await fetch(`${server.url}/api/v1/runbooks/by-alert/NoSuchAlertAnywhere`, { redirect: "manual" });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ alert: "NoSuchAlertAnywhere" });
  });

  it("returns a document as JSON with its revision, Markdown and HTML", async () => {
    const response = await fetch(`${server.url}/api/v1/documents/core-ledger-replication-lag`);
    expect(response.status).toBe(200);
    const doc = await response.json();
    expect(doc).toMatchObject({
      slug: "core-ledger-replication-lag",
      kind: "runbook",
      status: "published",
      systems: ["core-ledger"],
      sourcePath: "runbooks/core-ledger-replication-lag.md",
      revision: { number: 1, author: "importer" },
    });
    expect(doc.markdown).toContain("主备");
    expect(doc.html).toContain("<h2");
  });

  it("answers bad parameters with 400 and unknown slugs with 404", async () => {
    const badTier = await fetch(`${server.url}/api/v1/search?q=x&tier=9`);
    expect(badTier.status).toBe(400);
    expect((await badTier.json()).error).toMatch(/tier/);
    const badLimit = await fetch(`${server.url}/api/v1/search?q=x&limit=1000`);
    expect(badLimit.status).toBe(400);
    const unknown = await fetch(`${server.url}/api/v1/documents/no/such/doc`);
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error).toContain("no/such/doc");
  });
});

describe("pages in Chromium", () => {
  it("searches from the home page with '/', shows results and opens the runbook", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/systems`);
    // The "/" shortcut is a React effect: wait until the page is hydrated before pressing it.
    await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
    await page.keyboard.press("/");
    await page.keyboard.type("KubePodCrashLoping");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/search\?q=KubePodCrashLoping/);
    // The URL commits before React renders the results page: wait for the first hit.
    await page.locator(".hit-title").first().waitFor({ state: "visible" });
    const titles = await page.locator(".hit-title").allTextContents();
    expect(titles.length).toBeGreaterThan(0);
    expect(titles.slice(0, 3).join(" ")).toMatch(/Crash ?Loop/i);
    // Arrow down moves focus into the results; Enter opens the focused one.
    await page.locator('input[name="q"]').focus();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/docs\//);
    await expect(page.locator(".doc-header h1").textContent()).resolves.toMatch(/crash ?loop/i);
    expect(await page.locator("h1").count()).toBe(1);
    await page.close();
  });

  it("renders a runbook with contents, checkbox steps, code copy buttons, systems and backlinks", async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${server.url}/docs/core-ledger-replication-lag`);
    expect(response?.status()).toBe(200);
    expect(await page.locator(".toc a").count()).toBeGreaterThan(2);
    expect(await page.locator('.markdown input[type="checkbox"]').count()).toBeGreaterThan(0);
    expect(await page.locator(".markdown .copy-button").count()).toBeGreaterThan(0);
    await expect(page.locator(".doc-aside").textContent()).resolves.toContain("Core Ledger");
    expect(await page.locator(".doc-aside a[href^='/docs/']").count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(server.dataDir, "..", "drillbook-runbook.png"), fullPage: false });
    await page.close();
  });

  it("shows a system page with its SLA, dependencies both ways and documents by kind", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/systems/core-ledger`);
    const text = (await page.locator("main").textContent()) ?? "";
    expect(text).toContain("RTO");
    expect(text).toContain("Depends on");
    expect(text).toContain("Needed by");
    expect(text).toContain("Runbooks");
    expect(text).toContain("Contingency plans");
    await page.close();
  });

  it("answers an unknown page with a helpful 404", async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${server.url}/docs/does-not-exist`);
    expect(response?.status()).toBe(404);
    await expect(page.locator("main").textContent()).resolves.toContain("searching");
    await page.close();
  });
});
