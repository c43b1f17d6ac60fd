import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { Parser } from "htmlparser2";
import { describe, expect, it } from "vitest";
import {
  extractWikiLinks,
  firstHeading,
  markdownToPlainText,
  normalizeWikiSlug,
  renderMarkdown,
  sanitizeRenderedHtml,
} from "./markdown";
import { XSS_PAYLOADS } from "./xss-payloads";

const CORPORA = path.resolve(__dirname, "../../../shared/corpora");

interface ParsedTag {
  name: string;
  attribs: Record<string, string>;
}

/** Every start tag in `html`, attribute values entity-decoded (as a browser sees them). */
function parseTags(html: string): ParsedTag[] {
  const tags: ParsedTag[] = [];
  const parser = new Parser(
    { onopentag: (name, attribs) => tags.push({ name, attribs }) },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return tags;
}

/** Deepest nesting of `<a>` elements in `html` (1 = links, none inside another). */
function maxAnchorDepth(html: string): number {
  let depth = 0;
  let max = 0;
  const parser = new Parser({
    onopentag: (name) => {
      if (name === "a") max = Math.max(max, ++depth);
    },
    onclosetag: (name) => {
      if (name === "a") depth--;
    },
  });
  parser.write(html);
  parser.end();
  return max;
}

function tagsNamed(html: string, name: string): ParsedTag[] {
  return parseTags(html).filter((t) => t.name === name);
}

/** What a browser would take as the scheme: tabs/newlines/control chars are ignored by URL parsing. */
function urlForSchemeCheck(value: string): string {
  let decoded = value;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    // keep raw
  }
  // eslint-disable-next-line no-control-regex
  return decoded.replace(/[\u0000-\u0020\u007f-\u009f]+/g, "").toLowerCase();
}

const ALLOWED_TAGS = new Set([
  "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "ul", "ol", "li", "pre", "code",
  "span", "em", "strong", "s", "a", "img", "table", "thead", "tbody", "tr", "th", "td", "div",
  "button", "input", "label",
]);
const URL_ATTRIBUTES = ["href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcset"];

/** The XSS assertions applied to every rendered payload and corpus file. */
function expectSafeHtml(html: string): void {
  expect(html).not.toMatch(/<\s*\/?\s*(script|iframe|object|embed|style|svg|math|base|meta|form|frame|link)\b/i);
  for (const tag of parseTags(html)) {
    expect(ALLOWED_TAGS, `unexpected <${tag.name}>`).toContain(tag.name);
    for (const [name, value] of Object.entries(tag.attribs)) {
      expect(name, `<${tag.name} ${name}=…>`).not.toMatch(/^on/);
      expect(["style", "target", "srcdoc", "formaction"], `<${tag.name} ${name}>`).not.toContain(name);
      if (URL_ATTRIBUTES.includes(name)) {
        expect(urlForSchemeCheck(value), `<${tag.name} ${name}="${value}">`).not.toMatch(
          /^(javascript|vbscript|data|file):/,
        );
      }
    }
  }
}

function corpusFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...corpusFiles(full));
    else if (entry.endsWith(".md") || !entry.includes(".")) out.push(full);
  }
  return out.sort();
}

describe("renderMarkdown: GFM basics", () => {
  it("renders tables with alignment as classes (no style attribute)", () => {
    const { html } = renderMarkdown("| Step | Owner |\n|:-----|------:|\n| Fail over | DBA |\n");
    expect(tagsNamed(html, "table")).toHaveLength(1);
    expect(html).toContain('<th class="align-left">Step</th>');
    expect(html).toContain('<td class="align-right">DBA</td>');
    expect(html).not.toContain("style=");
  });

  it("renders HTML entities in table cells as the character (&amp; shows as &)", () => {
    const { html } = renderMarkdown("| Time | Event |\n|---|---|\n| 19:00 | advise S&amp;O &lt;team&gt; |\n");
    expect(html).toContain("advise S&amp;O &lt;team&gt;");
    expect(html).not.toContain("&amp;amp;");
    expect(html).not.toContain("<team>");
  });

  it("shows raw HTML in the source as text (html: false)", () => {
    const { html } = renderMarkdown('<b class="x">bold</b>\n\n<div>\nblock\n</div>\n');
    expect(html).toContain("&lt;b class=\"x\"&gt;bold&lt;/b&gt;");
    expect(html).toContain("&lt;div&gt;");
    expect(tagsNamed(html, "b")).toHaveLength(0);
    expect(tagsNamed(html, "div")).toHaveLength(0);
  });

  it("renders strikethrough and emphasis", () => {
    const { html } = renderMarkdown("~~old~~ **new** _now_");
    expect(html).toContain("<s>old</s> <strong>new</strong> <em>now</em>");
  });

  it("turns bare http(s) URLs into links but not file names that look like domains", () => {
    const { html } = renderMarkdown("See https://status.example.com and NodeFilesystemFilesFillingUp.md");
    expect(tagsNamed(html, "a").map((a) => a.attribs.href)).toEqual(["https://status.example.com"]);
  });
});

describe("renderMarkdown: task lists", () => {
  it("renders runbook steps as disabled checkboxes with a class a client script can find", () => {
    const { html } = renderMarkdown("- [ ] Freeze postings\n- [x] Notify duty manager\n- plain item\n");
    const boxes = tagsNamed(html, "input");
    expect(boxes).toHaveLength(2);
    for (const box of boxes) {
      expect(box.attribs.type).toBe("checkbox");
      expect(box.attribs.class).toBe("task-list-item-checkbox");
      expect(box.attribs).toHaveProperty("disabled");
    }
    expect(boxes[0].attribs).not.toHaveProperty("checked");
    expect(boxes[1].attribs).toHaveProperty("checked");
    expect(tagsNamed(html, "li").filter((li) => li.attribs.class === "task-list-item")).toHaveLength(2);
    expect(html).toContain("Freeze postings");
    expect(html).not.toContain("[ ]");
  });
});

describe("renderMarkdown: headings and table of contents", () => {
  it("gives headings stable ids and lists h2-h4 in the TOC", () => {
    const { html, toc } = renderMarkdown(
      "# Title\n\n## Impact\n\n### Check the `pg_wal` volume\n\n#### Deep\n\n##### Too deep\n",
    );
    expect(html).toContain('<h1 id="title">Title</h1>');
    expect(html).toContain('<h2 id="impact">Impact</h2>');
    expect(toc).toEqual([
      { level: 2, text: "Impact", id: "impact" },
      { level: 3, text: "Check the pg_wal volume", id: "check-the-pg_wal-volume" },
      { level: 4, text: "Deep", id: "deep" },
    ]);
  });

  it("keeps Chinese characters in ids and drops punctuation", () => {
    const { html, toc } = renderMarkdown("# 告警\n\n## 告警解释\n\n## 处置步骤：主备切换\n");
    expect(toc).toEqual([
      { level: 2, text: "告警解释", id: "告警解释" },
      { level: 2, text: "处置步骤：主备切换", id: "处置步骤主备切换" },
    ]);
    expect(tagsNamed(html, "h2").map((h) => h.attribs.id)).toEqual(["告警解释", "处置步骤主备切换"]);
  });

  it("dedupes repeated headings", () => {
    const { toc } = renderMarkdown("## Steps\n\n## Steps\n\n## Steps\n");
    expect(toc.map((t) => t.id)).toEqual(["steps", "steps-1", "steps-2"]);
    expect(new Set(toc.map((t) => t.id)).size).toBe(3);
  });

  it("lists h1 sections when a document uses several h1s", () => {
    const { toc } = renderMarkdown("# Purpose and Scope\n\ntext\n\n# Policy\n\n## Relocation\n");
    expect(toc.map((t) => [t.level, t.id])).toEqual([
      [1, "purpose-and-scope"],
      [1, "policy"],
      [2, "relocation"],
    ]);
  });

  it("gives symbol-only headings a fallback id", () => {
    const { toc } = renderMarkdown("## !!!\n\n## ???\n");
    expect(toc.map((t) => t.id)).toEqual(["section", "section-1"]);
  });
});

describe("renderMarkdown: code blocks", () => {
  it("highlights a known language and wraps it for a copy button", () => {
    const { html } = renderMarkdown("```bash\necho \"lag\" && patronictl list\n```\n");
    expect(html).toMatch(
      /^<div class="code-block"><button type="button" class="copy-button" data-copy(="")?>Copy<\/button><pre><code class="hljs language-bash">/,
    );
    expect(html).toContain('<span class="hljs-built_in">echo</span>');
    expect(html).toContain("&amp;&amp;");
    expect(html.trim()).toMatch(/<\/code><\/pre><\/div>$/);
  });

  it("escapes an unknown language without highlighting", () => {
    const { html } = renderMarkdown("```promql\nrate(x{job=\"<api>\"}[5m]) & 1\n```\n");
    expect(html).toContain('<code class="hljs language-promql">');
    expect(html).toContain('rate(x{job="&lt;api&gt;"}[5m]) &amp; 1');
    expect(html).not.toContain("hljs-");
  });

  it("wraps fences without a language and indented code the same way", () => {
    const { html } = renderMarkdown("```\n<b>x</b>\n```\n\n    indented <i>\n");
    expect(tagsNamed(html, "button")).toHaveLength(2);
    expect(tagsNamed(html, "code").map((c) => c.attribs.class)).toEqual(["hljs", "hljs"]);
    expect(html).toContain("&lt;b&gt;x&lt;/b&gt;");
  });
});

describe("renderMarkdown: callouts", () => {
  const cases = [
    ["NOTE", "callout-note", "Note"],
    ["TIP", "callout-tip", "Tip"],
    ["IMPORTANT", "callout-important", "Important"],
    ["WARNING", "callout-warning", "Warning"],
    ["CAUTION", "callout-caution", "Caution"],
    ["DANGER", "callout-danger", "Danger"],
  ] as const;
  for (const [marker, cls, title] of cases) {
    it(`renders > [!${marker}] as div.callout.${cls} with a title`, () => {
      const { html } = renderMarkdown(`> [!${marker}]\n> Do **not** restart the primary.\n`);
      expect(html).toContain(`<div class="callout ${cls}">`);
      expect(html).toContain(`<p class="callout-title">${title}</p>`);
      expect(html).toContain("<p>Do <strong>not</strong> restart the primary.</p>");
      expect(html).not.toContain("<blockquote>");
      expect(html).not.toContain(`[!${marker}]`);
    });
  }

  it("accepts lower-case markers and callouts nested in a list step", () => {
    const { html } = renderMarkdown("1. Fail over\n   > [!warning]\n   > Check the lag first.\n");
    expect(html).toContain('<div class="callout callout-warning">');
    expect(html.indexOf("<li>")).toBeLessThan(html.indexOf("callout-warning"));
  });

  it("leaves ordinary and unknown-type blockquotes as blockquotes", () => {
    const { html } = renderMarkdown("> [!BOGUS]\n> text\n\n> plain quote\n");
    expect(tagsNamed(html, "blockquote")).toHaveLength(2);
    expect(html).not.toContain("callout");
  });
});

describe("renderMarkdown: wiki links", () => {
  const wikiTargets = new Map([
    ["core-ledger-replication-lag", { title: "Core ledger replication lag" }],
    ["plans/数据中心", { title: "数据中心灾备预案" }],
  ]);

  it("links an existing document with its title as text", () => {
    const { html, wikiLinks } = renderMarkdown("See [[core-ledger-replication-lag]].", { wikiTargets });
    expect(html).toContain(
      '<a class="wiki-link" href="/docs/core-ledger-replication-lag">Core ledger replication lag</a>',
    );
    expect(wikiLinks).toEqual([{ slug: "core-ledger-replication-lag", label: null }]);
  });

  it("uses the label after | and normalises the slug", () => {
    const { html, wikiLinks } = renderMarkdown("[[  Core Ledger Replication Lag |主备延迟处置]]", { wikiTargets });
    expect(html).toContain('<a class="wiki-link" href="/docs/core-ledger-replication-lag">主备延迟处置</a>');
    expect(wikiLinks).toEqual([{ slug: "core-ledger-replication-lag", label: "主备延迟处置" }]);
  });

  it("percent-encodes each path segment of slugs with / and Chinese characters", () => {
    const { html } = renderMarkdown("[[plans/数据中心]]", { wikiTargets });
    expect(tagsNamed(html, "a")[0].attribs.href).toBe(`/docs/plans/${encodeURIComponent("数据中心")}`);
    expect(html).toContain(">数据中心灾备预案</a>");
  });

  it("marks links to missing documents as broken", () => {
    const { html } = renderMarkdown("[[plan-moon-base]]", { wikiTargets });
    const [a] = tagsNamed(html, "a");
    expect(a.attribs.class).toBe("wiki-link wiki-link-broken");
    expect(a.attribs.href).toBe("/docs/plan-moon-base");
    expect(a.attribs.title).toContain("No document with slug");
    expect(a.attribs.title).toContain("plan-moon-base");
  });

  it("marks nothing broken when no targets are given, and uses a custom docHref", () => {
    const { html } = renderMarkdown("[[Any Page]]", { docHref: (slug) => `/wiki/${slug}` });
    expect(html).toContain('<a class="wiki-link" href="/wiki/any-page">Any Page</a>');
  });

  it("does not link inside code spans, code blocks, or escaped brackets", () => {
    const { html, wikiLinks } = renderMarkdown(
      "Use `[[slug]]` syntax.\n\n```markdown\n[[in-fence]]\n```\n\n    [[indented]]\n\n\\[[escaped]]\n",
      { wikiTargets },
    );
    expect(tagsNamed(html, "a")).toHaveLength(0);
    expect(html).toContain("<code>[[slug]]</code>");
    expect(wikiLinks).toEqual([]);
  });

  it("never nests a link inside a link", () => {
    for (const md of [
      "[see [[core-ledger-replication-lag]]](https://example.com)",
      "[see [[core-ledger-replication-lag]]][ref]\n\n[ref]: https://example.com",
      "[[a|see https://example.com]]",
    ]) {
      const { html } = renderMarkdown(md, { wikiTargets });
      expect(maxAnchorDepth(html), md).toBe(1);
    }
  });

  it("leaves empty and unclosed wiki brackets as text", () => {
    const { html } = renderMarkdown("[[ ]] and [[unclosed and [[a\nb]]");
    expect(tagsNamed(html, "a")).toHaveLength(0);
    expect(html).toContain("[[ ]]");
  });

  it("lists each linked slug once, in order", () => {
    const { wikiLinks } = renderMarkdown("[[b]] [[a|A]] [[B]] [[a]]");
    expect(wikiLinks).toEqual([
      { slug: "b", label: null },
      { slug: "a", label: "A" },
    ]);
  });
});

describe("extractWikiLinks", () => {
  it("returns unique normalised slugs outside code, in order (a table cell writes the bar as \\|)", () => {
    const md = [
      "For lag on the sync standby use [[core-ledger-replication-lag|核心账务数据库主备延迟处置]].",
      "See [[plan-data-centre-loss]] and again [[Plan Data Centre Loss]].",
      "`[[not-this]]`",
      "```",
      "[[nor-this]]",
      "```",
      "- [ ] escalate per [[escalation-and-on-call]]",
      "| table | [[pm-2026-06-ledger-failover-split-brain\\|label]] |",
      "|---|---|",
    ].join("\n");
    expect(extractWikiLinks(md)).toEqual([
      { slug: "core-ledger-replication-lag", label: "核心账务数据库主备延迟处置" },
      { slug: "plan-data-centre-loss", label: null },
      { slug: "escalation-and-on-call", label: null },
      { slug: "pm-2026-06-ledger-failover-split-brain", label: "label" },
    ]);
  });

  it("finds links in headings, callouts and tables", () => {
    const md = "## See [[a]]\n\n> [!NOTE]\n> [[b]]\n\n| x |\n|---|\n| [[c]] |\n";
    expect(extractWikiLinks(md).map((l) => l.slug)).toEqual(["a", "b", "c"]);
  });

  it("normalises slugs like file-path slugs: trim, lower-case, spaces to -, no empty or dot segments", () => {
    expect(normalizeWikiSlug("  Core Ledger  DR ")).toBe("core-ledger-dr");
    expect(normalizeWikiSlug("Plans / 数据 中心")).toBe("plans/数据-中心");
    expect(normalizeWikiSlug("PM2022-009 - Bad AWS EKS AMI")).toBe("pm2022-009-bad-aws-eks-ami");
    expect(normalizeWikiSlug("../../admin")).toBe("admin");
    expect(normalizeWikiSlug("//a///b/")).toBe("a/b");
    expect(normalizeWikiSlug("   ")).toBe("");
  });
});

describe("markdownToPlainText", () => {
  it("strips markup, keeps code, decodes entities, lists headings, drops frontmatter", () => {
    const md = [
      "---",
      "title: Secret frontmatter title",
      "tags: [a]",
      "---",
      "",
      "# Ledger lag",
      "",
      "Check **replay** lag on [the replica](https://example.com) and [[core-ledger|the ledger]].",
      "",
      "## Steps",
      "",
      "- [ ] Run `patronictl list`",
      "",
      "| When | What |",
      "|---|---|",
      "| 19:00 | S&amp;O advised |",
      "",
      "```sql",
      "SELECT pg_last_wal_replay_lsn();",
      "```",
      "",
      "> [!WARNING]",
      "> Never &lt;restart&gt; the primary.",
      "",
      "![diagram of the DR site](dr.png)",
    ].join("\n");
    const { text, headings } = markdownToPlainText(md);
    expect(headings).toEqual(["Ledger lag", "Steps"]);
    expect(text).toContain("Check replay lag on the replica and the ledger.");
    expect(text).toContain("Run patronictl list");
    expect(text).toContain("S&O advised");
    expect(text).toContain("SELECT pg_last_wal_replay_lsn();");
    expect(text).toContain("Never <restart> the primary.");
    expect(text).toContain("diagram of the DR site");
    expect(text).not.toMatch(/\*\*|\[\[|\]\(|```|\[ \]|&amp;|frontmatter|^---/m);
  });

  it("keeps Hugo shortcodes and Go placeholders as text", () => {
    const { text } = markdownToPlainText('# {{.Name}} Compliance Program\n\nSee {{< ref "./x.md" >}}.');
    expect(text).toContain("{{.Name}} Compliance Program");
    expect(text).toContain('See {{< ref "./x.md" >}}.');
  });

  it("returns empty text for empty input", () => {
    expect(markdownToPlainText("")).toEqual({ text: "", headings: [] });
  });
});

describe("firstHeading", () => {
  it("finds the first h1, skipping blank lines and frontmatter", () => {
    expect(firstHeading("\n\n# KubePodCrashLooping\n\n## Meaning\n")).toBe("KubePodCrashLooping");
    expect(firstHeading("---\ntitle: Node Filesystem\nweight: 20\n---\n\n# NodeFilesystemFilesFillingUp\n")).toBe(
      "NodeFilesystemFilesFillingUp",
    );
    expect(firstHeading("# Bad AWS EKS **AMI** &amp; `kubelet` \n")).toBe("Bad AWS EKS AMI & kubelet");
  });

  it("ignores # lines in code and lower-level headings", () => {
    expect(firstHeading("```bash\n# not a heading\n```\n\n## Sub\n\n# Real\n")).toBe("Real");
    expect(firstHeading("## Only h2\n\ntext")).toBeNull();
    expect(firstHeading("")).toBeNull();
    expect(firstHeading("#\n\n# \n")).toBeNull();
  });

  it("accepts setext h1", () => {
    expect(firstHeading("Title here\n==========\n")).toBe("Title here");
  });
});

describe("frontmatter (splitFrontmatter's rules, shared with the importer)", () => {
  it("keeps --- YAML and the SOC 2 header without an opening --- out of HTML, text and headings", () => {
    for (const md of [
      "---\ntitle: Secret\nweight: 20\n---\n# Purpose\n",
      "\uFEFF---\r\ntitle: Secret\r\n---\r\n# Purpose\r\n",
      "name: Secret\nacronym: P\nmajorRevisions:\n  - date: Jun 1 2018\n---\n# Purpose\n",
    ]) {
      const { html, toc } = renderMarkdown(md);
      expect(html).not.toContain("Secret");
      expect(html).toContain('<h1 id="purpose">Purpose</h1>');
      expect(toc).toEqual([]);
      expect(markdownToPlainText(md)).toEqual({ text: "Purpose", headings: ["Purpose"] });
      expect(firstHeading(md)).toBe("Purpose");
    }
  });

  it("renders a leading thematic break as a rule, and broken YAML as text instead of throwing", () => {
    expect(renderMarkdown("---\n# Title\n\ntext\n").html).toMatch(/^<hr \/?>\s*<h1 id="title">Title<\/h1>/);
    const broken = renderMarkdown("---\ntitle: ok\ntags: [a, b\n---\nbody\n");
    expect(broken.html).toContain("body");
  });
});

describe("renderMarkdown: Hugo shortcodes, Go templates, relative links", () => {
  it("renders shortcodes and placeholders as inert visible text", () => {
    const md = [
      "See [Node Filesystem]({{< ref \"./NodeFilesystemFilesFillingUp.md\" >}}) for more.",
      "",
      "{{% notice warning %}}Mind the gap{{% /notice %}}",
      "",
      "# {{.Name}} Compliance Program",
      "",
      "Repo: {{< param BookRepo >}}",
    ].join("\n");
    const { html } = renderMarkdown(md);
    expect(html).toContain('{{&lt; ref "./NodeFilesystemFilesFillingUp.md" &gt;}}');
    expect(html).toContain("{{% notice warning %}}Mind the gap{{% /notice %}}");
    expect(html).toContain("{{.Name}} Compliance Program");
    expect(html).toContain("{{&lt; param BookRepo &gt;}}");
    expect(tagsNamed(html, "a")).toHaveLength(0);
  });

  it("keeps relative links and images to missing files without throwing", () => {
    const { html } = renderMarkdown("[template](./template.md) ![diagram](../img/missing.png) [top](#impact)");
    const [link, anchor] = tagsNamed(html, "a");
    expect(link.attribs.href).toBe("./template.md");
    expect(link.attribs.rel).toBeUndefined();
    expect(anchor.attribs.href).toBe("#impact");
    const [img] = tagsNamed(html, "img");
    expect(img.attribs.src).toBe("../img/missing.png");
    expect(img.attribs.alt).toBe("diagram");
    expect(img.attribs.loading).toBe("lazy");
    expect(img.attribs.referrerpolicy).toBe("no-referrer");
  });

  it("adds rel=noopener noreferrer to external links only, and never target", () => {
    const { html } = renderMarkdown("[a](https://example.com) [b](//cdn.example.com/x) [c](/docs/x) [d](mailto:ops@example.com)");
    const rels = tagsNamed(html, "a").map((a) => a.attribs.rel);
    expect(rels).toEqual(["noopener noreferrer", "noopener noreferrer", undefined, undefined]);
    expect(html).not.toContain("target=");
  });

  it("drops unsafe images to their alt text", () => {
    const { html } = renderMarkdown("![the diagram](javascript:alert(1)) ![png](data:image/png;base64,AAAA)");
    expect(tagsNamed(html, "img")).toHaveLength(0);
    expect(html).toContain("the diagram");
  });
});

describe("XSS", () => {
  it("has a corpus of at least 40 payloads", () => {
    expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(40);
  });

  describe.each(XSS_PAYLOADS.map((payload, i) => [i, payload] as const))("payload %i", (_i, payload) => {
    it(`renders safely: ${JSON.stringify(payload).slice(0, 80)}`, () => {
      const wikiTargets = new Map([["x", { title: '"><img src=x onerror=alert(1)>' }]]);
      expectSafeHtml(renderMarkdown(payload).html);
      expectSafeHtml(renderMarkdown(payload, { wikiTargets }).html);
    });

    it("is neutralised by the sanitiser alone, as raw HTML", () => {
      expectSafeHtml(sanitizeRenderedHtml(payload));
    });
  });

  it("drops a hostile docHref result instead of emitting it", () => {
    const { html } = renderMarkdown("[[x]]", { docHref: () => "javascript:alert(1)" });
    expectSafeHtml(html);
    expect(tagsNamed(html, "a")[0].attribs.href).toBeUndefined();
  });

  it("the sanitiser strips attributes and classes the renderer never emits", () => {
    const html = sanitizeRenderedHtml(
      '<a href="https://x.example" target="_blank" class="wiki-link evil" style="color:red" id="x">x</a>' +
        '<input type="text" class="task-list-item-checkbox" onclick="x"><div class="callout callout-note hacked">y</div>',
    );
    const [a, input, div] = parseTags(html);
    expect(a.attribs).toEqual({ href: "https://x.example", class: "wiki-link", rel: "noopener noreferrer" });
    expect(input.attribs.type ?? "").not.toBe("text");
    expect(div.attribs.class).toBe("callout callout-note");
  });

  it("stays fast on pathological bracket input", () => {
    const started = performance.now();
    renderMarkdown("[[".repeat(20_000) + "x" + "]]".repeat(5));
    renderMarkdown("[".repeat(50_000));
    expect(performance.now() - started).toBeLessThan(3_000);
  });
});

describe("real corpora", () => {
  const files = corpusFiles(CORPORA);

  it("finds the corpus files, including the extension-less ones", () => {
    expect(files.length).toBeGreaterThan(200);
    expect(files.some((f) => f.endsWith("prometheus-operator/PrometheusOperatorSyncFailed"))).toBe(true);
    expect(files.some((f) => path.basename(f).startsWith("PM2022-009 - "))).toBe(true);
  });

  it("renders every file without throwing and the output passes the XSS assertions", () => {
    for (const file of files) {
      const md = readFileSync(file, "utf8");
      const rendered = renderMarkdown(md, { wikiTargets: new Map() });
      expect(typeof rendered.html, file).toBe("string");
      expectSafeHtml(rendered.html);
      expect(() => markdownToPlainText(md), file).not.toThrow();
      expect(() => extractWikiLinks(md), file).not.toThrow();
      expect(() => firstHeading(md), file).not.toThrow();
    }
  });

  it("handles the documented quirks", () => {
    const read = (rel: string) => readFileSync(path.join(CORPORA, rel), "utf8");

    const log4shell = renderMarkdown(read("dfds-postmortems/PM2021-011 - Log4Shell.md"));
    expect(log4shell.html).toContain("S&amp;O");
    expect(log4shell.html).not.toContain("&amp;amp;");

    const drp = read("strongdm-comply-soc2/themes/comply-soc2/policies/disaster.md");
    expect(renderMarkdown(drp).html).not.toContain("majorRevisions");
    expect(firstHeading(drp)).toBe("Purpose and Scope");
    expect(markdownToPlainText(drp).text).not.toContain("acronym");

    const hugo = renderMarkdown(read("kubesphere-alert-runbooks/content/runbooks/node/NodeFilesystemFilesFillingUp.md"));
    expect(hugo.html).toContain("{{&lt; ref");
    expect(hugo.toc.map((t) => t.id)).toEqual(["meaning", "impact", "diagnosis", "mitigation"]);
    expect(tagsNamed(hugo.html, "code").some((c) => c.attribs.class === "hljs language-shell")).toBe(true);

    const noExt = read("kubesphere-alert-runbooks/content/runbooks/prometheus-operator/PrometheusOperatorSyncFailed");
    expect(firstHeading(noExt)).toBeTruthy();

    const pm = read("dfds-postmortems/PM2022-009 - Bad AWS EKS AMI causing Kubernetes issues");
    expect(firstHeading(pm)).toBe("Bad AWS EKS AMI");
    expect(tagsNamed(renderMarkdown(pm).html, "table")).toHaveLength(1);
  });

  it("renders the Chinese runbooks with Chinese heading ids", () => {
    const zh = files.filter((f) => f.includes(`${path.sep}content.zh${path.sep}`) && !f.endsWith("_index.md"));
    expect(zh.length).toBeGreaterThan(10);
    const withChineseIds = zh.filter((f) =>
      renderMarkdown(readFileSync(f, "utf8")).toc.some((t) => /\p{Script=Han}/u.test(t.id)),
    );
    expect(withChineseIds.length).toBeGreaterThan(10);
    for (const f of zh) expect(firstHeading(readFileSync(f, "utf8")), f).toBeTruthy();
  });
});
