/**
 * npx tsx scripts/bench-incident-import.ts — how long the incident part of an import takes on the
 * demo content (content/: 40 entries of incidents/*.yaml and 7 postmortems).
 *
 * Prints, each the median of RUNS (env BENCH_RUNS, default 3) fresh in-memory PGlite databases:
 * - the whole `importContent` of content/ (first import) and of the same content again (re-import);
 * - `importIncidents` alone: on a database that holds the documents and catalog but no incidents
 *   (first import, postmortems "created"), and again with nothing changed (re-import, postmortems
 *   "unchanged" so only the incidents/*.yaml entries are compared), with the number of SQL
 *   statements it sent (counted by a drizzle logger; the database is opened here for that, in memory).
 */
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { rowsOf, type Database } from "../db/client";
import * as schema from "../db/schema";
import { documents, incidents, revisions } from "../db/schema";
import { importContent } from "../app/docs/import.server";
import { importIncidents, readIncidentFiles, type ImportedPostmortem } from "../app/incidents/incident-import.server";

const CONTENT = path.resolve(import.meta.dirname, "../content");
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
let statements = 0;
const time = async (fn: () => Promise<unknown>) => {
  const start = performance.now();
  await fn();
  return performance.now() - start;
};
async function openCounted(): Promise<{ db: Database; close: () => Promise<void> }> {
  const client = new PGlite();
  const db = drizzle(client, { schema, logger: { logQuery: () => void statements++ } });
  await migrate(db, { migrationsFolder: path.resolve(import.meta.dirname, "../db/migrations") });
  return { db: db as unknown as Database, close: () => client.close() };
}
const sentStatements: Record<string, number> = {};

const results: Record<string, number[]> = { "importContent first": [], "importContent re-import": [], "importIncidents first": [], "importIncidents re-import": [] };
for (let run = 0; run < RUNS; run++) {
  const handle = await openCounted();
  const { db } = handle;
  results["importContent first"]!.push(await time(() => importContent(db, { root: CONTENT, prefix: "" })));
  results["importContent re-import"]!.push(await time(() => importContent(db, { root: CONTENT, prefix: "" })));

  // The incident phase alone: drop the incidents (cascades to links, events, actions) and write them again.
  const files = await readIncidentFiles(CONTENT);
  const pmRows = await db
    .select({ file: documents.sourcePath, slug: documents.slug, title: revisions.title, body: revisions.body, metadata: revisions.metadata, documentId: documents.id })
    .from(documents)
    .innerJoin(revisions, and(eq(revisions.documentId, documents.id), eq(revisions.number, documents.currentRevision)))
    .where(eq(documents.kind, "postmortem"))
    .orderBy(documents.slug);
  const postmortems = (outcome: ImportedPostmortem["outcome"]): ImportedPostmortem[] => pmRows.map((r) => ({ ...r, file: r.file ?? r.slug, outcome }));
  await db.execute(sql`delete from ${incidents}`);
  statements = 0;
  results["importIncidents first"]!.push(await time(() => db.transaction((tx) => importIncidents(tx, { files: files.entries, postmortems: postmortems("created") }))));
  sentStatements["importIncidents first"] = statements;
  statements = 0;
  results["importIncidents re-import"]!.push(await time(() => db.transaction((tx) => importIncidents(tx, { files: files.entries, postmortems: postmortems("unchanged") }))));
  sentStatements["importIncidents re-import"] = statements;
  const [counted] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from ${incidents}`));
  if (run === 0) console.log(`incidents after the run: ${counted!.n}`);
  await handle.close();
}
for (const [name, values] of Object.entries(results)) {
  const sent = sentStatements[name] === undefined ? "" : `   ${sentStatements[name]} statements`;
  console.log(`${name.padEnd(28)} median ${(median(values) / 1000).toFixed(2)} s   (${values.map((v) => (v / 1000).toFixed(2)).join(", ")})${sent}`);
}
