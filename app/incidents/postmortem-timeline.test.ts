import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { splitFrontmatter } from "../docs/frontmatter";
import { parsePostmortemTimeline, postmortemActions, postmortemSummary, readTimeCell } from "./postmortem-timeline";

const DFDS = path.resolve(__dirname, "../../../shared/corpora/dfds-postmortems");
const CONTENT = path.resolve(__dirname, "../../content/postmortems");
const read = (dir: string, prefix: string) => {
  const name = readdirSync(dir).find((f) => f.startsWith(prefix));
  if (!name) throw new Error(`no file ${prefix} in ${dir}`);
  return splitFrontmatter(readFileSync(path.join(dir, name), "utf8")).body;
};

/**
 * Every DFDS postmortem: [file, zone read, started (UTC) @ row, resolved (UTC) @ row, rows reported].
 * Worked by hand from each timeline: e.g. PM2020-005 says "All times in CET" on 2020-06-09, summer
 * time in Copenhagen, so 11:00 is 09:00 UTC; PM2019-010's "2019-12-04 00:30" CET is 23:30 UTC the day before.
 */
const EXPECTED: Array<[string, string, string | null, string | null, number]> = [
  ["PM2019-009", "Europe/Copenhagen", "2019-11-29T11:00Z@1", "2019-12-05T06:00Z@13", 1],
  ["PM2019-010", "Europe/Copenhagen", "2019-12-03T23:30Z@1", "2019-12-04T00:30Z@6", 0],
  ["PM2019-011", "Europe/Copenhagen", "2019-12-05T03:00Z@1", "2019-12-05T11:40Z@11", 0],
  ["PM2020-001", "Europe/Copenhagen", "2020-01-20T12:50Z@1", null, 0],
  ["PM2020-002", "Europe/Copenhagen", "2020-01-21T14:36Z@1", "2020-01-21T17:04Z@4", 0],
  ["PM2020-003", "Europe/Copenhagen", null, null, 5],
  ["PM2020-004", "Europe/Copenhagen", "2020-02-03T10:21Z@1", "2020-02-03T12:30Z@3", 0],
  ["PM2020-005", "Europe/Copenhagen", "2020-06-09T09:00Z@1", "2020-06-09T11:13Z@6", 0],
  ["PM2020-006", "Europe/Copenhagen", "2020-02-24T09:50Z@1", null, 0],
  ["PM2020-007", "Europe/Copenhagen", "2020-10-06T05:00Z@1", "2020-10-06T10:00Z@5", 0],
  ["PM2020-008", "Europe/Copenhagen", "2020-11-04T12:00Z@1", null, 0],
  ["PM2020-009", "Europe/Copenhagen", "2020-11-17T09:45Z@1", "2020-11-23T13:41Z@3", 0],
  ["PM2021-001", "Europe/Copenhagen", "2021-01-05T10:25Z@1", null, 0],
  ["PM2021-002", "Europe/Copenhagen", "2021-02-15T05:05Z@1", "2021-02-15T06:00Z@4", 0],
  ["PM2021-003", "Europe/Copenhagen", "2021-02-19T07:35Z@1", "2021-02-19T08:23Z@7", 0],
  ["PM2021-004", "UTC", "2021-03-31T12:06Z@1", null, 0],
  ["PM2021-005", "UTC", "2021-06-22T08:21Z@1", "2021-06-22T08:46Z@7", 0],
  ["PM2021-006", "UTC", "2021-06-30T08:32Z@1", "2021-06-30T10:04Z@4", 0],
  ["PM2021-007", "UTC", "2021-07-02T07:32Z@1", "2021-07-02T07:42Z@5", 0],
  ["PM2021-008", "UTC", "2021-08-26T08:22Z@1", "2021-08-26T09:49Z@7", 0],
  ["PM2021-009", "UTC", "2021-09-01T11:34Z@1", "2021-09-06T09:08Z@11", 0],
  ["PM2021-010", "UTC", "2021-09-17T08:00Z@1", null, 0],
  ["PM2021-011", "UTC", "2021-12-10T15:40Z@2", null, 4],
  ["PM2022-001", "UTC", "2022-01-25T10:21Z@1", "2022-01-25T15:00Z@14", 0],
  ["PM2022-002", "UTC", "2022-01-31T12:00Z@1", null, 0],
  ["PM2022-003", "UTC", "2022-02-08T12:05Z@1", "2022-02-08T12:48Z@12", 0],
  ["PM2022-004", "UTC", "2022-02-08T12:20Z@1", "2022-02-09T08:40Z@5", 1],
  ["PM2022-005", "UTC", "2022-03-07T00:00Z@1", null, 0],
  ["PM2022-006", "UTC", "2022-06-07T08:30Z@9", null, 10],
  ["PM2022-007", "UTC", "2022-07-07T08:58Z@1", "2022-07-07T10:09Z@8", 0],
  ["PM2022-008", "UTC", "2022-08-03T11:38Z@1", null, 0],
  ["PM2022-009", "UTC", "2022-10-29T01:02Z@1", "2022-11-02T14:40Z@20", 0],
  ["PM2023-001", "UTC", "2023-02-13T07:30Z@1", "2023-02-14T11:59Z@16", 0],
  ["PM2023-002", "UTC", "2023-04-11T11:20Z@1", null, 0],
  ["PM2024-001", "UTC", "2024-03-13T10:01Z@2", "2024-03-14T09:20Z@28", 4],
  ["PM2024-002", "UTC", "2024-04-09T08:40Z@1", "2024-04-09T09:05Z@4", 0],
  ["PM2024-003", "UTC", "2024-06-06T11:27Z@1", null, 0],
  ["PM2025-001", "UTC", "2025-02-27T19:32Z@1", "2025-03-03T20:24Z@19", 0],
  ["PM2025-002", "UTC", "2025-03-17T16:06Z@1", "2025-03-18T00:42Z@12", 0],
  ["PMyyyy-nnn", "UTC", null, null, 1],
];

const shown = (found: { at: Date; row: number } | undefined) => (found ? `${found.at.toISOString().slice(0, 16)}Z@${found.row}` : null);

describe("timeline parser on every DFDS postmortem", () => {
  it("covers every file of the corpus", () => {
    const files = readdirSync(DFDS).filter((f) => f.startsWith("PM")).map((f) => f.slice(0, 10)).sort();
    expect(files).toEqual(EXPECTED.map((e) => e[0]));
  });

  it.each(EXPECTED)("%s: zone %s, started %s, resolved %s, %d rows reported", (file, zone, started, resolved, problems) => {
    const parse = parsePostmortemTimeline(read(DFDS, file));
    expect(parse.zone.zone).toBe(zone);
    expect(shown(parse.timestamps.startedAt)).toBe(started);
    expect(shown(parse.timestamps.resolvedAt)).toBe(resolved);
    expect(parse.problems).toHaveLength(problems);
    if (resolved === null) expect(parse.missing.join(" ")).toMatch(/resolution|usable/);
    // Every event keeps the row it came from.
    for (const row of parse.rows) expect(row.source).toMatch(new RegExp(`^row ${row.row} \\(line ${row.line}\\): \\|`));
  });

  it("reads CET as Copenhagen wall clock and says which offset applied", () => {
    const summer = parsePostmortemTimeline(read(DFDS, "PM2020-005"));
    expect(summer.zone.statedAs).toBe("All times in CET.");
    expect(summer.rows[0]!.source).toContain("Europe/Copenhagen wall clock, UTC+02:00 on this date");
    const winter = parsePostmortemTimeline(read(DFDS, "PM2019-009"));
    expect(winter.zone.statedAs).toBe("Date and Time in CET");
    expect(winter.rows[0]!.source).toContain("UTC+01:00");
  });

  it("reports rows it cannot place, with the reason, and never invents them", () => {
    const log4shell = parsePostmortemTimeline(read(DFDS, "PM2021-011"));
    expect(log4shell.problems.map((p) => [p.row, p.reason])).toEqual([
      [1, "a date without a time; not placed on the timeline"],
      [23, "a date without a time; not placed on the timeline"],
      [24, "a date without a time; not placed on the timeline"],
      [2, "started at taken from the earliest timed row, but row(s) 1 above it have no usable time, so the incident may have started earlier"],
    ]);
    expect(log4shell.rows.some((r) => r.row === 1)).toBe(false);
    const adsync = parsePostmortemTimeline(read(DFDS, "PM2020-003"));
    expect(adsync.rows).toEqual([]);
    expect(adsync.problems[0]).toMatchObject({ row: 1, cell: "20202-01-16 12:00" });
    const unknownDay = parsePostmortemTimeline(read(DFDS, "PM2022-004"));
    expect(unknownDay.problems[0]).toMatchObject({ row: 10, cell: "2022-02-?? ??:??" });
  });

  it("takes explicit markers over keywords", () => {
    const parse = parsePostmortemTimeline(read(DFDS, "PM2022-004"));
    expect(parse.timestamps.detectedAt).toMatchObject({ row: 3, by: "marker" });
    expect(parse.timestamps.resolvedAt!.source).toContain("marker “Recovery”");
    expect(parse.timestamps.startedAt!.source).toContain("earliest timed row");
    const alb = parsePostmortemTimeline(read(DFDS, "PM2021-006"));
    expect(alb.timestamps.resolvedAt).toMatchObject({ row: 4, by: "marker" }); // "(resolved)", not row 5's "fix"
  });

  it("decodes HTML entities in events and keeps approximate and range times with a note", () => {
    const log4shell = parsePostmortemTimeline(read(DFDS, "PM2021-011"));
    expect(log4shell.rows.find((r) => r.row === 5)!.text).toContain("advice S&O");
    const kiam = parsePostmortemTimeline(read(DFDS, "PM2020-009"));
    expect(kiam.rows[0]!.note).toBe("approximate (“~”)");
    const nodes = parsePostmortemTimeline(read(DFDS, "PM2020-007"));
    expect(nodes.rows.find((r) => r.row === 3)!.note).toMatch(/range .*first time taken/);
  });
});

describe("timeline parser rules", () => {
  it("carries a date to time-only rows only while times run forward", () => {
    const md = [
      "## Timeline",
      "",
      "| time (UTC) | event |",
      "|---|---|",
      "| 2026-03-09 23:40 | **Start.** Certificate expires |",
      "| 23:55 | Detected |",
      "| 00:10 | Mitigated after midnight |",
      "| 2026-03-10 00:20 | **Resolved.** |",
    ].join("\n");
    const parse = parsePostmortemTimeline(md);
    expect(parse.rows.map((r) => r.at.toISOString())).toEqual(["2026-03-09T23:40:00.000Z", "2026-03-09T23:55:00.000Z", "2026-03-10T00:20:00.000Z"]);
    expect(parse.rows[1]!.note).toBe("date 2026-03-09 carried from row 1");
    expect(parse.problems).toEqual([expect.objectContaining({ row: 3, reason: expect.stringMatching(/earlier than the row above .* not placed/) })]);
  });

  it("refuses to guess a zone: none stated means UTC, reported", () => {
    const parse = parsePostmortemTimeline("## Timeline\n\n| Time | Event |\n|---|---|\n| 2026-01-01 10:00 | Started |\n");
    expect(parse.zone).toEqual({ zone: "UTC", statedAs: null });
    expect(parse.problems[0]!.reason).toMatch(/no time zone stated/);
    expect(parsePostmortemTimeline("## Timeline\n\n| Time | Event |\n|---|---|\n| 2026-01-01 10:00 | x |\n", { fallbackZone: "Asia/Shanghai" }).rows[0]!.at.toISOString()).toBe(
      "2026-01-01T02:00:00.000Z",
    );
  });

  it("reads the demo's Chinese postmortem: UTC column, markers in full-width brackets, runbook links", () => {
    const parse = parsePostmortemTimeline(read(CONTENT, "pm-2025-11"));
    expect(parse.zone.zone).toBe("UTC");
    expect(shown(parse.timestamps.startedAt)).toBe("2025-11-14T08:30Z@3");
    expect(shown(parse.timestamps.detectedAt)).toBe("2025-11-14T11:08Z@8");
    expect(shown(parse.timestamps.acknowledgedAt)).toBe("2025-11-14T11:14Z@9");
    expect(shown(parse.timestamps.mitigatedAt)).toBe("2025-11-14T13:05Z@16");
    expect(shown(parse.timestamps.resolvedAt)).toBe("2025-11-14T14:35Z@18");
    expect(parse.rows.find((r) => r.row === 6)!.note).toMatch(/range/);
  });

  it("reads time cells", () => {
    expect(readTimeCell("2024-04-09 8:40")).toMatchObject({ kind: "time", date: "2024-04-09", minutes: 520 });
    expect(readTimeCell("2019-12-03 --:--")).toMatchObject({ kind: "problem", date: "2019-12-03" });
    expect(readTimeCell("2021/22-??-?? HH:mm")).toMatchObject({ kind: "problem", date: null });
    expect(readTimeCell("2026-02-30 10:00")).toMatchObject({ kind: "problem", reason: "2026-02-30 is not a real date" });
  });
});

describe("summary and corrective actions", () => {
  it("takes the first paragraph of the summary section", () => {
    expect(postmortemSummary(read(DFDS, "PM2020-001"))).toMatch(/^Inotify allow processes to register themselves/);
    expect(postmortemSummary(read(CONTENT, "pm-2026-03"))).toMatch(/^At 00:00 UTC on Tuesday 10 March 2026 .*authorisations recovered at 00:47\.$/);
  });

  it("reads the actions table with owner, due date and status", () => {
    const actions = postmortemActions(read(CONTENT, "pm-2026-03"));
    expect(actions).toHaveLength(9);
    expect(actions[0]).toMatchObject({ owner: "Rohan Deshpande", dueDate: "2026-03-20", status: "done" });
    expect(actions.at(-1)).toMatchObject({ status: "wont_do", dueDate: "2026-06-30" });
    expect(postmortemActions(read(DFDS, "PM2019-009"))).toEqual([]); // bullet list, no owners
  });
});
