import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { auditLog, correctiveActions, incidentEvents, incidents } from "#db/schema";
import { createTestDatabase } from "../../tests/db";
import { importContent } from "../docs/import.server";
import { getIncident } from "./incidents.server";

const CONTENT = path.resolve(__dirname, "../../content");
const DFDS = path.resolve(__dirname, "../../../shared/corpora/dfds-postmortems");

let handle: DatabaseHandle;
let db: DatabaseHandle["db"];
beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
});
afterAll(() => handle.close());

const rows = async (table: typeof incidents | typeof auditLog | typeof incidentEvents | typeof correctiveActions) => (await db.select({ n: count() }).from(table))[0]!.n;
const byKey = async (key: string) => {
  const [row] = await db.select({ number: incidents.number }).from(incidents).where(eq(incidents.externalKey, key));
  return row ? getIncident(db, row.number) : null;
};

describe("incidents from imported content", () => {
  it("creates an incident per demo postmortem from its frontmatter, timeline rows and actions table", async () => {
    const summary = await importContent(db, { root: CONTENT, prefix: "" });
    expect(summary.incidents).toMatchObject({ created: 47, updated: 0, unchanged: 0 }); // 7 postmortems + 40 in incidents/*.yaml
    const tls = (await byKey("postmortem:pm-2026-03-payment-gateway-tls-expiry"))!;
    expect(tls).toMatchObject({ severity: "SEV1", status: "closed", customerImpact: true, rootCauseCategory: "configuration", detectionSource: "customer", origin: "import" });
    expect(tls.systems.map((s) => s.slug)).toEqual(["payment-gateway", "internet-banking"]);
    expect(tls.startedAt.toISOString()).toBe("2026-03-10T00:00:00.000Z");
    expect(tls.mitigatedAt!.toISOString()).toBe("2026-03-10T00:47:00.000Z");
    expect(tls.timestampSources.startedAt).toBe("frontmatter started_at: 2026-03-10T00:00:00Z");
    expect(tls.postmortem!.slug).toBe("pm-2026-03-payment-gateway-tls-expiry");
    expect(tls.summary).toMatch(/^At 00:00 UTC on Tuesday 10 March 2026/);
    // Runbooks linked from the timeline rows were "used".
    expect(tls.runbooks.map((r) => r.slug)).toEqual(["certificate-expiring-soon"]);
    // Each timeline row is an event that names the row it came from.
    const expiry = tls.events.find((e) => e.text.startsWith("**Certificate expires.**"))!;
    expect(expiry.source).toMatch(/^postmortem: pm-2026-03-payment-gateway-tls-expiry$/);
    expect(tls.events.length).toBeGreaterThan(15);
    expect(tls.actions.map((a) => a.status).sort()).toEqual(["done", "done", "done", "done", "done", "done", "done", "in_progress", "wont_do"]);
    const nav = (await byKey("postmortem:pm-2025-11-nav-late-stale-prices"))!;
    expect(nav.runbooks.map((r) => r.slug)).toContain("market-data-stale-prices");
  });

  it("creates the incidents of incidents/*.yaml: wall-clock times in their zone, recurrences, actions", async () => {
    const eod = (await byKey("import:2025-10-ledger-eod-overrun-2"))!;
    expect(eod.startedAt.toISOString()).toBe("2025-10-31T11:25:00.000Z"); // 19:25 in Shanghai
    expect(eod.timezone).toBe("Asia/Shanghai");
    expect(eod.recurrenceOf!.title).toBe("Core ledger end-of-day batch overran the 20:00 window");
    expect(eod.title).toBe("核心账务日终批量再次超出 20:00 窗口");
    const tls = (await byKey("import:2026-08-pgw-tls-handshake"))!;
    expect(tls.recurrenceOf!.title).toMatch(/card processor mTLS certificate expiry/);
    const open = (await byKey("import:2026-11-pgw-latency-open"))!;
    expect(open).toMatchObject({ status: "open", resolvedAt: null, mitigatedAt: null });
    const fax = (await byKey("import:2025-05-fax-line-down"))!;
    expect(fax).toMatchObject({ detectedAt: null, acknowledgedAt: null });
    const watchdog = (await byKey("import:2025-10-monitoring-watchdog"))!;
    expect(watchdog.actions[0]).toMatchObject({ status: "done", dueDate: "2025-11-15" });
    expect(watchdog.actions[0]!.closedAt!.toISOString()).toBe("2025-12-19T12:00:00.000Z"); // closed late
    // Raised when the incident was resolved: its age counts from then, not from the import.
    const [raised] = await handle.db.select({ createdAt: correctiveActions.createdAt }).from(correctiveActions).where(eq(correctiveActions.incidentId, watchdog.id));
    expect(watchdog.resolvedAt).not.toBeNull();
    expect(raised!.createdAt.toISOString()).toBe(watchdog.resolvedAt!.toISOString());
    const swift = (await byKey("postmortem:pm-2025-07-swift-cutoff-missed"))!;
    expect(swift.timezone).toBe("Europe/Warsaw");
    expect(swift.startedAt.toISOString()).toBe("2025-07-31T12:05:00.000Z");
    expect(swift.actions.find((a) => a.status === "done" && a.dueDate === "2025-09-30")!.closedAt!.toISOString()).toBe("2025-10-20T12:00:00.000Z");
  });

  it("refuses an invalid incident file with the file, entry and field, writing nothing", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "inc-"));
    try {
      await cp(path.join(CONTENT, "catalog"), path.join(dir, "catalog"), { recursive: true });
      await mkdir(path.join(dir, "incidents"));
      await writeFile(
        path.join(dir, "incidents", "bad.yaml"),
        "- key: ok-one\n  title: Fine\n  severity: SEV3\n  systems: [cmdb]\n  started_at: 2026-01-01 10:00\n" +
          "- key: bad-order\n  title: Backwards\n  severity: SEV3\n  systems: [cmdb]\n  started_at: 2026-01-02 10:00\n  resolved_at: 2026-01-02 09:00\n",
      );
      const before = await rows(incidents);
      const error = await importContent(db, { root: dir, prefix: "bad" }).catch((e) => e);
      expect(error.problems).toEqual([
        expect.objectContaining({ file: "incidents/bad.yaml", field: '"bad-order".resolved_at', message: expect.stringMatching(/^resolved at .* is before started at/) }),
      ]);
      await writeFile(path.join(dir, "incidents", "bad.yaml"), "- key: ghost\n  title: Unknown system\n  severity: SEV3\n  systems: [mainframe]\n  started_at: 2026-01-01 10:00\n");
      const unknown = await importContent(db, { root: dir, prefix: "bad" }).catch((e) => e);
      expect(unknown.problems[0]).toMatchObject({ field: '"ghost".systems', message: expect.stringContaining("mainframe") });
      expect(await rows(incidents)).toBe(before);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("imports the DFDS postmortems, reporting what it could not parse", async () => {
    const summary = await importContent(db, { root: DFDS, kind: "postmortem" });
    const result = summary.incidents!;
    expect(result.created).toBe(38); // 40 postmortem files; PM2020-003 and the template have no usable time
    const notParsed = result.notParsed.join("\n");
    expect(notParsed).toContain("PM2020-003 - Postmortem for ADSync migration.md: no incident created: no start time");
    expect(notParsed).toContain("PM2021-011 - Log4Shell.md: row 1 (“2021-12-10”): a date without a time; not placed on the timeline");
    expect(notParsed).toContain("PM2020-001 - Inotify file watches exhaustion.md: severity not stated; recorded as SEV3");
    const alb = (await byKey("postmortem:dfds-postmortems/pm2020-005-alb-instance-attachment"))!;
    expect(alb.startedAt.toISOString()).toBe("2020-06-09T09:00:00.000Z");
    expect(alb.resolvedAt!.toISOString()).toBe("2020-06-09T11:13:00.000Z");
    expect(alb.timezone).toBe("Europe/Copenhagen");
    expect(alb.timestampSources.resolvedAt).toContain("row 6 (line");
    expect(alb.timestampSources.resolvedAt).toContain("UTC+02:00 on this date");
    expect(alb.systems).toEqual([]);
    expect(alb.events.map((e) => e.at.toISOString())[0]).toBe("2020-06-09T09:00:00.000Z");
  });

  it("writes nothing when the same content is imported again", async () => {
    const before = { incidents: await rows(incidents), audit: await rows(auditLog), events: await rows(incidentEvents), actions: await rows(correctiveActions) };
    const [stamp] = await db.select({ updatedAt: incidents.updatedAt, version: incidents.version }).from(incidents).where(eq(incidents.externalKey, "postmortem:pm-2026-03-payment-gateway-tls-expiry"));
    const demo = await importContent(db, { root: CONTENT, prefix: "" });
    const dfds = await importContent(db, { root: DFDS, kind: "postmortem" });
    expect(demo.incidents).toMatchObject({ created: 0, updated: 0 });
    expect(dfds.incidents).toMatchObject({ created: 0, updated: 0, unchanged: 38 });
    expect({ incidents: await rows(incidents), audit: await rows(auditLog), events: await rows(incidentEvents), actions: await rows(correctiveActions) }).toEqual(before);
    const [after] = await db.select({ updatedAt: incidents.updatedAt, version: incidents.version }).from(incidents).where(eq(incidents.externalKey, "postmortem:pm-2026-03-payment-gateway-tls-expiry"));
    expect(after).toEqual(stamp);
  });

  it("updates the incident of a changed postmortem, audited", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "pm-"));
    try {
      const folder = path.join(dir, "dfds-postmortems");
      await cp(DFDS, folder, { recursive: true });
      const file = path.join(folder, "PM2020-005 - ALB instance attachment.md");
      await writeFile(file, (await readFile(file, "utf8")).replace("| 2020-06-09 13:13 | Issue resolved", "| 2020-06-09 13:20 | Issue resolved"));
      const audits = await rows(auditLog);
      const summary = await importContent(db, { root: folder, kind: "postmortem" });
      expect(summary.incidents).toMatchObject({ created: 0, updated: 1, unchanged: 37 });
      const alb = (await byKey("postmortem:dfds-postmortems/pm2020-005-alb-instance-attachment"))!;
      expect(alb.resolvedAt!.toISOString()).toBe("2020-06-09T11:20:00.000Z");
      expect(alb.version).toBe(2);
      expect(await rows(auditLog)).toBeGreaterThan(audits);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
