/**
 * A document's earlier revisions as files: `revisions/<slug>/<n>.md` (content/README.md, "Earlier
 * revisions"), in the same Markdown-with-frontmatter format as documents. The export writes them for
 * the contingency plans that drills of an older revision name, so `planRevision` keeps naming the
 * text that was exercised after export -> import into an empty database; the importer
 * (app/docs/import.server.ts) saves them, in order, before the document's current file.
 *
 * Rules the importer applies:
 * - `revisions/` directly under the import root holds only history files; its Markdown is never a
 *   document. A file there must be `revisions/<document slug>/<n>.md` (`n` = 1, 2, … without
 *   leading zeros, no gaps), belong to a document whose current file is in the same import, and may
 *   name the slug in its frontmatter only as that document's slug.
 * - Consecutive revisions differ, and the last history file differs from the current file (saving
 *   identical content writes nothing, so the numbers would shift).
 * - History is only ever appended: a document with no stored revisions gets 1..h and then its
 *   current file; a stored document whose revisions 1..s (s <= h) match files 1..s gets s+1..h
 *   appended before the current file; a stored document with as many revisions or more writes
 *   nothing extra. Stored revisions that differ from the files are never rewritten (a warning says so).
 * - What the files cannot carry: each revision's author, date and message (imported revisions are
 *   by the import's author, dated at the import, message "Imported from revisions/<slug>/<n>.md").
 */
import { and, eq, inArray, lte } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { revisions } from "../../db/schema";
import type { RevisionMetadata } from "../../db/schema/documents";
import { saveRevision, type CatalogIds, type CurrentState } from "./documents.server";
import { contentHash } from "./revision";
import { isValidSlug } from "./slug";

/** The folder (directly under an import or export root) that holds earlier revisions. */
export const HISTORY_FOLDER = "revisions";
const HISTORY_FILE = /^revisions\/(.+)\/([1-9][0-9]{0,5})\.md$/;
const FIX = "name history files revisions/<document slug>/<revision number>.md, e.g. revisions/plan-data-centre-loss/1.md (format in content/README.md)";

/** True for a path (relative to the root, `/`-separated) inside the history folder. */
export function isHistoryPath(rel: string): boolean {
  return rel.startsWith(`${HISTORY_FOLDER}/`);
}

/** Where revision `number` of the document `slug` is written: `revisions/<slug>/<number>.md`. */
export function historyFilePath(slug: string, number: number): string {
  return `${HISTORY_FOLDER}/${slug}/${number}.md`;
}

/** A problem as the importer reports it (same shape as ImportProblem). */
export interface HistoryProblem {
  file: string;
  field: string;
  message: string;
  fix: string;
}

/** One earlier revision read from a history file. */
export interface HistoryRevision {
  file: string;
  number: number;
  title: string;
  body: string;
  metadata: RevisionMetadata;
  hash: string;
}

/** A document's history files, revisions 1..h in order. */
export interface DocumentHistory {
  slug: string;
  revisions: HistoryRevision[];
}

/** What the importer parsed from a Markdown file (its own parse, so the rules are the documents'). */
export type ParsedHistoryFile = { slug: string; explicitSlug: boolean; title: string; body: string; metadata: RevisionMetadata } | { problem: HistoryProblem };

/**
 * Groups and checks history files (before the import's transaction). `files` are the paths under
 * `revisions/` with their text; `current` the documents of this import by slug (their file and
 * content hash); `parse(file, text, kind)` parses a file as a document, `kind` being the default kind
 * (the current document's). Problems (file name, unknown document, slug mismatch, a gap, a repeat)
 * are appended to `problems`, naming the file and the field; a document with any problem gets no
 * history. Returns the histories by slug.
 */
export function readHistoryFiles(
  files: ReadonlyArray<{ file: string; text: string }>,
  current: ReadonlyMap<string, { file: string; kind: RevisionMetadata["kind"]; hash: string }>,
  parse: (file: string, text: string, kind: RevisionMetadata["kind"]) => ParsedHistoryFile,
  problems: HistoryProblem[],
): Map<string, DocumentHistory> {
  const bySlug = new Map<string, Map<number, { file: string; text: string }>>();
  const failed = new Set<string>();
  for (const entry of files) {
    const match = HISTORY_FILE.exec(entry.file);
    const slug = match?.[1] ?? "";
    if (!match || !isValidSlug(slug) || slug !== slug.toLowerCase()) {
      if (/\.(md|markdown)$/i.test(entry.file) || match) {
        problems.push({ file: entry.file, field: "(file name)", message: "is not revisions/<document slug>/<revision number>.md", fix: FIX });
      }
      continue;
    }
    if (!current.has(slug)) {
      problems.push({
        file: entry.file,
        field: "slug",
        message: `no document "${slug}" in this import; a history file is imported with its document's current file`,
        fix: "import the history together with the document, or move the file to the folder of the document's slug",
      });
      failed.add(slug);
      continue;
    }
    if (!bySlug.has(slug)) bySlug.set(slug, new Map());
    bySlug.get(slug)!.set(Number(match[2]), entry);
  }

  const out = new Map<string, DocumentHistory>();
  for (const [slug, numbered] of bySlug) {
    const doc = current.get(slug)!;
    const count = problems.length;
    const highest = Math.max(...numbered.keys());
    for (let n = 1; n <= highest; n++) {
      if (!numbered.has(n)) {
        problems.push({
          file: `${HISTORY_FOLDER}/${slug}/`,
          field: "(revision numbers)",
          message: `revision ${n} is missing (found ${[...numbered.keys()].sort((a, b) => a - b).join(", ")}); revisions are numbered 1, 2, … without gaps`,
          fix: `add ${historyFilePath(slug, n)} or renumber the files`,
        });
        break;
      }
    }
    const list: HistoryRevision[] = [];
    for (const n of [...numbered.keys()].sort((a, b) => a - b)) {
      const { file, text } = numbered.get(n)!;
      const parsed = parse(file, text, doc.kind);
      if ("problem" in parsed) {
        problems.push(parsed.problem);
        continue;
      }
      if (parsed.explicitSlug && parsed.slug !== slug) {
        problems.push({ file, field: "slug", message: `is "${parsed.slug}", but the file is in the folder of "${slug}"`, fix: `set slug: ${slug} or leave it out` });
        continue;
      }
      list.push({ file, number: n, title: parsed.title, body: parsed.body, metadata: parsed.metadata, hash: contentHash(parsed.title, parsed.body, parsed.metadata) });
    }
    const repeat = (file: string, other: string) =>
      problems.push({
        file,
        field: "(content)",
        message: `is identical to ${other}; each revision differs from the one before it`,
        fix: "delete the repeated file and renumber the ones after it",
      });
    list.forEach((r, i) => {
      if (i > 0 && list[i - 1]!.number === r.number - 1 && list[i - 1]!.hash === r.hash) repeat(r.file, list[i - 1]!.file);
    });
    const last = list.at(-1);
    if (last && last.number === highest && last.hash === doc.hash) repeat(last.file, `the current file ${doc.file}`);
    if (problems.length === count && !failed.has(slug)) out.set(slug, { slug, revisions: list });
  }
  return out;
}

/**
 * Problems with the catalog references of a document file or a history revision: systems that are
 * not in the catalog, an owner that is not a team. Empty when every reference is known.
 */
export function catalogReferenceProblems(file: string, metadata: Pick<RevisionMetadata, "systems" | "owner">, ids: CatalogIds): HistoryProblem[] {
  const problems: HistoryProblem[] = [];
  const unknown = metadata.systems.filter((s) => !ids.systems.has(s));
  if (unknown.length > 0) {
    problems.push({
      file,
      field: "systems",
      message: `unknown system(s) ${unknown.map((s) => `"${s}"`).join(", ")}`,
      fix: "use system slugs from the catalog (see /systems) or add the systems to catalog/systems.yaml",
    });
  }
  if (metadata.owner !== null && !ids.teams.has(metadata.owner)) {
    problems.push({
      file,
      field: "owner",
      message: `unknown team "${metadata.owner}"`,
      fix: `use a team slug from the catalog: ${[...ids.teams.keys()].sort().join(", ") || "(no teams yet)"}`,
    });
  }
  return problems;
}

/**
 * Problems with the catalog references of history revisions ({@link catalogReferenceProblems}), as
 * for documents; histories with a problem are removed from `histories`.
 */
export function checkHistoryReferences(histories: Map<string, DocumentHistory>, ids: CatalogIds): HistoryProblem[] {
  const problems: HistoryProblem[] = [];
  for (const [slug, history] of histories) {
    const found = history.revisions.flatMap((r) => catalogReferenceProblems(r.file, r.metadata, ids));
    if (found.length > 0) histories.delete(slug);
    problems.push(...found);
  }
  return problems;
}

/**
 * Content hashes of the stored revisions 1..h of the documents that have history files, by document
 * id, then revision number (one query; read-only, so an unchanged re-import still writes nothing).
 */
export async function loadStoredHashes(
  tx: Executor,
  documents: ReadonlyArray<{ id: string; upTo: number }>,
): Promise<Map<string, Map<number, string>>> {
  const out = new Map<string, Map<number, string>>();
  if (documents.length === 0) return out;
  const highest = Math.max(...documents.map((d) => d.upTo));
  const rows = await tx
    .select({ documentId: revisions.documentId, number: revisions.number, hash: revisions.contentHash })
    .from(revisions)
    .where(and(inArray(revisions.documentId, documents.map((d) => d.id)), lte(revisions.number, highest)));
  for (const row of rows) {
    if (!out.has(row.documentId)) out.set(row.documentId, new Map());
    out.get(row.documentId)!.set(row.number, row.hash);
  }
  return out;
}

/**
 * Saves the history revisions the database lacks, in order, through saveRevision (same transaction),
 * and returns the document's state to save the current file on, with the number of revisions saved.
 * `state` is the stored state (null: a new document); `stored` its revisions' hashes (loadStoredHashes).
 * When a stored revision differs from the file of the same number, nothing is saved and `warning`
 * says why (stored revisions are immutable).
 */
export async function saveHistory(
  tx: Executor,
  history: DocumentHistory,
  state: CurrentState | null,
  stored: ReadonlyMap<number, string> | undefined,
  context: { ids: CatalogIds; author: string; sourcePath: string },
): Promise<{ state: CurrentState | null; saved: number; warning?: string }> {
  const have = state?.currentRevision ?? 0;
  for (const r of history.revisions) {
    if (r.number > have) break;
    if (stored?.get(r.number) !== r.hash) {
      return {
        state,
        saved: 0,
        warning: `${HISTORY_FOLDER}/${history.slug}/: stored revision ${r.number} of ${history.slug} differs from ${r.file}; stored revisions are never rewritten, so the history files were not imported (drills keep naming the stored revisions)`,
      };
    }
  }
  let current = state;
  let saved = 0;
  for (const r of history.revisions) {
    if (r.number <= have) continue;
    const outcome = await saveRevision(
      tx,
      { slug: history.slug, title: r.title, body: r.body, metadata: r.metadata, author: context.author, message: `Imported from ${r.file}`, sourcePath: context.sourcePath },
      context.ids,
      current,
    );
    current = { id: outcome.documentId, currentRevision: outcome.revision, contentHash: r.hash };
    saved++;
  }
  return { state: current, saved };
}
