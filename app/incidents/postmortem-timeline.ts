/**
 * Reads the facts of an incident out of a postmortem's Markdown: the timeline table (each row's
 * instant, with the row it came from), the summary, and the corrective-actions table. Pure: no
 * database, no clock. Used by the importer (postmortem-import.server.ts) for every document of
 * kind `postmortem`, e.g. the 38 DFDS postmortems in shared/corpora/dfds-postmortems.
 *
 * Rules (decisions, also in the README):
 * - The timeline is the first table under a heading "Timeline" / "时间线" / "时间轴". The time column
 *   is the first header cell naming a time or date ("Time", "Date and Time in CET", "时间（UTC）"),
 *   the event column the one naming an event ("Event", "事件"), else the last column.
 * - Time zone: a zone in the time column's header wins ("time (UTC)"), then a sentence in the
 *   timeline section ("All times in CET."), then one anywhere in the document. UTC/GMT/Z are UTC;
 *   CET and CEST are read as Europe/Copenhagen wall-clock time (the DFDS authors write "CET" for their
 *   local time all year; in summer that is UTC+2, and each source says which offset applied). An IANA
 *   name is taken as is. No statement at all: read as UTC and reported as a problem.
 * - A row's instant: "YYYY-MM-DD HH:mm" (hour may be one digit; "~" and a range "09:00 - 11:00" or
 *   "12:26-12:??" take the first time, and say so). A time without a date ("14:22") takes the date
 *   of the nearest dated row above only while times run forward from it; a time earlier than the
 *   row above could be the next day, so it is reported, not placed. A date without a time
 *   ("2021-12-10", "2020-12-21 HH:mm", "2019-12-03 --:--"), placeholders ("2022-02-?? ??:??") and
 *   impossible dates ("20202-01-16") are reported with the reason; nothing is invented.
 * - The five timestamps: explicit markers first (bold or in parentheses: "**Start.**",
 *   "**Detection:**", "**Recovery:**", "(resolved)", "(problem started)", "（**事件开始**）", "（**缓解**）");
 *   "Recovery" means resolved (DFDS's "time to recovery" ends the incident). Without a marker:
 *   started = the earliest timed row (saying so, and warning when unreadable rows sit above it);
 *   resolved = the last row after it saying resolved / restored / back to normal / operational /
 *   fixed / closed; detected, acknowledged and mitigated only from markers. Each source names the
 *   row and whether a marker or a keyword decided. A found timestamp out of order (see incident-input.ts) is dropped and reported.
 */
import { TZDate, tzOffset } from "@date-fns/tz";
import { DEFAULT_TIME_ZONE, isValidTimeZone } from "../lib/time";
import { TIMESTAMP_FIELDS, TIMESTAMP_LABELS, timestampOrderProblems, type TimestampField } from "./incident-input";

/** CET/CEST in a postmortem are read as this zone's wall clock (see the rules above). */
export const CENTRAL_EUROPE_ZONE = "Europe/Copenhagen";

/** A timeline table row that became an event. */
export interface TimelineRow {
  /** 1-based data row of the timeline table. */
  row: number;
  /** 1-based line of the Markdown body. */
  line: number;
  /** The time cell as written. */
  timeCell: string;
  /** The event cell, HTML entities decoded. */
  text: string;
  at: Date;
  /** How the instant was read: "date carried from row 3", "range: first time taken", … ("" when plain). */
  note: string;
  /** Provenance for incident_events.source and timestamp_sources. */
  source: string;
}

/** A row (or the whole table) that could not be read; reported, never guessed. */
export interface TimelineProblem {
  /** 1-based data row, or null for the table as a whole. */
  row: number | null;
  line: number | null;
  cell: string;
  reason: string;
}

export interface TimelineZone {
  /** IANA zone the times were read in. */
  zone: string;
  /** The statement found ("All times in CET.", "time (UTC)"), or null when the text states none. */
  statedAs: string | null;
}

export interface FoundTimestamp {
  at: Date;
  row: number;
  /** "marker" (explicit) or "keyword" (a word in the event) or "first row". */
  by: "marker" | "keyword" | "first row";
  /** Row, cell, how and zone, for incidents.timestamp_sources. */
  source: string;
}

export interface TimelineParse {
  /** False when the document has no timeline table. */
  found: boolean;
  zone: TimelineZone;
  rows: TimelineRow[];
  problems: TimelineProblem[];
  timestamps: Partial<Record<TimestampField, FoundTimestamp>>;
  /** Why start or resolution are missing, one line each. */
  missing: string[];
}

const TIMELINE_HEADING = /^(#{1,6})\s*(?:timeline|incident timeline|时间线|时间轴|時間線)(?![A-Za-z])/i;
const ZONE_TOKEN = /\b(UTC|GMT|CEST|CET)\b|\b([A-Z][a-z]+\/[A-Z][A-Za-z_]+)\b/;

/**
 * Parses the timeline of a postmortem (`markdown` is the body, frontmatter removed).
 * `fallbackZone`: used when the text states no zone (e.g. the frontmatter's `timezone`), reported.
 * @returns the rows with their instants, every problem, the zone, and the five timestamps found.
 */
export function parsePostmortemTimeline(markdown: string, options: { fallbackZone?: string } = {}): TimelineParse {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  const result: TimelineParse = { found: false, zone: { zone: DEFAULT_TIME_ZONE, statedAs: null }, rows: [], problems: [], timestamps: {}, missing: [] };
  const section = findTimelineSection(lines);
  if (!section) {
    result.missing.push("no timeline table (a heading “Timeline” followed by a Markdown table)");
    return result;
  }
  const table = findTable(lines, section.start, section.end);
  if (!table) {
    result.missing.push("the timeline section has no table");
    return result;
  }
  result.found = true;
  const header = splitRow(lines[table.header]!);
  const timeColumn = Math.max(0, header.findIndex((cell) => /time|date|时间|日期|when/i.test(cell)));
  let eventColumn = header.findIndex((cell, i) => i !== timeColumn && /event|事件|description|what|happened/i.test(cell));
  if (eventColumn < 0) eventColumn = header.length - 1 === timeColumn ? timeColumn : header.length - 1;

  result.zone = statedZone(header[timeColumn] ?? "", lines.slice(section.start, table.header).join("\n"), lines.join("\n"), options.fallbackZone);
  if (result.zone.statedAs === null) {
    result.problems.push({ row: null, line: table.header + 1, cell: header[timeColumn] ?? "", reason: `no time zone stated in the text; times read as ${result.zone.zone}` });
  }
  const zone = result.zone.zone;
  const zoneNote = (at: Date) => zoneDescription(result.zone, at);

  let lastDate: string | null = null;
  let lastDateRow = 0;
  let lastMinutes: number | null = null;
  table.rows.forEach((lineIndex, i) => {
    const row = i + 1;
    const cells = splitRow(lines[lineIndex]!);
    const timeCell = cells[timeColumn] ?? "";
    const text = cleanText(cells[eventColumn] ?? "");
    const read = readTimeCell(timeCell);
    const rawRow = lines[lineIndex]!.trim();
    const shortRow = rawRow.length > 160 ? `${rawRow.slice(0, 157)}…` : rawRow;
    if (read.kind === "problem") {
      result.problems.push({ row, line: lineIndex + 1, cell: timeCell.trim(), reason: read.reason });
      if (read.date) {
        lastDate = read.date;
        lastDateRow = row;
        lastMinutes = null;
      }
      return;
    }
    let date: string;
    const notes = [...read.notes];
    if (read.date) {
      date = read.date;
    } else {
      if (lastDate === null) {
        result.problems.push({ row, line: lineIndex + 1, cell: timeCell.trim(), reason: "a time without a date, and no dated row above it" });
        return;
      }
      if (lastMinutes !== null && read.minutes < lastMinutes) {
        result.problems.push({
          row,
          line: lineIndex + 1,
          cell: timeCell.trim(),
          reason: `a time without a date that is earlier than the row above (could be the next day after ${lastDate}); not placed`,
        });
        return;
      }
      date = lastDate;
      notes.push(`date ${date} carried from row ${lastDateRow}`);
    }
    const at = wallClock(date, read.minutes, zone);
    if (!at) {
      result.problems.push({ row, line: lineIndex + 1, cell: timeCell.trim(), reason: "not a real date and time" });
      return;
    }
    if (read.date) {
      lastDate = read.date;
      lastDateRow = row;
    }
    lastMinutes = read.minutes;
    const note = notes.join("; ");
    result.rows.push({
      row,
      line: lineIndex + 1,
      timeCell: timeCell.trim(),
      text,
      at,
      note,
      source: `row ${row} (line ${lineIndex + 1}): ${shortRow}${note ? ` [${note}]` : ""}; ${zoneNote(at)}`,
    });
  });

  pickTimestamps(result);
  return result;
}

function findTimelineSection(lines: string[]): { start: number; end: number } | null {
  for (let i = 0; i < lines.length; i++) {
    const m = TIMELINE_HEADING.exec(lines[i]!.trim());
    if (!m) continue;
    const level = m[1]!.length;
    let end = lines.length;
    for (let j = i + 1; j < lines.length; j++) {
      const h = /^(#{1,6})\s/.exec(lines[j]!);
      if (h && h[1]!.length <= level) {
        end = j;
        break;
      }
    }
    return { start: i + 1, end };
  }
  return null;
}

function findTable(lines: string[], start: number, end: number): { header: number; rows: number[] } | null {
  for (let i = start; i < end - 1; i++) {
    if (!lines[i]!.trim().startsWith("|")) continue;
    if (!/^\|?\s*:?-{2,}/.test(lines[i + 1]!.trim())) continue;
    const rows: number[] = [];
    for (let j = i + 2; j < end && lines[j]!.trim().startsWith("|"); j++) rows.push(j);
    return { header: i, rows };
  }
  return null;
}

/** Cells of a Markdown table row, trimmed, without the outer pipes. */
export function splitRow(line: string): string[] {
  let text = line.trim();
  if (text.startsWith("|")) text = text.slice(1);
  if (text.endsWith("|") && !text.endsWith("\\|")) text = text.slice(0, -1);
  return text.split(/(?<!\\)\|/).map((cell) => cell.trim());
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };
/** Decodes HTML entities (&amp;, &#39;, &#x27;) and turns <br> into a space. */
export function decodeEntities(text: string): string {
  return text
    .replace(/<br\s*\/?>/gi, " ")
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] === "#") {
        const code = name[1]!.toLowerCase() === "x" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    });
}

function cleanText(cell: string): string {
  return decodeEntities(cell).replace(/\s+/g, " ").trim();
}

function statedZone(headerCell: string, sectionText: string, documentText: string, fallback: string | undefined): TimelineZone {
  const fromHeader = ZONE_TOKEN.exec(headerCell);
  if (fromHeader) return { zone: zoneFor(fromHeader[0]), statedAs: headerCell.trim() };
  const sentence = /(?:all\s+)?times?\s+(?:are\s+)?(?:(?:in|shown in|given in)\s+)?(UTC|GMT|CEST|CET|[A-Z][a-z]+\/[A-Z][A-Za-z_]+)\b[^\n]*/i;
  const zh = /时间(?:线)?(?:均)?以\s*(UTC|GMT|CET|CEST)\s*为准[^\n]*/;
  for (const text of [sectionText, documentText]) {
    const m = sentence.exec(text) ?? zh.exec(text);
    if (m && zoneFor(m[1]!) !== null) return { zone: zoneFor(m[1]!), statedAs: m[0].trim() };
  }
  const zone = fallback && isValidTimeZone(fallback) ? fallback : DEFAULT_TIME_ZONE;
  return { zone, statedAs: null };
}

function zoneFor(token: string): string {
  const upper = token.toUpperCase();
  if (upper === "UTC" || upper === "GMT" || upper === "Z") return "UTC";
  if (upper === "CET" || upper === "CEST") return CENTRAL_EUROPE_ZONE;
  return isValidTimeZone(token) ? token : "UTC";
}

function zoneDescription(zone: TimelineZone, at: Date): string {
  if (zone.statedAs === null) return `no zone stated, read as ${zone.zone}`;
  if (zone.zone === "UTC") return `UTC (stated: “${zone.statedAs}”)`;
  const offset = tzOffset(zone.zone, at);
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  const hhmm = `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
  return `${zone.zone} wall clock, UTC${hhmm} on this date (stated: “${zone.statedAs}”)`;
}

type CellRead =
  | { kind: "time"; date: string | null; minutes: number; notes: string[] }
  | { kind: "problem"; reason: string; date: string | null };

/** Reads one time cell (see the rules at the top of the file). */
export function readTimeCell(cell: string): CellRead {
  let text = decodeEntities(cell).replace(/\*\*/g, "").replace(/\s+/g, " ").trim();
  const notes: string[] = [];
  if (/^~|~$|≈|\bapprox/i.test(text)) {
    notes.push("approximate (“~”)");
    text = text.replace(/^~|~$|≈|\bapprox(?:imately|\.)?/gi, "").trim();
  }
  if (text === "" || /^[-—–]+$/.test(text)) return { kind: "problem", reason: "empty time cell", date: null };
  const dated = /^(\d{4})-(\d{2})-(\d{2})(?:(?:\s+|T)(.*))?$/.exec(text);
  if (dated) {
    const date = `${dated[1]}-${dated[2]}-${dated[3]}`;
    if (!realDay(date)) return { kind: "problem", reason: `${date} is not a real date`, date: null };
    const rest = (dated[4] ?? "").trim();
    if (rest === "") return { kind: "problem", reason: "a date without a time; not placed on the timeline", date };
    const time = readClock(rest);
    if (!time) return { kind: "problem", reason: `a date without a usable time (“${rest}”); not placed on the timeline`, date };
    return { kind: "time", date, minutes: time.minutes, notes: [...notes, ...time.notes] };
  }
  const time = readClock(text);
  if (time) return { kind: "time", date: null, minutes: time.minutes, notes: [...notes, ...time.notes] };
  if (/^\d{4,}[-/?]/.test(text) || /\?\?|HH:mm/i.test(text)) {
    return { kind: "problem", reason: "not a complete date and time (placeholder or unknown parts)", date: null };
  }
  return { kind: "problem", reason: "not a date and time (expected YYYY-MM-DD HH:mm)", date: null };
}

function readClock(text: string): { minutes: number; notes: string[] } | null {
  const m = /^(\d{1,2}):(\d{2})(?::\d{2})?(\s*(?:[-–—]|to)\s*.*)?$/.exec(text.trim());
  if (!m) return null;
  const hours = Number(m[1]);
  const minutes = Number(m[2]);
  if (hours > 23 || minutes > 59) return null;
  return { minutes: hours * 60 + minutes, notes: m[3] ? [`range “${text.trim()}”: first time taken`] : [] };
}

function realDay(date: string): boolean {
  const d = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === date;
}

/** The UTC instant of `date` at `minutes` past midnight in `zone`; null when it is not a real time. */
function wallClock(date: string, minutes: number, zone: string): Date | null {
  const [y, mo, d] = date.split("-").map(Number) as [number, number, number];
  const zoned = new TZDate(y, mo - 1, d, Math.floor(minutes / 60), minutes % 60, 0, zone);
  return Number.isNaN(zoned.getTime()) ? null : new Date(zoned.getTime());
}

/** Markers: bold or parenthesised words that name a timestamp, per field. */
const MARKERS: Record<TimestampField, RegExp> = {
  startedAt: /^(?:start|started|problem started|incident start(?:ed)?|impact start(?:ed)?|事件开始|开始)$/i,
  detectedAt: /^(?:detected|detection|discovery|discovered|发现)$/i,
  acknowledgedAt: /^(?:acknowledged|acknowledgement|acknowledgment|响应|确认)$/i,
  mitigatedAt: /^(?:mitigated|mitigation|缓解)$/i,
  resolvedAt: /^(?:resolved|resolution|recovery|recovered|解决)$/i,
};

/**
 * Words that mark the resolution in a row without a marker. Detection, acknowledgement and
 * mitigation are taken from markers only: their words ("reported", "alert", "investigating") are too
 * loose in real timelines to give honest MTTD/MTTA figures.
 */
const RESOLVED_WORDS =
  /\b(?:resolved|restored|back to normal|(?:verified|is|are|all systems|service) (?:verified )?operational|working as (?:intended|expected)|(?:permanently )?fixed|solved|incident closed|outage closed|closed)\b/i;

function markersOf(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/\*\*([^*]+)\*\*|[(（]([^()（）]+)[)）]/g)) {
    const inner = (m[1] ?? m[2] ?? "").replace(/\*\*/g, "").replace(/[.:：。!]+$/, "").trim();
    if (inner) found.push(inner);
  }
  return found;
}

function pickTimestamps(result: TimelineParse): void {
  const rows = result.rows;
  if (rows.length === 0) {
    result.missing.push("no timeline row has a usable date and time");
    return;
  }
  const found: Partial<Record<TimestampField, FoundTimestamp>> = {};
  const use = (field: TimestampField, row: TimelineRow, by: FoundTimestamp["by"], word: string) => {
    found[field] = { at: row.at, row: row.row, by, source: `${row.source}; ${by === "first row" ? "earliest timed row" : `${by} “${word}”`}` };
  };
  // Explicit markers first.
  for (const row of rows) {
    for (const marker of markersOf(row.text)) {
      for (const field of TIMESTAMP_FIELDS) {
        if (!found[field] && MARKERS[field].test(marker)) use(field, row, "marker", marker);
      }
    }
  }
  if (!found.startedAt) {
    const earliest = rows.reduce((a, b) => (b.at.getTime() < a.at.getTime() ? b : a));
    const unreadAbove = result.problems.filter((p) => p.row !== null && p.row < earliest.row).map((p) => p.row);
    use("startedAt", earliest, "first row", "");
    if (unreadAbove.length > 0) {
      const caveat = `row(s) ${unreadAbove.join(", ")} above it have no usable time, so the incident may have started earlier`;
      found.startedAt!.source += `; ${caveat}`;
      result.problems.push({ row: earliest.row, line: earliest.line, cell: earliest.timeCell, reason: `started at taken from the earliest timed row, but ${caveat}` });
    }
  }
  const start = found.startedAt!.at.getTime();
  const after = rows.filter((r) => r.at.getTime() >= start && r.row !== found.startedAt!.row);
  if (!found.resolvedAt) {
    const row = [...after].reverse().find((r) => RESOLVED_WORDS.test(r.text));
    if (row) use("resolvedAt", row, "keyword", RESOLVED_WORDS.exec(row.text)![0]);
  }
  // Drop what is out of order, latest field first, and say so.
  for (;;) {
    const problems = timestampOrderProblems(
      Object.fromEntries(Object.entries(found).map(([k, v]) => [k, v!.at])),
      { zone: "UTC", now: new Date(8.64e15) },
    );
    const problem = problems[0];
    if (!problem) break;
    const dropped = found[problem.field]!;
    result.problems.push({
      row: dropped.row,
      line: null,
      cell: "",
      reason: `${TIMESTAMP_LABELS[problem.field]} from row ${dropped.row} not used: ${problem.message}`,
    });
    delete found[problem.field];
  }
  if (!found.resolvedAt) result.missing.push("no row marks the resolution (resolved, restored, recovery, back to normal…); resolved at left empty");
  result.timestamps = found;
}

/** Where the timestamps of a postmortem came from, for incidents.timestamp_sources. */
export function timestampSourcesOf(parse: TimelineParse): Partial<Record<TimestampField, string>> {
  return Object.fromEntries(Object.entries(parse.timestamps).map(([field, found]) => [field, found!.source]));
}

/**
 * The first paragraph of the "Summary" / "摘要" section, or else the first paragraph of the body
 * that is not a heading, quote, table or list; Markdown emphasis and links reduced to their text.
 * At most `maxLength` characters (cut at a word with "…"). "" when there is none.
 */
export function postmortemSummary(markdown: string, maxLength = 2000): string {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  const headingAt = lines.findIndex((l) => /^#{1,6}\s*(?:summary|executive summary|摘要|概要|概述|事件概述)\s*$/i.test(l.trim()));
  const from = headingAt >= 0 ? headingAt + 1 : 0;
  const paragraph: string[] = [];
  for (let i = from; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (headingAt >= 0 && /^#{1,6}\s/.test(line)) break;
    const skip = line === "" || /^#{1,6}\s/.test(line) || line.startsWith(">") || line.startsWith("|") || /^[-*+]\s|^\d+\.\s/.test(line) || /^---+$/.test(line);
    if (skip) {
      if (paragraph.length > 0) break;
      continue;
    }
    paragraph.push(line);
  }
  let text = decodeEntities(paragraph.join(" "))
    .replace(/\*\*|__|`/g, "")
    .replace(/\[\[([^\]|]+)\|([^\]]+)\]\]/g, "$2")
    .replace(/\[\[([^\]]+)\]\]/g, "$1")
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\s+/g, " ")
    .trim();
  if (text.length > maxLength) text = `${text.slice(0, maxLength - 1).replace(/\s+\S*$/, "")}…`;
  return text;
}

/** A corrective action row of a postmortem's actions table. */
export interface PostmortemAction {
  row: number;
  title: string;
  owner: string;
  dueDate: string | null;
  status: string;
  /** Day it was closed, when the table has a "closed" column. */
  closedOn: string | null;
}

/**
 * The rows of the first table under "Corrective actions" / "Action items" / "改进行动" whose header
 * names an owner (owner / 负责人): `{ title, owner, dueDate (YYYY-MM-DD or null), status, closedOn }`.
 * Rows without a title or owner are left out. Lists without a table (DFDS "Action Items") give [].
 */
export function postmortemActions(markdown: string): PostmortemAction[] {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  const at = lines.findIndex((l) => /^#{1,6}\s*(?:corrective actions?|action items?|follow-?ups?|改进行动|整改措施|后续行动)\s*$/i.test(l.trim()));
  if (at < 0) return [];
  let end = lines.length;
  for (let j = at + 1; j < lines.length; j++) if (/^#{1,6}\s/.test(lines[j]!)) { end = j; break; }
  const table = findTable(lines, at + 1, end);
  if (!table) return [];
  const header = splitRow(lines[table.header]!).map((h) => h.toLowerCase());
  const col = (pattern: RegExp) => header.findIndex((h) => pattern.test(h));
  const owner = col(/owner|负责人|责任人/);
  if (owner < 0) return [];
  const title = Math.max(0, col(/action|行动|措施|item/));
  const due = col(/due|截止|期限/);
  const status = col(/status|状态/);
  const closed = col(/closed|完成日期|关闭/);
  const day = (v: string | undefined) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v.trim()) && realDay(v.trim()) ? v.trim() : null);
  return table.rows.flatMap((lineIndex, i) => {
    const cells = splitRow(lines[lineIndex]!).map(cleanText);
    const t = cells[title] ?? "";
    const o = cells[owner] ?? "";
    if (!t || !o) return [];
    return [{ row: i + 1, title: t, owner: o, dueDate: day(cells[due]), status: (cells[status] ?? "open").toLowerCase() || "open", closedOn: day(closed >= 0 ? cells[closed] : undefined) }];
  });
}
