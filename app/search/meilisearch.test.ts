import { afterAll, describe, expect, it } from "vitest";
import { Meilisearch } from "meilisearch";
import { searchEngineContract } from "./contract";
import { createMeilisearchEngine, meilisearchSettings, toMeiliFilter } from "./meilisearch.server";

const MEILI_URL = process.env.MEILI_URL;

if (MEILI_URL) {
  // One index per run, so parallel runs and leftovers never collide; deleted afterwards.
  const indexUid = `drillbook_test_${Date.now()}_${process.pid}`;
  const apiKey = process.env.MEILI_API_KEY;

  searchEngineContract("meilisearch", async () => {
    const engine = createMeilisearchEngine({ url: MEILI_URL, apiKey, indexUid });
    await engine.init();
    return engine;
  });

  afterAll(async () => {
    await new Meilisearch({ host: MEILI_URL, apiKey }).deleteIndexIfExists(indexUid);
  });
}

describe("meilisearchSettings", () => {
  const settings = meilisearchSettings();

  it("searches fields in ranking order", () => {
    expect(settings.searchableAttributes).toEqual(["title", "alerts", "tags", "headings", "systemNames", "body"]);
  });

  it("makes the facet fields filterable and the list fields sortable", () => {
    expect(settings.filterableAttributes).toEqual(["kind", "status", "systems", "teams", "tiers"]);
    expect(settings.sortableAttributes).toEqual(["updatedAt", "title"]);
  });

  it("ranks by attribute before proximity and keeps sort for the empty query", () => {
    const rules = settings.rankingRules!;
    expect(rules.indexOf("attribute")).toBeLessThan(rules.indexOf("proximity"));
    expect(rules).toEqual(expect.arrayContaining(["words", "typo", "attribute", "proximity", "sort", "exactness"]));
  });

  it("tolerates typos like the embedded engine and declares Chinese and English", () => {
    expect(settings.typoTolerance).toMatchObject({ enabled: true, minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 } });
    expect(settings.localizedAttributes).toEqual([{ attributePatterns: ["*"], locales: ["cmn", "eng"] }]);
    expect(settings.faceting?.maxValuesPerFacet).toBeGreaterThanOrEqual(100);
  });
});

describe("toMeiliFilter", () => {
  it("excludes archived documents by default", () => {
    expect(toMeiliFilter()).toBe('status != "archived"');
    expect(toMeiliFilter({ kind: [] })).toBe('status != "archived"');
  });

  it("ORs values with IN and ANDs filters, mapping facet names to fields", () => {
    expect(
      toMeiliFilter({ kind: ["runbook", "postmortem"], system: ["core-ledger"], team: ["ops-team"], tier: [1, 2], status: ["draft"] }),
    ).toBe('kind IN ["runbook", "postmortem"] AND systems IN ["core-ledger"] AND teams IN ["ops-team"] AND tiers IN [1, 2] AND status IN ["draft"]');
  });

  it("escapes quotes and backslashes in values", () => {
    expect(toMeiliFilter({ system: ['evil" OR status = "archived', "back\\slash"] })).toBe(
      'systems IN ["evil\\" OR status = \\"archived", "back\\\\slash"] AND status != "archived"',
    );
  });

  it("rejects non-integer tiers", () => {
    expect(() => toMeiliFilter({ tier: [Number.NaN] })).toThrow(/tier must be an integer/);
    expect(() => toMeiliFilter({ tier: ["1 OR 1" as unknown as number] })).toThrow(/tier/);
  });
});

describe("Meilisearch engine against an unreachable server (no server needed)", () => {
  // Port 9 (discard) on loopback: connection refused at once.
  const engine = createMeilisearchEngine({ url: "http://127.0.0.1:9", indexUid: "unreachable" });

  it("throws errors that name MEILI_URL", async () => {
    await expect(engine.search({ q: "x" })).rejects.toThrow(/MEILI_URL=http:\/\/127\.0\.0\.1:9.*unreachable/);
    await expect(engine.upsert([{ id: "a" } as never])).rejects.toThrow(/MEILI_URL/);
    await expect(engine.init()).rejects.toThrow(/MEILI_URL/);
  });

  it("reports an unhealthy engine instead of throwing from health()", async () => {
    const health = await engine.health();
    expect(health).toMatchObject({ ok: false, engine: "meilisearch", documents: 0 });
    expect(health.detail).toMatch(/MEILI_URL/);
  });
});
