import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { auditLog, correctiveActions, documents, drills, incidentEvents, incidents, inspections, revisions } from "#db/schema";
import type { RevisionMetadata } from "#db/schema/documents";
import { createTestDatabase } from "../../tests/db";
import { CONTENT_DIR, CORPORA } from "../../tests/paths";
import { documentFileText, ExportError, exportContent, exportPaths, isSafeExportPath } from "./export.server";
import { importContent } from "./import.server";
import { updateCorrectiveAction } from "../corrective-actions/actions.server";
import { createIncident } from "../incidents/incidents.server";
import { writePostmortem } from "../incidents/postmortem.server";

let a: DatabaseHandle;
let b: DatabaseHandle;
let tmp: string;

beforeAll(async () => {
  [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  tmp = await mkdtemp(path.join(os.tmpdir(), "drillbook-export-"));
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await rm(tmp, { recursive: true, force: true });
});

/** Every file under `root` (relative path -> bytes). */
async function tree(root: string): Promise<Map<string, Buffer>> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = new Map<string, Buffer>();
  for (const e of entries.filter((e) => e.isFile())) {
    const full = path.join(e.parentPath, e.name);
    files.set(path.relative(root, full).split(path.sep).join("/"), await readFile(full));
  }
  return files;
}

describe("export and import round trip", () => {
  it("exports the demo and a real corpus, and importing the export into an empty database exports the same bytes", async () => {
    await importContent(a.db, { root: CONTENT_DIR, prefix: "" });
    await importContent(a.db, { root: path.join(CORPORA, "kubesphere-alert-runbooks"), kind: "runbook" });
    await importContent(a.db, { root: path.join(CORPORA, "dfds-postmortems"), kind: "postmortem" });
    const dir1 = path.join(tmp, "dir1");
    const dir2 = path.join(tmp, "dir2");

    const first = await exportContent(a.db, dir1);
    const docCount = await a.db.$count(documents);
    expect(first.documents).toBe(docCount);
    const recordFiles = [...(await tree(dir1)).keys()].filter((rel) => /^(drills|inspections|incidents)\/.*\.yaml$/.test(rel));
    expect(recordFiles.length).toBeGreaterThan(20);
    // Earlier revisions of the plans that drills of an older revision name (revisions/<slug>/<n>.md).
    const historyFiles = [...(await tree(dir1)).keys()].filter((rel) => rel.startsWith("revisions/")).sort();
    expect(historyFiles).toEqual(["revisions/plan-data-centre-loss/1.md", "revisions/plan-data-centre-loss/2.md"]);
    expect(first.files).toBe(docCount + 3 + recordFiles.length + historyFiles.length);
    expect(first.warnings).toEqual([]);

    const imported = await importContent(b.db, { root: dir1, prefix: "" });
    expect(imported.skipped).toEqual([]);
    expect(imported.warnings).toEqual([]);
    expect(imported.created).toBe(docCount);
    await exportContent(b.db, dir2);

    const [one, two] = await Promise.all([tree(dir1), tree(dir2)]);
    expect([...two.keys()].sort()).toEqual([...one.keys()].sort());
    const different = [...one].filter(([rel, bytes]) => !bytes.equals(two.get(rel)!)).map(([rel]) => rel);
    expect(different).toEqual([]);

    // And the documents themselves are the same: title, body and metadata (the revision hash).
    const hashes = (db: DatabaseHandle["db"]) =>
      db
        .select({ slug: documents.slug, hash: revisions.contentHash })
        .from(documents)
        .innerJoin(revisions, and(eq(revisions.documentId, documents.id), eq(revisions.number, documents.currentRevision)))
        .orderBy(asc(documents.slug));
    expect(await hashes(b.db)).toEqual(await hashes(a.db));

    // The records came back too, as many as there were (incidents made from postmortems included).
    const counts = async (db: DatabaseHandle["db"]) => ({
      drills: await db.$count(drills),
      inspections: await db.$count(inspections),
      incidents: await db.$count(incidents),
      events: await db.$count(incidentEvents),
      actions: await db.$count(correctiveActions),
    });
    const before = await counts(a.db);
    expect(before.drills).toBeGreaterThan(0);
    expect(before.inspections).toBeGreaterThan(0);
    expect(before.incidents).toBe(85); // 40 incident entries + 7 demo and 38 DFDS postmortems
    expect(await counts(b.db)).toEqual(before);
    expect(imported.records?.drills.created).toBe(before.drills);
    expect(imported.incidents).toMatchObject({ created: 85, notParsed: expect.any(Array) });
  });

  it("writes the catalog and documents in the content/ format", async () => {
    const dir1 = path.join(tmp, "dir1");
    const systemsYaml = await readFile(path.join(dir1, "catalog/systems.yaml"), "utf8");
    expect(systemsYaml).toMatch(/^- slug: /m);
    expect(systemsYaml).toContain("  depends_on: [identity-sso, monitoring-platform]\n");
    const slasYaml = await readFile(path.join(dir1, "catalog/slas.yaml"), "utf8");
    expect(slasYaml).toContain("response_minutes: {SEV1: 5, SEV2: 15, SEV3: 60, SEV4: 240}");

    // A demo runbook keeps its path; its body is the stored body, byte for byte.
    const runbook = await readFile(path.join(dir1, "runbooks/batch-job-failure.md"), "utf8");
    expect(runbook.startsWith("---\nkind: runbook\ntitle: 批处理作业失败处置\nslug: batch-job-failure\nsystems: [")).toBe(true);
    expect(runbook).toMatch(/\nlanguage: zh\n---\n/);
    const original = await readFile(path.join(CONTENT_DIR, "runbooks/batch-job-failure.md"), "utf8");
    expect(runbook.slice(runbook.indexOf("\n---\n") + 5)).toBe(original.slice(original.indexOf("\n---\n") + 5));

    // The corpus keeps its folders; the root README.md of a corpus would be skipped next to a
    // catalog, so it moves to articles/<slug>.md.
    await expect(readFile(path.join(dir1, "content/runbooks/kubernetes/KubePodCrashLooping.md"), "utf8")).resolves.toContain(
      "alerts: [KubePodCrashLooping]",
    );
    await expect(readFile(path.join(dir1, "articles/dfds-postmortems/readme.md"), "utf8")).resolves.toMatch(/^---\nkind: article\n/);
  });

  it("refuses a folder with files in it unless forced, and audits each export", async () => {
    const dir = path.join(tmp, "busy");
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "notes.md"), "# Mine\n");
    await expect(exportContent(a.db, dir)).rejects.toBeInstanceOf(ExportError);
    expect(await readdir(dir)).toEqual(["notes.md"]);

    const lines: string[] = [];
    const summary = await exportContent(a.db, dir, (l) => lines.push(l), { force: true, actor: "ops@lhb.example" });
    expect(summary.leftOver).toEqual(["notes.md"]);
    expect(lines.join("\n")).toContain("notes.md");
    await expect(readFile(path.join(dir, "notes.md"), "utf8")).resolves.toBe("# Mine\n");

    const entries = await a.db.select().from(auditLog).where(eq(auditLog.action, "content.export"));
    expect(entries).toHaveLength(2);
    expect(entries.at(-1)).toMatchObject({ actor: "ops@lhb.example", target: dir, details: { force: true } });
  });
});

describe("export of records", () => {
  it("keeps app edits: an incident with a written postmortem (no second incident on import) and an action closed in the app", async () => {
    const [c, d] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    try {
      await importContent(c.db, { root: CONTENT_DIR, prefix: "" });
      const actor = { userId: null, email: "ops@lhb.example", name: "Ops", ip: null };
      const made = await createIncident(
        c.db,
        { title: "Card auth timeouts", severity: "SEV2", systems: ["payment-gateway"], startedAt: "2026-11-02T08:00:00Z", resolvedAt: "2026-11-02T08:41:30Z", timezone: "Europe/Warsaw" },
        actor,
        { origin: "form" },
      );
      if (!made.ok) throw new Error(JSON.stringify(made.fieldErrors));
      const { slug } = await writePostmortem(c.db, made.number, actor);
      const [open] = await c.db.select().from(correctiveActions).where(eq(correctiveActions.status, "open")).orderBy(asc(correctiveActions.title)).limit(1);
      await updateCorrectiveAction(c.db, open!.id, { version: open!.version, status: "done" }, actor, new Date("2026-11-20T09:15:00Z"));

      const dirA = path.join(tmp, "records-a");
      const dirB = path.join(tmp, "records-b");
      const summary = await exportContent(c.db, dirA);
      expect(summary).toMatchObject({ incidents: 41, warnings: [] }); // the 40 entries and the new one; not the 7 postmortems' own
      const yaml = await readFile(path.join(dirA, "incidents/2026.yaml"), "utf8");
      expect(yaml).toContain(`- key: inc-${made.number}\n  title: Card auth timeouts\n`);
      expect(yaml).toContain("  started_at: 2026-11-02 09:00\n  resolved_at: 2026-11-02T08:41:30Z\n"); // wall-clock unless seconds
      expect(yaml).toContain(`  postmortem: ${slug}\n`);
      expect(yaml).not.toContain("key: pm-");

      const imported = await importContent(d.db, { root: dirA, prefix: "" });
      expect(imported.skipped).toEqual([]);
      await exportContent(d.db, dirB);
      const [one, two] = await Promise.all([tree(dirA), tree(dirB)]);
      expect([...two.keys()].sort()).toEqual([...one.keys()].sort());
      expect([...one].filter(([rel, bytes]) => !bytes.equals(two.get(rel)!)).map(([rel]) => rel)).toEqual([]);

      for (const db of [c.db, d.db]) {
        const linked = await db.select({ key: incidents.externalKey }).from(incidents).innerJoin(documents, eq(documents.id, incidents.postmortemDocumentId)).where(eq(documents.slug, slug));
        expect(linked).toHaveLength(1); // the written postmortem did not become a second incident
      }
      expect(await d.db.$count(incidents)).toBe(await c.db.$count(incidents));
      const [closed] = await d.db.select().from(correctiveActions).where(and(eq(correctiveActions.title, open!.title), eq(correctiveActions.owner, open!.owner)));
      expect(closed).toMatchObject({ status: "done", closedAt: new Date("2026-11-20T09:15:00Z") });
    } finally {
      await Promise.all([c.close(), d.close()]);
    }
  });
});

describe("export paths", () => {
  const meta = (kind: RevisionMetadata["kind"], alerts: string[] = []) => ({
    kind,
    status: "published" as const,
    systems: [],
    tags: [],
    alerts,
    owner: null,
    lastReviewed: null,
    extra: {},
  });

  it("keeps safe source paths and moves the rest to <kind folder>/<slug>.md", () => {
    const paths = exportPaths([
      { slug: "a", sourcePath: "runbooks/a.md", metadata: meta("runbook") },
      { slug: "b", sourcePath: "../outside.md", metadata: meta("runbook") },
      { slug: "c", sourcePath: "/etc/passwd.md", metadata: meta("article") },
      { slug: "d", sourcePath: "runbooks/A.md", metadata: meta("runbook") }, // clashes with a.md case-insensitively
      { slug: "e", sourcePath: "README.md", metadata: meta("article") },
      { slug: "f", sourcePath: "catalog/x.md", metadata: meta("article") },
      { slug: "g", sourcePath: null, metadata: meta("contingency_plan") },
      { slug: "h", sourcePath: "DiskFull.md", metadata: meta("runbook") }, // would answer DiskFull on import
      { slug: "i", sourcePath: "notes.txt", metadata: meta("article") },
      { slug: "runbooks/a", sourcePath: null, metadata: meta("runbook") }, // runbooks/runbooks/a.md: free
      { slug: "x/y", sourcePath: "runbooks/a.md/y.md", metadata: meta("article") }, // a.md is a file
    ]);
    expect(Object.fromEntries(paths)).toEqual({
      a: "runbooks/a.md",
      b: "runbooks/b.md",
      c: "articles/c.md",
      d: "runbooks/d.md",
      e: "articles/e.md",
      f: "articles/f.md",
      g: "plans/g.md",
      h: "runbooks/h.md",
      i: "articles/i.md",
      "runbooks/a": "runbooks/runbooks/a.md",
      "x/y": "articles/x/y.md",
    });
    expect(isSafeExportPath("DiskFull.md", meta("runbook", ["DiskFull"]))).toBe(true);
    expect(isSafeExportPath("a/./b.md", meta("article"))).toBe(false);
  });

  it("numbers a fallback path that is taken", () => {
    const paths = exportPaths([
      { slug: "a", sourcePath: "runbooks/b.md", metadata: meta("runbook") },
      { slug: "b", sourcePath: null, metadata: meta("runbook") },
    ]);
    expect(paths.get("b")).toBe("runbooks/b-2.md");
  });

  it("writes frontmatter in the documented key order with extra keys sorted", () => {
    const text = documentFileText({
      slug: "plan-x",
      title: "2019",
      body: "# Plan\n\nno trailing newline",
      metadata: { ...meta("contingency_plan"), systems: ["core-ledger"], owner: "core-banking-ops", lastReviewed: "2026-01-02", extra: { scenarios: ["b", "a"], approver: "Chen", nested: { z: 1, a: 2 } } },
    });
    expect(text).toBe(
      [
        "---",
        "kind: contingency_plan",
        'title: "2019"',
        "slug: plan-x",
        "systems: [core-ledger]",
        "owner: core-banking-ops",
        "status: published",
        "last_reviewed: 2026-01-02",
        "approver: Chen",
        "nested:",
        "  a: 2",
        "  z: 1",
        "scenarios:",
        "  - b",
        "  - a",
        "---",
        "# Plan",
        "",
        "no trailing newline",
      ].join("\n"),
    );
  });
});
