import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { and, count, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle, Executor } from "#db/client";
import { auditLog, documents, incidents, revisions } from "#db/schema";
import { createTestDatabase } from "../../tests/db";
import { importContent } from "../docs/import.server";
import { importIncidents, readIncidentFiles } from "./incident-import.server";
import { getIncident } from "./incidents.server";

// The set-based incident import (incident-import-store.server.ts): a small content folder with the
// demo catalog, one postmortem and three incidents/*.yaml entries.
const CONTENT = path.resolve(__dirname, "../../content");
const PM = "pm-2026-10-ib-session-store";

let handle: DatabaseHandle;
let db: DatabaseHandle["db"];
let dir: string;
beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
  dir = await mkdtemp(path.join(os.tmpdir(), "inc-store-"));
  await cp(path.join(CONTENT, "catalog"), path.join(dir, "catalog"), { recursive: true });
  await mkdir(path.join(dir, "postmortems"));
  await mkdir(path.join(dir, "runbooks"));
  await cp(path.join(CONTENT, "runbooks", "internet-banking-high-latency.md"), path.join(dir, "runbooks", "internet-banking-high-latency.md"));
  await cp(path.join(CONTENT, "postmortems", `${PM}.md`), path.join(dir, "postmortems", `${PM}.md`));
  await mkdir(path.join(dir, "incidents"));
  // Listed out of start order: the importer writes them in start order, so "later" can name "earlier".
  await writeFile(
    path.join(dir, "incidents", "a.yaml"),
    `- key: later
  title: Later
  severity: SEV3
  systems: [cmdb]
  started_at: 2026-02-05 10:00
  resolved_at: 2026-02-05 11:00
  recurrence_of: earlier
- key: earlier
  title: Earlier
  severity: SEV2
  systems: [cmdb, core-ledger]
  timezone: Asia/Shanghai
  started_at: 2026-02-01 10:00
  resolved_at: 2026-02-01 11:00
  events:
  - at: 2026-02-01 10:05
    text: Paged the on-call
  actions:
  - title: Add a check
    owner: Li Na
    due: '2026-03-01'
    status: done
    closed: '2026-02-20'
- key: pm-follow-up
  title: Same failure again
  severity: SEV2
  systems: [internet-banking]
  started_at: 2026-11-01 01:00
  recurrence_of: ${PM}
`,
  );
});
afterAll(async () => {
  await handle.close();
  await rm(dir, { recursive: true, force: true });
});

const byKey = async (key: string) => {
  const [row] = await db.select({ number: incidents.number }).from(incidents).where(eq(incidents.externalKey, key));
  return row ? getIncident(db, row.number) : null;
};
const audits = async () => (await db.select({ n: count() }).from(auditLog))[0]!.n;

/** Counts the statements sent through `tx` (select/insert/update/delete/execute calls). */
function counting(tx: Executor): { tx: Executor; sent: () => number } {
  let sent = 0;
  const proxy = new Proxy(tx, {
    get(target, property, receiver) {
      if (property === "select" || property === "insert" || property === "update" || property === "delete" || property === "execute") sent++;
      return Reflect.get(target, property, receiver);
    },
  });
  return { tx: proxy, sent: () => sent };
}

describe("set-based incident import", () => {
  it("writes new incidents, their links, events, actions and audit entries; a recurrence may name an incident of the same import", async () => {
    const summary = await importContent(db, { root: dir, prefix: "" });
    expect(summary.incidents).toMatchObject({ created: 4, updated: 0, unchanged: 0 });
    const pm = (await byKey(`postmortem:${PM}`))!;
    const earlier = (await byKey("import:earlier"))!;
    const later = (await byKey("import:later"))!;
    const followUp = (await byKey("import:pm-follow-up"))!;
    // Numbers in the order the importer decides: postmortems first, then entries by start.
    expect([pm.number, earlier.number, later.number, followUp.number]).toEqual([1, 2, 3, 4]);
    expect(later.recurrenceOf).toEqual({ number: earlier.number, title: "Earlier" });
    expect(followUp.recurrenceOf).toEqual({ number: pm.number, title: pm.title });
    expect(earlier.systems.map((s) => s.slug).sort()).toEqual(["cmdb", "core-ledger"]);
    expect(earlier.events).toMatchObject([{ text: "Paged the on-call", source: "import: incidents/a.yaml" }]);
    expect(earlier.events[0]!.at.toISOString()).toBe("2026-02-01T02:05:00.000Z");
    expect(earlier.actions).toMatchObject([{ title: "Add a check", status: "done", dueDate: "2026-03-01" }]);
    expect(earlier.actions[0]!.closedAt!.toISOString()).toBe("2026-02-20T12:00:00.000Z");
    expect(pm.runbooks.map((r) => r.slug)).toEqual(["internet-banking-high-latency"]);
    const created = await db.select({ target: auditLog.target, details: auditLog.details }).from(auditLog).where(eq(auditLog.action, "incident.create"));
    expect(created.map((a) => a.target).sort()).toEqual(["INC-1", "INC-2", "INC-3", "INC-4"]);
    expect(created.find((a) => a.target === `INC-${earlier.number}`)!.details).toMatchObject({ externalKey: "import:earlier", events: 1, actions: 1, systems: ["cmdb", "core-ledger"] });
  });

  it("compares an unchanged import in two statements and writes nothing", async () => {
    const files = await readIncidentFiles(dir);
    const [doc] = await db
      .select({ documentId: documents.id, title: revisions.title, body: revisions.body, metadata: revisions.metadata })
      .from(documents)
      .innerJoin(revisions, and(eq(revisions.documentId, documents.id), eq(revisions.number, documents.currentRevision)))
      .where(eq(documents.slug, PM));
    const before = await audits();
    const result = await db.transaction(async (tx) => {
      const counted = counting(tx);
      // "created" makes the postmortem's incident be compared too, not skipped as an unchanged document.
      const summary = await importIncidents(counted.tx, { files: files.entries, postmortems: [{ ...doc!, file: `postmortems/${PM}.md`, slug: PM, outcome: "created" }] });
      return { summary, sent: counted.sent() };
    });
    expect(result.summary).toMatchObject({ created: 0, updated: 0, unchanged: 4 });
    expect(result.sent).toBe(2);
    expect(await audits()).toBe(before);
  });

  it("updates a changed entry with one audit entry naming each field's before and after", async () => {
    const file = path.join(dir, "incidents", "a.yaml");
    await writeFile(file, (await readFile(file, "utf8")).replace("title: Later", "title: Later, renamed").replace("recurrence_of: earlier", `recurrence_of: ${PM}`));
    const summary = await importContent(db, { root: dir, prefix: "" });
    expect(summary.incidents).toMatchObject({ created: 0, updated: 1, unchanged: 3 });
    const later = (await byKey("import:later"))!;
    expect(later).toMatchObject({ title: "Later, renamed", version: 2, recurrenceOf: { number: 1 } });
    const [entry] = await db.select().from(auditLog).where(eq(auditLog.action, "incident.update")).orderBy(desc(auditLog.id)).limit(1);
    expect(entry).toMatchObject({ actor: "importer", target: `INC-${later.number}` });
    expect(entry!.details).toEqual({
      baseVersion: 1,
      version: 2,
      changes: { title: { before: "Later", after: "Later, renamed" }, recurrenceOf: { before: "INC-2", after: "INC-1" } },
    });
  });

  it("stores and audits new timestamp sources when a postmortem's timeline row is reworded but its time is not", async () => {
    const file = path.join(dir, "postmortems", `${PM}.md`);
    await writeFile(file, (await readFile(file, "utf8")).replace("**Resolved.** Session store health verified", "**Resolved.** Session store health checked"));
    const summary = await importContent(db, { root: dir, prefix: "" });
    expect(summary.incidents).toMatchObject({ created: 0, updated: 1, unchanged: 3 });
    const pm = (await byKey(`postmortem:${PM}`))!;
    expect(pm.timestampSources.resolvedAt).toContain("Session store health checked");
    expect(pm.version).toBe(1); // no editable field changed
    const [entry] = await db.select().from(auditLog).where(eq(auditLog.action, "incident.update")).orderBy(desc(auditLog.id)).limit(1);
    expect(entry!.target).toBe(`INC-${pm.number}`);
    expect(entry!.details).toMatchObject({ origin: "import", externalKey: `postmortem:${PM}`, events: 7, timestampSources: { after: pm.timestampSources } });
  });

  it("makes no incident from a postmortem that an entry names: the entry's incident is its review", async () => {
    await writeFile(path.join(dir, "postmortems", "pm-reviewed.md"), "---\nkind: postmortem\ntitle: Reviewed\nslug: pm-reviewed\nincident: INC-99\nseverity: SEV2\nstarted_at: 2026-04-01T10:00:00Z\n---\n\nText.\n");
    await writeFile(
      path.join(dir, "incidents", "b.yaml"),
      "- key: inc-99\n  title: Reviewed one\n  severity: SEV2\n  systems: [cmdb]\n  started_at: 2026-04-01T10:00:00Z\n  postmortem: pm-reviewed\n",
    );
    const summary = await importContent(db, { root: dir, prefix: "" });
    expect(summary.incidents).toMatchObject({ created: 1, notParsed: [] });
    expect(await byKey("postmortem:pm-reviewed")).toBeNull();
    expect((await byKey("import:inc-99"))!.postmortem?.slug).toBe("pm-reviewed");
  });
});
