import { and, asc, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { auditLog, documents, documentSystems, revisions, runbookAlerts, searchOutbox, wikiLinks } from "#db/schema";
import { createTestDatabase } from "../../tests/db";
import { ALICE, BOGDAN, seedDocsCatalog } from "../../tests/docs-fixtures";
import { RevisionConflictError } from "./documents.server";
import { DocumentConflictError, DocumentNotFoundError, MAX_MARKDOWN_BYTES, restoreRevision, saveDocument, type DocumentInput } from "./save.server";

let handle: DatabaseHandle;
let db: DatabaseHandle["db"];

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
  await seedDocsCatalog(db);
});
afterAll(() => handle.close());

const RUNBOOK = "## Symptoms\n\nLedger replica lag above 30 s.\n\n## Steps\n\n- [ ] Check `pg_stat_replication`\n";

function newRunbook(slug: string, overrides: Partial<DocumentInput> = {}): DocumentInput {
  return {
    slug,
    title: "Core ledger replica lag",
    markdown: RUNBOOK,
    message: "First version",
    kind: "runbook",
    status: "published",
    systems: ["core-ledger"],
    tags: "postgresql, replication",
    alerts: "LedgerReplicaLagHigh",
    owner: "core-banking-ops",
    lastReviewed: "2026-01-15",
    ...overrides,
  };
}

async function tableCount(table: typeof revisions | typeof auditLog | typeof searchOutbox | typeof documents) {
  const [row] = await db.select({ n: count() }).from(table);
  return Number(row!.n);
}

async function revisionRows(slug: string) {
  return db
    .select({ number: revisions.number, title: revisions.title, body: revisions.body, metadata: revisions.metadata, author: revisions.author, message: revisions.message, createdAt: revisions.createdAt })
    .from(revisions)
    .innerJoin(documents, eq(documents.id, revisions.documentId))
    .where(eq(documents.slug, slug))
    .orderBy(asc(revisions.number));
}

async function auditFor(slug: string) {
  return db.select().from(auditLog).where(and(eq(auditLog.targetType, "document"), eq(auditLog.target, slug))).orderBy(asc(auditLog.id));
}

describe("saveDocument: creating", () => {
  it("creates revision 1 with its metadata, link tables, search outbox row and a document.create audit entry", async () => {
    const outboxBefore = await tableCount(searchOutbox);
    const result = await saveDocument(db, newRunbook("ledger-replica-lag", { markdown: `${RUNBOOK}\nSee [[ledger-failover]].\n` }), ALICE);
    expect(result).toEqual({ ok: true, slug: "ledger-replica-lag", revision: 1, outcome: "created" });

    const [doc] = await db.select().from(documents).where(eq(documents.slug, "ledger-replica-lag"));
    expect(doc).toMatchObject({ kind: "runbook", title: "Core ledger replica lag", status: "published", currentRevision: 1, lastReviewed: "2026-01-15" });
    const [rev] = await revisionRows("ledger-replica-lag");
    expect(rev).toMatchObject({ number: 1, author: "Alice Chen", message: "First version" });
    expect(rev!.metadata).toEqual({
      kind: "runbook",
      status: "published",
      systems: ["core-ledger"],
      tags: ["postgresql", "replication"],
      alerts: ["LedgerReplicaLagHigh"],
      owner: "core-banking-ops",
      lastReviewed: "2026-01-15",
      extra: {},
    });
    expect(await db.select({ n: count() }).from(documentSystems).where(eq(documentSystems.documentId, doc!.id))).toEqual([{ n: 1 }]);
    expect(await db.select({ name: runbookAlerts.alertName }).from(runbookAlerts).where(eq(runbookAlerts.documentId, doc!.id))).toEqual([
      { name: "LedgerReplicaLagHigh" },
    ]);
    expect(await db.select({ target: wikiLinks.targetSlug }).from(wikiLinks).where(eq(wikiLinks.sourceDocumentId, doc!.id))).toEqual([
      { target: "ledger-failover" },
    ]);
    expect(await tableCount(searchOutbox)).toBe(outboxBefore + 1);

    const audit = await auditFor("ledger-replica-lag");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: "document.create",
      actor: "alice@lhb.example",
      actorUserId: "user-alice",
      targetType: "document",
      target: "ledger-replica-lag",
      revision: 1,
      ip: "10.1.2.3",
    });
  });

  it("defaults what a create leaves out (article, published, no owner) and normalises CRLF and lists", async () => {
    const result = await saveDocument(
      db,
      { slug: "  Onboarding/Welcome ", title: " Welcome ", markdown: "Line one\r\nLine two\r\n", systems: "payment-gateway, core-ledger, core-ledger" },
      ALICE,
    );
    expect(result).toMatchObject({ ok: true, slug: "onboarding/welcome", revision: 1 });
    const [rev] = await revisionRows("onboarding/welcome");
    expect(rev!.title).toBe("Welcome");
    expect(rev!.body).toBe("Line one\nLine two\n");
    expect(rev!.metadata).toMatchObject({ kind: "article", status: "published", owner: null, systems: ["core-ledger", "payment-gateway"], tags: [] });
  });

  it("refuses a create on a slug that exists with a conflict that carries both texts, writing nothing", async () => {
    const before = await tableCount(revisions);
    const attempt = saveDocument(db, newRunbook("ledger-replica-lag", { markdown: "Someone else's runbook\n" }), BOGDAN);
    await expect(attempt).rejects.toBeInstanceOf(RevisionConflictError);
    const error = (await attempt.catch((e: unknown) => e)) as DocumentConflictError;
    expect(error).toBeInstanceOf(DocumentConflictError);
    expect(error.baseRevision).toBe(0);
    expect(error.current.number).toBe(1);
    expect(error.yours.markdown).toBe("Someone else's runbook\n");
    expect(error.message).toMatch(/already exists/);
    expect(await tableCount(revisions)).toBe(before);
  });
});

describe("saveDocument: updating", () => {
  it("saves revision 2 on base 1, keeping metadata the input leaves out, with a document.update audit entry", async () => {
    const result = await saveDocument(
      db,
      { slug: "ledger-replica-lag", baseRevision: 1, title: "Core ledger replica lag", markdown: `${RUNBOOK}\n## Escalation\n\nCall L2.\n`, message: "Add escalation" },
      BOGDAN,
    );
    expect(result).toEqual({ ok: true, slug: "ledger-replica-lag", revision: 2, outcome: "updated" });
    const rows = await revisionRows("ledger-replica-lag");
    expect(rows.map((r) => r.number)).toEqual([1, 2]);
    expect(rows[1]!.metadata).toEqual(rows[0]!.metadata);
    expect(rows[1]).toMatchObject({ author: "Bogdan Nowak", message: "Add escalation" });
    const audit = await auditFor("ledger-replica-lag");
    expect(audit.at(-1)).toMatchObject({ action: "document.update", actor: "bogdan@lhb.example", revision: 2, ip: "10.4.5.6" });
    expect(audit.at(-1)!.details).toMatchObject({ baseRevision: 1, message: "Add escalation" });
  });

  it("clears the owner and last review when given empty values, and keeps frontmatter extras", async () => {
    const [doc] = await db.select({ id: documents.id }).from(documents).where(eq(documents.slug, "ledger-replica-lag"));
    // An imported document may carry frontmatter Drillbook does not model; the editor must not drop it.
    await db.insert(revisions).values({
      documentId: doc!.id,
      number: 3,
      title: "Core ledger replica lag",
      body: "text\n",
      metadata: { kind: "runbook", status: "published", systems: [], tags: [], alerts: [], owner: "platform-sre", lastReviewed: null, extra: { language: "en" } },
      author: "importer",
      contentHash: "x",
    });
    await db.update(documents).set({ currentRevision: 3 }).where(eq(documents.id, doc!.id));
    const result = await saveDocument(db, { slug: "ledger-replica-lag", baseRevision: "3", title: "Core ledger replica lag", markdown: "text 2\n", owner: "", lastReviewed: "" }, ALICE);
    expect(result).toMatchObject({ ok: true, revision: 4 });
    const rows = await revisionRows("ledger-replica-lag");
    expect(rows.at(-1)!.metadata).toMatchObject({ owner: null, lastReviewed: null, extra: { language: "en" } });
  });

  it("writes nothing for a save identical to the current revision (no revision, audit or outbox row)", async () => {
    const [revs, audits, outbox] = await Promise.all([tableCount(revisions), tableCount(auditLog), tableCount(searchOutbox)]);
    const current = (await revisionRows("ledger-replica-lag")).at(-1)!;
    const result = await saveDocument(
      db,
      { slug: "ledger-replica-lag", baseRevision: current.number, title: current.title, markdown: current.body.replace(/\n/g, "\r\n"), message: "no change" },
      ALICE,
    );
    expect(result).toEqual({ ok: true, slug: "ledger-replica-lag", revision: current.number, outcome: "unchanged" });
    expect([await tableCount(revisions), await tableCount(auditLog), await tableCount(searchOutbox)]).toEqual([revs, audits, outbox]);
  });

  it("refuses a stale base with a conflict naming the current revision, and writes nothing", async () => {
    const before = await tableCount(revisions);
    const error = (await saveDocument(db, { slug: "ledger-replica-lag", baseRevision: 2, title: "T", markdown: "my edit\n" }, ALICE).catch((e: unknown) => e)) as DocumentConflictError;
    expect(error).toBeInstanceOf(DocumentConflictError);
    expect(error).toMatchObject({ slug: "ledger-replica-lag", baseRevision: 2, currentRevision: 4 });
    expect(error.current).toMatchObject({ number: 4, body: "text 2\n" });
    expect(error.yours).toMatchObject({ title: "T", markdown: "my edit\n" });
    expect(await tableCount(revisions)).toBe(before);
  });

  it("refuses an update of a document that does not exist", async () => {
    await expect(saveDocument(db, { slug: "no-such-doc", baseRevision: 1, title: "T", markdown: "x" }, ALICE)).rejects.toBeInstanceOf(DocumentNotFoundError);
    expect(await db.select().from(documents).where(eq(documents.slug, "no-such-doc"))).toEqual([]);
  });
});

describe("saveDocument: validation", () => {
  const cases: Array<[string, Partial<DocumentInput>, string, RegExp]> = [
    ["empty title", { title: "   " }, "title", /Give a title/],
    ["long title", { title: "x".repeat(201) }, "title", /200 characters/],
    ["missing markdown", { markdown: undefined }, "markdown", /text/],
    ["markdown over 1 MB", { markdown: "a".repeat(MAX_MARKDOWN_BYTES + 1) }, "markdown", /1 MB/],
    ["unknown kind", { kind: "recipe" }, "kind", /runbook/],
    ["unknown status", { status: "final" }, "status", /draft, published or archived/],
    ["unknown system", { systems: ["core-ledger", "mainframe"] }, "systems", /mainframe/],
    ["bad alert name", { alerts: "KubePodCrashLooping, disk full" }, "alerts", /disk full/],
    ["unknown owner", { owner: "night-shift" }, "owner", /owner team/],
    ["bad date", { lastReviewed: "15/01/2026" }, "lastReviewed", /YYYY-MM-DD/],
    ["impossible date", { lastReviewed: "2026-02-30" }, "lastReviewed", /YYYY-MM-DD/],
    ["future date", { lastReviewed: "2999-01-01" }, "lastReviewed", /future/],
    ["long message", { message: "m".repeat(501) }, "message", /500/],
    ["bad slug", { slug: "runbooks//x y" }, "slug", /letters, digits/],
    ["reserved slug ending", { slug: "runbooks/diff" }, "slug", /may not end/],
    ["bad base revision", { baseRevision: "abc" }, "baseRevision", /revision number/],
  ];
  it.each(cases)("names the field for %s, writing nothing", async (_name, overrides, field, message) => {
    const before = await tableCount(documents);
    const result = await saveDocument(db, newRunbook("validation-target", overrides), ALICE);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.fieldErrors)).toEqual([field]);
    expect(result.fieldErrors[field as keyof typeof result.fieldErrors]).toMatch(message);
    expect(await tableCount(documents)).toBe(before);
  });

  it("reports every bad field at once", async () => {
    const result = await saveDocument(db, newRunbook("validation-target", { title: "", kind: "x", alerts: "a b" }), ALICE);
    expect(result.ok ? [] : Object.keys(result.fieldErrors).sort()).toEqual(["alerts", "kind", "title"]);
  });

  it("accepts a retired system (documents about decommissioned systems stay linked)", async () => {
    const result = await saveDocument(db, newRunbook("fax-queue", { systems: ["fax-gateway"] }), ALICE);
    expect(result).toMatchObject({ ok: true, revision: 1 });
  });
});

describe("restoreRevision", () => {
  it("creates a new revision equal to the old one, leaving every older revision as it was", async () => {
    const before = await revisionRows("ledger-replica-lag");
    const auditsBefore = (await auditFor("ledger-replica-lag")).length;
    const result = await restoreRevision(db, { slug: "ledger-replica-lag", revision: 1, baseRevision: before.at(-1)!.number }, BOGDAN);
    expect(result).toEqual({ ok: true, slug: "ledger-replica-lag", revision: before.length + 1, outcome: "updated" });

    const after = await revisionRows("ledger-replica-lag");
    expect(after.slice(0, before.length)).toEqual(before);
    const restored = after.at(-1)!;
    expect(restored).toMatchObject({ number: before.length + 1, title: before[0]!.title, body: before[0]!.body, metadata: before[0]!.metadata });
    expect(restored).toMatchObject({ message: "Restored revision 1", author: "Bogdan Nowak" });
    const [doc] = await db.select().from(documents).where(eq(documents.slug, "ledger-replica-lag"));
    expect(doc).toMatchObject({ currentRevision: restored.number, ownerTeamId: expect.any(Number), lastReviewed: "2026-01-15" });

    const audit = await auditFor("ledger-replica-lag");
    expect(audit).toHaveLength(auditsBefore + 1);
    expect(audit.at(-1)).toMatchObject({ action: "document.restore", actor: "bogdan@lhb.example", revision: restored.number, ip: "10.4.5.6" });
    expect(audit.at(-1)!.details).toMatchObject({ restoredFrom: 1 });
  });

  it("writes nothing when the old revision equals the current one", async () => {
    const revs = await tableCount(revisions);
    const result = await restoreRevision(db, { slug: "ledger-replica-lag", revision: 1 }, ALICE);
    expect(result).toMatchObject({ ok: true, outcome: "unchanged" });
    expect(await tableCount(revisions)).toBe(revs);
  });

  it("refuses a stale base, a missing revision and a missing document", async () => {
    await expect(restoreRevision(db, { slug: "ledger-replica-lag", revision: 2, baseRevision: 1 }, ALICE)).rejects.toBeInstanceOf(DocumentConflictError);
    await expect(restoreRevision(db, { slug: "ledger-replica-lag", revision: 99 }, ALICE)).rejects.toThrow(/no revision 99/);
    await expect(restoreRevision(db, { slug: "nope", revision: 1 }, ALICE)).rejects.toBeInstanceOf(DocumentNotFoundError);
  });
});
