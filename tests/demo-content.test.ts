/**
 * The demo organisation tells one story: the drill records in content/drills/*.yaml are what
 * scripts/generate-demo-records.ts writes, and the plans' own text ("last exercise", the RTO
 * tables) and the drill calendar in articles/process-drills-and-inspections.md name only drills
 * that are on record, with the same type and outcome.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTENT_DIR } from "./paths";

interface DrillFile {
  defaults: { plan: string };
  records: Array<{ heldAt: string; type: string; outcome: string; recoveryMinutes?: number | null }>;
}

const drills = new Map<string, DrillFile["records"]>();
beforeAll(async () => {
  for (const name of await readdir(path.join(CONTENT_DIR, "drills"))) {
    const file = parse(await readFile(path.join(CONTENT_DIR, "drills", name), "utf8")) as DrillFile;
    drills.set(file.defaults.plan, file.records);
  }
});

const day = (heldAt: string | Date) => new Date(heldAt).toISOString().slice(0, 10);
const drillOn = (plan: string, date: string) => (drills.get(plan) ?? []).find((d) => day(d.heldAt) === date);

describe("demo drill records", () => {
  let tmp = "";
  afterAll(() => (tmp ? rm(tmp, { recursive: true, force: true }) : undefined));

  it("are exactly what the generator writes", async () => {
    tmp = await mkdtemp(path.join(tmpdir(), "drillbook-demo-"));
    const script = path.join(CONTENT_DIR, "..", "scripts", "generate-demo-records.ts");
    await promisify(execFile)(process.execPath, ["--import", "tsx", script, tmp], { cwd: path.join(CONTENT_DIR, "..") });
    for (const folder of ["drills", "inspections"]) {
      const names = (await readdir(path.join(tmp, folder))).sort();
      expect(names).toEqual((await readdir(path.join(CONTENT_DIR, folder))).sort());
      for (const name of names) {
        expect(await readFile(path.join(tmp, folder, name), "utf8"), `${folder}/${name}`).toBe(await readFile(path.join(CONTENT_DIR, folder, name), "utf8"));
      }
    }
  }, 60_000);

  it("have the data-centre-loss drills its plan describes, and its last drill failed", () => {
    expect(drillOn("plan-data-centre-loss", "2025-10-25")).toMatchObject({ type: "live_failover", outcome: "partial", recoveryMinutes: 52 });
    expect(drillOn("plan-data-centre-loss", "2025-06-14")).toMatchObject({ outcome: "passed", recoveryMinutes: 17 });
    expect(drillOn("plan-data-centre-loss", "2026-02-11")).toMatchObject({ type: "tabletop" });
    const last = [...drills.get("plan-data-centre-loss")!].sort((a, b) => day(a.heldAt).localeCompare(day(b.heldAt))).at(-1)!;
    expect(last).toMatchObject({ outcome: "failed" });
  });

  it("name only plan revisions the content has: revisions/<plan>/<n>.md, or the plan file itself (the newest)", async () => {
    const wrong: string[] = [];
    for (const [plan, records] of drills) {
      const earlier = await readdir(path.join(CONTENT_DIR, "revisions", plan)).catch(() => [] as string[]);
      for (const r of records as Array<{ heldAt: string; planRevision?: number }>) {
        if (r.planRevision !== undefined && !earlier.includes(`${r.planRevision}.md`)) wrong.push(`${plan} ${day(r.heldAt)}: revision ${r.planRevision}`);
      }
    }
    expect(wrong).toEqual([]);
    // data-centre-loss: its drills exercised revisions 1 and 2; the plan has changed since (revision 3).
    expect(drills.get("plan-data-centre-loss")!.map((r) => (r as { planRevision?: number }).planRevision)).toEqual([1, 1, 2, 2]);
  });
});

describe("demo plan texts", () => {
  // Lines of a plan that report a drill; dates on them must be drills of that plan on record.
  const REPORTS = /last exercise|last drill|scenario [a-c] tested|tabletop|simulation|live drill|最近一次|最近演练|演练记录|上一次演练|实战演练|模拟演练|桌面推演/i;
  // Dates that are not drills: reviews, acceptances, revisions, bookings, due dates, action closures.
  const NOT_DRILLS = /(?:reviewed since|accepted by the cio on|booked for|due by|修订|已于)\s*(\d{4}-\d{2}-\d{2})/gi;

  it("name only drills that are on record", async () => {
    const missing: string[] = [];
    for (const name of await readdir(path.join(CONTENT_DIR, "plans"))) {
      const plan = name.replace(/\.md$/, "");
      const text = await readFile(path.join(CONTENT_DIR, "plans", name), "utf8");
      for (const line of text.split("\n").filter((l) => REPORTS.test(l))) {
        const excluded = new Set([...line.matchAll(NOT_DRILLS)].map((m) => m[1]));
        for (const [date] of line.matchAll(/\d{4}-\d{2}-\d{2}/g)) {
          if (!excluded.has(date) && !drillOn(plan, date)) missing.push(`${plan}: ${date} (${line.trim().slice(0, 80)})`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it("the drill calendar of process-drills-and-inspections matches the records' type and outcome", async () => {
    const text = await readFile(path.join(CONTENT_DIR, "articles", "process-drills-and-inspections.md"), "utf8");
    const rows = [...text.matchAll(/^\| (\d{4}-\d{2}-\d{2}) \| \[\[([a-z0-9-]+)\]\][^|]* \| (\w+) \| (\w+) \|/gm)];
    expect(rows.length).toBeGreaterThan(10);
    const wrong = rows
      .map(([, date, plan, type, outcome]) => ({ date, plan, type, outcome, record: drillOn(plan!, date!) }))
      .filter((r) => r.record?.type !== r.type || r.record?.outcome !== r.outcome)
      .map((r) => `${r.date} ${r.plan}: article says ${r.type}/${r.outcome}, record ${r.record ? `${r.record.type}/${r.record.outcome}` : "missing"}`);
    expect(wrong).toEqual([]);
  });
});
