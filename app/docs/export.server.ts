import { mkdir, readdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { and, asc, eq, inArray, lt } from "drizzle-orm";
import { Document as YamlDocument, isMap, isSeq } from "yaml";
import type { Database, Executor } from "../../db/client";
import { documents, revisions, slas, systemDependencies, systems, teams } from "../../db/schema";
import type { DocumentKind, RevisionMetadata } from "../../db/schema/documents";
import { recordAudit } from "../audit/audit.server";
import { slaToEntry, systemToEntry, teamToEntry } from "../catalog/catalog-entries";
import { continuityFiles, readContinuitySnapshot, type ContinuitySnapshot } from "../continuity/export.server";
import { incidentFiles, readIncidentSnapshot, type IncidentSnapshot } from "../incidents/incident-export.server";
import { HISTORY_FOLDER, historyFilePath, isHistoryPath } from "./history-files.server";
import { alertFromFileName, isDocumentPath } from "./import.server";

/**
 * The export: the database as a content folder (catalog YAML, Markdown with frontmatter, and the
 * drill, inspection and incident record files), in the format `importContent` reads
 * (content/README.md), so a team can keep its knowledge in git and `import(export(db))` gives the
 * same documents, catalog and records back.
 */

export interface ExportOptions {
  /** Write into a folder that already has files (overwriting those the export writes; others stay). */
  force?: boolean;
  /** Recorded in the audit log; default `system` (a command-line run). */
  actor?: string;
  actorUserId?: string | null;
  ip?: string | null;
}

export interface ExportSummary {
  /** Absolute path of the folder written. */
  dir: string;
  documents: number;
  drills: number;
  inspections: number;
  /** Incidents written to incidents/*.yaml (those made from an exported postmortem are not: importing it makes them). */
  incidents: number;
  /** What the files cannot carry (e.g. a drill of an older plan revision), one line each. */
  warnings: string[];
  /** Files written, the three catalog files included. */
  files: number;
  /** With force: files already in the folder that import would read but this export did not write. */
  leftOver: string[];
  durationMs: number;
}

/** The export was refused; nothing was written. */
export class ExportError extends Error {
  override name = "ExportError";
}

/** Folder per document kind for documents without a usable source path (content/README.md). */
export const KIND_FOLDERS: Record<DocumentKind, string> = {
  runbook: "runbooks",
  contingency_plan: "plans",
  postmortem: "postmortems",
  inspection_report: "inspections",
  drill_report: "drills",
  article: "articles",
};

/** The frontmatter keys the importer models, in the order they are written (content/README.md). */
const MODELLED_KEYS = ["kind", "title", "slug", "systems", "tags", "owner", "alerts", "status", "last_reviewed"] as const;
/** Keys never taken from metadata.extra, because the importer reads them as modelled keys. */
const RESERVED_KEYS = new Set<string>([...MODELLED_KEYS, "system"]);

const CATALOG_HEADER = "# Exported by Drillbook (npm run export). Format: content/README.md in the Drillbook repository.\n";

/**
 * Writes every team, SLA tier, system and document to `dir`: `catalog/teams.yaml`,
 * `catalog/slas.yaml`, `catalog/systems.yaml`, and each document's current revision as Markdown with
 * frontmatter at its source path (when that is a safe relative path that imports back to the same
 * document) or at `<kind folder>/<slug>.md`. Output is deterministic (sorted entries and keys, stable
 * YAML, LF); bodies are written exactly as stored. Reads one consistent snapshot, then records a
 * `content.export` audit entry.
 * @throws ExportError when `dir` is a file, or a folder with files in it and `force` is not set.
 */
export async function exportContent(
  db: Database,
  dir: string,
  log: (line: string) => void = () => {},
  options: ExportOptions = {},
): Promise<ExportSummary> {
  const started = performance.now();
  const root = path.resolve(dir);
  const existing = await existingFiles(root);
  if (existing.length > 0 && !options.force) {
    throw new ExportError(
      `Refusing to export into ${root}: it already has ${existing.length} file(s). ` +
        "Choose an empty or new folder, or add --force to overwrite the files the export writes (other files are left alone).",
    );
  }

  const snapshot = await db.transaction((tx) => readSnapshot(tx), {
    isolationLevel: "repeatable read",
    accessMode: "read only",
  });
  const { files, counts, warnings } = exportFiles(snapshot);

  for (const [rel, text] of files) {
    const target = path.resolve(root, rel);
    if (!target.startsWith(root + path.sep)) throw new Error(`export path escapes the folder: ${rel}`);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, text, "utf8");
  }
  const written = new Set([...files.keys()].map((rel) => rel.toLowerCase()));
  const leftOver = existing.filter(
    (rel) =>
      !written.has(rel.toLowerCase()) &&
      (isDocumentPath(rel, true) || (isHistoryPath(rel) && rel.endsWith(".md")) || /^catalog\/(teams|slas|systems)\.yaml$/.test(rel) || /^(drills|inspections|incidents)\/[^/.][^/]*\.ya?ml$/i.test(rel)),
  );
  log(
    `Exported ${snapshot.documents.length} documents, the catalog, ${counts.drills} drills, ${counts.inspections} inspections and ${counts.incidents} incidents to ${root} (${files.size} files)`,
  );
  for (const line of warnings) log(`  warning: ${line}`);
  if (leftOver.length > 0) {
    log(`  ${leftOver.length} file(s) already there were not written by this export; import would still read them:`);
    for (const rel of leftOver.slice(0, 20)) log(`    ${rel}`);
    if (leftOver.length > 20) log(`    … and ${leftOver.length - 20} more`);
    log("  delete them if their documents no longer exist.");
  }

  await recordAudit(db, {
    actor: options.actor ?? "system",
    actorUserId: options.actorUserId ?? null,
    action: "content.export",
    targetType: "content",
    target: root,
    details: { dir: root, documents: snapshot.documents.length, ...counts, files: files.size, force: options.force ?? false },
    ip: options.ip ?? null,
  });
  return {
    dir: root,
    documents: snapshot.documents.length,
    ...counts,
    warnings,
    files: files.size,
    leftOver,
    durationMs: Math.round(performance.now() - started),
  };
}

/** Human-readable summary lines for the command line. */
export function formatExportSummary(summary: ExportSummary): string[] {
  return [
    `  ${summary.documents} documents, ${summary.drills} drills, ${summary.inspections} inspections, ${summary.incidents} incidents; ${summary.files} files in ${(summary.durationMs / 1000).toFixed(1)} s`,
  ];
}

/** One document's current revision as the export needs it. */
export interface ExportDocument {
  slug: string;
  title: string;
  body: string;
  metadata: RevisionMetadata;
  sourcePath: string | null;
}

interface Snapshot {
  teams: Array<typeof teams.$inferSelect>;
  slas: Array<typeof slas.$inferSelect>;
  systems: Array<{ system: typeof systems.$inferSelect; ownerSlug: string | null; dependsOn: string[] }>;
  documents: ExportDocument[];
  /** Earlier revisions (1..current-1, in order) of the plans that drills of an older revision name, by slug. */
  history: Map<string, Array<Pick<ExportDocument, "title" | "body" | "metadata"> & { number: number }>>;
  continuity: ContinuitySnapshot;
  incidents: IncidentSnapshot;
}

async function readSnapshot(db: Executor): Promise<Snapshot> {
  const [teamRows, slaRows, systemRows, dependencyRows, documentRows] = await Promise.all([
    db.select().from(teams).orderBy(asc(teams.slug)),
    db.select().from(slas).orderBy(asc(slas.tier)),
    db
      .select({ system: systems, ownerSlug: teams.slug })
      .from(systems)
      .leftJoin(teams, eq(teams.id, systems.ownerTeamId))
      .orderBy(asc(systems.slug)),
    db.select({ systemId: systemDependencies.systemId, dependsOnId: systemDependencies.dependsOnId }).from(systemDependencies),
    db
      .select({
        slug: documents.slug,
        sourcePath: documents.sourcePath,
        title: revisions.title,
        body: revisions.body,
        metadata: revisions.metadata,
      })
      .from(documents)
      .innerJoin(revisions, and(eq(revisions.documentId, documents.id), eq(revisions.number, documents.currentRevision))),
  ]);
  const continuity = await readContinuitySnapshot(db);
  const history = await readHistory(db, continuity);
  const incidentSnapshot = await readIncidentSnapshot(db);
  const slugById = new Map(systemRows.map((r) => [r.system.id, r.system.slug]));
  return {
    teams: teamRows.sort((a, b) => compare(a.slug, b.slug)),
    slas: slaRows,
    systems: systemRows
      .sort((a, b) => compare(a.system.slug, b.system.slug))
      .map((r) => ({
        system: r.system,
        ownerSlug: r.ownerSlug,
        dependsOn: dependencyRows.filter((d) => d.systemId === r.system.id).map((d) => slugById.get(d.dependsOnId)!),
      })),
    documents: documentRows.sort((a, b) => compare(a.slug, b.slug)),
    history,
    continuity,
    incidents: incidentSnapshot,
  };
}

/**
 * The earlier revisions the export writes (content/README.md, "Earlier revisions"): revisions
 * 1..current-1 of each plan that a drill of an older revision names, so the drill's `planRevision`
 * names the same text after an import into an empty database. Only those documents: git keeps the
 * history of the files themselves, and other documents' revision numbers are not referenced by
 * anything the export writes (plan reviews are not exported).
 */
async function readHistory(db: Executor, continuity: ContinuitySnapshot): Promise<Snapshot["history"]> {
  const slugs = [...new Set(continuity.drills.filter((d) => d.planRevision < d.planCurrentRevision).map((d) => d.plan))];
  const history: Snapshot["history"] = new Map();
  if (slugs.length === 0) return history;
  const rows = await db
    .select({ slug: documents.slug, number: revisions.number, title: revisions.title, body: revisions.body, metadata: revisions.metadata })
    .from(revisions)
    .innerJoin(documents, eq(documents.id, revisions.documentId))
    .where(and(inArray(documents.slug, slugs), lt(revisions.number, documents.currentRevision)))
    .orderBy(asc(documents.slug), asc(revisions.number));
  for (const { slug, ...r } of rows) {
    if (!history.has(slug)) history.set(slug, []);
    history.get(slug)!.push(r);
  }
  return history;
}

/**
 * Every file of an export: relative path -> text, catalog first, then documents by slug, their
 * earlier revisions (`revisions/<slug>/<n>.md`), then the drill, inspection and incident files; with
 * the record counts and warnings.
 */
function exportFiles(snapshot: Snapshot): { files: Map<string, string>; counts: { drills: number; inspections: number; incidents: number }; warnings: string[] } {
  const files = new Map<string, string>();
  files.set("catalog/teams.yaml", CATALOG_HEADER + catalogYaml(snapshot.teams.map(teamToEntry), TEAM_KEYS));
  files.set("catalog/slas.yaml", CATALOG_HEADER + catalogYaml(snapshot.slas.map(slaToEntry), SLA_KEYS));
  files.set(
    "catalog/systems.yaml",
    CATALOG_HEADER +
      catalogYaml(
        snapshot.systems.map((s) => systemToEntry(s.system, s.ownerSlug, s.dependsOn)),
        SYSTEM_KEYS,
        new Set(["description"]), // "" is the schema's default for a system (a team's "" is kept: it differs from none)
      ),
  );
  const paths = exportPaths(snapshot.documents);
  for (const doc of snapshot.documents) files.set(paths.get(doc.slug)!, documentFileText(doc));
  for (const [slug, earlier] of [...snapshot.history].sort(([a], [b]) => compare(a, b))) {
    for (const r of earlier) files.set(historyFilePath(slug, r.number), documentFileText({ slug, ...r }));
  }
  const records = continuityFiles(snapshot.continuity);
  const postmortems = new Set(snapshot.documents.filter((d) => d.metadata.kind === "postmortem").map((d) => d.slug));
  const incidentRecords = incidentFiles(snapshot.incidents, postmortems);
  for (const [rel, text] of [...records.files, ...incidentRecords.files]) files.set(rel, text);
  return {
    files,
    counts: { drills: records.drills, inspections: records.inspections, incidents: incidentRecords.incidents },
    warnings: [...records.warnings, ...incidentRecords.warnings],
  };
}

const TEAM_KEYS = ["slug", "name", "region", "timezone", "channel", "email", "description"];
const SLA_KEYS = [
  "tier",
  "availability",
  "rto_minutes",
  "rpo_minutes",
  "drill_interval_days",
  "inspection_interval_days",
  "plan_review_interval_days",
  "response_minutes",
];
const SYSTEM_KEYS = ["slug", "name", "description", "tier", "lifecycle", "owner", "sla", "depends_on", "critical_windows", "escalation"];
const NESTED_KEYS: Record<string, string[]> = {
  sla: SLA_KEYS.slice(1),
  critical_windows: ["name", "days", "start", "end", "timezone"],
  escalation: ["level", "team", "region", "timezone", "hours", "contact"],
};

/**
 * A catalog file's YAML: entries separated by a blank line, keys in the documented order, empty
 * lists (the schema's default) left out, slug lists and response targets in flow style.
 */
function catalogYaml(entries: Array<Record<string, unknown>>, keyOrder: string[], omitEmpty: ReadonlySet<string> = new Set()): string {
  const ordered = entries.map((entry) => {
    const out: Record<string, unknown> = {};
    for (const key of keyOrder) {
      const value = entry[key];
      if (value === undefined || (Array.isArray(value) && value.length === 0) || (omitEmpty.has(key) && value === "")) continue;
      out[key] = NESTED_KEYS[key] ? orderNested(value, NESTED_KEYS[key]) : value;
    }
    return out;
  });
  const doc = new YamlDocument(ordered);
  ordered.forEach((_, i) => {
    for (const keys of [[i, "depends_on"], [i, "response_minutes"], [i, "sla", "response_minutes"]]) {
      const node = doc.getIn(keys, true);
      if (isSeq(node) || isMap(node)) node.flow = true;
    }
    const item = doc.getIn([i], true);
    if (i > 0 && isMap(item)) item.spaceBefore = true;
  });
  return stableYaml(doc, 100);
}

function orderNested(value: unknown, keys: string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => orderNested(v, keys));
  if (value && typeof value === "object") {
    const source = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
    for (const key of Object.keys(source).sort()) if (!(key in out) && source[key] !== undefined) out[key] = sortKeysDeep(source[key]);
    return out;
  }
  return value;
}

/**
 * A document as Markdown with YAML frontmatter: the modelled keys (content/README.md) in their
 * documented order, leaving out empty lists and unset values, then metadata.extra's keys sorted;
 * then the body exactly as stored.
 */
export function documentFileText(doc: Pick<ExportDocument, "slug" | "title" | "body" | "metadata">): string {
  const m = doc.metadata;
  const fm: Record<string, unknown> = { kind: m.kind, title: doc.title, slug: doc.slug };
  if (m.systems.length > 0) fm.systems = [...m.systems].sort(compare);
  if (m.tags.length > 0) fm.tags = [...m.tags].sort(compare);
  if (m.owner !== null) fm.owner = m.owner;
  if (m.alerts.length > 0) fm.alerts = [...m.alerts].sort(compare);
  fm.status = m.status;
  if (m.lastReviewed !== null) fm.last_reviewed = m.lastReviewed;
  for (const key of Object.keys(m.extra ?? {}).sort(compare)) {
    if (!RESERVED_KEYS.has(key) && m.extra[key] !== undefined) fm[key] = sortKeysDeep(m.extra[key]);
  }
  const yaml = new YamlDocument(fm);
  for (const key of ["systems", "tags", "alerts"]) {
    const node = yaml.get(key, true);
    if (isSeq(node)) node.flow = true;
  }
  return `---\n${stableYaml(yaml, 0)}---\n${doc.body}`;
}

function stableYaml(doc: YamlDocument, lineWidth: number): string {
  return doc.toString({ lineWidth, minContentWidth: 0, flowCollectionPadding: false, indentSeq: true });
}

function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value && typeof value === "object") {
    const source = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(source)
        .sort(compare)
        .filter((k) => source[k] !== undefined)
        .map((k) => [k, sortKeysDeep(source[k])]),
    );
  }
  return value;
}

/**
 * Where each document goes, by slug. A document keeps its source path when that is a safe relative
 * path (no `..`, not absolute, normalised) that the importer reads back as the same document (not
 * hidden, not under catalog/, a Markdown or extension-less name, and not a runbook name that would
 * add an alert the document does not answer), and no document earlier by slug took it (paths compared
 * case-insensitively, and a file never where another needs a folder). The others go to
 * `<kind folder>/<slug>.md`, with `-2`, `-3` on a clash. Re-exporting an imported export gives the
 * same paths, because then every source path is one of these and they do not clash.
 */
export function exportPaths(docs: ReadonlyArray<Pick<ExportDocument, "slug" | "sourcePath" | "metadata">>): Map<string, string> {
  const claims = new PathClaims();
  claims.claimFolder("catalog");
  claims.claimFolder(HISTORY_FOLDER);
  const out = new Map<string, string>();
  const sorted = [...docs].sort((a, b) => compare(a.slug, b.slug));
  const rest: typeof sorted = [];
  for (const doc of sorted) {
    const source = doc.sourcePath;
    if (source !== null && isSafeExportPath(source, doc.metadata) && claims.claim(source)) out.set(doc.slug, source);
    else rest.push(doc);
  }
  for (const doc of rest) {
    const folder = KIND_FOLDERS[doc.metadata.kind] ?? "articles";
    let stem = `${folder}/${doc.slug}`;
    if (!isSafeExportPath(`${stem}.md`, doc.metadata)) stem = `${folder}/${doc.slug.toLowerCase().replaceAll("/", "__")}`;
    let candidate = `${stem}.md`;
    for (let n = 2; !claims.claim(candidate); n++) candidate = `${stem}-${n}.md`;
    out.set(doc.slug, candidate);
  }
  return out;
}

/** True when `rel` is a safe, normalised relative path that imports back as this document (see exportPaths). */
export function isSafeExportPath(rel: string, metadata: Pick<RevisionMetadata, "kind" | "alerts">): boolean {
  if (rel === "" || rel.length > 1000 || rel.includes("\\") || rel.includes("\0")) return false;
  if (rel.startsWith("/") || /^[A-Za-z]:/.test(rel) || path.posix.normalize(rel) !== rel) return false;
  if (rel.split("/").some((part) => part === ".." || part === ".")) return false;
  if (!isDocumentPath(rel, true)) return false;
  const alert = alertFromFileName(metadata.kind, rel);
  return alert === null || metadata.alerts.includes(alert);
}

/** Paths taken so far, case-insensitively, with every folder they need. */
class PathClaims {
  private files = new Set<string>();
  private folders = new Set<string>();

  claimFolder(folder: string): void {
    this.folders.add(folder.toLowerCase());
  }

  /** Takes `rel` and returns true, or returns false when it clashes with a file or folder already taken. */
  claim(rel: string): boolean {
    const key = rel.toLowerCase();
    if (this.files.has(key) || this.folders.has(key)) return false;
    const parts = key.split("/");
    const parents = parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join("/"));
    if (parents.some((parent) => this.files.has(parent))) return false;
    this.files.add(key);
    for (const parent of parents) this.folders.add(parent);
    return true;
  }
}

/** Code-unit order, the same on every machine (no locale). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Files under `root` (relative, `/`-separated), ignoring `.git`; [] when it does not exist. */
async function existingFiles(root: string): Promise<string[]> {
  let info;
  try {
    info = await stat(root);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  if (!info.isDirectory()) throw new ExportError(`Cannot export to ${root}: it is a file, not a folder. Give a folder path.`);
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => !e.isDirectory())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
    .filter((rel) => rel !== ".git" && !rel.startsWith(".git/"))
    .sort(compare);
}
