import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { documents, documentSystems, revisions, runbookAlerts, searchOutbox, systems, teams, wikiLinks } from "#db/schema";
import { createTestDatabase } from "../../tests/db";
import { CORPORA, CONTENT_DIR } from "../../tests/paths";
import { ImportError, importContent } from "./import.server";

let handle: DatabaseHandle;
let tmp: string;

beforeAll(async () => {
  handle = await createTestDatabase();
  tmp = await mkdtemp(path.join(os.tmpdir(), "drillbook-import-"));
});
afterAll(async () => {
  await handle.close();
  await rm(tmp, { recursive: true, force: true });
});

async function tableCount(table: typeof documents | typeof revisions | typeof searchOutbox) {
  const [row] = await handle.db.select({ n: count() }).from(table);
  return Number(row!.n);
}

async function docBySource(sourcePath: string) {
  const [doc] = await handle.db.select().from(documents).where(eq(documents.sourcePath, sourcePath));
  return doc;
}

async function writeTree(root: string, files: Record<string, string | Buffer>) {
  await rm(root, { recursive: true, force: true });
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), content);
  }
}

describe("importing the demo organisation (content/)", () => {
  it("imports the catalog and every document, and re-importing writes nothing", async () => {
    const first = await importContent(handle.db, { root: CONTENT_DIR, prefix: "" });
    expect(first.skipped).toEqual([]);
    expect(first.created).toBe(first.files);
    expect(first.catalog?.teams.created).toBe(4);
    expect(first.catalog?.systems.created).toBeGreaterThanOrEqual(10);

    const revisionsBefore = await tableCount(revisions);
    const outboxBefore = await tableCount(searchOutbox);
    const again = await importContent(handle.db, { root: CONTENT_DIR, prefix: "" });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: first.files });
    expect(again.catalog).toMatchObject({
      teams: { created: 0, updated: 0 },
      slas: { created: 0, updated: 0 },
      systems: { created: 0, updated: 0 },
    });
    expect(await tableCount(revisions)).toBe(revisionsBefore);
    expect(await tableCount(searchOutbox)).toBe(outboxBefore);
  });

  it("has the organisation the foundation issue asks for", async () => {
    const kinds = await handle.db.select({ kind: documents.kind, n: count() }).from(documents).groupBy(documents.kind);
    const byKind = Object.fromEntries(kinds.map((k) => [k.kind, Number(k.n)]));
    expect(byKind.runbook).toBeGreaterThanOrEqual(20);
    expect(byKind.contingency_plan).toBeGreaterThanOrEqual(8);
    expect(byKind.postmortem).toBeGreaterThanOrEqual(4);
    expect(byKind.article).toBeGreaterThanOrEqual(1);

    const tiers = await handle.db.selectDistinct({ tier: systems.tier }).from(systems);
    expect(tiers.map((t) => t.tier).sort()).toEqual([1, 2, 3, 4]);
    const regions = await handle.db.selectDistinct({ region: teams.region }).from(teams);
    expect(regions.map((r) => r.region).sort()).toEqual(["Kraków", "Pune", "Shanghai"]);

    const bodies = await handle.db
      .select({ title: revisions.title, body: revisions.body })
      .from(revisions)
      .innerJoin(documents, eq(documents.id, revisions.documentId));
    const chinese = bodies.filter(({ body }) => (body.match(/[\u4e00-\u9fff]/g)?.length ?? 0) > body.length * 0.15);
    expect(chinese.length / bodies.length).toBeGreaterThanOrEqual(0.25);
  });

  it("has no broken wiki links in the demo content", async () => {
    const broken = await handle.db.execute(sql`
      select d.slug as source, w.target_slug as target
      from ${wikiLinks} w join ${documents} d on d.id = w.source_document_id
      where not exists (select 1 from ${documents} t where t.slug = w.target_slug)`);
    const rows = Array.isArray(broken) ? broken : (broken as { rows: unknown[] }).rows;
    expect(rows).toEqual([]);
  });
});

describe("importing the real corpora (shared/corpora)", () => {
  it("imports the KubeSphere alert runbooks with their quirks", async () => {
    const summary = await importContent(handle.db, { root: path.join(CORPORA, "kubesphere-alert-runbooks"), kind: "runbook" });
    expect(summary.skipped).toEqual([]);
    expect(summary.created).toBeGreaterThan(150);

    // English runbook with frontmatter: title from it, alert name from the file name.
    const en = await docBySource("content/runbooks/kubernetes/KubePodCrashLooping.md");
    expect(en).toMatchObject({
      kind: "runbook",
      title: "Kube Pod Crash Looping",
      slug: "kubesphere-alert-runbooks/content/runbooks/kubernetes/kubepodcrashlooping",
    });
    const alerts = await handle.db.select().from(runbookAlerts).where(eq(runbookAlerts.documentId, en!.id));
    expect(alerts.map((a) => a.alertName)).toEqual(["KubePodCrashLooping"]);

    // Chinese runbook without frontmatter, starting with a blank line: title from the `# ` heading.
    const zh = await docBySource("content.zh/runbooks/kubernetes/KubePodCrashLooping.md");
    expect(zh?.title).toBe("KubePodCrashLooping");

    // Section pages are articles and answer no alert.
    const section = await docBySource("content/runbooks/node/_index.md");
    expect(section?.kind).toBe("article");
    const sectionAlerts = await handle.db.select().from(runbookAlerts).where(eq(runbookAlerts.documentId, section!.id));
    expect(sectionAlerts).toEqual([]);

    // A file without the .md extension beside its .md namesake: both imported, distinct slugs.
    const plain = await docBySource("content/runbooks/prometheus-operator/PrometheusOperatorSyncFailed");
    const md = await docBySource("content/runbooks/prometheus-operator/PrometheusOperatorSyncFailed.md");
    expect(plain && md).toBeTruthy();
    expect(plain!.slug).not.toBe(md!.slug);
    expect(md!.slug.endsWith("/prometheusoperatorsyncfailed")).toBe(true);
    expect(summary.warnings.some((w) => w.includes("PrometheusOperatorSyncFailed"))).toBe(true);

    const again = await importContent(handle.db, { root: path.join(CORPORA, "kubesphere-alert-runbooks"), kind: "runbook" });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: summary.created });
  });

  it("imports the DFDS postmortems, including the one without an extension", async () => {
    const summary = await importContent(handle.db, { root: path.join(CORPORA, "dfds-postmortems"), kind: "postmortem" });
    expect(summary.skipped).toEqual([]);
    const noExtension = await docBySource("PM2022-009 - Bad AWS EKS AMI causing Kubernetes issues");
    expect(noExtension).toMatchObject({ kind: "postmortem", title: "Bad AWS EKS AMI" });
    expect(noExtension!.slug).toBe("dfds-postmortems/pm2022-009-bad-aws-eks-ami-causing-kubernetes-issues");
    // LICENSE and SOURCE.txt are not documents.
    expect(await docBySource("LICENSE")).toBeUndefined();
    expect(await docBySource("SOURCE.txt")).toBeUndefined();
    const readme = await docBySource("README.md");
    expect(readme?.kind).toBe("article");
  });

  it("imports the SOC 2 policies whose YAML header has no opening ---", async () => {
    const summary = await importContent(handle.db, { root: path.join(CORPORA, "strongdm-comply-soc2") });
    expect(summary.skipped).toEqual([]);
    const policy = await docBySource("themes/comply-soc2/policies/continuity.md");
    expect(policy).toMatchObject({ kind: "article", title: "Business Continuity Policy" });
    const [revision] = await handle.db.select().from(revisions).where(eq(revisions.documentId, policy!.id));
    expect(revision!.body.trimStart().startsWith("# Purpose and Scope")).toBe(true);
    expect(revision!.metadata.extra).toMatchObject({ acronym: "BCP" });
  });
});

describe("import rules", () => {
  let root: string;
  beforeEach(async () => {
    root = path.join(tmp, `case-${Math.random().toString(36).slice(2)}`);
  });

  it("refuses a folder with an invalid file, names the file, field and fix, and writes nothing", async () => {
    await writeTree(root, {
      "good.md": "# Good runbook\n\nSteps.\n",
      "nested/bad.md": "---\ntitle: Bad\nstatus: finished\n---\n# Bad\n",
    });
    const before = await tableCount(documents);
    const error = await importContent(handle.db, { root }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    const problems = (error as ImportError).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: "nested/bad.md", field: "status" });
    expect(problems[0]!.fix).toMatch(/draft, published or archived/);
    expect((error as Error).message).toContain("nothing was written");
    expect(await tableCount(documents)).toBe(before);
  });

  it("rolls back everything when a reference is unknown (checked inside the transaction)", async () => {
    await writeTree(root, {
      "a.md": "# A\n",
      "b.md": "---\nsystems: [no-such-system]\n---\n# B\n",
    });
    const before = await tableCount(documents);
    const error = (await importContent(handle.db, { root }).catch((e: unknown) => e)) as ImportError;
    expect(error.problems[0]).toMatchObject({ file: "b.md", field: "systems" });
    expect(error.problems[0]!.message).toContain("no-such-system");
    expect(await tableCount(documents)).toBe(before);
  });

  it("with skipInvalid imports the valid files and lists each skipped one", async () => {
    await writeTree(root, {
      "good.md": "# Good\n",
      "broken-yaml.md": "---\ntitle: x\ntags: [a, b\n---\n# Broken\n",
      "bad-date.md": "---\nlast_reviewed: last tuesday\n---\n# Bad date\n",
    });
    const summary = await importContent(handle.db, { root, skipInvalid: true });
    expect(summary.created).toBe(1);
    expect(summary.skipped.map((p) => p.file).sort()).toEqual(["bad-date.md", "broken-yaml.md"]);
    expect(summary.skipped.find((p) => p.file === "bad-date.md")!.fix).toMatch(/YYYY-MM-DD/);
    expect(summary.skipped.find((p) => p.file === "broken-yaml.md")!.field).toMatch(/^frontmatter \(line \d+\)$/);
  });

  it("turns a changed file into a new revision of the same document", async () => {
    await writeTree(root, { "Disk.md": "# Disk full\n\nClean /var/log.\n" });
    const prefix = path.basename(root);
    await importContent(handle.db, { root });
    const first = await docBySource("Disk.md").then(async () => {
      const [d] = await handle.db.select().from(documents).where(eq(documents.slug, `${prefix}/disk`));
      return d!;
    });
    await writeFile(path.join(root, "Disk.md"), "# Disk full\n\nClean /var/log and rotate journald.\n");
    const summary = await importContent(handle.db, { root });
    expect(summary).toMatchObject({ created: 0, updated: 1 });
    const [after] = await handle.db.select().from(documents).where(eq(documents.id, first.id));
    expect(after!.currentRevision).toBe(2);
    const all = await handle.db.select().from(revisions).where(eq(revisions.documentId, first.id)).orderBy(revisions.number);
    expect(all.map((r) => r.body)).toEqual(["\nClean /var/log.\n", "\nClean /var/log and rotate journald.\n"].map((b) => `# Disk full\n${b}`));
  });

  it("skips binary files with a warning and takes Markdown without an extension", async () => {
    await writeTree(root, {
      "diagram.png": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]),
      "NOTES": "# Release notes\n\nText.\n",
      "data.csv": "a,b\n1,2\n",
    });
    const summary = await importContent(handle.db, { root });
    expect(summary.created).toBe(1);
    expect(summary.warnings).toEqual(["diagram.png: skipped, binary file"]);
  });

  it("links every document to --system and refuses an unknown one", async () => {
    await writeTree(root, { "HighLatency.md": "# HighLatency\n" });
    const summary = await importContent(handle.db, { root, kind: "runbook", system: "core-ledger" });
    expect(summary.created).toBe(1);
    const [doc] = await handle.db.select().from(documents).where(eq(documents.sourcePath, "HighLatency.md"));
    const links = await handle.db
      .select({ slug: systems.slug })
      .from(documentSystems)
      .innerJoin(systems, eq(systems.id, documentSystems.systemId))
      .where(eq(documentSystems.documentId, doc!.id));
    expect(links).toEqual([{ slug: "core-ledger" }]);

    const error = (await importContent(handle.db, { root, system: "nope" }).catch((e: unknown) => e)) as ImportError;
    expect(error.problems[0]).toMatchObject({ field: "--system" });
  });

  it("names the catalog file and entry when a system's owner team is unknown", async () => {
    await writeTree(root, {
      "catalog/systems.yaml": "- slug: lonely\n  name: Lonely\n  tier: 3\n  owner: ghost-team\n",
    });
    const error = (await importContent(handle.db, { root }).catch((e: unknown) => e)) as ImportError;
    expect(error).toBeInstanceOf(ImportError);
    expect(error.problems[0]).toMatchObject({ file: "catalog/systems.yaml", field: "lonely.owner" });
    const [lonely] = await handle.db.select().from(systems).where(eq(systems.slug, "lonely"));
    expect(lonely).toBeUndefined();
  });

  it("reports catalog schema errors with the entry's slug and field", async () => {
    await writeTree(root, {
      "catalog/systems.yaml": "- slug: fast\n  name: Fast\n  tier: 7\n",
    });
    const error = (await importContent(handle.db, { root }).catch((e: unknown) => e)) as ImportError;
    expect(error.problems[0]).toMatchObject({ file: "catalog/systems.yaml", field: '"fast".tier' });
    expect(error.problems[0]!.message).toMatch(/tier is 1/);
  });
});
