import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { auditLog, correctiveActions, documents, drills, inspections } from "#db/schema";
import { createTestDatabase } from "../../tests/db";
import { writeContinuityContent } from "../../tests/continuity-fixtures";
import { listCorrectiveActions } from "../corrective-actions/queries.server";
import { ImportError, importContent } from "../docs/import.server";
import { recordIdForKey } from "./references.server";

/**
 * Drill and inspection records in content folders (drills/*.yaml, inspections/*.yaml), imported by
 * importContent in the same transaction as the documents (app/continuity/import.server.ts).
 */

const DRILLS = `defaults:
  plan: plan-ledger
records:
  - heldAt: 2026-06-14T18:00:00Z
    scenario: Planned switchover
    type: simulation
    outcome: passed
    recoveryMinutes: 12
    participants: [Chen Wei, 张敏]
  - heldAt: 2026-10-17
    scenario: Primary host lost
    type: live_failover
    outcome: failed
    recoveryMinutes: 95
    findings: [WAL shipping had stopped]
    correctiveActions:
      - { title: Alert on WAL shipping lag, owner: Chen Wei, dueDate: 2026-11-15 }
`;
const INSPECTIONS = `defaults:
  system: core-ledger
  inspector: ledger-daily-check
records:
  - 2026-11-19T01:30:00Z ok
  - 2026-11-20T01:30:00Z ok
  - inspectedAt: 2026-11-21T01:30:00Z
    result: warning
    checklist:
      - { item: Replication lag, result: warning, note: 45 s }
    findings: [同步备库复制延迟超过 30 秒]
`;

let handle: DatabaseHandle;
const roots: string[] = [];

beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => {
  await handle.close();
  for (const r of roots) await rm(r, { recursive: true, force: true });
});

async function content(files: Record<string, string>) {
  const root = await writeContinuityContent(files);
  roots.push(root);
  return root;
}
async function n(table: typeof drills | typeof inspections | typeof documents | typeof correctiveActions | typeof auditLog) {
  const [row] = await handle.db.select({ n: count() }).from(table);
  return Number(row!.n);
}
const snapshot = async () => [await n(documents), await n(drills), await n(inspections), await n(correctiveActions), await n(auditLog)];

describe("importing drills and inspections", () => {
  it("refuses a bad record naming the file, the record index and the field, and writes nothing at all", async () => {
    const root = await content({
      "drills/plan-ledger.yaml": DRILLS,
      "inspections/core-ledger.yaml": INSPECTIONS.replace("result: warning\n    checklist", "result: warning\n    checklist").replace("result: warning, note", "result: amber, note"),
    });
    const before = await snapshot();
    const error = (await importContent(handle.db, { root, prefix: "" }).catch((e: unknown) => e)) as ImportError;
    expect(error).toBeInstanceOf(ImportError);
    expect(error.problems).toEqual([
      expect.objectContaining({ file: "inspections/core-ledger.yaml", field: "records[2].checklist[0].result", message: "must be one of ok, warning, failed" }),
    ]);
    expect(error.message).toContain("inspections/core-ledger.yaml: records[2].checklist[0].result: must be one of ok, warning, failed");
    expect(await snapshot()).toEqual(before); // not even the documents
  });

  it("refuses a record whose plan is not a contingency plan, after the documents were checked, and writes nothing", async () => {
    const root = await content({ "drills/x.yaml": DRILLS.replace("plan: plan-ledger", "plan: ledger-lag") });
    const before = await snapshot();
    const error = (await importContent(handle.db, { root, prefix: "" }).catch((e: unknown) => e)) as ImportError;
    expect(error).toBeInstanceOf(ImportError);
    expect(error.problems.map((p) => [p.file, p.field])).toEqual([
      ["drills/x.yaml", "records[0].plan"],
      ["drills/x.yaml", "records[1].plan"],
    ]);
    expect(await snapshot()).toEqual(before);
  });

  it("refuses two records with the same key (same system and time), naming both", async () => {
    const root = await content({ "inspections/core-ledger.yaml": INSPECTIONS + "  - 2026-11-20T01:30:00Z warning\n" });
    const error = (await importContent(handle.db, { root, prefix: "" }).catch((e: unknown) => e)) as ImportError;
    expect(error.problems).toEqual([
      expect.objectContaining({ file: "inspections/core-ledger.yaml", field: "records[3]", message: expect.stringContaining("records[1]") }),
    ]);
  });

  it("imports records with documents, with stable ids; an unchanged re-import writes nothing; a changed record is updated", async () => {
    const root = await content({ "drills/plan-ledger.yaml": DRILLS, "inspections/core-ledger.yaml": INSPECTIONS });
    const first = await importContent(handle.db, { root, prefix: "" });
    expect(first.records).toEqual({
      files: 2,
      drills: { created: 2, updated: 0, unchanged: 0 },
      inspections: { created: 3, updated: 0, unchanged: 0 },
    });
    const id = recordIdForKey("drill", "import:drill:plan-ledger@2026-10-17T00:00:00.000Z");
    const [failed] = await handle.db.select().from(drills).where(eq(drills.id, id));
    expect(failed).toMatchObject({ outcome: "failed", origin: "import", recordedBy: "importer", planRevision: 1 });
    expect(failed!.heldAt.toISOString()).toBe("2026-10-17T00:00:00.000Z");
    const actions = await handle.db.select().from(correctiveActions).where(eq(correctiveActions.drillId, id));
    expect(actions).toMatchObject([{ title: "Alert on WAL shipping lag", owner: "Chen Wei", dueDate: "2026-11-15", status: "open" }]);
    // Raised by the drill: its age on /actions counts from the drill, not from the import.
    expect(actions[0]!.createdAt.toISOString()).toBe("2026-10-17T00:00:00.000Z");
    const listed = await listCorrectiveActions(handle.db, { system: null, team: null, owner: null, statuses: ["open"], source: "drill" }, { now: new Date("2026-11-16T12:00:00Z") });
    expect(listed.items.find((a) => a.title === "Alert on WAL shipping lag")).toMatchObject({ ageDays: 30, overdue: true });
    const [warning] = await handle.db.select().from(inspections).where(eq(inspections.result, "warning"));
    expect(warning).toMatchObject({ inspector: "ledger-daily-check", checklist: [{ item: "Replication lag", result: "warning", note: "45 s" }] });
    const [audit] = await handle.db.select().from(auditLog).where(eq(auditLog.action, "continuity.import"));
    expect(audit!.details).toMatchObject({ drills: { created: 2 }, inspections: { created: 3 } });

    // Unchanged: nothing written, not even an audit entry.
    const before = await snapshot();
    const again = await importContent(handle.db, { root, prefix: "" });
    expect(again.records).toMatchObject({ drills: { created: 0, updated: 0, unchanged: 2 }, inspections: { created: 0, updated: 0, unchanged: 3 } });
    expect(await snapshot()).toEqual(before);

    // A corrective action closed in the app is not "a change" of the file's record.
    await handle.db.update(correctiveActions).set({ status: "done", closedAt: new Date() }).where(eq(correctiveActions.drillId, id));
    expect((await importContent(handle.db, { root, prefix: "" })).records!.drills.unchanged).toBe(2);

    // Changed in the file: the record is updated in place (same id) and a new action title is added.
    await writeFile(
      path.join(root, "drills/plan-ledger.yaml"),
      DRILLS.replace("recoveryMinutes: 95", "recoveryMinutes: 90").replace(
        "dueDate: 2026-11-15 }",
        "dueDate: 2026-11-15 }\n      - { title: Lower DNS TTL, owner: Priya Sharma }",
      ),
    );
    const changed = await importContent(handle.db, { root, prefix: "" });
    expect(changed.records!.drills).toEqual({ created: 0, updated: 1, unchanged: 1 });
    const [updated] = await handle.db.select().from(drills).where(eq(drills.id, id));
    expect(updated!.recoveryMinutes).toBe(90);
    const titles = (await handle.db.select().from(correctiveActions).where(eq(correctiveActions.drillId, id))).map((a) => [a.title, a.status]);
    expect(titles.sort()).toEqual([
      ["Alert on WAL shipping lag", "done"],
      ["Lower DNS TTL", "open"],
    ]);
  });

  it("does not take record YAML for documents or catalog files", async () => {
    const root = await content({ "drills/plan-ledger.yaml": DRILLS });
    const summary = await importContent(handle.db, { root, prefix: "" });
    expect(summary.files).toBe(3); // the three Markdown files of the fixture
    const slugs = (await handle.db.select({ slug: documents.slug }).from(documents)).map((d) => d.slug);
    expect(slugs.some((s) => s.includes("drills"))).toBe(false);
  });
});
