import { describe, expect, it } from "vitest";
import { escapeHtml, highlightHtml, markSentinels, snippetHtml } from "./highlight";

describe("escapeHtml", () => {
  it("escapes the five HTML-special characters", () => {
    expect(escapeHtml(`<a href="x">Tom & Jerry's</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
  });
});

describe("highlightHtml", () => {
  it("marks matched terms and escapes the rest", () => {
    expect(highlightHtml("Webhook retries & <b>backoff</b>", ["webhook", "backoff"])).toBe(
      "<mark>Webhook</mark> retries &amp; &lt;b&gt;<mark>backoff</mark>&lt;/b&gt;",
    );
  });

  it("marks Chinese words inside a run", () => {
    expect(highlightHtml("核心账务数据库主备延迟", ["主备", "延迟"])).toBe("核心账务数据库<mark>主备</mark><mark>延迟</mark>");
  });
});

describe("snippetHtml", () => {
  const filler = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(" ");

  it("returns short text whole", () => {
    expect(snippetHtml("Restart the pod.", ["pod"])).toBe("Restart the <mark>pod</mark>.");
  });

  it("cuts about 160 characters around the match, between words, with ellipses", () => {
    const text = `${filler(60)} the connection pool is exhausted ${filler(60)}`;
    const s = snippetHtml(text, ["exhausted"]);
    expect(s.startsWith("…")).toBe(true);
    expect(s.endsWith("…")).toBe(true);
    expect(s).toContain("<mark>exhausted</mark>");
    const plain = s.replace(/<\/?mark>/g, "").replace(/…/g, "");
    expect(plain.length).toBeLessThanOrEqual(161);
    expect(plain.length).toBeGreaterThan(120);
    expect(text).toContain(plain.trim()); // no word cut in half
  });

  it("prefers the window with the most distinct matched terms", () => {
    const text = `pool ${filler(80)} connection pool exhausted ${filler(80)}`;
    const s = snippetHtml(text, ["pool", "connection", "exhausted"]);
    expect(s).toContain("<mark>connection</mark> <mark>pool</mark> <mark>exhausted</mark>");
  });

  it("starts at the beginning when nothing matched, and escapes", () => {
    const s = snippetHtml(`<script>x</script> ${filler(80)}`, []);
    expect(s.startsWith("&lt;script&gt;x&lt;/script&gt; word0")).toBe(true);
    expect(s.endsWith("…")).toBe(true);
  });

  it("collapses whitespace and handles empty text", () => {
    expect(snippetHtml("a\n\n  b", [])).toBe("a b");
    expect(snippetHtml("", ["x"])).toBe("");
  });
});

describe("markSentinels", () => {
  it("escapes first, then turns sentinels into <mark>", () => {
    expect(markSentinels("\u0001Web<hook>\u0002 & <script>", "\u0001", "\u0002")).toBe(
      "<mark>Web&lt;hook&gt;</mark> &amp; &lt;script&gt;",
    );
  });

  it("closes an unbalanced mark and drops a stray closing sentinel", () => {
    expect(markSentinels("a\u0002 \u0001b", "\u0001", "\u0002")).toBe("a <mark>b</mark>");
  });
});
