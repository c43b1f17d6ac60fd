import { describe, expect, it } from "vitest";
import { camelParts, findTermSpans, hasHan, queryWords, tokenize } from "./tokenize";

describe("tokenize", () => {
  it("lower-cases and splits Latin text on non-letters, keeping digits with words", () => {
    expect(tokenize("Check IPv4 routes on core-ledger (node_exporter), HTTP 504!")).toEqual([
      "check",
      "ipv4",
      "routes",
      "on",
      "core",
      "ledger",
      "node",
      "exporter",
      "http",
      "504",
    ]);
  });

  it("drops one-character Latin tokens", () => {
    expect(tokenize("a b c db x1 9")).toEqual(["db", "x1"]);
  });

  it("keeps CamelCase alert names whole and adds their parts", () => {
    expect(tokenize("KubePodCrashLooping")).toEqual(["kubepodcrashlooping", "kube", "pod", "crash", "looping"]);
    expect(tokenize("HTTPServerErrors5xx")).toEqual(["httpservererrors5xx", "http", "server", "errors5xx"]);
    expect(tokenize("MySQLReplicationLagHigh")).toEqual(["mysqlreplicationlaghigh", "my", "sql", "replication", "lag", "high"]);
  });

  it("does not split acronyms with a lower-case letter or ALL-CAPS words", () => {
    expect(tokenize("IPv4 iOS OOMKILLED oomkilled")).toEqual(["ipv4", "ios", "oomkilled", "oomkilled"]);
  });

  it("segments Chinese with jieba search mode", () => {
    const terms = tokenize("核心账务数据库主备延迟");
    expect(terms).toEqual(expect.arrayContaining(["核心", "账务", "数据库", "主备", "延迟"]));
    // search mode also emits the dictionary sub-words, so a query for 数据 finds 数据库
    expect(terms).toContain("数据");
  });

  it("drops punctuation and single-character function words from Chinese", () => {
    const terms = tokenize("支付网关超时，请检查连接池。的");
    expect(terms).not.toContain("，");
    expect(terms).not.toContain("。");
    expect(terms).not.toContain("请");
    expect(terms).not.toContain("的");
    expect(terms).toEqual(expect.arrayContaining(["支付", "网关", "超时", "检查", "连接池"]));
  });

  it("handles mixed Chinese and English", () => {
    expect(tokenize("Pod 处于 CrashLooping 状态")).toEqual(["pod", "处于", "crashlooping", "crash", "looping", "状态"]);
    expect(tokenize("MySQL主备延迟")).toEqual(["mysql", "my", "sql", "主备", "延迟"]);
  });

  it("normalises full-width characters", () => {
    expect(tokenize("ＩＰｖ４ 地址")).toEqual(["ipv4", "地址"]);
  });

  it("returns nothing for empty or punctuation-only text", () => {
    expect(tokenize("")).toEqual([]);
    expect(tokenize(" -- ，。!? ")).toEqual([]);
  });
});

describe("camelParts", () => {
  it("returns parts with offsets", () => {
    expect(camelParts("KubePodCrash")).toEqual([
      { text: "Kube", start: 0 },
      { text: "Pod", start: 4 },
      { text: "Crash", start: 7 },
    ]);
    expect(camelParts("kube")).toEqual([]);
  });
});

describe("queryWords", () => {
  it("marks the last Latin word as a prefix and keeps CamelCase parts", () => {
    expect(queryWords("stale KubePodCra")).toEqual([
      { whole: "stale", parts: [], prefix: false },
      { whole: "kubepodcra", parts: ["kube", "pod", "cra"], prefix: true },
    ]);
  });

  it("does not prefix Chinese segments or a word followed by Chinese", () => {
    const words = queryWords("replication 主备延迟");
    expect(words.every((w) => !w.prefix)).toBe(true);
    expect(words.map((w) => w.whole)).toEqual(["replication", "主备", "延迟"]);
  });

  it("removes duplicates and blank input", () => {
    expect(queryWords("pod Pod POD").map((w) => w.whole)).toEqual(["pod"]);
    expect(queryWords("   ")).toEqual([]);
  });
});

describe("findTermSpans", () => {
  it("finds whole words, CamelCase parts and Han substrings in the original text", () => {
    const text = "KubePodCrashLooping: 主备延迟 on Pod";
    const spans = findTermSpans(text, ["crash", "主备", "pod"]);
    expect(spans.map((s) => text.slice(s.start, s.end))).toEqual(["Pod", "Crash", "主备", "Pod"]);
  });

  it("prefers the longer Han term when terms overlap", () => {
    const text = "数据库切换";
    expect(findTermSpans(text, ["数据", "数据库"]).map((s) => text.slice(s.start, s.end))).toEqual(["数据库"]);
  });

  it("finds nothing without terms", () => {
    expect(findTermSpans("anything", [])).toEqual([]);
  });

  it("skips occurrences that are not at word or case boundaries", () => {
    const text = "Podcast about pods, a Pod and kubePod";
    expect(findTermSpans(text, ["pod"]).map((s) => s.start)).toEqual([22, 34]);
  });

  it("finds terms anywhere in long texts, across the parts lower-cased one after another", () => {
    const filler = "lorem ipsum ".repeat(200); // 2,400 characters
    const text = `${filler.slice(0, 1020)}REPLICATION lag ${filler}Replication ${filler}replication`;
    const spans = findTermSpans(text, ["replication", "lag"]);
    expect(spans.map((s) => text.slice(s.start, s.end))).toEqual(["REPLICATION", "lag", "Replication", "replication"]);
  });

  it("stops once the last stopWithin characters hold every term", () => {
    const text = `alpha ${"x ".repeat(100)}alpha beta ${"y ".repeat(100)}alpha beta`;
    expect(findTermSpans(text, ["alpha", "beta"], 20).map((s) => s.term)).toEqual(["alpha", "alpha", "beta"]);
  });

  it("matches case-insensitively where lower-casing changes the length", () => {
    const text = "İstanbul DNS outage";
    expect(findTermSpans(text, ["dns"]).map((s) => text.slice(s.start, s.end))).toEqual(["DNS"]);
    const greek = "ΣΥΣΤΗΜΑΣ down";
    expect(findTermSpans(greek, ["συστημας"]).map((s) => greek.slice(s.start, s.end))).toEqual(["ΣΥΣΤΗΜΑΣ"]);
  });
});

describe("hasHan", () => {
  it("detects Han characters", () => {
    expect(hasHan("abc")).toBe(false);
    expect(hasHan("abc切换")).toBe(true);
  });
});
