import { and, asc, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { auditLog, documents, revisions } from "#db/schema";
import { createTestDatabase } from "../../tests/db";
import { ALICE, seedDocsCatalog } from "../../tests/docs-fixtures";
import { RevisionConflictError } from "./documents.server";
import { DocumentConflictError, saveDocument, type Actor } from "./save.server";

/**
 * Concurrent saves of one document. On PGlite (one connection) the transactions queue; on
 * PostgreSQL (DATABASE_URL) they truly overlap and saveRevision's `FOR UPDATE` lock on the document
 * row, plus the unique slug for racing creates, must let exactly one save win per base revision.
 */

const WRITERS = 8;
const ROUNDS = 3;
const SLUG = "plans/core-ledger-failover";

let handle: DatabaseHandle;
let db: DatabaseHandle["db"];

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
  await seedDocsCatalog(db);
});
afterAll(() => handle.close());

const writer = (i: number): Actor => ({ userId: `user-${i}`, email: `writer${i}@lhb.example`, name: `Writer ${i}`, ip: `10.0.0.${i}` });

async function bodies(slug: string) {
  return db
    .select({ number: revisions.number, body: revisions.body, author: revisions.author })
    .from(revisions)
    .innerJoin(documents, eq(documents.id, revisions.documentId))
    .where(eq(documents.slug, slug))
    .orderBy(asc(revisions.number));
}

/** Runs every save at once and sorts the outcomes into the winner(s) and the conflicts. */
async function race(saves: Array<() => ReturnType<typeof saveDocument>>) {
  const settled = await Promise.allSettled(saves.map((save) => save()));
  const winners: number[] = [];
  const conflicts: Array<{ index: number; error: DocumentConflictError }> = [];
  settled.forEach((outcome, index) => {
    if (outcome.status === "fulfilled") {
      expect(outcome.value).toMatchObject({ ok: true });
      winners.push(index);
    } else {
      expect(outcome.reason).toBeInstanceOf(RevisionConflictError);
      conflicts.push({ index, error: outcome.reason as DocumentConflictError });
    }
  });
  return { winners, conflicts, results: settled };
}

describe(`${WRITERS} concurrent saves with the same base revision`, () => {
  it("let exactly one create win when they race on a new slug; the others get their text back", async () => {
    const texts = Array.from({ length: WRITERS }, (_, i) => `## Scope\n\nDraft by writer ${i}\n`);
    const { winners, conflicts } = await race(
      texts.map((markdown, i) => () => saveDocument(db, { slug: SLUG, title: "Core ledger DB failover", markdown, kind: "contingency_plan" }, writer(i))),
    );
    expect(winners).toHaveLength(1);
    expect(conflicts).toHaveLength(WRITERS - 1);
    const stored = await bodies(SLUG);
    expect(stored).toEqual([{ number: 1, body: texts[winners[0]!], author: `Writer ${winners[0]}` }]);
    for (const { index, error } of conflicts) {
      expect(error).toBeInstanceOf(DocumentConflictError);
      expect(error.baseRevision).toBe(0);
      expect(error.current.number).toBe(1);
      expect(error.current.body).toBe(texts[winners[0]!]);
      expect(error.yours.markdown).toBe(texts[index]);
    }
  });

  it(`let exactly one save win per base revision, round after round (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const [doc] = await db.select({ current: documents.currentRevision }).from(documents).where(eq(documents.slug, SLUG));
      const base = doc!.current;
      const texts = Array.from({ length: WRITERS }, (_, i) => `## Scope\n\nRound ${round}, edit by writer ${i}\n`);
      const { winners, conflicts } = await race(
        texts.map((markdown, i) => () =>
          saveDocument(db, { slug: SLUG, baseRevision: base, title: "Core ledger DB failover", markdown, message: `writer ${i}` }, writer(i)),
        ),
      );

      expect(winners).toHaveLength(1);
      expect(conflicts).toHaveLength(WRITERS - 1);
      const winner = winners[0]!;
      const stored = await bodies(SLUG);
      expect(stored.map((r) => r.number)).toEqual(Array.from({ length: base + 1 }, (_, i) => i + 1));
      expect(stored.at(-1)).toEqual({ number: base + 1, body: texts[winner], author: `Writer ${winner}` });

      // Every submitted text is still retrievable: the winner's in revisions, each loser's in its conflict.
      for (const { index, error } of conflicts) {
        expect(error).toMatchObject({ slug: SLUG, baseRevision: base, currentRevision: base + 1 });
        expect(error.current.body).toBe(texts[winner]);
        expect(error.yours.markdown).toBe(texts[index]);
      }
      const retrievable = new Set([stored.at(-1)!.body, ...conflicts.map((c) => c.error.yours.markdown)]);
      expect(retrievable).toEqual(new Set(texts));

      const [audits] = await db
        .select({ n: count() })
        .from(auditLog)
        .where(and(eq(auditLog.target, SLUG), eq(auditLog.revision, base + 1)));
      expect(Number(audits!.n)).toBe(1);
    }
  });

  it("still serialises when the writers use different texts and metadata and one of them merges after losing", async () => {
    const [doc] = await db.select({ current: documents.currentRevision }).from(documents).where(eq(documents.slug, SLUG));
    const base = doc!.current;
    const mine = "## Scope\n\nAlice's version\n";
    const theirs = "## Scope\n\nBogdan's version\n";
    const { winners, conflicts } = await race([
      () => saveDocument(db, { slug: SLUG, baseRevision: base, title: "Core ledger DB failover", markdown: theirs, status: "draft" }, writer(1)),
      () => saveDocument(db, { slug: SLUG, baseRevision: base, title: "Core ledger DB failover", markdown: mine, systems: ["core-ledger"] }, ALICE),
    ]);
    expect(winners).toHaveLength(1);
    // The loser merges on top of the current revision (the conflict tells it which) and saves again.
    const loser = conflicts[0]!.error;
    const merged = `${loser.current.body}\n${loser.yours.markdown}`;
    const again = await saveDocument(db, { slug: SLUG, baseRevision: loser.current.number, title: "Core ledger DB failover", markdown: merged }, ALICE);
    expect(again).toMatchObject({ ok: true, revision: base + 2 });
    const stored = await bodies(SLUG);
    expect(stored.at(-1)!.body).toContain("Alice's version");
    expect(stored.at(-1)!.body).toContain("Bogdan's version");
  });
});
