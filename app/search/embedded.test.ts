import { describe, expect, it } from "vitest";
import { searchEngineContract } from "./contract";
import { createEmbeddedSearchEngine, typoBudget } from "./embedded.server";
import { KUBE_CRASHLOOP, LEDGER_LAG_EN, PAYMENTS_TIMEOUTS, SEARCH_FIXTURES } from "./fixtures";

searchEngineContract("embedded", async () => {
  const e = createEmbeddedSearchEngine();
  await e.init();
  return e;
});

async function loaded() {
  const e = createEmbeddedSearchEngine();
  await e.init();
  await e.replaceAll([...SEARCH_FIXTURES]);
  return e;
}

describe("embedded engine specifics", () => {
  it("budgets typos by word length like Meilisearch", () => {
    expect(typoBudget("pods")).toBe(false);
    expect(typoBudget("crash")).toBe(1);
    expect(typoBudget("failover")).toBe(1);
    expect(typoBudget("replicati")).toBe(2);
    expect(typoBudget("数据库主备切换")).toBe(false);
    expect(typoBudget("kubepodcrashlooping")).toBe(2);
  });

  it("does not correct typos in short words", async () => {
    const e = await loaded();
    expect((await e.search({ q: "pdo" })).total).toBe(0);
    expect((await e.search({ q: "pod" })).total).toBeGreaterThan(0);
  });

  it("falls back to OR when no document has every word", async () => {
    const e = await loaded();
    const r = await e.search({ q: "KubePodCrashLooping xylophone" });
    expect(r.hits[0]?.id).toBe(KUBE_CRASHLOOP.id);
  });

  it("keeps AND when some document has every word", async () => {
    const e = await loaded();
    const r = await e.search({ q: "connection pool exhausted" });
    expect(r.hits.map((h) => h.id)).toEqual([PAYMENTS_TIMEOUTS.id]);
  });

  it("finds an alert by a CamelCase fragment of its name", async () => {
    const e = await loaded();
    expect((await e.search({ q: "CrashLooping" })).hits[0]?.id).toBe(KUBE_CRASHLOOP.id);
    expect((await e.search({ q: "ReplicationLag" })).hits.map((h) => h.id)).toContain(LEDGER_LAG_EN.id);
  });

  it("matches only the last word as a prefix by default", async () => {
    const e = await loaded();
    // "replic" as the last word is a prefix of "replication"; not as the first of two words.
    expect((await e.search({ q: "stale replic" })).hits[0]?.id).toBe(LEDGER_LAG_EN.id);
    const notLast = await e.search({ q: "replic stale" });
    expect(notLast.hits[0]?.id).toBe(LEDGER_LAG_EN.id); // found through "stale" (OR fallback)
    const all = createEmbeddedSearchEngine({ prefix: "all" });
    await all.replaceAll([...SEARCH_FIXTURES]);
    expect((await all.search({ q: "replic stale" })).total).toBe(1);
  });

  it("highlights fuzzy and prefix matches with the document's own spelling", async () => {
    const e = await loaded();
    const hit = (await e.search({ q: "stale replic" })).hits[0];
    expect(hit.titleHtml).toBe("Core ledger database <mark>replication</mark> lag");
    const typo = (await e.search({ q: "exhausetd" })).hits[0];
    expect(typo.snippet).toContain("<mark>exhausted</mark>");
  });

  it("clamps limit and offset", async () => {
    const e = await loaded();
    expect((await e.search({ q: "", limit: -5 })).hits).toEqual([]);
    expect((await e.search({ q: "", offset: -3, limit: 2 })).hits.length).toBe(2);
  });

  it("keeps answering from the old index while replaceAll rebuilds", async () => {
    const e = await loaded();
    const pending = e.replaceAll([KUBE_CRASHLOOP]);
    expect((await e.search({ q: "" })).total).toBe(SEARCH_FIXTURES.length - 1);
    await pending;
    expect((await e.search({ q: "" })).total).toBe(1);
  });

  it("prunes AND queries by their rarest word and by filters without changing the result", async () => {
    const e = await loaded();
    const filters = [{ system: ["core-ledger"] }, { kind: ["runbook"] }, { tier: [1], team: ["payments-team"] }];
    for (const q of ["database replication lag", "payment gateway timeouts", "core ledger", "connection pool", "主备 延迟"]) {
      const unfiltered = await e.search({ q, limit: 100 });
      expect(unfiltered.total).toBeGreaterThan(0);
      for (const f of filters) {
        const filtered = await e.search({ q, filters: f, limit: 100 });
        const byId = new Map(SEARCH_FIXTURES.map((d) => [d.id, d]));
        const keep = (id: string) => {
          const d = byId.get(id)!;
          return (
            (!("system" in f) || d.systems.some((s) => f.system!.includes(s))) &&
            (!("kind" in f) || f.kind!.includes(d.kind)) &&
            (!("tier" in f) || d.tiers.some((t) => f.tier!.includes(t))) &&
            (!("team" in f) || d.teams.some((t) => f.team!.includes(t)))
          );
        };
        const expected = unfiltered.hits.map((h) => h.id).filter(keep);
        // Same documents in the same order, unless AND matched nothing and OR took over.
        if (expected.length > 0) expect(filtered.hits.map((h) => h.id)).toEqual(expected);
      }
    }
  });

  it("applies writes in call order", async () => {
    const e = await loaded();
    const a = e.replaceAll([KUBE_CRASHLOOP]);
    const b = e.upsert([PAYMENTS_TIMEOUTS]);
    await Promise.all([a, b]);
    expect((await e.health()).documents).toBe(2);
  });
});
