import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { RevisionMetadata } from "#db/schema";
import { DiffView, MetadataChanges } from "../components/diff-view";
import { collapseUnchanged, diffMetadata, diffRevisions, diffSegments, diffText, type DiffLine, type RevisionSnapshot } from "./diff";

const META: RevisionMetadata = {
  kind: "runbook",
  status: "published",
  systems: ["core-ledger"],
  tags: ["postgresql"],
  alerts: ["LedgerReplicaLagHigh"],
  owner: "core-banking-ops",
  lastReviewed: "2026-01-15",
  extra: { language: "en" },
};

function rev(number: number, body: string, metadata: Partial<RevisionMetadata> = {}, title = "Replica lag"): RevisionSnapshot {
  return { number, title, body, metadata: { ...META, ...metadata } };
}

// Three revisions of one runbook: r2 edits a line and adds a step, r3 removes the intro and changes metadata.
const R1 = rev(1, "Intro line\n## Steps\n1. Check lag on the replica\n2. Page the DBA\n");
const R2 = rev(2, "Intro line\n## Steps\n1. Check lag on the standby replica\n2. Page the DBA\n3. Record the incident\n");
const R3 = rev(
  3,
  "## Steps\n1. Check lag on the standby replica\n2. Page the DBA on call\n3. Record the incident\n",
  { status: "draft", systems: ["core-ledger", "payment-gateway"], tags: [], owner: null, extra: { language: "zh" } },
  "Replica lag (ledger)",
);

describe("diffText", () => {
  it("marks unchanged, added, removed and changed lines with both line numbers", () => {
    expect(diffText(R1.body, R2.body)).toEqual<DiffLine[]>([
      { type: "same", oldLine: 1, newLine: 1, text: "Intro line" },
      { type: "same", oldLine: 2, newLine: 2, text: "## Steps" },
      {
        type: "changed",
        oldLine: 3,
        newLine: 3,
        oldText: "1. Check lag on the replica",
        newText: "1. Check lag on the standby replica",
        segments: [
          { type: "same", text: "1. Check lag on the " },
          { type: "added", text: "standby " },
          { type: "same", text: "replica" },
        ],
      },
      { type: "same", oldLine: 4, newLine: 4, text: "2. Page the DBA" },
      { type: "added", newLine: 5, text: "3. Record the incident" },
    ]);
  });

  it("compares any two revisions, not only neighbours, and in either direction", () => {
    const forward = diffRevisions(R1, R3);
    expect(forward).toMatchObject({ from: 1, to: 3, stats: { added: 1, removed: 1, changed: 2 } });
    expect(forward.lines[0]).toEqual({ type: "removed", oldLine: 1, text: "Intro line" });
    const changed = forward.lines.filter((l) => l.type === "changed");
    expect(changed.map((l) => [l.oldText, l.newText])).toEqual([
      ["1. Check lag on the replica", "1. Check lag on the standby replica"],
      ["2. Page the DBA", "2. Page the DBA on call"],
    ]);

    const backward = diffRevisions(R3, R1);
    expect(backward).toMatchObject({ from: 3, to: 1, stats: { added: 1, removed: 1, changed: 2 } });
    expect(backward.lines.find((l) => l.type === "added")).toEqual({ type: "added", newLine: 1, text: "Intro line" });
  });

  it("highlights only the changed words, including single CJK characters", () => {
    expect(diffSegments("RTO is 30 minutes", "RTO is 120 minutes")).toEqual([
      { type: "same", text: "RTO is " },
      { type: "removed", text: "30" },
      { type: "added", text: "120" },
      { type: "same", text: " minutes" },
    ]);
    const zh = diffSegments("主库延迟超过30秒时切换", "主库延迟超过60秒时不切换");
    expect(zh.filter((s) => s.type !== "same")).toEqual([
      { type: "removed", text: "30" },
      { type: "added", text: "60" },
      { type: "added", text: "不" },
    ]);
  });

  it("shows unrelated replacement lines as a removal and an addition, not as a word soup", () => {
    expect(diffText("alpha beta gamma\n", "Escalate to the vendor\n")).toEqual([
      { type: "removed", oldLine: 1, text: "alpha beta gamma" },
      { type: "added", newLine: 1, text: "Escalate to the vendor" },
    ]);
  });

  it("treats CRLF like LF and ignores a missing final newline; identical texts have no changes", () => {
    expect(diffText("a\r\nb\r\n", "a\nb").every((l) => l.type === "same")).toBe(true);
    expect(diffText("", "")).toEqual([]);
    expect(diffText("", "new\n")).toEqual([{ type: "added", newLine: 1, text: "new" }]);
  });
});

describe("diffMetadata", () => {
  it("lists the changed fields in a fixed order with list additions and removals, and changed extras", () => {
    expect(diffMetadata(R1, R3)).toEqual([
      { field: "title", label: "Title", from: "Replica lag", to: "Replica lag (ledger)" },
      { field: "status", label: "Status", from: "published", to: "draft" },
      { field: "systems", label: "Systems", from: "core-ledger", to: "core-ledger, payment-gateway", added: ["payment-gateway"], removed: [] },
      { field: "tags", label: "Tags", from: "postgresql", to: null, added: [], removed: ["postgresql"] },
      { field: "owner", label: "Owner team", from: "core-banking-ops", to: null },
      { field: "extra.language", label: "language", from: '"en"', to: '"zh"' },
    ]);
  });

  it("is empty when nothing changed", () => {
    expect(diffMetadata(R1, R2)).toEqual([]);
    expect(diffRevisions(R2, R2)).toMatchObject({ metadata: [], stats: { added: 0, removed: 0, changed: 0 } });
  });
});

describe("collapseUnchanged", () => {
  it("folds long unchanged runs and keeps the context around each change", () => {
    const body = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join("\n");
    const lines = diffText(body, body.replace("line 10", "line ten"));
    const items = collapseUnchanged(lines, 2);
    expect(items.map((i) => i.type)).toEqual(["collapsed", "same", "same", "changed", "same", "same", "collapsed"]);
    const first = items[0] as Extract<(typeof items)[number], { type: "collapsed" }>;
    expect(first.lines.map((l) => l.newLine)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});

describe("rendering a diff", () => {
  const hostile = rev(1, 'Run <script>alert("x")</script> now\n<img src=x onerror=alert(1)>\n');
  const hostile2 = rev(2, 'Run <script>alert("y")</script> now\n<img src=x onerror=alert(1)>\n', { tags: ["<b>bold</b>"] });

  it("escapes HTML in lines, word highlights and metadata values", () => {
    const diff = diffRevisions(hostile, hostile2);
    const html = renderToStaticMarkup(createElement(DiffView, { lines: diff.lines, label: "Changes" }));
    expect(html).not.toMatch(/<script|<img|<b>/);
    expect(html).toContain("&lt;script&gt;alert(&quot;");
    expect(html).toContain("<del>x</del>");
    expect(html).toContain("<ins>y</ins>");

    const meta = renderToStaticMarkup(createElement(MetadataChanges, { changes: diff.metadata }));
    expect(meta).toContain("&lt;b&gt;bold&lt;/b&gt;");
    expect(meta).not.toContain("<b>bold");
  });

  it("keeps the JSON form plain text (API consumers escape it themselves)", () => {
    const json = JSON.parse(JSON.stringify(diffRevisions(hostile, hostile2))) as ReturnType<typeof diffRevisions>;
    expect(json.lines[0]).toMatchObject({ type: "changed", oldText: 'Run <script>alert("x")</script> now' });
  });
});
