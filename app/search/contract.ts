/**
 * The contract every `SearchEngine` must pass. Call it from the engine's test file:
 *
 * ```ts
 * searchEngineContract("embedded", async () => { const e = createEmbeddedSearchEngine(); await e.init(); return e; });
 * ```
 *
 * The suite loads `SEARCH_FIXTURES` with `replaceAll` once, runs the read-only checks, then the
 * write checks (each of which reloads the fixtures first). Expected sets and counts are computed
 * from the fixtures, so a check fails when the feature it names breaks.
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  BANKING_POSTMORTEM,
  BATCH_INSPECTION,
  DDOS_DRAFT,
  EVENT_BUS_DRILL,
  KUBE_CRASHLOOP,
  LEDGER_FAILOVER_ZH,
  LEDGER_LAG_EN,
  LEDGER_LAG_ZH,
  MAINFRAME_ARCHIVED,
  NODE_DISK,
  PAYMENTS_FAILOVER,
  PAYMENTS_TIMEOUTS,
  SEARCH_FIXTURES,
  TLS_CERT,
  WEBHOOK_ARTICLE,
} from "./fixtures";
import { FACET_NAMES, type Facets, type SearchDocument, type SearchEngine, type SearchFilters, type SearchResult } from "./types";

const byId = new Map(SEARCH_FIXTURES.map((d) => [d.id, d]));

/**
 * Registers a vitest `describe` block named `search engine contract: <name>`.
 *
 * @param makeEngine returns a ready (initialised) engine; called once, in `beforeAll`. The engine
 *   may be empty or not; the suite replaces its content with the fixtures.
 */
export function searchEngineContract(name: string, makeEngine: () => Promise<SearchEngine>): void {
  describe(`search engine contract: ${name}`, () => {
    let engine: SearchEngine;
    const search = (q: string, filters?: SearchFilters, page: { limit?: number; offset?: number } = {}) =>
      engine.search({ q, filters, ...page });
    const ids = (r: SearchResult) => r.hits.map((h) => h.id);
    const allIds = async (q: string, filters?: SearchFilters) => ids(await search(q, filters, { limit: 100 }));

    beforeAll(async () => {
      engine = await makeEngine();
      await engine.init();
      await engine.replaceAll([...SEARCH_FIXTURES]);
    });

    describe("relevance", () => {
      it("puts the runbook for an exact alert name first", async () => {
        const r = await search("KubePodCrashLooping");
        expect(r.hits[0]?.id).toBe(KUBE_CRASHLOOP.id);
        expect(r.hits[0]?.alerts).toEqual(["KubePodCrashLooping"]);
      });

      it("tolerates a typo in an alert name", async () => {
        expect((await allIds("KubePodCrashLoping")).slice(0, 3)).toContain(KUBE_CRASHLOOP.id);
      });

      it("matches the word being typed as a prefix", async () => {
        expect((await allIds("KubePodCra")).slice(0, 3)).toContain(KUBE_CRASHLOOP.id);
        expect((await allIds("replic")).slice(0, 3)).toContain(LEDGER_LAG_EN.id);
      });

      it("finds Chinese documents by Chinese phrases", async () => {
        expect((await allIds("主备延迟")).slice(0, 3)).toContain(LEDGER_LAG_ZH.id);
        expect((await allIds("数据库切换")).slice(0, 3)).toContain(LEDGER_FAILOVER_ZH.id);
      });

      it("finds runbooks by English symptom phrases", async () => {
        expect((await allIds("connection pool exhausted")).slice(0, 3)).toContain(PAYMENTS_TIMEOUTS.id);
        expect((await allIds("pod keeps restarting")).slice(0, 3)).toContain(KUBE_CRASHLOOP.id);
        expect((await allIds("stale balances")).slice(0, 3)).toContain(LEDGER_LAG_EN.id);
      });

      it("ranks a title match above a body-only match of the same word", async () => {
        const found = await allIds("certificate");
        expect(found).toContain(BANKING_POSTMORTEM.id);
        expect(found.indexOf(TLS_CERT.id)).toBeGreaterThanOrEqual(0);
        expect(found.indexOf(TLS_CERT.id)).toBeLessThan(found.indexOf(BANKING_POSTMORTEM.id));
      });

      it("ranks alert and tag matches above body-only matches", async () => {
        const byAlert = await allIds("NodeDiskPressure");
        expect(byAlert).toContain(BATCH_INSPECTION.id);
        expect(byAlert[0]).toBe(NODE_DISK.id);

        const byTag = await allIds("kafka");
        expect(byTag).toContain(WEBHOOK_ARTICLE.id);
        expect(byTag[0]).toBe(EVENT_BUS_DRILL.id);
      });
    });

    describe("filters", () => {
      const cases: [string, SearchFilters, (d: SearchDocument) => boolean][] = [
        ["kind", { kind: ["runbook", "postmortem"] }, (d) => d.kind === "runbook" || d.kind === "postmortem"],
        ["system", { system: ["core-ledger"] }, (d) => d.systems.includes("core-ledger")],
        ["team", { team: ["ops-team"] }, (d) => d.teams.includes("ops-team")],
        ["tier", { tier: [1] }, (d) => d.tiers.includes(1)],
        ["status", { status: ["draft"] }, (d) => d.status === "draft"],
      ];

      for (const [facet, filters, keep] of cases) {
        it(`narrows by ${facet}, with and without a query`, async () => {
          const visible = (d: SearchDocument) => (filters.status ? true : d.status !== "archived");
          const expected = SEARCH_FIXTURES.filter((d) => visible(d) && keep(d)).map((d) => d.id);
          expect(expected.length).toBeGreaterThan(0);
          expect(new Set(await allIds("", filters))).toEqual(new Set(expected));

          // With text: exactly the unfiltered matches that pass the filter.
          for (const q of ["database", "payment"]) {
            const unfiltered = await allIds(q);
            const filtered = await allIds(q, filters);
            expect(new Set(filtered)).toEqual(new Set(unfiltered.filter((id) => keep(byId.get(id)!))));
          }
        });
      }

      it("combines filters with AND and values within a filter with OR", async () => {
        const found = await allIds("", { system: ["core-ledger", "payment-gateway"], kind: ["contingency_plan"] });
        expect(new Set(found)).toEqual(new Set([LEDGER_FAILOVER_ZH.id, PAYMENTS_FAILOVER.id, DDOS_DRAFT.id]));
      });

      it("hides archived documents unless a status filter asks for them", async () => {
        expect(await allIds("mainframe")).not.toContain(MAINFRAME_ARCHIVED.id);
        expect(await allIds("")).not.toContain(MAINFRAME_ARCHIVED.id);
        expect(await allIds("mainframe", { status: ["archived"] })).toEqual([MAINFRAME_ARCHIVED.id]);
        expect(await allIds("", { status: ["published", "archived"] })).toContain(MAINFRAME_ARCHIVED.id);
      });

      it("shows drafts by default", async () => {
        expect(await allIds("scrubbing")).toContain(DDOS_DRAFT.id);
      });
    });

    describe("facets", () => {
      it("counts every match, not just the page", async () => {
        for (const q of ["", "database", "payment"]) {
          const everything = await allIds(q);
          const page = await search(q, undefined, { limit: 2 });
          expect(page.hits.length).toBeLessThanOrEqual(2);
          expect(page.total).toBe(everything.length);
          expect(page.facets).toEqual(expectedFacets(everything));
        }
      });

      it("counts after filters", async () => {
        const filters: SearchFilters = { tier: [1] };
        const everything = await allIds("", filters);
        const r = await search("", filters, { limit: 1 });
        expect(r.facets).toEqual(expectedFacets(everything));
        expect(r.facets.tier["1"]).toBe(everything.length);
      });
    });

    describe("hits", () => {
      it("highlights the matched word in the snippet and escapes the document's HTML", async () => {
        const r = await search("webhook");
        const hit = r.hits.find((h) => h.id === WEBHOOK_ARTICLE.id);
        expect(hit).toBeDefined();
        expect(hit!.snippet).toMatch(/<mark>webhook<\/mark>/i);
        expect(hit!.snippet).toContain("&lt;script&gt;");
        expect(hit!.snippet).not.toContain("<script");
        expect(hit!.titleHtml).toMatch(/<mark>Webhook<\/mark> retries &amp; backoff/);
      });

      it("highlights Chinese words in the original text", async () => {
        const r = await search("主备延迟");
        const hit = r.hits.find((h) => h.id === LEDGER_LAG_ZH.id);
        expect(hit?.snippet).toMatch(/<mark>主备<\/mark>/);
        expect(hit?.titleHtml).toMatch(/<mark>主备<\/mark>/);
      });

      it("never returns raw markup outside <mark>", async () => {
        for (const q of ["webhook", "script alert", "backoff", "kafka", "", "主备延迟", "KubePodCra"]) {
          for (const hit of (await search(q, undefined, { limit: 100 })).hits) {
            expect(stripMarks(hit.snippet)).not.toMatch(/[<>]/);
            expect(stripMarks(hit.titleHtml)).not.toMatch(/[<>]/);
          }
        }
      });

      it("returns the document's fields", async () => {
        const hit = (await search("KubePodCrashLooping")).hits[0];
        expect(hit).toMatchObject({
          id: KUBE_CRASHLOOP.id,
          slug: KUBE_CRASHLOOP.slug,
          title: KUBE_CRASHLOOP.title,
          kind: "runbook",
          status: "published",
          systems: ["k8s-platform"],
          sourcePath: KUBE_CRASHLOOP.sourcePath,
          updatedAt: KUBE_CRASHLOOP.updatedAt,
        });
      });

      it("lists every visible document, newest first, for an empty query", async () => {
        const r = await search("", undefined, { limit: 100 });
        const visible = SEARCH_FIXTURES.filter((d) => d.status !== "archived");
        expect(r.total).toBe(visible.length);
        const dates = r.hits.map((h) => h.updatedAt);
        expect(dates).toEqual([...visible.map((d) => d.updatedAt)].sort().reverse());
        expect(r.tookMs).toBeGreaterThanOrEqual(0);
      });

      it("pages with limit and offset", async () => {
        for (const q of ["", "payment"]) {
          const all = await allIds(q);
          const size = 3;
          expect(all.length).toBeGreaterThan(size);
          const pages: string[] = [];
          for (let offset = 0; offset < all.length; offset += size) {
            const r = await search(q, undefined, { limit: size, offset });
            expect(r.hits.length).toBe(Math.min(size, all.length - offset));
            expect(r.total).toBe(all.length);
            pages.push(...ids(r));
          }
          expect(pages).toEqual(all);
          expect((await search(q, undefined, { limit: size, offset: all.length })).hits).toEqual([]);
        }
      });
    });

    describe("writes", () => {
      it("reports the document count in health", async () => {
        await engine.replaceAll([...SEARCH_FIXTURES]);
        const health = await engine.health();
        expect(health).toMatchObject({ ok: true, engine: engine.name, documents: SEARCH_FIXTURES.length });
      });

      it("upsert replaces a document by id", async () => {
        await engine.replaceAll([...SEARCH_FIXTURES]);
        expect(await allIds("failover")).toContain(PAYMENTS_FAILOVER.id);
        await engine.upsert([
          { ...PAYMENTS_FAILOVER, title: "Zebra switchover drill card", body: "Nothing about databases.", tags: [], headings: [] },
        ]);
        expect((await allIds("zebra"))[0]).toBe(PAYMENTS_FAILOVER.id);
        expect(await allIds("failover")).not.toContain(PAYMENTS_FAILOVER.id);
        expect((await engine.health()).documents).toBe(SEARCH_FIXTURES.length);
      });

      it("upsert adds new documents", async () => {
        await engine.replaceAll([...SEARCH_FIXTURES]);
        await engine.upsert([{ ...TLS_CERT, id: "rb-new-hsm", slug: "rb-new-hsm", title: "HSM partition full", alerts: ["HsmPartitionFull"] }]);
        expect((await allIds("HsmPartitionFull"))[0]).toBe("rb-new-hsm");
        expect((await engine.health()).documents).toBe(SEARCH_FIXTURES.length + 1);
      });

      it("remove makes documents unfindable and ignores unknown ids", async () => {
        await engine.replaceAll([...SEARCH_FIXTURES]);
        await engine.remove([KUBE_CRASHLOOP.id, "no-such-document"]);
        expect(await allIds("KubePodCrashLooping")).not.toContain(KUBE_CRASHLOOP.id);
        expect(await allIds("")).not.toContain(KUBE_CRASHLOOP.id);
        expect((await engine.health()).documents).toBe(SEARCH_FIXTURES.length - 1);
      });

      it("returns 20 hits by default and at most 100", async () => {
        const extra = Array.from({ length: 110 }, (_, i) => ({
          ...NODE_DISK,
          id: `filler-${i}`,
          slug: `filler-${i}`,
          title: `Filler runbook ${i}`,
          alerts: [],
          updatedAt: new Date(Date.UTC(2020, 0, 1) + i * 60_000).toISOString(),
        }));
        await engine.replaceAll([...SEARCH_FIXTURES, ...extra]);
        const visible = SEARCH_FIXTURES.length - 1 + extra.length;
        const byDefault = await search("");
        expect(byDefault.hits.length).toBe(20);
        expect(byDefault.total).toBe(visible);
        expect((await search("", undefined, { limit: 1000 })).hits.length).toBe(100);
        expect((await search("filler", undefined, { limit: 1000 })).hits.length).toBe(100);
      });

      it("replaceAll replaces the whole index", async () => {
        await engine.replaceAll([KUBE_CRASHLOOP, PAYMENTS_TIMEOUTS]);
        expect((await engine.health()).documents).toBe(2);
        expect(new Set(await allIds(""))).toEqual(new Set([KUBE_CRASHLOOP.id, PAYMENTS_TIMEOUTS.id]));
        expect(await allIds("certificate")).toEqual([]);
        await engine.replaceAll([...SEARCH_FIXTURES]);
        expect((await engine.health()).documents).toBe(SEARCH_FIXTURES.length);
      });
    });
  });
}

/** Facet counts computed by hand from the fixtures, for the given matching ids. */
function expectedFacets(matchIds: readonly string[]): Facets {
  const facets = Object.fromEntries(FACET_NAMES.map((f) => [f, {} as Record<string, number>])) as Facets;
  const add = (bucket: Record<string, number>, v: string | number) => {
    bucket[v] = (bucket[v] ?? 0) + 1;
  };
  for (const id of matchIds) {
    const d = byId.get(id)!;
    add(facets.kind, d.kind);
    add(facets.status, d.status);
    for (const v of new Set(d.systems)) add(facets.system, v);
    for (const v of new Set(d.teams)) add(facets.team, v);
    for (const v of new Set(d.tiers)) add(facets.tier, v);
  }
  return facets;
}

function stripMarks(html: string): string {
  return html.replaceAll("<mark>", "").replaceAll("</mark>", "");
}
