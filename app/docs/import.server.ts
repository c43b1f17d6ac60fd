import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { Database } from "../../db/client";
import { DOCUMENT_KINDS, type DocumentKind, type RevisionMetadata } from "../../db/schema/documents";
import { CatalogReferenceError, upsertCatalog, type CatalogInput, type CatalogSummary } from "../catalog/catalog.server";
import { slaFileSchema, systemFileSchema, teamFileSchema } from "../catalog/catalog-file";
import {
  formatContinuityImportSummary,
  importContinuityRecords,
  readContinuityRecords,
  type ContinuityImportSummary,
} from "../continuity/import.server";
import { formatIncidentImport, importIncidents, readIncidentFiles, type ImportedPostmortem, type IncidentImportSummary } from "../incidents/incident-import.server";
import { loadCatalogIds, loadCurrentStates, saveRevision } from "./documents.server";
import { catalogReferenceProblems, checkHistoryReferences, isHistoryPath, loadStoredHashes, readHistoryFiles, saveHistory } from "./history-files.server";
import { FrontmatterError, splitFrontmatter } from "./frontmatter";
import { firstHeading } from "./markdown";
import { contentHash, uniqueSorted } from "./revision";
import { isValidSlug, slugFromPath, slugSegment } from "./slug";

export interface ImportOptions {
  /** Folder to import, recursively. */
  root: string;
  /** Kind for files whose frontmatter names none; default `article`. */
  kind?: DocumentKind;
  /** System slug linked to every imported document (it must exist). */
  system?: string;
  /** Skip invalid files (each listed in the summary) instead of stopping. */
  skipInvalid?: boolean;
  /**
   * Slug prefix for files without a `slug:` in their frontmatter. Default: the root folder's name,
   * so two imported folders with the same file names never collide. "" for none.
   */
  prefix?: string;
  /** Recorded as each revision's author; default `importer`. */
  author?: string;
}

/** One problem with one file; `fix` says what to change. */
export interface ImportProblem {
  /** Path relative to the import root. */
  file: string;
  field: string;
  message: string;
  fix: string;
}

export interface ImportSummary {
  root: string;
  /** Markdown files examined. */
  files: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Earlier revisions saved from `revisions/<slug>/<n>.md` (app/docs/history-files.server.ts). */
  history: number;
  /** Invalid files left out (only with skipInvalid). */
  skipped: ImportProblem[];
  /** Files not taken (binary, empty) and slug collisions resolved; one line each. */
  warnings: string[];
  catalog: CatalogSummary | null;
  /** Drill and inspection records (`drills/*.yaml`, `inspections/*.yaml`); null when there were none. */
  records: ContinuityImportSummary | null;
  /** Incidents from `incidents/*.yaml` and from postmortems (app/incidents/incident-import.server.ts); null when none. */
  incidents: IncidentImportSummary | null;
  durationMs: number;
}

/** The import was refused; nothing was written. `problems` lists every invalid file. */
export class ImportError extends Error {
  override name = "ImportError";
  constructor(readonly problems: ImportProblem[]) {
    super(
      `Import refused, nothing was written. ${problems.length} problem(s):\n` +
        problems.map((p) => `  ${p.file}: ${p.field}: ${p.message}. Fix: ${p.fix}`).join("\n") +
        "\nRe-run with --skip-invalid to import the valid files and list the rest.",
    );
  }
}

const MARKDOWN_EXTENSIONS = new Set([".md", ".markdown"]);
/** Files named like this are section or index pages, not runbooks or postmortems. */
const SECTION_PAGE = /^(_index|index|readme)\.(md|markdown)$/i;
/** Prometheus-style alert names: CamelCase with at least two capitals (KubePodCrashLooping). */
const ALERT_FILE_NAME = /^[A-Z][a-z0-9]+(?:[A-Z0-9][A-Za-z0-9]*)+$/;
/** Alert names as Prometheus and Alertmanager allow them (letters, digits, `_ : . -`); also checked by the editor. */
export const ALERT_NAME = /^[A-Za-z][A-Za-z0-9_:.-]*$/;
const PROGRESS_EVERY = 200;

const stringList = z
  .union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))])
  .transform((v) => (Array.isArray(v) ? v : String(v).split(",")).map((item) => String(item).trim()).filter(Boolean));

const dateString = z
  .union([z.string(), z.date()])
  .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v.trim()))
  .refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), "must be a date YYYY-MM-DD");

/** Frontmatter keys Drillbook models; any other key is kept in the revision's metadata.extra. */
const frontmatterSchema = z.looseObject({
  kind: z.enum(DOCUMENT_KINDS, { error: `must be one of ${DOCUMENT_KINDS.join(", ")}` }).optional(),
  title: z.union([z.string(), z.number()]).transform(String).optional(),
  name: z.unknown().optional(),
  slug: z
    .string()
    .transform((s) => s.trim().toLowerCase())
    .refine(isValidSlug, "must be letters, digits, '-', '_' or '.', in '/'-separated segments")
    .optional(),
  systems: stringList.optional(),
  system: stringList.optional(),
  tags: stringList.optional(),
  alerts: stringList
    .refine((names) => names.every((n) => ALERT_NAME.test(n)), "alert names are single words such as KubePodCrashLooping")
    .optional(),
  owner: z.string().optional(),
  status: z.enum(["draft", "published", "archived"], { error: "must be draft, published or archived" }).optional(),
  last_reviewed: dateString.optional(),
});
const MODELLED_KEYS = new Set(["kind", "title", "slug", "systems", "system", "tags", "alerts", "owner", "status", "last_reviewed"]);

interface ParsedFile {
  file: string;
  slug: string;
  explicitSlug: boolean;
  title: string;
  body: string;
  metadata: RevisionMetadata;
}

/**
 * Imports a folder of Markdown (and, when it has a `catalog/` folder, its teams, SLAs and systems)
 * into the database in one transaction: all or nothing. Frontmatter is optional: the title falls back
 * to the first `# ` heading, then the file name; the slug to the path. Runbooks named after an alert
 * record that alert. Unchanged files write nothing; a changed file becomes a new revision. Earlier
 * revisions in `revisions/<slug>/<n>.md` are saved before their document's current file when the
 * database lacks them (app/docs/history-files.server.ts). `log` receives progress lines on long runs.
 * @throws ImportError listing every invalid file (with its field and fix) unless skipInvalid is set.
 * @throws Error when the root folder cannot be read.
 */
export async function importContent(
  db: Database,
  options: ImportOptions,
  log: (line: string) => void = () => {},
): Promise<ImportSummary> {
  const started = performance.now();
  const root = path.resolve(options.root);
  const prefix = options.prefix ?? slugSegment(path.basename(root));
  const defaultKind = options.kind ?? "article";
  const warnings: string[] = [];
  const problems: ImportProblem[] = [];

  const files = await listFiles(root);
  const catalog = await readCatalog(root, problems);
  const parsed: ParsedFile[] = [];
  const historyFiles: Array<{ file: string; text: string }> = [];
  let examined = 0;
  for (const file of files) {
    if (file.startsWith("catalog/") || (file.toLowerCase() === "readme.md" && catalog)) continue;
    // Earlier revisions, read after the documents they belong to (app/docs/history-files.server.ts).
    if (isHistoryPath(file)) {
      historyFiles.push({ file, text: await readFile(path.join(root, file), "utf8") });
      continue;
    }
    const bytes = await readFile(path.join(root, file));
    const ext = path.extname(file).toLowerCase();
    if (isBinary(bytes)) {
      warnings.push(`${file}: skipped, binary file`);
      continue;
    }
    const isMarkdownFile = MARKDOWN_EXTENSIONS.has(ext);
    // `.txt`, `.yaml` and the like are not documents; a name without a real extension may be.
    if (!isMarkdownFile && /^\.[a-z0-9]{1,5}$/i.test(ext)) continue;
    const text = bytes.toString("utf8");
    if (!isMarkdownFile && !looksLikeMarkdown(text)) continue;
    examined++;
    if (text.trim() === "") {
      warnings.push(`${file}: skipped, empty file`);
      continue;
    }
    const result = parseFile(file, text, { prefix, defaultKind, system: options.system });
    if ("problem" in result) problems.push(result.problem);
    else parsed.push(result);
    if (examined % PROGRESS_EVERY === 0) log(`  read ${examined} files…`);
  }

  resolveSlugCollisions(parsed, problems, warnings);
  const histories = readHistoryFiles(
    historyFiles,
    new Map(parsed.map((d) => [d.slug, { file: d.file, kind: d.metadata.kind, hash: contentHash(d.title, d.body, d.metadata) }])),
    (file, text, kind) => parseFile(file, text, { prefix: "", defaultKind: kind, system: options.system }),
    problems,
  );
  const records = await readContinuityRecords(root, problems);
  const incidentFiles = await readIncidentFiles(root);
  problems.push(...incidentFiles.problems);

  const fail = (all: ImportProblem[]): never => {
    throw new ImportError(all);
  };
  if (problems.length > 0 && !options.skipInvalid) fail(problems);
  const skipped = [...problems];

  let created = 0;
  let updated = 0;
  let unchanged = 0;
  let history = 0;
  let catalogSummary: CatalogSummary | null = null;
  let recordsSummary: ContinuityImportSummary | null = null;
  let incidentSummary: IncidentImportSummary | null = null;
  const postmortems: ImportedPostmortem[] = [];
  await db.transaction(async (tx) => {
    try {
      catalogSummary = catalog ? await upsertCatalog(tx, catalog) : null;
    } catch (error) {
      if (error instanceof CatalogReferenceError) {
        fail([{ file: error.file, field: error.field, message: error.message, fix: "make the reference name an existing slug" }]);
      }
      throw error;
    }
    const ids = await loadCatalogIds(tx);
    if (options.system && !ids.systems.has(options.system)) {
      fail([
        {
          file: "(command line)",
          field: "--system",
          message: `no system "${options.system}" in the catalog`,
          fix: `use one of: ${[...ids.systems.keys()].sort().join(", ") || "(no systems yet)"}`,
        },
      ]);
    }
    const referenceProblems: ImportProblem[] = [];
    const valid = parsed.filter((doc) => {
      const found = catalogReferenceProblems(doc.file, doc.metadata, ids);
      referenceProblems.push(...found);
      return found.length === 0;
    });
    referenceProblems.push(...checkHistoryReferences(histories, ids));
    if (referenceProblems.length > 0 && !options.skipInvalid) fail(referenceProblems);
    skipped.push(...referenceProblems);

    const states = await loadCurrentStates(
      tx,
      valid.map((d) => d.slug),
    );
    const storedHistory = await loadStoredHashes(
      tx,
      [...histories.values()].flatMap((h) => (states.has(h.slug) ? [{ id: states.get(h.slug)!.id, upTo: h.revisions.length }] : [])),
    );
    let written = 0;
    for (const doc of valid) {
      // Earlier revisions first, so the current file gets the number it had where it was exported.
      const earlier = histories.get(doc.slug);
      const stored = states.get(doc.slug) ?? null;
      const before = earlier
        ? await saveHistory(tx, earlier, stored, stored ? storedHistory.get(stored.id) : undefined, { ids, author: options.author ?? "importer", sourcePath: doc.file })
        : { state: stored, saved: 0 };
      if (before.warning) warnings.push(before.warning);
      history += before.saved;
      const saved = await saveRevision(
        tx,
        {
          slug: doc.slug,
          title: doc.title,
          body: doc.body,
          metadata: doc.metadata,
          author: options.author ?? "importer",
          message: states.has(doc.slug) ? `Re-imported from ${doc.file}` : `Imported from ${doc.file}`,
          sourcePath: doc.file,
        },
        ids,
        before.state,
      );
      const outcome = { ...saved, outcome: stored === null ? ("created" as const) : saved.outcome };
      if (outcome.outcome === "created") created++;
      else if (outcome.outcome === "updated") updated++;
      else unchanged++;
      if (doc.metadata.kind === "postmortem") postmortems.push({ ...doc, documentId: outcome.documentId, outcome: outcome.outcome });
      if (++written % PROGRESS_EVERY === 0) log(`  saved ${written}/${valid.length} documents…`);
    }
    // Drills and inspections after the documents and catalog they name (app/continuity/import.server.ts).
    const imported = await importContinuityRecords(tx, records, { author: options.author ?? "importer" });
    if (imported.problems.length > 0 && !options.skipInvalid) fail(imported.problems);
    skipped.push(...imported.problems);
    recordsSummary = records.files.length > 0 ? imported.summary : null;
    // Incidents: incidents/*.yaml and one per postmortem (app/incidents/incident-import.server.ts).
    const { problems: incidentProblems, ...incidentCounts } = await importIncidents(tx, { files: incidentFiles.entries, postmortems });
    if (incidentProblems.length > 0 && !options.skipInvalid) fail(incidentProblems);
    skipped.push(...incidentProblems);
    incidentSummary = incidentFiles.entries.length + postmortems.length > 0 ? incidentCounts : null;
  });

  return {
    root,
    files: examined,
    created,
    updated,
    unchanged,
    history,
    skipped,
    warnings,
    catalog: catalogSummary,
    records: recordsSummary,
    incidents: incidentSummary,
    durationMs: Math.round(performance.now() - started),
  };
}

/** Human-readable summary lines for the command line. */
export function formatImportSummary(summary: ImportSummary): string[] {
  const lines = [
    `Imported ${summary.root}: ${summary.files} Markdown files in ${(summary.durationMs / 1000).toFixed(1)} s`,
    `  created ${summary.created}, updated ${summary.updated}, unchanged ${summary.unchanged}, skipped ${summary.skipped.length}` +
      (summary.history > 0 ? `; ${summary.history} earlier revisions from revisions/` : ""),
  ];
  if (summary.catalog) {
    const c = summary.catalog;
    const part = (name: string, n: { created: number; updated: number; unchanged: number }) =>
      `${name} ${n.created} created / ${n.updated} updated / ${n.unchanged} unchanged`;
    lines.push(`  catalog: ${part("teams", c.teams)}; ${part("SLAs", c.slas)}; ${part("systems", c.systems)}`);
  }
  const recordsLine = formatContinuityImportSummary(summary.records);
  if (recordsLine) lines.push(recordsLine);
  lines.push(...formatIncidentImport(summary.incidents));
  for (const p of summary.skipped) lines.push(`  skipped ${p.file}: ${p.field}: ${p.message}. Fix: ${p.fix}`);
  for (const w of summary.warnings) lines.push(`  warning: ${w}`);
  return lines;
}

/**
 * True when a file at `rel` (relative to the import root, `/`-separated) is taken as a document by
 * its name: not hidden, not under `node_modules/`, `catalog/` or `revisions/` (earlier revisions,
 * app/docs/history-files.server.ts), not the root `README.md` of a folder
 * with a catalog, and with a Markdown extension or none (such a file must then read like Markdown,
 * which a file with frontmatter does). The export uses it to write only paths that import back.
 */
export function isDocumentPath(rel: string, hasCatalog: boolean): boolean {
  const parts = rel.split("/");
  if (parts.some((part) => part === "" || part.startsWith(".") || part === "node_modules")) return false;
  if (rel.startsWith("catalog/") || isHistoryPath(rel) || (hasCatalog && rel.toLowerCase() === "readme.md")) return false;
  const ext = path.posix.extname(rel).toLowerCase();
  return MARKDOWN_EXTENSIONS.has(ext) || !/^\.[a-z0-9]{1,5}$/i.test(ext);
}

/**
 * The alert a runbook answers by its file name (`KubePodCrashLooping.md`), or null: only runbooks
 * that are not section pages, named in CamelCase.
 */
export function alertFromFileName(kind: DocumentKind, rel: string): string | null {
  const baseName = path.posix.basename(rel);
  const stem = baseName.replace(/\.(md|markdown)$/i, "");
  return kind === "runbook" && !SECTION_PAGE.test(baseName) && ALERT_FILE_NAME.test(stem) ? stem : null;
}

async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
    .filter((rel) => !rel.split("/").some((part) => part.startsWith(".") || part === "node_modules"))
    .sort();
}

function isBinary(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 8000);
  if (head.includes(0)) return true;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return false;
  } catch {
    return true;
  }
}

/** A text file without a Markdown extension is taken when it reads like Markdown: a heading or frontmatter. */
function looksLikeMarkdown(text: string): boolean {
  return /^\s*#{1,6}\s+\S/m.test(text) || /^---\s*$/m.test(text.split("\n", 1)[0] ?? "");
}

function parseFile(
  file: string,
  text: string,
  context: { prefix: string; defaultKind: DocumentKind; system: string | undefined },
): ParsedFile | { problem: ImportProblem } {
  let split;
  try {
    split = splitFrontmatter(text);
  } catch (error) {
    if (error instanceof FrontmatterError) {
      return {
        problem: { file, field: `frontmatter (line ${error.line})`, message: error.message, fix: "correct the YAML between the --- lines" },
      };
    }
    throw error;
  }
  const fm = frontmatterSchema.safeParse(split.data ?? {});
  if (!fm.success) {
    const issue = fm.error.issues[0]!;
    return {
      problem: {
        file,
        field: issue.path.join(".") || "frontmatter",
        message: issue.message,
        fix: fixFor(issue.path[0]),
      },
    };
  }
  const data = fm.data;
  const baseName = path.basename(file);
  const stem = baseName.replace(/\.(md|markdown)$/i, "");
  const isSectionPage = SECTION_PAGE.test(baseName);
  const kind: DocumentKind = data.kind ?? (isSectionPage ? "article" : context.defaultKind);
  const nameTitle = typeof data.name === "string" ? data.name : undefined;
  const title = (data.title ?? nameTitle ?? firstHeading(split.body) ?? stem).trim() || stem;

  const alerts = [...(data.alerts ?? [])];
  const fileAlert = alertFromFileName(kind, file);
  if (fileAlert) alerts.push(fileAlert);
  const systems = [...(data.systems ?? []), ...(data.system ?? []), ...(context.system ? [context.system] : [])];

  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (!MODELLED_KEYS.has(key) && value !== undefined) extra[key] = value;
  }
  const pathSlug = slugFromPath(file);
  const slug = data.slug ?? [context.prefix, pathSlug].filter(Boolean).join("/");
  if (!isValidSlug(slug)) {
    return {
      problem: { file, field: "slug", message: `cannot derive a slug from the file name`, fix: "add `slug: some-name` to the frontmatter" },
    };
  }
  return {
    file,
    slug,
    explicitSlug: data.slug !== undefined,
    title,
    body: split.body,
    metadata: {
      kind,
      status: data.status ?? "published",
      systems: uniqueSorted(systems.map((s) => s.toLowerCase())),
      tags: uniqueSorted(data.tags ?? []),
      alerts: uniqueSorted(alerts),
      owner: data.owner?.trim().toLowerCase() || null,
      lastReviewed: data.last_reviewed ?? null,
      extra,
    },
  };
}

function fixFor(field: PropertyKey | undefined): string {
  switch (field) {
    case "kind":
      return `set kind to one of ${DOCUMENT_KINDS.join(", ")}`;
    case "status":
      return "set status to draft, published or archived";
    case "last_reviewed":
      return "write the date as YYYY-MM-DD, e.g. last_reviewed: 2026-09-14";
    case "slug":
      return "use a slug such as core-ledger-failover";
    case "alerts":
      return "list alert names, e.g. alerts: [KubePodCrashLooping]";
    default:
      return "correct the value in the frontmatter";
  }
}

/**
 * Two files that derive the same slug (e.g. `Foo` and `Foo.md`): the `.md` file keeps it, the
 * others get `-2`, `-3` in path order, with a warning. Two explicit `slug:` values that clash are
 * an error: an author meant both.
 */
function resolveSlugCollisions(parsed: ParsedFile[], problems: ImportProblem[], warnings: string[]): void {
  const bySlug = new Map<string, ParsedFile[]>();
  for (const doc of parsed) bySlug.set(doc.slug, [...(bySlug.get(doc.slug) ?? []), doc]);
  const taken = new Set(bySlug.keys());
  for (const [slug, docs] of bySlug) {
    if (docs.length < 2) continue;
    const explicit = docs.filter((d) => d.explicitSlug);
    if (explicit.length > 1) {
      for (const doc of explicit.slice(1)) {
        problems.push({
          file: doc.file,
          field: "slug",
          message: `slug "${slug}" is also used by ${explicit[0]!.file}`,
          fix: "give each document its own slug",
        });
        parsed.splice(parsed.indexOf(doc), 1);
      }
    }
    const remaining = docs.filter((d) => parsed.includes(d));
    remaining.sort((a, b) => rank(a) - rank(b) || a.file.localeCompare(b.file));
    for (const doc of remaining.slice(1)) {
      let n = 2;
      while (taken.has(`${slug}-${n}`)) n++;
      doc.slug = `${slug}-${n}`;
      taken.add(doc.slug);
      warnings.push(`${doc.file}: slug "${slug}" is taken by ${remaining[0]!.file}; using "${doc.slug}"`);
    }
  }
}

function rank(doc: ParsedFile): number {
  if (doc.explicitSlug) return 0;
  return MARKDOWN_EXTENSIONS.has(path.extname(doc.file).toLowerCase()) ? 1 : 2;
}

async function readCatalog(root: string, problems: ImportProblem[]): Promise<CatalogInput | null> {
  const catalog: CatalogInput = {};
  let found = false;
  const parts = [
    ["teams", teamFileSchema],
    ["slas", slaFileSchema],
    ["systems", systemFileSchema],
  ] as const;
  for (const [name, schema] of parts) {
    const file = `catalog/${name}.yaml`;
    let text: string;
    try {
      text = await readFile(path.join(root, file), "utf8");
    } catch {
      continue;
    }
    found = true;
    let raw: unknown;
    try {
      raw = parseYaml(text);
    } catch (error) {
      problems.push({ file, field: "(YAML)", message: (error as Error).message.split("\n")[0]!, fix: "correct the YAML syntax" });
      continue;
    }
    const result = schema.safeParse(raw ?? []);
    if (!result.success) {
      for (const issue of result.error.issues.slice(0, 10)) {
        const index = typeof issue.path[0] === "number" ? issue.path[0] : undefined;
        const entrySlug = index !== undefined ? (raw as Array<{ slug?: unknown; tier?: unknown }>)[index]?.slug ?? `tier ${(raw as Array<{ tier?: unknown }>)[index]?.tier}` : undefined;
        problems.push({
          file,
          field: [entrySlug ? `"${String(entrySlug)}"` : null, ...issue.path.slice(1)].filter(Boolean).join(".") || "(file)",
          message: issue.message,
          fix: "see the catalog format in content/README.md",
        });
      }
      continue;
    }
    (catalog as Record<string, unknown>)[name] = result.data;
  }
  return found ? catalog : null;
}
