import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { asc, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { documents, drills, revisions, searchOutbox } from "#db/schema";
import { createTestDatabase } from "../../tests/db";
import { getPlanContinuity } from "../continuity/continuity.server";
import { exportContent } from "./export.server";
import { ImportError, importContent } from "./import.server";

/**
 * Earlier revisions as files (revisions/<slug>/<n>.md, app/docs/history-files.server.ts): a plan with
 * two revisions and a drill of revision 1 survives export -> import into an empty database; history
 * is appended, never rewritten; bad history files are refused by name and nothing is written.
 */

let a: DatabaseHandle;
let b: DatabaseHandle;
let tmp: string;

beforeAll(async () => {
  [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  tmp = await mkdtemp(path.join(os.tmpdir(), "drillbook-history-"));
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await rm(tmp, { recursive: true, force: true });
});

async function writeTree(root: string, files: Record<string, string>) {
  await rm(root, { recursive: true, force: true });
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), content);
  }
}

async function tree(root: string): Promise<Map<string, string>> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const out = new Map<string, string>();
  for (const e of entries.filter((e) => e.isFile())) {
    const full = path.join(e.parentPath, e.name);
    out.set(path.relative(root, full).split(path.sep).join("/"), await readFile(full, "utf8"));
  }
  return out;
}

const plan = (slug: string, text: string) => `---\nkind: contingency_plan\ntitle: Office lost\nslug: ${slug}\n---\n# Office lost\n\n${text}\n`;
const drillFile = (slug: string, records: string) => `defaults:\n  plan: ${slug}\nrecords:\n${records}`;
const DRILL = "  - heldAt: 2026-05-01T08:00:00Z\n    scenario: Office unreachable\n    type: tabletop\n    outcome: passed\n";

async function bodies(db: DatabaseHandle["db"], slug: string): Promise<string[]> {
  const rows = await db
    .select({ body: revisions.body })
    .from(revisions)
    .innerJoin(documents, eq(documents.id, revisions.documentId))
    .where(eq(documents.slug, slug))
    .orderBy(asc(revisions.number));
  return rows.map((r) => r.body.replace("# Office lost\n\n", "").trim());
}

const tableCount = async (db: DatabaseHandle["db"], table: typeof documents | typeof revisions | typeof searchOutbox | typeof drills) =>
  Number((await db.select({ n: count() }).from(table))[0]!.n);

describe("a plan's earlier revisions through export -> import", () => {
  it("keeps both texts and the drill's revision 1 in an empty database; an unchanged re-import writes nothing", async () => {
    const source = path.join(tmp, "source");
    await writeTree(source, { "plans/plan-office.md": plan("plan-office", "Work from home."), "drills/plan-office.yaml": drillFile("plan-office", DRILL) });
    await importContent(a.db, { root: source, prefix: "" });
    await writeFile(path.join(source, "plans/plan-office.md"), plan("plan-office", "Work from home; call the landlord."));
    expect(await importContent(a.db, { root: source, prefix: "" })).toMatchObject({ updated: 1, history: 0 });

    const out = path.join(tmp, "export1");
    const exported = await exportContent(a.db, out);
    expect(exported.warnings).toEqual([]);
    const files = await tree(out);
    expect(files.get("revisions/plan-office/1.md")).toBe(plan("plan-office", "Work from home.").replace("---\n# Office", "status: published\n---\n# Office"));
    expect(files.get("drills/plan-office.yaml")).toContain("    planRevision: 1\n");
    expect([...files.keys()].filter((f) => f.startsWith("revisions/"))).toEqual(["revisions/plan-office/1.md"]);

    const imported = await importContent(b.db, { root: out, prefix: "" });
    expect(imported).toMatchObject({ created: 1, updated: 0, history: 1, warnings: [] });
    expect(await bodies(b.db, "plan-office")).toEqual(["Work from home.", "Work from home; call the landlord."]);
    const [drill] = await b.db.select().from(drills);
    expect(drill!.planRevision).toBe(1);
    const page = await getPlanContinuity(b.db, "plan-office", new Date("2026-11-22T00:00:00Z"));
    expect(page).toMatchObject({ currentRevision: 2, drill: { changedSinceLastDrill: true } });

    const counts = async () => [await tableCount(b.db, revisions), await tableCount(b.db, searchOutbox), await tableCount(b.db, drills)];
    const before = await counts();
    expect(await importContent(b.db, { root: out, prefix: "" })).toMatchObject({ created: 0, updated: 0, unchanged: 1, history: 0, warnings: [] });
    expect(await counts()).toEqual(before);

    const again = path.join(tmp, "export2");
    await exportContent(b.db, again);
    expect(await tree(again)).toEqual(files);
  });

  it("appends the revisions a stored document lacks, and never rewrites stored ones", async () => {
    const root = path.join(tmp, "append");
    await writeTree(root, { "p.md": plan("plan-append", "A") });
    await importContent(a.db, { root, prefix: "" });
    await writeTree(root, { "p.md": plan("plan-append", "C"), "revisions/plan-append/1.md": plan("plan-append", "A"), "revisions/plan-append/2.md": plan("plan-append", "B") });
    expect(await importContent(a.db, { root, prefix: "" })).toMatchObject({ updated: 1, history: 1 });
    expect(await bodies(a.db, "plan-append")).toEqual(["A", "B", "C"]);

    await writeTree(root, { "p.md": plan("plan-differs", "A") });
    await importContent(a.db, { root, prefix: "" });
    await writeTree(root, { "p.md": plan("plan-differs", "B"), "revisions/plan-differs/1.md": plan("plan-differs", "Z") });
    const summary = await importContent(a.db, { root, prefix: "" });
    expect(summary).toMatchObject({ updated: 1, history: 0 });
    expect(summary.warnings.join("\n")).toMatch(/stored revision 1 of plan-differs differs from revisions\/plan-differs\/1\.md/);
    expect(await bodies(a.db, "plan-differs")).toEqual(["A", "B"]);
  });
});

describe("bad history files", () => {
  it("are refused naming the file and field, and nothing is written", async () => {
    const root = path.join(tmp, "bad");
    await writeTree(root, {
      "p.md": plan("plan-bad", "Now"),
      "revisions/plan-bad/1.md": "---\nstatus: finished\n---\n# Office lost\n",
      "revisions/plan-bad/3.md": plan("plan-bad", "Three"),
      "revisions/plan-bad/first.md": plan("plan-bad", "First"),
      "revisions/nobody/1.md": plan("nobody", "Nobody"),
      "revisions/plan-same/1.md": plan("plan-same", "Same"),
      "q.md": plan("plan-same", "Same"),
    });
    const before = [await tableCount(a.db, documents), await tableCount(a.db, revisions)];
    const error = (await importContent(a.db, { root, prefix: "" }).catch((e: unknown) => e)) as ImportError;
    expect(error).toBeInstanceOf(ImportError);
    const found = error.problems.map((p) => `${p.file} ${p.field}`).sort();
    expect(found).toEqual([
      "revisions/nobody/1.md slug",
      "revisions/plan-bad/ (revision numbers)",
      "revisions/plan-bad/1.md status",
      "revisions/plan-bad/first.md (file name)",
      "revisions/plan-same/1.md (content)",
    ]);
    expect(error.message).toContain("revision 2 is missing");
    expect([await tableCount(a.db, documents), await tableCount(a.db, revisions)]).toEqual(before);
  });

  it("a drill naming a revision the history does not have is refused (file, record, field); one it has is taken", async () => {
    const root = path.join(tmp, "drill-revision");
    const files = { "p.md": plan("plan-rev", "Two"), "revisions/plan-rev/1.md": plan("plan-rev", "One") };
    await writeTree(root, { ...files, "drills/plan-rev.yaml": drillFile("plan-rev", `${DRILL}    planRevision: 3\n`) });
    const before = [await tableCount(a.db, documents), await tableCount(a.db, revisions), await tableCount(a.db, drills)];
    const error = (await importContent(a.db, { root, prefix: "" }).catch((e: unknown) => e)) as ImportError;
    expect(error.problems).toEqual([expect.objectContaining({ file: "drills/plan-rev.yaml", field: "records[0].planRevision", message: expect.stringContaining("revisions 1 to 2") })]);
    expect([await tableCount(a.db, documents), await tableCount(a.db, revisions), await tableCount(a.db, drills)]).toEqual(before);

    await writeTree(root, { ...files, "drills/plan-rev.yaml": drillFile("plan-rev", `${DRILL}    planRevision: 1\n`) });
    expect(await importContent(a.db, { root, prefix: "" })).toMatchObject({ created: 1, history: 1, records: { drills: { created: 1 } } });
    expect(await bodies(a.db, "plan-rev")).toEqual(["One", "Two"]);
  });
});
