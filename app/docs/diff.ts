/**
 * Differences between two revisions of a document: the body line by line, with word-level
 * highlights inside lines that changed, and the metadata fields that changed.
 *
 * Pure (no database): the compare page, the conflict view of the editor and the HTTP API
 * (`GET /api/v1/documents/:slug/diff`) all use it. Built on jsdiff (`diff` on npm): `diffLines` for
 * the lines, then `diffWordsWithSpace` for each removed line paired with an added one. jsdiff's
 * word tokenizer treats every CJK character as a token, so Chinese text gets character-level
 * highlights without a segmenter.
 *
 * Output is plain text in a structure; escaping is the renderer's job (React escapes text, and the
 * JSON API carries text, never HTML).
 */

import { diffLines, diffWordsWithSpace } from "diff";
import type { RevisionMetadata } from "../../db/schema/documents";

/** A run of text inside a changed line. */
export interface DiffSegment {
  /** `removed`: only in the old line; `added`: only in the new line; `same`: in both. */
  type: "same" | "added" | "removed";
  text: string;
}

/** One line of a diff. Line numbers are 1-based, in the old (`oldLine`) and new (`newLine`) text. */
export type DiffLine =
  | { type: "same"; oldLine: number; newLine: number; text: string }
  | { type: "removed"; oldLine: number; text: string }
  | { type: "added"; newLine: number; text: string }
  | {
      type: "changed";
      oldLine: number;
      newLine: number;
      oldText: string;
      newText: string;
      /** The whole old and new line as one sequence: `same` + `removed` is the old, `same` + `added` the new. */
      segments: DiffSegment[];
    };

/** Metadata fields compared between revisions, in display order. */
export const METADATA_FIELDS = ["title", "kind", "status", "systems", "tags", "alerts", "owner", "lastReviewed"] as const;
export type MetadataField = (typeof METADATA_FIELDS)[number];

export const METADATA_LABELS: Readonly<Record<MetadataField, string>> = {
  title: "Title",
  kind: "Kind",
  status: "Status",
  systems: "Systems",
  tags: "Tags",
  alerts: "Alerts",
  owner: "Owner team",
  lastReviewed: "Last reviewed",
};

/**
 * One metadata field that differs. Lists (systems, tags, alerts) also say what was added and
 * removed; `from`/`to` are the whole value, lists joined with ", ", null when unset.
 * Frontmatter keys Drillbook does not model (`metadata.extra`) appear as `extra.<key>` with JSON values.
 */
export interface MetadataChange {
  field: MetadataField | `extra.${string}`;
  label: string;
  from: string | null;
  to: string | null;
  added?: string[];
  removed?: string[];
}

/** What diffRevisions needs of a revision. */
export interface RevisionSnapshot {
  number: number;
  title: string;
  body: string;
  metadata: RevisionMetadata;
}

/** The difference between two revisions (`from` may be newer than `to`: the diff then reads backwards). */
export interface RevisionDiff {
  from: number;
  to: number;
  metadata: MetadataChange[];
  lines: DiffLine[];
  stats: { added: number; removed: number; changed: number };
}

/**
 * Below this share of unchanged characters (of the longer line), a removed line and the added line
 * beside it are shown as a removal and an addition rather than as one changed line: highlighting
 * words inside two unrelated lines only adds noise.
 */
const MIN_SIMILARITY = 0.3;

/** The line-level diff of two texts with word-level segments for changed lines (see module comment). */
export function diffText(oldText: string, newText: string): DiffLine[] {
  const changes = diffLines(withFinalNewline(oldText), withFinalNewline(newText));
  const lines: DiffLine[] = [];
  let oldLine = 1;
  let newLine = 1;
  for (let i = 0; i < changes.length; i++) {
    const change = changes[i]!;
    const values = splitLines(change.value);
    if (!change.added && !change.removed) {
      for (const text of values) lines.push({ type: "same", oldLine: oldLine++, newLine: newLine++, text });
      continue;
    }
    if (change.added) {
      for (const text of values) lines.push({ type: "added", newLine: newLine++, text });
      continue;
    }
    // A removal; when an addition follows, pair their lines one to one.
    const next = changes[i + 1];
    const added = next?.added ? splitLines(next.value) : [];
    if (next?.added) i++;
    const pairs = Math.min(values.length, added.length);
    for (let k = 0; k < pairs; k++) {
      const segments = diffSegments(values[k]!, added[k]!);
      if (similarity(segments, values[k]!, added[k]!) >= MIN_SIMILARITY) {
        lines.push({ type: "changed", oldLine: oldLine++, newLine: newLine++, oldText: values[k]!, newText: added[k]!, segments });
      } else {
        lines.push({ type: "removed", oldLine: oldLine++, text: values[k]! });
        lines.push({ type: "added", newLine: newLine++, text: added[k]! });
      }
    }
    for (const text of values.slice(pairs)) lines.push({ type: "removed", oldLine: oldLine++, text });
    for (const text of added.slice(pairs)) lines.push({ type: "added", newLine: newLine++, text });
  }
  return lines;
}

/** Word-level segments of one line against another (jsdiff `diffWordsWithSpace`). */
export function diffSegments(oldLine: string, newLine: string): DiffSegment[] {
  const segments: DiffSegment[] = [];
  for (const part of diffWordsWithSpace(oldLine, newLine)) {
    const type = part.added ? "added" : part.removed ? "removed" : "same";
    const last = segments[segments.length - 1];
    if (last && last.type === type) last.text += part.value;
    else segments.push({ type, text: part.value });
  }
  return segments;
}

/** Metadata fields that differ between two revisions, in METADATA_FIELDS order, then `extra` keys. */
export function diffMetadata(
  from: { title: string; metadata: RevisionMetadata },
  to: { title: string; metadata: RevisionMetadata },
): MetadataChange[] {
  const changes: MetadataChange[] = [];
  const scalar = (field: MetadataField, a: string | null, b: string | null) => {
    if ((a ?? "") !== (b ?? "")) changes.push({ field, label: METADATA_LABELS[field], from: a || null, to: b || null });
  };
  const list = (field: MetadataField, a: readonly string[], b: readonly string[]) => {
    const removed = a.filter((v) => !b.includes(v));
    const added = b.filter((v) => !a.includes(v));
    if (removed.length === 0 && added.length === 0) return;
    changes.push({
      field,
      label: METADATA_LABELS[field],
      from: a.length > 0 ? a.join(", ") : null,
      to: b.length > 0 ? b.join(", ") : null,
      added,
      removed,
    });
  };
  scalar("title", from.title, to.title);
  scalar("kind", from.metadata.kind, to.metadata.kind);
  scalar("status", from.metadata.status, to.metadata.status);
  list("systems", from.metadata.systems, to.metadata.systems);
  list("tags", from.metadata.tags, to.metadata.tags);
  list("alerts", from.metadata.alerts, to.metadata.alerts);
  scalar("owner", from.metadata.owner, to.metadata.owner);
  scalar("lastReviewed", from.metadata.lastReviewed, to.metadata.lastReviewed);
  const extraFrom = from.metadata.extra ?? {};
  const extraTo = to.metadata.extra ?? {};
  for (const key of [...new Set([...Object.keys(extraFrom), ...Object.keys(extraTo)])].sort()) {
    const a = key in extraFrom ? JSON.stringify(extraFrom[key]) : null;
    const b = key in extraTo ? JSON.stringify(extraTo[key]) : null;
    if (a !== b) changes.push({ field: `extra.${key}`, label: key, from: a, to: b });
  }
  return changes;
}

/** The full difference between two revisions (see RevisionDiff). */
export function diffRevisions(from: RevisionSnapshot, to: RevisionSnapshot): RevisionDiff {
  const lines = diffText(from.body, to.body);
  const stats = { added: 0, removed: 0, changed: 0 };
  for (const line of lines) if (line.type !== "same") stats[line.type]++;
  return { from: from.number, to: to.number, metadata: diffMetadata(from, to), lines, stats };
}

/** A run of unchanged lines left out of a compact diff. */
export interface CollapsedLines {
  type: "collapsed";
  lines: Extract<DiffLine, { type: "same" }>[];
}

/**
 * The diff with runs of unchanged lines longer than `2 * context` shortened to `context` lines on
 * each side of a change (the run's middle becomes one CollapsedLines entry), as `diff -U` does.
 */
export function collapseUnchanged(lines: readonly DiffLine[], context = 3): Array<DiffLine | CollapsedLines> {
  const out: Array<DiffLine | CollapsedLines> = [];
  let i = 0;
  while (i < lines.length) {
    if (lines[i]!.type !== "same") {
      out.push(lines[i++]!);
      continue;
    }
    let j = i;
    while (j < lines.length && lines[j]!.type === "same") j++;
    const run = lines.slice(i, j) as Extract<DiffLine, { type: "same" }>[];
    const keepBefore = i === 0 ? 0 : context;
    const keepAfter = j === lines.length ? 0 : context;
    if (run.length > keepBefore + keepAfter + 1) {
      out.push(...run.slice(0, keepBefore));
      out.push({ type: "collapsed", lines: run.slice(keepBefore, run.length - keepAfter) });
      out.push(...run.slice(run.length - keepAfter));
    } else {
      out.push(...run);
    }
    i = j;
  }
  return out;
}

function withFinalNewline(text: string): string {
  const normalised = text.replace(/\r\n?/g, "\n");
  return normalised === "" || normalised.endsWith("\n") ? normalised : `${normalised}\n`;
}

function splitLines(value: string): string[] {
  const lines = value.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

function similarity(segments: readonly DiffSegment[], oldLine: string, newLine: string): number {
  const longest = Math.max(oldLine.trim().length, newLine.trim().length);
  if (longest === 0) return 1;
  const common = segments.filter((s) => s.type === "same").reduce((n, s) => n + s.text.trim().length, 0);
  return common / longest;
}
